"""Tenant isolation and authentication, swept over every operation of the OpenAPI schema.

The operations come from /schema/openapi.json (a throwaway app serves it at collection time, so
each operation is its own test id; `test_the_sweep_covers_every_operation` checks the live app
serves the same list). A route added later is swept without touching this file; a route whose
path parameter the world does not know fails with a message saying where to teach it.

For every operation except the public ones (login, MFA, refresh, health, schema):
- firm A's admin, compliance officer, collaborator and API keys (read, write, admin) call it with
  firm B's ids: never 2xx, never 5xx, the same answer as for ids that do not exist (so no status
  tells B's objects exist), and none of B's ids, names, SIRENs, e-mails or file bytes in the
  answer (body or headers);
- A's collaborator calls it with A's dossier D2 (not assigned to them): the same, for D2;
- without credentials, or with a forged, expired, pre-MFA, revoked or malformed credential: 401.
Query parameters that take ids (`?dossier_id=`, `?assignee_id=`, ...) given B's ids list nothing,
and body fields that reference users or dossiers (`user_ids`, `assignee_id`) refuse B's.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import jwt
import pytest
from litestar.routes import HTTPRoute

from api.auth.tokens import issue_token
from kanta_docs.store.tables import AuthSession
from tests.integration.api.conftest import make_harness
from tests.integration.api.world import (
    SCHEMA_PATH,
    FirmWorld,
    Operation,
    World,
    build_world,
    is_public,
    mint_session,
    new_session,
    offline_schema,
    operations,
    random_siren,
    request_kwargs,
    resolve,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from httpx import Response

SCHEMA = offline_schema()
OPERATIONS = operations(SCHEMA)
PRIVATE = [op for op in OPERATIONS if not op.is_public]
PUBLIC = [op for op in OPERATIONS if op.is_public]
WITH_PATH_IDS = [op for op in PRIVATE if op.path_parameters]
# Path parameters that designate something inside a dossier (a collaborator's reach).
DOSSIER_PARAMETERS = {"dossier_id", "client_id", "document_id", "doc_id", "file_id", "alert_id",
                      "risk_id", "assessment_id", "siren"}
IN_DOSSIER = [op for op in WITH_PATH_IDS
              if any(p["name"] in DOSSIER_PARAMETERS for p in op.path_parameters)]
# Query parameters that take an id of something another firm owns.
ID_QUERY = re.compile(r"(_id|_ids|^actor|^siren|^email)$")
WITH_ID_QUERY = [op for op in PRIVATE if op.method == "GET" and not op.path_parameters
                 and any(ID_QUERY.search(p["name"]) for p in op.query_parameters)]


def body_references(op: Operation) -> list[str]:
    """The fields of the operation's JSON body that hold ids of other objects."""
    found: set[str] = set()

    def walk(node: Any, depth: int = 0) -> None:
        node = resolve(SCHEMA, node)
        if not isinstance(node, dict) or depth > 8:
            return
        for name, prop in node.get("properties", {}).items():
            if REFERENCE_FIELD.search(name):
                found.add(name)
            walk(prop, depth + 1)
        for key in ("items", "additionalProperties"):
            walk(node.get(key), depth + 1)
        for key in ("oneOf", "anyOf", "allOf"):
            for option in node.get(key, []):
                walk(option, depth + 1)

    content = (op.spec.get("requestBody") or {}).get("content", {})
    walk(content.get("application/json", {}).get("schema"))
    return sorted(found)


REFERENCE_FIELD = re.compile(r"^(user|assignee|dossier|document|alert|collaborator|member|"
                             r"key|api_key)_ids?$")
BODY_REFERENCES = [op for op in WITH_PATH_IDS if body_references(op)]
# Statuses that refuse without looking at the object; they must then be the same for B's ids
# as for ids that exist nowhere.
REFUSALS = {400, 403, 404, 405, 409, 413, 415, 422}
# Whatever the tests send that must not count as a leak when a response echoes it.
MIN_SECRET_LEN = 6


def _id(op: Operation) -> str:
    return op.id


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    for api in make_harness(tmp_path_factory.mktemp("isolation_sweep")):
        yield build_world(api)


# ---------------------------------------------------------------------------------------------
# Helpers


def call(world: World, op: Operation, kwargs: dict[str, Any],
         headers: dict[str, str]) -> Response:
    """One request to `op` as `request_kwargs` built it."""
    extra = dict(kwargs.get("headers", {}))
    return world.api.client.request(
        op.method, kwargs["url"], params=kwargs.get("params") or None, json=kwargs.get("json"),
        files=kwargs.get("files"), content=kwargs.get("content"),
        headers={**extra, **headers})


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield str(value)


def sent_text(kwargs: dict[str, Any]) -> str:
    """Everything a request carried, lower case (a response may echo it without leaking)."""
    parts = [kwargs["url"], *_strings(kwargs.get("params")), *_strings(kwargs.get("json"))]
    return "\n".join(parts).lower()


def leaks(response: Response, secrets_: dict[str, str], sent: str) -> list[str]:
    """The labels of `secrets_` found in the response's body or headers (echoes excluded)."""
    text = response.content.decode("utf-8", errors="replace").lower()
    text += "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items()).lower()
    return sorted(label for label, value in secrets_.items()
                  if len(value) >= MIN_SECRET_LEN and value.lower() in text
                  and value.lower() not in sent)


def slot_secrets(firm: FirmWorld, slot: str) -> dict[str, str]:
    """The firm's secrets that belong to one dossier."""
    return {label: value for label, value in firm.secrets().items()
            if label.startswith(f"{slot} ")}


def unknown_ids(ids: dict[str, str]) -> dict[str, str]:
    """The same parameters, pointing at nothing that exists."""
    out = {}
    for name, value in ids.items():
        try:
            uuid.UUID(value)
        except ValueError:
            out[name] = random_siren() if value.isdigit() else f"zz{secrets.token_hex(4)}"
        else:
            out[name] = str(uuid.uuid4())
    return out


def callers(world: World, firm: FirmWorld, op: Operation) -> dict[str, Any]:
    """The firm's ways in; a call that may end a session gets a session of its own."""
    out: dict[str, Any] = {}
    for role, member in firm.members.items():
        out[role] = (lambda m=member: mint_session(world.api, m)) if op.ends_session \
            else (lambda m=member: m.headers)
    for scope, key in firm.api_keys.items():
        out[f"api-key:{scope}"] = lambda k=key: k.headers
    return out


def error_code(response: Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def describe(response: Response) -> str:
    return f"{response.status_code} {response.text[:300]}"


def check_refused_like_unknown(label: str, response: Response, unknown: Response,
                               problems: list[str]) -> None:
    """`response` (an object the caller may not see) must not differ from `unknown` (an id
    that exists nowhere): no 2xx, no 5xx, same status and error code."""
    status = response.status_code
    if status >= 500:
        problems.append(f"{label}: server error {describe(response)}")
    elif status < 400:
        problems.append(f"{label}: answered {describe(response)}")
    elif status not in REFUSALS:
        problems.append(f"{label}: unexpected status {describe(response)}")
    elif (status, error_code(response)) != (unknown.status_code, error_code(unknown)):
        problems.append(f"{label}: {status}/{error_code(response)} for a hidden object but "
                        f"{unknown.status_code}/{error_code(unknown)} for a missing one "
                        f"(existence oracle)")


def fail_if(problems: list[str], what: str) -> None:
    if problems:
        pytest.fail(f"{what}: {len(problems)} problem(s)\n  " + "\n  ".join(problems),
                    pytrace=False)


# ---------------------------------------------------------------------------------------------
# The sweep is complete


def test_the_sweep_covers_every_operation(world: World) -> None:
    live = world.api.client.get(SCHEMA_PATH).json()
    live_ops = {op.id for op in operations(live)}
    swept = {op.id for op in PRIVATE}
    non_public = {op.id for op in operations(live) if not op.is_public}
    assert live_ops == {op.id for op in OPERATIONS}, (
        "the app serves other operations than the schema collected: "
        f"{sorted(live_ops ^ {op.id for op in OPERATIONS})}")
    assert swept >= non_public, f"not swept: {sorted(non_public - swept)}"
    assert len(swept) >= len(non_public)
    assert len(swept) >= 15, f"only {len(swept)} operations swept"
    assert len(WITH_PATH_IDS) >= 10, [op.id for op in WITH_PATH_IDS]
    assert len(IN_DOSSIER) >= 8, [op.id for op in IN_DOSSIER]
    assert WITH_ID_QUERY, "no list takes an id filter"


def test_only_the_reviewed_routes_are_public(world: World) -> None:
    """A handler marked public must be on the reviewed list (PUBLIC_PATHS in world.py)."""
    app = world.api.client.app
    public = {(method, route.path) for route in app.routes if isinstance(route, HTTPRoute)
              for handler in route.route_handlers if handler.opt.get("public")
              for method in handler.http_methods}
    assert public, "no public route at all: the check reads the wrong flag"
    unreviewed = sorted(f"{m} {p}" for m, p in public if not is_public(p))
    assert not unreviewed, f"public routes not on the reviewed list: {unreviewed}"
    private_paths = {op.path for op in PRIVATE}
    assert not {p for _, p in public} & private_paths


@pytest.mark.parametrize("op", PUBLIC, ids=_id)
def test_public_operations_refuse_junk_cleanly(world: World, op: Operation) -> None:
    """A public operation called with made-up input (and with a user's token where none is
    expected) answers a 4xx, never a 5xx, and shows nothing of either firm."""
    hidden = {**world.a.secrets(), **world.b.secrets()}
    problems: list[str] = []
    for label, headers in {"no credentials": {}, "A's admin": world.a.admin.headers}.items():
        kwargs = request_kwargs(world.schema, op, {})
        response = call(world, op, kwargs, headers)
        if response.status_code >= 500:
            problems.append(f"{op.id} with {label}: {describe(response)}")
        elif op.method != "GET" and response.status_code < 400:
            problems.append(f"{op.id} with {label} and made-up input: {describe(response)}")
        found = leaks(response, hidden, sent_text(kwargs))
        if found:
            problems.append(f"{op.id} with {label}: {found} in {describe(response)}")
    fail_if(problems, f"{op.id} (public) mishandles made-up input")


def test_the_world_holds_real_objects(world: World) -> None:
    """Owners reach their objects (so a 404 for the other firm is isolation, not a bad id)."""
    problems = []
    for op in WITH_PATH_IDS:
        if op.method != "GET":
            continue
        kwargs = request_kwargs(world.schema, op, world.b.ids("D1"))
        r = call(world, op, kwargs, world.b.admin.headers)
        if not 200 <= r.status_code < 300:
            problems.append(f"{op.id} as B's admin on B's objects: {describe(r)}")
    for op in IN_DOSSIER:
        if op.method != "GET":
            continue
        kwargs = request_kwargs(world.schema, op, world.a.ids("D1"))
        r = call(world, op, kwargs, world.a.collaborator.headers)
        if not 200 <= r.status_code < 300:
            problems.append(f"{op.id} as A's collaborator on assigned D1: {describe(r)}")
    for op in WITH_ID_QUERY:  # an id filter finds the owner's objects: its emptiness counts
        for name, value in query_ids(world.b, "D1").items():
            if name not in {p["name"] for p in op.query_parameters}:
                continue
            kwargs = request_kwargs(world.schema, op, {})
            kwargs["params"] = {**kwargs["params"], name: value}
            r = call(world, op, kwargs, world.b.admin.headers)
            items = _items(r.json()) if r.status_code == 200 else None
            if not items:
                problems.append(f"{op.id}?{name}= as B's admin on B's objects finds nothing: "
                                f"{describe(r)}")
    fail_if(problems, "owners cannot reach their own objects")


# ---------------------------------------------------------------------------------------------
# Firm A against firm B


@pytest.mark.parametrize("op", PRIVATE, ids=_id)
def test_firm_a_cannot_reach_firm_b(world: World, op: Operation) -> None:
    b_secrets = world.b.secrets()
    b_ids = world.b.ids("D1")
    problems: list[str] = []
    for who, headers in callers(world, world.a, op).items():
        kwargs = request_kwargs(world.schema, op, b_ids)
        response = call(world, op, kwargs, headers())
        label = f"{op.id} as A's {who} with B's ids"
        if op.path_parameters:
            missing = request_kwargs(world.schema, op, unknown_ids(b_ids))
            unknown = call(world, op, missing, headers())
            check_refused_like_unknown(label, response, unknown, problems)
        elif response.status_code >= 500:
            problems.append(f"{label}: server error {describe(response)}")
        found = leaks(response, b_secrets, sent_text(kwargs))
        if found:
            problems.append(f"{label}: B's {found} in {describe(response)}")
    fail_if(problems, f"{op.id} crosses from firm A to firm B")


@pytest.mark.parametrize("op", IN_DOSSIER, ids=_id)
def test_a_collaborator_cannot_reach_an_unassigned_dossier(world: World, op: Operation) -> None:
    d2_secrets = slot_secrets(world.a, "D2")
    ids = world.a.ids("D2")
    member = world.a.collaborator
    headers = mint_session(world.api, member) if op.ends_session else member.headers
    kwargs = request_kwargs(world.schema, op, ids)
    response = call(world, op, kwargs, headers)
    unknown = call(world, op, request_kwargs(world.schema, op, unknown_ids(ids)), headers)
    problems: list[str] = []
    label = f"{op.id} as A's collaborator on unassigned D2"
    check_refused_like_unknown(label, response, unknown, problems)
    found = leaks(response, d2_secrets, sent_text(kwargs))
    if found:
        problems.append(f"{label}: D2's {found} in {describe(response)}")
    fail_if(problems, f"{op.id} reaches an unassigned dossier")


def query_ids(firm: FirmWorld, slot: str) -> dict[str, str]:
    """Query parameter values naming the firm's objects (also the audit log's filters)."""
    return {**firm.ids(slot), "actor": firm.admin.email, "email": firm.admin.email,
            "target_id": str(firm.dossiers[slot])}


def _items(body: Any) -> list[Any] | None:
    """The listed objects of a page (`items`) or a search (`hits`, `groups`); None if the
    answer is not a list."""
    if isinstance(body, list):
        return body
    if not isinstance(body, dict):
        return None
    lists = [body[name] for name in ("items", "hits", "groups", "data", "results")
             if isinstance(body.get(name), list)]
    return [item for found in lists for item in found] if lists else None


@pytest.mark.parametrize("op", WITH_ID_QUERY, ids=_id)
def test_id_filters_never_list_another_firms_objects(world: World, op: Operation) -> None:
    b_ids = query_ids(world.b, "D1")
    # A's collaborator filtering on D2 (not theirs): only what lies inside the dossier.
    d2_ids = {name: value for name, value in world.a.ids("D2").items()
              if name in DOSSIER_PARAMETERS}
    d2_ids["target_id"] = str(world.a.dossiers["D2"])
    cases: list[tuple[str, dict[str, str], dict[str, str], dict[str, str]]] = []
    for who, headers in callers(world, world.a, op).items():
        cases.append((f"A's {who} with B's ids", headers(), b_ids, world.b.secrets()))
    cases.append(("A's collaborator with unassigned D2's ids", world.a.collaborator.headers,
                  d2_ids, slot_secrets(world.a, "D2")))
    problems: list[str] = []
    for label, headers, ids, hidden in cases:
        for param in op.query_parameters:
            name = param["name"]
            if not ID_QUERY.search(name) or name not in ids:
                continue
            kwargs = request_kwargs(world.schema, op, {})
            kwargs["params"] = {**kwargs["params"], name: ids[name]}
            response = call(world, op, kwargs, headers)
            where = f"{op.id}?{name}= as {label}"
            if response.status_code >= 500 or 300 <= response.status_code < 400:
                problems.append(f"{where}: {describe(response)}")
            elif response.status_code < 300:
                items = _items(response.json())
                if items is None:
                    problems.append(f"{where}: not a list: {describe(response)}")
                elif items or response.json().get("total", 0):
                    problems.append(f"{where}: lists {len(items)} item(s): {describe(response)}")
            found = leaks(response, hidden, sent_text(kwargs))
            if found:
                problems.append(f"{where}: {found} in {describe(response)}")
    fail_if(problems, f"{op.id} filters reach hidden objects")


@pytest.mark.parametrize("op", BODY_REFERENCES, ids=_id)
def test_bodies_cannot_reference_another_firms_objects(world: World, op: Operation) -> None:
    """A's own object in the path, B's users or dossiers in the body: refused, nothing leaks."""
    refs = body_references(op)
    a_ids, b_ids = world.a.ids("D1"), world.b.ids("D1")
    mixed = {**b_ids, **{p["name"]: a_ids[p["name"]] for p in op.path_parameters
                         if p["name"] in a_ids}}
    problems: list[str] = []
    for who, headers in callers(world, world.a, op).items():
        kwargs = request_kwargs(world.schema, op, mixed)
        response = call(world, op, kwargs, headers())
        label = f"{op.id} as A's {who}, body {refs} with B's ids"
        if response.status_code >= 500 or response.status_code < 400:
            problems.append(f"{label}: {describe(response)}")
        found = leaks(response, world.b.secrets(), sent_text(kwargs))
        if found:
            problems.append(f"{label}: B's {found} in {describe(response)}")
    fail_if(problems, f"{op.id} accepts another firm's objects in its body")


# ---------------------------------------------------------------------------------------------
# Authentication


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def bad_credentials(world: World) -> dict[str, dict[str, str]]:
    """Credentials that must all be refused with 401, by a label."""
    api, a = world.api, world.a
    ctx, now, member = api.ctx, api.ctx.clock(), a.admin
    token = member.tokens["access_token"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other_firm = {**claims, "firm": str(world.b.firm_id)}
    expired = issue_token(ctx.token_key, user_id=member.user_id, firm_id=member.firm_id,
                          role=member.role, session_id=uuid.uuid4(), purpose="access",
                          ttl_s=60, now=now - timedelta(hours=2))
    challenge = issue_token(ctx.token_key, user_id=member.user_id, firm_id=member.firm_id,
                            role=member.role, session_id=None, purpose="mfa_challenge",
                            ttl_s=300, now=now)
    enrol = issue_token(ctx.token_key, user_id=member.user_id, firm_id=member.firm_id,
                        role=member.role, session_id=None, purpose="mfa_enroll",
                        ttl_s=300, now=now)
    revoked_id, revoked = new_session(api, member)
    with api.session() as db:
        row = db.get(AuthSession, revoked_id)
        assert row is not None
        row.revoked_at = now
    assert a.revoked_key is not None
    fake_key = f"kd_{a.revoked_key.prefix}_{secrets.token_urlsafe(32)}"
    return {
        "no credentials": {},
        "empty bearer": {"Authorization": "Bearer "},
        "basic scheme": {"Authorization": "Basic " + base64.b64encode(b"a:b").decode()},
        "payload changed to firm B": {
            "Authorization": f"Bearer {header}.{_b64(other_firm)}.{signature}"},
        "signature cut": {"Authorization": f"Bearer {header}.{payload}.{signature[:-4]}"},
        "signed with another key": {"Authorization": "Bearer " + jwt.encode(
            claims, secrets.token_bytes(32), algorithm="HS256")},
        "alg none": {"Authorization": f"Bearer {_b64({'alg': 'none', 'typ': 'JWT'})}."
                                      f"{_b64(claims)}."},
        "expired": {"Authorization": f"Bearer {expired}"},
        "mfa challenge token": {"Authorization": f"Bearer {challenge}"},
        "mfa enrolment token": {"Authorization": f"Bearer {enrol}"},
        "refresh token": {"Authorization": f"Bearer {member.tokens['refresh_token']}"},
        "revoked session": revoked,
        "revoked api key": a.revoked_key.headers,
        "revoked api key (X-API-Key)": {"X-API-Key": a.revoked_key.key},
        "api key with a wrong secret": {"Authorization": f"Bearer {fake_key}"},
    }


@pytest.fixture(scope="module")
def credentials(world: World) -> dict[str, dict[str, str]]:
    creds = bad_credentials(world)
    r = world.api.client.get("/dossiers", headers=creds["revoked session"])
    assert r.status_code == 401, "the revoked session still works: " + describe(r)
    return creds


@pytest.mark.parametrize("op", PRIVATE, ids=_id)
def test_no_valid_credential_no_access(world: World, op: Operation,
                                       credentials: dict[str, dict[str, str]]) -> None:
    kwargs = request_kwargs(world.schema, op, world.a.ids("D1"))
    problems: list[str] = []
    for label, headers in credentials.items():
        response = call(world, op, kwargs, headers)
        if response.status_code != 401:
            problems.append(f"{op.id} with {label}: {describe(response)}")
        elif error_code(response) != "not_authenticated":
            problems.append(f"{op.id} with {label}: 401 without the documented error body: "
                            f"{describe(response)}")
        found = leaks(response, world.a.secrets(), sent_text(kwargs))
        if found:
            problems.append(f"{op.id} with {label}: {found} in {describe(response)}")
    fail_if(problems, f"{op.id} without valid credentials")
