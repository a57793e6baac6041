"""The essentials of the contract on every backend (`search_index`): Elasticsearch runs when
KANTA_TEST_ELASTICSEARCH_URL is set, otherwise skips with the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from indexers.contract import PersonQuery, SearchQuery, Visibility
from tests.integration.search.contract import A, B, corpus, ids

if TYPE_CHECKING:
    from indexers.contract import SearchIndex


def test_firms_never_meet(search_index: SearchIndex) -> None:
    search_index.upsert(corpus())
    search_index.refresh()
    for query in (SearchQuery(), SearchQuery(text="pénalités"), SearchQuery(siren="552100554"),
                  SearchQuery(person=PersonQuery("Jean-Pierre Dupont")),
                  SearchQuery(group_by_dossier=True)):
        assert all(d.startswith("b") for d in ids(search_index.search(B, query)))
        assert all(d.startswith("a") for d in ids(search_index.search(A, query)))
    assert search_index.search(Visibility("firm-a", "u-carol"), SearchQuery()).total == 0


def test_french_text_and_person(search_index: SearchIndex) -> None:
    search_index.upsert(corpus())
    search_index.refresh()
    assert set(ids(search_index.search(A, SearchQuery(text="penalite")))) == {"a1", "a7"}
    hits = search_index.search(A, SearchQuery(person=PersonQuery("DUP0NT Jean-Pierre"))).hits
    assert {h.document_id for h in hits[:2]} == {"a1", "a2"}
