"""`company_mismatch`: SIREN, name or legal form differ between the declaration and a document,
or between documents. One alert per field, whatever the number of documents showing it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from alerts.companies import (
    company_name_key,
    legal_form_family,
    normalise_siren,
    same_company_name,
)
from alerts.evidence import alert_key, declared_evidence, evidence_from
from kanta_docs.assessment import Alert, Evidence
from kanta_docs.vocab import AlertType, Severity

if TYPE_CHECKING:
    from collections.abc import Callable

    from alerts.rules import CheckContext

_LABELS = {"siren": "Le SIREN", "name": "La dénomination", "legal_form": "La forme juridique"}
_SEVERITY = {"siren": Severity.HIGH, "name": Severity.MEDIUM, "legal_form": Severity.MEDIUM}


@dataclass(frozen=True, slots=True)
class _Sighting:
    value: str
    where: str  # "déclaration" or the file name
    evidence: Evidence


def raise_alerts(ctx: CheckContext) -> list[Alert]:
    """One `company_mismatch` per field on which the sources disagree."""
    alerts = []
    for field_name in ("siren", "name", "legal_form"):
        sightings = _sightings(ctx, field_name)
        groups = _group(sightings, _agree[field_name])
        if len(groups) < 2 and field_name == "legal_form":
            groups = _declared_form_apart(sightings)
        if len(groups) < 2:
            continue
        listing = " ; ".join(
            f"« {g[0].value} » ({', '.join(s.where for s in g)})" for g in groups)
        alerts.append(Alert(
            type=AlertType.COMPANY_MISMATCH, severity=_SEVERITY[field_name],
            evidence=[s.evidence for g in groups for s in g],
            message=f"{_LABELS[field_name]} de la société n'est pas la même partout : {listing}. "
                    "Vérifiez la déclaration et les documents.",
            key=alert_key(AlertType.COMPANY_MISMATCH, field_name),
        ))
    return alerts


def _sightings(ctx: CheckContext, field_name: str) -> list[_Sighting]:
    declared_value = getattr(ctx.declared.client, field_name)
    out = []
    if declared_value:
        out.append(_Sighting(str(declared_value), "déclaration",
                             declared_evidence(f"{field_name}: {declared_value}")))
    for doc in ctx.view.client_docs:
        company = doc.result.company
        value = getattr(company, field_name) if company else None
        if not value or (field_name == "name" and not any(c.isalpha() for c in value)):
            continue  # a "name" without a letter is a misread date or number, not a name
        facts_company = doc.facts.company if doc.facts else None
        provenance = getattr(facts_company, field_name) if facts_company else None
        out.append(_Sighting(str(value), doc.file, evidence_from(doc, provenance, text=value)))
    return out


def _group(sightings: list[_Sighting],
           agree: Callable[[str, str], bool]) -> list[list[_Sighting]]:
    groups: list[list[_Sighting]] = []
    for s in sightings:
        for group in groups:
            if agree(group[0].value, s.value):
                group.append(s)
                break
        else:
            groups.append([s])
    return groups


def _declared_form_apart(sightings: list[_Sighting]) -> list[list[_Sighting]]:
    """SARL declared for what every document calls an EURL (or SAS for an SASU): the forms are
    one family, and documents mixing them are no discrepancy, but a declaration that differs
    from documents unanimous among themselves is."""
    declared = [s for s in sightings if s.where == "déclaration"]
    documents = [s for s in sightings if s.where != "déclaration"]
    forms = {s.value.strip().upper() for s in documents}
    if not declared or len(forms) != 1 or declared[0].value.strip().upper() in forms:
        return [sightings]
    return [declared, documents]


_agree: dict[str, Callable[[str, str], bool]] = {
    "siren": lambda a, b: (normalise_siren(a) or a) == (normalise_siren(b) or b),
    "name": lambda a, b: same_company_name(a, b) or company_name_key(a) == company_name_key(b),
    "legal_form": lambda a, b: legal_form_family(a) == legal_form_family(b),
}
