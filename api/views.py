"""Store rows as the API's JSON: one function per resource, so every route shows a resource
the same way."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from msgspec import Struct

from kanta_docs.store.tables import Alert, AlertEvent, Document, Dossier, RiskAssessmentRow


class DossierView(Struct):
    """A client dossier as listed."""

    id: uuid.UUID
    siren: str | None
    name: str
    risk_level: str | None
    vigilance: str | None
    open_alerts: int
    next_expiry: date | None
    assignee_ids: list[uuid.UUID]
    lead_collaborator_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class DocumentView(Struct):
    """A document and where it is in the pipeline."""

    id: uuid.UUID
    dossier_id: uuid.UUID
    file_name: str
    size: int
    content_type: str
    sha256: str
    state: str
    stage: str | None
    failure_reason: str | None
    doc_type: str | None
    document_date: date | None
    expiry_date: date | None
    effective_expiry_date: date | None
    created_at: datetime


class AlertEventView(Struct):
    """One step of an alert's history."""

    at: datetime
    actor: str
    from_status: str | None
    to_status: str
    note: str


class AlertView(Struct):
    """An alert with its lifecycle."""

    id: uuid.UUID
    dossier_id: uuid.UUID
    key: str
    type: str
    severity: str
    status: str
    message: str
    subject: dict[str, Any] | None
    evidence: list[dict[str, Any]]
    assignee_id: uuid.UUID | None
    due_date: date | None
    snoozed_until: date | None
    outcome: str | None
    resolution_note: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    auto_resolved_reason: str | None
    created_at: datetime
    updated_at: datetime
    history: list[AlertEventView] | None = None


class RiskView(Struct):
    """One risk assessment: level, vigilance, score and every factor with its reason."""

    level: str
    vigilance: str
    score: int
    factors: list[dict[str, Any]]
    computed_at: datetime
    override: dict[str, Any] | None


def dossier_view(d: Dossier, *, risk: RiskAssessmentRow | None, open_alerts: int,
                 next_expiry: date | None, assignee_ids: list[uuid.UUID]) -> DossierView:
    """A dossier with its summary figures."""
    return DossierView(
        id=d.id, siren=d.siren, name=d.name,
        risk_level=risk.level if risk else None, vigilance=risk.vigilance if risk else None,
        open_alerts=open_alerts, next_expiry=next_expiry, assignee_ids=assignee_ids,
        lead_collaborator_id=d.collaborator_id, created_at=d.created_at, updated_at=d.updated_at)


def document_view(d: Document) -> DocumentView:
    """A document's state and dates."""
    return DocumentView(
        id=d.id, dossier_id=d.dossier_id, file_name=d.file_name, size=d.size,
        content_type=d.content_type, sha256=d.sha256, state=str(d.state), stage=d.stage,
        failure_reason=d.failure_reason, doc_type=d.doc_type, document_date=d.document_date,
        expiry_date=d.expiry_date, effective_expiry_date=d.effective_expiry_date,
        created_at=d.created_at)


def alert_view(a: Alert, history: list[AlertEvent] | None = None) -> AlertView:
    """An alert, with its history when given."""
    return AlertView(
        id=a.id, dossier_id=a.dossier_id, key=a.key, type=a.type, severity=a.severity,
        status=str(a.status), message=a.message, subject=a.subject, evidence=a.evidence,
        assignee_id=a.assignee_id, due_date=a.due_date, snoozed_until=a.snoozed_until,
        outcome=str(a.outcome) if a.outcome else None, resolution_note=a.resolution_note,
        resolved_by=a.resolved_by, resolved_at=a.resolved_at,
        auto_resolved_reason=a.auto_resolved_reason, created_at=a.created_at,
        updated_at=a.updated_at,
        history=None if history is None else [
            AlertEventView(e.at, e.actor, e.from_status, e.to_status, e.note) for e in history])


def risk_view(r: RiskAssessmentRow) -> RiskView:
    """A stored risk assessment."""
    return RiskView(level=r.level, vigilance=r.vigilance, score=r.score, factors=r.factors,
                    computed_at=r.computed_at, override=r.override)
