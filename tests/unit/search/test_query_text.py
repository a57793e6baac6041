from __future__ import annotations

import pytest

from indexers.contract import SearchQuery
from indexers.query_text import interpret


@pytest.mark.parametrize("typed", ["552100554", "552 100 554", " 552.100.554 ",
                                   "55210055400013", "552 100 554 00013"])
def test_a_lone_siren_or_siret_becomes_the_siren_filter(typed: str) -> None:
    query = interpret(SearchQuery(text=typed))
    assert (query.text, query.siren) == ("", "552100554")


@pytest.mark.parametrize("typed", ["552100555", "12345", "capital 552100554",
                                   "2024", "552100554 552100554"])
def test_other_text_stays_text(typed: str) -> None:
    assert interpret(SearchQuery(text=typed)) == SearchQuery(text=typed)


def test_an_explicit_siren_wins() -> None:
    query = SearchQuery(text="552100554", siren="732829320")
    assert interpret(query) == query
