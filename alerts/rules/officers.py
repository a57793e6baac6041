"""`officer_mismatch`: the legal representatives declared against the newest register extract.

Only legal representatives are compared (président, directeur général and délégué, gérant):
the register lists auditors and directors too, which firms rarely declare. A declared officer
without a birth date takes the one of the identity document that is theirs, so that a register
reading one OCR slip away from the declared name still pairs by birth date (a near miss) instead
of raising two alerts about one person.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from alerts.evidence import alert_key, declared_evidence, evidence_from
from alerts.people import display_name, ref_from_declared, ref_from_facts, subject_of
from alerts.persons import MatchKind, PersonRef, compare_persons, pair_persons, person_key
from kanta_docs.assessment import Alert
from kanta_docs.vocab import AlertType, DocType, OfficerRole, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from alerts.rules import CheckContext
    from alerts.rules.identity import IdentityMatch

LEGAL_REPRESENTATIVES = frozenset({
    OfficerRole.PRESIDENT, OfficerRole.DIRECTEUR_GENERAL,
    OfficerRole.DIRECTEUR_GENERAL_DELEGUE, OfficerRole.GERANT,
})
ROLE_FR = {
    OfficerRole.PRESIDENT: "président(e)",
    OfficerRole.DIRECTEUR_GENERAL: "directeur(rice) général(e)",
    OfficerRole.DIRECTEUR_GENERAL_DELEGUE: "directeur(rice) général(e) délégué(e)",
    OfficerRole.GERANT: "gérant(e)",
    OfficerRole.ADMINISTRATEUR: "administrateur(rice)",
    OfficerRole.COMMISSAIRE_AUX_COMPTES: "commissaire aux comptes",
    OfficerRole.OTHER: "dirigeant(e)",
}


def raise_alerts(ctx: CheckContext, identities: Sequence[IdentityMatch] = ()) -> list[Alert]:
    """One alert per legal representative present on one side only; `identities` are the
    dossier's identity documents with the declared persons they belong to."""
    kbis = ctx.view.newest(DocType.KBIS)
    if kbis is None or kbis.facts is None:
        return []
    registered = [o for o in kbis.facts.officers if o.role in LEGAL_REPRESENTATIVES]
    declared = [o for o in ctx.declared.officers if o.role in LEGAL_REPRESENTATIVES]
    pairs = pair_persons(
        [_comparable(_with_documented_birth(ref_from_declared(d), identities)) for d in declared],
        [_comparable(ref_from_facts(o.person)) for o in registered])
    alerts = []
    for i, j, _ in pairs:
        if i is not None and j is None:
            officer = declared[i]
            ref = ref_from_declared(officer)
            alerts.append(Alert(
                type=AlertType.OFFICER_MISMATCH, severity=Severity.MEDIUM,
                subject=subject_of(ref),
                evidence=[declared_evidence(f"{display_name(ref)}, {officer.role.value}")],
                message=(f"{display_name(ref)} est déclaré(e) {ROLE_FR[officer.role]} mais "
                         f"n'apparaît pas parmi les représentants légaux de l'extrait Kbis "
                         f"« {kbis.file} »."),
                key=alert_key(AlertType.OFFICER_MISMATCH, "declared", person_key(ref)),
            ))
        elif j is not None and i is None:
            found = registered[j]
            ref = ref_from_facts(found.person)
            alerts.append(Alert(
                type=AlertType.OFFICER_MISMATCH, severity=Severity.MEDIUM,
                subject=subject_of(ref),
                evidence=[evidence_from(kbis, found.person.last_name, found.person.first_names,
                                        text=display_name(ref))],
                message=(f"L'extrait Kbis « {kbis.file} » nomme {display_name(ref)} "
                         f"{ROLE_FR[found.role]}, qui n'est pas déclaré(e) comme représentant "
                         "légal."),
                key=alert_key(AlertType.OFFICER_MISMATCH, "registered", person_key(ref)),
            ))
    return alerts


def _comparable(ref: PersonRef) -> PersonRef:
    """A legal-person officer (a company as président) has a name and no first names: give
    both sides the same placeholder so the names alone decide."""
    return ref if ref.first_names else PersonRef(ref.last_name, "Quidam", ref.birth_date)


def _with_documented_birth(ref: PersonRef, identities: Sequence[IdentityMatch]) -> PersonRef:
    """The declared person with the birth date of the identity document that is surely theirs,
    when the declaration gives none."""
    if ref.birth_date is not None:
        return ref
    for m in identities:
        if (m.person is not None and m.is_same_person and m.holder.birth_date is not None
                and compare_persons(m.person, ref).kind is MatchKind.SAME):
            return replace(ref, birth_date=m.holder.birth_date)
    return ref
