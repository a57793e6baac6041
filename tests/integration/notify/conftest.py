"""Notification fixtures: a real SMTP server (aiosmtpd) on loopback, and the real app and task
runtime (ApiHarness) on a migrated store whose KANTA_SMTP_URL points at it.

Days are simulated: each step passes `now` (08:00 in Paris on the simulated day) to the scan,
the digest and the delivery, so backoffs and look-backs behave as they would over real days.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from kanta_docs.notify.digest import send_digests
from kanta_docs.notify.jobs import deliver_all
from kanta_docs.store import repositories as repo
from kanta_docs.store.repositories import FirmScope, NewDocument
from kanta_docs.store.tables import DocState, Document, NotificationDelivery, UserRole
from tests.integration.api.conftest import ApiHarness, make_harness
from tests.integration.store.conftest import create_schema, drop_schema

if TYPE_CHECKING:
    from collections.abc import Iterator
    from email.message import EmailMessage
    from pathlib import Path

    from kanta_docs.tasks import Runtime

PARIS = ZoneInfo("Europe/Paris")
BASE_URL = "https://kanta.cabinet.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """What the SMTP server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str, kind: str | None = None) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address
                and (kind is None or m["X-Kanta-Notification"] == kind)]

    def clear(self) -> None:
        self.messages.clear()


class SmtpServer:
    """An aiosmtpd server that can be stopped (an outage) and started again on its port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def morning(day: date, hour: int = 8) -> datetime:
    """`hour`:00 in Paris on `day`, as an aware UTC instant."""
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


@dataclass
class World:
    """A firm with an admin, a compliance officer and two collaborators, each with a dossier."""

    api: ApiHarness
    smtp: SmtpServer
    firm_id: uuid.UUID = field(default_factory=uuid.uuid4)
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    dossiers: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def rt(self) -> Runtime:
        return self.api.ctx.runtime

    def session(self) -> Any:
        return self.rt.sessions.begin()

    def add_user(self, name: str, role: UserRole) -> uuid.UUID:
        with self.session() as db:
            user = FirmScope(db, self.firm_id).add_user(
                f"{name}@cabinet.example", name.title(), role)
            self.users[name], self.emails[name] = user.id, user.email
            return user.id

    def add_dossier(self, key: str, name: str, siren: str, collaborator: str | None) -> uuid.UUID:
        with self.session() as db:
            scope = FirmScope(db, self.firm_id)
            dossier, _ = scope.upsert_dossier(
                siren, name, collaborator_id=self.users[collaborator] if collaborator else None)
            if collaborator:
                scope.set_assignees(dossier.id, [self.users[collaborator]], "test")
            self.dossiers[key] = dossier.id
            return dossier.id

    def add_document(self, dossier: str, file_name: str, doc_type: str, *,
                     expires: date | None = None, dated: date | None = None) -> uuid.UUID:
        with self.session() as db:
            doc, _ = FirmScope(db, self.firm_id).add_document(NewDocument(
                self.dossiers[dossier], uuid.uuid4().hex * 2, file_name, 1000,
                "application/pdf"))
            doc.state = DocState.PROCESSED
            doc.doc_type = doc_type
            doc.expiry_date = doc.effective_expiry_date = expires
            doc.document_date = dated
            return doc.id

    def set_settings(self, **notifications: Any) -> None:
        with self.session() as db:
            firm = repo.get_firm(db, self.firm_id)
            assert firm is not None
            firm.settings = {**firm.settings, "notifications": notifications}

    def day(self, day: date, *, deliver: bool = True) -> int:
        """The day's scan and digests, then the deliveries; returns digests queued."""
        now = morning(day)
        queued = send_digests(self.rt, day.isoformat(), now=now)
        if deliver:
            deliver_all(self.rt, now)
        return queued

    def deliveries(self, kind: str | None = None) -> list[NotificationDelivery]:
        with self.session() as db:
            query = select(NotificationDelivery).order_by(NotificationDelivery.id)
            if kind:
                query = query.where(NotificationDelivery.kind == kind)
            rows = list(db.scalars(query))
            db.expunge_all()
            return rows

    def document(self, doc_id: uuid.UUID) -> Document:
        with self.session() as db:
            doc = db.get(Document, doc_id)
            assert doc is not None
            db.expunge(doc)
            return doc


def build_world(api: ApiHarness, smtp: SmtpServer) -> World:
    world = World(api, smtp, firm_id=api.firm("Cabinet Martin & Associés"))
    world.add_user("admin", UserRole.ADMIN)
    world.add_user("conformite", UserRole.COMPLIANCE_OFFICER)
    world.add_user("alice", UserRole.COLLABORATOR)
    world.add_user("bruno", UserRole.COLLABORATOR)
    world.add_dossier("acme", "ACME <Industries> & Fils", "552100554", "alice")
    world.add_dossier("boreal", "Boréal Conseil", "732829320", "bruno")
    return world


def harness(tmp_path: Path, smtp: SmtpServer, database_url: str = "") -> Iterator[ApiHarness]:
    yield from make_harness(tmp_path, database_url, smtp_url=smtp.url,
                            public_base_url=BASE_URL)


@pytest.fixture
def world(tmp_path: Path, smtp: SmtpServer) -> Iterator[World]:
    for api in harness(tmp_path, smtp):
        yield build_world(api, smtp)


@pytest.fixture
def pg_world(tmp_path: Path, smtp: SmtpServer, postgres_url: str) -> Iterator[World]:
    name = f"kanta_n_{uuid.uuid4().hex[:10]}"
    url = create_schema(postgres_url, name)
    try:
        for api in harness(tmp_path, smtp, url):
            yield build_world(api, smtp)
    finally:
        drop_schema(postgres_url, name)
