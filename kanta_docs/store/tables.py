"""The store's tables as typed SQLAlchemy 2 models; portable between SQLite and PostgreSQL.

Ids: entities a person can name in a URL (firms, users, dossiers, documents, alerts) have UUIDs,
made in Python: they are not guessable (a request for another firm's object answers 404 and must
not let anyone enumerate ids), they exist before the INSERT (an outbox payload in the same
transaction can carry them) and they merge across databases. Append-only logs (declared versions,
alert events, risk history, audit, outbox) have integer ids: their order is their meaning, and an
outbox relay or an audit reader pages through them by id.

Timestamps are timezone-aware UTC (`UTCDateTime`): PostgreSQL stores `timestamptz`; SQLite stores
text, and the type puts the UTC zone back on the way out, so callers never see a naive datetime.

`migrations/versions/0001_initial.py` spells out the same schema; a test compares the two.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# A JSON document column: JSONB on PostgreSQL (compact, indexable), JSON text on SQLite.
JsonDoc = JSON().with_variant(postgresql.JSONB(), "postgresql")
# Integer ids of the append-only logs: 64-bit on PostgreSQL; SQLite autoincrements only a column
# declared exactly INTEGER PRIMARY KEY (which is 64-bit there anyway).
LogId = BigInteger().with_variant(Integer(), "sqlite")

# Constraint names must be stable: Alembic's batch mode on SQLite recreates tables by name, and a
# downgrade drops them by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; refuses naive datetimes (whose zone is a guess)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware datetime -> UTC; a naive one is refused."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass a timezone-aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Stored value -> aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no zone; we only ever wrote UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class UserRole(StrEnum):
    """What a user may do in their firm."""

    ADMIN = "admin"
    COMPLIANCE_OFFICER = "compliance_officer"
    COLLABORATOR = "collaborator"


class DocState(StrEnum):
    """Where a document is in the pipeline: received -> processing -> processed | failed."""

    RECEIVED = "received"
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"


class AlertStatus(StrEnum):
    """An alert's lifecycle: open -> acknowledged -> resolved | dismissed."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class AlertOutcome(StrEnum):
    """Why a person closed an alert; `false_positive` is remembered for the same fact."""

    FIXED = "fixed"
    FALSE_POSITIVE = "false_positive"
    ACCEPTED_RISK = "accepted_risk"


def _enum(cls: type[StrEnum], name: str) -> Enum:
    # VARCHAR + CHECK on both engines (no PostgreSQL ENUM type: adding a value would need DDL).
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda e: [m.value for m in e], validate_strings=True)


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JsonDoc}


def _uuid() -> uuid.UUID:
    return uuid.uuid4()


class Firm(Base):
    """A tenant: an accounting firm, with its settings (SLA days per alert severity, ...)."""

    __tablename__ = "firms"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    # Last day of the firm's contract; its data is purged 30 days later (tasks.purge_ended_firms).
    contract_end_date: Mapped[date | None] = mapped_column(Date)


class User(Base):
    """A person of a firm and their credentials.

    Emails are unique across firms (lower-cased): a login names a person, not a firm. The TOTP
    secret is stored encrypted (api.auth.secret_box), since it must be read back to check a code;
    passwords and recovery codes are argon2 hashes.
    """

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("firm_id", "email"), Index("uq_users_email", "email",
                                                                  unique=True))

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(_enum(UserRole, "user_role"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_secret: Mapped[str | None] = mapped_column(String(300))  # encrypted
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # a code is used once
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when an administrator chose the password: the user must replace it before anything else.
    password_must_change: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utc_now)


class RecoveryCode(Base):
    """A one-time MFA recovery code, argon2-hashed; shown to the user once, at enrolment."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AuthSession(Base):
    """A login: the refresh token's SHA-256 (the token is 256 random bits, so a fast hash is
    enough), rotated on every refresh; revoking it ends the access tokens issued under it."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    address: Mapped[str | None] = mapped_column(String(100))


class ApiKey(Base):
    """A firm's API key: the visible prefix finds the row, the secret's SHA-256 proves it."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(20), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JsonDoc, default=list)  # read, write, admin
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DossierAssignment(Base):
    """A collaborator assigned to a dossier: collaborators see only the dossiers assigned to them.
    `Dossier.collaborator_id` is the lead among them (new alerts go to them)."""

    __tablename__ = "dossier_assignments"

    dossier_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    assigned_by: Mapped[str] = mapped_column(String(320))


class Dossier(Base):
    """One client company of a firm. (firm_id, siren) is unique; SQL treats NULLs as distinct,
    so dossiers without a SIREN yet do not collide."""

    __tablename__ = "dossiers"
    __table_args__ = (UniqueConstraint("firm_id", "siren"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    siren: Mapped[str | None] = mapped_column(String(9))
    name: Mapped[str] = mapped_column(String(300))
    collaborator_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class DeclaredVersion(Base):
    """One version of what the firm declared about a dossier (kanta_docs.declared.Declared)."""

    __tablename__ = "declared_versions"
    __table_args__ = (UniqueConstraint("dossier_id", "version"),)

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    change_note: Mapped[str] = mapped_column(Text, default="")


class Document(Base):
    """A file of a dossier, its pipeline state and what was extracted from it."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("dossier_id", "sha256"),
        # The daily expiry scan: "which documents stop being valid between two dates".
        Index("ix_documents_firm_effective_expiry", "firm_id", "effective_expiry_date"),
        # "Newest Kbis of each dossier older than 3 months", and listings by type and date.
        Index("ix_documents_firm_type_date", "firm_id", "doc_type", "document_date"),
        # The reaper: documents stuck in `processing` since before a limit.
        Index("ix_documents_state_since", "state", "state_since"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    state: Mapped[DocState] = mapped_column(_enum(DocState, "doc_state"))
    stage: Mapped[str | None] = mapped_column(String(50))  # pipeline step while processing
    state_since: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    pipeline_version: Mapped[str | None] = mapped_column(String(50))
    doc_type: Mapped[str | None] = mapped_column(String(30))  # kanta_docs.vocab.DocType value
    document_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    effective_expiry_date: Mapped[date | None] = mapped_column(Date)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)  # contract ExtractResult
    facts: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)  # store.facts_codec
    pages: Mapped[list[str] | None] = mapped_column(JsonDoc)  # page texts, in order
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class Alert(Base):
    """A fact that needs a person, by its stable key within the dossier, with its lifecycle."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("dossier_id", "key"),
        Index("ix_alerts_firm_status_due", "firm_id", "status", "due_date"),
        Index("ix_alerts_assignee_status", "assignee_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(50))  # kanta_docs.vocab.AlertType value
    severity: Mapped[str] = mapped_column(String(10))  # kanta_docs.vocab.Severity value
    status: Mapped[AlertStatus] = mapped_column(_enum(AlertStatus, "alert_status"))
    # Hash of the fact's content: the same key with another fingerprint is a changed fact, which
    # reopens an alert a person dismissed.
    fingerprint: Mapped[str] = mapped_column(String(64))
    subject: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    message: Mapped[str] = mapped_column(Text)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    due_date: Mapped[date | None] = mapped_column(Date)
    snoozed_until: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[AlertOutcome | None] = mapped_column(_enum(AlertOutcome, "alert_outcome"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[str | None] = mapped_column(String(320))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    auto_resolved_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class AlertEvent(Base):
    """One step of an alert's history (raised, acknowledged, reassigned, resolved, reopened)."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    actor: Mapped[str] = mapped_column(String(320))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class RiskAssessmentRow(Base):
    """One computed risk assessment of a dossier; the history is every row, newest last."""

    __tablename__ = "risk_assessments"
    __table_args__ = (Index("ix_risk_assessments_dossier_computed", "dossier_id", "computed_at"),)

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(10))  # kanta_docs.vocab.RiskLevel value
    vigilance: Mapped[str] = mapped_column(String(12))  # kanta_docs.vocab.Vigilance value
    score: Mapped[int] = mapped_column(Integer)
    factors: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    # A person's override of the computed level: {"level", "by", "reason"}; None when computed.
    override: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


class AuditEvent(Base):
    """Append-only record of a sensitive action. The repository has no update or delete, and
    triggers (PostgreSQL and SQLite, in the migration) refuse UPDATE and DELETE."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_firm_at", "firm_id", "at"),)

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    # No foreign key: the log outlives a purged firm for the AML retention period.
    firm_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str | None] = mapped_column(String(50))
    target_id: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(100))  # client IP, when over HTTP
    details: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)


class OutboxEvent(Base):
    """A message for the indexers and notifiers, written in the transaction of the change."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_due", "processed_at", "available_at"),)

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    firm_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationDelivery(Base):
    """One message to one recipient on one channel, by its idempotency key: a send is recorded
    before it leaves and marked sent after, so a repeated scan or a worker that died mid-send
    never sends twice what was acknowledged, and never loses what was not."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (Index("ix_notification_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))  # email | webhook | in_app
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(500))  # e-mail, endpoint id or user id
    kind: Mapped[str] = mapped_column(String(50))  # digest, high_alert, expiry, test ...
    status: Mapped[str] = mapped_column(String(20))  # pending | sent | failed | abandoned
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """An in-app notification of a user, read or unread."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    dossier_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Unsubscription(Base):
    """A kind of notification a user no longer wants by e-mail."""

    __tablename__ = "unsubscriptions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class WebhookEndpoint(Base):
    """Where a firm wants events posted, signed with the endpoint's secret (stored encrypted)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=_uuid)
    firm_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(300), default="")
    secret: Mapped[str] = mapped_column(String(300))  # encrypted "whsec_..."
    events: Mapped[list[str]] = mapped_column(JsonDoc, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class WebhookAttempt(Base):
    """One HTTP attempt of a webhook delivery: the endpoint's delivery log."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_endpoint_at", "endpoint_id", "at"),)

    id: Mapped[int] = mapped_column(LogId, primary_key=True, autoincrement=True)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("notification_deliveries.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(100))  # the webhook-id header
    event_type: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
