from __future__ import annotations

import base64
import json

import pytest

from indexers.contract import InvalidQuery, PersonQuery, SearchQuery, Visibility
from indexers.cursors import CursorPosition, decode_cursor, encode_cursor, query_fingerprint


def test_offset_round_trip() -> None:
    fp = query_fingerprint(SearchQuery(text="x"), Visibility("f"))
    assert decode_cursor(encode_cursor(fp, offset=40), fp) == CursorPosition(offset=40)


def test_search_after_round_trip() -> None:
    cursor = encode_cursor("fp", search_after=(1.5, "doc-1", None, 17))
    assert decode_cursor(cursor, "fp") == CursorPosition(search_after=(1.5, "doc-1", None, 17))


def test_cursor_is_urlsafe() -> None:
    cursor = encode_cursor("fp" * 30, offset=10**12)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_fingerprint_ignores_page_fields_only() -> None:
    base = SearchQuery(text="pénalités", person=PersonQuery("Dupont"))
    fp = query_fingerprint(base, Visibility("f"))
    assert query_fingerprint(SearchQuery(text="pénalités", person=PersonQuery("Dupont"),
                                         limit=50, cursor="x"), Visibility("f")) == fp
    assert query_fingerprint(SearchQuery(text="pénalité", person=PersonQuery("Dupont")),
                             Visibility("f")) != fp
    assert query_fingerprint(base, Visibility("g")) != fp
    assert query_fingerprint(base, Visibility("f", "u1")) != fp


def test_other_query_is_refused() -> None:
    cursor = encode_cursor("fp-a", offset=20)
    with pytest.raises(InvalidQuery, match="another query"):
        decode_cursor(cursor, "fp-b")


@pytest.mark.parametrize("cursor", [
    "", "!!!", "bm90IGpzb24", "x" * 5000,
    base64.urlsafe_b64encode(json.dumps({"v": 1, "f": "fp", "o": -1}).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps({"v": 1, "f": "fp", "o": True}).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps({"v": 2, "f": "fp", "o": 1}).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps([1, 2]).encode()).decode(),
    base64.urlsafe_b64encode(json.dumps({"v": 1, "f": "fp", "a": [{"x": 1}]}).encode()).decode(),
])
def test_garbage_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidQuery):
        decode_cursor(cursor, "fp")


def test_encode_needs_exactly_one_position() -> None:
    with pytest.raises(ValueError):
        encode_cursor("fp")
    with pytest.raises(ValueError):
        encode_cursor("fp", offset=1, search_after=(1,))
