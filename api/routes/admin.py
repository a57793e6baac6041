"""Administration of a firm: users, API keys, the audit log, the firm's settings.

Every route is admin-only twice over: `opt={"scope": "admin"}` makes the authentication
middleware refuse callers without the admin scope (403), and the `admin_only` guard checks the
principal again. Every query goes through the caller's firm (`FirmScope` or an explicit
`firm_id` filter), so another firm's user or key answers 404, exactly like a missing id.
Responses never carry password hashes, TOTP secrets, recovery codes or API key secrets; a new
API key is shown once, in the answer that creates it. Every change is written to the audit log
in the request's transaction (the change and its audit event commit together or not at all).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Parameter
from msgspec import UNSET, Meta, Struct, UnsetType
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.auth.api_keys import SCOPES, new_api_key
from api.auth.passwords import hash_password, password_problems
from api.context import ApiContext
from api.deps import caller_firm
from api.errors import ApiError, bad_request, not_found
from api.pagination import Page, PageParams, fetch_page
from api.security import ADMIN, Principal
from kanta_docs.store import repositories as repo
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import (
    ApiKey,
    AuditEvent,
    Firm,
    RecoveryCode,
    User,
    UserRole,
)

ADMIN_OPT: dict[str, Any] = {"scope": ADMIN}
TAGS = ["admin"]

Role = Literal["admin", "compliance_officer", "collaborator"]
Scope = Literal["read", "write", "admin"]
Email = Annotated[str, Meta(min_length=3, max_length=320)]
DisplayName = Annotated[str, Meta(min_length=1, max_length=200)]
Password = Annotated[str, Meta(min_length=1, max_length=256)]
KeyName = Annotated[str, Meta(min_length=1, max_length=200)]
FirmName = Annotated[str, Meta(min_length=1, max_length=200)]
SlaDaysValue = Annotated[int, Meta(ge=1, le=365)]
Filter = Annotated[str | None, Parameter(max_length=320)]

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MAX_PREFIX_TRIES = 5


def admin_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard (defence in depth behind the middleware's scope check): the admin scope only."""
    principal = connection.scope.get("user")
    if not isinstance(principal, Principal) or ADMIN not in principal.scopes:
        raise ApiError(403, "insufficient_scope", "Droits insuffisants pour cette action.")


# -- views and bodies -----------------------------------------------------------------------


class UserView(Struct):
    """A user of the firm, without any credential."""

    id: uuid.UUID
    email: str
    display_name: str
    role: str
    mfa_enabled: bool
    mfa_enabled_at: datetime | None
    disabled: bool
    disabled_at: datetime | None
    password_changed_at: datetime | None
    created_at: datetime | None
    password_change_required: bool  # given by an administrator, not replaced yet


class UserCreate(Struct, forbid_unknown_fields=True):
    """A new user; they enrol MFA at their first login."""

    email: Email
    display_name: DisplayName
    role: Role
    password: Password


class UserUpdate(Struct, forbid_unknown_fields=True):
    """What changes (absent fields stay as they are)."""

    display_name: DisplayName | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    disabled: bool | UnsetType = UNSET


class PasswordSet(Struct, forbid_unknown_fields=True):
    """A temporary password an administrator gives a user."""

    password: Password


class ApiKeyView(Struct):
    """An API key's record: never its secret nor its hash."""

    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_by: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreate(Struct, forbid_unknown_fields=True):
    """A new API key: a name for people and its scopes."""

    name: KeyName
    scopes: Annotated[list[Scope], Meta(min_length=1, max_length=10)]


class ApiKeyCreated(Struct):
    """The new key, shown this once only (only its hash is stored), and its record."""

    key: str
    api_key: ApiKeyView


class AuditView(Struct):
    """One audit event."""

    id: int
    at: datetime
    actor: str
    action: str
    target_type: str | None
    target_id: str | None
    address: str | None
    details: dict[str, Any]


class SlaDays(Struct, forbid_unknown_fields=True):
    """Days to handle an alert, by severity."""

    high: SlaDaysValue
    medium: SlaDaysValue
    low: SlaDaysValue


class FirmSettings(Struct, forbid_unknown_fields=True):
    """The firm's settings an administrator may change."""

    sla_days: SlaDays


class FirmView(Struct):
    """The firm."""

    id: uuid.UUID
    name: str
    settings: dict[str, Any]
    contract_end_date: date | None
    created_at: datetime | None


class FirmUpdate(Struct, forbid_unknown_fields=True):
    """What changes (absent fields stay; `contract_end_date: null` clears the date).
    `settings` has the shape of `FirmSettings`: {"sla_days": {"high", "medium", "low"}}."""

    name: FirmName | UnsetType = UNSET
    contract_end_date: date | None | UnsetType = UNSET
    # Checked strictly by `parse_settings` (the body decoder would turn "2" into 2).
    settings: dict[str, Any] | UnsetType = UNSET


def parse_settings(data: dict[str, Any]) -> FirmSettings:
    """The settings, strictly typed; 400 naming what is wrong (unknown keys included)."""
    try:
        return msgspec.convert(data, FirmSettings, strict=True)
    except msgspec.ValidationError as e:
        raise ApiError(400, "invalid_settings", "Paramètres du cabinet invalides.",
                       details=[{"field": "settings", "message": str(e)}]) from None


def user_view(user: User) -> UserView:
    """The user as the API shows it (no hash, no secret)."""
    return UserView(user.id, user.email, user.display_name, str(user.role),
                    user.mfa_enabled_at is not None, user.mfa_enabled_at,
                    user.disabled_at is not None, user.disabled_at, user.password_changed_at,
                    user.created_at, bool(user.password_must_change))


def api_key_view(key: ApiKey) -> ApiKeyView:
    """The key's record (no secret, no hash)."""
    return ApiKeyView(key.id, key.name, key.prefix, list(key.scopes), key.created_by,
                      key.created_at, key.revoked_at, key.last_used_at)


def audit_view(event: AuditEvent) -> AuditView:
    """An audit event as the API shows it."""
    return AuditView(event.id, event.at, event.actor, event.action, event.target_type,
                     event.target_id, event.address, dict(event.details or {}))


def firm_view(firm: Firm) -> FirmView:
    """The firm as the API shows it."""
    return FirmView(firm.id, firm.name, dict(firm.settings or {}), firm.contract_end_date,
                    firm.created_at)


# -- helpers --------------------------------------------------------------------------------


def firm_user(store: FirmScope, user_id: uuid.UUID) -> User:
    """A user of the caller's firm; 404 alike for a missing id and another firm's user."""
    user = store.get_user(user_id)
    if user is None:
        raise not_found("Utilisateur")
    return user


def firm_key(db: Session, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    """An API key of the caller's firm; 404 alike for a missing id and another firm's key."""
    key = db.scalar(select(ApiKey).where(ApiKey.firm_id == principal.firm_id,
                                         ApiKey.id == key_id))
    if key is None:
        raise not_found("Clé d'API")
    return key


def weak_password(problems: list[str]) -> ApiError:
    """400 listing, in French, every rule the password breaks."""
    return ApiError(400, "weak_password", "Mot de passe refusé.",
                    details=[{"field": "password", "message": p} for p in problems])


def _is_self(principal: Principal, user: User) -> bool:
    return principal.user_id is not None and principal.user_id == user.id


def _active_admin(user: User) -> bool:
    return user.role == UserRole.ADMIN and user.disabled_at is None


def _other_active_admins(db: Session, firm_id: uuid.UUID, user_id: uuid.UUID) -> int:
    # The firm's row is locked first (PostgreSQL), so that two administrators demoting each
    # other at the same moment cannot both see the other one still active.
    db.execute(select(Firm.id).where(Firm.id == firm_id).with_for_update())
    return int(db.scalar(select(func.count(User.id)).where(
        User.firm_id == firm_id, User.role == UserRole.ADMIN, User.disabled_at.is_(None),
        User.id != user_id)) or 0)


def _aware(value: datetime | None) -> datetime | None:
    """A query datetime; one without a zone is read as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


# -- users ----------------------------------------------------------------------------------


class UserController(Controller):
    """/users: the firm's people, their roles, their access."""

    path = "/users"
    tags = TAGS
    opt = ADMIN_OPT
    guards = [admin_only]

    @get("/", opt=ADMIN_OPT, sync_to_thread=True, summary="List the firm's users")
    def list_users(self, store: FirmScope, page: PageParams, role: Role | None = None,
                   disabled: bool | None = None) -> Page[UserView]:
        """The firm's users by e-mail; `role` and `disabled` filter them."""
        query = select(User).where(User.firm_id == store.firm_id)
        if role is not None:
            query = query.where(User.role == UserRole(role))
        if disabled is not None:
            query = query.where(User.disabled_at.is_not(None) if disabled
                                else User.disabled_at.is_(None))
        rows, total = fetch_page(store.session, query.order_by(User.email, User.id), page)
        return Page([user_view(u) for u in rows], total, page.limit, page.offset)

    @post("/", opt=ADMIN_OPT, sync_to_thread=True, status_code=201, summary="Create a user")
    def create_user(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                    address: str | None, data: UserCreate) -> UserView:
        """A new user with a policy-checked password; 409 if the e-mail is taken (e-mails are
        unique across firms)."""
        email = data.email.strip().lower()
        display_name = data.display_name.strip()
        if not _EMAIL.fullmatch(email):
            raise ApiError(400, "invalid_email", "Adresse électronique invalide.",
                           details=[{"field": "email", "message": "Adresse invalide."}])
        if not display_name:
            raise ApiError(400, "invalid_request", "Le nom affiché est obligatoire.",
                           details=[{"field": "display_name", "message": "Nom vide."}])
        problems = password_problems(data.password, email=email, display_name=display_name)
        if problems:
            raise weak_password(problems)
        db = store.session
        if db.scalar(select(User.id).where(User.email == email)) is not None:
            raise ApiError(409, "email_taken", "Un utilisateur a déjà cette adresse.")
        now = ctx.clock()
        try:
            with db.begin_nested():
                user = store.add_user(email, display_name, UserRole(data.role))
        except IntegrityError:  # created at the same moment by another request
            raise ApiError(409, "email_taken", "Un utilisateur a déjà cette adresse.") from None
        user.password_hash = hash_password(data.password)
        user.password_changed_at = now
        user.password_must_change = True  # the administrator knows it
        user.created_at = now
        store.append_audit(principal.actor, "user.create", "user", str(user.id),
                           {"email": email, "role": data.role}, address=address, now=now)
        return user_view(user)

    @get("/{user_id:uuid}", opt=ADMIN_OPT, sync_to_thread=True, summary="One user")
    def get_user(self, store: FirmScope, user_id: uuid.UUID) -> UserView:
        """The user (404 for another firm's)."""
        return user_view(firm_user(store, user_id))

    @patch("/{user_id:uuid}", opt=ADMIN_OPT, sync_to_thread=True,
           summary="Rename, change the role, disable or enable a user")
    def update_user(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                    address: str | None, user_id: uuid.UUID, data: UserUpdate) -> UserView:
        """Disabling ends the user's sessions at once. An administrator cannot disable or
        demote themself, and the firm always keeps one active administrator (409)."""
        db = store.session
        user = firm_user(store, user_id)
        now = ctx.clock()
        new_role = UserRole(data.role) if not isinstance(data.role, UnsetType) else user.role
        disable = data.disabled if not isinstance(data.disabled, UnsetType) else None
        role_changes = new_role != user.role
        disabling = disable is True and user.disabled_at is None
        enabling = disable is False and user.disabled_at is not None
        if _is_self(principal, user) and (disabling or role_changes):
            raise ApiError(409, "self_change_refused",
                           "Un administrateur ne peut ni se désactiver ni changer son propre "
                           "rôle.")
        if (_active_admin(user) and (disabling or (role_changes and new_role != UserRole.ADMIN))
                and _other_active_admins(db, store.firm_id, user.id) == 0):
            raise ApiError(409, "last_admin",
                           "Le cabinet doit garder au moins un administrateur actif.")
        if not isinstance(data.display_name, UnsetType):
            name = data.display_name.strip()
            if not name:
                raise ApiError(400, "invalid_request", "Le nom affiché est obligatoire.",
                               details=[{"field": "display_name", "message": "Nom vide."}])
            if name != user.display_name:
                store.append_audit(principal.actor, "user.update", "user", str(user.id),
                                   {"display_name": {"from": user.display_name, "to": name}},
                                   address=address, now=now)
                user.display_name = name
        if role_changes:
            store.append_audit(principal.actor, "role.change", "user", str(user.id),
                               {"from": str(user.role), "to": str(new_role)},
                               address=address, now=now)
            user.role = new_role
        if disabling:
            user.disabled_at = now
            revoked = repo.revoke_user_sessions(db, user.id, now)
            store.append_audit(principal.actor, "user.disable", "user", str(user.id),
                               {"sessions_revoked": revoked}, address=address, now=now)
        elif enabling:
            user.disabled_at = None
            store.append_audit(principal.actor, "user.enable", "user", str(user.id),
                               address=address, now=now)
        db.flush()
        return user_view(user)

    @post("/{user_id:uuid}/reset-mfa", opt=ADMIN_OPT, sync_to_thread=True, status_code=200,
          summary="Reset a user's MFA: they enrol again at their next login")
    def reset_mfa(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                  address: str | None, user_id: uuid.UUID) -> UserView:
        """Clears the TOTP secret and the recovery codes and ends the user's sessions."""
        db = store.session
        user = firm_user(store, user_id)
        if _is_self(principal, user):
            raise ApiError(409, "self_change_refused",
                           "Un administrateur ne réinitialise pas sa propre double "
                           "authentification ; demandez-le à un autre administrateur.")
        now = ctx.clock()
        user.totp_secret = None
        user.mfa_enabled_at = None
        user.totp_last_step = None
        codes = db.execute(sql_delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        revoked = repo.revoke_user_sessions(db, user.id, now)
        store.append_audit(principal.actor, "mfa.reset", "user", str(user.id),
                           {"sessions_revoked": revoked,
                            "recovery_codes_deleted": int(getattr(codes, "rowcount", 0) or 0)},
                           address=address, now=now)
        db.flush()
        return user_view(user)

    @post("/{user_id:uuid}/unlock", opt=ADMIN_OPT, sync_to_thread=True, status_code=204,
          summary="Lift a login lockout after too many failures")
    def unlock(self, store: FirmScope, principal: Principal, ctx: ApiContext,
               address: str | None, user_id: uuid.UUID) -> None:
        """Clears the account's failed-login count and lock (not the address block)."""
        user = firm_user(store, user_id)
        ctx.login_throttle.reset(user.email)
        store.append_audit(principal.actor, "user.unlock", "user", str(user.id),
                           address=address, now=ctx.clock())

    @post("/{user_id:uuid}/password", opt=ADMIN_OPT, sync_to_thread=True, status_code=204,
          summary="Give a user a temporary password")
    def set_password(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                     address: str | None, user_id: uuid.UUID, data: PasswordSet) -> None:
        """Policy-checked; ends the user's sessions. Administrators change their own password
        at POST /auth/password, which asks for the current one (409 here)."""
        user = firm_user(store, user_id)
        if _is_self(principal, user):
            raise ApiError(409, "self_change_refused",
                           "Changez votre propre mot de passe avec POST /auth/password.")
        problems = password_problems(data.password, email=user.email,
                                     display_name=user.display_name)
        if problems:
            raise weak_password(problems)
        now = ctx.clock()
        user.password_hash = hash_password(data.password)
        user.password_changed_at = now
        user.password_must_change = True  # the administrator knows it
        revoked = repo.revoke_user_sessions(store.session, user.id, now)
        store.append_audit(principal.actor, "password.reset", "user", str(user.id),
                           {"sessions_revoked": revoked}, address=address, now=now)


# -- API keys -------------------------------------------------------------------------------


class ApiKeyController(Controller):
    """/api-keys: the firm's keys for scripts and integrations."""

    path = "/api-keys"
    tags = TAGS
    opt = ADMIN_OPT
    guards = [admin_only]

    @get("/", opt=ADMIN_OPT, sync_to_thread=True, summary="List the firm's API keys")
    def list_keys(self, db: Session, principal: Principal, page: PageParams,
                  revoked: bool | None = None) -> Page[ApiKeyView]:
        """Newest first; never the secrets."""
        query = select(ApiKey).where(ApiKey.firm_id == principal.firm_id)
        if revoked is not None:
            query = query.where(ApiKey.revoked_at.is_not(None) if revoked
                                else ApiKey.revoked_at.is_(None))
        rows, total = fetch_page(db, query.order_by(ApiKey.created_at.desc(), ApiKey.id), page)
        return Page([api_key_view(k) for k in rows], total, page.limit, page.offset)

    @post("/", opt=ADMIN_OPT, sync_to_thread=True, status_code=201,
          summary="Create an API key (shown once)")
    def create_key(self, db: Session, principal: Principal, ctx: ApiContext,
                   address: str | None, data: ApiKeyCreate) -> ApiKeyCreated:
        """The full key is in this answer only: only its hash is stored."""
        name = data.name.strip()
        if not name:
            raise ApiError(400, "invalid_request", "Le nom de la clé est obligatoire.",
                           details=[{"field": "name", "message": "Nom vide."}])
        scopes = [s for s in SCOPES if s in data.scopes]
        for _ in range(_MAX_PREFIX_TRIES):
            full, prefix, secret_hash = new_api_key()
            if db.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is None:
                break
        else:  # 36**8 prefixes: practically unreachable
            raise ApiError(503, "unavailable", "Service momentanément indisponible.")
        now = ctx.clock()
        key = ApiKey(firm_id=principal.firm_id, name=name, prefix=prefix,
                     secret_hash=secret_hash, scopes=scopes, created_by=principal.actor,
                     created_at=now)
        db.add(key)
        db.flush()
        FirmScope(db, principal.firm_id).append_audit(
            principal.actor, "api_key.create", "api_key", str(key.id),
            {"prefix": prefix, "scopes": scopes, "name": name}, address=address, now=now)
        return ApiKeyCreated(full, api_key_view(key))

    @delete("/{key_id:uuid}", opt=ADMIN_OPT, sync_to_thread=True, status_code=204,
            summary="Revoke an API key")
    def revoke_key(self, db: Session, principal: Principal, ctx: ApiContext,
                   address: str | None, key_id: uuid.UUID) -> None:
        """The key stops working at once (401); revoking it again changes nothing."""
        key = firm_key(db, principal, key_id)
        if key.revoked_at is not None:
            return
        now = ctx.clock()
        key.revoked_at = now
        FirmScope(db, principal.firm_id).append_audit(
            principal.actor, "api_key.revoke", "api_key", str(key.id),
            {"prefix": key.prefix, "scopes": list(key.scopes)}, address=address, now=now)


# -- audit log ------------------------------------------------------------------------------


class AuditController(Controller):
    """/audit: the firm's audit log, read-only."""

    path = "/audit"
    tags = TAGS
    opt = ADMIN_OPT
    guards = [admin_only]

    @get("/", opt=ADMIN_OPT, sync_to_thread=True, summary="Read the firm's audit log")
    def list_events(
        self, db: Session, principal: Principal, page: PageParams,
        action: Filter = None, actor: Filter = None,
        target_type: Annotated[str | None, Parameter(max_length=50)] = None,
        target_id: Annotated[str | None, Parameter(max_length=100)] = None,
        since: Annotated[datetime | None, Parameter(
            description="events at or after this instant (ISO 8601; no zone means UTC)")] = None,
        until: Annotated[datetime | None, Parameter(
            description="events at or before this instant (ISO 8601; no zone means UTC)")] = None,
    ) -> Page[AuditView]:
        """The firm's events, newest first (by their append order)."""
        since, until = _aware(since), _aware(until)
        if since is not None and until is not None and since > until:
            raise bad_request("invalid_period", "La date de début suit la date de fin.")
        query = select(AuditEvent).where(AuditEvent.firm_id == principal.firm_id)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        if actor is not None:
            query = query.where(AuditEvent.actor == actor)
        if target_type is not None:
            query = query.where(AuditEvent.target_type == target_type)
        if target_id is not None:
            query = query.where(AuditEvent.target_id == target_id)
        if since is not None:
            query = query.where(AuditEvent.at >= since)
        if until is not None:
            query = query.where(AuditEvent.at <= until)
        rows, total = fetch_page(db, query.order_by(AuditEvent.id.desc()), page)
        return Page([audit_view(e) for e in rows], total, page.limit, page.offset)


# -- firm -----------------------------------------------------------------------------------


class FirmController(Controller):
    """/firm: the caller's firm and its settings."""

    path = "/firm"
    tags = TAGS
    opt = ADMIN_OPT
    guards = [admin_only]

    @get("/", opt=ADMIN_OPT, sync_to_thread=True, summary="The firm and its settings")
    def get_firm(self, store: FirmScope) -> FirmView:
        """Name, settings, contract end date."""
        firm = caller_firm(store)
        return firm_view(firm)

    @patch("/", opt=ADMIN_OPT, sync_to_thread=True, summary="Change the firm's settings")
    def update_firm(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                    address: str | None, data: FirmUpdate) -> FirmView:
        """Name, contract end date (null clears it), alert SLA days per severity; unknown
        keys are refused (400)."""
        firm = caller_firm(store)
        changes: dict[str, Any] = {}
        if not isinstance(data.name, UnsetType):
            name = data.name.strip()
            if not name:
                raise ApiError(400, "invalid_request", "Le nom du cabinet est obligatoire.",
                               details=[{"field": "name", "message": "Nom vide."}])
            if name != firm.name:
                changes["name"] = {"from": firm.name, "to": name}
                firm.name = name
        if (not isinstance(data.contract_end_date, UnsetType)
                and data.contract_end_date != firm.contract_end_date):
            changes["contract_end_date"] = {
                "from": firm.contract_end_date.isoformat() if firm.contract_end_date else None,
                "to": data.contract_end_date.isoformat() if data.contract_end_date else None}
            firm.contract_end_date = data.contract_end_date
        if not isinstance(data.settings, UnsetType):
            sla_days = parse_settings(data.settings).sla_days
            sla = {"high": sla_days.high, "medium": sla_days.medium, "low": sla_days.low}
            current = dict(firm.settings or {})
            if current.get("sla_days") != sla:
                changes["sla_days"] = {"from": current.get("sla_days"), "to": sla}
                firm.settings = {**current, "sla_days": sla}
        if changes:
            store.append_audit(principal.actor, "firm.update", "firm", str(firm.id), changes,
                               address=address, now=ctx.clock())
        store.session.flush()
        return firm_view(firm)


ROUTES = [UserController, ApiKeyController, AuditController, FirmController]
