"""A two-firm world for the security acceptance tests, and the OpenAPI helpers they share.

`build_world(api)` creates firms A and B through the real API wherever a route exists: in each an
admin, a compliance officer and a collaborator (logged in through the MFA flow), dossiers D1
(assigned to the collaborator) and D2 (not assigned), in each dossier an uploaded document, an
alert and a risk assessment, and API keys of every scope (over `POST /api-keys` when the schema
has it, else straight into the store). Every name, SIREN, e-mail and file of a firm carries a
random marker, so a test can look for any of them in another firm's responses.

The OpenAPI helpers (`offline_schema`, `operations`, `is_public`, `example_value`, ...) read the
schema the app serves at /schema/openapi.json; `offline_schema` builds a throwaway app at
collection time so that tests can be parametrized by operation.
"""

from __future__ import annotations

import re
import secrets
import struct
import tempfile
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar.testing import TestClient

from api.app import create_app
from api.auth.api_keys import new_api_key
from api.auth.tokens import issue_token, new_refresh_token
from api.context import build_context
from kanta_docs.assessment import Alert as RaisedAlert
from kanta_docs.assessment import Evidence, RiskAssessment, RiskFactor, Subject
from kanta_docs.config import Settings
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import ApiKey, AuthSession, UserRole
from kanta_docs.tasks import build_runtime
from kanta_docs.vocab import AlertType, Criterion, RiskLevel, Severity, Vigilance

if TYPE_CHECKING:
    from tests.integration.api.conftest import ApiHarness, LoggedIn

SCHEMA_PATH = "/schema/openapi.json"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
# The operations anyone may call: they take no data and show none (login steps, liveness, the
# schema; the e-mail unsubscribe link, whose signed token is the credential: mail clients post
# it without any session, RFC 8058). Every other operation must answer 401 without valid
# credentials. Adding a path here is a security review.
PUBLIC_PATHS = (re.compile(r"^/health$"), re.compile(r"^/auth/login$"),
                re.compile(r"^/auth/mfa/[^/]+$"), re.compile(r"^/auth/refresh$"),
                re.compile(r"^/schema(/.*)?$"), re.compile(r"^/unsubscribe$"))
# Operations that end the caller's session or credentials when they succeed: tests call them
# with a session minted for the call, never with a world member's own.
SESSION_ENDING = re.compile(r"logout|password|revoke|reset|disable|sessions|mfa|rotate",
                            re.IGNORECASE)
DOSSIER_SLOTS = ("D1", "D2")
KEY_SCOPES: dict[str, list[str]] = {"read": ["read"], "write": ["read", "write"],
                                    "admin": ["read", "write", "admin"]}


# ---------------------------------------------------------------------------------------------
# Files


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def tiny_png(comment: str = "") -> bytes:
    """A valid 1x1 grey PNG, with `comment` in a tEXt chunk (to find the bytes in responses)."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    chunks = [_png_chunk(b"IHDR", header)]
    if comment:
        chunks.append(_png_chunk(b"tEXt", b"Comment\x00" + comment.encode("ascii")))
    chunks.append(_png_chunk(b"IDAT", zlib.compress(b"\x00\x80")))
    chunks.append(_png_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def random_siren() -> str:
    """A random SIREN with a valid Luhn check digit."""
    digits = [secrets.randbelow(10) for _ in range(8)]
    digits[0] = 1 + secrets.randbelow(9)
    for check in range(10):
        candidate = [*digits, check]
        total = 0
        for i, d in enumerate(reversed(candidate)):
            doubled = d * 2 if i % 2 else d
            total += doubled - 9 if doubled > 9 else doubled
        if total % 10 == 0:
            return "".join(map(str, candidate))
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# The world


@dataclass(frozen=True)
class KeyRef:
    """An API key of a firm: its row id, public prefix and the full key (shown once)."""

    id: uuid.UUID
    prefix: str
    key: str
    scopes: tuple[str, ...]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


@dataclass
class FirmWorld:
    """One firm's users, objects and every identifier that must not reach another firm."""

    label: str
    name: str
    firm_id: uuid.UUID
    members: dict[str, LoggedIn] = field(default_factory=dict)  # by role value
    dossiers: dict[str, uuid.UUID] = field(default_factory=dict)  # by slot
    sirens: dict[str, str] = field(default_factory=dict)
    dossier_names: dict[str, str] = field(default_factory=dict)
    documents: dict[str, uuid.UUID] = field(default_factory=dict)
    document_sha256: dict[str, str] = field(default_factory=dict)
    file_markers: dict[str, str] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)
    alerts: dict[str, uuid.UUID] = field(default_factory=dict)
    alert_keys: dict[str, str] = field(default_factory=dict)
    alert_messages: dict[str, str] = field(default_factory=dict)
    risks: dict[str, int] = field(default_factory=dict)
    risk_reasons: dict[str, str] = field(default_factory=dict)
    api_keys: dict[str, KeyRef] = field(default_factory=dict)  # by scope name
    revoked_key: KeyRef | None = None
    api_key_source: str = "none"  # "api" (POST /api-keys) or "store"
    # Objects of routes that may not exist yet, by parameter name (webhook_id, ...).
    extra_ids: dict[str, str] = field(default_factory=dict)

    @property
    def admin(self) -> LoggedIn:
        return self.members[UserRole.ADMIN.value]

    @property
    def compliance(self) -> LoggedIn:
        return self.members[UserRole.COMPLIANCE_OFFICER.value]

    @property
    def collaborator(self) -> LoggedIn:
        return self.members[UserRole.COLLABORATOR.value]

    def callers(self) -> dict[str, dict[str, str]]:
        """Every way into the API this firm has: its three users and its API keys."""
        out = {role: m.headers for role, m in self.members.items()}
        out.update({f"api-key:{scope}": k.headers for scope, k in self.api_keys.items()})
        return out

    def ids(self, slot: str = "D1") -> dict[str, str]:
        """Path and query parameter values, by parameter name, for the objects of one dossier."""
        collaborator = str(self.collaborator.user_id)
        key = next(iter(self.api_keys.values()), None)
        values = {
            "firm_id": str(self.firm_id), "tenant_id": str(self.firm_id),
            "dossier_id": str(self.dossiers[slot]), "client_id": str(self.dossiers[slot]),
            "document_id": str(self.documents[slot]), "doc_id": str(self.documents[slot]),
            "file_id": str(self.documents[slot]),
            "alert_id": str(self.alerts[slot]),
            "user_id": collaborator, "member_id": collaborator, "assignee_id": collaborator,
            "collaborator_id": collaborator,
            "risk_id": str(self.risks[slot]), "assessment_id": str(self.risks[slot]),
            "siren": self.sirens[slot],
        }
        if key is not None:
            values.update({"key_id": str(key.id), "api_key_id": str(key.id),
                           "prefix": key.prefix})
        values.update(self.extra_ids)
        return values

    def secrets(self) -> dict[str, str]:
        """Every value of this firm another firm must never see, by a label for messages."""
        found: dict[str, str] = {"firm id": str(self.firm_id), "firm name": self.name}
        for role, m in self.members.items():
            found[f"{role} id"] = str(m.user_id)
            found[f"{role} e-mail"] = m.email
        for slot in self.dossiers:
            found[f"{slot} id"] = str(self.dossiers[slot])
            found[f"{slot} SIREN"] = self.sirens[slot]
            found[f"{slot} name"] = self.dossier_names[slot]
            found[f"{slot} document id"] = str(self.documents[slot])
            found[f"{slot} document sha256"] = self.document_sha256[slot]
            found[f"{slot} file content"] = self.file_markers[slot]
            found[f"{slot} file name"] = self.file_names[slot]
            found[f"{slot} alert id"] = str(self.alerts[slot])
            found[f"{slot} alert key"] = self.alert_keys[slot]
            found[f"{slot} alert message"] = self.alert_messages[slot]
            found[f"{slot} risk reason"] = self.risk_reasons[slot]
        for scope, key in self.api_keys.items():
            found[f"api key {scope} id"] = str(key.id)
            found[f"api key {scope} prefix"] = f"kd_{key.prefix}"
        for name, value in self.extra_ids.items():
            found[name.removesuffix("_id")] = value
        for label, value in list(found.items()):
            if _is_uuid(value):
                found[f"{label} (hex)"] = uuid.UUID(value).hex
        return found


@dataclass
class World:
    """Firms A and B, built over the real API."""

    api: ApiHarness
    a: FirmWorld
    b: FirmWorld
    schema: dict[str, Any]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def mint_session(api: ApiHarness, member: LoggedIn) -> dict[str, str]:
    """Headers of a new login session of `member` (as after MFA), for calls that end it."""
    return new_session(api, member)[1]


def new_session(api: ApiHarness, member: LoggedIn) -> tuple[uuid.UUID, dict[str, str]]:
    """A new login session of `member` (as after MFA, without moving the clock): its id and
    the headers of its access token."""
    now = api.ctx.clock()
    _, digest = new_refresh_token()
    with api.session() as db:
        session = AuthSession(user_id=member.user_id, token_hash=digest, created_at=now,
                              expires_at=now + timedelta(days=1), address="testclient")
        db.add(session)
        db.flush()
        session_id = session.id
    token = issue_token(api.ctx.token_key, user_id=member.user_id, firm_id=member.firm_id,
                        role=member.role, session_id=session_id, purpose="access",
                        ttl_s=api.ctx.settings.access_token_ttl_s, now=now)
    return session_id, {"Authorization": f"Bearer {token}"}


def _store_key(api: ApiHarness, firm_id: uuid.UUID, name: str, scopes: list[str], *,
               revoked: bool = False) -> KeyRef:
    full, prefix, digest = new_api_key()
    with api.session() as db:
        row = ApiKey(firm_id=firm_id, name=name, prefix=prefix, secret_hash=digest,
                     scopes=scopes, created_by="world", created_at=api.ctx.clock(),
                     revoked_at=api.ctx.clock() if revoked else None)
        db.add(row)
        db.flush()
        return KeyRef(row.id, prefix, full, tuple(scopes))


def _find_key(value: Any) -> str | None:
    if isinstance(value, str) and value.startswith("kd_"):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return next((k for v in value if (k := _find_key(v)) is not None), None)
    return None


def _find_id(body: Any) -> uuid.UUID | None:
    if isinstance(body, dict):
        for name in ("id", "key_id", "api_key_id"):
            if isinstance(body.get(name), str) and _is_uuid(body[name]):
                return uuid.UUID(body[name])
        for nested in body.values():
            if isinstance(nested, dict) and (found := _find_id(nested)) is not None:
                return found
    return None


def _api_key_route(schema: dict[str, Any]) -> str | None:
    return next((p for p, ops in schema.get("paths", {}).items()
                 if re.fullmatch(r"(/admin)?/api-keys/?", p) and "post" in ops), None)


def _create_keys(api: ApiHarness, firm: FirmWorld, schema: dict[str, Any]) -> None:
    route = _api_key_route(schema)
    if route is not None:
        for scope, scopes in KEY_SCOPES.items():
            r = api.client.post(route, headers=firm.admin.headers,
                                json={"name": f"{firm.label} {scope}", "scopes": scopes})
            assert 200 <= r.status_code < 300, f"POST {route}: {r.status_code} {r.text}"
            key, key_id = _find_key(r.json()), _find_id(r.json())
            assert key is not None and key_id is not None, f"POST {route}: {r.text}"
            prefix = key.split("_")[1]
            firm.api_keys[scope] = KeyRef(key_id, prefix, key, tuple(scopes))
        firm.api_key_source = "api"
    else:  # no key routes yet: the middleware reads keys already, so the rows go to the store
        for scope, scopes in KEY_SCOPES.items():
            firm.api_keys[scope] = _store_key(api, firm.firm_id, f"{firm.label} {scope}", scopes)
        firm.api_key_source = "store"
    firm.revoked_key = _store_key(api, firm.firm_id, f"{firm.label} revoked", ["read"],
                                  revoked=True)


def _build_firm(api: ApiHarness, label: str, schema: dict[str, Any]) -> FirmWorld:
    mark = secrets.token_hex(4)
    name = f"Cabinet {label} {mark}"
    firm = FirmWorld(label=label, name=name, firm_id=api.firm(name))
    for role in (UserRole.ADMIN, UserRole.COMPLIANCE_OFFICER, UserRole.COLLABORATOR):
        email = f"{role.value}.{label.lower()}.{mark}@cabinet-{label.lower()}.example"
        firm.members[role.value] = api.member(firm.firm_id, role, email)
    admin = firm.admin.headers
    for slot in DOSSIER_SLOTS:
        siren, dossier_name = random_siren(), f"Client {label}{slot} {secrets.token_hex(4)}"
        r = api.client.post("/dossiers", headers=admin, json={
            "client": {"siren": siren, "name": dossier_name},
            "beneficial_owners": [{"last_name": f"Owner{label}{slot}{mark}",
                                   "capital_pct": 60}],
            "officers": []})
        assert r.status_code == 201, r.text
        firm.dossiers[slot] = uuid.UUID(r.json()["dossier"]["id"])
        firm.sirens[slot], firm.dossier_names[slot] = siren, dossier_name
    r = api.client.put(f"/dossiers/{firm.dossiers['D1']}/assignees", headers=admin,
                       json={"user_ids": [str(firm.collaborator.user_id)]})
    assert r.status_code == 200, r.text
    for slot in DOSSIER_SLOTS:
        marker = f"FILE-{label}{slot}-{secrets.token_hex(8)}"
        file_name = f"kbis-{label.lower()}{slot.lower()}-{secrets.token_hex(4)}.png"
        r = api.client.post(f"/dossiers/{firm.dossiers[slot]}/documents", headers=admin,
                            files={"data": (file_name, tiny_png(marker), "image/png")})
        assert r.status_code == 202, r.text
        document = r.json()["document"]
        firm.documents[slot] = uuid.UUID(document["id"])
        firm.document_sha256[slot] = document["sha256"]
        firm.file_markers[slot], firm.file_names[slot] = marker, file_name
    return firm


def _add_alerts_and_risks(api: ApiHarness, firm: FirmWorld) -> None:
    with api.session() as db:
        scope = FirmScope(db, firm.firm_id)
        for slot in DOSSIER_SLOTS:
            key = f"world-{firm.label}{slot}-{secrets.token_hex(4)}"
            message = f"Bénéficiaire non déclaré {firm.label}{slot} {secrets.token_hex(4)}"
            alert, _ = scope.record_alert(firm.dossiers[slot], RaisedAlert(
                type=AlertType.BE_NOT_DECLARED, severity=Severity.HIGH, key=key,
                message=message,
                subject=Subject(last_name=f"Owner{firm.label}{slot}", first_names="Jean"),
                evidence=[Evidence(file=firm.file_names[slot], page=1, text=message)]),
                now=api.ctx.clock())
            reason = f"Risque pays {firm.label}{slot} {secrets.token_hex(4)}"
            risk = scope.add_risk(firm.dossiers[slot], RiskAssessment(
                level=RiskLevel.HIGH, vigilance=Vigilance.ENHANCED, score=12,
                factors=[RiskFactor(criterion=Criterion.LOCATION, code="world_country",
                                    points=12, reason=reason)]),
                now=api.ctx.clock() + timedelta(hours=1))  # newer than any computed one
            firm.alerts[slot], firm.alert_keys[slot] = alert.id, key
            firm.alert_messages[slot], firm.risks[slot] = message, risk.id
            firm.risk_reasons[slot] = reason


def _has_route(schema: dict[str, Any], method: str, path: str) -> bool:
    return method.lower() in schema.get("paths", {}).get(path, {})


def _add_optional_objects(api: ApiHarness, firm: FirmWorld, schema: dict[str, Any]) -> None:
    """Objects of the routes other modules add, when the schema has them."""
    if _has_route(schema, "POST", "/webhooks"):
        r = api.client.post("/webhooks", headers=firm.admin.headers, json={
            "url": f"https://hooks-{firm.label.lower()}-{secrets.token_hex(3)}.example/kanta",
            "events": ["*"], "description": f"{firm.label} webhook"})
        assert r.status_code == 201, f"POST /webhooks: {r.status_code} {r.text}"
        found = _find_id(r.json())
        assert found is not None, r.text
        firm.extra_ids["webhook_id"] = str(found)
    if any("{notification_id}" in path for path in schema.get("paths", {})):
        from kanta_docs.store.tables import Notification  # present with the routes

        with api.session() as db:
            row = Notification(firm_id=firm.firm_id, user_id=firm.admin.user_id,
                               kind="alert_created", title=f"Alerte {firm.label}",
                               body=firm.alert_messages["D1"],
                               dossier_id=firm.dossiers["D1"],
                               idempotency_key=f"world-{uuid.uuid4()}",
                               created_at=api.ctx.clock())
            db.add(row)
            db.flush()
            firm.extra_ids["notification_id"] = str(row.id)


def build_firm(api: ApiHarness, label: str, schema: dict[str, Any]) -> FirmWorld:
    """One complete firm (users, dossiers, documents, alerts, risks, API keys); waits for
    the queue, then checks its admin reaches every object."""
    firm = _build_firm(api, label, schema)
    api.ctx.runtime.queue.join()  # the documents are read, their dossiers re-evaluated
    _add_alerts_and_risks(api, firm)
    _create_keys(api, firm, schema)
    _add_optional_objects(api, firm, schema)
    for slot in DOSSIER_SLOTS:  # the owner sees its objects: the ids are real
        for path in (f"/dossiers/{firm.dossiers[slot]}", f"/alerts/{firm.alerts[slot]}",
                     f"/documents/{firm.documents[slot]}/file"):
            r = api.client.get(path, headers=firm.admin.headers)
            assert r.status_code == 200, f"{path}: {r.status_code} {r.text}"
    return firm


def index_for_search(api: ApiHarness, *firms: FirmWorld) -> None:
    """Put the firms' documents in the search index, when the app has one."""
    search_index = getattr(api.ctx, "search_index", None)
    if search_index is None:
        return
    from indexers.records import firm_records  # present with the search routes

    index = search_index()
    with api.session() as db:
        for firm in firms:
            index.reindex(firm_records(db, firm.firm_id), str(firm.firm_id))
    index.refresh()


def build_world(api: ApiHarness) -> World:
    """Firms A and B, each complete (see the module docstring)."""
    schema = api.client.get(SCHEMA_PATH).json()
    a, b = build_firm(api, "A", schema), build_firm(api, "B", schema)
    index_for_search(api, a, b)
    return World(api, a, b, schema)


# ---------------------------------------------------------------------------------------------
# OpenAPI


@dataclass(frozen=True)
class Operation:
    """One method + path of the schema."""

    method: str  # upper case
    path: str
    spec: dict[str, Any] = field(compare=False, hash=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def path_parameters(self) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == "path"]

    @property
    def query_parameters(self) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == "query"]

    @property
    def is_public(self) -> bool:
        return is_public(self.path)

    @property
    def ends_session(self) -> bool:
        return bool(SESSION_ENDING.search(self.path))


def is_public(path: str) -> bool:
    """Whether the path is one of the reviewed public ones (see PUBLIC_PATHS)."""
    return any(p.match(path) for p in PUBLIC_PATHS)


def operations(schema: dict[str, Any]) -> list[Operation]:
    """Every operation of the schema, in a stable order."""
    found = [Operation(method.upper(), path, spec)
             for path, item in schema.get("paths", {}).items()
             for method, spec in item.items() if method in HTTP_METHODS]
    return sorted(found, key=lambda o: (o.path, o.method))


@cache
def offline_schema() -> dict[str, Any]:
    """The schema a throwaway app serves (no database), to parametrize tests at collection."""
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), database_url=f"sqlite:///{home}/schema.sqlite3",
                            broker_url="memory", secret_key=secrets.token_hex(32))
        runtime = build_runtime(settings, queue_factory="memory")
        ctx = build_context(settings, runtime)
        with TestClient(create_app(ctx)) as client:
            response = client.get(SCHEMA_PATH)
        assert response.status_code == 200, response.text
        schema: dict[str, Any] = response.json()
        runtime.queue.join()
    return schema


def resolve(schema: dict[str, Any], node: Any) -> Any:
    """`node` with its `$ref` (to #/components/...) followed, recursively at the top."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def example_value(schema: dict[str, Any], node: Any, name: str = "",
                  ids: dict[str, str] | None = None, depth: int = 0) -> Any:
    """A small value valid for `node`; parameters and fields named like an id (`ids`) get
    that id, so bodies reference the objects the test chooses."""
    node = resolve(schema, node) or {}
    ids = ids or {}
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in node:
            options = [resolve(schema, o) for o in node[combinator]]
            usable = [o for o in options if o.get("type") != "null"] or options
            return example_value(schema, usable[0], name, ids, depth + 1)
    if "enum" in node:
        return node["enum"][0]
    if "const" in node:
        return node["const"]
    kind = node.get("type", "object" if "properties" in node else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    singular = name[:-1] if name.endswith("_ids") else name
    if kind == "array":
        if singular in ids and name.endswith("_ids"):
            return [ids[singular]]
        count = int(node.get("minItems", 0))
        return [example_value(schema, node.get("items", {}), singular, ids, depth + 1)
                for _ in range(count)]
    if kind == "object":
        if depth > 6:
            return {}
        properties: dict[str, Any] = node.get("properties", {})
        wanted = set(node.get("required", [])) | {p for p in properties if p in ids}
        return {p: example_value(schema, properties[p], p, ids, depth + 1)
                for p in properties if p in wanted}
    if name in ids:
        return ids[name]
    if kind == "integer":
        return int(node.get("minimum", 1))
    if kind == "number":
        return float(node.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return _example_string(node)


def _example_string(node: dict[str, Any]) -> str:
    fmt = node.get("format")
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date":
        return "2026-01-15"
    if fmt == "date-time":
        return "2026-01-15T10:00:00Z"
    if fmt == "email":
        return "personne@exemple.fr"
    text = "Justification de test suffisante"
    low, high = int(node.get("minLength", 0)), int(node.get("maxLength", len(text)))
    return (text * (1 + low // len(text)))[:max(low, min(high, len(text)))]


def request_kwargs(schema: dict[str, Any], op: Operation, ids: dict[str, str]
                   ) -> dict[str, Any]:
    """`url`, `params` and the body of a plausible call to `op`, ids taken from `ids`.

    Path parameters must be known by name (or be an enum): an unknown id parameter fails the
    test, so a new route cannot be swept with made-up ids.
    """
    url = op.path
    for p in op.path_parameters:
        name, node = p["name"], resolve(schema, p.get("schema", {}))
        if name in ids:
            value = ids[name]
        elif "enum" in node or node.get("type") in ("integer", "number", "boolean"):
            value = str(example_value(schema, node, name))
        else:
            raise AssertionError(
                f"{op.id}: unknown path parameter {name!r}; teach tests/integration/api/"
                f"world.py (FirmWorld.ids) which object it designates")
        url = url.replace("{" + name + "}", value)
    params = {p["name"]: example_value(schema, p.get("schema", {}), p["name"], ids)
              for p in op.query_parameters if p.get("required") or p["name"] in ids}
    kwargs: dict[str, Any] = {"url": url, "params": params}
    body = op.spec.get("requestBody")
    if body:
        content: dict[str, Any] = body.get("content", {})
        if "application/json" in content:
            kwargs["json"] = example_value(schema, content["application/json"].get("schema"),
                                           "", ids)
        elif "multipart/form-data" in content:
            kwargs["files"] = _multipart(schema, content["multipart/form-data"].get("schema"))
        elif content:
            media = next(iter(content))
            kwargs["content"], kwargs["headers"] = b"x", {"Content-Type": media}
    return kwargs


def _multipart(schema: dict[str, Any], node: Any) -> dict[str, Any]:
    node = resolve(schema, node) or {}
    properties: dict[str, Any] = node.get("properties", {}) or {"data": {"format": "binary"}}
    files: dict[str, Any] = {}
    for name, prop in properties.items():
        prop = resolve(schema, prop)
        if prop.get("format") == "binary" or "contentMediaType" in prop:
            files[name] = ("scan.png", tiny_png("sweep upload"), "image/png")
        else:
            files[name] = (None, str(example_value(schema, prop, name)))
    return files
