from __future__ import annotations

import base64
import hashlib
import re
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.auth.api_keys import SCOPES, new_api_key, parse_api_key, redact, secret_matches
from api.auth.tokens import issue_token, new_refresh_token


def test_new_key_format() -> None:
    full, prefix, secret_hash = new_api_key()
    assert re.fullmatch(r"kd_[a-z0-9]{8}_[A-Za-z0-9_-]{43}", full)
    assert full.startswith(f"kd_{prefix}_")
    secret = full[len(f"kd_{prefix}_"):]
    assert len(base64.urlsafe_b64decode(secret + "=")) == 32  # 256 bits
    assert secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert new_api_key()[0] != full


def test_parse_round_trip_and_secret_check() -> None:
    full, prefix, secret_hash = new_api_key()
    parsed = parse_api_key(full)
    assert parsed is not None
    assert parsed[0] == prefix
    assert secret_matches(parsed[1], secret_hash)
    assert secret_matches(parsed[1], secret_hash.upper())
    assert not secret_matches(parsed[1][:-1] + ("A" if parsed[1][-1] != "A" else "B"),
                              secret_hash)
    assert not secret_matches(parsed[1], "")
    assert not secret_matches(parsed[1], "é" * 64)
    assert parse_api_key(f"  {full}\n") == parsed


SECRET = "A" * 43


@pytest.mark.parametrize("text", [
    "", "kd_", f"kd_abcdefgh_{SECRET[:-1]}", f"kd_abcdefgh_{SECRET}A", f"kd_abcdefg_{SECRET}",
    f"kd_abcdefghi_{SECRET}", f"kd_ABCDEFGH_{SECRET}", f"KD_abcdefgh_{SECRET}",
    f"kd-abcdefgh-{SECRET}", f"kd_abcdefgh_{SECRET[:-1]}=", f"kd_abcdéfgh_{SECRET}",
    f"kd_abcdefgh_{SECRET[:-1]}é", f"Bearer kd_abcdefgh_{SECRET}", f"kd_abcdefgh_{SECRET} x",
    f"kd_abcdefgh_{SECRET[:20]} {SECRET[20:]}", "kd_" + "a" * 10_000,
])
def test_malformed_keys_parse_to_none(text: str) -> None:
    assert parse_api_key(text) is None


@given(st.text(max_size=80))
def test_parse_never_raises(text: str) -> None:
    result = parse_api_key(text)
    assert result is None or len(result[1]) == 43


def test_scopes() -> None:
    assert SCOPES == ("read", "write", "admin")


def test_redact_api_keys() -> None:
    full, prefix, _ = new_api_key()
    secret = full.split("_", 2)[2]
    line = f"GET /api/dossiers Authorization: Bearer {full} from 10.0.0.1"
    out = redact(line)
    assert secret not in out
    assert out == f"GET /api/dossiers Authorization: Bearer kd_{prefix}_*** from 10.0.0.1"
    assert redact(f"key={full}&x=1") == f"key=kd_{prefix}_***&x=1"
    assert redact(f"{full},{full}") == f"kd_{prefix}_***,kd_{prefix}_***"
    # A truncated key, an upper-cased one or one glued to a word are still hidden.
    assert secret[:20] not in redact(full[:-23])
    assert secret.upper()[:20] not in redact(full.upper())
    assert secret not in redact("token" + full)


def test_redact_jwts_and_refresh_tokens() -> None:
    token = issue_token(b"k" * 32, user_id=uuid.uuid4(), firm_id=uuid.uuid4(), role="admin",
                        session_id=uuid.uuid4(), ttl_s=60, now=datetime.now(UTC))
    assert redact(f"Authorization: Bearer {token}") == "Authorization: Bearer ***"
    assert redact(f'{{"access_token": "{token}"}}') == '{"access_token": "***"}'
    header, payload, _ = token.split(".")
    assert redact(f"unsigned {header}.{payload}. end") == "unsigned *** end"
    refresh, _ = new_refresh_token()
    assert redact(f"refresh_token={refresh};") == "refresh_token=***;"


def test_redact_leaves_ordinary_text_alone() -> None:
    text = ("dossier 552100554 kd_docs ok; eyJ alone; sha256 "
            + hashlib.sha256(b"x").hexdigest() + " user:" + str(uuid.uuid4()))
    assert redact(text) == text


@given(st.text(max_size=60), st.text(max_size=60))
def test_redact_hides_any_embedded_key(before: str, after: str) -> None:
    full, prefix, _ = new_api_key()
    secret = full.split("_", 2)[2]
    assert secret not in redact(before + full + after)
