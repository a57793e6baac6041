"""The admin routes through the real app: users, API keys, audit log, firm settings."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
import structlog

from kanta_docs.logs import RedactingFilter, configure_logging, get_logger
from kanta_docs.store.tables import RecoveryCode, User, UserRole
from tests.integration.api.conftest import PASSWORD

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.integration.api.conftest import ApiHarness, LoggedIn

NEW_PASSWORD = "Tempo-Ary-Secret-2026!"
DECLARED = {"client": {"siren": "552100554", "name": "ACME"}, "beneficial_owners": [],
            "officers": []}

# Every admin route, with a valid body, so that a refusal is never a 400 in disguise.
ADMIN_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/users", None),
    ("POST", "/users", {"email": "nouveau@cabinet.example", "display_name": "Nouveau",
                        "role": "collaborator", "password": NEW_PASSWORD}),
    ("GET", "/users/{user}", None),
    ("PATCH", "/users/{user}", {"display_name": "Renommé"}),
    ("POST", "/users/{user}/reset-mfa", None),
    ("POST", "/users/{user}/unlock", None),
    ("POST", "/users/{user}/password", {"password": NEW_PASSWORD}),
    ("GET", "/api-keys", None),
    ("POST", "/api-keys", {"name": "script", "scopes": ["read"]}),
    ("DELETE", "/api-keys/{key}", None),
    ("GET", "/audit", None),
    ("GET", "/firm", None),
    ("PATCH", "/firm", {"name": "Autre nom"}),
]
USER_AND_KEY_ROUTES = [r for r in ADMIN_ROUTES if "{" in r[1]]


def call(api: ApiHarness, method: str, path: str, headers: dict[str, str],
         body: dict[str, Any] | None = None) -> Any:
    if body is None:
        return api.client.request(method, path, headers=headers)
    return api.client.request(method, path, headers=headers, json=body)


def make_key(api: ApiHarness, admin: LoggedIn, scopes: list[str],
             name: str = "script") -> tuple[str, dict[str, Any]]:
    r = api.client.post("/api-keys", headers=admin.headers, json={"name": name, "scopes": scopes})
    assert r.status_code == 201, r.text
    return r.json()["key"], r.json()["api_key"]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def audit(api: ApiHarness, admin: LoggedIn, **filters: str) -> list[dict[str, Any]]:
    r = api.client.get("/audit", headers=admin.headers, params={"limit": "200", **filters})
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def create_user(api: ApiHarness, admin: LoggedIn, role: str = "collaborator",
                email: str | None = None) -> dict[str, Any]:
    email = email or f"u-{uuid.uuid4().hex[:6]}@cabinet.example"
    r = api.client.post("/users", headers=admin.headers, json={
        "email": email, "display_name": "Jeanne Martin", "role": role, "password": PASSWORD})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    with api.session() as db:  # as if they had replaced it already: that step has its own test
        db.get(User, uuid.UUID(body["id"])).password_must_change = False
    return body


def test_every_admin_route_is_declared_admin_only(api: ApiHarness) -> None:
    found = set()
    for route in api.client.app.routes:
        for handler in getattr(route, "route_handlers", []):
            fn = getattr(handler.fn, "func", handler.fn)  # sync handlers are wrapped
            if fn.__module__ != "api.routes.admin":
                continue
            assert handler.opt.get("scope") == "admin", route.path
            assert "admin" in handler.resolve_tags()
            path = route.path.replace("{user_id:uuid}", "{user}").replace("{key_id:uuid}",
                                                                           "{key}")
            found |= {(m, path) for m in handler.http_methods if m not in ("HEAD", "OPTIONS")}
    assert found == {(m, p) for m, p, _ in ADMIN_ROUTES}


@pytest.mark.parametrize("role", [UserRole.COMPLIANCE_OFFICER, UserRole.COLLABORATOR])
def test_non_admins_are_refused_everywhere(api: ApiHarness, role: UserRole) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    _, key = make_key(api, admin, ["read"])
    member = api.member(firm, role)
    for method, path, body in ADMIN_ROUTES:
        url = path.format(user=admin.user_id, key=key["id"])
        r = call(api, method, url, member.headers, body)
        assert r.status_code == 403, (method, url, r.text)
        assert r.json()["error"]["code"] == "insufficient_scope"
        assert call(api, method, url, {}, body).status_code == 401
    # Nothing happened: the admin is intact and the key still live.
    r = api.client.get(f"/users/{admin.user_id}", headers=admin.headers)
    assert r.json()["display_name"] == "Admin" and not r.json()["disabled"]
    assert all(k["revoked_at"] is None
               for k in api.client.get("/api-keys", headers=admin.headers).json()["items"])


def test_api_key_scopes(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    read, _ = make_key(api, admin, ["read"])
    write, _ = make_key(api, admin, ["write"])
    admin_only, _ = make_key(api, admin, ["admin"])
    everything, record = make_key(api, admin, ["admin", "read", "write", "read"])
    assert record["scopes"] == ["read", "write", "admin"]  # deduplicated, canonical order

    assert api.client.get("/dossiers", headers=bearer(read)).status_code == 200
    r = api.client.post("/dossiers", headers=bearer(read), json=DECLARED)
    assert r.status_code == 403 and r.json()["error"]["code"] == "insufficient_scope"
    for method, path, body in ADMIN_ROUTES:
        url = path.format(user=admin.user_id, key=uuid.uuid4())
        assert call(api, method, url, bearer(read), body).status_code == 403, (method, url)
        assert call(api, method, url, bearer(write), body).status_code == 403, (method, url)

    r = api.client.post("/dossiers", headers=bearer(write), json=DECLARED)
    assert r.status_code == 201, r.text

    assert api.client.get("/users", headers=bearer(admin_only)).status_code == 200
    assert api.client.get("/audit", headers=bearer(admin_only)).status_code == 200
    # Scopes nest: admin implies write, which implies read.
    assert api.client.get("/dossiers", headers=bearer(admin_only)).status_code == 200
    assert api.client.get("/dossiers", headers=bearer(write)).status_code == 200
    assert api.client.get("/users", headers=bearer(everything)).status_code == 200
    assert api.client.get("/dossiers", headers=bearer(everything)).status_code == 200

    for bad in ([], ["root"], ["read", "superuser"]):
        r = api.client.post("/api-keys", headers=admin.headers, json={"name": "x", "scopes": bad})
        assert r.status_code == 400, bad
    r = api.client.post("/api-keys", headers=admin.headers,
                        json={"name": "x", "scopes": ["read"], "secret": "mine"})
    assert r.status_code == 400


def test_api_key_lifecycle(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    r = api.client.post("/api-keys", headers=admin.headers,
                        json={"name": "export nocturne", "scopes": ["read"]})
    assert r.status_code == 201, r.text
    key, record = r.json()["key"], r.json()["api_key"]
    secret = key.split("_", 2)[2]
    assert key.startswith(f"kd_{record['prefix']}_")
    assert set(record) == {"id", "name", "prefix", "scopes", "created_by", "created_at",
                           "revoked_at", "last_used_at"}
    assert record["created_by"] == admin.email
    assert record["last_used_at"] is None

    listing = api.client.get("/api-keys", headers=admin.headers)
    assert listing.status_code == 200
    assert secret not in listing.text and "secret_hash" not in listing.text
    (listed,) = listing.json()["items"]
    assert listed == record

    api.clock.advance(60)
    assert api.client.get("/dossiers", headers=bearer(key)).status_code == 200
    assert api.client.get("/dossiers", headers={"X-API-Key": key}).status_code == 200
    (listed,) = api.client.get("/api-keys", headers=admin.headers).json()["items"]
    assert datetime.fromisoformat(listed["last_used_at"]) == api.clock.now

    r = api.client.delete(f"/api-keys/{record['id']}", headers=admin.headers)
    assert r.status_code == 204
    for headers in (bearer(key), {"X-API-Key": key}):
        r = api.client.get("/dossiers", headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"
    (listed,) = api.client.get("/api-keys", headers=admin.headers).json()["items"]
    assert listed["revoked_at"] is not None
    assert api.client.get("/api-keys", headers=admin.headers,
                          params={"revoked": "false"}).json()["total"] == 0
    # Revoking again is a no-op, audited once.
    assert api.client.delete(f"/api-keys/{record['id']}", headers=admin.headers).status_code == 204

    events = audit(api, admin, target_type="api_key")
    assert [e["action"] for e in events] == ["api_key.revoke", "api_key.create"]
    for event in events:
        assert event["target_id"] == record["id"]
        assert event["actor"] == admin.email and event["address"] == "testclient"
        assert event["details"]["prefix"] == record["prefix"]
        assert event["details"]["scopes"] == ["read"]
    assert secret not in api.client.get("/audit", headers=admin.headers).text


def test_user_crud_and_no_credentials_in_responses(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    r = api.client.post("/users", headers=admin.headers, json={
        "email": "  Jeanne.Martin@Cabinet.Example ", "display_name": "Jeanne Martin",
        "role": "compliance_officer", "password": NEW_PASSWORD})
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["email"] == "jeanne.martin@cabinet.example"
    assert user["role"] == "compliance_officer"
    assert not user["mfa_enabled"] and not user["disabled"]
    assert set(user) == {"id", "email", "display_name", "role", "mfa_enabled",
                         "mfa_enabled_at", "disabled", "disabled_at", "password_changed_at",
                         "created_at", "password_change_required"}
    assert user["password_change_required"]  # the administrator chose it
    # The new user logs in with the password they were given, and must enrol MFA.
    step = api.client.post("/auth/login", json={"email": "jeanne.martin@cabinet.example",
                                                "password": NEW_PASSWORD})
    assert step.json()["status"] == "mfa_enrollment_required"

    dup = api.client.post("/users", headers=admin.headers, json={
        "email": "JEANNE.MARTIN@cabinet.example", "display_name": "Autre", "role": "collaborator",
        "password": NEW_PASSWORD})
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "email_taken"
    bad = api.client.post("/users", headers=admin.headers, json={
        "email": "pas-une-adresse", "display_name": "X", "role": "collaborator",
        "password": NEW_PASSWORD})
    assert bad.status_code == 400
    bad = api.client.post("/users", headers=admin.headers, json={
        "email": "x@cabinet.example", "display_name": "X", "role": "superadmin",
        "password": NEW_PASSWORD})
    assert bad.status_code == 400

    page = api.client.get("/users", headers=admin.headers)
    assert page.json()["total"] == 2
    for text in (page.text, api.client.get(f"/users/{admin.user_id}", headers=admin.headers).text):
        assert "argon2" not in text and "password_hash" not in text
        assert "totp" not in text and admin.totp_secret not in text
    only = api.client.get("/users", headers=admin.headers, params={"role": "compliance_officer"})
    assert [u["id"] for u in only.json()["items"]] == [user["id"]]
    r = api.client.patch(f"/users/{user['id']}", headers=admin.headers,
                         json={"display_name": "Jeanne Durand"})
    assert r.status_code == 200 and r.json()["display_name"] == "Jeanne Durand"
    r = api.client.patch(f"/users/{user['id']}", headers=admin.headers,
                         json={"password_hash": "x"})
    assert r.status_code == 400
    (created,) = audit(api, admin, action="user.create")
    assert created["target_id"] == user["id"]
    assert created["details"] == {"email": "jeanne.martin@cabinet.example",
                                  "role": "compliance_officer"}
    assert NEW_PASSWORD not in api.client.get("/audit", headers=admin.headers).text


def test_password_policy_errors_are_french(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    r = api.client.post("/users", headers=admin.headers, json={
        "email": "paul@cabinet.example", "display_name": "Paul Simon", "role": "collaborator",
        "password": "motdepasse"})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "weak_password" and error["message"] == "Mot de passe refusé."
    messages = [d["message"] for d in error["details"]]
    assert "Le mot de passe doit contenir au moins 12 caractères." in messages
    assert all(d["field"] == "password" for d in error["details"])
    assert api.client.get("/users", headers=admin.headers).json()["total"] == 1

    user = create_user(api, admin)
    r = api.client.post(f"/users/{user['id']}/password", headers=admin.headers,
                        json={"password": "Jeanne-Martin-2026!"})
    assert r.status_code == 400
    assert any("nom" in d["message"] for d in r.json()["error"]["details"])


def test_disabling_a_user_ends_their_session_and_blocks_login(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    user = create_user(api, admin, "compliance_officer")
    member = api.enrol(user["email"])
    assert api.client.get("/dossiers", headers=member.headers).status_code == 200

    r = api.client.patch(f"/users/{user['id']}", headers=admin.headers, json={"disabled": True})
    assert r.status_code == 200 and r.json()["disabled"]
    assert r.json()["disabled_at"] is not None
    assert api.client.get("/dossiers", headers=member.headers).status_code == 401
    refresh = api.client.post("/auth/refresh",
                              json={"refresh_token": member.tokens["refresh_token"]})
    assert refresh.status_code == 401
    login = api.client.post("/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert login.status_code == 401
    assert api.client.get("/users", headers=admin.headers,
                          params={"disabled": "true"}).json()["total"] == 1

    r = api.client.patch(f"/users/{user['id']}", headers=admin.headers, json={"disabled": False})
    assert r.status_code == 200 and not r.json()["disabled"]
    again = api.login(user["email"], member.totp_secret)
    assert api.client.get("/dossiers", headers=again.headers).status_code == 200

    disable, enable = (audit(api, admin, action=a)[0] for a in ("user.disable", "user.enable"))
    for event in (disable, enable):
        assert event["actor"] == admin.email and event["address"] == "testclient"
        assert event["target_type"] == "user" and event["target_id"] == user["id"]
    assert disable["details"]["sessions_revoked"] == 1


def test_reset_mfa_forces_reenrolment(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    _, email = api.user(firm, UserRole.COLLABORATOR)
    member = api.enrol(email)  # with recovery codes
    r = api.client.post(f"/users/{member.user_id}/reset-mfa", headers=admin.headers)
    assert r.status_code == 200, r.text
    assert not r.json()["mfa_enabled"] and r.json()["mfa_enabled_at"] is None
    assert api.client.get("/dossiers", headers=member.headers).status_code == 401
    with api.session() as db:
        user = db.get(User, member.user_id)
        assert user is not None
        assert user.totp_secret is None and user.totp_last_step is None
        assert db.query(RecoveryCode).filter(RecoveryCode.user_id == member.user_id).count() == 0
    step = api.client.post("/auth/login", json={"email": member.email, "password": PASSWORD})
    assert step.json()["status"] == "mfa_enrollment_required"
    # The old recovery codes are gone; the new enrolment gives new ones and a working session.
    again = api.enrol(member.email)
    assert again.totp_secret != member.totp_secret
    assert api.client.get("/dossiers", headers=again.headers).status_code == 200
    (event,) = audit(api, admin, action="mfa.reset")
    assert event["target_id"] == str(member.user_id) and event["actor"] == admin.email
    assert event["details"] == {"sessions_revoked": 1, "recovery_codes_deleted": 10}


def test_role_change_takes_effect_at_once(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    officer = api.member(firm, UserRole.COMPLIANCE_OFFICER)
    r = api.client.post("/dossiers", headers=admin.headers, json=DECLARED)
    assert r.status_code == 201, r.text
    dossier_id = r.json()["dossier"]["id"]
    assert api.client.get(f"/dossiers/{dossier_id}", headers=officer.headers).status_code == 200

    r = api.client.patch(f"/users/{officer.user_id}", headers=admin.headers,
                         json={"role": "collaborator"})
    assert r.status_code == 200 and r.json()["role"] == "collaborator"
    # The same access token, now a collaborator's: unassigned dossiers are out of sight.
    assert api.client.get(f"/dossiers/{dossier_id}", headers=officer.headers).status_code == 404
    assert api.client.get("/dossiers", headers=officer.headers).json()["total"] == 0
    assert api.client.post("/dossiers", headers=officer.headers, json=DECLARED).status_code == 403

    r = api.client.patch(f"/users/{officer.user_id}", headers=admin.headers,
                         json={"role": "admin"})
    assert r.status_code == 200
    assert api.client.get("/users", headers=officer.headers).status_code == 200
    changes = audit(api, admin, action="role.change")
    assert [e["details"] for e in changes] == [
        {"from": "collaborator", "to": "admin"},
        {"from": "compliance_officer", "to": "collaborator"}]
    assert all(e["target_id"] == str(officer.user_id) and e["actor"] == admin.email
               and e["address"] == "testclient" for e in changes)


def test_admin_cannot_lock_themself_out(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    me = f"/users/{admin.user_id}"
    for body in ({"disabled": True}, {"role": "collaborator"},
                 {"role": "compliance_officer", "display_name": "Moi"}):
        r = api.client.patch(me, headers=admin.headers, json=body)
        assert r.status_code == 409 and r.json()["error"]["code"] == "self_change_refused"
    posts: list[tuple[str, dict[str, Any] | None]] = [
        (f"{me}/reset-mfa", None), (f"{me}/password", {"password": NEW_PASSWORD})]
    for path, payload in posts:
        r = call(api, "POST", path, admin.headers, payload)
        assert r.status_code == 409, path
    r = api.client.get(me, headers=admin.headers)
    assert r.json()["role"] == "admin" and r.json()["display_name"] == "Admin"
    assert api.client.patch(me, headers=admin.headers,
                            json={"display_name": "Moi", "role": "admin"}).status_code == 200

    # An admin API key cannot leave the firm without an active administrator either.
    key, _ = make_key(api, admin, ["admin"])
    for body in ({"disabled": True}, {"role": "compliance_officer"}):
        r = api.client.patch(me, headers=bearer(key), json=body)
        assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"
    second = create_user(api, admin, "admin")
    r = api.client.patch(me, headers=bearer(key), json={"disabled": True})
    assert r.status_code == 200
    r = api.client.patch(f"/users/{second['id']}", headers=bearer(key), json={"disabled": True})
    assert r.status_code == 409 and r.json()["error"]["code"] == "last_admin"
    # The admin is disabled now: read the log with the key.
    r = api.client.get("/audit", headers=bearer(key), params={"action": "user.disable"})
    (event,) = r.json()["items"]
    assert event["actor"] == f"api-key:{key.split('_')[1]}"
    assert event["target_id"] == str(admin.user_id)


def test_unlock_lifts_the_login_lockout(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    user = create_user(api, admin)
    for _ in range(5):
        r = api.client.post("/auth/login", json={"email": user["email"], "password": "wrong"})
        assert r.status_code == 401
    r = api.client.post("/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert r.status_code == 429
    r = api.client.post(f"/users/{user['id']}/unlock", headers=admin.headers)
    assert r.status_code == 204
    r = api.client.post("/auth/login", json={"email": user["email"], "password": PASSWORD})
    assert r.status_code == 200
    (event,) = audit(api, admin, action="user.unlock")
    assert event["target_id"] == user["id"] and event["address"] == "testclient"


def test_admin_sets_a_temporary_password(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    member = api.member(firm, UserRole.COLLABORATOR)
    r = api.client.post(f"/users/{member.user_id}/password", headers=admin.headers,
                        json={"password": NEW_PASSWORD})
    assert r.status_code == 204, r.text
    assert api.client.get("/dossiers", headers=member.headers).status_code == 401
    old = api.client.post("/auth/login", json={"email": member.email, "password": PASSWORD})
    assert old.status_code == 401
    again = api.login(member.email, member.totp_secret, password=NEW_PASSWORD)
    (event,) = audit(api, admin, action="password.reset")
    assert event["target_id"] == str(member.user_id)
    assert event["details"] == {"sessions_revoked": 1}
    # The administrator knows that password: nothing but changing it answers until it is.
    for method, path in (("GET", "/dossiers"), ("GET", "/search/documents?q=x"),
                         ("POST", "/dossiers")):
        r = api.client.request(method, path, headers=again.headers, json={})
        assert r.status_code == 403, (path, r.text)
        assert r.json()["error"]["code"] == "password_change_required"
    me = api.client.get("/auth/me", headers=again.headers)
    assert me.status_code == 200 and me.json()["password_change_required"] is True
    changed = api.client.post("/auth/password", headers=again.headers, json={
        "current_password": NEW_PASSWORD, "new_password": "Autre-Phrase-Secrete-2026!"})
    assert changed.status_code == 204, changed.text
    final = api.login(member.email, member.totp_secret, password="Autre-Phrase-Secrete-2026!")
    assert api.client.get("/dossiers", headers=final.headers).status_code == 200
    me = api.client.get("/auth/me", headers=final.headers)
    assert me.json()["password_change_required"] is False


def test_firm_settings(api: ApiHarness) -> None:
    firm = api.firm("Cabinet A")
    other = api.firm("Cabinet B")
    admin = api.member(firm, UserRole.ADMIN)
    r = api.client.get("/firm", headers=admin.headers)
    assert r.status_code == 200
    assert r.json()["name"] == "Cabinet A" and r.json()["contract_end_date"] is None
    r = api.client.patch("/firm", headers=admin.headers, json={
        "name": "Cabinet A & Associés", "contract_end_date": "2027-12-31",
        "settings": {"sla_days": {"high": 1, "medium": 5, "low": 20}}})
    assert r.status_code == 200, r.text
    assert r.json()["settings"]["sla_days"] == {"high": 1, "medium": 5, "low": 20}
    assert r.json()["contract_end_date"] == "2027-12-31"
    for bad in ({"settings": {"sla_days": {"high": 1, "medium": 5, "low": 20}, "x": 1}},
                {"settings": {"sla_days": {"high": 1, "medium": 5}}},
                {"settings": {"sla_days": {"high": 1, "medium": 5, "low": 20, "urgent": 1}}},
                {"settings": {"sla_days": {"high": 0, "medium": 5, "low": 20}}},
                {"settings": {"sla_days": {"high": "2", "medium": 5, "low": 20}}},
                {"name": ""}, {"id": str(other)}, {"contract_end_date": "demain"}):
        r = api.client.patch("/firm", headers=admin.headers, json=bad)
        assert r.status_code == 400, bad
    r = api.client.patch("/firm", headers=admin.headers, json={"contract_end_date": None})
    assert r.status_code == 200 and r.json()["contract_end_date"] is None
    assert r.json()["name"] == "Cabinet A & Associés"  # absent fields unchanged
    events = audit(api, admin, action="firm.update")
    assert [e["details"] for e in events] == [
        {"contract_end_date": {"from": "2027-12-31", "to": None}},
        {"name": {"from": "Cabinet A", "to": "Cabinet A & Associés"},
         "contract_end_date": {"from": None, "to": "2027-12-31"},
         "sla_days": {"from": None, "to": {"high": 1, "medium": 5, "low": 20}}}]
    assert all(e["target_id"] == str(firm) for e in events)
    with api.session() as db:
        from kanta_docs.store.repositories import FirmScope
        assert FirmScope(db, firm).sla_days("high") == 1
        assert FirmScope(db, other).sla_days("high") == 2  # the other firm is untouched


def test_another_firms_users_and_keys_are_not_found(api: ApiHarness) -> None:
    firm_a, firm_b = api.firm("Cabinet A"), api.firm("Cabinet B")
    admin_a = api.member(firm_a, UserRole.ADMIN)
    admin_b = api.member(firm_b, UserRole.ADMIN)
    user_b = api.member(firm_b, UserRole.COLLABORATOR)
    key_b, record_b = make_key(api, admin_b, ["read"])
    for method, path, body in USER_AND_KEY_ROUTES:
        theirs = call(api, method, path.format(user=user_b.user_id, key=record_b["id"]),
                      admin_a.headers, body)
        nobody = call(api, method, path.format(user=uuid.uuid4(), key=uuid.uuid4()),
                      admin_a.headers, body)
        assert theirs.status_code == nobody.status_code == 404, (method, path, theirs.text)
        assert theirs.json() == nobody.json()
        assert theirs.json()["error"]["code"] == "not_found"
    # Firm B's user and key are untouched.
    assert api.client.get("/dossiers", headers=user_b.headers).status_code == 200
    assert api.client.get("/dossiers", headers=bearer(key_b)).status_code == 200
    r = api.client.get(f"/users/{user_b.user_id}", headers=admin_b.headers)
    assert r.json()["display_name"] == "Collaborator" and not r.json()["disabled"]
    # Lists show only the caller's firm.
    users_a = api.client.get("/users", headers=admin_a.headers).json()["items"]
    assert [u["id"] for u in users_a] == [str(admin_a.user_id)]
    assert api.client.get("/api-keys", headers=admin_a.headers).json()["total"] == 0


def test_audit_log_is_the_callers_firm_only(api: ApiHarness) -> None:
    firm_a, firm_b = api.firm("Cabinet A"), api.firm("Cabinet B")
    admin_a = api.member(firm_a, UserRole.ADMIN)
    admin_b = api.member(firm_b, UserRole.ADMIN)
    user_a = create_user(api, admin_a)
    user_b = create_user(api, admin_b)
    make_key(api, admin_a, ["read"])
    make_key(api, admin_b, ["read"])
    api.client.patch(f"/users/{user_b['id']}", headers=admin_b.headers, json={"disabled": True})

    events_a = audit(api, admin_a)
    assert events_a and all(e["actor"] != admin_b.email for e in events_a)
    assert all(e["target_id"] not in (user_b["id"], str(admin_b.user_id)) for e in events_a)
    assert audit(api, admin_a, actor=admin_b.email) == []
    assert audit(api, admin_a, target_id=user_b["id"]) == []
    assert audit(api, admin_b, target_id=user_b["id"])  # firm B sees its own

    ids = [e["id"] for e in events_a]
    assert ids == sorted(ids, reverse=True)  # newest first
    (created,) = audit(api, admin_a, action="user.create", target_type="user")
    assert created["target_id"] == user_a["id"] and created["actor"] == admin_a.email
    assert created["address"] == "testclient"
    later = (api.clock.now + timedelta(days=1)).isoformat()
    assert audit(api, admin_a, action="user.create", since=later) == []
    assert audit(api, admin_a, action="user.create", until=later) == [created]
    r = api.client.get("/audit", headers=admin_a.headers,
                       params={"since": later, "until": api.clock.now.isoformat()})
    assert r.status_code == 400
    assert api.client.get("/audit", headers=admin_a.headers,
                          params={"since": "hier"}).status_code == 400
    page = api.client.get("/audit", headers=admin_a.headers, params={"limit": "1"}).json()
    assert len(page["items"]) == 1 and page["total"] == len(events_a)


@pytest.fixture
def redacting_logs() -> Iterator[None]:
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
    saved = {n: logging.getLogger(n).filters[:] for n in names}
    handler_filters = {h: h.filters[:] for h in logging.getLogger().handlers}
    configure_logging("INFO")
    yield
    for name, filters in saved.items():
        logging.getLogger(name).filters[:] = filters
    for handler, filters in handler_filters.items():
        handler.filters[:] = filters
    structlog.reset_defaults()


def test_a_created_key_never_reaches_the_logs(api: ApiHarness, redacting_logs: None,
                                              capsys: pytest.CaptureFixture[str],
                                              caplog: pytest.LogCaptureFixture) -> None:
    firm = api.firm("Cabinet A")
    admin = api.member(firm, UserRole.ADMIN)
    key, record = make_key(api, admin, ["read"])
    secret = key.split("_", 2)[2]
    capsys.readouterr()
    get_logger("api.request").info("request", authorization=f"Bearer {key}",
                                   access_token=admin.tokens["access_token"],
                                   refresh=admin.tokens["refresh_token"])
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["authorization"] == f"Bearer kd_{record['prefix']}_***"
    assert line["access_token"] == "***" and line["refresh"] == "***"

    caplog.handler.addFilter(RedactingFilter())  # as configure_logging does for the root's
    with caplog.at_level(logging.INFO):
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "10.0.0.1:1", "GET",
                                                 f"/dossiers?key={key}", "1.1", 200)
        logging.getLogger("httpx").info("sent X-API-Key: %s", key)
    assert f"/dossiers?key=kd_{record['prefix']}_***" in caplog.text
    assert f"X-API-Key: kd_{record['prefix']}_***" in caplog.text
    assert secret not in caplog.text
