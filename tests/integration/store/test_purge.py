"""The retention purge of firms whose contract ended (repo.all_firms_purge_ended, through the
`purge_ended_firms` task), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kanta_docs.assessment import RiskAssessment
from kanta_docs.blobs import BlobStore
from kanta_docs.config import Settings
from kanta_docs.declared import Declared
from kanta_docs.store.db import session_factory
from kanta_docs.store.repositories import FirmScope, NewDocument, all_firms_purge_ended
from kanta_docs.store.tables import (
    Alert,
    AlertEvent,
    ApiKey,
    AuditEvent,
    AuthSession,
    DeclaredVersion,
    Document,
    Dossier,
    DossierAssignment,
    Firm,
    OutboxEvent,
    RecoveryCode,
    RiskAssessmentRow,
    User,
    UserRole,
)
from kanta_docs.tasks import Runtime, purge_ended_firms
from kanta_docs.vocab import RiskLevel, Vigilance

from .helpers import NOW, firm_with_dossier, raised

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

END = date(2026, 9, 30)


def _runtime(engine: Engine, tmp_path: Path) -> Runtime:
    settings = Settings(home=tmp_path, purge_after_days=30)
    return Runtime(settings, session_factory(engine), BlobStore(tmp_path / "blobs"),
                   read_ctx=None, queue=None)  # type: ignore[arg-type]  # unused by the purge


def _populate(s: Session, blobs: BlobStore, name: str, siren: str,
              shared: bytes) -> tuple[FirmScope, dict[str, Any]]:
    scope, dossier = firm_with_dossier(s, name, siren)
    user = scope.add_user(f"admin@{siren}.example", "Admin", UserRole.COLLABORATOR)
    s.add(AuthSession(user_id=user.id, token_hash=uuid.uuid4().hex * 2, created_at=NOW,
                      expires_at=NOW + timedelta(days=1)))
    s.add(RecoveryCode(user_id=user.id, code_hash="x"))
    s.add(ApiKey(firm_id=scope.firm_id, name="k", prefix=f"p{siren}", secret_hash="0" * 64,
                 scopes=["read"], created_by="admin", created_at=NOW))
    scope.set_assignees(dossier.id, [user.id], "admin", now=NOW)
    scope.add_declared_version(dossier.id, Declared(), "admin", now=NOW)
    own = blobs.put(f"own file of {name}".encode())
    common = blobs.put(shared)
    for i, sha in enumerate((own, common)):
        scope.add_document(NewDocument(dossier.id, sha, f"f{i}.pdf", 10, "application/pdf"),
                           now=NOW)
    scope.record_alert(dossier.id, raised(), now=NOW)
    scope.add_risk(dossier.id, RiskAssessment(level=RiskLevel.LOW,
                                              vigilance=Vigilance.STANDARD, score=1), now=NOW)
    scope.add_outbox("t", {"x": 1}, now=NOW)
    scope.append_audit("admin", "dossier.create", "dossier", str(dossier.id), now=NOW)
    s.flush()
    return scope, {"dossier": dossier.id, "user": user.id, "own": own, "common": common}


def _count(s: Session, model: Any, *where: Any) -> int:
    return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _rows_of(s: Session, firm_id: uuid.UUID, dossier_id: uuid.UUID,
             user_id: uuid.UUID) -> dict[str, int]:
    return {
        "firm": _count(s, Firm, Firm.id == firm_id),
        "users": _count(s, User, User.firm_id == firm_id),
        "sessions": _count(s, AuthSession, AuthSession.user_id == user_id),
        "codes": _count(s, RecoveryCode, RecoveryCode.user_id == user_id),
        "keys": _count(s, ApiKey, ApiKey.firm_id == firm_id),
        "dossiers": _count(s, Dossier, Dossier.firm_id == firm_id),
        "assignments": _count(s, DossierAssignment, DossierAssignment.dossier_id == dossier_id),
        "declared": _count(s, DeclaredVersion, DeclaredVersion.dossier_id == dossier_id),
        "documents": _count(s, Document, Document.firm_id == firm_id),
        "alerts": _count(s, Alert, Alert.firm_id == firm_id),
        "alert_events": _count(s, AlertEvent, AlertEvent.alert_id.in_(
            select(Alert.id).where(Alert.dossier_id == dossier_id))),
        "risk": _count(s, RiskAssessmentRow, RiskAssessmentRow.dossier_id == dossier_id),
        "outbox": _count(s, OutboxEvent, OutboxEvent.firm_id == firm_id),
    }


def test_purge_deletes_the_ended_firm_after_the_grace_period(engine: Engine,
                                                             tmp_path: Path) -> None:
    rt = _runtime(engine, tmp_path)
    with rt.sessions.begin() as s:
        ended, a = _populate(s, rt.blobs, "Cabinet fini", "111111111", b"same bytes")
        kept, b = _populate(s, rt.blobs, "Cabinet actif", "222222222", b"same bytes")
        firm = s.get(Firm, ended.firm_id)
        assert firm is not None
        firm.contract_end_date = END
        ended_id, kept_id = ended.firm_id, kept.firm_id
    with rt.sessions() as s:
        before_a = _rows_of(s, ended_id, a["dossier"], a["user"])
        before_b = _rows_of(s, kept_id, b["dossier"], b["user"])
    assert all(before_a.values()) and all(before_b.values())

    for days in (29, 30):  # "30 days after the end": purged from the 31st day on
        purge_ended_firms(rt, (END + timedelta(days=days)).isoformat())
        with rt.sessions() as s:
            assert _rows_of(s, ended_id, a["dossier"], a["user"]) == before_a
    assert rt.blobs.exists(a["own"])

    purge_ended_firms(rt, (END + timedelta(days=31)).isoformat())
    with rt.sessions() as s:
        assert not any(_rows_of(s, ended_id, a["dossier"], a["user"]).values())
        assert _rows_of(s, kept_id, b["dossier"], b["user"]) == before_b
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.firm_id == ended_id)
                                .order_by(AuditEvent.id)))
    assert [e.action for e in events] == ["dossier.create", "firm.purge"]
    assert events[-1].actor == "system"
    assert events[-1].details["documents"] == 2
    assert events[-1].details["users"] == 1
    assert events[-1].details["alert_events"] == 1
    assert events[-1].details["blobs_unused"] == 1
    assert not rt.blobs.exists(a["own"])
    assert rt.blobs.exists(a["common"])  # the other firm's document uses the same bytes
    assert rt.blobs.exists(b["own"])

    purge_ended_firms(rt, (END + timedelta(days=32)).isoformat())  # harmless the second time
    with rt.sessions() as s:
        assert _count(s, AuditEvent, AuditEvent.action == "firm.purge") == 1
        assert _rows_of(s, kept_id, b["dossier"], b["user"]) == before_b


def test_firms_without_an_end_date_are_never_purged(session: Session) -> None:
    scope, _ = firm_with_dossier(session)
    assert all_firms_purge_ended(session, date(2999, 1, 1), now=NOW) == []
    assert session.get(Firm, scope.firm_id) is not None
