"""Firm API keys, and the redaction of every credential format from log text.

A key reads `kd_<prefix>_<secret>`: the prefix (8 chars, a-z0-9) is public and finds the row,
the secret (43 urlsafe chars, 256 random bits) is stored only as its SHA-256. A fast hash is
enough because the secret is random; it also keeps per-request checks cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from api.auth.tokens import REFRESH_PREFIX

SCOPES = ("read", "write", "admin")

_PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_PREFIX_LEN = 8
_KEY = re.compile(r"kd_([a-z0-9]{8})_([A-Za-z0-9_-]{43})")
_MAX_KEY_TEXT = 200

# Redaction is deliberately wider than parsing: a key with a typo, in another case or cut
# short is still a secret. Keys and refresh tokens: the prefix, then whatever follows.
_REDACT_KEY = re.compile(r"(?i)kd_([a-z0-9]{8})_[A-Za-z0-9_-]*")
_REDACT_REFRESH = re.compile(rf"(?i){re.escape(REFRESH_PREFIX)}[A-Za-z0-9_-]*")
# A JWT: base64url of '{"' (eyJ) for the header, then one or two more dot-separated parts.
_REDACT_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """Make a new API key.

    Returns:
        (full key to show once, prefix to store, SHA-256 hex of the secret to store). The
        prefix is unique in the database; on the rare collision, make another key.
    """
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(_PREFIX_LEN))
    secret = secrets.token_urlsafe(32)
    return f"kd_{prefix}_{secret}", prefix, _sha256(secret)


def parse_api_key(text: str) -> tuple[str, str] | None:
    """Split a presented key into (prefix, secret); None if it is not exactly a key.

    Surrounding whitespace is ignored (header values); nothing else is corrected.
    """
    if len(text) > _MAX_KEY_TEXT:
        return None
    match = _KEY.fullmatch(text.strip())
    if match is None:
        return None
    return match.group(1), match.group(2)


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Compare a presented secret with the stored SHA-256 hex, in constant time."""
    return hmac.compare_digest(_sha256(secret).encode("ascii"),
                               stored_hash.strip().lower().encode("utf-8"))


def redact(text: str) -> str:
    """Hide credentials inside a text (for log processors).

    API keys become "kd_<prefix>_***" (the prefix is public and identifies the key); JWTs
    and refresh tokens become "***".
    """
    text = _REDACT_KEY.sub(lambda m: f"kd_{m.group(1).lower()}_***", text)
    text = _REDACT_REFRESH.sub("***", text)
    return _REDACT_JWT.sub("***", text)
