"""The search contract on the embedded Tantivy backend, plus what only a folder index has."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from indexers.contract import SearchQuery
from indexers.tantivy_index import TantivyIndex
from tests.integration.search.contract import A, B, SearchContract, corpus, ids

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path


class TestTantivyContract(SearchContract):
    """Every contract test, on Tantivy in a temporary folder."""

    @pytest.fixture
    def make_index(self, tmp_path: Path) -> Iterator[Callable[[], TantivyIndex]]:
        made: list[TantivyIndex] = []

        def make() -> TantivyIndex:
            index = TantivyIndex(tmp_path / f"index-{len(made)}")
            made.append(index)
            return index
        yield make
        for index in made:
            index.close()


def test_reopened_folder_keeps_documents_and_french_analysis(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "idx")
    index.upsert(corpus())
    index.refresh()
    index.close()
    reopened = TantivyIndex(tmp_path / "idx")  # tokenizers must be registered again
    try:
        assert set(ids(reopened.search(A, SearchQuery(text="penalite")))) == {"a1", "a7"}
        assert set(ids(reopened.search(B, SearchQuery(text="l'entreprise")))) == {"b1"}
    finally:
        reopened.close()


def test_writes_invisible_until_refresh(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "idx")
    try:
        index.upsert(corpus())
        assert index.search(A, SearchQuery()).total == 0
        index.refresh()
        assert index.search(A, SearchQuery()).total == 8
    finally:
        index.close()


def test_two_handles_share_one_writer(tmp_path: Path) -> None:
    first, second = TantivyIndex(tmp_path / "idx"), TantivyIndex(tmp_path / "idx")
    try:
        first.upsert(corpus()[:1])
        second.upsert(corpus()[1:2])  # no "writer lock busy": the writer is shared
        second.refresh()
        assert first.search(A, SearchQuery()).total == 2
    finally:
        first.close()
        second.close()


def test_close_commits_pending_writes(tmp_path: Path) -> None:
    index = TantivyIndex(tmp_path / "idx")
    index.upsert(corpus())
    index.close()
    reopened = TantivyIndex(tmp_path / "idx")
    try:
        assert reopened.search(A, SearchQuery()).total == 8
    finally:
        reopened.close()
