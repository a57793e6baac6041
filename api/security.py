"""Who is calling, and what they may do: one middleware authenticates every request.

Routes are private unless their handler says `opt={"public": True}` (login, health, the schema):
forgetting to protect a route is impossible by construction. The middleware
- reads `Authorization: Bearer <token>`: an access JWT (issued only after MFA) or an API key
  (`kd_<prefix>_<secret>`); `X-API-Key: <key>` works too;
- checks the login session is not revoked and the user not disabled, on every request, so logout,
  a password change or disabling a user take effect at once, not when the token expires;
- applies the scope a method needs (GET/HEAD read, anything else write; `opt={"scope": "admin"}`
  for admin routes) and the per-caller rate limit (429 with Retry-After);
- keeps a user whose password an administrator chose to the routes marked
  `opt={"password_change": True}` (change it, who am I, log out) until they change it;
- leaves a `Principal` in `request.user`, from which `scope` (the tenant filter) is built.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import anyio
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.api_keys import parse_api_key, secret_matches
from api.auth.throttle import LimiterUnavailable
from api.auth.tokens import InvalidToken, decode_token
from api.context import ApiContext
from api.errors import ApiError
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import ApiKey, AuthSession, User, UserRole

READ, WRITE, ADMIN = "read", "write", "admin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Scopes nest: whoever may write may read, an admin key may do both.
IMPLIED_SCOPES = {READ: frozenset({READ}), WRITE: frozenset({READ, WRITE}),
                  ADMIN: frozenset({READ, WRITE, ADMIN})}


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: a user (after MFA) or an API key, always of one firm."""

    firm_id: uuid.UUID
    actor: str  # what the audit log shows: the user's e-mail, or "api-key:<prefix>"
    role: UserRole
    scopes: frozenset[str]
    user_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    # The user logged in with a password an administrator chose and has not replaced it yet.
    password_change_required: bool = False

    @property
    def is_collaborator(self) -> bool:
        """Collaborators see only the dossiers assigned to them."""
        return self.role == UserRole.COLLABORATOR

    @property
    def can_manage_dossiers(self) -> bool:
        """Admins and compliance officers (and firm-wide keys) assign and import dossiers."""
        return self.role in (UserRole.ADMIN, UserRole.COMPLIANCE_OFFICER)

    def scope(self, db: Session) -> FirmScope:
        """The store, narrowed to what this caller may see."""
        return FirmScope(db, self.firm_id,
                         assigned_to=self.user_id if self.is_collaborator else None)


def unauthenticated(message: str = "Authentification requise.") -> ApiError:
    """401 with the challenge header."""
    return ApiError(401, "not_authenticated", message,
                    headers={"WWW-Authenticate": 'Bearer realm="kanta-docs"'})


def _credential(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    key = connection.headers.get("x-api-key", "").strip()
    return key or None


def role_scopes(role: UserRole) -> frozenset[str]:
    """What a user's role allows through the scope check (the tenant filter does the rest)."""
    return frozenset({READ, WRITE, ADMIN}) if role == UserRole.ADMIN else frozenset({READ, WRITE})


def authenticate(ctx: ApiContext, credential: str, address: str | None) -> Principal:
    """The principal behind a bearer credential; 401 for anything not currently valid."""
    now = ctx.clock()
    with ctx.runtime.sessions.begin() as db:
        parsed = parse_api_key(credential)
        if parsed is not None:
            return _api_key_principal(db, *parsed, now=now)
        try:
            claims = decode_token(ctx.token_key, credential, purpose="access", now=now)
        except InvalidToken:
            raise unauthenticated("Jeton invalide ou expiré.") from None
        session = db.get(AuthSession, claims.session_id)
        user = db.get(User, claims.user_id)
        if (session is None or session.revoked_at is not None or session.expires_at <= now
                or session.user_id != claims.user_id or user is None
                or user.disabled_at is not None or user.mfa_enabled_at is None
                or user.firm_id != claims.firm_id):
            raise unauthenticated("Session terminée, reconnectez-vous.")
        return Principal(firm_id=user.firm_id, actor=user.email, role=user.role,
                         scopes=role_scopes(user.role), user_id=user.id, session_id=session.id,
                         password_change_required=user.password_must_change)


def _api_key_principal(db: Session, prefix: str, secret: str, *, now: Any) -> Principal:
    key = db.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None or key.revoked_at is not None or not secret_matches(secret, key.secret_hash):
        raise unauthenticated("Clé d'API invalide ou révoquée.")
    key.last_used_at = now
    scopes = frozenset().union(*(IMPLIED_SCOPES.get(s, frozenset()) for s in key.scopes))
    role = UserRole.ADMIN if ADMIN in scopes else UserRole.COMPLIANCE_OFFICER
    return Principal(firm_id=key.firm_id, actor=f"api-key:{key.prefix}", role=role,
                     scopes=scopes, api_key_id=key.id)


def required_scope(method: str, opt: dict[str, Any]) -> str:
    """The scope a route needs: its `opt["scope"]`, else read for safe methods, write otherwise."""
    declared = opt.get("scope")
    if isinstance(declared, str):
        return declared
    return READ if method.upper() in SAFE_METHODS else WRITE


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The caller's address as the server saw it (a proxy in front must set it right)."""
    return connection.client.host if connection.client else None


class AuthMiddleware(AbstractAuthenticationMiddleware):
    """Authenticates, checks the scope and the rate limit; skips routes marked public."""

    def __init__(self, app: ASGIApp, ctx: ApiContext) -> None:
        # The OpenAPI schema and its pages are public: they describe, they hold no data.
        super().__init__(app, exclude=["^/schema"], exclude_from_auth_key="public")
        self.ctx = ctx

    async def authenticate_request(
            self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """Principal from the credential, or 401/403/429."""
        credential = _credential(connection)
        if credential is None:
            raise unauthenticated()
        address = client_address(connection)
        principal = await anyio.to_thread.run_sync(authenticate, self.ctx, credential, address)
        handler = connection.scope.get("route_handler")
        opt = handler.opt if handler is not None else {}
        if principal.password_change_required and not opt.get("password_change"):
            raise ApiError(403, "password_change_required",
                           "Choisissez votre propre mot de passe avant de continuer "
                           "(POST /auth/password) : celui-ci vous a été donné par un "
                           "administrateur.")
        needed = required_scope(str(connection.scope.get("method", "GET")), opt)
        if needed not in principal.scopes:
            raise ApiError(403, "insufficient_scope",
                           "Droits insuffisants pour cette action.")
        subject = (f"key:{principal.api_key_id}" if principal.api_key_id
                   else f"user:{principal.user_id}")
        try:
            decision = await anyio.to_thread.run_sync(self.ctx.rate_limit.hit, subject)
        except LimiterUnavailable:
            raise ApiError(503, "unavailable", "Service momentanément indisponible.") from None
        if not decision.allowed:
            raise ApiError(429, "rate_limited", "Trop de requêtes, réessayez plus tard.",
                           headers={"Retry-After": str(max(1, decision.retry_after_s))})
        return AuthenticationResult(user=principal, auth=credential)
