from __future__ import annotations

import base64
import math
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from api.auth.totp import (
    new_recovery_codes,
    new_totp_secret,
    normalise_recovery_code,
    provisioning_uri,
    qr_png_data_uri,
    qr_svg,
    verify_totp,
)

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)
STEP = int(NOW.timestamp()) // 30


def _code(at: datetime) -> str:
    return pyotp.TOTP(SECRET).at(at)


def test_secret_is_160_bits_of_base32() -> None:
    secret = new_totp_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert len(base64.b32decode(secret)) == 20
    assert secret != new_totp_secret()


def test_provisioning_uri_and_qr_codes() -> None:
    uri = provisioning_uri(SECRET, "claire@cabinet.fr")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth" and parts.netloc == "totp"
    query = parse_qs(parts.query)
    assert query["secret"] == [SECRET] and query["issuer"] == ["kanta-docs"]
    assert "claire%40cabinet.fr" in parts.path or "claire@cabinet.fr" in parts.path
    parsed = pyotp.parse_uri(uri)
    assert isinstance(parsed, pyotp.TOTP)
    assert parsed.secret == SECRET and parsed.interval == 30 and parsed.digits == 6
    svg = qr_svg(uri)
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")
    png = qr_png_data_uri(uri)
    assert png.startswith("data:image/png;base64,")
    assert base64.b64decode(png.split(",", 1)[1]).startswith(b"\x89PNG")


def test_current_code_returns_its_step() -> None:
    assert verify_totp(SECRET, _code(NOW), now=NOW) == STEP


def test_spaces_are_tolerated() -> None:
    code = _code(NOW)
    assert verify_totp(SECRET, f" {code[:3]} {code[3:]} ", now=NOW) == STEP


@pytest.mark.parametrize("offset", [-1, 1])
def test_one_step_either_side_is_accepted(offset: int) -> None:
    at = NOW + timedelta(seconds=30 * offset)
    assert verify_totp(SECRET, _code(at), now=NOW) == STEP + offset


@pytest.mark.parametrize("offset", [-2, 2, 10])
def test_codes_outside_the_window_are_refused(offset: int) -> None:
    code = _code(NOW + timedelta(seconds=30 * offset))
    if code in {_code(NOW + timedelta(seconds=30 * o)) for o in (-1, 0, 1)}:
        pytest.skip("code collision with the window")  # 1 in 10^6 chance
    assert verify_totp(SECRET, code, now=NOW) is None


def test_replay_is_refused() -> None:
    code = _code(NOW)
    step = verify_totp(SECRET, code, now=NOW)
    assert step == STEP
    assert verify_totp(SECRET, code, now=NOW, last_used_step=step) is None
    # ...and still refused 30 s later, while the code is in the window.
    assert verify_totp(SECRET, code, now=NOW + timedelta(seconds=30), last_used_step=step) is None
    # An older code after a newer one was used is refused too.
    earlier = _code(NOW - timedelta(seconds=30))
    assert verify_totp(SECRET, earlier, now=NOW, last_used_step=step) is None
    # The next code is fine.
    later = _code(NOW + timedelta(seconds=30))
    assert verify_totp(SECRET, later, now=NOW + timedelta(seconds=30),
                       last_used_step=step) == STEP + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12345a", "１２３４５６", "12-34-56"])
def test_malformed_codes_are_refused(code: str) -> None:
    assert verify_totp(SECRET, code, now=NOW) is None


def test_wrong_code_is_refused() -> None:
    good = _code(NOW)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    window = {_code(NOW + timedelta(seconds=30 * o)) for o in (-1, 0, 1)}
    assert wrong not in window
    assert verify_totp(SECRET, wrong, now=NOW) is None


def test_default_now_is_the_current_time() -> None:
    assert verify_totp(SECRET, pyotp.TOTP(SECRET).now()) is not None


def test_naive_now_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="timezone"):
        verify_totp(SECRET, "123456", now=datetime(2026, 1, 1))


def test_corrupt_secret_is_an_error_not_a_wrong_code() -> None:
    with pytest.raises(ValueError):
        verify_totp("not base32!", "123456", now=NOW)


def test_recovery_codes_format_and_entropy() -> None:
    codes = new_recovery_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    alphabet = set("0123456789abcdefghjkmnpqrstvwxyz")
    for code in codes:
        assert re.fullmatch(r"[0-9a-z]{5}-[0-9a-z]{5}", code)
        assert set(code.replace("-", "")) <= alphabet
        assert not set(code) & set("ilou")
        assert normalise_recovery_code(code) == code
    # 10 characters drawn from 32 symbols.
    assert 10 * math.log2(len(alphabet)) >= 50
    assert len(new_recovery_codes(3)) == 3


def test_recovery_codes_use_the_whole_alphabet() -> None:
    seen = set("".join(new_recovery_codes(200)).replace("-", ""))
    assert seen == set("0123456789abcdefghjkmnpqrstvwxyz")


@pytest.mark.parametrize(("typed", "expected"), [
    ("abcde-fghjk", "abcde-fghjk"),
    ("ABCDE-FGHJK", "abcde-fghjk"),
    ("abcdefghjk", "abcde-fghjk"),
    (" abc de fgh jk ", "abcde-fghjk"),
    ("abcde\u2013fghjk", "abcde-fghjk"),  # en dash from a word processor
    ("0o1il-23456", "00111-23456"),         # look-alikes read as digits
])
def test_recovery_code_normalisation(typed: str, expected: str) -> None:
    assert normalise_recovery_code(typed) == expected


@pytest.mark.parametrize("typed", ["", "abcde-fghj", "abcde-fghjkm", "abcde-fghju", "abcde_fghjk",
                                   "abcde-fghj!"])
def test_malformed_recovery_codes_normalise_to_empty(typed: str) -> None:
    assert normalise_recovery_code(typed) == ""
