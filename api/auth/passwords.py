"""Password policy and hashing.

The policy follows the ANSSI / CNIL recommendations for a password used alone with MFA on top:
12+ characters from the four character classes, not a common password, not the user's own name.
Hashes are argon2id with the argon2-cffi defaults (RFC 9106 low-memory profile).

Login must take the same time whether the e-mail exists or not, otherwise the response time
tells an attacker which addresses have an account. Verify against `DUMMY_HASH` when the user is
unknown (or has no password yet) and refuse anyway::

    user = users.by_email(email)
    if user is None or user.password_hash is None:
        verify_password(DUMMY_HASH, password)  # same argon2 cost, result ignored
        throttle.failed(email, address)
        raise Unauthorized
    if not verify_password(user.password_hash, password):
        throttle.failed(email, address)
        raise Unauthorized
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError
from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]  # no stubs

MIN_LENGTH = 12
# Bounds the argon2 input and the request size; long passphrases still fit.
MAX_LENGTH = 128
# Name and e-mail parts shorter than this are too common inside unrelated words to refuse.
_MIN_PERSONAL_PART = 4

# French favourites missing from the zxcvbn (mostly English) list, and the product's own name.
_EXTRA_COMMON = (
    "doudou", "loulou", "chouchou", "nicolas", "bisous", "cheval", "chocolat", "coucou",
    "kanta", "kantadocs", "kanta-docs", "expertcomptable", "comptable", "cabinet",
)

_HASHER = PasswordHasher()

DUMMY_HASH: str = _HASHER.hash(secrets.token_urlsafe(32))
"""An argon2id hash of a random password nobody knows, made with the same parameters as real
hashes, so that checking a password against it costs the same time (see the module doc)."""

_EDGE_NON_LETTERS = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_NAME_SPLIT = re.compile(r"[^a-z]+")


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_EXTRA_COMMON)


def _fold(text: str) -> str:
    """Lower-case and strip accents, so that "Hélène" and "helene" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _is_common(password: str) -> bool:
    common = _common_passwords()
    lowered = password.lower()
    if lowered in common:
        return True
    # "Password123!" and "!!Soleil2024" are a common word with decoration around it.
    stripped = _EDGE_NON_LETTERS.sub("", lowered)
    trailing_only = re.sub(r"[\W\d_]+$", "", lowered)
    return any(len(c) >= 4 and c in common for c in (stripped, trailing_only))


def _personal_parts(email: str, display_name: str) -> set[str]:
    parts: set[str] = set()
    local = _fold(email.strip()).partition("@")[0]
    if len(local) >= _MIN_PERSONAL_PART:
        parts.add(local)
    for source in (local, _fold(display_name)):
        parts.update(p for p in _NAME_SPLIT.split(source) if len(p) >= _MIN_PERSONAL_PART)
    return parts


def password_problems(password: str, *, email: str = "", display_name: str = "") -> list[str]:
    """List what is wrong with a new password, in French, for the user.

    Args:
        password: The candidate password, as typed.
        email: The account's e-mail; its local part and the words in it may not appear.
        display_name: The person's name; its words of 4+ letters may not appear.

    Returns:
        One French sentence per broken rule; an empty list when the password is acceptable.
    """
    if len(password) > MAX_LENGTH:
        # Alone, and before the other checks: their cost must stay bounded on hostile input.
        return [f"Le mot de passe ne doit pas dépasser {MAX_LENGTH} caractères."]
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Le mot de passe doit contenir au moins {MIN_LENGTH} caractères.")
    if not any(c.isupper() for c in password):
        problems.append("Le mot de passe doit contenir au moins une lettre majuscule.")
    if not any(c.islower() for c in password):
        problems.append("Le mot de passe doit contenir au moins une lettre minuscule.")
    if not any(c.isdigit() for c in password):
        problems.append("Le mot de passe doit contenir au moins un chiffre.")
    if all(c.isalnum() for c in password):  # any other character (space included) is a symbol
        problems.append("Le mot de passe doit contenir au moins un symbole (par exemple ! ? # @).")
    if _is_common(password):
        problems.append("Ce mot de passe est trop courant : choisissez-en un autre.")
    folded = _fold(password)
    if any(part in folded for part in _personal_parts(email, display_name)):
        problems.append(
            "Le mot de passe ne doit contenir ni votre nom ni votre adresse électronique.")
    return problems


def hash_password(password: str) -> str:
    """Hash a password with argon2id (argon2-cffi defaults); the result embeds salt and cost."""
    return _HASHER.hash(password)


# Recovery codes carry 50 random bits: guessing one offline takes ~2**49 hashes whatever the
# cost, so OWASP's minimum argon2id settings (19 MiB, 1 pass) suffice and ten codes hash fast.
_CODE_HASHER = PasswordHasher(time_cost=1, memory_cost=19_456, parallelism=1)


def hash_recovery_code(code: str) -> str:
    """Hash a (normalised) recovery code with argon2id at the minimum recommended cost;
    `verify_password` checks it (the cost is in the hash)."""
    return _CODE_HASHER.hash(code)


def verify_password(stored_hash: str, password: str) -> bool:
    """Check a password against a stored argon2 hash.

    Returns:
        True when it matches; False on mismatch or when the stored hash is malformed. Never
        raises, so a corrupt row cannot turn a login into a server error.
    """
    try:
        return _HASHER.verify(stored_hash, password)
    except (Argon2Error, InvalidHashError, ValueError, TypeError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Tell whether a hash was made with other parameters than today's (rehash at next login).

    A malformed hash also answers True: it cannot be kept as it is.
    """
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError, TypeError):
        return True
