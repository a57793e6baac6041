"""Search backends for the contract tests.

`search_index` is parametrized over every backend: Tantivy in a temporary folder, and
Elasticsearch when KANTA_TEST_ELASTICSEARCH_URL points at a server (docker compose), each test
under its own index prefix. `make_index` is the matching factory for `contract.SearchContract`.
"""

from __future__ import annotations

import os
import uuid
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from indexers.contract import SearchIndex

# contract.py is a plain module of test code: give its asserts pytest's explanations.
pytest.register_assert_rewrite("tests.integration.search.contract")

ES_SKIP_REASON = ("Elasticsearch not available here: set KANTA_TEST_ELASTICSEARCH_URL "
                  "(docker compose)")


def _factory(backend: str, tmp_path: Path) -> Callable[[], SearchIndex]:
    if backend == "tantivy":
        from indexers.tantivy_index import TantivyIndex

        counter = iter(range(1000))
        return lambda: TantivyIndex(tmp_path / f"tantivy-{next(counter)}")
    url = os.environ.get("KANTA_TEST_ELASTICSEARCH_URL")
    if not url:
        pytest.skip(ES_SKIP_REASON)
    from indexers.es_index import ElasticsearchIndex

    def make() -> SearchIndex:
        index: SearchIndex = ElasticsearchIndex(url, index_prefix=f"test-{uuid.uuid4().hex[:12]}")
        return index
    return make


@pytest.fixture
def make_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[],
                                                                                   SearchIndex]]:
    """A factory of fresh, empty indexes of the requested backend (default: Tantivy); every
    index made is closed at teardown."""
    backend = getattr(request, "param", "tantivy")
    made: list[SearchIndex] = []
    factory = _factory(backend, tmp_path)

    def make() -> SearchIndex:
        index = factory()
        made.append(index)
        return index
    yield make
    for index in made:
        _dispose(index)


def _dispose(index: SearchIndex) -> None:
    """Close, and delete an Elasticsearch test index (they would pile up in a long-lived
    server)."""
    drop = getattr(index, "drop", None)
    if callable(drop):
        drop()
    index.close()


@pytest.fixture(params=["tantivy", "elasticsearch"])
def search_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    """A fresh, empty index of each backend."""
    index = _factory(request.param, tmp_path)()
    yield index
    _dispose(index)
