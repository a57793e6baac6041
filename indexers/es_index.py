"""The Elasticsearch backend of the search contract (`indexers.contract.SearchIndex`).

Indices and aliases
    Documents live in a versioned index `<prefix>-v<MAPPING_VERSION>-<stamp>`; everything reads
    and writes through the alias `<prefix>`. The first use creates `<prefix>-v<V>-initial` with
    the alias in one request, so two processes starting together cannot make two indices: the
    loser gets `resource_already_exists` and uses the winner's. An index whose `_meta` names an
    older mapping version keeps serving (with a warning) until `kanta-docs reindex` replaces it.

Full reindex (`reindex(records)`), without downtime
    A new index `<prefix>-v<V>-<UTC stamp>` is created under the second alias
    `<prefix>-reindexing`, bulk-loaded from the records, refreshed, then
    `update_aliases` removes the alias from the old index and adds it to the new one in one
    atomic step, and the old index is deleted. Searches see the old index until the swap, the
    new one after it. Writes made while the load runs (the outbox keeps relaying) go to both
    indices: every write resolves its targets, the alias's index plus any index under
    `<prefix>-reindexing`. The load itself uses `create`, so it never overwrites a document a
    live write already put into the new index. (A document deleted live while the load runs can
    come back from the load if the records were read before the deletion; the next change or
    reindex of its dossier removes it.) A crashed reindex leaves its half-built index under
    `<prefix>-reindexing`; the next reindex deletes it before starting.

Per-firm reindex (`reindex(records, firm_id)`), without an empty moment
    Not delete-then-load: deleting first would show the firm an empty or half index until the
    load ends (Elasticsearch refreshes every second by itself). Instead every record is
    upserted over its current copy, stamped with `indexed_at`, then the firm's documents whose
    `indexed_at` is older than the start of the reindex (so neither rewritten by it nor by a live
    write meanwhile) are deleted by query. Searches see the old or the new copy of each
    document, never none. A record of another firm in the input stops the reindex with
    `ValueError` before anything is deleted (what was written by then is the firm's own current
    data).

Routing and isolation
    Every document is routed by its firm (`routing=firm_id`, required by the mapping), so one
    firm's documents sit on one shard and its searches touch that shard only. Its `_id` is
    `<firm_id>:<document_id>`: a write or id-delete names the firm, and cannot reach another
    firm's document even with a colliding document id. Every search body is built by
    `build_search_body`, whose first step is the `Visibility` filter (term `firm_id`, plus term
    `assignee_ids` for a collaborator); no parameter of the query can remove it.

Deletions
    `delete_documents` deletes by `_id` in a bulk (real-time: it also removes writes not yet
    refreshed). `replace_dossier`, `delete_firm` and the per-firm reindex delete by query, always
    with the term `firm_id` in the query and the firm's routing. A delete-by-query only sees
    refreshed documents, so it refreshes its target index first (otherwise a document written
    less than a second earlier would survive its dossier's replacement). `replace_dossier` writes
    the new records before deleting the others, so the dossier is never empty in between.

Search
    Text: a `simple_query_string` over pages, client name (boost 2) and file name, all three
    analysed by `french_text`; every word required (`default_operator: and`), "double quotes"
    make a phrase (an unclosed quote runs to the end), and no other operator is enabled, as in
    the embedded engine. Filters: SIREN (a SIRET gives its first 9 digits), dossiers, date
    ranges (inclusive, either end open), document types, risk levels, alert types. Facets are
    terms aggregations in which each facet counts under every filter but its own. The facet
    filters are part of the query, not a `post_filter`, because collapse's inner hits ignore a
    `post_filter`; so when a facet filter is set, the counts come from a second, hit-less
    request (`build_facets_body`) whose query is the same minus those filters. No aggregation is
    `global`: all of them run inside the query, hence inside the visibility filter.
    Order: relevance (then `document_id`), or a date with undated documents last. Pages:
    `search_after` on the sort values (with one extra hit fetched to know whether there is a
    next page), in an opaque cursor bound to the query and the asker (`indexers.cursors`).
    Grouped searches collapse on `dossier_id` with the best `GROUP_HITS` hits of each dossier as
    inner hits and a cardinality aggregation for the number of dossiers; Elasticsearch allows
    `search_after` with `collapse` only when sorting on the collapse field, so grouped pages
    use offsets. Highlights: one passage of the pages, `<mark>`-tagged, HTML encoder (the rest
    escaped).

Person search
    Candidates: terms on the Python-computed `person_exact` / `person_trigram` /
    `person_phonetic` keys of the typed name (`indexers.name_keys.query_keys`, boosts 3/2/1),
    under the same visibility, text and non-facet filters, `CANDIDATE_POOL` (200) of them: the
    embedded engine's keys, boosts and pool. `indexers.person_rank.rank_person` then re-scores
    each from its stored persons (the birth date excludes namesakes there); facet filters,
    facets, order, groups and pages are applied to that re-ranked pool in Python, as the
    embedded engine does.

Tests
    tests/unit/search/test_es_queries.py checks the request bodies, actions and mapping built by
    the pure functions below, without a server. The behaviour (analysis, ranking, paging,
    writes, isolation) is the contract suite's, tests/integration/search/, run where
    KANTA_TEST_ELASTICSEARCH_URL points at a server. `drop()` deletes a prefix's indices (test
    teardown); it is not part of `SearchIndex`.

Failures
    Connection errors, timeouts, 429 and 5xx become `SearchUnavailable`, so the outbox retries
    the write later; a rejected search request becomes `InvalidQuery`.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.helpers import bulk

from indexers import cursors
from indexers.contract import (
    FACETS,
    GROUP_HITS,
    MAX_LIMIT,
    DossierGroup,
    Hit,
    IndexRecord,
    InvalidQuery,
    PersonEntry,
    PersonMatch,
    PersonQuery,
    PersonRole,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    SortBy,
    Visibility,
)
from indexers.es_mapping import MAPPING_VERSION, MAPPINGS, index_settings
from indexers.name_keys import person_keys, query_keys
from indexers.person_pool import filter_and_order
from indexers.person_rank import PersonRanker
from indexers.query_text import interpret

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

log = logging.getLogger(__name__)

T = TypeVar("T")

BULK_CHUNK = 500  # documents per bulk request (pages make documents large)
# Person-search candidates re-ranked in Python, drawn with the per-kind key boosts: both as in
# the embedded engine (indexers.tantivy_index), so both re-rank the same pool.
CANDIDATE_POOL = 200
KEY_BOOSTS = {"exact": 3.0, "phonetic": 2.0, "trigram": 1.0}
MAX_TEXT_CHARS = 1000
SNIPPET_CHARS = 240
_SIREN_SEPARATORS = re.compile(r"[\s.\u00a0\u202f-]")
MAX_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
FACET_SIZE = 100
# Only fields analysed by `french_text`: with `default_operator: and`, a field of another analyzer
# would make a French stop word ("de", "la") a required term.
TEXT_FIELDS = ("pages", "client_name^2", "file_name.text")
SOURCE_EXCLUDES = ("pages", "person_exact", "person_trigram", "person_phonetic", "persons")
# A person search needs the stored persons to re-rank its candidates.
PERSON_SOURCE_EXCLUDES = ("pages", "person_exact", "person_trigram", "person_phonetic")
FACET_FIELDS = {"doc_type": "doc_type", "risk_level": "risk_level", "alert_type": "alert_types"}
PENDING_SUFFIX = "-reindexing"
INITIAL_STAMP = "initial"


# ---------------------------------------------------------------------------------------------
# Pure request building (tested without a server: tests/unit/search/test_es_queries.py)
# ---------------------------------------------------------------------------------------------

def doc_id(firm_id: str, document_id: str) -> str:
    """The `_id` of a document: the firm is part of it, so no write can reach another firm's.
    A firm id never holds the separator, so the firm part is unambiguous."""
    _require_firm(firm_id)
    if ":" in firm_id:
        raise ValueError("a firm id cannot contain ':'")
    return f"{firm_id}:{document_id}"


def index_name(prefix: str, stamp: str) -> str:
    """A versioned index name, `<prefix>-v<MAPPING_VERSION>-<stamp>`."""
    return f"{prefix}-v{MAPPING_VERSION}-{stamp}".lower()


def new_stamp(now: datetime | None = None) -> str:
    """A sortable UTC time stamp for a new index name."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dt%H%M%S%fz")


def record_source(record: IndexRecord, indexed_at: datetime) -> dict[str, Any]:
    """The `_source` of a record: its fields, the person keys and the stored persons."""
    if not (record.document_id and record.firm_id and record.dossier_id):
        raise ValueError("a record needs a document_id, a firm_id and a dossier_id")
    keys: dict[str, set[str]] = {"exact": set(), "trigram": set(), "phonetic": set()}
    for person in record.persons:
        for kind, values in person_keys(person).items():
            keys.setdefault(kind, set()).update(values)
    return {
        "document_id": record.document_id,
        "firm_id": record.firm_id,
        "dossier_id": record.dossier_id,
        "client_name": record.client_name,
        "doc_type": record.doc_type,
        "file_name": record.file_name,
        "siren": _SIREN_SEPARATORS.sub("", record.siren)[:9] if record.siren else None,
        "document_date": _iso(record.document_date),
        "expiry_date": _iso(record.expiry_date),
        "pages": list(record.pages),
        "persons": {"entries": [_person_source(p) for p in record.persons]},
        "alert_types": list(record.open_alert_types),
        "risk_level": record.risk_level,
        "assignee_ids": list(record.assignee_ids),
        "updated_at": _iso(record.updated_at),
        "indexed_at": indexed_at.isoformat(timespec="milliseconds"),
        "person_exact": sorted(keys["exact"]),
        "person_trigram": sorted(keys["trigram"]),
        "person_phonetic": sorted(keys["phonetic"]),
    }


def index_actions(records: Iterable[IndexRecord], indices: Sequence[str], *,
                  op_type: str = "index", indexed_at: datetime | None = None,
                  firm_id: str | None = None) -> Iterator[dict[str, Any]]:
    """Bulk actions writing each record into each index, routed by its firm.

    Args:
        records: The records to write.
        indices: Concrete index names (the live one, and a reindex's new one while it loads).
        op_type: `index` (replace) or `create` (skip a document already there).
        indexed_at: The write's time stamp (now when omitted).
        firm_id: When given, a record of another firm raises `ValueError`.

    Yields:
        One action per record and index.
    """
    stamp = indexed_at or datetime.now(UTC)
    for record in records:
        if firm_id is not None and record.firm_id != firm_id:
            raise ValueError(f"record {record.document_id!r} is not of firm {firm_id!r}")
        source = record_source(record, stamp)
        for index in indices:
            yield {"_op_type": op_type, "_index": index,
                   "_id": doc_id(record.firm_id, record.document_id),
                   "_routing": record.firm_id, "_source": source}


def delete_actions(firm_id: str, document_ids: Iterable[str],
                   indices: Sequence[str]) -> Iterator[dict[str, Any]]:
    """Bulk actions deleting the firm's documents by `_id` (firm-scoped by construction)."""
    _require_firm(firm_id)
    for document_id in document_ids:
        for index in indices:
            yield {"_op_type": "delete", "_index": index, "_id": doc_id(firm_id, document_id),
                   "_routing": firm_id}


def firm_query(firm_id: str, *others: dict[str, Any],
               must_not: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """A delete-by-query query: the firm's term, and the other conditions."""
    _require_firm(firm_id)
    query: dict[str, Any] = {"filter": [{"term": {"firm_id": firm_id}}, *others]}
    if must_not:
        query["must_not"] = list(must_not)
    return {"bool": query}


def visibility_filters(visibility: Visibility) -> list[dict[str, Any]]:
    """The filters no search goes without: the firm, and a collaborator's assignment."""
    if not isinstance(visibility.firm_id, str) or not visibility.firm_id.strip():
        raise InvalidQuery("a search needs a firm")
    filters: list[dict[str, Any]] = [{"term": {"firm_id": visibility.firm_id}}]
    if visibility.assigned_to is not None:
        if not visibility.assigned_to:
            raise InvalidQuery("empty collaborator id")
        filters.append({"term": {"assignee_ids": visibility.assigned_to}})
    return filters


def search_params(visibility: Visibility, alias: str) -> dict[str, Any]:
    """The request parameters of a search: the alias and the firm's routing."""
    visibility_filters(visibility)
    return {"index": alias, "routing": visibility.firm_id}


def siren_of(value: str) -> str:
    """The SIREN of a SIREN or SIRET as typed (spaces, dots, dashes allowed); `InvalidQuery`
    otherwise."""
    digits = _SIREN_SEPARATORS.sub("", value)
    if not digits.isdigit() or len(digits) not in (9, 14):
        raise InvalidQuery("a SIREN has 9 digits, a SIRET 14")
    return digits[:9]


def _date_range(field: str, start: date | None, end: date | None) -> dict[str, Any] | None:
    if start is None and end is None:
        return None
    bounds: dict[str, Any] = {"format": "strict_date"}
    if start is not None:
        bounds["gte"] = start.isoformat()
    if end is not None:
        bounds["lte"] = end.isoformat()
    return {"range": {field: bounds}}


def query_filters(query: SearchQuery) -> list[dict[str, Any]]:
    """The filters that are not facets: SIREN, dossiers, dates."""
    filters: list[dict[str, Any]] = []
    if query.siren is not None:
        filters.append({"term": {"siren": siren_of(query.siren)}})
    if query.dossier_ids:
        filters.append({"terms": {"dossier_id": sorted(set(query.dossier_ids))}})
    for field, span in (("document_date", query.document_date),
                        ("expiry_date", query.expiry_date)):
        if span is not None:
            clause = _date_range(field, span.start, span.end)
            if clause is not None:
                filters.append(clause)
    return filters


def facet_filters(query: SearchQuery) -> dict[str, dict[str, Any]]:
    """The filters on faceted fields (document type, risk level, alert type), by facet."""
    filters: dict[str, dict[str, Any]] = {}
    for facet, values in (("doc_type", query.doc_types), ("risk_level", query.risk_levels),
                          ("alert_type", query.alert_types)):
        if values:
            filters[facet] = {"terms": {FACET_FIELDS[facet]: sorted(set(values))}}
    return filters


def text_clause(text: str) -> dict[str, Any] | None:
    """The full-text clause: every word required, each in any text field; "double quotes" make
    a phrase (an unclosed one runs to the end). No other operator: `+ - | ( ) *` are text."""
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidQuery("the search text is too long")
    text = text.strip()
    if not text:
        return None
    if text.count('"') % 2:
        text += '"'
    return {"simple_query_string": {
        "query": text,
        "fields": list(TEXT_FIELDS),
        "default_operator": "and",
        "flags": "PHRASE|WHITESPACE",
        "lenient": True,
    }}


def person_clause(person: PersonQuery) -> dict[str, Any]:
    """The candidate clause of a person query: any shared key, exact keys weighing most (the
    embedded engine's boosts, so both pools are drawn alike)."""
    keys = query_keys(person.name)
    should = [{"term": {f"person_{kind}": {"value": key, "boost": boost}}}
              for kind, boost in KEY_BOOSTS.items() for key in dict.fromkeys(keys[kind])]
    if not should:
        raise InvalidQuery("the person's name has no letters")
    return {"bool": {"should": should, "minimum_should_match": 1}}


def sort_clause(query: SearchQuery, *, scored: bool) -> list[dict[str, Any]]:
    """The sort: the asked order, then the document id (unique: a stable `search_after` key).
    Dates: documents without one come last either way. Relevance without a text to score
    (browse) falls back to the most recent documents."""
    if query.sort is SortBy.RELEVANCE:
        if scored:
            return [{"_score": {"order": "desc"}}, {"document_id": {"order": "asc"}}]
        return [{"document_date": {"order": "desc", "missing": "_last"}},
                {"document_id": {"order": "asc"}}]
    order = "desc" if query.descending else "asc"
    return [{query.sort.value: {"order": order, "missing": "_last"}},
            {"document_id": {"order": "asc"}}]


def highlight_clause() -> dict[str, Any]:
    """A highlighted passage of the pages: `<mark>` around matched terms, the rest escaped."""
    return {
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "require_field_match": False,
        "fields": {"pages": {"type": "unified", "fragment_size": SNIPPET_CHARS,
                             "number_of_fragments": 1, "no_match_size": 0}},
    }


def _and(filters: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"bool": {"filter": list(filters)}}


def facet_aggs(facet_filter: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Each facet counts the documents matching the query and every facet filter but its own
    (so choosing a document type still shows the other types' counts)."""
    aggs: dict[str, Any] = {}
    for name in FACETS:
        terms = {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE}}
        others = [clause for facet, clause in facet_filter.items() if facet != name]
        aggs[name] = {"filter": _and(others) if others else {"match_all": {}},
                      "aggs": {"values": terms}}
    return aggs


def validate(query: SearchQuery) -> None:
    """Raise `InvalidQuery` for what no backend can run."""
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}")
    if query.person is not None and not query.person.name.strip():
        raise InvalidQuery("empty person name")


def _base(visibility: Visibility, query: SearchQuery, *, facets_applied: bool,
          ) -> tuple[dict[str, Any], bool]:
    """The query part, visibility first, and whether it scores."""
    filters = visibility_filters(visibility)  # first: nothing below can drop it
    validate(query)
    filters += query_filters(query)
    if facets_applied:
        filters += facet_filters(query).values()
    must: list[dict[str, Any]] = []
    text = text_clause(query.text)
    if text is not None:
        must.append(text)
    if query.person is not None:
        must.append(person_clause(query.person))
    bool_query: dict[str, Any] = {"filter": filters}
    if must:
        bool_query["must"] = must
    return {"bool": bool_query}, bool(must)


def build_search_body(visibility: Visibility, query: SearchQuery, *,
                      after: Sequence[Any] | None = None, offset: int = 0) -> dict[str, Any]:
    """The body of a search request. The visibility filters come first and always.

    Facet filters are part of the query (collapse's inner hits ignore a `post_filter`); the
    facet counts come from this body's aggregations only when no facet filter is set, otherwise
    from `build_facets_body`. A person search asks for the candidate pool: its facet filters,
    facets, order, groups and pages are applied in Python after the re-ranking.

    Args:
        visibility: Who asks (the firm, and the collaborator if any).
        query: What is asked.
        after: `search_after` values from the cursor (ungrouped searches).
        offset: The first group's position (grouped searches).

    Returns:
        The request body (query, size, sort, highlight, aggregations, collapse, paging).

    Raises:
        InvalidQuery: The query cannot be run.
    """
    person = query.person is not None
    bool_query, scored = _base(visibility, query, facets_applied=not person)
    body: dict[str, Any] = {
        "query": bool_query,
        "sort": sort_clause(query, scored=scored),
        "track_total_hits": True,
        "track_scores": scored,
        "_source": {"excludes": list(SOURCE_EXCLUDES)},
    }
    if query.highlight and query.text.strip():
        body["highlight"] = highlight_clause()
    if person:
        body["size"] = CANDIDATE_POOL
        body["sort"] = [{"_score": {"order": "desc"}}, {"document_id": {"order": "asc"}}]
        body["_source"] = {"excludes": list(PERSON_SOURCE_EXCLUDES)}
        return body
    if query.facets and not facet_filters(query):
        body["aggs"] = facet_aggs({})
    if query.group_by_dossier:
        if offset + query.limit > MAX_WINDOW:
            raise InvalidQuery("page too deep")
        inner: dict[str, Any] = {"name": "top", "size": GROUP_HITS, "sort": body["sort"],
                                 "_source": {"excludes": list(SOURCE_EXCLUDES)}}
        if "highlight" in body:
            inner["highlight"] = body["highlight"]
        body["collapse"] = {"field": "dossier_id", "inner_hits": inner}
        body.setdefault("aggs", {})["dossiers"] = {
            "cardinality": {"field": "dossier_id", "precision_threshold": 40_000}}
        body["from"] = offset
        body["size"] = query.limit
        return body
    body["size"] = query.limit + 1  # one more: is there a next page?
    if after is not None:
        body["search_after"] = list(after)
    return body


def build_facets_body(visibility: Visibility, query: SearchQuery) -> dict[str, Any]:
    """The facet counts of a query with facet filters: the query without them, each facet's
    aggregation under the other facets' filters. No hits."""
    bool_query, _ = _base(visibility, query, facets_applied=False)
    return {"query": bool_query, "size": 0, "track_total_hits": False,
            "aggs": facet_aggs(facet_filters(query))}


def swap_alias_actions(alias: str, old: Sequence[str], new: str,
                       pending_alias: str) -> list[dict[str, Any]]:
    """One atomic `update_aliases`: the alias leaves the old indices and points at the new one."""
    actions: list[dict[str, Any]] = [{"remove": {"index": index, "alias": alias}}
                                     for index in old]
    actions.append({"remove": {"index": new, "alias": pending_alias}})
    actions.append({"add": {"index": new, "alias": alias}})
    return actions


# ---------------------------------------------------------------------------------------------
# Response reading
# ---------------------------------------------------------------------------------------------

def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _person_source(person: PersonEntry) -> dict[str, Any]:
    return {"role": person.role.value, "last_name": person.last_name,
            "first_names": person.first_names, "birth_date": _iso(person.birth_date),
            "usage_name": person.usage_name}


def _person_entry(raw: Mapping[str, Any]) -> PersonEntry:
    return PersonEntry(role=PersonRole(raw["role"]), last_name=raw["last_name"],
                       first_names=raw.get("first_names") or "",
                       birth_date=_day(raw.get("birth_date")), usage_name=raw.get("usage_name"))


def stored_persons(source: Mapping[str, Any]) -> tuple[PersonEntry, ...]:
    """The person entries kept in a hit's `_source`."""
    entries = (source.get("persons") or {}).get("entries") or []
    return tuple(_person_entry(raw) for raw in entries)


def _escaped(passage: str) -> str:
    """A passage as the HTML encoder gives it, but with `/` left alone (Lucene writes `&#x2F;`),
    so it reads as Python's `html.escape` writes it, like the embedded engine's passages. Safe:
    the encoder escaped every `&` first, so an `&#x2F;` in the text itself is `&amp;#x2F;`."""
    return passage.replace("&#x2F;", "/")


def hit_of(raw: Mapping[str, Any], *, score: float | None = None,
           person_match: PersonMatch | None = None) -> Hit:
    """A contract `Hit` from an Elasticsearch hit."""
    source = raw["_source"]
    highlights = [_escaped(h) for h in (raw.get("highlight") or {}).get("pages", [])
                  if "<mark>" in h]
    return Hit(
        document_id=source["document_id"], dossier_id=source["dossier_id"],
        score=float(score if score is not None else (raw.get("_score") or 0.0)),
        client_name=source["client_name"], siren=source.get("siren"),
        doc_type=source["doc_type"], file_name=source["file_name"],
        document_date=_day(source.get("document_date")),
        expiry_date=_day(source.get("expiry_date")), risk_level=source.get("risk_level"),
        highlights=tuple(highlights), person_match=person_match)


def facets_of(response: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Facet counts from the terms aggregations."""
    aggs = response.get("aggregations") or {}
    return {name: {str(b["key"]): int(b["doc_count"]) for b in aggs[name]["values"]["buckets"]}
            for name in FACETS if name in aggs}


def group_of(raw: Mapping[str, Any]) -> DossierGroup:
    """A dossier group from a collapsed hit and its inner hits."""
    inner = raw["inner_hits"]["top"]["hits"]
    hits = tuple(hit_of(h) for h in inner["hits"]) or (hit_of(raw),)
    best = hits[0]
    total = inner["total"]["value"] if isinstance(inner.get("total"), dict) else len(hits)
    return DossierGroup(dossier_id=best.dossier_id, client_name=best.client_name,
                        siren=best.siren, risk_level=best.risk_level, score=best.score,
                        total_hits=int(total), hits=hits)


@dataclass(frozen=True, slots=True)
class _Ranked:
    """A person-search hit before paging."""

    raw: Mapping[str, Any]
    score: float  # the person match's
    text_score: float  # the engine's (keys and text)
    match: PersonMatch

    @property
    def source(self) -> Mapping[str, Any]:
        return self.raw["_source"]  # type: ignore[no-any-return]

    @property
    def document_id(self) -> str:
        return str(self.source["document_id"])

    def facet_values(self, facet: str) -> tuple[str, ...]:
        return _values(self.source, facet)

    def day(self, field: str) -> date | None:
        return _day(self.source.get(field))


def rank_candidates(person: PersonQuery, raws: Sequence[Mapping[str, Any]]) -> list[_Ranked]:
    """Re-score person candidates with `rank_person`; the unmatched ones are dropped."""
    ranked: list[_Ranked] = []
    ranker = PersonRanker(person)
    for raw in raws:
        match = ranker.rank(stored_persons(raw["_source"]))
        if match is not None:
            ranked.append(_Ranked(raw, match.score, float(raw.get("_score") or 0.0), match))
    return ranked


def _values(source: Mapping[str, Any], facet: str) -> tuple[str, ...]:
    value = source.get(FACET_FIELDS[facet])
    if isinstance(value, list):
        return tuple(dict.fromkeys(value))
    return (value,) if value else ()


# ---------------------------------------------------------------------------------------------
# The backend
# ---------------------------------------------------------------------------------------------

def _require_firm(firm_id: str) -> None:
    if not isinstance(firm_id, str) or not firm_id.strip():
        raise ValueError("a firm id is required")


def _retryable(error: ApiError) -> bool:
    return error.meta.status == 429 or error.meta.status >= 500


class ElasticsearchIndex:
    """`SearchIndex` on Elasticsearch 8 (see the module docstring for the design)."""

    def __init__(self, url: str, *, index_prefix: str = "kanta-docs",
                 client: Elasticsearch | None = None, shards: int = 1,
                 replicas: int = 0) -> None:
        """Connect (lazily: nothing is sent before the first operation).

        Args:
            url: The Elasticsearch URL (`KANTA_SEARCH_URL`).
            index_prefix: The alias name; versioned indices are named after it.
            client: A client to use instead of one built from `url` (not closed by `close`).
            shards: Primary shards of the indices this instance creates.
            replicas: Replicas of the indices this instance creates.
        """
        if not index_prefix or index_prefix != index_prefix.lower():
            raise ValueError("index_prefix must be a non-empty lowercase name")
        self.alias = index_prefix
        self.pending_alias = index_prefix + PENDING_SUFFIX
        self._owns_client = client is None
        self._client = client if client is not None else Elasticsearch(
            url, request_timeout=30, retry_on_timeout=True, max_retries=2)
        self._settings = index_settings(shards=shards, replicas=replicas)
        self._ready = False

    # -- plumbing -------------------------------------------------------------------------------

    def _call(self, action: Callable[[], T]) -> T:
        """Run a request, turning an unreachable or overloaded engine into `SearchUnavailable`."""
        try:
            return action()
        except TransportError as error:  # connection refused, timeout, TLS
            raise SearchUnavailable(f"Elasticsearch unreachable: {error}") from error
        except ApiError as error:
            if _retryable(error):
                raise SearchUnavailable(f"Elasticsearch unavailable: {error}") from error
            raise

    def _create(self, name: str, aliases: Mapping[str, Any]) -> None:
        self._client.indices.create(index=name, mappings=MAPPINGS, settings=self._settings,
                                    aliases=dict(aliases))

    def _aliases(self) -> dict[str, list[str]]:
        """The concrete indices under the live alias and under the reindexing alias."""
        found = self._call(lambda: self._client.indices.get_alias(
            index=f"{self.alias}-v*", allow_no_indices=True, ignore_unavailable=True))
        holders: dict[str, list[str]] = {self.alias: [], self.pending_alias: []}
        for index, info in found.body.items():
            for name in (info.get("aliases") or {}):
                if name in holders:
                    holders[name].append(index)
        return {name: sorted(indices) for name, indices in holders.items()}

    def _ensure(self) -> None:
        """Create the first index with its alias, once."""
        if self._ready:
            return
        if not self._aliases()[self.alias]:
            try:
                self._call(lambda: self._create(index_name(self.alias, INITIAL_STAMP),
                                                {self.alias: {}}))
            except ApiError as error:
                if error.error != "resource_already_exists_exception":
                    raise
            if not self._aliases()[self.alias]:
                raise SearchUnavailable(f"index {self.alias!r} exists without its alias")
        self._check_version()
        self._ready = True

    def _check_version(self) -> None:
        mappings = self._call(lambda: self._client.indices.get_mapping(index=self.alias))
        for index, info in mappings.body.items():
            version = ((info.get("mappings") or {}).get("_meta") or {}).get("mapping_version")
            if version != MAPPING_VERSION:
                log.warning("search index %s has mapping version %s, the code %s: reindex",
                            index, version, MAPPING_VERSION)

    def _delete_index(self, index: str) -> None:
        self._call(lambda: self._client.options(ignore_status=404).indices.delete(index=index))

    def _write_targets(self) -> list[str]:
        """Where writes go: the live index, and a reindex's new index while it loads."""
        self._ensure()
        holders = self._aliases()
        return sorted(set(holders[self.alias]) | set(holders[self.pending_alias]))

    def _bulk(self, actions: Iterable[dict[str, Any]], *, conflicts_ok: bool = False) -> None:
        """Send actions in chunks; failed items raise (retryable ones `SearchUnavailable`)."""
        _, errors = self._call(lambda: bulk(
            self._client, actions, chunk_size=BULK_CHUNK, max_retries=3, raise_on_error=False,
            stats_only=False))
        failures = []
        for item in errors if isinstance(errors, list) else []:
            ((op_type, detail),) = item.items()
            status = int(detail.get("status", 500))
            if op_type == "delete" and status == 404 and "error" not in detail:
                continue  # deleting an unknown id: ignored
            if conflicts_ok and status == 409:
                continue  # `create` of a document a live write already put there
            failures.append((status, detail))
        if failures:
            statuses = {s for s, _ in failures}
            # Status, error type and id only: an error's reason can quote a field's value.
            status, detail = failures[0]
            kind = (detail.get("error") or {}).get("type", "?")
            message = (f"{len(failures)} search index write(s) failed, first: {status} {kind} "
                       f"on {detail.get('_id')}")
            if any(s == 429 or s >= 500 or s == 404 for s in statuses):
                raise SearchUnavailable(message)
            raise RuntimeError(message)

    def _delete_by_query(self, indices: Sequence[str], firm_id: str,
                         query: dict[str, Any]) -> None:
        """Refresh (a delete-by-query sees refreshed documents only), then delete in the firm."""
        if not indices:
            return
        self._call(lambda: self._client.indices.refresh(index=list(indices)))
        response = self._call(lambda: self._client.delete_by_query(
            index=list(indices), query=query, routing=firm_id, conflicts="proceed",
            refresh=False, wait_for_completion=True))
        failures = response.body.get("failures") or []
        if failures:  # some shard or document failed: let the outbox try again
            raise SearchUnavailable(f"delete by query failed on {len(failures)} item(s)")

    # -- SearchIndex ----------------------------------------------------------------------------

    def upsert(self, records: Sequence[IndexRecord]) -> None:
        """Add or replace records (by firm and document id)."""
        if not records:
            return
        self._bulk(index_actions(records, self._write_targets()))

    def delete_documents(self, firm_id: str, document_ids: Sequence[str]) -> None:
        """Remove documents of the firm by id (unknown ids are ignored)."""
        _require_firm(firm_id)
        if not document_ids:
            return
        self._bulk(delete_actions(firm_id, document_ids, self._write_targets()))

    def replace_dossier(self, firm_id: str, dossier_id: str,
                        records: Sequence[IndexRecord]) -> None:
        """Write the dossier's records, then delete its other documents (never empty between)."""
        _require_firm(firm_id)
        for record in records:
            if record.firm_id != firm_id or record.dossier_id != dossier_id:
                raise ValueError(f"record {record.document_id!r} is not of dossier "
                                 f"{dossier_id!r} of firm {firm_id!r}")
        targets = self._write_targets()
        if records:
            self._bulk(index_actions(records, targets, firm_id=firm_id))
        keep = sorted({r.document_id for r in records})
        must_not = [{"terms": {"document_id": keep}}] if keep else []
        self._delete_by_query(targets, firm_id, firm_query(
            firm_id, {"term": {"dossier_id": dossier_id}}, must_not=must_not))

    def delete_firm(self, firm_id: str) -> None:
        """Remove everything of the firm."""
        _require_firm(firm_id)
        self._delete_by_query(self._write_targets(), firm_id, firm_query(firm_id))

    def search(self, visibility: Visibility, query: SearchQuery) -> SearchResult:
        """Search within what `visibility` allows.

        Raises:
            InvalidQuery: Bad cursor, limit, SIREN or text.
            SearchUnavailable: The engine cannot be reached.
        """
        query = interpret(query)
        visibility_filters(visibility)
        validate(query)
        fingerprint = cursors.query_fingerprint(query, visibility)
        position = (cursors.decode_cursor(query.cursor, fingerprint)
                    if query.cursor is not None else cursors.CursorPosition())
        by_offset = query.person is not None or query.group_by_dossier
        if query.cursor is not None and by_offset != (position.search_after is None):
            raise InvalidQuery("invalid cursor")
        if query.person is not None:
            return self._search_persons(visibility, query, fingerprint, position.offset)
        offset = position.offset
        body = build_search_body(visibility, query, after=position.search_after, offset=offset)
        response = self._run_search(visibility, body)
        facets = facets_of(response)
        if query.facets and facet_filters(query):
            facets = facets_of(self._run_search(visibility,
                                                build_facets_body(visibility, query)))
        if query.group_by_dossier:
            groups = tuple(group_of(h) for h in response["hits"]["hits"])
            total = max(int(response["aggregations"]["dossiers"]["value"]),
                        offset + len(groups))
            more = len(groups) == query.limit and offset + query.limit < total
            cursor = (cursors.encode_cursor(fingerprint, offset=offset + query.limit)
                      if more else None)
            return SearchResult(total=total, groups=groups, facets=facets, next_cursor=cursor)
        raws = response["hits"]["hits"]
        page = raws[:query.limit]
        cursor = None
        if len(raws) > query.limit:
            cursor = cursors.encode_cursor(fingerprint, search_after=tuple(page[-1]["sort"]))
        return SearchResult(total=int(response["hits"]["total"]["value"]),
                            hits=tuple(hit_of(h) for h in page), facets=facets,
                            next_cursor=cursor)

    def _run_search(self, visibility: Visibility, body: dict[str, Any]) -> dict[str, Any]:
        self._ensure()
        params = search_params(visibility, self.alias)
        try:
            response = self._call(lambda: self._client.search(**params, body=body))
        except ApiError as error:
            if error.meta.status == 400:
                raise InvalidQuery(f"the search engine refused the query: {error}") from error
            raise
        return dict(response.body)

    def _search_persons(self, visibility: Visibility, query: SearchQuery, fingerprint: str,
                        offset: int) -> SearchResult:
        """Candidates from the keys, re-ranked by `rank_person`; facet filters, facets, order,
        groups and pages are applied to the ranked pool, as the embedded engine does."""
        assert query.person is not None
        response = self._run_search(visibility, build_search_body(visibility, query))
        ranked = rank_candidates(query.person, response["hits"]["hits"])
        kept, facets = filter_and_order(ranked, query)
        if query.group_by_dossier:
            by_dossier: dict[str, list[Hit]] = {}
            for r in kept:
                hit = hit_of(r.raw, score=r.score, person_match=r.match)
                by_dossier.setdefault(hit.dossier_id, []).append(hit)
            groups = [DossierGroup(dossier_id=d, client_name=hits[0].client_name,
                                   siren=hits[0].siren, risk_level=hits[0].risk_level,
                                   score=hits[0].score, total_hits=len(hits),
                                   hits=tuple(hits[:GROUP_HITS]))
                      for d, hits in by_dossier.items()]
            end = offset + query.limit
            cursor = cursors.encode_cursor(fingerprint, offset=end) if end < len(groups) else None
            return SearchResult(total=len(groups), groups=tuple(groups[offset:end]),
                                facets=facets, next_cursor=cursor)
        end = offset + query.limit
        cursor = cursors.encode_cursor(fingerprint, offset=end) if end < len(kept) else None
        return SearchResult(total=len(kept),
                            hits=tuple(hit_of(r.raw, score=r.score, person_match=r.match)
                                       for r in kept[offset:end]),
                            facets=facets, next_cursor=cursor)

    def reindex(self, records: Iterable[IndexRecord], firm_id: str | None = None) -> int:
        """Rebuild from the source of truth without an empty moment (see the module docstring).

        Args:
            records: Every record (all firms), or the firm's records when `firm_id` is given.
            firm_id: Rebuild this firm only.

        Returns:
            The number of records written.
        """
        if firm_id is not None:
            return self._reindex_firm(records, firm_id)
        self._ensure()
        holders = self._aliases()
        for stale in holders[self.pending_alias]:  # a crashed reindex's half-built index
            self._delete_index(stale)
        new = index_name(self.alias, new_stamp())
        self._call(lambda: self._create(new, {self.pending_alias: {}}))
        try:
            counted = _Counted(records)
            self._bulk(index_actions(counted, [new], op_type="create"), conflicts_ok=True)
            self._call(lambda: self._client.indices.refresh(index=new))
            old = self._aliases()[self.alias]
            actions = swap_alias_actions(self.alias, old, new, self.pending_alias)
            self._call(lambda: self._client.indices.update_aliases(actions=actions))
        except BaseException:
            with contextlib.suppress(TransportError, ApiError):  # the first error matters
                self._client.options(ignore_status=404).indices.delete(index=new)
            raise
        for index in old:
            self._delete_index(index)
        return counted.count

    def _reindex_firm(self, records: Iterable[IndexRecord], firm_id: str) -> int:
        _require_firm(firm_id)
        targets = self._write_targets()
        now = datetime.now(UTC)
        started = now.replace(microsecond=now.microsecond // 1000 * 1000)  # indexed_at: in ms
        counted = _Counted(records)
        self._bulk(index_actions(counted, targets, firm_id=firm_id))
        cutoff = {"range": {"indexed_at": {"lt": started.isoformat(timespec="milliseconds")}}}
        self._delete_by_query(targets, firm_id, firm_query(firm_id, cutoff))
        return counted.count

    def refresh(self) -> None:
        """Make every write so far visible to searches."""
        targets = self._write_targets()
        self._call(lambda: self._client.indices.refresh(index=targets))

    def close(self) -> None:
        """Close the client if this instance built it."""
        if self._owns_client:
            self._client.close()

    def drop(self) -> None:
        """Delete every index of this prefix (live and reindexing): for tests' teardown and
        for decommissioning; not part of `SearchIndex`."""
        holders = self._aliases()
        for index in sorted(set(holders[self.alias]) | set(holders[self.pending_alias])):
            self._delete_index(index)
        self._ready = False


class _Counted:
    """An iterable of records that counts what went through it (the bulk load streams)."""

    def __init__(self, records: Iterable[IndexRecord]) -> None:
        self._records = records
        self.count = 0

    def __iter__(self) -> Iterator[IndexRecord]:
        for record in self._records:
            self.count += 1
            yield record
