"""Signed tokens (HS256 JWT) for access and the MFA steps, and opaque refresh tokens.

Access tokens are short-lived and carry the session id: revoking the session (its refresh token)
lets the API refuse the access tokens issued under it. The MFA tokens only let their holder
finish the login (challenge) or the TOTP enrolment; `decode_token` requires the expected purpose
so a token of one kind is never accepted as another.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

ISSUER = "kanta-docs"
ALGORITHM = "HS256"
PURPOSES = ("access", "mfa_challenge", "mfa_enroll")
REFRESH_PREFIX = "kdr_"
_MIN_KEY_BYTES = 32
# Tolerated clock difference between API instances for "issued in the future".
_CLOCK_SKEW_S = 60
_REQUIRED = ("sub", "firm", "role", "pur", "iat", "exp", "jti", "iss")


class InvalidToken(Exception):
    """The token must be refused; the message is a short English reason, safe to log."""


@dataclass(frozen=True)
class AccessClaims:
    """What a valid token says. `session_id` is None only for MFA tokens (no session yet)."""

    user_id: uuid.UUID
    firm_id: uuid.UUID
    role: str
    session_id: uuid.UUID | None
    purpose: str
    expires_at: datetime


def _check_key(key: bytes) -> None:
    # RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
    if len(key) < _MIN_KEY_BYTES:
        raise ValueError(f"the signing key must have at least {_MIN_KEY_BYTES} bytes")


def _timestamp(now: datetime) -> int:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return int(now.timestamp())


def issue_token(key: bytes, *, user_id: uuid.UUID, firm_id: uuid.UUID, role: str,
                session_id: uuid.UUID | None, purpose: str = "access", ttl_s: int,
                now: datetime) -> str:
    """Sign a token.

    Args:
        key: The signing key (`secret_box.derive_key(master, "jwt")`), 32+ bytes.
        user_id: The user (claim `sub`).
        firm_id: The user's firm (claim `firm`).
        role: The user's role (claim `role`).
        session_id: The login session (claim `sid`); required for "access" tokens.
        purpose: "access", "mfa_challenge" or "mfa_enroll" (claim `pur`).
        ttl_s: Lifetime in seconds.
        now: Issue time, timezone-aware.

    Raises:
        ValueError: On an unknown purpose, a non-positive ttl, an access token without a
            session, a short key or a naive `now`.
    """
    _check_key(key)
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    if purpose == "access" and session_id is None:
        raise ValueError("an access token needs a session id")
    if ttl_s <= 0:
        raise ValueError("ttl_s must be positive")
    if not role:
        raise ValueError("role must not be empty")
    iat = _timestamp(now)
    claims: dict[str, Any] = {
        "iss": ISSUER, "sub": str(user_id), "firm": str(firm_id), "role": role,
        "pur": purpose, "iat": iat, "exp": iat + ttl_s, "jti": uuid.uuid4().hex,
    }
    if session_id is not None:
        claims["sid"] = str(session_id)
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def _uuid_claim(claims: dict[str, Any], name: str) -> uuid.UUID:
    value = claims.get(name)
    if not isinstance(value, str):
        raise InvalidToken(f"missing or malformed claim {name}")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidToken(f"malformed claim {name}") from None


def _int_claim(claims: dict[str, Any], name: str) -> int:
    value = claims.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidToken(f"missing or malformed claim {name}")
    return value


def decode_token(key: bytes, token: str, *, purpose: str, now: datetime) -> AccessClaims:
    """Verify a token and return its claims.

    Only HS256 is accepted (the algorithm is fixed here, never taken from the token), the
    issuer must be kanta-docs, the purpose must be the expected one and `now` must be before
    the expiry.

    Raises:
        InvalidToken: With a short reason: bad signature, expired, wrong purpose, wrong issuer,
            missing claim, algorithm not allowed, malformed token.
        ValueError: On a short key, an unknown expected purpose or a naive `now` (caller bugs).
    """
    _check_key(key)
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    at = _timestamp(now)
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("malformed token") from None
    # Checked before anything else: "none" and asymmetric algorithms are the classic forgeries.
    if header.get("alg") != ALGORITHM:
        raise InvalidToken("algorithm not allowed")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[ALGORITHM], issuer=ISSUER,
            # Times are checked below against the `now` given, not the machine's clock.
            options={"require": list(_REQUIRED), "verify_exp": False, "verify_iat": False,
                     "verify_nbf": False, "verify_aud": False})
    except jwt.InvalidSignatureError:
        raise InvalidToken("bad signature") from None
    except jwt.InvalidAlgorithmError:
        raise InvalidToken("algorithm not allowed") from None
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"missing claim {exc.claim}") from None
    except jwt.InvalidIssuerError:
        raise InvalidToken("wrong issuer") from None
    except jwt.PyJWTError:
        raise InvalidToken("malformed token") from None
    exp = _int_claim(claims, "exp")
    iat = _int_claim(claims, "iat")
    if at >= exp:
        raise InvalidToken("expired")
    if iat > at + _CLOCK_SKEW_S:
        raise InvalidToken("issued in the future")
    if claims.get("pur") != purpose:
        raise InvalidToken("wrong purpose")
    role = claims.get("role")
    if not isinstance(role, str) or not role:
        raise InvalidToken("missing or malformed claim role")
    session_id = _uuid_claim(claims, "sid") if "sid" in claims or purpose == "access" else None
    return AccessClaims(
        user_id=_uuid_claim(claims, "sub"), firm_id=_uuid_claim(claims, "firm"), role=role,
        session_id=session_id, purpose=purpose, expires_at=datetime.fromtimestamp(exp, UTC))


def new_refresh_token() -> tuple[str, str]:
    """Return a new refresh token ("kdr_" + 256 random bits) and its SHA-256 hex to store.

    The prefix lets `api_keys.redact` find the token in logs. A fast hash is enough: the
    token is random, there is nothing to guess.
    """
    token = REFRESH_PREFIX + secrets.token_urlsafe(32)
    return token, refresh_token_hash(token)


def refresh_token_hash(token: str) -> str:
    """Return the SHA-256 hex of a refresh token, as stored in auth_sessions.token_hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
