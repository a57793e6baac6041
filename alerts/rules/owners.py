"""Beneficial-owner alerts: the register extract and the statuts against the declaration.

The documented owners are the persons the newest RBE extract names, plus the natural persons
the statuts (through any holding whose statuts are in the dossier) put over the threshold in
force. Declared and documented owners are paired one to one (alerts.persons.pair_persons);
then:

- a documented owner nobody declared -> `be_not_declared`;
- a declared owner the register does not name -> `be_not_in_register` (only with an RBE extract);
- a pair whose percentages differ by more than the tolerance -> `be_share_mismatch`;
- a pair whose birth dates or nationalities differ -> `be_identity_mismatch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from alerts.evidence import alert_key, declared_evidence, evidence_from
from alerts.people import display_name, ref_from_declared, ref_from_facts, subject_of
from alerts.persons import MatchKind, compare_persons, pair_persons, person_key
from alerts.wording import day_fr, pct_fr
from kanta_docs.assessment import Alert, Evidence
from kanta_docs.facts import value_of
from kanta_docs.vocab import AlertType, DocType, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from alerts.ownership import PersonHolding
    from alerts.persons import PersonRef
    from alerts.rules import CheckContext
    from alerts.rules.identity import IdentityMatch
    from kanta_docs.declared import DeclaredOwner
    from kanta_docs.facts import DossierDocument, OwnerFacts

# Legal forms whose statuts are amended when shares change hands (DOMAIN.md §4.3); in an SAS
# the statuts show the initial contributions only, so a gap with them is a question, not proof.
_STATUTS_CURRENT_FORMS = frozenset({"SARL", "EURL", "SCI", "SNC", "SC", "SELARL", "SCM", "SCP"})


@dataclass(frozen=True, slots=True)
class DocumentedOwner:
    """A beneficial owner according to the documents, with what each source says."""

    person: PersonRef
    register: OwnerFacts | None = None  # the RBE extract's entry
    register_doc: DossierDocument | None = None
    holding: PersonHolding | None = None  # the statuts' chart, when over the threshold

    @property
    def capital_pct(self) -> float | None:
        """The register's percentage, else the statuts' multiplied one."""
        if self.register is not None and self.register.capital_pct is not None:
            return self.register.capital_pct.value
        return self.holding.multiplied_pct if self.holding is not None else None

    @property
    def voting_pct(self) -> float | None:
        """Only the register gives voting rights."""
        return value_of(self.register.voting_pct) if self.register is not None else None

    def evidence(self) -> list[Evidence]:
        """Where the documents show this owner."""
        out = []
        if self.register is not None and self.register_doc is not None:
            p = self.register.person
            out.append(evidence_from(self.register_doc, p.last_name, p.first_names,
                                     text=display_name(self.person)))
        if self.holding is not None:
            out.extend(self.holding.evidence)
        return out


def documented_owners(ctx: CheckContext) -> list[DocumentedOwner]:
    """The register's owners, then the statuts' holders over the threshold not already named."""
    owners: list[DocumentedOwner] = []
    rbe = ctx.view.newest(DocType.RBE)
    if rbe is not None and rbe.facts is not None:
        owners = [DocumentedOwner(ref_from_facts(o.person), o, rbe)
                  for o in rbe.facts.beneficial_owners]
    threshold = ctx.policy.threshold_on(ctx.as_of)
    for holding in ctx.chart.holdings:
        if not threshold.is_met(holding.multiplied_pct):
            continue
        for i, owner in enumerate(owners):
            match = compare_persons(owner.person, holding.person)
            if match.kind is not MatchKind.NONE or match.near_miss:
                owners[i] = DocumentedOwner(owner.person, owner.register, owner.register_doc,
                                            holding)
                break
        else:
            owners.append(DocumentedOwner(holding.person, holding=holding))
    return owners


def raise_alerts(ctx: CheckContext, identities: Sequence[IdentityMatch]) -> list[Alert]:
    """The four beneficial-owner alerts."""
    documented = documented_owners(ctx)
    declared = ctx.declared.beneficial_owners
    has_register = ctx.view.newest(DocType.RBE) is not None
    pairs = pair_persons([ref_from_declared(d) for d in declared], [o.person for o in documented])
    alerts: list[Alert] = []
    for i, j, match in pairs:
        if i is None and j is not None:
            alerts.append(_not_declared(ctx, documented[j]))
        elif i is not None and j is None:
            if has_register:
                alerts.append(_not_in_register(declared[i]))
        elif i is not None and j is not None:
            owner = documented[j]
            if owner.register is None and has_register:
                alerts.append(_not_in_register(declared[i], owner))
            alerts.extend(_compare(ctx, declared[i], owner, identities,
                                   namesake=match is not None and match.kind is MatchKind.NAMESAKE))
    return alerts


def _register_date_misread(declared: DeclaredOwner, owner: DocumentedOwner,
                           identities: Sequence[IdentityMatch]) -> bool:
    """Whether the register's birth date is one digit off the declared one on a scan, while
    the statuts or an identity document give the declared date: an OCR slip in the scan
    (« 16/04/1968 » read for 18/04), not a register to correct."""
    said, doc = declared.birth_date, owner.register_doc
    if said is None or owner.register is None or doc is None or not doc.result.ocr_used:
        return False
    shown = value_of(owner.register.person.birth_date)
    if shown is None or not _one_digit_apart(said.strftime("%Y%m%d"), shown.strftime("%Y%m%d")):
        return False
    if owner.holding is not None and owner.holding.person.birth_date == said:
        return True
    ref = ref_from_declared(declared)
    return any(m.person == ref and m.is_same_person for m in identities)


def _one_digit_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _not_declared(ctx: CheckContext, owner: DocumentedOwner) -> Alert:
    name = display_name(owner.person)
    threshold = ctx.policy.threshold_on(ctx.as_of)
    if owner.register is not None:
        pct = owner.capital_pct
        held = (f"détient {pct_fr(pct)} du capital" if pct is not None
                else "est bénéficiaire effectif")
        message = (f"{name} {held} selon l'extrait RBE mais n'est pas déclaré(e) comme "
                   "bénéficiaire effectif.")
        severity = Severity.HIGH
    else:
        assert owner.holding is not None
        path = max(owner.holding.paths, key=lambda p: p.multiplied_pct)
        route = "directement" if len(path.links) == 1 else f"via {path.describe()}"
        message = (f"{name} détient {pct_fr(owner.holding.multiplied_pct)} du capital selon les "
                   f"statuts ({route}), soit {threshold.describe()}, mais n'est ni déclaré(e) "
                   "ni inscrit(e) au registre des bénéficiaires effectifs.")
        form = (ctx.declared.client.legal_form or "").upper()
        severity = Severity.HIGH if form in _STATUTS_CURRENT_FORMS else Severity.MEDIUM
        if severity is Severity.MEDIUM:
            message += (" Les statuts d'une SAS ne montrent que les apports initiaux : "
                        "vérifiez le registre des mouvements de titres.")
    return Alert(type=AlertType.BE_NOT_DECLARED, severity=severity,
                 subject=subject_of(owner.person), evidence=owner.evidence(), message=message,
                 key=alert_key(AlertType.BE_NOT_DECLARED, person_key(owner.person)))


def _not_in_register(declared: DeclaredOwner, owner: DocumentedOwner | None = None) -> Alert:
    ref = ref_from_declared(declared)
    evidence = [declared_evidence(_declared_text(declared))]
    if owner is not None:
        evidence.extend(owner.evidence())
    return Alert(
        type=AlertType.BE_NOT_IN_REGISTER, severity=Severity.HIGH, subject=subject_of(ref),
        evidence=evidence,
        message=(f"{display_name(ref)} est déclaré(e) comme bénéficiaire effectif mais "
                 "n'apparaît pas dans l'extrait RBE : une divergence à signaler au greffe "
                 "(art. L.561-47-1 CMF) si la déclaration est exacte."),
        key=alert_key(AlertType.BE_NOT_IN_REGISTER, person_key(ref)),
    )


def _compare(ctx: CheckContext, declared: DeclaredOwner, owner: DocumentedOwner,
             identities: Sequence[IdentityMatch], *, namesake: bool) -> list[Alert]:
    ref = ref_from_declared(declared)
    alerts = []
    gaps = []
    tolerance = ctx.policy.share_tolerance_pts
    for label, said, shown in (("du capital", declared.capital_pct, owner.capital_pct),
                               ("des droits de vote", declared.voting_pct, owner.voting_pct)):
        if said is not None and shown is not None and abs(said - shown) > tolerance + 1e-9:
            gaps.append(f"{pct_fr(said)} {label} déclarés contre {pct_fr(shown)} selon "
                        f"{'l’extrait RBE' if owner.register is not None else 'les statuts'}")
    if gaps:
        alerts.append(Alert(
            type=AlertType.BE_SHARE_MISMATCH, severity=Severity.MEDIUM, subject=subject_of(ref),
            evidence=[declared_evidence(_declared_text(declared)), *owner.evidence()],
            message=f"{display_name(ref)} : {' ; '.join(gaps)}.",
            key=alert_key(AlertType.BE_SHARE_MISMATCH, person_key(ref)),
        ))
    differences = []
    shown_birth = owner.person.birth_date
    differs = namesake or (declared.birth_date and shown_birth
                           and declared.birth_date != shown_birth)
    if differs and not _register_date_misread(declared, owner, identities):
        differences.append(f"date de naissance {day_fr(declared.birth_date)} déclarée contre "
                           f"{day_fr(shown_birth)} selon les documents")
    shown_nat = _nationality(owner)
    if declared.nationality and shown_nat and declared.nationality.upper() != shown_nat:
        differences.append(f"nationalité {declared.nationality.upper()} déclarée contre "
                           f"{shown_nat} selon l'extrait RBE")
    if differences:
        alerts.append(Alert(
            type=AlertType.BE_IDENTITY_MISMATCH, severity=Severity.MEDIUM,
            subject=subject_of(ref),
            evidence=[declared_evidence(_declared_text(declared)), *owner.evidence()],
            message=f"{display_name(ref)} : {' ; '.join(differences)}.",
            key=alert_key(AlertType.BE_IDENTITY_MISMATCH, person_key(ref)),
        ))
    return alerts


def _nationality(owner: DocumentedOwner) -> str | None:
    if owner.register is None:
        return None
    nat = value_of(owner.register.person.nationality)
    return nat.upper() if nat else None


def _declared_text(d: DeclaredOwner) -> str:
    parts = [f"{d.first_names or ''} {d.last_name}".strip()]
    if d.birth_date:
        parts.append(f"né(e) le {d.birth_date:%d/%m/%Y}")
    if d.capital_pct is not None:
        parts.append(f"{pct_fr(d.capital_pct)} du capital")
    return ", ".join(parts)

