"""Firm API keys; `redact` (credentials out of log text) lives in kanta_docs.logs and is
re-exported here.

A key reads `kd_<prefix>_<secret>`: the prefix (8 chars, a-z0-9) is public and finds the row,
the secret (43 urlsafe chars, 256 random bits) is stored only as its SHA-256. A fast hash is
enough because the secret is random; it also keeps per-request checks cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from kanta_docs.logs import redact

__all__ = ["SCOPES", "new_api_key", "parse_api_key", "redact", "secret_matches"]

SCOPES = ("read", "write", "admin")

_PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_PREFIX_LEN = 8
_KEY = re.compile(r"kd_([a-z0-9]{8})_([A-Za-z0-9_-]{43})")
_MAX_KEY_TEXT = 200


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
