"""Firm-scoped access to the store: tenant isolation enforced in one place.

Every query a request can reach goes through `FirmScope(session, firm_id)`, whose methods always
filter by the firm: another firm's dossier, document or alert is `None`, exactly like one that
does not exist (the API answers 404 for both). The few system tasks that span firms (the daily
expiry scan, the outbox relay, the stuck-document reaper) are module functions whose names say
so (`all_firms_*`, `fetch_due_outbox`, ...).

The repository never commits: the caller owns the transaction, so a change, its audit event and
its outbox event commit together or not at all.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, Select, delete, func, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from alerts.lifecycle import fingerprint
from kanta_docs.store import facts_codec
from kanta_docs.store.tables import (
    Alert,
    AlertEvent,
    AlertOutcome,
    AlertStatus,
    ApiKey,
    AuditEvent,
    AuthSession,
    DeclaredVersion,
    DocState,
    Document,
    Dossier,
    DossierAssignment,
    Firm,
    OutboxEvent,
    RiskAssessmentRow,
    User,
    UserRole,
    utc_now,
)
from kanta_docs.vocab import DocType, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from kanta_docs.assessment import Alert as AlertOut
    from kanta_docs.assessment import RiskAssessment
    from kanta_docs.declared import Declared
    from kanta_docs.facts import DocumentFacts
    from kanta_docs.models import ExtractResult

# Days a person has to handle an alert, by severity, unless the firm's settings say otherwise.
DEFAULT_SLA_DAYS: dict[str, int] = {Severity.HIGH: 2, Severity.MEDIUM: 7, Severity.LOW: 30}
# Outbox retry backoff: 2**attempts seconds, capped (an engine down for a day is retried hourly).
OUTBOX_BACKOFF_BASE_S = 2
OUTBOX_BACKOFF_MAX_S = 3600
SYSTEM_ACTOR = "system"

ALLOWED_DOC_TRANSITIONS: frozenset[tuple[DocState, DocState]] = frozenset({
    (DocState.RECEIVED, DocState.PROCESSING),
    (DocState.PROCESSING, DocState.PROCESSED),
    (DocState.PROCESSING, DocState.FAILED),
    # A worker died mid-document: the reaper hands it back to the queue.
    (DocState.PROCESSING, DocState.RECEIVED),
    # Reprocessing (new pipeline version, or a person retries a failure).
    (DocState.PROCESSED, DocState.RECEIVED),
    (DocState.FAILED, DocState.RECEIVED),
})

ALLOWED_ALERT_TRANSITIONS: frozenset[tuple[AlertStatus, AlertStatus]] = frozenset({
    (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED),
    (AlertStatus.OPEN, AlertStatus.RESOLVED),
    (AlertStatus.OPEN, AlertStatus.DISMISSED),
    (AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED),
    (AlertStatus.ACKNOWLEDGED, AlertStatus.DISMISSED),
    (AlertStatus.ACKNOWLEDGED, AlertStatus.OPEN),
    (AlertStatus.RESOLVED, AlertStatus.OPEN),
    (AlertStatus.DISMISSED, AlertStatus.OPEN),
})
CLOSED = frozenset({AlertStatus.RESOLVED, AlertStatus.DISMISSED})
# Made once: building an alias per call costs ~6 ms of Python, more than the query itself.
_OLD_KBIS = aliased(Document, name="old_kbis")
_NEWER_KBIS = aliased(Document, name="newer_kbis")


class AlertChange(StrEnum):
    """What `FirmScope.record_alert` did with a fact the check raised."""

    CREATED = "created"
    UPDATED = "updated"  # still open; message, evidence or fingerprint refreshed
    UNCHANGED = "unchanged"
    REOPENED = "reopened"  # closed before, and the fact changed (or was not a false positive)
    SUPPRESSED = "suppressed"  # closed as dismissed / false positive, same fact: stays closed


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A received file, before any reading."""

    dossier_id: uuid.UUID
    sha256: str
    file_name: str
    size: int
    content_type: str


def alert_fingerprint(alert: AlertOut) -> str:
    """What the fact says, not its French wording (alerts.lifecycle.fingerprint): a reworded
    message keeps a closed alert closed, a changed fact reopens it."""
    return fingerprint(alert)


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


# ---------------------------------------------------------------------------------------------
# System level: firms and the tasks that span every firm.


def create_firm(session: Session, name: str, settings: dict[str, Any] | None = None,
                *, now: datetime | None = None) -> Firm:
    """A new firm (tenant); `settings` may hold {"sla_days": {"high": 2, ...}}."""
    firm = Firm(name=name, settings=settings or {}, created_at=now or utc_now())
    session.add(firm)
    session.flush()
    return firm


def get_firm(session: Session, firm_id: uuid.UUID) -> Firm | None:
    """The firm, or None."""
    return session.get(Firm, firm_id)


def firm_ids(session: Session) -> list[uuid.UUID]:
    """Every firm's id, in a stable order."""
    return list(session.scalars(select(Firm.id).order_by(Firm.id)))


def all_firms_expiring_dossiers(session: Session, start: date,
                                end: date) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(firm, dossier) pairs with a document whose effective expiry is in [start, end].

    One indexed range query per firm on (firm_id, effective_expiry_date): PostgreSQL (before 18)
    cannot skip-scan the leading firm column, and firms are few next to documents.
    """
    return [(f, d) for f in firm_ids(session)
            for d in FirmScope(session, f).expiring_dossiers(start, end)]


def all_firms_outdated_kbis_dossiers(session: Session, cutoff: date,
                                     since: date | None = None
                                     ) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(firm, dossier) pairs whose newest Kbis is dated before `cutoff` (and on or after
    `since`, when given: only the dossiers that crossed the line since the last scan)."""
    return [(f, d) for f in firm_ids(session)
            for d in FirmScope(session, f).outdated_kbis_dossiers(cutoff, since)]


def stuck_documents(session: Session, older_than: datetime, limit: int = 100) -> list[Document]:
    """Documents in `processing` since before `older_than` (their worker probably died)."""
    return list(session.scalars(
        select(Document)
        .where(Document.state == DocState.PROCESSING, Document.state_since < older_than)
        .order_by(Document.state_since).limit(limit)))


def blob_in_use(session: Session, sha256: str) -> bool:
    """Whether any document of any firm still points at this blob (before deleting the file)."""
    return session.scalar(select(Document.id).where(Document.sha256 == sha256).limit(1)) is not None


@dataclass(frozen=True, slots=True)
class FirmPurge:
    """What `all_firms_purge_ended` removed for one firm; `unused_blobs` are the sha256 of its
    stored files no remaining document of any firm points at (the caller deletes the files)."""

    firm_id: uuid.UUID
    counts: dict[str, int]
    unused_blobs: tuple[str, ...]


def all_firms_purge_ended(session: Session, cutoff: date, *,
                          now: datetime | None = None) -> list[FirmPurge]:
    """Delete every firm whose contract ended before `cutoff` (the purge day minus the days
    of grace), with all its rows, and append one `firm.purge` audit event per firm.

    The firm row cascades (foreign keys, ON DELETE CASCADE) to its users (their sessions,
    recovery codes and assignments), API keys, dossiers (declared versions, documents, alerts
    and their events, risk history), documents, alerts and outbox events. Audit events have no
    foreign key and are kept: the AML retention period outlives the contract. Running it again
    finds nothing to do.
    """
    now = now or utc_now()
    due = list(session.scalars(select(Firm.id).where(Firm.contract_end_date.is_not(None),
                                                     Firm.contract_end_date < cutoff)
                               .order_by(Firm.id)))
    purged = []
    for firm_id in due:
        dossiers = select(Dossier.id).where(Dossier.firm_id == firm_id)
        alerts = select(Alert.id).where(Alert.firm_id == firm_id)
        users = select(User.id).where(User.firm_id == firm_id)
        counted: dict[str, Any] = {
            "users": select(func.count(User.id)).where(User.firm_id == firm_id),
            "api_keys": select(func.count(ApiKey.id)).where(ApiKey.firm_id == firm_id),
            "dossiers": select(func.count(Dossier.id)).where(Dossier.firm_id == firm_id),
            "declared_versions": select(func.count(DeclaredVersion.id)).where(
                DeclaredVersion.dossier_id.in_(dossiers)),
            "documents": select(func.count(Document.id)).where(Document.firm_id == firm_id),
            "alerts": select(func.count(Alert.id)).where(Alert.firm_id == firm_id),
            "alert_events": select(func.count(AlertEvent.id)).where(
                AlertEvent.alert_id.in_(alerts)),
            "risk_assessments": select(func.count(RiskAssessmentRow.id)).where(
                RiskAssessmentRow.dossier_id.in_(dossiers)),
            "auth_sessions": select(func.count(AuthSession.id)).where(
                AuthSession.user_id.in_(users)),
            "outbox_events": select(func.count(OutboxEvent.id)).where(
                OutboxEvent.firm_id == firm_id),
        }
        counts = {name: int(session.scalar(query) or 0) for name, query in counted.items()}
        shas = set(session.scalars(select(Document.sha256).distinct()
                                   .where(Document.firm_id == firm_id)))
        session.execute(delete(Firm).where(Firm.id == firm_id))
        session.flush()
        unused = tuple(sorted(s for s in shas if not blob_in_use(session, s)))
        FirmScope(session, firm_id).append_audit(
            SYSTEM_ACTOR, "firm.purge", "firm", str(firm_id),
            {**counts, "blobs_unused": len(unused)}, now=now)
        purged.append(FirmPurge(firm_id, counts, unused))
    return purged


def fetch_due_outbox(session: Session, *, now: datetime | None = None,
                     limit: int = 100) -> list[OutboxEvent]:
    """Unprocessed events whose time has come, oldest first, locked for this transaction.

    PostgreSQL: FOR UPDATE SKIP LOCKED, so relays running side by side get disjoint events.
    SQLite has no row locks; its embedded deployment runs one relay.
    """
    query = (select(OutboxEvent)
             .where(OutboxEvent.processed_at.is_(None),
                    OutboxEvent.available_at <= (now or utc_now()))
             .order_by(OutboxEvent.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def revoke_user_sessions(session: Session, user_id: uuid.UUID, now: datetime) -> int:
    """End every login session of a user (password change, user disabled, MFA reset): their
    access tokens stop working at the next request. Returns how many were open."""
    result = session.execute(update(AuthSession).where(AuthSession.user_id == user_id,
                                                       AuthSession.revoked_at.is_(None))
                             .values(revoked_at=now))
    return _rowcount(result)


def add_system_outbox(session: Session, topic: str, payload: dict[str, Any]) -> OutboxEvent:
    """An outbox event of no firm (a firm purge: the firm's own outbox is gone with it)."""
    now = utc_now()
    event = OutboxEvent(firm_id=None, topic=topic, payload=payload, created_at=now,
                        available_at=now, attempts=0)
    session.add(event)
    session.flush()
    return event


def mark_outbox_processed(session: Session, event_ids: Sequence[int], *,
                          now: datetime | None = None) -> None:
    """Mark delivered events processed."""
    if event_ids:
        session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(event_ids))
                        .values(processed_at=now or utc_now(), last_error=None))


def mark_outbox_failed(session: Session, event_id: int, error: str, *,
                       now: datetime | None = None) -> datetime:
    """Count a failed delivery and push the event back by an exponential backoff; returns when
    it is due again."""
    now = now or utc_now()
    event = session.get(OutboxEvent, event_id)
    if event is None:
        raise KeyError(f"no outbox event {event_id}")
    event.attempts += 1
    delay = min(OUTBOX_BACKOFF_BASE_S ** event.attempts, OUTBOX_BACKOFF_MAX_S)
    event.available_at = now + timedelta(seconds=delay)
    event.last_error = error[:2000]
    session.flush()
    return event.available_at


# ---------------------------------------------------------------------------------------------
# Firm level.


class FirmScope:
    """Everything one firm may read or write; every query filters by `firm_id`.

    `assigned_to` narrows the scope to the dossiers assigned to one collaborator: their
    documents, declared data, alerts and risk too. The API builds the scope from the caller, so
    a collaborator's request cannot reach another dossier (it is `None`, hence 404).
    """

    def __init__(self, session: Session, firm_id: uuid.UUID, *,
                 assigned_to: uuid.UUID | None = None) -> None:
        self.session = session
        self.firm_id = firm_id
        self.assigned_to = assigned_to

    def _visible(self, dossier_column: Any) -> Any:
        """SQL condition: the dossier is visible in this scope (always true firm-wide)."""
        if self.assigned_to is None:
            return true()
        return dossier_column.in_(select(DossierAssignment.dossier_id)
                                  .where(DossierAssignment.user_id == self.assigned_to))

    # -- firm and users --------------------------------------------------------------------

    def firm(self) -> Firm | None:
        """This firm, or None when it does not exist."""
        return self.session.get(Firm, self.firm_id)

    def add_user(self, email: str, display_name: str, role: UserRole) -> User:
        """A new user of this firm."""
        user = User(firm_id=self.firm_id, email=email, display_name=display_name, role=role)
        self.session.add(user)
        self.session.flush()
        return user

    def get_user(self, user_id: uuid.UUID) -> User | None:
        """A user of this firm, or None."""
        return self.session.scalar(
            select(User).where(User.firm_id == self.firm_id, User.id == user_id))

    def sla_days(self, severity: str) -> int:
        """Days to handle an alert of this severity: the firm's setting, else the default."""
        firm = self.firm()
        configured = (firm.settings.get("sla_days", {}) if firm is not None else {}).get(severity)
        return int(configured) if configured is not None else DEFAULT_SLA_DAYS.get(severity, 30)

    # -- dossiers and declared data -------------------------------------------------------

    def _dossiers(self) -> Select[Dossier]:
        return select(Dossier).where(Dossier.firm_id == self.firm_id, self._visible(Dossier.id))

    def dossiers_query(self) -> Select[Dossier]:
        """The visible dossiers, for callers that add filters, order and paging."""
        return self._dossiers()

    def get_dossier(self, dossier_id: uuid.UUID) -> Dossier | None:
        """A dossier of this firm, or None (also for another firm's)."""
        return self.session.scalar(self._dossiers().where(Dossier.id == dossier_id))

    def dossier_by_siren(self, siren: str) -> Dossier | None:
        """The firm's dossier for this SIREN, or None."""
        return self.session.scalar(self._dossiers().where(Dossier.siren == siren))

    def list_dossiers(self) -> list[Dossier]:
        """The firm's dossiers by name."""
        return list(self.session.scalars(self._dossiers().order_by(Dossier.name, Dossier.id)))

    def upsert_dossier(self, siren: str | None, name: str, *,
                       collaborator_id: uuid.UUID | None = None,
                       now: datetime | None = None) -> tuple[Dossier, bool]:
        """The dossier for `siren`, created if new (name and collaborator updated if given);
        returns (dossier, created). A None SIREN always creates a dossier."""
        now = now or utc_now()
        if collaborator_id is not None and self.get_user(collaborator_id) is None:
            raise ValueError("the collaborator is not a user of this firm")
        existing = self.dossier_by_siren(siren) if siren is not None else None
        if existing is not None:
            existing.name = name
            if collaborator_id is not None:
                existing.collaborator_id = collaborator_id
                self._assign(existing.id, collaborator_id, "system", now)
            existing.updated_at = now
            self.session.flush()
            return existing, False
        dossier = Dossier(firm_id=self.firm_id, siren=siren, name=name,
                          collaborator_id=collaborator_id, created_at=now, updated_at=now)
        self.session.add(dossier)
        self.session.flush()
        if collaborator_id is not None:
            self._assign(dossier.id, collaborator_id, "system", now)
        return dossier, True

    def _assign(self, dossier_id: uuid.UUID, user_id: uuid.UUID, actor: str,
                now: datetime) -> None:
        if self.session.get(DossierAssignment, (dossier_id, user_id)) is None:
            self.session.add(DossierAssignment(dossier_id=dossier_id, user_id=user_id,
                                               assigned_at=now, assigned_by=actor))
            self.session.flush()

    def assignees(self, dossier_id: uuid.UUID) -> list[User]:
        """The users assigned to a visible dossier, by name."""
        return list(self.session.scalars(
            select(User).join(DossierAssignment, DossierAssignment.user_id == User.id)
            .where(DossierAssignment.dossier_id == dossier_id, User.firm_id == self.firm_id,
                   self._visible(DossierAssignment.dossier_id))
            .order_by(User.display_name, User.id)))

    def set_assignees(self, dossier_id: uuid.UUID, user_ids: Sequence[uuid.UUID], actor: str, *,
                      now: datetime | None = None) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
        """Make exactly `user_ids` (users of this firm) the dossier's assignees; returns
        (added, removed). The lead collaborator stays when still assigned, else the first."""
        now = now or utc_now()
        dossier = self.get_dossier(dossier_id)
        if dossier is None:
            raise LookupError("no such dossier in this firm")
        wanted = list(dict.fromkeys(user_ids))
        if any(self.get_user(u) is None for u in wanted):
            raise ValueError("an assignee is not a user of this firm")
        current = {u.id for u in self.assignees(dossier_id)}
        added, removed = set(wanted) - current, current - set(wanted)
        for user_id in removed:
            row = self.session.get(DossierAssignment, (dossier_id, user_id))
            if row is not None:
                self.session.delete(row)
        for user_id in wanted:
            if user_id in added:
                self._assign(dossier_id, user_id, actor, now)
        if dossier.collaborator_id not in wanted:
            dossier.collaborator_id = wanted[0] if wanted else None
        dossier.updated_at = now
        self.session.flush()
        return added, removed

    def add_declared_version(self, dossier_id: uuid.UUID, declared: Declared, changed_by: str,
                             note: str = "", *, now: datetime | None = None) -> int:
        """Record what the firm now declares; returns the new version number (1, 2, ...).

        Two concurrent writers may compute the same number: the unique (dossier_id, version)
        refuses the second (IntegrityError), which the caller retries.
        """
        if self.get_dossier(dossier_id) is None:
            raise LookupError("no such dossier in this firm")
        last = self.session.scalar(select(func.max(DeclaredVersion.version))
                                   .where(DeclaredVersion.dossier_id == dossier_id))
        version = (last or 0) + 1
        self.session.add(DeclaredVersion(dossier_id=dossier_id, version=version,
                                         data=declared.model_dump(mode="json"),
                                         changed_by=changed_by, changed_at=now or utc_now(),
                                         change_note=note))
        self.session.flush()
        return version

    def _declared(self, dossier_id: uuid.UUID) -> Select[DeclaredVersion]:
        return (select(DeclaredVersion).join(Dossier, Dossier.id == DeclaredVersion.dossier_id)
                .where(Dossier.firm_id == self.firm_id, DeclaredVersion.dossier_id == dossier_id,
                       self._visible(Dossier.id)))

    def latest_declared(self, dossier_id: uuid.UUID) -> DeclaredVersion | None:
        """The newest declared version of the dossier, or None when nothing was declared."""
        return self.session.scalar(
            self._declared(dossier_id).order_by(DeclaredVersion.version.desc()).limit(1))

    def declared_history(self, dossier_id: uuid.UUID) -> list[DeclaredVersion]:
        """Every declared version, oldest first: who changed what, when."""
        return list(self.session.scalars(
            self._declared(dossier_id).order_by(DeclaredVersion.version)))

    # -- documents -------------------------------------------------------------------------

    def _documents(self) -> Select[Document]:
        return select(Document).where(Document.firm_id == self.firm_id,
                                      self._visible(Document.dossier_id))

    def documents_query(self) -> Select[Document]:
        """The visible documents, for callers that add filters, order and paging."""
        return self._documents()

    def get_document(self, document_id: uuid.UUID) -> Document | None:
        """A document of this firm, or None."""
        return self.session.scalar(self._documents().where(Document.id == document_id))

    def documents_of_dossier(self, dossier_id: uuid.UUID) -> list[Document]:
        """The dossier's documents, oldest first."""
        return list(self.session.scalars(
            self._documents().where(Document.dossier_id == dossier_id)
            .order_by(Document.created_at, Document.id)))

    def add_document(self, new: NewDocument, *,
                     now: datetime | None = None) -> tuple[Document, bool]:
        """The dossier's document for these bytes, created in `received` if new; returns
        (document, created). Uploading the same file twice is one document, also when two
        uploads race (INSERT ... ON CONFLICT DO NOTHING on (dossier_id, sha256))."""
        if self.get_dossier(new.dossier_id) is None:
            raise LookupError("no such dossier in this firm")
        now = now or utc_now()
        values = {"id": uuid.uuid4(), "firm_id": self.firm_id, "dossier_id": new.dossier_id,
                  "sha256": new.sha256, "file_name": new.file_name, "size": new.size,
                  "content_type": new.content_type, "state": DocState.RECEIVED,
                  "state_since": now, "attempts": 0, "created_at": now}
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = insert(Document).values(**values).on_conflict_do_nothing(
            index_elements=["dossier_id", "sha256"]).returning(Document.id)
        created = self.session.execute(stmt).first() is not None
        document = self.session.scalar(self._documents().where(
            Document.dossier_id == new.dossier_id, Document.sha256 == new.sha256))
        assert document is not None
        return document, created

    def transition_document(self, document_id: uuid.UUID, expected: DocState, to: DocState, *,
                            stage: str | None = None, failure_reason: str | None = None,
                            now: datetime | None = None) -> bool:
        """Move a document from `expected` to `to`; False when it was not in `expected` (another
        worker claimed it first, or it is not this firm's). A conditional UPDATE, so of two
        workers claiming the same document exactly one wins. Claiming counts an attempt."""
        if (expected, to) not in ALLOWED_DOC_TRANSITIONS:
            raise ValueError(f"a document cannot go from {expected} to {to}")
        if to is DocState.FAILED and not failure_reason:
            raise ValueError("a failed document needs a reason a person can act on")
        values: dict[str, Any] = {"state": to, "state_since": now or utc_now(), "stage": stage,
                                  "failure_reason": failure_reason if to is DocState.FAILED
                                  else None}
        if to is DocState.PROCESSING:
            values["attempts"] = Document.attempts + 1
        result = self.session.execute(
            update(Document)
            .where(Document.firm_id == self.firm_id, Document.id == document_id,
                   Document.state == expected)
            .values(**values).execution_options(synchronize_session=False))
        changed = _rowcount(result) == 1
        if changed:
            self._refresh(document_id)
        return changed

    def _refresh(self, document_id: uuid.UUID) -> None:
        doc = self.session.identity_map.get(self.session.identity_key(Document, document_id))
        if doc is not None:
            self.session.refresh(doc)

    def set_stage(self, document_id: uuid.UUID, stage: str) -> None:
        """Record which pipeline step a processing document is in (for progress pages)."""
        self.session.execute(
            update(Document).where(Document.firm_id == self.firm_id, Document.id == document_id)
            .values(stage=stage).execution_options(synchronize_session=False))
        self._refresh(document_id)

    def store_extraction(self, document_id: uuid.UUID, result: ExtractResult,
                         facts: DocumentFacts | None, pages: Sequence[str],
                         pipeline_version: str, *, now: datetime | None = None) -> bool:
        """Save what was extracted and move the document processing -> processed; False when
        it was not processing any more (the reaper gave it to another worker)."""
        values: dict[str, Any] = {
            "state": DocState.PROCESSED, "state_since": now or utc_now(), "stage": None,
            "failure_reason": None, "pipeline_version": pipeline_version,
            "doc_type": result.doc_type.value, "document_date": result.document_date,
            "expiry_date": result.expiry_date,
            "effective_expiry_date": result.effective_expiry_date,
            "result": result.to_json_dict(),
            "facts": None if facts is None else facts_codec.to_json(facts),
            "pages": list(pages)}
        res = self.session.execute(
            update(Document)
            .where(Document.firm_id == self.firm_id, Document.id == document_id,
                   Document.state == DocState.PROCESSING)
            .values(**values).execution_options(synchronize_session=False))
        changed = _rowcount(res) == 1
        if changed:
            self._refresh(document_id)
        return changed

    def stuck_documents(self, older_than: datetime, limit: int = 100) -> list[Document]:
        """This firm's documents in `processing` since before `older_than`."""
        return list(self.session.scalars(
            self._documents()
            .where(Document.state == DocState.PROCESSING, Document.state_since < older_than)
            .order_by(Document.state_since).limit(limit)))

    def delete_document(self, document_id: uuid.UUID, actor: str, reason: str, *,
                        address: str | None = None, now: datetime | None = None) -> str | None:
        """Delete a document, audited; returns its sha256 (delete the blob when no other
        document uses it: `blob_in_use`), or None when there is no such document here."""
        if not reason.strip():
            raise ValueError("deleting a document needs a reason")
        document = self.get_document(document_id)
        if document is None:
            return None
        sha256 = document.sha256
        self.append_audit(actor, "document.delete", "document", str(document_id),
                          {"dossier_id": str(document.dossier_id), "sha256": sha256,
                           "reason": reason}, address=address, now=now)
        self.session.delete(document)
        self.session.flush()
        return sha256

    # -- expiry scan -----------------------------------------------------------------------

    def expiring_dossiers_query(self, start: date, end: date) -> Select[uuid.UUID]:
        """The query behind `expiring_dossiers` (benches and tests EXPLAIN it)."""
        return (select(Document.dossier_id).distinct()
                .where(Document.firm_id == self.firm_id,
                       Document.effective_expiry_date.between(start, end))
                .order_by(Document.dossier_id))

    def expiring_dossiers(self, start: date, end: date) -> list[uuid.UUID]:
        """Dossiers with a document whose effective expiry is in [start, end] (index
        ix_documents_firm_effective_expiry)."""
        return list(self.session.scalars(self.expiring_dossiers_query(start, end)))

    def outdated_kbis_dossiers(self, cutoff: date, since: date | None = None) -> list[uuid.UUID]:
        """Dossiers whose newest Kbis is dated before `cutoff` (and on or after `since`: only
        those that crossed the line since the last scan), sorted."""
        return sorted(self.session.scalars(self.outdated_kbis_query(cutoff, since)))

    def outdated_kbis_query(self, cutoff: date, since: date | None = None) -> Select[uuid.UUID]:
        """The query behind `outdated_kbis_dossiers`.

        A range on ix_documents_firm_type_date (Kbis of this firm dated before the cutoff, or in
        [since, cutoff)) minus the dossiers that also have a Kbis on or after the cutoff. A
        GROUP BY dossier + HAVING max(date) form reads every Kbis of the firm, and SQLite even
        walks the whole (dossier_id, sha256) index for it.
        """
        old, newer = _OLD_KBIS, _NEWER_KBIS
        conditions = [old.firm_id == self.firm_id, old.doc_type == DocType.KBIS.value,
                      old.document_date < cutoff]
        if since is not None:
            conditions.append(old.document_date >= since)
        newer_filter = (newer.firm_id == self.firm_id, newer.doc_type == DocType.KBIS.value,
                        newer.dossier_id == old.dossier_id)
        if since is None:
            # Many candidates: an anti-join against this firm's recent Kbis (one index range).
            has_newer = select(newer.id).where(*newer_filter,
                                               newer.document_date >= cutoff).exists()
            return select(old.dossier_id).distinct().where(*conditions, ~has_newer)
        # Few candidates (the day's crossing): look up each one's newest Kbis by dossier
        # (uq_documents_dossier_id_sha256 leads with dossier_id), not every recent Kbis.
        # (The dossier is this firm's: the outer query filters by firm.)
        newest = (select(func.max(newer.document_date))
                  .where(newer.doc_type == DocType.KBIS.value,
                         newer.dossier_id == old.dossier_id)
                  .scalar_subquery())
        return select(old.dossier_id).distinct().where(*conditions, newest < cutoff)

    # -- alerts ----------------------------------------------------------------------------

    def _alerts(self) -> Select[Alert]:
        return select(Alert).where(Alert.firm_id == self.firm_id, self._visible(Alert.dossier_id))

    def alerts_query(self) -> Select[Alert]:
        """The visible alerts, for callers that add filters, order and paging."""
        return self._alerts()

    def get_alert(self, alert_id: uuid.UUID) -> Alert | None:
        """An alert of this firm, or None."""
        return self.session.scalar(self._alerts().where(Alert.id == alert_id))

    def alerts_of_dossier(self, dossier_id: uuid.UUID) -> dict[str, Alert]:
        """The dossier's alerts (every status) by key."""
        rows = self.session.scalars(self._alerts().where(Alert.dossier_id == dossier_id))
        return {a.key: a for a in rows}

    def open_alerts(self, *, assignee_id: uuid.UUID | None = None,
                    as_of: date | None = None) -> list[Alert]:
        """Open or acknowledged alerts, due first; snoozed ones hidden until their date."""
        query = self._alerts().where(Alert.status.in_([AlertStatus.OPEN,
                                                       AlertStatus.ACKNOWLEDGED]))
        if assignee_id is not None:
            query = query.where(Alert.assignee_id == assignee_id)
        if as_of is not None:
            query = query.where((Alert.snoozed_until.is_(None)) | (Alert.snoozed_until <= as_of))
        return list(self.session.scalars(query.order_by(Alert.due_date, Alert.created_at)))

    def _event(self, alert: Alert, actor: str, from_status: AlertStatus | None,
               to_status: AlertStatus, note: str, now: datetime) -> None:
        self.session.add(AlertEvent(alert_id=alert.id, at=now, actor=actor,
                                    from_status=None if from_status is None else from_status.value,
                                    to_status=to_status.value, note=note))

    def record_alert(self, dossier_id: uuid.UUID, raised: AlertOut, *,
                     now: datetime | None = None) -> tuple[Alert, AlertChange]:
        """Insert or refresh the dossier's alert for a fact the check raised (by its key).

        New: open, assigned to the dossier's collaborator, due after the firm's SLA for its
        severity. Closed as dismissed or false positive with the same fingerprint: stays closed
        (the person already said this fact is not a problem). Otherwise closed: reopened.
        """
        now = now or utc_now()
        dossier = self.get_dossier(dossier_id)
        if dossier is None:
            raise LookupError("no such dossier in this firm")
        fingerprint = alert_fingerprint(raised)
        fields: dict[str, Any] = {
            "type": raised.type.value, "severity": raised.severity.value,
            "fingerprint": fingerprint, "message": raised.message,
            "subject": None if raised.subject is None else raised.subject.model_dump(mode="json"),
            "evidence": [e.model_dump(mode="json") for e in raised.evidence]}
        alert = self.session.scalar(self._alerts().where(Alert.dossier_id == dossier_id,
                                                         Alert.key == raised.key))
        if alert is None:
            due = now.date() + timedelta(days=self.sla_days(raised.severity.value))
            alert = Alert(firm_id=self.firm_id, dossier_id=dossier_id, key=raised.key,
                          status=AlertStatus.OPEN, assignee_id=dossier.collaborator_id,
                          due_date=due, created_at=now, updated_at=now, **fields)
            self.session.add(alert)
            self.session.flush()
            self._event(alert, SYSTEM_ACTOR, None, AlertStatus.OPEN, "raised", now)
            self.session.flush()
            return alert, AlertChange.CREATED
        same_fact = alert.fingerprint == fingerprint
        if alert.status in CLOSED:
            # A person closed it (resolved, dismissed, false positive): it stays closed while
            # the fact is the same; only the system's own auto-resolution reopens as is.
            if same_fact and alert.auto_resolved_reason is None:
                return alert, AlertChange.SUPPRESSED
            previous = alert.status
            for name, value in fields.items():
                setattr(alert, name, value)
            alert.status = AlertStatus.OPEN
            alert.outcome = alert.resolution_note = alert.resolved_by = None
            alert.resolved_at = None
            alert.auto_resolved_reason = None
            alert.snoozed_until = None
            alert.due_date = now.date() + timedelta(days=self.sla_days(raised.severity.value))
            alert.updated_at = now
            self._event(alert, SYSTEM_ACTOR, previous, AlertStatus.OPEN,
                        "the fact changed" if not same_fact else "raised again", now)
            self.session.flush()
            return alert, AlertChange.REOPENED
        if same_fact and alert.message == raised.message and alert.severity == raised.severity:
            return alert, AlertChange.UNCHANGED
        for name, value in fields.items():
            setattr(alert, name, value)
        alert.updated_at = now
        if not same_fact:
            self._event(alert, SYSTEM_ACTOR, alert.status, alert.status, "the fact changed", now)
        self.session.flush()
        return alert, AlertChange.UPDATED

    def transition_alert(self, alert_id: uuid.UUID, to: AlertStatus, actor: str, note: str, *,
                         outcome: AlertOutcome | None = None,
                         now: datetime | None = None) -> bool:
        """A person moves an alert (acknowledge, resolve, dismiss, reopen); closing needs a
        justification. False when the alert is not this firm's or the move is not allowed
        from its current status. Audited when it closes the alert."""
        now = now or utc_now()
        alert = self.get_alert(alert_id)
        if alert is None or (alert.status, to) not in ALLOWED_ALERT_TRANSITIONS:
            return False
        if to in CLOSED and not note.strip():
            raise ValueError("closing an alert needs a justification")
        previous = alert.status
        alert.status = to
        alert.updated_at = now
        if to in CLOSED:
            alert.outcome = outcome or (AlertOutcome.FIXED if to is AlertStatus.RESOLVED
                                        else AlertOutcome.FALSE_POSITIVE)
            alert.resolution_note = note
            alert.resolved_by = actor
            alert.resolved_at = now
            alert.auto_resolved_reason = None
            self.append_audit(actor, f"alert.{to.value}", "alert", str(alert.id),
                              {"outcome": alert.outcome.value, "note": note}, now=now)
        elif to is AlertStatus.OPEN:
            alert.outcome = alert.resolution_note = alert.resolved_by = None
            alert.resolved_at = None
        self._event(alert, actor, previous, to, note, now)
        self.session.flush()
        return True

    def resolve_absent_alerts(self, dossier_id: uuid.UUID, present_keys: set[str], reason: str,
                              *, now: datetime | None = None) -> list[Alert]:
        """Close the dossier's open alerts whose fact the last check no longer raised."""
        now = now or utc_now()
        closed = []
        for key, alert in self.alerts_of_dossier(dossier_id).items():
            if key in present_keys or alert.status in CLOSED:
                continue
            previous = alert.status
            alert.status = AlertStatus.RESOLVED
            alert.auto_resolved_reason = reason
            alert.resolved_at = now
            alert.resolved_by = SYSTEM_ACTOR
            alert.updated_at = now
            self._event(alert, SYSTEM_ACTOR, previous, AlertStatus.RESOLVED, reason, now)
            closed.append(alert)
        self.session.flush()
        return closed

    def assign_alert(self, alert_id: uuid.UUID, assignee_id: uuid.UUID | None, actor: str, *,
                     now: datetime | None = None) -> bool:
        """Give the alert to a collaborator of this firm (None: nobody); False if not found."""
        now = now or utc_now()
        alert = self.get_alert(alert_id)
        if alert is None or (assignee_id is not None and self.get_user(assignee_id) is None):
            return False
        alert.assignee_id = assignee_id
        alert.updated_at = now
        self._event(alert, actor, alert.status, alert.status,
                    f"assigned to {assignee_id}" if assignee_id else "unassigned", now)
        self.session.flush()
        return True

    def snooze_alert(self, alert_id: uuid.UUID, until: date | None, actor: str, note: str = "",
                     *, now: datetime | None = None) -> bool:
        """Hide an open alert until a date (None: wake it); False if not found or closed."""
        now = now or utc_now()
        alert = self.get_alert(alert_id)
        if alert is None or alert.status in CLOSED:
            return False
        alert.snoozed_until = until
        alert.updated_at = now
        self._event(alert, actor, alert.status, alert.status,
                    note or (f"snoozed until {until.isoformat()}" if until else "woken"), now)
        self.session.flush()
        return True

    def alert_history(self, alert_id: uuid.UUID) -> list[AlertEvent]:
        """The alert's events, oldest first (empty for another firm's alert)."""
        return list(self.session.scalars(
            select(AlertEvent).join(Alert, Alert.id == AlertEvent.alert_id)
            .where(Alert.firm_id == self.firm_id, AlertEvent.alert_id == alert_id)
            .order_by(AlertEvent.id)))

    # -- risk ------------------------------------------------------------------------------

    def add_risk(self, dossier_id: uuid.UUID, risk: RiskAssessment, *,
                 override: dict[str, Any] | None = None,
                 now: datetime | None = None) -> RiskAssessmentRow:
        """Record a computed risk assessment (history keeps every one)."""
        if self.get_dossier(dossier_id) is None:
            raise LookupError("no such dossier in this firm")
        row = RiskAssessmentRow(dossier_id=dossier_id, level=risk.level.value,
                                vigilance=risk.vigilance.value, score=risk.score,
                                factors=[f.model_dump(mode="json") for f in risk.factors],
                                computed_at=now or utc_now(), override=override)
        self.session.add(row)
        self.session.flush()
        return row

    def _risks(self, dossier_id: uuid.UUID) -> Select[RiskAssessmentRow]:
        return (select(RiskAssessmentRow).join(Dossier, Dossier.id == RiskAssessmentRow.dossier_id)
                .where(Dossier.firm_id == self.firm_id, self._visible(Dossier.id),
                       RiskAssessmentRow.dossier_id == dossier_id))

    def latest_risk(self, dossier_id: uuid.UUID) -> RiskAssessmentRow | None:
        """The dossier's newest assessment, or None."""
        # By id, the order of insertion: clocks of several workers may disagree.
        return self.session.scalar(self._risks(dossier_id).order_by(
            RiskAssessmentRow.id.desc()).limit(1))

    def risk_history(self, dossier_id: uuid.UUID) -> list[RiskAssessmentRow]:
        """Every assessment of the dossier, oldest first."""
        return list(self.session.scalars(self._risks(dossier_id).order_by(
            RiskAssessmentRow.id)))

    # -- audit and outbox ------------------------------------------------------------------

    def append_audit(self, actor: str, action: str, target_type: str | None = None,
                     target_id: str | None = None, details: dict[str, Any] | None = None, *,
                     address: str | None = None, now: datetime | None = None) -> AuditEvent:
        """Append a sensitive action to the audit log (there is no update or delete)."""
        event = AuditEvent(firm_id=self.firm_id, at=now or utc_now(), actor=actor, action=action,
                           target_type=target_type, target_id=target_id, address=address,
                           details=details or {})
        self.session.add(event)
        self.session.flush()
        return event

    def audit_events(self, *, after_id: int = 0, limit: int = 100) -> list[AuditEvent]:
        """The firm's audit events after `after_id`, oldest first (page by the last id)."""
        return list(self.session.scalars(
            select(AuditEvent).where(AuditEvent.firm_id == self.firm_id, AuditEvent.id > after_id)
            .order_by(AuditEvent.id).limit(limit)))

    def add_outbox(self, topic: str, payload: dict[str, Any], *,
                   now: datetime | None = None) -> OutboxEvent:
        """Queue a message for the relay, in the caller's transaction (committed with the
        change it announces, or not at all)."""
        now = now or utc_now()
        event = OutboxEvent(firm_id=self.firm_id, topic=topic, payload=payload, created_at=now,
                            available_at=now, attempts=0)
        self.session.add(event)
        self.session.flush()
        return event
