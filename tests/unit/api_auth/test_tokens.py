from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from api.auth.tokens import (
    AccessClaims,
    InvalidToken,
    decode_token,
    issue_token,
    new_refresh_token,
    refresh_token_hash,
)

KEY = b"k" * 32
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
USER, FIRM, SESSION = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def _issue(**overrides: Any) -> str:
    args: dict[str, Any] = {"user_id": USER, "firm_id": FIRM, "role": "admin",
                            "session_id": SESSION, "ttl_s": 900, "now": NOW}
    args.update(overrides)
    return issue_token(KEY, **args)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def test_round_trip() -> None:
    claims = decode_token(KEY, _issue(), purpose="access", now=NOW + timedelta(seconds=10))
    assert claims == AccessClaims(user_id=USER, firm_id=FIRM, role="admin", session_id=SESSION,
                                  purpose="access", expires_at=NOW + timedelta(seconds=900))


def test_claims_in_the_token() -> None:
    token = _issue()
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    payload = _payload(token)
    assert payload["iss"] == "kanta-docs" and payload["pur"] == "access"
    assert payload["sub"] == str(USER) and payload["firm"] == str(FIRM)
    assert payload["sid"] == str(SESSION)
    assert payload["exp"] - payload["iat"] == 900
    assert payload["jti"] != _payload(_issue())["jti"]


def test_mfa_tokens_without_a_session() -> None:
    token = _issue(session_id=None, purpose="mfa_challenge", ttl_s=300)
    claims = decode_token(KEY, token, purpose="mfa_challenge", now=NOW)
    assert claims.session_id is None and claims.purpose == "mfa_challenge"
    enrol = _issue(session_id=None, purpose="mfa_enroll", ttl_s=300)
    assert decode_token(KEY, enrol, purpose="mfa_enroll", now=NOW).session_id is None


def test_expiry() -> None:
    token = _issue(ttl_s=60)
    decode_token(KEY, token, purpose="access", now=NOW + timedelta(seconds=59))
    for later in (60, 61, 3600):
        with pytest.raises(InvalidToken, match="expired"):
            decode_token(KEY, token, purpose="access", now=NOW + timedelta(seconds=later))


def test_issued_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidToken, match="future"):
        decode_token(KEY, _issue(ttl_s=3600), purpose="access", now=NOW - timedelta(minutes=5))


@pytest.mark.parametrize(("issued", "expected"), [
    ("mfa_challenge", "access"), ("mfa_enroll", "access"), ("access", "mfa_challenge"),
    ("mfa_challenge", "mfa_enroll"),
])
def test_wrong_purpose(issued: str, expected: str) -> None:
    token = _issue(purpose=issued, session_id=SESSION)
    with pytest.raises(InvalidToken, match="wrong purpose"):
        decode_token(KEY, token, purpose=expected, now=NOW)


def test_wrong_key() -> None:
    with pytest.raises(InvalidToken, match="bad signature"):
        decode_token(b"x" * 32, _issue(), purpose="access", now=NOW)


def test_tampered_payload() -> None:
    header, _, signature = _issue().split(".")
    payload = _payload(_issue())
    payload["role"] = "superadmin"
    forged = f"{header}.{_b64(payload)}.{signature}"
    with pytest.raises(InvalidToken, match="bad signature"):
        decode_token(KEY, forged, purpose="access", now=NOW)


@pytest.mark.parametrize("alg", ["none", "None", "NONE", ""])
def test_alg_none_crafted_by_hand_is_refused(alg: str) -> None:
    payload = _payload(_issue())
    for signature in ("", "AAAA"):
        forged = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64(payload)}.{signature}"
        with pytest.raises(InvalidToken, match="algorithm not allowed"):
            decode_token(KEY, forged, purpose="access", now=NOW)


def test_header_without_alg_is_refused() -> None:
    forged = f"{_b64({'typ': 'JWT'})}.{_b64(_payload(_issue()))}."
    with pytest.raises(InvalidToken, match="algorithm not allowed"):
        decode_token(KEY, forged, purpose="access", now=NOW)


@pytest.mark.filterwarnings("ignore:The HMAC key is 32 bytes long")
@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_other_algorithms_are_refused_even_with_the_right_key(alg: str) -> None:
    token = jwt.encode(_payload(_issue()), KEY, algorithm=alg)
    with pytest.raises(InvalidToken, match="algorithm not allowed"):
        decode_token(KEY, token, purpose="access", now=NOW)


def test_wrong_issuer() -> None:
    payload = _payload(_issue()) | {"iss": "someone-else"}
    with pytest.raises(InvalidToken, match="wrong issuer"):
        decode_token(KEY, jwt.encode(payload, KEY, algorithm="HS256"), purpose="access", now=NOW)


@pytest.mark.parametrize("claim", ["sub", "firm", "role", "pur", "iat", "exp", "jti", "iss", "sid"])
def test_missing_claims(claim: str) -> None:
    payload = _payload(_issue())
    del payload[claim]
    token = jwt.encode(payload, KEY, algorithm="HS256")
    with pytest.raises(InvalidToken, match=f"claim {claim}"):
        decode_token(KEY, token, purpose="access", now=NOW)


@pytest.mark.parametrize(("claim", "value"), [
    ("sub", "not-a-uuid"), ("firm", 12), ("sid", None), ("role", ""), ("exp", "tomorrow"),
    ("iat", True),
])
def test_malformed_claims(claim: str, value: Any) -> None:
    payload = _payload(_issue()) | {claim: value}
    token = jwt.encode(payload, KEY, algorithm="HS256")
    with pytest.raises(InvalidToken):
        decode_token(KEY, token, purpose="access", now=NOW)


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "eyJhbGciOiJIUzI1NiJ9..", "x" * 5000])
def test_garbage_is_refused(token: str) -> None:
    with pytest.raises(InvalidToken):
        decode_token(KEY, token, purpose="access", now=NOW)


def test_caller_bugs_are_value_errors() -> None:
    with pytest.raises(ValueError, match="session"):
        _issue(session_id=None)
    with pytest.raises(ValueError, match="purpose"):
        _issue(purpose="refresh")
    with pytest.raises(ValueError, match="ttl"):
        _issue(ttl_s=0)
    with pytest.raises(ValueError, match="timezone"):
        _issue(now=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="32 bytes"):
        issue_token(b"short", user_id=USER, firm_id=FIRM, role="admin", session_id=SESSION,
                    ttl_s=60, now=NOW)
    with pytest.raises(ValueError, match="purpose"):
        decode_token(KEY, _issue(), purpose="anything", now=NOW)


def test_refresh_tokens() -> None:
    token, digest = new_refresh_token()
    assert re.fullmatch(r"kdr_[A-Za-z0-9_-]{43}", token)
    assert digest == hashlib.sha256(token.encode()).hexdigest() == refresh_token_hash(token)
    assert new_refresh_token()[0] != token
