"""The Elasticsearch backend's requests, built without a server: the isolation filters, routing,
the query parts, and the mapping. What the engine does with them is the contract suite's
(tests/integration/search/, run where KANTA_TEST_ELASTICSEARCH_URL is set)."""

from __future__ import annotations

import json
import string
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexers.contract import (
    FACETS,
    GROUP_HITS,
    DateRange,
    IndexRecord,
    InvalidQuery,
    PersonEntry,
    PersonQuery,
    PersonRole,
    SearchQuery,
    SortBy,
    Visibility,
)
from indexers.es_index import (
    CANDIDATE_POOL,
    build_facets_body,
    build_search_body,
    delete_actions,
    doc_id,
    firm_query,
    group_of,
    index_actions,
    index_name,
    new_stamp,
    rank_candidates,
    record_source,
    search_params,
    siren_of,
    stored_persons,
    swap_alias_actions,
)
from indexers.es_mapping import (
    ANALYSIS,
    FRENCH_ELISION_ARTICLES,
    MAPPING_VERSION,
    MAPPINGS,
    index_settings,
)
from indexers.name_keys import person_keys, query_keys
from indexers.person_pool import pool_facets, pool_order

FIRM = "firm-a"
FIRM_TERM = {"term": {"firm_id": FIRM}}


def _filters(body: dict[str, Any]) -> list[dict[str, Any]]:
    return list(body["query"]["bool"]["filter"])


def _record(**changes: Any) -> IndexRecord:
    values: dict[str, Any] = {
        "document_id": "doc-1", "firm_id": FIRM, "dossier_id": "dos-1",
        "client_name": "Boulangerie de l'Étang", "doc_type": "statuts",
        "file_name": "statuts.pdf", "siren": "552100554", "document_date": date(2021, 3, 4),
        "expiry_date": date(2031, 3, 4), "pages": ("Article 1 — Forme",),
        "persons": (PersonEntry(PersonRole.OFFICER, "Dupont", "Jean", date(1970, 1, 2)),),
        "open_alert_types": ("expired_document",), "risk_level": "high",
        "assignee_ids": ("user-1",), "updated_at": datetime(2024, 5, 6, 7, 8, tzinfo=UTC)}
    values.update(changes)
    return IndexRecord(**values)


# --------------------------------------------------------------------------- isolation


def test_firm_filter_is_first_and_alone_for_an_officer() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(text="statuts"))
    assert _filters(body)[0] == FIRM_TERM
    assert not any("assignee_ids" in json.dumps(f) for f in _filters(body))


def test_collaborator_gets_the_assignment_filter() -> None:
    body = build_search_body(Visibility(FIRM, assigned_to="user-7"), SearchQuery())
    assert _filters(body)[:2] == [FIRM_TERM, {"term": {"assignee_ids": "user-7"}}]


@pytest.mark.parametrize("firm", ["", "  "])
def test_no_firm_no_search(firm: str) -> None:
    with pytest.raises(InvalidQuery, match="firm"):
        build_search_body(Visibility(firm), SearchQuery())
    with pytest.raises(InvalidQuery, match="firm"):
        build_facets_body(Visibility(firm), SearchQuery())
    with pytest.raises(InvalidQuery, match="firm"):
        search_params(Visibility(firm), "kanta-docs")


def test_search_is_routed_by_firm() -> None:
    assert search_params(Visibility(FIRM, "u"), "kanta-docs") == {
        "index": "kanta-docs", "routing": FIRM}


_words = st.sampled_from(["statuts", "Dupont", "société", "l'article", "bénéficiaires",
                          "kbis", "capital", "2021"])
_texts = st.one_of(
    st.just(""),
    st.lists(_words, min_size=1, max_size=4).map(" ".join),
    st.lists(_words, min_size=1, max_size=3).map(lambda ws: f'"{" ".join(ws)}" kbis'),
)
_ids = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12)
_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


@st.composite
def _ranges(draw: st.DrawFn) -> DateRange | None:
    if draw(st.booleans()):
        return None
    a, b = sorted([draw(_dates), draw(_dates)])
    return DateRange(draw(st.one_of(st.none(), st.just(a))), draw(st.one_of(st.none(), st.just(b))))


_queries = st.builds(
    SearchQuery,
    text=_texts,
    person=st.one_of(st.none(), st.builds(
        PersonQuery, name=st.sampled_from(["Jean Dupont", "de la Fontaine", "Müller"]),
        birth_date=st.one_of(st.none(), _dates))),
    siren=st.one_of(st.none(), st.sampled_from(["552100554", "552 100 554", "55210055400013"])),
    doc_types=st.lists(st.sampled_from(["statuts", "kbis", "rbe", "cni"]), max_size=3).map(tuple),
    dossier_ids=st.lists(_ids, max_size=3).map(tuple),
    document_date=_ranges(),
    expiry_date=_ranges(),
    alert_types=st.lists(st.sampled_from(["expired_document", "owner_mismatch"]),
                         max_size=2).map(tuple),
    risk_levels=st.lists(st.sampled_from(["low", "medium", "high"]), max_size=3).map(tuple),
    sort=st.sampled_from(list(SortBy)),
    descending=st.booleans(),
    limit=st.integers(1, 100),
    group_by_dossier=st.booleans(),
    highlight=st.booleans(),
    facets=st.booleans(),
)
_visibilities = st.builds(Visibility, firm_id=_ids, assigned_to=st.one_of(st.none(), _ids))


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every dict in a body."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


@settings(max_examples=300, deadline=None)
@given(visibility=_visibilities, query=_queries,
       after=st.one_of(st.none(), st.tuples(st.integers(), _ids)))
def test_no_body_lacks_the_visibility_filters(visibility: Visibility, query: SearchQuery,
                                             after: tuple[int, str] | None) -> None:
    body = build_search_body(visibility, query,
                             after=None if query.group_by_dossier else after)
    top = body["query"]
    assert set(top) == {"bool"}
    # Filter context (AND); the top level has no `should` that could stand in for it.
    assert set(top["bool"]) <= {"filter", "must"}
    filters = top["bool"]["filter"]
    assert filters[0] == {"term": {"firm_id": visibility.firm_id}}
    if visibility.assigned_to is not None:
        assert filters[1] == {"term": {"assignee_ids": visibility.assigned_to}}
    # The firm is named once, and only by the visibility.
    firm_terms = [d for d in _walk(body) if "firm_id" in d]
    assert firm_terms == [{"firm_id": visibility.firm_id}]
    assert search_params(visibility, "x")["routing"] == visibility.firm_id
    facets = build_facets_body(visibility, query)
    assert facets["query"]["bool"]["filter"][0] == {"term": {"firm_id": visibility.firm_id}}
    assert "global" not in json.dumps(facets)  # no aggregation escapes the query's scope
    assert [d for d in _walk(facets) if "firm_id" in d] == [{"firm_id": visibility.firm_id}]


# --------------------------------------------------------------------------- query parts


def test_text_keeps_phrases_and_requires_every_word() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(text='"cession de parts" agrément'))
    (clause,) = body["query"]["bool"]["must"]
    sqs = clause["simple_query_string"]
    assert sqs["query"] == '"cession de parts" agrément'
    assert sqs["default_operator"] == "and"
    assert "PHRASE" in sqs["flags"].split("|")
    assert {f.split("^")[0] for f in sqs["fields"]} == {"pages", "client_name", "file_name.text"}


def test_text_fields_share_the_french_analyzer() -> None:
    # With AND across fields, a field of another analyzer would require stop words.
    body = build_search_body(Visibility(FIRM), SearchQuery(text="x"))
    props = MAPPINGS["properties"]
    for field in body["query"]["bool"]["must"][0]["simple_query_string"]["fields"]:
        name = field.split("^")[0]
        spec = (props[name.split(".")[0]]["fields"][name.split(".")[1]] if "." in name
                else props[name])
        assert spec["analyzer"] == "french_text", name


def test_unclosed_quote_runs_to_the_end() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(text='agrément "cession de parts'))
    sqs = body["query"]["bool"]["must"][0]["simple_query_string"]
    assert sqs["query"] == 'agrément "cession de parts"'


def test_operators_are_text() -> None:
    # As in the embedded engine: words and phrases only, no + - | ( ) * syntax.
    body = build_search_body(Visibility(FIRM), SearchQuery(text="-kbis"))
    assert body["query"]["bool"]["must"][0]["simple_query_string"]["flags"] == "PHRASE|WHITESPACE"


def test_text_too_long_is_invalid() -> None:
    with pytest.raises(InvalidQuery):
        build_search_body(Visibility(FIRM), SearchQuery(text="a" * 1001))


def test_browse_has_no_scoring_clause() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery())
    assert "must" not in body["query"]["bool"]
    assert "highlight" not in body
    assert body["sort"][0] == {"document_date": {"order": "desc", "missing": "_last"}}


@pytest.mark.parametrize("typed", ["552100554", "552 100 554", "55210055400013",
                                   "552 100 554 00013", "552.100.554", "552-100-554"])
def test_siret_becomes_siren(typed: str) -> None:
    assert siren_of(typed) == "552100554"
    body = build_search_body(Visibility(FIRM), SearchQuery(siren=typed))
    assert {"term": {"siren": "552100554"}} in _filters(body)


@pytest.mark.parametrize("typed", ["55210055", "5521005540001", "ABC100554", "552/100/554",
                                   ""])
def test_bad_siren_is_invalid(typed: str) -> None:
    with pytest.raises(InvalidQuery):
        build_search_body(Visibility(FIRM), SearchQuery(siren=typed))


def test_term_filters() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(
        doc_types=("kbis", "statuts", "kbis"), dossier_ids=("d2", "d1"),
        alert_types=("owner_mismatch",), risk_levels=("high",)))
    filters = _filters(body)
    assert {"terms": {"doc_type": ["kbis", "statuts"]}} in filters
    assert {"terms": {"dossier_id": ["d1", "d2"]}} in filters
    assert {"terms": {"alert_types": ["owner_mismatch"]}} in filters
    assert {"terms": {"risk_level": ["high"]}} in filters


def test_date_ranges_are_inclusive_and_may_be_open() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(
        document_date=DateRange(date(2020, 1, 1), date(2020, 12, 31)),
        expiry_date=DateRange(end=date(2026, 6, 30))))
    filters = _filters(body)
    assert {"range": {"document_date": {"format": "strict_date", "gte": "2020-01-01",
                                        "lte": "2020-12-31"}}} in filters
    assert {"range": {"expiry_date": {"format": "strict_date", "lte": "2026-06-30"}}} in filters
    empty = build_search_body(Visibility(FIRM), SearchQuery(document_date=DateRange()))
    assert _filters(empty) == [FIRM_TERM]




@pytest.mark.parametrize("limit", [0, 101, -1])
def test_limit_out_of_range_is_invalid(limit: int) -> None:
    with pytest.raises(InvalidQuery):
        build_search_body(Visibility(FIRM), SearchQuery(limit=limit))


@pytest.mark.parametrize(("sort", "descending", "expected"), [
    (SortBy.RELEVANCE, False, {"_score": {"order": "desc"}}),
    (SortBy.DOCUMENT_DATE, True, {"document_date": {"order": "desc", "missing": "_last"}}),
    (SortBy.DOCUMENT_DATE, False, {"document_date": {"order": "asc", "missing": "_last"}}),
    (SortBy.EXPIRY_DATE, False, {"expiry_date": {"order": "asc", "missing": "_last"}}),
])
def test_sorts_end_with_the_unique_tiebreaker(sort: SortBy, descending: bool,
                                              expected: dict[str, Any]) -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(text="kbis", sort=sort,
                                                           descending=descending))
    assert body["sort"] == [expected, {"document_id": {"order": "asc"}}]
    assert body["track_scores"] is True


def test_page_asks_one_more_and_searches_after_the_cursor() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(text="kbis", limit=20),
                             after=(1.5, "doc-9"))
    assert body["size"] == 21
    assert body["search_after"] == [1.5, "doc-9"]
    assert body["track_total_hits"] is True
    assert "from" not in body


def test_highlight_tags_and_encoder() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(text="kbis"))
    highlight = body["highlight"]
    assert highlight["pre_tags"] == ["<mark>"]
    assert highlight["post_tags"] == ["</mark>"]
    assert highlight["encoder"] == "html"
    assert "pages" in highlight["fields"]
    off = build_search_body(Visibility(FIRM), SearchQuery(text="kbis", highlight=False))
    assert "highlight" not in off


def test_facets_are_terms_aggregations() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery())
    assert set(body["aggs"]) == set(FACETS)
    assert body["aggs"]["alert_type"]["aggs"]["values"]["terms"]["field"] == "alert_types"
    assert body["aggs"]["doc_type"]["aggs"]["values"]["terms"]["field"] == "doc_type"
    assert body["aggs"]["doc_type"]["filter"] == {"match_all": {}}
    assert "aggs" not in build_search_body(Visibility(FIRM), SearchQuery(facets=False))


def test_facet_filters_leave_their_own_facet_open() -> None:
    query = SearchQuery(text="kbis", doc_types=("kbis",), risk_levels=("high",))
    visibility = Visibility(FIRM, "u")
    # The hits are filtered; their body holds no facet counts...
    body = build_search_body(visibility, query)
    assert {"terms": {"doc_type": ["kbis"]}} in _filters(body)
    assert "aggs" not in body
    # ...which come from a second body: the query without the facet filters, each facet under
    # the others' filters, within the same visibility.
    facets = build_facets_body(visibility, query)
    assert facets["size"] == 0
    assert _filters(facets)[:2] == [FIRM_TERM, {"term": {"assignee_ids": "u"}}]
    assert not any("doc_type" in json.dumps(f) for f in _filters(facets))
    assert facets["query"]["bool"]["must"] == body["query"]["bool"]["must"]
    aggs = facets["aggs"]
    assert aggs["doc_type"]["filter"] == {"bool": {"filter": [{"terms": {"risk_level": ["high"]}}]}}
    assert aggs["risk_level"]["filter"] == {"bool": {"filter": [{"terms": {"doc_type": ["kbis"]}}]}}
    assert len(aggs["alert_type"]["filter"]["bool"]["filter"]) == 2


def test_grouping_collapses_on_the_dossier() -> None:
    body = build_search_body(Visibility(FIRM), SearchQuery(text="kbis", group_by_dossier=True,
                                                           limit=10), offset=20)
    collapse = body["collapse"]
    assert collapse["field"] == "dossier_id"
    assert collapse["inner_hits"]["size"] == GROUP_HITS
    assert collapse["inner_hits"]["sort"] == body["sort"]
    assert collapse["inner_hits"]["highlight"]["pre_tags"] == ["<mark>"]
    assert body["aggs"]["dossiers"] == {
        "cardinality": {"field": "dossier_id", "precision_threshold": 40_000}}
    assert (body["from"], body["size"]) == (20, 10)
    assert "search_after" not in body
    assert "collapse" not in build_search_body(Visibility(FIRM), SearchQuery(text="kbis"))


def test_group_of_reads_inner_hits() -> None:
    def raw(doc: str, score: float) -> dict[str, Any]:
        source = record_source(_record(document_id=doc), datetime(2024, 1, 1, tzinfo=UTC))
        return {"_score": score, "_source": source}

    top = raw("a", 3.0) | {"inner_hits": {"top": {"hits": {
        "total": {"value": 5, "relation": "eq"}, "hits": [raw("a", 3.0), raw("b", 2.0)]}}}}
    group = group_of(top)
    assert (group.dossier_id, group.total_hits, group.score) == ("dos-1", 5, 3.0)
    assert [h.document_id for h in group.hits] == ["a", "b"]


def test_person_query_draws_candidates_from_the_keys() -> None:
    body = build_search_body(Visibility(FIRM, "u"), SearchQuery(
        person=PersonQuery("Jean Dupond", date(1970, 1, 2)), group_by_dossier=True))
    (clause,) = body["query"]["bool"]["must"]
    terms = [next(iter(s["term"].items())) for s in clause["bool"]["should"]]
    assert {field for field, _ in terms} == {"person_exact", "person_trigram", "person_phonetic"}
    assert clause["bool"]["minimum_should_match"] == 1
    exact = {spec["value"] for field, spec in terms if field == "person_exact"}
    assert {"jean", "dupond"} <= exact
    keys = query_keys("Jean Dupond")
    assert {spec["value"] for field, spec in terms if field == "person_phonetic"} == set(
        keys["phonetic"])
    assert body["size"] == CANDIDATE_POOL
    assert "collapse" not in body  # the pool is re-ranked, then grouped, in Python
    assert "aggs" not in body
    assert "persons" not in body["_source"]["excludes"]
    assert _filters(body)[:2] == [FIRM_TERM, {"term": {"assignee_ids": "u"}}]


def test_person_name_without_letters_is_invalid() -> None:
    with pytest.raises(InvalidQuery):
        build_search_body(Visibility(FIRM), SearchQuery(person=PersonQuery("  ")))


# --------------------------------------------------------------------------- writes


def test_record_source_holds_the_python_keys_and_the_persons() -> None:
    record = _record()
    source = record_source(record, datetime(2024, 1, 1, tzinfo=UTC))
    keys = person_keys(record.persons[0])
    assert source["person_exact"] == sorted(set(keys["exact"]))
    assert source["person_trigram"] == sorted(set(keys["trigram"]))
    assert source["person_phonetic"] == sorted(set(keys["phonetic"]))
    assert stored_persons(source) == record.persons
    assert source["document_date"] == "2021-03-04"
    assert source["alert_types"] == ["expired_document"]
    # Every field written is mapped (dynamic: strict would refuse another).
    assert set(source) <= set(MAPPINGS["properties"])


def test_writes_are_routed_and_ids_carry_the_firm() -> None:
    actions = list(index_actions([_record(), _record(document_id="doc-2", firm_id="firm-b")],
                                 ["live", "new"]))
    assert [(a["_index"], a["_id"], a["_routing"]) for a in actions] == [
        ("live", "firm-a:doc-1", "firm-a"), ("new", "firm-a:doc-1", "firm-a"),
        ("live", "firm-b:doc-2", "firm-b"), ("new", "firm-b:doc-2", "firm-b")]
    assert doc_id("f", "d") == "f:d"
    with pytest.raises(ValueError, match="firm"):
        doc_id("f:x", "d")  # would be ambiguous: firm "f", document "x:d"
    deletes = list(delete_actions(FIRM, ["doc-1"], ["live"]))
    assert deletes == [{"_op_type": "delete", "_index": "live", "_id": "firm-a:doc-1",
                        "_routing": FIRM}]


def test_a_firm_write_refuses_another_firms_record() -> None:
    with pytest.raises(ValueError, match="not of firm"):
        list(index_actions([_record(firm_id="firm-b")], ["live"], firm_id=FIRM))


def test_deletes_by_query_always_name_the_firm() -> None:
    query = firm_query(FIRM, {"term": {"dossier_id": "d"}},
                       must_not=[{"terms": {"document_id": ["x"]}}])
    assert query["bool"]["filter"][0] == FIRM_TERM
    assert query["bool"]["must_not"] == [{"terms": {"document_id": ["x"]}}]
    with pytest.raises(ValueError, match="firm"):
        firm_query("")


def test_alias_swap_is_one_atomic_request() -> None:
    actions = swap_alias_actions("kd", ["kd-v1-old"], "kd-v1-new", "kd-reindexing")
    assert actions == [{"remove": {"index": "kd-v1-old", "alias": "kd"}},
                       {"remove": {"index": "kd-v1-new", "alias": "kd-reindexing"}},
                       {"add": {"index": "kd-v1-new", "alias": "kd"}}]


def test_index_names_are_versioned_and_sortable() -> None:
    early = index_name("kanta-docs", new_stamp(datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)))
    late = index_name("kanta-docs", new_stamp(datetime(2024, 1, 2, 3, 4, 6, tzinfo=UTC)))
    assert early.startswith(f"kanta-docs-v{MAPPING_VERSION}-2024")
    assert early < late
    assert early == early.lower()


# --------------------------------------------------------------------------- mapping


def test_mapping_is_strict_versioned_and_routed() -> None:
    assert MAPPINGS["dynamic"] == "strict"
    assert MAPPINGS["_meta"] == {"mapping_version": MAPPING_VERSION}
    assert MAPPINGS["_routing"] == {"required": True}
    props = MAPPINGS["properties"]
    for field in ("firm_id", "dossier_id", "document_id", "siren", "doc_type", "risk_level",
                  "alert_types", "assignee_ids", "person_exact", "person_trigram",
                  "person_phonetic"):
        assert props[field]["type"] == "keyword", field
    assert props["persons"] == {"type": "object", "enabled": False}
    assert props["document_date"]["type"] == props["expiry_date"]["type"] == "date"
    assert props["pages"]["analyzer"] == "french_text"


def test_french_text_chain_in_order() -> None:
    analyzer = ANALYSIS["analyzer"]["french_text"]
    assert analyzer["tokenizer"] == "standard"
    assert analyzer["filter"] == ["french_elision", "lowercase", "asciifolding", "french_stop",
                                  "french_stemmer"]
    filters = ANALYSIS["filter"]
    assert filters["french_elision"]["type"] == "elision"
    assert filters["french_elision"]["articles_case"] is True
    assert set(filters["french_elision"]["articles"]) == {
        "l", "d", "qu", "j", "m", "n", "s", "t", "c", "jusqu", "lorsqu", "puisqu"}
    assert tuple(filters["french_elision"]["articles"]) == FRENCH_ELISION_ARTICLES
    assert filters["french_stop"] == {"type": "stop", "stopwords": "_french_"}
    assert filters["french_stemmer"] == {"type": "stemmer", "language": "light_french"}


def test_name_analyzer_folds_splits_hyphens_and_never_stems() -> None:
    analyzer = ANALYSIS["analyzer"]["name"]
    assert analyzer["filter"] == ["lowercase", "asciifolding"]
    assert analyzer["char_filter"] == ["hyphen_to_space"]
    assert "\\u002d=>\\u0020" in ANALYSIS["char_filter"]["hyphen_to_space"]["mappings"]


def test_every_analyzer_part_is_defined_or_built_in() -> None:
    built_in = {"standard", "lowercase", "asciifolding"}
    for analyzer in ANALYSIS["analyzer"].values():
        assert analyzer["tokenizer"] in built_in
        for name in analyzer["filter"]:
            assert name in built_in or name in ANALYSIS["filter"], name
        for name in analyzer.get("char_filter", []):
            assert name in ANALYSIS["char_filter"], name
    used = {a for spec in _walk(MAPPINGS) for a in [spec.get("analyzer")] if a}
    assert used <= set(ANALYSIS["analyzer"])


def test_definitions_match_the_clients_own_types() -> None:
    dsl = pytest.importorskip("elasticsearch.dsl")
    analysis = pytest.importorskip("elasticsearch.dsl.analysis")
    mapping = dsl.Mapping()
    mapping._update_from_dict(MAPPINGS)  # builds the client's Field objects: unknown types fail
    assert mapping.to_dict() == MAPPINGS

    filters = {name: analysis.token_filter(name, **spec)
               for name, spec in ANALYSIS["filter"].items()}
    chars = {name: analysis.char_filter(name, **spec)
             for name, spec in ANALYSIS["char_filter"].items()}
    built: dict[str, Any] = {}
    for name, spec in ANALYSIS["analyzer"].items():
        analyzer = analysis.analyzer(
            name, tokenizer=spec["tokenizer"],
            filter=[filters.get(f, f) for f in spec["filter"]],
            char_filter=[chars.get(c, c) for c in spec.get("char_filter", [])])
        for section, entries in analyzer.get_analysis_definition().items():
            built.setdefault(section, {}).update(entries)
    assert built == ANALYSIS
    settings_ = index_settings(shards=2, replicas=1)
    assert (settings_["number_of_shards"], settings_["number_of_replicas"]) == (2, 1)
    assert settings_["analysis"] is ANALYSIS


# --------------------------------------------------------------------------- person pool


def _candidate(doc: str, person: PersonEntry, *, score: float = 1.0, **changes: Any,
               ) -> dict[str, Any]:
    record = _record(document_id=doc, persons=(person,), **changes)
    return {"_score": score,
            "_source": record_source(record, datetime(2024, 1, 1, tzinfo=UTC))}


def test_person_pool_is_reranked_filtered_and_counted_in_python() -> None:
    dupont = PersonEntry(PersonRole.BENEFICIAL_OWNER, "Dupont", "Jean", date(1970, 1, 2))
    namesake = PersonEntry(PersonRole.OFFICER, "Dupont", "Jean", date(1985, 5, 5))
    other = PersonEntry(PersonRole.OFFICER, "Martin", "Paul")
    raws = [_candidate("a", dupont, doc_type="kbis"),
            _candidate("b", namesake, doc_type="statuts"),
            _candidate("c", other, doc_type="kbis"),
            _candidate("d", dupont, doc_type="statuts", document_date=None, score=5.0)]
    query = PersonQuery("Jean Dupont", date(1970, 1, 2))
    ranked = rank_candidates(query, raws)
    assert {r.source["document_id"] for r in ranked} == {"a", "d"}  # namesake and Martin out
    assert all(r.match.explanation for r in ranked)
    # Multi-select counts: the doc_type facet ignores its own filter.
    facets = pool_facets(ranked, {"doc_type": {"kbis"}, "risk_level": set(),
                                  "alert_type": set()})
    assert facets["doc_type"] == {"kbis": 1, "statuts": 1}
    assert facets["risk_level"] == {"high": 1}
    # Equal person scores: the engine's score, then the id, decide.
    ordered = sorted(ranked, key=pool_order(SearchQuery(person=query)))
    assert [r.source["document_id"] for r in ordered] == ["d", "a"]
    by_date = sorted(ranked, key=pool_order(SearchQuery(person=query,
                                                        sort=SortBy.DOCUMENT_DATE)))
    assert [r.source["document_id"] for r in by_date] == ["a", "d"]  # undated last


def test_written_siren_is_the_nine_digits() -> None:
    source = record_source(_record(siren="552 100 554 00013"), datetime(2024, 1, 1, tzinfo=UTC))
    assert source["siren"] == "552100554"
    assert record_source(_record(siren=None), datetime(2024, 1, 1, tzinfo=UTC))["siren"] is None


@pytest.mark.parametrize("missing", ["document_id", "firm_id", "dossier_id"])
def test_records_need_their_ids(missing: str) -> None:
    with pytest.raises(ValueError, match="needs"):
        list(index_actions([_record(**{missing: ""})], ["live"]))
