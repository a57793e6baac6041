"""Signing and verification per Standard Webhooks, checked against an independent
re-implementation of the documented algorithm; destination checks (SSRF)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from kanta_docs.notify import webhooks as wh

SECRET = "whsec_" + base64.b64encode(bytes(range(32))).decode()
MSG_ID = "outbox_42:0b9b5f7e-8a0f-4a6e-9d55-0d3c1f2a7b11"
TS = 1_795_000_000
BODY = b'{"data":{"dossier_id":"d1"},"timestamp":"2026-11-26T09:00:00Z","type":"risk.changed"}'


def reference_signature(secret: str, msg_id: str, ts: int, body: bytes) -> str:
    """The README's algorithm, written independently of the module."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = msg_id.encode() + b"." + str(ts).encode() + b"." + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(signature: str, msg_id: str = MSG_ID, ts: int = TS) -> dict[str, str]:
    return {"Webhook-Id": msg_id, "Webhook-Timestamp": str(ts), "Webhook-Signature": signature}


def test_sign_matches_the_documented_algorithm() -> None:
    assert wh.sign(SECRET, MSG_ID, TS, BODY) == reference_signature(SECRET, MSG_ID, TS, BODY)
    wh.verify(SECRET, headers(reference_signature(SECRET, MSG_ID, TS, BODY)), BODY, now=TS)


def test_a_known_vector() -> None:
    # Computed apart with openssl (key = bytes 0..31):
    # printf 'id.1.{}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:0001...1f -binary | base64
    assert wh.sign(SECRET, "id", 1, b"{}") == "v1,8vc65NU7V7cqazV0GzXQNuYhukTMlsNT0Rff4/22pCA="


@pytest.mark.parametrize("tamper", ["body", "id", "timestamp", "secret", "signature"])
def test_tampering_fails(tamper: str) -> None:
    signature = wh.sign(SECRET, MSG_ID, TS, BODY)
    body, hdrs, secret = BODY, headers(signature), SECRET
    if tamper == "body":
        body = BODY.replace(b"d1", b"d2")
    elif tamper == "id":
        hdrs = headers(signature, msg_id=MSG_ID.replace("42", "43"))
    elif tamper == "timestamp":
        hdrs = headers(signature, ts=TS + 1)
    elif tamper == "secret":
        secret = wh.new_secret()
    else:
        raw = bytearray(base64.b64decode(signature[3:]))
        raw[0] ^= 1
        hdrs = headers("v1," + base64.b64encode(bytes(raw)).decode())
    with pytest.raises(wh.WebhookVerificationError):
        wh.verify(secret, hdrs, body, now=TS + 1)


def test_timestamp_tolerance() -> None:
    signature = wh.sign(SECRET, MSG_ID, TS, BODY)
    wh.verify(SECRET, headers(signature), BODY, now=TS + 300)
    wh.verify(SECRET, headers(signature), BODY, now=TS - 300)
    with pytest.raises(wh.WebhookVerificationError, match="too old"):
        wh.verify(SECRET, headers(signature), BODY, now=TS + 301)
    with pytest.raises(wh.WebhookVerificationError, match="too new"):
        wh.verify(SECRET, headers(signature), BODY, now=TS - 301)
    with pytest.raises(wh.WebhookVerificationError, match="too old"):
        wh.verify(SECRET, headers(signature), BODY, now=TS + 61, tolerance_s=60)


@pytest.mark.parametrize("missing", ["Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"])
def test_missing_header_fails(missing: str) -> None:
    hdrs = headers(wh.sign(SECRET, MSG_ID, TS, BODY))
    del hdrs[missing]
    with pytest.raises(wh.WebhookVerificationError, match="missing"):
        wh.verify(SECRET, hdrs, BODY, now=TS)


def test_several_signatures_one_valid() -> None:
    good = wh.sign(SECRET, MSG_ID, TS, BODY)
    old = wh.sign(wh.new_secret(), MSG_ID, TS, BODY)
    wh.verify(SECRET, headers(f"{old} v1a,AAAA not-a-signature {good}"), BODY, now=TS)
    with pytest.raises(wh.WebhookVerificationError, match="no matching"):
        wh.verify(SECRET, headers(f"{old} v2,{good[3:]}"), BODY, now=TS)


def test_new_secret_format() -> None:
    secret = wh.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[6:], validate=True)) == 32
    assert wh.new_secret() != secret


@pytest.mark.parametrize("url", [
    "ftp://hooks.example.com/x", "file:///etc/passwd", "hooks.example.com/x",
    "https://user:pw@hooks.example.com/x", "http://localhost:8080/x", "http://app.localhost/x",
    "http://127.0.0.1/x", "http://10.1.2.3/x", "http://192.168.0.10/x",
    "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[::ffff:127.0.0.1]/x",
    "http://0.0.0.0/x", "http://100.64.0.1/x", "https://hooks.example.com:0/x",
])
def test_refused_urls(url: str) -> None:
    with pytest.raises(wh.UnsafeUrl):
        wh.check_url(url, allow_private=False)


def test_allowed_urls() -> None:
    wh.check_url("https://hooks.example.com/kanta", allow_private=False)
    wh.check_url("http://93.184.216.34:8080/x", allow_private=False)
    wh.check_url("http://127.0.0.1:9/x", allow_private=True)
    with pytest.raises(wh.UnsafeUrl):  # the scheme is checked whatever the setting
        wh.check_url("gopher://127.0.0.1/x", allow_private=True)


def test_a_name_resolving_to_a_private_address_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        address = {"public.example.com": "93.184.216.34"}.get(host, "10.0.0.7")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    wh.check_destination("https://public.example.com/x", allow_private=False)
    with pytest.raises(wh.UnsafeUrl, match="10.0.0.7"):
        wh.check_destination("https://internal.example.com/x", allow_private=False)
    wh.check_destination("https://internal.example.com/x", allow_private=True)


def test_the_readme_example_verifies_and_rejects() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Receiving webhooks", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)  # noqa: S102 - our own README
    readme_verify = namespace["verify"]
    now = int(time.time())
    good = headers(wh.sign(SECRET, MSG_ID, now, BODY), ts=now)
    readme_verify(SECRET, good, BODY)
    for body, hdrs in [(BODY + b" ", good),
                       (BODY, {**good, "Webhook-Id": "other"}),
                       (BODY, headers(wh.sign(SECRET, MSG_ID, now - 400, BODY), ts=now - 400)),
                       (BODY, {k: v for k, v in good.items() if k != "Webhook-Signature"})]:
        with pytest.raises(ValueError):
            readme_verify(SECRET, hdrs, body)
