"""Webhook fixtures: a real HTTP receiver on loopback, a migrated SQLite store per test.

`Receiver` is a threading `http.server` on 127.0.0.1 that records every request (path, headers,
body) and answers the status it is told. `WebhookWorld` holds the settings (loopback allowed,
a fixed master key), a minimal runtime (the delivery log needs `sessions`, the sender
`settings`) and helpers that create firms, users and endpoints.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from kanta_docs.config import Settings
from kanta_docs.notify import webhooks as wh
from kanta_docs.notify.secrets import webhook_secret_box
from kanta_docs.store import repositories as repo
from kanta_docs.store.db import make_engine, session_factory
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import UserRole, WebhookEndpoint
from tests.integration.store.conftest import _empty_pg, pg_schema_engine, sqlite_template

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

# Re-exported: pytest finds fixtures by name in this module.
__all__ = ["pg_schema_engine", "sqlite_template"]

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """An HTTP server on loopback recording what it receives."""

    def __init__(self, port: int = 0, status: int | Callable[[Received], int] = 200) -> None:
        self.requests: list[Received] = []
        self.status = status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                got = Received(self.path, {k.lower(): v for k, v in self.headers.items()},
                               self.rfile.read(length))
                receiver.requests.append(got)
                status = receiver.status(got) if callable(receiver.status) else receiver.status
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    """A loopback port nothing listens on (bound then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Rt:
    """What the delivery log and the webhook sender use of the service's Runtime."""

    settings: Settings
    sessions: sessionmaker[Session]


@dataclass
class WebhookWorld:
    rt: Rt
    receivers: list[Receiver] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.rt.settings

    def session(self) -> Any:
        return self.rt.sessions.begin()

    def receiver(self, port: int = 0, status: int | Callable[[Received], int] = 200,
                 ) -> Receiver:
        r = Receiver(port, status)
        self.receivers.append(r)
        return r

    def firm(self, name: str = "Cabinet Exemple") -> uuid.UUID:
        with self.session() as db:
            return repo.create_firm(db, name, now=T0).id

    def user(self, firm_id: uuid.UUID, role: UserRole, email: str,
             disabled: bool = False) -> uuid.UUID:
        with self.session() as db:
            user = FirmScope(db, firm_id).add_user(email, email.split("@")[0], role)
            if disabled:
                user.disabled_at = T0
            return user.id

    def endpoint(self, firm_id: uuid.UUID, url: str, events: list[str] | None = None,
                 enabled: bool = True, secret: str | None = None) -> tuple[uuid.UUID, str]:
        """An endpoint and its clear secret."""
        secret = secret or wh.new_secret()
        with self.session() as db:
            endpoint = WebhookEndpoint(
                firm_id=firm_id, url=url, description="", events=events or ["*"],
                secret=webhook_secret_box(self.settings).encrypt(secret), enabled=enabled,
                consecutive_failures=0, created_by="test", created_at=T0)
            db.add(endpoint)
            db.flush()
            return endpoint.id, secret


def make_world(tmp_path: Path, template: Path | None = None, engine: Engine | None = None,
               **overrides: Any) -> Iterator[WebhookWorld]:
    """A world on a copy of the SQLite template, or on `engine` (PostgreSQL, emptied)."""
    if engine is None:
        assert template is not None
        path = tmp_path / "kanta.sqlite3"
        shutil.copyfile(template, path)
        url = f"sqlite:///{path}"
        own = make_engine(url)
    else:
        _empty_pg(engine)
        url = engine.url.render_as_string(hide_password=False)
        own = None
    values: dict[str, Any] = {"webhook_allow_private": True, **overrides}
    settings = Settings(home=tmp_path, database_url=url, broker_url="memory",
                        secret_key=secrets.token_hex(32), **values)
    world = WebhookWorld(Rt(settings, session_factory(own or engine)))
    try:
        yield world
    finally:
        for r in world.receivers:
            r.stop()
        if own is not None:
            own.dispose()


@pytest.fixture
def world(tmp_path: Path, sqlite_template: Path) -> Iterator[WebhookWorld]:
    yield from make_world(tmp_path, sqlite_template)


@pytest.fixture(params=["sqlite", "postgres"])
def any_world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WebhookWorld]:
    """A world on each engine (the PostgreSQL leg skips where no server runs)."""
    if request.param == "sqlite":
        yield from make_world(tmp_path, request.getfixturevalue("sqlite_template"))
    else:
        yield from make_world(tmp_path, engine=request.getfixturevalue("pg_schema_engine"))
