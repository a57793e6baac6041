"""Login with mandatory MFA, token refresh, logout, password change.

The flow:
1. `POST /auth/login` with e-mail and password. A user without MFA gets an `enrollment_token`;
   one with MFA gets an `mfa_token`. Neither opens any other route.
2. First time: `POST /auth/mfa/enroll` (with the enrollment token) returns the TOTP secret and
   its QR code; `POST /auth/mfa/confirm` with a code from the app turns MFA on and returns the
   recovery codes, once, and the tokens.
   Otherwise: `POST /auth/mfa/verify` with a TOTP code or a recovery code returns the tokens.
3. The access token (a JWT, 15 minutes by default) goes in `Authorization: Bearer`. The refresh
   token gets a new pair at `POST /auth/refresh` and is rotated each time: a refresh token used
   twice revokes the session (it was stolen). Logout, a password change and disabling a user
   revoke sessions, which ends their access tokens at once.
4. A user whose password an administrator chose reaches only `POST /auth/password`,
   `GET /auth/me` and `POST /auth/logout` until they replace it (api/security.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Request, Router, get, post
from msgspec import Meta, Struct
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.auth.passwords import (
    DUMMY_HASH,
    hash_password,
    hash_recovery_code,
    password_problems,
    verify_password,
)
from api.auth.tokens import (
    InvalidToken,
    decode_token,
    issue_token,
    new_refresh_token,
    refresh_token_hash,
)
from api.auth.totp import (
    new_recovery_codes,
    new_totp_secret,
    normalise_recovery_code,
    provisioning_uri,
    qr_svg,
    verify_totp,
)
from api.context import ApiContext
from api.errors import ApiError
from api.security import Principal, unauthenticated
from kanta_docs.store import repositories as repo
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import AuditEvent, AuthSession, RecoveryCode, User, utc_now

MFA_TOKEN_TTL_S = 300
PUBLIC = {"public": True}
# Open to a user who must first replace a password an administrator chose (api/security.py).
PASSWORD_CHANGE = {"password_change": True}
Email = Annotated[str, Meta(min_length=3, max_length=320)]
Secret = Annotated[str, Meta(min_length=1, max_length=256)]


class Credentials(Struct):
    """E-mail and password."""

    email: Email
    password: Secret


class LoginStep(Struct):
    """What to do next: enrol MFA, or give a code."""

    status: str  # "mfa_required" | "mfa_enrollment_required"
    mfa_token: str | None = None
    enrollment_token: str | None = None


class Enrollment(Struct):
    """The TOTP secret to put in an authenticator app, as text and as a QR code."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class MfaCode(Struct):
    """A 6-digit TOTP code, or one recovery code."""

    code: Annotated[str, Meta(max_length=32)] | None = None
    recovery_code: Annotated[str, Meta(max_length=32)] | None = None


class Tokens(Struct):
    """An access token and the refresh token that renews it."""

    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    recovery_codes: list[str] | None = None  # only once, when MFA is turned on


class RefreshRequest(Struct):
    """A refresh token."""

    refresh_token: Secret


class PasswordChange(Struct):
    """The current password and the new one."""

    current_password: Secret
    new_password: Secret


class Me(Struct):
    """The caller."""

    firm_id: uuid.UUID
    actor: str
    role: str
    scopes: list[str]
    user_id: uuid.UUID | None
    display_name: str | None
    email: str | None
    # Only POST /auth/password, GET /auth/me and POST /auth/logout answer until it is changed.
    password_change_required: bool = False


def _address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def _audit(db: Session, user: User | None, action: str, address: str,
           details: dict[str, Any] | None = None, *, firm_id: uuid.UUID | None = None,
           actor: str | None = None) -> None:
    scope_firm = user.firm_id if user is not None else firm_id
    who = actor or (user.email if user else "anonymous")
    if scope_firm is None:  # an unknown e-mail: the event belongs to no firm
        db.add(AuditEvent(firm_id=None, at=utc_now(), actor=who, action=action,
                          target_type="user", address=address, details=details or {}))
        return
    FirmScope(db, scope_firm).append_audit(who, action, "user", str(user.id) if user else None,
                                           details, address=address)


def _audit_failure(ctx: ApiContext, user: User | None, action: str, address: str,
                   details: dict[str, Any] | None = None) -> None:
    """Audit a refusal in a transaction of its own: the request's rolls back with the 401."""
    with ctx.runtime.sessions.begin() as db:
        _audit(db, db.get(User, user.id) if user is not None else None, action, address, details)


def _bearer(request: Request[Any, Any, Any]) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise unauthenticated()
    return value.strip()


def _pending_user(ctx: ApiContext, db: Session, request: Request[Any, Any, Any],
                  purpose: str) -> User:
    """The user behind an MFA-step token of `purpose`, still allowed to log in."""
    try:
        claims = decode_token(ctx.token_key, _bearer(request), purpose=purpose, now=ctx.clock())
    except InvalidToken:
        raise unauthenticated("Étape de connexion expirée, recommencez.") from None
    user = db.get(User, claims.user_id)
    if user is None or user.disabled_at is not None or user.firm_id != claims.firm_id:
        raise unauthenticated("Étape de connexion expirée, recommencez.")
    return user


def _issue(ctx: ApiContext, db: Session, user: User, address: str,
           recovery_codes: list[str] | None = None) -> Tokens:
    """A new login session and its tokens."""
    now = ctx.clock()
    refresh, digest = new_refresh_token()
    session = AuthSession(user_id=user.id, token_hash=digest, created_at=now,
                          expires_at=now + timedelta(days=ctx.settings.refresh_token_days),
                          address=address)
    db.add(session)
    db.flush()
    return _tokens(ctx, user, session, refresh, now, recovery_codes)


def _tokens(ctx: ApiContext, user: User, session: AuthSession, refresh: str, now: datetime,
            recovery_codes: list[str] | None = None) -> Tokens:
    ttl = ctx.settings.access_token_ttl_s
    access = issue_token(ctx.token_key, user_id=user.id, firm_id=user.firm_id, role=user.role,
                         session_id=session.id, purpose="access", ttl_s=ttl, now=now)
    return Tokens(access, refresh, "Bearer", ttl, recovery_codes)


@post("/login", opt=PUBLIC, sync_to_thread=True, status_code=200,
      summary="Check e-mail and password; next step is MFA")
def login(ctx: ApiContext, db: Session, request: Request[Any, Any, Any],
          data: Credentials) -> LoginStep:
    """401 for a wrong e-mail or password alike; 429 while the account or address is locked."""
    address, email = _address(request), data.email.strip().lower()
    decision = ctx.login_throttle.check(email, address)
    if not decision.allowed:
        raise ApiError(429, "login_locked",
                       "Trop de tentatives de connexion ; réessayez plus tard.",
                       headers={"Retry-After": str(max(1, decision.retry_after_s))})
    user = db.scalar(select(User).where(User.email == email))
    # An unknown e-mail costs the same argon2 check as a known one: timing tells nothing.
    ok = verify_password(user.password_hash if user and user.password_hash else DUMMY_HASH,
                         data.password)
    if user is None or not ok or user.disabled_at is not None or user.password_hash is None:
        ctx.login_throttle.failed(email, address)
        _audit_failure(ctx, user, "login.failure", address, {"email_known": user is not None})
        raise unauthenticated("E-mail ou mot de passe incorrect.")
    ctx.login_throttle.succeeded(email)
    now = ctx.clock()
    if user.mfa_enabled_at is None:
        token = issue_token(ctx.token_key, user_id=user.id, firm_id=user.firm_id, role=user.role,
                            session_id=None, purpose="mfa_enroll", ttl_s=MFA_TOKEN_TTL_S, now=now)
        _audit(db, user, "login.password_ok", address, {"next": "mfa_enrollment"})
        return LoginStep("mfa_enrollment_required", enrollment_token=token)
    token = issue_token(ctx.token_key, user_id=user.id, firm_id=user.firm_id, role=user.role,
                        session_id=None, purpose="mfa_challenge", ttl_s=MFA_TOKEN_TTL_S, now=now)
    _audit(db, user, "login.password_ok", address, {"next": "mfa"})
    return LoginStep("mfa_required", mfa_token=token)


@post("/mfa/enroll", opt=PUBLIC, sync_to_thread=True, status_code=200,
      summary="Start MFA enrolment (enrollment token)")
def enroll(ctx: ApiContext, db: Session, request: Request[Any, Any, Any]) -> Enrollment:
    """A new TOTP secret for the user, stored encrypted until confirmed."""
    user = _pending_user(ctx, db, request, "mfa_enroll")
    if user.mfa_enabled_at is not None:
        raise ApiError(409, "mfa_already_enabled", "La double authentification est déjà active.")
    secret = new_totp_secret()
    user.totp_secret = ctx.totp_box.encrypt(secret)
    user.totp_last_step = None
    uri = provisioning_uri(secret, user.email)
    return Enrollment(secret, uri, qr_svg(uri))


@post("/mfa/confirm", opt=PUBLIC, sync_to_thread=True, status_code=200,
      summary="Finish MFA enrolment with a first code")
def confirm(ctx: ApiContext, db: Session, request: Request[Any, Any, Any],
            data: MfaCode) -> Tokens:
    """Turns MFA on; returns the recovery codes (shown once) and the tokens."""
    user = _pending_user(ctx, db, request, "mfa_enroll")
    address = _address(request)
    if user.mfa_enabled_at is not None or user.totp_secret is None:
        raise ApiError(409, "mfa_not_pending", "Aucune activation en cours ; recommencez.")
    step = verify_totp(ctx.totp_box.decrypt(user.totp_secret), data.code or "", now=ctx.clock())
    if step is None:
        _audit_failure(ctx, user, "mfa.enroll_failure", address)
        raise ApiError(400, "invalid_code", "Code incorrect.")
    now = ctx.clock()
    user.mfa_enabled_at, user.totp_last_step = now, step
    codes = new_recovery_codes()
    db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.add_all(RecoveryCode(user_id=user.id, code_hash=hash_recovery_code(c)) for c in codes)
    _audit(db, user, "mfa.enabled", address)
    _audit(db, user, "login.success", address, {"method": "totp"})
    return _issue(ctx, db, user, address, recovery_codes=codes)


@post("/mfa/verify", opt=PUBLIC, sync_to_thread=True, status_code=200,
      summary="Second factor: TOTP or recovery code")
def verify(ctx: ApiContext, db: Session, request: Request[Any, Any, Any],
           data: MfaCode) -> Tokens:
    """The tokens, after a valid code; a wrong code counts as a failed login."""
    user = _pending_user(ctx, db, request, "mfa_challenge")
    address = _address(request)
    decision = ctx.login_throttle.check(user.email, address)
    if not decision.allowed:
        raise ApiError(429, "login_locked",
                       "Trop de tentatives de connexion ; réessayez plus tard.",
                       headers={"Retry-After": str(max(1, decision.retry_after_s))})
    method = _second_factor(ctx, db, user, data)
    if method is None:
        ctx.login_throttle.failed(user.email, address)
        _audit_failure(ctx, user, "login.failure", address, {"step": "mfa"})
        raise ApiError(401, "invalid_code", "Code incorrect.")
    ctx.login_throttle.succeeded(user.email)
    _audit(db, user, "login.success", address, {"method": method})
    return _issue(ctx, db, user, address)


def _second_factor(ctx: ApiContext, db: Session, user: User, data: MfaCode) -> str | None:
    if user.totp_secret is None or user.mfa_enabled_at is None:
        return None
    if data.code:
        step = verify_totp(ctx.totp_box.decrypt(user.totp_secret), data.code, now=ctx.clock(),
                           last_used_step=user.totp_last_step)
        if step is None:
            return None
        user.totp_last_step = step
        return "totp"
    if data.recovery_code:
        typed = normalise_recovery_code(data.recovery_code)
        for row in db.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                         RecoveryCode.used_at.is_(None))):
            if verify_password(row.code_hash, typed):
                row.used_at = ctx.clock()
                return "recovery_code"
    return None


@post("/refresh", opt=PUBLIC, sync_to_thread=True, status_code=200,
      summary="New tokens for a refresh token (rotated)")
def refresh(ctx: ApiContext, db: Session, request: Request[Any, Any, Any],
            data: RefreshRequest) -> Tokens:
    """A refresh token works once; presenting a used one ends its session."""
    now = ctx.clock()
    digest = refresh_token_hash(data.refresh_token)
    session = db.scalar(select(AuthSession).where(AuthSession.token_hash == digest))
    user = db.get(User, session.user_id) if session is not None else None
    if (session is None or user is None or session.revoked_at is not None
            or session.expires_at <= now or user.disabled_at is not None
            or user.mfa_enabled_at is None):
        raise unauthenticated("Session terminée, reconnectez-vous.")
    new_token, new_digest = new_refresh_token()
    session.token_hash = new_digest
    return _tokens(ctx, user, session, new_token, now)


@post("/logout", opt=PASSWORD_CHANGE, sync_to_thread=True, status_code=204,
      summary="End this session")
def logout(ctx: ApiContext, db: Session, principal: Principal, address: str | None) -> None:
    """Revokes the caller's session: its access and refresh tokens stop working at once."""
    if principal.session_id is not None:
        session = db.get(AuthSession, principal.session_id)
        if session is not None and session.revoked_at is None:
            session.revoked_at = ctx.clock()
    principal.scope(db).append_audit(principal.actor, "logout", "user",
                                     str(principal.user_id), address=address)


@post("/password", opt=PASSWORD_CHANGE, sync_to_thread=True, status_code=204,
      summary="Change one's password")
def change_password(ctx: ApiContext, db: Session, principal: Principal, address: str | None,
                    data: PasswordChange) -> None:
    """Checks the current password and the policy; ends every session (log in again)."""
    user = db.get(User, principal.user_id) if principal.user_id else None
    if user is None or user.password_hash is None:
        raise ApiError(403, "forbidden", "Seul un utilisateur change son mot de passe.")
    if not verify_password(user.password_hash, data.current_password):
        raise ApiError(400, "wrong_password", "Mot de passe actuel incorrect.")
    if data.new_password == data.current_password:
        raise ApiError(400, "same_password",
                       "Le nouveau mot de passe doit être différent de l'actuel.")
    problems = password_problems(data.new_password, email=user.email,
                                 display_name=user.display_name)
    if problems:
        raise ApiError(400, "weak_password", "Mot de passe refusé.",
                       details=[{"field": "new_password", "message": p} for p in problems])
    now = ctx.clock()
    user.password_hash, user.password_changed_at = hash_password(data.new_password), now
    user.password_must_change = False
    repo.revoke_user_sessions(db, user.id, now)
    principal.scope(db).append_audit(principal.actor, "password.change", "user", str(user.id),
                                     address=address)


@get("/me", opt=PASSWORD_CHANGE, sync_to_thread=True, summary="Who is calling")
def me(db: Session, principal: Principal) -> Me:
    """The caller's firm, role and scopes."""
    user = db.get(User, principal.user_id) if principal.user_id else None
    return Me(principal.firm_id, principal.actor, str(principal.role), sorted(principal.scopes),
              principal.user_id, user.display_name if user else None,
              user.email if user else None, principal.password_change_required)


ROUTES = [Router(path="/auth", route_handlers=[login, enroll, confirm, verify, refresh, logout,
                                               change_password, me], tags=["auth"])]
