"""The secret box and key handling live in `kanta_docs.crypto` (the workers need them too, and
kanta_docs must not import api); re-exported here for the API's modules."""

from kanta_docs.crypto import KEY_BYTES, SecretBox, derive_key, key_from_hex, load_or_create_key

__all__ = ["KEY_BYTES", "SecretBox", "derive_key", "key_from_hex", "load_or_create_key"]
