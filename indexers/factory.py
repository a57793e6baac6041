"""The search backend the settings name: the embedded Tantivy index under `<home>/index`, or
Elasticsearch at an http(s) URL."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indexers.contract import SearchIndex
    from kanta_docs.config import Settings


def open_index(settings: Settings) -> SearchIndex:
    """The configured backend, opened (the embedded index is created on first use)."""
    if settings.search_url == "embedded":
        from indexers.tantivy_index import TantivyIndex

        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return TantivyIndex(settings.index_dir)
    from indexers.es_index import ElasticsearchIndex

    return ElasticsearchIndex(settings.search_url)
