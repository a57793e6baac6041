"""The key that encrypts webhook endpoint secrets at rest, for the API (which stores them) and
the workers (which sign with them).

Both derive it from the application's master key, read exactly as the API reads it
(`api/context.master_key`): `KANTA_SECRET_KEY` as 64 hex characters, else the key file
`<home>/secret.key` (created by the API at start-up; never here). The box and the derivation are
`kanta_docs.crypto`'s, shared with the API.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from kanta_docs.crypto import SecretBox, derive_key, key_from_hex
from kanta_docs.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from kanta_docs.config import Settings

WEBHOOK_PURPOSE = "webhook-secrets"


def _key_from_hex(text: str, origin: str) -> bytes:
    try:
        return key_from_hex(text.strip())
    except ValueError as e:
        raise ConfigError(f"{origin}: {e}") from None


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


@functools.lru_cache(maxsize=8)
def _box(secret_key: str, key_file: Path) -> SecretBox:
    return SecretBox(derive_key(read_master_key(secret_key, key_file), WEBHOOK_PURPOSE))


def webhook_secret_box(settings: Settings) -> SecretBox:
    """The box sealing webhook endpoint secrets (one per master key, cached)."""
    return _box(settings.secret_key, settings.secret_key_file)
