"""Content-addressed store of original files: a file's name is its sha256.

Same bytes, same name: uploading a file twice stores it once, and a document row points at its
file by the hash it already carries. Two-level fan-out (`ab/cd/abcd…`) keeps directories small at
millions of files. Writes are atomic (temporary file in the same directory, fsync, rename), so a
crash leaves either no file or the whole file, never a half-written one under a valid name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO

from kanta_docs.errors import InvalidInput

_SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK_BYTES = 1 << 20


class BlobStore:
    """Files by sha256 under `root` (ab/cd/<sha256>)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the blob lives; refuses anything but 64 lowercase hex digits, so a key can
        never name a path outside the store (`../`, `/etc/passwd`, separators)."""
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
            raise InvalidInput("a blob key is 64 lowercase hexadecimal digits (a sha256)")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Store bytes; returns their sha256. Storing the same bytes again is a no-op."""
        sha256 = hashlib.sha256(data).hexdigest()
        if self.exists(sha256):
            return sha256
        return self._write(sha256, lambda out: out.write(data))

    def put_stream(self, source: IO[bytes]) -> str:
        """Store a file read in chunks (no whole-file copy in memory); returns its sha256."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := source.read(CHUNK_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            if self.exists(sha256):
                tmp.unlink()
                return sha256
            target = self.path(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            # Same filesystem (the temp file is under root), so the rename is atomic.
            tmp.replace(target)
            _fsync_dir(target.parent)
            return sha256
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def put_file(self, path: Path) -> str:
        """Store the file at `path`, streamed; returns its sha256."""
        with path.open("rb") as source:
            return self.put_stream(source)

    def _write(self, sha256: str, write: object) -> str:
        target = self.path(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{sha256[:8]}-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                assert callable(write)
                write(out)
                out.flush()
                os.fsync(out.fileno())
            tmp.replace(target)
            _fsync_dir(target.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return sha256

    def exists(self, sha256: str) -> bool:
        """Whether the blob is stored."""
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> IO[bytes]:
        """The blob opened for reading; FileNotFoundError when it is not stored."""
        return self.path(sha256).open("rb")

    def get(self, sha256: str) -> bytes:
        """The blob's bytes; FileNotFoundError when it is not stored."""
        return self.path(sha256).read_bytes()

    def delete(self, sha256: str) -> bool:
        """Remove the blob; False when it was not there. Callers check no document still uses
        it (`kanta_docs.store.repositories.blob_in_use`) and audit the deletion."""
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True


def _fsync_dir(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
