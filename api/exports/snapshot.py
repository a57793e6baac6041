"""Everything an export of one dossier needs, read once from the store as plain data.

The snapshot holds no SQLAlchemy object: it is built inside the request's transaction and the
builders (JSON, CSV, PDF) run on it afterwards, possibly in another thread, without touching the
session. JSON columns are deep-copied so later changes to the rows cannot leak into an export.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from kanta_docs.store.tables import AlertStatus
from kanta_docs.vocab import Severity

if TYPE_CHECKING:
    from kanta_docs.store.repositories import FirmScope
    from kanta_docs.store.tables import Alert, AlertEvent, Document, RiskAssessmentRow


@dataclass(frozen=True, slots=True)
class DossierInfo:
    """The dossier itself."""

    id: uuid.UUID
    siren: str | None
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeclaredSnapshot:
    """The newest version of what the firm declared (`kanta_docs.declared.Declared` as JSON)."""

    data: dict[str, Any]
    version: int
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class DocumentSnapshot:
    """One file of the dossier; `result` is the contract's extract object (None if unread)."""

    id: uuid.UUID
    file_name: str
    doc_type: str | None
    state: str
    document_date: date | None
    expiry_date: date | None
    effective_expiry_date: date | None
    failure_reason: str | None
    result: dict[str, Any] | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AlertEventSnapshot:
    """One step of an alert's history."""

    at: datetime
    actor: str
    from_status: str | None
    to_status: str
    note: str


@dataclass(frozen=True, slots=True)
class AlertSnapshot:
    """An alert of the dossier with its treatment and its history (oldest event first)."""

    id: uuid.UUID
    type: str
    severity: str
    status: str
    message: str
    subject: dict[str, Any] | None
    evidence: tuple[dict[str, Any], ...]
    assignee: str | None  # display name of the user, when assigned
    due_date: date | None
    outcome: str | None
    resolution_note: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    auto_resolved_reason: str | None
    created_at: datetime
    events: tuple[AlertEventSnapshot, ...]


@dataclass(frozen=True, slots=True)
class RiskSnapshot:
    """One risk assessment; `override` is {"level", "by", "reason"} when a person set it."""

    level: str
    vigilance: str
    score: int
    factors: tuple[dict[str, Any], ...]
    computed_at: datetime
    override: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class DossierSnapshot:
    """One dossier of one firm, as the exports show it.

    Alerts come open first, then by severity (high first), age and id; documents oldest first;
    the risk history oldest first (its last entry is `risk`).
    """

    firm_name: str
    dossier: DossierInfo
    declared: DeclaredSnapshot | None
    documents: tuple[DocumentSnapshot, ...]
    alerts: tuple[AlertSnapshot, ...]
    risk: RiskSnapshot | None
    risk_history: tuple[RiskSnapshot, ...]
    generated_at: datetime
    generated_by: str


_SEVERITY_RANK = {Severity.HIGH.value: 0, Severity.MEDIUM.value: 1, Severity.LOW.value: 2}
_OPEN = frozenset({AlertStatus.OPEN.value, AlertStatus.ACKNOWLEDGED.value})


def snapshot_from_store(scope: FirmScope, dossier_id: uuid.UUID, *, generated_by: str,
                        now: datetime) -> DossierSnapshot | None:
    """Read a dossier of the scope's firm and everything its exports show.

    Args:
        scope: the requesting firm's scope; every read is filtered by its firm.
        dossier_id: the dossier to export.
        generated_by: who asks for the export (shown in the report, e.g. the user's name).
        now: when the export is made, timezone-aware; also the day document validity is
            judged on.

    Returns:
        The snapshot, or None when the dossier does not exist in this firm (answer 404).

    Raises:
        ValueError: `now` is naive.
    """
    if now.tzinfo is None:
        raise ValueError("naive datetime given as `now`; pass a timezone-aware one")
    dossier = scope.get_dossier(dossier_id)
    if dossier is None:
        return None
    firm = scope.firm()
    declared_row = scope.latest_declared(dossier_id)
    declared = None if declared_row is None else DeclaredSnapshot(
        data=copy.deepcopy(declared_row.data), version=declared_row.version,
        changed_by=declared_row.changed_by, changed_at=declared_row.changed_at)
    users: dict[uuid.UUID, str | None] = {}
    alerts = [_alert(a, scope.alert_history(a.id), _user_name(scope, a.assignee_id, users))
              for a in scope.alerts_of_dossier(dossier_id).values()]
    alerts.sort(key=lambda a: (a.status not in _OPEN, _SEVERITY_RANK.get(a.severity, 3),
                               a.created_at, str(a.id)))
    latest = scope.latest_risk(dossier_id)
    return DossierSnapshot(
        firm_name=firm.name if firm is not None else "",
        dossier=DossierInfo(id=dossier.id, siren=dossier.siren, name=dossier.name,
                            created_at=dossier.created_at),
        declared=declared,
        documents=tuple(_document(d) for d in scope.documents_of_dossier(dossier_id)),
        alerts=tuple(alerts),
        risk=None if latest is None else _risk(latest),
        risk_history=tuple(_risk(r) for r in scope.risk_history(dossier_id)),
        generated_at=now,
        generated_by=generated_by,
    )


def _value(v: Enum | str | None) -> str | None:
    # Enum columns come back as enum members; the snapshot keeps their plain values.
    if v is None:
        return None
    return str(v.value) if isinstance(v, Enum) else v


def _user_name(scope: FirmScope, user_id: uuid.UUID | None,
               cache: dict[uuid.UUID, str | None]) -> str | None:
    if user_id is None:
        return None
    if user_id not in cache:
        user = scope.get_user(user_id)
        cache[user_id] = None if user is None else (user.display_name or user.email)
    return cache[user_id]


def _document(d: Document) -> DocumentSnapshot:
    return DocumentSnapshot(
        id=d.id, file_name=d.file_name, doc_type=d.doc_type, state=_value(d.state) or "",
        document_date=d.document_date, expiry_date=d.expiry_date,
        effective_expiry_date=d.effective_expiry_date, failure_reason=d.failure_reason,
        result=copy.deepcopy(d.result), created_at=d.created_at)


def _alert(a: Alert, events: list[AlertEvent], assignee: str | None) -> AlertSnapshot:
    return AlertSnapshot(
        id=a.id, type=a.type, severity=a.severity, status=_value(a.status) or "",
        message=a.message, subject=copy.deepcopy(a.subject),
        evidence=tuple(copy.deepcopy(e) for e in a.evidence or []), assignee=assignee,
        due_date=a.due_date, outcome=_value(a.outcome), resolution_note=a.resolution_note,
        resolved_by=a.resolved_by, resolved_at=a.resolved_at,
        auto_resolved_reason=a.auto_resolved_reason, created_at=a.created_at,
        events=tuple(AlertEventSnapshot(at=e.at, actor=e.actor, from_status=e.from_status,
                                        to_status=e.to_status, note=e.note or "")
                     for e in events))


def _risk(r: RiskAssessmentRow) -> RiskSnapshot:
    return RiskSnapshot(level=r.level, vigilance=r.vigilance, score=r.score,
                        factors=tuple(copy.deepcopy(f) for f in r.factors or []),
                        computed_at=r.computed_at, override=copy.deepcopy(r.override))
