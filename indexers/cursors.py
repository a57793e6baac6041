"""Opaque pagination cursors, shared by the backends.

A cursor is urlsafe base64 (no padding) of JSON {"v": 1, "f": fingerprint, "o": offset} or
{"v": 1, "f": fingerprint, "a": search_after}. The fingerprint hashes who asks and everything
the query asks except the page (cursor, limit): a cursor replayed with another query, or by
another firm or user, is refused with `InvalidQuery`. Cursors carry no secret and grant nothing:
the visibility is applied to every page anyway.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from indexers.contract import InvalidQuery

if TYPE_CHECKING:
    from indexers.contract import SearchQuery, Visibility

CURSOR_VERSION = 1
MAX_CURSOR_CHARS = 4096

JsonScalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class CursorPosition:
    """Where the next page starts: an offset (Tantivy) or sort values to search after (ES)."""

    offset: int = 0
    search_after: tuple[JsonScalar, ...] | None = None


def _jsonable(value: Any) -> Any:
    """Dataclasses, dates, tuples and enums -> plain JSON values (for hashing)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def query_fingerprint(query: SearchQuery, visibility: Visibility | None = None) -> str:
    """A short stable hash of the query without its page fields, and of who asks."""
    asked = _jsonable(dataclasses.replace(query, cursor=None, limit=1))
    payload = json.dumps({"q": asked, "v": _jsonable(visibility)}, sort_keys=True,
                         ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def encode_cursor(fingerprint: str, *, offset: int | None = None,
                  search_after: tuple[JsonScalar, ...] | None = None) -> str:
    """A cursor for the next page: exactly one of `offset` and `search_after`."""
    if (offset is None) == (search_after is None):
        raise ValueError("a cursor holds an offset or search_after values, exactly one")
    body: dict[str, Any] = {"v": CURSOR_VERSION, "f": fingerprint}
    if offset is not None:
        if offset < 0:
            raise ValueError("a cursor offset is never negative")
        body["o"] = offset
    else:
        body["a"] = list(search_after or ())
    raw = json.dumps(body, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, fingerprint: str) -> CursorPosition:
    """The position a cursor holds; `InvalidQuery` when it is malformed or was made for another
    query (other fingerprint)."""
    if not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise InvalidQuery("invalid cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidQuery("invalid cursor") from exc
    if not isinstance(body, dict) or body.get("v") != CURSOR_VERSION:
        raise InvalidQuery("invalid cursor")
    if body.get("f") != fingerprint:
        raise InvalidQuery("this cursor belongs to another query")
    offset, after = body.get("o"), body.get("a")
    if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0 and after is None:
        return CursorPosition(offset=offset)
    if isinstance(after, list) and offset is None and all(
            v is None or isinstance(v, str | int | float | bool) for v in after):
        return CursorPosition(search_after=tuple(after))
    raise InvalidQuery("invalid cursor")
