from __future__ import annotations

import base64
import os
import stat
import threading
from typing import TYPE_CHECKING

import pytest

from api.auth.secret_box import SecretBox, derive_key, key_from_hex, load_or_create_key

if TYPE_CHECKING:
    from pathlib import Path

KEY = bytes(range(32))


def test_round_trip() -> None:
    box = SecretBox(KEY)
    for text in ["JBSWY3DPEHPK3PXP", "", "é€ 🙂"]:
        token = box.encrypt(text)
        assert token.startswith("v1:")
        assert box.decrypt(token) == text


def test_nonce_is_random_and_96_bits() -> None:
    box = SecretBox(KEY)
    a, b = box.encrypt("same"), box.encrypt("same")
    assert a != b
    raw = base64.urlsafe_b64decode(a[3:])
    assert len(raw) == 12 + len(b"same") + 16


def _flip(token: str, index: int) -> str:
    raw = bytearray(base64.urlsafe_b64decode(token[3:]))
    raw[index] ^= 1
    return "v1:" + base64.urlsafe_b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("index", [0, 11, 12, -1])  # nonce, ciphertext, tag
def test_tampering_is_detected(index: int) -> None:
    box = SecretBox(KEY)
    with pytest.raises(ValueError, match="altered"):
        box.decrypt(_flip(box.encrypt("secret"), index))


def test_wrong_key_is_detected() -> None:
    token = SecretBox(KEY).encrypt("secret")
    with pytest.raises(ValueError):
        SecretBox(os.urandom(32)).decrypt(token)


@pytest.mark.parametrize("token", ["", "secret", "v2:AAAA", "v1:", "v1:!!!!", "v1:AAAA",
                                   "v1:" + "A" * 36])
def test_malformed_tokens(token: str) -> None:
    with pytest.raises(ValueError):
        SecretBox(KEY).decrypt(token)


@pytest.mark.parametrize("key", [b"", b"x" * 16, b"x" * 31, b"x" * 33])
def test_key_must_be_32_bytes(key: bytes) -> None:
    with pytest.raises(ValueError):
        SecretBox(key)


def test_repr_hides_the_key() -> None:
    assert KEY.hex() not in repr(SecretBox(KEY))


def test_key_from_hex() -> None:
    assert key_from_hex(KEY.hex()) == KEY
    assert key_from_hex(f"  {KEY.hex().upper()}\n") == KEY
    for bad in ["", "00" * 31, "00" * 33, "zz" * 32]:
        with pytest.raises(ValueError, match="64 hex"):
            key_from_hex(bad)


def test_key_file_is_created_0600_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "home" / "secrets" / "master.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == key.hex()
    assert load_or_create_key(path) == key
    assert [p.name for p in path.parent.iterdir()] == ["master.key"]  # no temporary left


def test_key_file_ignores_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "master.key"
        load_or_create_key(path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_existing_key_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text(KEY.hex() + "\n")
    assert load_or_create_key(path) == KEY


def test_corrupt_key_file_is_an_error_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text("not a key")
    with pytest.raises(ValueError):
        load_or_create_key(path)
    assert path.read_text() == "not a key"


def test_concurrent_creation_agrees_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    keys: list[bytes] = []
    barrier = threading.Barrier(8)

    def create() -> None:
        barrier.wait()
        keys.append(load_or_create_key(path))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1
    assert key_from_hex(path.read_text()) == keys[0]


def test_derived_keys_differ_by_purpose_and_are_stable() -> None:
    jwt_key, totp_key = derive_key(KEY, "jwt"), derive_key(KEY, "totp")
    assert len(jwt_key) == len(totp_key) == 32
    assert jwt_key != totp_key != KEY
    assert derive_key(KEY, "jwt") == jwt_key
    assert derive_key(bytes(32), "jwt") != jwt_key
    with pytest.raises(ValueError):
        derive_key(KEY, "")
    with pytest.raises(ValueError):
        derive_key(b"short", "jwt")
