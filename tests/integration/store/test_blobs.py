from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

import pytest

from kanta_docs.blobs import BlobStore
from kanta_docs.errors import InvalidInput

if TYPE_CHECKING:
    from pathlib import Path


def test_put_get_dedup_and_layout(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    data = b"%PDF-1.7 kbis"
    key = store.put(data)
    assert key == hashlib.sha256(data).hexdigest()
    assert store.path(key) == tmp_path / "blobs" / key[:2] / key[2:4] / key
    assert store.put(data) == key
    assert store.get(key) == data and store.exists(key)
    with store.open(key) as f:
        assert f.read() == data
    files = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
    assert files == [store.path(key)]  # one copy, no temporary left behind


def test_streaming_put_from_a_file(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs")
    big = bytes(range(256)) * 20_000  # 5 MB, several chunks
    src = tmp_path / "scan.tiff"
    src.write_bytes(big)
    key = store.put_file(src)
    assert key == hashlib.sha256(big).hexdigest() == store.put_stream(io.BytesIO(big))
    assert store.get(key) == big
    assert [p.name for p in (tmp_path / "blobs").iterdir() if p.is_file()] == []


def test_delete(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    key = store.put(b"x")
    assert store.delete(key) is True
    assert store.delete(key) is False
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.get(key)


@pytest.mark.parametrize("key", ["../" * 3 + "etc/passwd", "/etc/passwd", "a" * 63,
                                 "A" * 64, "ab/cd/" + "a" * 58, "a" * 64 + "\n", "",
                                 "..", "a" * 62 + "/."])
def test_path_tricks_are_refused(tmp_path: Path, key: str) -> None:
    store = BlobStore(tmp_path)
    for op in (store.get, store.exists, store.delete, store.open, store.path):
        with pytest.raises(InvalidInput):
            op(key)


def test_a_failed_write_leaves_no_blob(tmp_path: Path) -> None:
    class Broken(io.RawIOBase):
        def __init__(self) -> None:
            self.calls = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            self.calls += 1
            if self.calls > 2:
                raise OSError("disk went away")
            return b"x" * 1024

    store = BlobStore(tmp_path)
    with pytest.raises(OSError, match="disk"):
        store.put_stream(Broken())  # type: ignore[arg-type]
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
