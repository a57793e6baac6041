"""Login with mandatory MFA, lockout, token refresh and revocation, password policy, rate
limits: through the real app, store and (for the Redis leg) the real Redis."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pyotp
import pytest
from sqlalchemy import select

from api.auth.throttle import RedisLimiter
from kanta_docs.store.tables import AuditEvent, UserRole
from tests.integration.api.conftest import PASSWORD, make_harness

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.integration.api.conftest import ApiHarness


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_password_alone_opens_nothing_but_mfa(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    _, email = api.user(firm, UserRole.ADMIN)
    step = api.client.post("/auth/login", json={"email": email, "password": PASSWORD}).json()
    assert step["status"] == "mfa_enrollment_required"
    for path in ("/dossiers", "/alerts", "/auth/me"):
        assert api.client.get(path, headers=_bearer(step["enrollment_token"])).status_code == 401
    logged = api.enrol(email)
    step = api.client.post("/auth/login", json={"email": email, "password": PASSWORD}).json()
    assert step["status"] == "mfa_required"
    assert api.client.get("/dossiers", headers=_bearer(step["mfa_token"])).status_code == 401
    assert api.client.get("/auth/me", headers=logged.headers).json()["email"] == email


def test_wrong_password_and_unknown_email_look_the_same_and_lock(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    _, email = api.user(firm, UserRole.COMPLIANCE_OFFICER)
    unknown = api.client.post("/auth/login", json={"email": "nobody@x.fr", "password": "x"})
    wrong = api.client.post("/auth/login", json={"email": email, "password": "Wrong-pass-123!"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["error"]["message"] == wrong.json()["error"]["message"]
    for _ in range(4):
        api.client.post("/auth/login", json={"email": email, "password": "Wrong-pass-123!"})
    locked = api.client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    with api.session() as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        addresses = {e.address for e in db.scalars(select(AuditEvent))}
    assert actions.count("login.failure") == 6
    assert None not in addresses


def test_a_totp_code_works_once_and_a_recovery_code_once(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    _, email = api.user(firm, UserRole.COLLABORATOR)
    user = api.enrol(email)
    codes = user.tokens["recovery_codes"]

    def challenge() -> dict[str, str]:
        step = api.client.post("/auth/login", json={"email": user.email, "password": PASSWORD})
        return _bearer(step.json()["mfa_token"])

    api.clock.advance(31)
    code = pyotp.TOTP(user.totp_secret).at(api.clock.now)
    assert api.client.post("/auth/mfa/verify", headers=challenge(),
                           json={"code": code}).status_code == 200
    replay = api.client.post("/auth/mfa/verify", headers=challenge(), json={"code": code})
    assert replay.status_code == 401
    ok = api.client.post("/auth/mfa/verify", headers=challenge(),
                         json={"recovery_code": codes[0].upper()})
    assert ok.status_code == 200
    again = api.client.post("/auth/mfa/verify", headers=challenge(),
                            json={"recovery_code": codes[0]})
    assert again.status_code == 401


def test_refresh_rotates_and_logout_ends_the_session_at_once(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    user = api.member(firm, UserRole.COMPLIANCE_OFFICER)
    first = user.tokens["refresh_token"]
    renewed = api.client.post("/auth/refresh", json={"refresh_token": first})
    assert renewed.status_code == 200
    assert api.client.post("/auth/refresh", json={"refresh_token": first}).status_code == 401
    access = renewed.json()["access_token"]
    assert api.client.get("/dossiers", headers=_bearer(access)).status_code == 200
    assert api.client.post("/auth/logout", headers=_bearer(access)).status_code == 204
    assert api.client.get("/dossiers", headers=_bearer(access)).status_code == 401
    assert api.client.post("/auth/refresh", json={
        "refresh_token": renewed.json()["refresh_token"]}).status_code == 401


def test_access_tokens_expire(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    user = api.member(firm, UserRole.ADMIN)
    api.clock.advance(api.ctx.settings.access_token_ttl_s + 61)
    assert api.client.get("/dossiers", headers=user.headers).status_code == 401


def test_password_change_checks_the_policy_and_ends_every_session(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    user = api.member(firm, UserRole.ADMIN)
    other_session = api.login(user.email, user.totp_secret)
    weak = api.client.post("/auth/password", headers=user.headers, json={
        "current_password": PASSWORD, "new_password": "motdepasse"})
    assert weak.status_code == 400
    assert weak.json()["error"]["code"] == "weak_password"
    assert len(weak.json()["error"]["details"]) >= 2
    new = "Une-Phrase-Longue-2026!"
    assert api.client.post("/auth/password", headers=user.headers, json={
        "current_password": PASSWORD, "new_password": new}).status_code == 204
    assert api.client.get("/dossiers", headers=other_session.headers).status_code == 401
    assert api.client.get("/dossiers", headers=user.headers).status_code == 401
    assert api.client.post("/auth/login", json={"email": user.email,
                                                "password": PASSWORD}).status_code == 401
    assert api.client.post("/auth/login", json={"email": user.email,
                                                "password": new}).status_code == 200


def test_a_forged_token_is_refused(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    user = api.member(firm, UserRole.ADMIN)
    header, payload, signature = user.tokens["access_token"].split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}AA"
    assert api.client.get("/dossiers", headers=_bearer(tampered)).status_code == 401
    assert api.client.get("/dossiers", headers=_bearer(str(uuid.uuid4()))).status_code == 401


@pytest.fixture
def limited(tmp_path: Path, redis_url: str) -> Iterator[ApiHarness]:
    limiter = RedisLimiter(redis_url, f"kanta-test-{uuid.uuid4().hex}")
    yield from make_harness(tmp_path, limiter=limiter, rate_limit_per_minute=5)
    limiter.close()


def test_rate_limit_per_user_answers_429_with_retry_after(limited: ApiHarness) -> None:
    firm = limited.firm("Cabinet A")
    user = limited.member(firm, UserRole.ADMIN)
    other = limited.member(firm, UserRole.COMPLIANCE_OFFICER)
    statuses = [limited.client.get("/dossiers", headers=user.headers).status_code
                for _ in range(7)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    refused = limited.client.get("/dossiers", headers=user.headers)
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert limited.client.get("/dossiers", headers=other.headers).status_code == 200
