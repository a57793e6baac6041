"""The cross-check of one dossier: documents + declaration + day -> alerts, identity
assignments, the ownership chart and the risk assessment. Pure: no I/O, so the CLI and the
service run exactly this."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from alerts.dossier_view import view_dossier
from alerts.ownership import chart_ownership
from alerts.people import subject_of
from alerts.policy import CheckPolicy
from alerts.risk import RiskInput, RiskPerson, RiskReference, assess_risk, load_reference
from alerts.rules import CheckContext, company, identity, officers, owners
from alerts.rules import documents as document_rules
from kanta_docs.assessment import (
    Alert,
    IdentityAssignment,
    OwnershipLine,
    RiskAssessment,
)
from kanta_docs.vocab import AlertType, DocType, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from alerts.ownership import OwnershipChart
    from kanta_docs.declared import Declared
    from kanta_docs.facts import DossierDocument

_SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
_TYPE_ORDER = {t: i for i, t in enumerate(AlertType)}


@dataclass(frozen=True, slots=True)
class DossierCheck:
    """Everything the cross-check concluded about one dossier."""

    alerts: tuple[Alert, ...]
    risk: RiskAssessment
    identity_documents: tuple[IdentityAssignment, ...]
    ownership: tuple[OwnershipLine, ...]
    context: CheckContext


def check_dossier(documents: Sequence[DossierDocument], declared: Declared, as_of: date,
                  policy: CheckPolicy | None = None,
                  reference: RiskReference | None = None) -> DossierCheck:
    """Cross-check a dossier's documents with what the firm declared, as of `as_of`."""
    policy = policy or CheckPolicy()
    view = view_dossier(documents, declared.client)
    chart = chart_ownership(view.newest(DocType.STATUTS), view.holding_docs)
    ctx = CheckContext(view, declared, as_of, policy, chart)
    matches = identity.match_identity_documents(ctx)
    raised = [*owners.raise_alerts(ctx, matches), *company.raise_alerts(ctx),
              *officers.raise_alerts(ctx, matches), *identity.raise_alerts(ctx, matches),
              *document_rules.raise_alerts(ctx)]
    alerts = _one_per_fact(raised)
    risk = assess_risk(_risk_input(ctx, alerts, chart), reference or _packaged_reference())
    assignments = tuple(
        IdentityAssignment(file=m.doc.file, holder=subject_of(m.holder),
                           person=subject_of(m.person) if m.person else None)
        for m in matches)
    return DossierCheck(alerts, risk, assignments, _ownership_lines(ctx, chart), ctx)


@cache
def _packaged_reference() -> RiskReference:
    """The packaged reference data, read once per process."""
    return load_reference()


def _one_per_fact(alerts: Sequence[Alert]) -> tuple[Alert, ...]:
    """Alerts with equal keys merged (their evidence pooled), most severe first."""
    by_key: dict[str, Alert] = {}
    for alert in alerts:
        known = by_key.get(alert.key)
        if known is None:
            by_key[alert.key] = alert
        else:
            extra = [e for e in alert.evidence if e not in known.evidence]
            by_key[alert.key] = known.model_copy(update={"evidence": [*known.evidence, *extra]})
    return tuple(sorted(by_key.values(), key=lambda a: (
        _SEVERITY_ORDER[a.severity], _TYPE_ORDER[a.type],
        (a.subject.last_name or a.subject.file or "") if a.subject else "")))


def _risk_input(ctx: CheckContext, alerts: Sequence[Alert], chart: OwnershipChart) -> RiskInput:
    persons = [RiskPerson(role="beneficial_owner", last_name=o.last_name,
                          first_names=o.first_names, nationality=o.nationality,
                          country_of_residence=o.country_of_residence, pep=o.pep)
               for o in ctx.declared.beneficial_owners]
    persons += [RiskPerson(role="legal_representative"
                           if o.role in officers.LEGAL_REPRESENTATIVES else "officer",
                           last_name=o.last_name, first_names=o.first_names,
                           nationality=o.nationality,
                           country_of_residence=o.country_of_residence, pep=o.pep)
                for o in ctx.declared.officers]
    documented = owners.documented_owners(ctx)
    return RiskInput(
        client=ctx.declared.client, persons=tuple(persons), alerts=tuple(alerts),
        legal_person_shareholders=chart.legal_person_shareholders,
        ownership_layers=chart.layers,
        owners_identified=bool(documented or ctx.declared.beneficial_owners),
        as_of=ctx.as_of,
    )


def _ownership_lines(ctx: CheckContext, chart: OwnershipChart) -> tuple[OwnershipLine, ...]:
    threshold = ctx.policy.threshold_on(ctx.as_of)
    return tuple(
        OwnershipLine(person=subject_of(h.person), capital_pct=round(h.multiplied_pct, 4),
                      capital_pct_if_controlled=round(h.control_pct, 4),
                      over_threshold=threshold.is_met(h.multiplied_pct),
                      paths=[p.describe() for p in h.paths])
        for h in sorted(chart.holdings, key=lambda h: -h.multiplied_pct))
