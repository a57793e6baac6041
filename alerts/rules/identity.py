"""Identity documents: who each one belongs to, and the alerts about them.

The persons who need an identity document are the declared beneficial owners and legal
representatives. Each identity document goes to the person it names best: the same person
(names and birth date agree), else a namesake with another birth date, else someone with the
same birth date and one of the two names; a document that fits nobody is reported, not dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from alerts.evidence import alert_key, declared_evidence, evidence_from
from alerts.people import display_name, ref_from_declared, ref_from_facts, subject_of
from alerts.persons import MatchKind, PersonRef, compare_persons, person_key
from alerts.rules.officers import LEGAL_REPRESENTATIVES
from alerts.rules.owners import documented_owners
from alerts.wording import day_fr
from kanta_docs.assessment import Alert, Evidence
from kanta_docs.vocab import AlertType, Severity

if TYPE_CHECKING:
    from alerts.rules import CheckContext
    from kanta_docs.facts import DossierDocument

# How well a document fits a person: lower is better; None means it does not fit.
# A name put on both sides of a comparison to take that name out of it.
_ANY = "Quidam"
_FIT_SAME, _FIT_BIRTH_DATE, _FIT_FIRST_NAMES, _FIT_LAST_NAME = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class IdentityMatch:
    """An identity document and the declared person it belongs to (None: nobody)."""

    doc: DossierDocument
    holder: PersonRef
    person: PersonRef | None
    fit: int | None  # one of the _FIT_* values

    @property
    def is_same_person(self) -> bool:
        """Whether names and birth dates agree (or nearly, by birth date), not merely fit."""
        return self.fit == _FIT_SAME

    @property
    def differs(self) -> str | None:
        """What differs between the document's holder and the person, in French."""
        return {_FIT_BIRTH_DATE: "la date de naissance ne correspond pas",
                _FIT_FIRST_NAMES: "les prénoms ne correspondent pas",
                _FIT_LAST_NAME: "le nom ne correspond pas"}.get(self.fit or 0)


def persons_needing_identity(ctx: CheckContext) -> list[PersonRef]:
    """Declared owners and legal representatives, each person once."""
    people = [ref_from_declared(p) for p in ctx.declared.beneficial_owners]
    people += [ref_from_declared(o) for o in ctx.declared.officers
               if o.role in LEGAL_REPRESENTATIVES]
    unique: list[PersonRef] = []
    for p in people:
        if not any(compare_persons(p, u).kind is MatchKind.SAME for u in unique):
            unique.append(p)
    return unique


def match_identity_documents(ctx: CheckContext) -> list[IdentityMatch]:
    """Each identity document of the dossier with the person it belongs to."""
    people = persons_needing_identity(ctx)
    matches = []
    for doc in ctx.view.identity_docs:
        identity = doc.facts.identity if doc.facts else None
        holder = ref_from_facts(identity.person) if identity else PersonRef(None, None)
        best: tuple[int, PersonRef] | None = None
        for person in people:
            fit = _fit(person, holder)
            if fit is not None and (best is None or fit < best[0]):
                best = (fit, person)
        matches.append(IdentityMatch(doc, holder, best[1] if best else None,
                                     best[0] if best else None))
    return matches


def _fit(person: PersonRef, holder: PersonRef) -> int | None:
    match = compare_persons(person, holder)
    kind = match.kind
    if kind is MatchKind.SAME or match.near_miss:
        # A near miss has equal birth dates and names one OCR slip apart: the same person.
        return _FIT_SAME
    if kind is MatchKind.NAMESAKE:
        return _FIT_BIRTH_DATE
    dates_known = person.birth_date is not None and holder.birth_date is not None
    if dates_known and person.birth_date != holder.birth_date:
        return None  # other names and another birth date: someone else
    # One name agreeing (and no birth date against it) is enough to say whose document it is.
    # A placeholder on both sides takes the other name out of the comparison.
    last_only = compare_persons(PersonRef(person.last_name, _ANY, person.birth_date),
                                PersonRef(holder.last_name, _ANY, holder.birth_date))
    if last_only.kind is MatchKind.SAME:
        return _FIT_FIRST_NAMES
    if not dates_known:
        return None  # first names alone are too common to claim a document
    first_only = compare_persons(PersonRef(_ANY, person.first_names, person.birth_date),
                                 PersonRef(_ANY, holder.first_names, holder.birth_date))
    return _FIT_LAST_NAME if first_only.kind is MatchKind.SAME else None

def raise_alerts(ctx: CheckContext, matches: list[IdentityMatch]) -> list[Alert]:
    """Missing, expired, expiring, mismatching documents and invalid zones."""
    documented = [o.person for o in documented_owners(ctx)]
    declared_owners = [ref_from_declared(o) for o in ctx.declared.beneficial_owners]
    alerts: list[Alert] = []
    for person in persons_needing_identity(ctx):
        if not any(m.person == person for m in matches):
            alerts.append(Alert(
                type=AlertType.ID_DOCUMENT_MISSING, severity=Severity.MEDIUM,
                subject=subject_of(person),
                evidence=[declared_evidence(display_name(person))],
                message=(f"Aucune pièce d'identité de {display_name(person)} dans le dossier : "
                         "ajoutez une copie d'un document officiel en cours de validité."),
                key=alert_key(AlertType.ID_DOCUMENT_MISSING, person_key(person)),
            ))
    for m in matches:
        confirmed = _declared_birth_date_is_the_odd_one(m, declared_owners, documented)
        alerts.extend(_document_alerts(ctx, m, report_mismatch=not confirmed))
    return alerts


def _declared_birth_date_is_the_odd_one(m: IdentityMatch, declared_owners: list[PersonRef],
                                        documented: list[PersonRef]) -> bool:
    """Whether the document differs from a declared owner only by a birth date that the
    register or the statuts give too: the declaration is wrong, not the document, and
    `be_identity_mismatch` reports that one fact (a second, fraud-worded alert would not)."""
    if m.fit != _FIT_BIRTH_DATE or m.person not in declared_owners:
        return False
    return any(compare_persons(m.holder, d).kind is MatchKind.SAME for d in documented)


def _document_alerts(ctx: CheckContext, m: IdentityMatch, *, report_mismatch: bool
                     ) -> list[Alert]:
    doc, identity = m.doc, (m.doc.facts.identity if m.doc.facts else None)
    subject_ref = m.person or m.holder
    subject = subject_of(subject_ref).model_copy(update={"file": doc.file})
    name = display_name(subject_ref)
    alerts = []
    if m.person is not None and m.differs and report_mismatch:
        alerts.append(Alert(
            type=AlertType.ID_DOCUMENT_MISMATCH, severity=Severity.HIGH, subject=subject,
            evidence=[_holder_evidence(m), declared_evidence(_person_text(m.person))],
            message=(f"La pièce d'identité « {doc.file} » est au nom de "
                     f"{_person_text(m.holder)} : {m.differs} à "
                     f"{_person_text(m.person)}, déclaré(e) dans le dossier. Vérifiez "
                     "l'identité de la personne et l'authenticité du document."),
            key=alert_key(AlertType.ID_DOCUMENT_MISMATCH, doc.result.sha256,
                          person_key(m.person)),
        ))
    expiry = doc.result.effective_expiry_date or doc.result.expiry_date
    if expiry is not None:
        expiry_value = identity.expiry_date if identity else None
        evidence = evidence_from(doc, expiry_value, text=f"expire le {day_fr(expiry)}")
        if expiry < ctx.as_of:
            alerts.append(Alert(
                type=AlertType.ID_DOCUMENT_EXPIRED, severity=Severity.HIGH, subject=subject,
                evidence=[evidence],
                message=(f"La pièce d'identité de {name} (« {doc.file} ») n'est plus valable "
                         f"depuis le {day_fr(expiry)} : demandez un document en cours de "
                         "validité."),
                key=alert_key(AlertType.ID_DOCUMENT_EXPIRED, doc.result.sha256),
            ))
        elif expiry <= ctx.as_of + timedelta(days=ctx.policy.expiring_within_days):
            alerts.append(Alert(
                type=AlertType.ID_DOCUMENT_EXPIRING, severity=Severity.LOW, subject=subject,
                evidence=[evidence],
                message=(f"La pièce d'identité de {name} (« {doc.file} ») expire le "
                         f"{day_fr(expiry)}, dans {(expiry - ctx.as_of).days} jours : prévoyez "
                         "d'en demander une nouvelle copie."),
                key=alert_key(AlertType.ID_DOCUMENT_EXPIRING, doc.result.sha256),
            ))
    if identity is not None and identity.mrz_valid is False:
        zone = " / ".join(identity.mrz_lines)
        alerts.append(Alert(
            type=AlertType.MRZ_INVALID, severity=Severity.HIGH, subject=subject,
            evidence=[Evidence(file=doc.file, page=None, text=zone[:200])],
            message=(f"La bande de lecture automatique de « {doc.file} » ({name}) a une clé de "
                     "contrôle fausse : document abîmé, mal numérisé ou falsifié. Vérifiez "
                     "l'original."),
            key=alert_key(AlertType.MRZ_INVALID, doc.result.sha256),
        ))
    return alerts


def _holder_evidence(m: IdentityMatch) -> Evidence:
    identity = m.doc.facts.identity if m.doc.facts else None
    person = identity.person if identity else None
    values = (person.last_name, person.first_names, person.birth_date) if person else ()
    return evidence_from(m.doc, *values, text=_person_text(m.holder))


def _person_text(p: PersonRef) -> str:
    born = f", né(e) le {day_fr(p.birth_date)}" if p.birth_date else ""
    return display_name(p) + born
