"""TOTP (RFC 6238: SHA-1, 6 digits, 30 s) enrolment and checking, and MFA recovery codes.

The secret is stored encrypted (`secret_box`) because checking a code needs it in clear. The
step returned by `verify_totp` must be stored with the user and passed back as `last_used_step`:
a code is then accepted once only, even within its validity window.
"""

from __future__ import annotations

import base64
import hmac
import re
import secrets
from datetime import UTC, datetime

import pyotp
import segno

STEP_S = 30
_DIGITS = 6
# One step either side absorbs clock drift between the phone and the server (RFC 6238 §5.2).
_WINDOW = 1
_CODE = re.compile(r"[0-9]{6}")
_WHITESPACE = re.compile(r"\s+")

# Crockford's base32 alphabet: no i, l, o, u, so 0/o and 1/i/l cannot be confused once
# normalised; 32 symbols give exactly 5 bits per character, 50 bits per 10-character code.
_RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_RECOVERY_LEN = 10
_RECOVERY_READALIKES = str.maketrans({"o": "0", "i": "1", "l": "1"})
_RECOVERY_CODE = re.compile(r"[0-9a-hjkmnp-tv-z]{10}")


def new_totp_secret() -> str:
    """Return a new TOTP secret: 160 random bits (RFC 4226 §4), base32 without padding."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def provisioning_uri(secret: str, email: str, issuer: str = "kanta-docs") -> str:
    """Return the otpauth:// URI that authenticator apps read from the QR code."""
    return pyotp.TOTP(secret, digits=_DIGITS, interval=STEP_S).provisioning_uri(
        name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """Render a URI as an SVG QR code (text, no XML declaration, ready to inline in HTML)."""
    return segno.make(uri, error="m", micro=False).svg_inline(scale=4)


def qr_png_data_uri(uri: str) -> str:
    """Render a URI as a PNG QR code in a data: URI (for an <img src>)."""
    return segno.make(uri, error="m", micro=False).png_data_uri(scale=4)


def verify_totp(secret: str, code: str, *, now: datetime | None = None,
                last_used_step: int | None = None) -> int | None:
    """Check a TOTP code.

    Args:
        secret: The user's base32 secret (decrypted).
        code: What the user typed: 6 digits, spaces tolerated ("123 456").
        now: The time of the check, timezone-aware; default the current time.
        last_used_step: The step returned by the last successful check of this user, if any;
            codes of that step or earlier are refused (replay).

    Returns:
        The time step the code belongs to (store it as the new last used step), or None when
        the code is malformed, wrong, outside the ±1 step window or already used.

    Raises:
        ValueError: If `now` is naive or the secret is not valid base32 (a caller bug or a
            corrupt row, not a wrong code).
    """
    if now is None:
        now = datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    typed = _WHITESPACE.sub("", code)
    if not _CODE.fullmatch(typed):
        return None
    totp = pyotp.TOTP(secret, digits=_DIGITS, interval=STEP_S)
    current = int(now.timestamp()) // STEP_S
    matched: int | None = None
    # Every candidate is computed and compared in constant time: no early exit to time.
    for step in range(current - _WINDOW, current + _WINDOW + 1):
        if step < 0 or (last_used_step is not None and step <= last_used_step):
            continue
        if hmac.compare_digest(totp.generate_otp(step), typed):
            # The latest matching step, so that a code cannot be replayed against a later one.
            matched = step
    return matched


def new_recovery_codes(count: int = 10) -> list[str]:
    """Return `count` distinct one-time recovery codes, "xxxxx-xxxxx" (50 random bits each).

    Show them to the user once; store only `passwords.hash_password(code)`.
    """
    if count < 1:
        raise ValueError("count must be positive")
    codes: list[str] = []
    while len(codes) < count:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LEN))
        code = f"{raw[:5]}-{raw[5:]}"
        if code not in codes:
            codes.append(code)
    return codes


def normalise_recovery_code(code: str) -> str:
    """Bring a typed recovery code to the canonical "xxxxx-xxxxx" form before hashing it.

    Case, spaces and dashes are ignored, and o / i / l are read as 0 / 1 / 1.

    Returns:
        The canonical code, or "" when the text cannot be a recovery code (wrong length or
        characters), so callers can refuse it without spending argon2 checks.
    """
    cleaned = re.sub(r"[\s\-\u2010-\u2015]+", "", code).lower().translate(_RECOVERY_READALIKES)
    if not _RECOVERY_CODE.fullmatch(cleaned):
        return ""
    return f"{cleaned[:5]}-{cleaned[5:]}"
