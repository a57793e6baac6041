"""What both backends do to a person search's candidate pool after `rank_person` re-scored it:
apply the facet filters, count the facets (each under every filter but its own, as the engines'
aggregations do for other searches) and order the hits. One implementation, so both backends
answer a person query the same way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from indexers.contract import FACETS, SearchQuery, SortBy

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from datetime import date


class PoolItem(Protocol):
    """A re-ranked candidate, whatever the backend stores."""

    @property
    def score(self) -> float:
        """The person match's score."""
        ...

    @property
    def text_score(self) -> float:
        """The engine's score (keys and text)."""
        ...

    @property
    def document_id(self) -> str:
        """The document's id (breaks ties, so pages never overlap)."""
        ...

    def facet_values(self, facet: str) -> tuple[str, ...]:
        """The document's values of a facet (doc_type, risk_level, alert_type)."""
        ...

    def day(self, field: str) -> date | None:
        """The document's document_date or expiry_date."""
        ...


Item = TypeVar("Item", bound=PoolItem)


def facet_filters(query: SearchQuery) -> dict[str, set[str]]:
    """The query's filters on facet fields."""
    return {"doc_type": set(query.doc_types), "risk_level": set(query.risk_levels),
            "alert_type": set(query.alert_types)}


def _passes(item: PoolItem, facet: str, wanted: set[str]) -> bool:
    return not wanted or any(v in wanted for v in item.facet_values(facet))


def pool_facets(items: Sequence[PoolItem],
                wanted: Mapping[str, set[str]]) -> dict[str, dict[str, int]]:
    """Facet counts, each facet under every facet filter but its own."""
    facets: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        for item in items:
            if all(_passes(item, f, v) for f, v in wanted.items() if f != facet):
                for value in item.facet_values(facet):
                    counts[value] = counts.get(value, 0) + 1
        facets[facet] = counts
    return facets


def pool_order(query: SearchQuery) -> Callable[[PoolItem], tuple[Any, ...]]:
    """Person score then engine score, or a date with the undated last; the document id breaks
    ties."""
    if query.sort is SortBy.RELEVANCE:
        return lambda r: (-r.score, -r.text_score, r.document_id)
    field = query.sort.value
    sign = -1 if query.descending else 1

    def key(r: PoolItem) -> tuple[Any, ...]:
        day = r.day(field)
        return (day is None, sign * day.toordinal() if day else 0, r.document_id)
    return key


def filter_and_order(items: Sequence[Item],
                     query: SearchQuery) -> tuple[list[Item], dict[str, dict[str, int]]]:
    """The items the facet filters keep, in the query's order, and the facet counts."""
    wanted = facet_filters(query)
    facets = pool_facets(items, wanted) if query.facets else {}
    kept = [r for r in items if all(_passes(r, f, v) for f, v in wanted.items())]
    kept.sort(key=pool_order(query))
    return kept, facets
