"""Authenticated encryption of secrets stored at rest, and the application's master key.

One 32-byte master key (env KANTA_SECRET_KEY as hex, else a key file under the home dir) is
never used directly: `derive_key` gives each use its own key (JWT signing, TOTP secrets...), so
a weakness in one use cannot be turned against another.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import os
import secrets
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:
    from pathlib import Path

KEY_BYTES = 32
_NONCE_BYTES = 12
_TAG_BYTES = 16
_VERSION = "v1:"
# The version is authenticated too, so a token cannot be relabelled for another format.
_AAD = b"kanta-docs secret_box v1"


class SecretBox:
    """AES-256-GCM with a random 96-bit nonce per message.

    Random nonces are safe for far more than the number of secrets this application stores
    (NIST SP 800-38D allows 2**32 messages per key).
    """

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or len(key) != KEY_BYTES:
            raise ValueError(f"SecretBox needs a {KEY_BYTES}-byte key")
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "SecretBox(<key hidden>)"

    def encrypt(self, plaintext: str) -> str:
        """Encrypt a text; returns "v1:" + urlsafe base64 of nonce + ciphertext + tag."""
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), _AAD)
        return _VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypt a token made by `encrypt`.

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


def key_from_hex(text: str) -> bytes:
    """Parse a 32-byte key written as 64 hex characters (surrounding whitespace ignored).

    Raises:
        ValueError: If the text is not exactly 32 bytes of hex (the text is not echoed).
    """
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise ValueError(f"the key must be {2 * KEY_BYTES} hex characters") from None
    if len(key) != KEY_BYTES:
        raise ValueError(f"the key must be {2 * KEY_BYTES} hex characters, got {len(key) * 2}")
    return key


def load_or_create_key(path: Path) -> bytes:
    """Read the master key from `path`, or create it (random, mode 0600) if it does not exist.

    Creation is atomic and never overwrites: the key is written to a temporary file which is
    then hard-linked into place, so a concurrent reader never sees a half-written key and two
    processes starting together end up with the same key (the loser reads the winner's).

    Raises:
        ValueError: If the file exists but does not hold a valid key.
        OSError: If the file cannot be read or created.
    """
    with contextlib.suppress(FileNotFoundError):
        return key_from_hex(path.read_text(encoding="ascii"))
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        _write_key(fd, key)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return key_from_hex(path.read_text(encoding="ascii"))
        except OSError as exc:
            # Some mounted file systems have no hard links; fall back to an exclusive create.
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            return _create_exclusive(path, key)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return key


def _create_exclusive(path: Path, key: bytes) -> bytes:
    """Create the key file in place (no hard links); a reader racing it may see it partial."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_from_hex(path.read_text(encoding="ascii"))
    _write_key(fd, key)
    return key


def _write_key(fd: int, key: bytes) -> None:
    """Write the key as hex to an open file, flush it to disk and close it."""
    try:
        os.fchmod(fd, 0o600)  # the mode given to open is reduced by the umask, never widened
        data = memoryview((key.hex() + "\n").encode("ascii"))
        while data:
            data = data[os.write(fd, data):]
        os.fsync(fd)
    finally:
        os.close(fd)


def derive_key(master: bytes, purpose: str) -> bytes:
    """Derive the 32-byte key of one purpose ("jwt", "totp"...) from the master key.

    HKDF-SHA256 (RFC 5869) with the purpose in `info`: keys of different purposes are
    independent, and none reveals the master key.
    """
    if len(master) < KEY_BYTES:
        raise ValueError(f"the master key must have at least {KEY_BYTES} bytes")
    if not purpose:
        raise ValueError("purpose must not be empty")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"kanta-docs/" + purpose.encode("utf-8"))
    return hkdf.derive(master)
