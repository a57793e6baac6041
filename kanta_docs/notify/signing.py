"""Signed unsubscribe links: `<kind>.<user id hex>.<HMAC-SHA256>` (base64url, unpadded).

The key is derived (HKDF-SHA256, info "kanta-docs/unsubscribe-links") from the application's
master key, read as the API reads it (`kanta_docs.notify.secrets.read_master_key`:
KANTA_SECRET_KEY, else the key file the API creates under KANTA_HOME). The token names one
user and one kind, never expires (RFC 8058 links must keep working), and lets its holder do
one thing only: stop that kind of mail for that user.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from kanta_docs.crypto import derive_key
from kanta_docs.notify.secrets import read_master_key

if TYPE_CHECKING:
    from kanta_docs.config import Settings

UNSUBSCRIBE_PURPOSE = "unsubscribe-links"
# The kinds of e-mail a user may stop (in-app notifications are not mail).
EMAIL_KINDS: dict[str, str] = {
    "digest": "Récapitulatif quotidien",
    "high_alert": "Alertes importantes immédiates",
}
_KEYS: dict[tuple[str, str], bytes] = {}


class InvalidUnsubscribeToken(ValueError):
    """Malformed, altered, or signed with another key."""


def unsubscribe_key(settings: Settings) -> bytes:
    """The 32-byte key that signs unsubscribe links."""
    cache_key = (settings.secret_key, str(settings.secret_key_file))
    if cache_key not in _KEYS:
        master = read_master_key(settings.secret_key, settings.secret_key_file)
        _KEYS[cache_key] = derive_key(master, UNSUBSCRIBE_PURPOSE)
    return _KEYS[cache_key]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _signature(key: bytes, kind: str, user_id: uuid.UUID) -> str:
    message = f"unsubscribe\x00{kind}\x00{user_id.hex}".encode()
    return _b64(hmac.new(key, message, hashlib.sha256).digest())


def make_unsubscribe_token(key: bytes, kind: str, user_id: uuid.UUID) -> str:
    """The token of the link that stops `kind` mails for this user."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown e-mail kind {kind!r}")
    return f"{kind}.{user_id.hex}.{_signature(key, kind, user_id)}"


def verify_unsubscribe_token(key: bytes, token: str) -> tuple[str, uuid.UUID]:
    """(kind, user id) of a valid token; raises InvalidUnsubscribeToken otherwise."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] not in EMAIL_KINDS:
        raise InvalidUnsubscribeToken("malformed unsubscribe token")
    kind, user_hex, signature = parts
    try:
        user_id = uuid.UUID(hex=user_hex)
    except ValueError:
        raise InvalidUnsubscribeToken("malformed unsubscribe token") from None
    if not hmac.compare_digest(signature, _signature(key, kind, user_id)):
        raise InvalidUnsubscribeToken("bad unsubscribe token signature")
    return kind, user_id


def unsubscribe_url(settings: Settings, kind: str, user_id: uuid.UUID) -> str:
    """The public link that stops `kind` mails for this user."""
    token = make_unsubscribe_token(unsubscribe_key(settings), kind, user_id)
    return f"{settings.public_base_url.rstrip('/')}/unsubscribe?{urlencode({'token': token})}"


def dossier_url(settings: Settings, dossier_id: uuid.UUID | str) -> str:
    """The dossier's page."""
    return f"{settings.public_base_url.rstrip('/')}/dossiers/{dossier_id}"
