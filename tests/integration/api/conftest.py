"""API fixtures: the real app (Litestar TestClient) on a real migrated store, in-process queue.

`api` gives an `ApiHarness`: the app's client, its context, a controllable clock (TOTP codes are
single-use per 30-second step, so each login moves the clock on), and helpers that create users
and log them in through the real MFA flow. The store is SQLite by default; tests marked with the
`pg_api` fixture run on PostgreSQL too.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pyotp
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.auth.passwords import hash_password
from api.auth.throttle import Limiter, MemoryLimiter
from api.context import ApiContext, build_context
from kanta_docs.config import Settings
from kanta_docs.store import repositories as repo
from kanta_docs.store.db import upgrade
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import User, UserRole
from kanta_docs.tasks import build_runtime

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterator
    from pathlib import Path

PASSWORD = "Correct-Horse-Battery-42!"


@dataclass
class Clock:
    """A clock the test moves; starts at a fixed instant."""

    now: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class LoggedIn:
    """A user and the headers of their session."""

    user_id: uuid.UUID
    firm_id: uuid.UUID
    email: str
    role: UserRole
    totp_secret: str
    tokens: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}"}


@dataclass
class ApiHarness:
    client: TestClient[Any]
    ctx: ApiContext
    clock: Clock

    def session(self) -> Any:
        return self.ctx.runtime.sessions.begin()

    def firm(self, name: str) -> uuid.UUID:
        with self.session() as db:
            return repo.create_firm(db, name).id

    def user(self, firm_id: uuid.UUID, role: UserRole, email: str | None = None,
             password: str = PASSWORD) -> tuple[uuid.UUID, str]:
        """A user with a password and no MFA yet."""
        email = email or f"{role.value}-{secrets.token_hex(3)}@cabinet.example"
        with self.session() as db:
            user = FirmScope(db, firm_id).add_user(email.lower(), role.value.title(), role)
            user.password_hash = hash_password(password)
            return user.id, email.lower()

    def enrol(self, email: str, password: str = PASSWORD) -> LoggedIn:
        """Log in for the first time: password, MFA enrolment, first code."""
        step = self.client.post("/auth/login", json={"email": email, "password": password})
        assert step.status_code == 200, step.text
        token = step.json()["enrollment_token"]
        auth = {"Authorization": f"Bearer {token}"}
        enrolment = self.client.post("/auth/mfa/enroll", headers=auth)
        assert enrolment.status_code == 200, enrolment.text
        secret = enrolment.json()["secret"]
        self.clock.advance(31)
        code = pyotp.TOTP(secret).at(self.clock.now)
        confirmed = self.client.post("/auth/mfa/confirm", headers=auth, json={"code": code})
        assert confirmed.status_code == 200, confirmed.text
        return self._logged_in(email, secret, confirmed.json())

    def login(self, email: str, totp_secret: str, password: str = PASSWORD) -> LoggedIn:
        """Log in again: password, then a fresh TOTP code."""
        step = self.client.post("/auth/login", json={"email": email, "password": password})
        assert step.status_code == 200, step.text
        self.clock.advance(31)
        code = pyotp.TOTP(totp_secret).at(self.clock.now)
        tokens = self.client.post("/auth/mfa/verify", json={"code": code}, headers={
            "Authorization": f"Bearer {step.json()['mfa_token']}"})
        assert tokens.status_code == 200, tokens.text
        return self._logged_in(email, totp_secret, tokens.json())

    def member(self, firm_id: uuid.UUID, role: UserRole, email: str | None = None) -> LoggedIn:
        """A user of the firm with MFA already set up (as after `enrol`), logged in through
        the real login: password, then a TOTP code. Enrolment itself is tested on its own;
        skipping it here saves ten argon2 hashes of recovery codes per user."""
        user_id, email = self.user(firm_id, role, email)
        secret = pyotp.random_base32()
        with self.session() as db:
            user = db.get(User, user_id)
            assert user is not None
            user.totp_secret = self.ctx.totp_box.encrypt(secret)
            user.mfa_enabled_at = self.clock.now
        return self.login(email, secret)

    def _logged_in(self, email: str, secret: str, tokens: dict[str, Any]) -> LoggedIn:
        with self.session() as db:
            user = db.query(User).filter(User.email == email).one()
            return LoggedIn(user.id, user.firm_id, email, user.role, secret, tokens)


def make_harness(tmp_path: Path, database_url: str = "", limiter: Limiter | None = None,
                 **overrides: Any) -> Iterator[ApiHarness]:
    """The app on a fresh store under `tmp_path` (SQLite unless `database_url`)."""
    values: dict[str, Any] = {"rate_limit_per_minute": 10_000, **overrides}
    settings = Settings(home=tmp_path, database_url=database_url
                        or f"sqlite:///{tmp_path / 'kanta.sqlite3'}",
                        broker_url="memory", secret_key=secrets.token_hex(32), **values)
    upgrade(settings.resolved_database_url)
    runtime = build_runtime(settings, queue_factory="memory")
    clock = Clock()
    ctx = build_context(settings, runtime, limiter=limiter or MemoryLimiter())
    ctx.clock = clock
    with TestClient(create_app(ctx)) as client:
        yield ApiHarness(client, ctx, clock)
    runtime.queue.join()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[ApiHarness]:
    yield from make_harness(tmp_path)
