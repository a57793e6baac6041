"""The key that encrypts webhook endpoint secrets at rest, for the API (which stores them) and
the workers (which sign with them).

Both derive it from the application's master key, read exactly as the API reads it
(`api/context.master_key`): `KANTA_SECRET_KEY` as 64 hex characters, else the key file
`<home>/secret.key` (64 hex characters and a newline, created by the API at start-up). The
derivation and the token format are those of `api/auth/secret_box.py` (HKDF-SHA256 with the
purpose in `info`; "v1:" + urlsafe base64 of nonce, AES-256-GCM ciphertext and tag), repeated
here because `kanta_docs` must not import `api`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import secrets
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kanta_docs.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from kanta_docs.config import Settings

KEY_BYTES = 32
WEBHOOK_PURPOSE = "webhook-secrets"
_NONCE_BYTES = 12
_TAG_BYTES = 16
_VERSION = "v1:"
_AAD = b"kanta-docs secret_box v1"


class SecretBox:
    """AES-256-GCM with a random 96-bit nonce per message (same format as the API's box)."""

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or len(key) != KEY_BYTES:
            raise ValueError(f"SecretBox needs a {KEY_BYTES}-byte key")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    def encrypt(self, plaintext: str) -> str:
        """"v1:" + urlsafe base64 of nonce + ciphertext + tag."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), _AAD)
        return _VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        """The text `encrypt` sealed.

        Raises:
            ValueError: If the token is malformed, was altered, or was made with another key.
        """
        if not token.startswith(_VERSION):
            raise ValueError("not a v1 secret box token")
        try:
            raw = base64.b64decode(token[len(_VERSION):], altchars=b"-_", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("secret box token is not valid base64") from exc
        if len(raw) < _NONCE_BYTES + _TAG_BYTES:
            raise ValueError("secret box token is too short")
        try:
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD)
        except InvalidTag as exc:
            raise ValueError("secret box token was altered or made with another key") from exc
        return plain.decode("utf-8")


def _key_from_hex(text: str, origin: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise ConfigError(f"{origin}: the master key must be {2 * KEY_BYTES} hex characters")
    return key


def read_master_key(secret_key: str, key_file: Path) -> bytes:
    """KANTA_SECRET_KEY when set, else the key file the API created (never created here: a
    worker inventing a key would encrypt with a key the API does not know).

    Raises:
        ConfigError: If neither holds a valid key.
    """
    if secret_key:
        return _key_from_hex(secret_key, "KANTA_SECRET_KEY")
    try:
        text = key_file.read_text(encoding="ascii")
    except OSError as e:
        raise ConfigError(f"no master key: KANTA_SECRET_KEY is empty and {key_file} cannot be "
                          f"read ({e.strerror}); start the API once or set the variable") from e
    return _key_from_hex(text, str(key_file))


def derive_key(master: bytes, purpose: str) -> bytes:
    """HKDF-SHA256 of the master key with "kanta-docs/<purpose>" as `info` (as the API does)."""
    if len(master) < KEY_BYTES or not purpose:
        raise ValueError("a 32-byte master key and a purpose are needed")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"kanta-docs/" + purpose.encode("utf-8"))
    return hkdf.derive(master)


@functools.lru_cache(maxsize=8)
def _box(secret_key: str, key_file: Path) -> SecretBox:
    return SecretBox(derive_key(read_master_key(secret_key, key_file), WEBHOOK_PURPOSE))


def webhook_secret_box(settings: Settings) -> SecretBox:
    """The box sealing webhook endpoint secrets (one per master key, cached)."""
    return _box(settings.secret_key, settings.secret_key_file)
