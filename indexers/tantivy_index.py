"""The embedded search backend: a Tantivy index in a folder (PyPI `tantivy`).

Schema (one Tantivy document per `IndexRecord`):

| field | kind | why |
| --- | --- | --- |
| document_id, firm_id, dossier_id | raw, indexed (firm and dossier fast) | deletes, scope |
| dossier_key | u64 fast (hash of firm + dossier) | grouping without loading documents |
| siren, assignee_id | raw, multi-valued assignees | filters, scope |
| doc_type, risk_level, alert_type | raw, fast, multi-valued alert types | filters, facets |
| document_date, expiry_date | date, indexed, fast, stored | range filters, sorts |
| pages, client_name, file_name | French text (below), not stored | full text |
| person_exact, person_trigram, person_phonetic | raw, multi-valued | person candidates |
| source | stored bytes: the record as JSON | hits, snippets, person re-ranking |

French analyzer: simple tokenizer -> remove_long(40) -> lowercase -> ascii_fold -> stopwords
(French, plus elided articles) -> Snowball French stemmer; folding comes before stemming so
"pénalité" and "penalite" give one stem (PERF.md section 4). Elisions (l', d', qu', s'...) are
removed from the text before it is indexed and from queries, so "l'entreprise" and "entreprise"
are the same word, in phrases too.

Queries: the words of `SearchQuery.text` are all required (AND), each found in the pages, the
client name (boost 2) or the file name; "double quotes" make a phrase. The firm (and a
collaborator's assignment) is a MUST clause added by `_Scope`, the only object that can reach
the searcher during `search`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy
from tantivy import Occur, Query

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
    PersonRole,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    SortBy,
    Visibility,
)
from indexers.cursors import decode_cursor, encode_cursor, query_fingerprint
from indexers.name_keys import person_keys, query_keys
from indexers.person_pool import filter_and_order
from indexers.person_rank import PersonRanker
from indexers.query_text import interpret

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

FRENCH = "kanta_fr"
# Elided articles and pronouns (l'entreprise, d'un, qu'il, s'applique, jusqu'au...).
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’ʼ]",
                      re.IGNORECASE)
_ELIDED = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
           "presqu", "a"]  # "a" is "à" once folded
_WORD = re.compile(r"[^\W_]+")  # the simple tokenizer's words
_QUERY_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
_SIREN_SEPARATORS = re.compile(r"[\s.\u00a0\u202f-]")

TEXT_FIELDS = (("pages", 1.0), ("client_name", 2.0), ("file_name", 1.0))
KEY_BOOSTS = {"exact": 3.0, "phonetic": 2.0, "trigram": 1.0}
PERSON_CANDIDATES = 200  # person hits are re-ranked in Python from this many candidates
SCAN_LIMIT = 10_000  # grouped results are assembled from at most this many hits
MAX_OFFSET = SCAN_LIMIT  # deepest page start, like Elasticsearch's max_result_window
SNIPPET_CHARS = 240
MAX_TEXT_CHARS = 1000
WRITER_HEAP_BYTES = 64_000_000
WRITER_THREADS = 1


def strip_elisions(text: str) -> str:
    """Text without elided articles: "l'entreprise" -> "entreprise"."""
    return _ELISION.sub("", text)


def french_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer of the French text fields (module docstring)."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stopword("french"))
            .filter(tantivy.Filter.custom_stopword(_ELIDED))
            .filter(tantivy.Filter.stemmer("french"))
            .build())


def build_schema() -> tantivy.Schema:
    """The index schema (module docstring)."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("document_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("firm_id", tokenizer_name="raw", fast=True)
    sb.add_text_field("dossier_id", tokenizer_name="raw", fast=True)
    sb.add_unsigned_field("dossier_key", fast=True)
    for name in ("siren", "assignee_id"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in ("doc_type", "risk_level", "alert_type"):
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("document_date", "expiry_date"):
        sb.add_date_field(name, stored=True, indexed=True, fast=True)
    for name, _ in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name=FRENCH)
    for kind in KEY_BOOSTS:
        sb.add_text_field(f"person_{kind}", tokenizer_name="raw", index_option="freq")
    sb.add_bytes_field("source", stored=True)
    return sb.build()


def normalize_siren(value: str) -> str:
    """A SIREN or SIRET as typed -> the 9-digit SIREN; `InvalidQuery` otherwise."""
    digits = _SIREN_SEPARATORS.sub("", value)
    if not digits.isdigit() or len(digits) not in (9, 14):
        raise InvalidQuery("a SIREN has 9 digits, a SIRET 14")
    return digits[:9]


def _dossier_key(firm_id: str, dossier_id: str) -> int:
    """A 64-bit key of the dossier, read from a fast field to group hits."""
    digest = hashlib.blake2b(f"{firm_id}\x1f{dossier_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _as_datetime(day: date) -> datetime:
    """A day as the UTC midnight Tantivy stores."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- records <-> stored JSON -------------------------------------------------------------------

def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _record_json(record: IndexRecord) -> bytes:
    """The record as stored JSON (written field by field: `dataclasses.asdict` deep-copies
    every page, which was a third of the indexing time)."""
    data = {
        "document_id": record.document_id, "firm_id": record.firm_id,
        "dossier_id": record.dossier_id, "client_name": record.client_name,
        "doc_type": record.doc_type, "file_name": record.file_name, "siren": record.siren,
        "document_date": _iso(record.document_date), "expiry_date": _iso(record.expiry_date),
        "pages": list(record.pages),
        "persons": [{"role": p.role.value, "last_name": p.last_name,
                     "first_names": p.first_names, "birth_date": _iso(p.birth_date),
                     "usage_name": p.usage_name} for p in record.persons],
        "open_alert_types": list(record.open_alert_types), "risk_level": record.risk_level,
        "assignee_ids": list(record.assignee_ids), "updated_at": _iso(record.updated_at),
    }
    return json.dumps(data, ensure_ascii=False).encode()


def _record_from_json(raw: bytes) -> IndexRecord:
    """The stored JSON back to a record."""
    data = json.loads(raw)

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    persons = tuple(PersonEntry(role=PersonRole(p["role"]), last_name=p["last_name"],
                                first_names=p["first_names"], birth_date=day(p["birth_date"]),
                                usage_name=p["usage_name"]) for p in data["persons"])
    updated = data.get("updated_at")
    return IndexRecord(
        document_id=data["document_id"], firm_id=data["firm_id"], dossier_id=data["dossier_id"],
        client_name=data["client_name"], doc_type=data["doc_type"], file_name=data["file_name"],
        siren=data["siren"], document_date=day(data["document_date"]),
        expiry_date=day(data["expiry_date"]), pages=tuple(data["pages"]), persons=persons,
        open_alert_types=tuple(data["open_alert_types"]), risk_level=data["risk_level"],
        assignee_ids=tuple(data["assignee_ids"]),
        updated_at=datetime.fromisoformat(updated) if updated else None)


def _to_document(record: IndexRecord) -> tantivy.Document:
    """One record as a Tantivy document; `ValueError` for a record without firm or ids."""
    if not (record.document_id and record.firm_id and record.dossier_id):
        raise ValueError("a record needs a document_id, a firm_id and a dossier_id")
    doc = tantivy.Document()
    doc.add_text("document_id", record.document_id)
    doc.add_text("firm_id", record.firm_id)
    doc.add_text("dossier_id", record.dossier_id)
    doc.add_unsigned("dossier_key", _dossier_key(record.firm_id, record.dossier_id))
    if record.siren:
        doc.add_text("siren", _SIREN_SEPARATORS.sub("", record.siren)[:9])
    doc.add_text("doc_type", record.doc_type)
    if record.risk_level:
        doc.add_text("risk_level", record.risk_level)
    for alert_type in dict.fromkeys(record.open_alert_types):
        doc.add_text("alert_type", alert_type)
    for user in dict.fromkeys(record.assignee_ids):
        doc.add_text("assignee_id", user)
    if record.document_date:
        doc.add_date("document_date", _as_datetime(record.document_date))
    if record.expiry_date:
        doc.add_date("expiry_date", _as_datetime(record.expiry_date))
    for page in record.pages:
        doc.add_text("pages", strip_elisions(page))
    doc.add_text("client_name", strip_elisions(record.client_name))
    doc.add_text("file_name", strip_elisions(record.file_name))
    for person in record.persons:
        for kind, keys in person_keys(person).items():
            for key in keys:
                doc.add_text(f"person_{kind}", key)
    doc.add_bytes("source", _record_json(record))
    return doc


# --- the writer, shared per folder -------------------------------------------------------------

@dataclasses.dataclass(eq=False)
class _Shared:
    """One folder's index object and its single writer, shared by the process's handles."""

    index: tantivy.Index
    lock: threading.RLock
    writer: tantivy.IndexWriter | None = None
    handles: int = 0


_OPEN: dict[Path, _Shared] = {}
_OPEN_LOCK = threading.Lock()


def _acquire(path: Path, schema: tantivy.Schema) -> _Shared:
    """The folder's shared index, opened (or created) on first use; tokenizers registered."""
    key = path.resolve()
    with _OPEN_LOCK:
        shared = _OPEN.get(key)
        if shared is None:
            key.mkdir(parents=True, exist_ok=True)
            try:
                index = tantivy.Index(schema, path=str(key), reuse=True)
            except (OSError, ValueError) as exc:
                raise SearchUnavailable(f"cannot open the search index at {key}: {exc}") from exc
            # Custom tokenizers are not persisted: register on every open.
            index.register_tokenizer(FRENCH, french_analyzer())
            shared = _Shared(index=index, lock=threading.RLock())
            _OPEN[key] = shared
        shared.handles += 1
        return shared


def _release(path: Path, shared: _Shared) -> None:
    """Drop one handle; the last one commits pending writes and frees the writer."""
    key = path.resolve()
    with _OPEN_LOCK:
        shared.handles -= 1
        if shared.handles > 0:
            return
        _OPEN.pop(key, None)
    with shared.lock:
        if shared.writer is not None:
            shared.writer.commit()
            shared.writer.wait_merging_threads()
            shared.writer = None


# --- the scope: the only way to the searcher during a search -----------------------------------

Clause = tuple[Occur, Query]


class _Scope:
    """A searcher bound to who asks: every query it runs has the firm, and for a collaborator the
    assignment, as a non-scoring MUST clause, and every record it loads is checked again."""

    def __init__(self, searcher: tantivy.Searcher, schema: tantivy.Schema,
                 visibility: Visibility) -> None:
        if not visibility.firm_id:
            raise InvalidQuery("a search needs a firm")
        must: list[Clause] = [(Occur.Must, Query.term_query(schema, "firm_id",
                                                             visibility.firm_id))]
        if visibility.assigned_to is not None:
            must.append((Occur.Must, Query.term_query(schema, "assignee_id",
                                                      visibility.assigned_to)))
        self._scope = Query.const_score_query(Query.boolean_query(must), 0.0)
        self._searcher = searcher
        self._visibility = visibility

    def query(self, clauses: Sequence[Clause]) -> Query:
        """The clauses, within the scope."""
        return Query.boolean_query([(Occur.Must, self._scope), *clauses])

    def search(self, clauses: Sequence[Clause], limit: int, offset: int = 0,
               order_by: str | None = None, descending: bool = True,
               ) -> tuple[int, list[tuple[float, tantivy.DocAddress]]]:
        """(total, [(score, address)]) of the scoped query; score 0.0 when sorted by a field."""
        query = self.query(clauses)
        if order_by is None:
            result = self._searcher.search(query, max(1, limit), count=True, offset=offset)
            hits = [(float(score), addr) for score, addr in result.hits]
        else:
            order = tantivy.Order.Desc if descending else tantivy.Order.Asc
            result = self._searcher.search(query, max(1, limit), count=True, offset=offset,
                                           order_by_field=order_by, order=order)
            hits = [(0.0, addr) for _, addr in result.hits]
        # `count` exists at runtime (count=True) but is missing from the type stubs.
        total: int = getattr(result, "count", None) or 0
        return total, hits[:limit]

    def facet_counts(self, clauses: Sequence[Clause], field: str) -> dict[str, int]:
        """Documents per value of a fast keyword field, within the scope."""
        spec = {"f": {"terms": {"field": field, "size": 10_000}}}
        buckets = self._searcher.aggregate(self.query(clauses), spec)["f"]["buckets"]
        return {str(b["key"]): int(b["doc_count"]) for b in buckets}

    def dossier_keys(self, addresses: list[tantivy.DocAddress]) -> list[int]:
        """The dossier key of each address (fast field, no document loaded)."""
        if not addresses:
            return []
        return [int(v or 0) for v in self._searcher.fast_field_values("dossier_key", addresses)]

    def records(self, addresses: Sequence[tantivy.DocAddress]) -> list[IndexRecord | None]:
        """The stored records; None for one outside the scope (never expected: belt and
        braces over the MUST clause)."""
        out: list[IndexRecord | None] = []
        for addr in addresses:
            raw = self._searcher.doc(addr).get_first("source")
            record = _record_from_json(raw) if isinstance(raw, bytes) else None
            if record is not None and not self._allows(record):
                record = None
            out.append(record)
        return out

    def snippet_generator(self, query: Query, schema: tantivy.Schema,
                          ) -> tantivy.SnippetGenerator:
        """A snippet generator of the pages for the text query."""
        generator = tantivy.SnippetGenerator.create(self._searcher, query, schema, "pages")
        generator.set_max_num_chars(SNIPPET_CHARS)
        return generator

    def _allows(self, record: IndexRecord) -> bool:
        v = self._visibility
        if record.firm_id != v.firm_id:
            return False
        return v.assigned_to is None or v.assigned_to in record.assignee_ids


@dataclasses.dataclass(frozen=True, slots=True)
class _Ranked:
    """A person-search hit before paging."""

    record: IndexRecord
    score: float
    text_score: float
    match: PersonMatch

    @property
    def document_id(self) -> str:
        return self.record.document_id

    def facet_values(self, facet: str) -> tuple[str, ...]:
        return _record_values(self.record, facet)

    def day(self, field: str) -> date | None:
        value: date | None = getattr(self.record, field)
        return value


# --- the backend -------------------------------------------------------------------------------

class TantivyIndex:
    """`SearchIndex` on a Tantivy folder: created if missing, reopened otherwise.

    One writer per folder and process, behind a lock; writes become visible at `refresh()`
    (commit + reload). Handles on the same folder share the writer.
    """

    def __init__(self, path: Path, *, writer_heap_bytes: int = WRITER_HEAP_BYTES,
                 writer_threads: int = WRITER_THREADS) -> None:
        self._path = Path(path)
        self._schema = build_schema()
        self._shared = _acquire(self._path, self._schema)
        self._index = self._shared.index
        self._analyzer = french_analyzer()
        self._heap = writer_heap_bytes
        self._threads = writer_threads
        self._closed = False

    # -- writes ----------------------------------------------------------------------------

    def _writer(self) -> tantivy.IndexWriter:
        """The folder's writer, created on first write (caller holds the lock)."""
        if self._closed:
            raise SearchUnavailable("the search index is closed")
        if self._shared.writer is None:
            try:
                self._shared.writer = self._index.writer(self._heap, self._threads)
            except ValueError as exc:  # another process holds the folder's writer lock
                raise SearchUnavailable(f"the search index is busy: {exc}") from exc
        return self._shared.writer

    def _term(self, field: str, value: str) -> Clause:
        return (Occur.Must, Query.term_query(self._schema, field, value))

    def _delete(self, writer: tantivy.IndexWriter, firm_id: str, *clauses: Clause) -> None:
        """Delete the firm's documents matching the clauses (the firm is always one of them)."""
        if not firm_id:
            raise ValueError("a firm is required")
        writer.delete_documents_by_query(
            Query.boolean_query([self._term("firm_id", firm_id), *clauses]))

    def upsert(self, records: Sequence[IndexRecord]) -> None:
        """Add or replace records (by firm and document_id)."""
        docs = [(r, _to_document(r)) for r in records]
        with self._shared.lock:
            writer = self._writer()
            for record, doc in docs:
                self._delete(writer, record.firm_id,
                             self._term("document_id", record.document_id))
                writer.add_document(doc)

    def delete_documents(self, firm_id: str, document_ids: Sequence[str]) -> None:
        """Remove documents of the firm; unknown ids and other firms' documents are untouched."""
        with self._shared.lock:
            writer = self._writer()
            for document_id in document_ids:
                self._delete(writer, firm_id, self._term("document_id", document_id))

    def replace_dossier(self, firm_id: str, dossier_id: str,
                        records: Sequence[IndexRecord]) -> None:
        """Make the dossier's records exactly `records` (visible together at the next refresh)."""
        for record in records:
            if record.firm_id != firm_id or record.dossier_id != dossier_id:
                raise ValueError("every record must belong to the dossier being replaced")
        docs = [_to_document(r) for r in records]
        with self._shared.lock:
            writer = self._writer()
            self._delete(writer, firm_id, self._term("dossier_id", dossier_id))
            for doc in docs:
                writer.add_document(doc)

    def delete_firm(self, firm_id: str) -> None:
        """Remove everything of the firm."""
        with self._shared.lock:
            self._delete(self._writer(), firm_id)

    def reindex(self, records: Iterable[IndexRecord], firm_id: str | None = None) -> int:
        """Replace the firm's records (all records when None) in one commit: the documents are
        built first, then the old ones deleted and the new added and committed together."""
        docs: list[tantivy.Document] = []
        for record in records:
            if firm_id is not None and record.firm_id != firm_id:
                raise ValueError(f"record {record.document_id} is not of firm {firm_id}")
            docs.append(_to_document(record))
        with self._shared.lock:
            writer = self._writer()
            if firm_id is None:
                writer.delete_documents_by_query(Query.all_query())
            else:
                self._delete(writer, firm_id)
            for doc in docs:
                writer.add_document(doc)
            writer.commit()
            self._index.reload()
        return len(docs)

    def refresh(self) -> None:
        """Commit pending writes and reload the searcher."""
        with self._shared.lock:
            if self._closed:
                raise SearchUnavailable("the search index is closed")
            if self._shared.writer is not None:
                self._shared.writer.commit()
            self._index.reload()

    def close(self) -> None:
        """Release this handle (the last one commits and frees the writer)."""
        if not self._closed:
            self._closed = True
            _release(self._path, self._shared)

    # -- search ----------------------------------------------------------------------------

    def search(self, visibility: Visibility, query: SearchQuery) -> SearchResult:
        """Search within what `visibility` allows (module docstring for the query language)."""
        query = interpret(query)
        if self._closed:
            raise SearchUnavailable("the search index is closed")
        if not 1 <= query.limit <= MAX_LIMIT:
            raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}")
        if len(query.text) > MAX_TEXT_CHARS:
            raise InvalidQuery("the search text is too long")
        fingerprint = query_fingerprint(query, visibility)
        offset = 0
        if query.cursor:
            position = decode_cursor(query.cursor, fingerprint)
            if position.search_after is not None:
                raise InvalidQuery("invalid cursor")
            offset = position.offset
            if offset > MAX_OFFSET:  # a forged cursor must not make Tantivy collect millions
                raise InvalidQuery("invalid cursor")
        # The scope is built before anything touches the searcher, and is all that does.
        scope = _Scope(self._index.searcher(), self._schema, visibility)
        text_query = self._text_query(query.text)
        common = self._common_filters(query, text_query)
        facet_filters = self._facet_filters(query)
        if query.person is not None:
            return self._person_search(scope, query, text_query, common, facet_filters,
                                       offset, fingerprint)
        clauses = [*common, *facet_filters.values()]
        facets = self._facets(scope, common, facet_filters) if query.facets else {}
        if query.group_by_dossier:
            return self._grouped(scope, query, clauses, text_query, facets, offset, fingerprint)
        total, page = self._ordered(scope, clauses, query, offset, query.limit)
        records = scope.records([addr for _, addr in page])
        highlight = self._highlighter(scope, text_query, query)
        hits = tuple(self._hit(r, score, highlight) for (score, _), r in zip(page, records,
                                                                             strict=True) if r)
        return SearchResult(total=total, hits=hits, facets=facets,
                            next_cursor=self._next(fingerprint, offset, query.limit, total))

    # -- query building --------------------------------------------------------------------

    def _text_query(self, text: str) -> Query | None:
        """All words (or quoted phrases) required, each in any text field; None when empty."""
        parts: list[Clause] = []
        for match in _QUERY_PART.finditer(strip_elisions(text)):
            raw = match.group(1) if match.group(1) is not None else match.group(2)
            positioned: list[tuple[int, str]] = []
            for position, word in enumerate(_WORD.findall(raw)):
                stems = self._analyzer.analyze(word)
                if stems:
                    positioned.append((position, stems[0]))
            if not positioned:
                continue
            first = positioned[0][0]
            terms: list[str | tuple[int, str]] = [(p - first, t) for p, t in positioned]
            per_field: list[Clause] = []
            for field, boost in TEXT_FIELDS:
                if len(positioned) == 1:
                    field_query = Query.term_query(self._schema, field, positioned[0][1])
                else:
                    field_query = Query.phrase_query(self._schema, field, terms)
                if boost != 1.0:
                    field_query = Query.boost_query(field_query, boost)
                per_field.append((Occur.Should, field_query))
            parts.append((Occur.Must, Query.boolean_query(per_field)))
        return Query.boolean_query(parts) if parts else None

    def _common_filters(self, query: SearchQuery, text_query: Query | None) -> list[Clause]:
        """Clauses of the text and the filters that are not facets."""
        clauses: list[Clause] = []
        if text_query is not None:
            clauses.append((Occur.Must, text_query))
        if query.siren is not None:
            clauses.append(self._term("siren", normalize_siren(query.siren)))
        if query.dossier_ids:
            clauses.append(self._any_of("dossier_id", query.dossier_ids))
        for field, bounds in (("document_date", query.document_date),
                              ("expiry_date", query.expiry_date)):
            if bounds is None or (bounds.start is None and bounds.end is None):
                continue
            try:
                lower = _as_datetime(bounds.start) if bounds.start else None
                upper = _as_datetime(bounds.end) if bounds.end else None
            except (ValueError, OverflowError):
                raise InvalidQuery(f"{field}: date out of range") from None
            clauses.append((Occur.Must, Query.range_query(
                self._schema, field, tantivy.FieldType.Date, lower, upper)))
        return clauses

    def _facet_filters(self, query: SearchQuery) -> dict[str, Clause]:
        """The filters on faceted fields, by facet name."""
        filters: dict[str, Clause] = {}
        for facet, values in (("doc_type", query.doc_types), ("risk_level", query.risk_levels),
                              ("alert_type", query.alert_types)):
            if values:
                filters[facet] = self._any_of(facet, values)
        return filters

    def _any_of(self, field: str, values: Sequence[str]) -> Clause:
        return (Occur.Must, Query.term_set_query(self._schema, field, list(values)))

    def _person_query(self, name: str) -> Query:
        """Candidates: any exact, phonetic or trigram key of the name (the ranker decides)."""
        keys = query_keys(name)
        should: list[Clause] = []
        for kind, boost in KEY_BOOSTS.items():
            for key in keys[kind]:
                term = Query.term_query(self._schema, f"person_{kind}", key)
                should.append((Occur.Should, Query.boost_query(term, boost)))
        if not should:
            raise InvalidQuery("the person's name has no letters")
        return Query.boolean_query(should)

    # -- result assembly -------------------------------------------------------------------

    def _facets(self, scope: _Scope, common: list[Clause],
                facet_filters: dict[str, Clause]) -> dict[str, dict[str, int]]:
        """Each facet counts documents matching the query and every filter but its own."""
        return {facet: scope.facet_counts(
                    [*common, *(c for f, c in facet_filters.items() if f != facet)], facet)
                for facet in FACETS}

    def _ordered(self, scope: _Scope, clauses: list[Clause], query: SearchQuery, offset: int,
                 limit: int) -> tuple[int, list[tuple[float, tantivy.DocAddress]]]:
        """A page in the requested order; by date, documents without one come last."""
        if query.sort is SortBy.RELEVANCE:
            return scope.search(clauses, limit, offset)
        field = query.sort.value
        has = [*clauses, (Occur.Must, Query.exists_query(field))]
        dated, page = scope.search(has, limit, offset, order_by=field,
                                   descending=query.descending)
        missing = [*clauses, (Occur.MustNot, Query.exists_query(field))]
        rest = limit - len(page)
        undated, tail = scope.search(missing, max(rest, 1), max(0, offset - dated))
        return dated + undated, page + (tail[:rest] if rest > 0 else [])

    def _grouped(self, scope: _Scope, query: SearchQuery, clauses: list[Clause],
                 text_query: Query | None, facets: dict[str, dict[str, int]], offset: int,
                 fingerprint: str) -> SearchResult:
        """Dossiers in the order of their best hit, each with its best `GROUP_HITS` hits."""
        _, every = self._ordered(scope, clauses, query, 0, SCAN_LIMIT)
        keys = scope.dossier_keys([addr for _, addr in every])
        by_dossier: dict[int, list[tuple[float, tantivy.DocAddress]]] = {}
        for key, hit in zip(keys, every, strict=True):
            by_dossier.setdefault(key, []).append(hit)
        groups = list(by_dossier.values())
        highlight = self._highlighter(scope, text_query, query)
        shown: list[DossierGroup] = []
        for members in groups[offset:offset + query.limit]:
            best = members[:GROUP_HITS]
            records = scope.records([addr for _, addr in best])
            hits = tuple(self._hit(r, score, highlight)
                         for (score, _), r in zip(best, records, strict=True) if r)
            if hits:
                shown.append(self._group(hits, records, len(members)))
        return SearchResult(total=len(groups), groups=tuple(shown), facets=facets,
                            next_cursor=self._next(fingerprint, offset, query.limit,
                                                   len(groups)))

    @staticmethod
    def _group(hits: tuple[Hit, ...], records: list[IndexRecord | None],
               total_hits: int) -> DossierGroup:
        first = next(r for r in records if r)
        return DossierGroup(dossier_id=first.dossier_id, client_name=first.client_name,
                            siren=first.siren, risk_level=first.risk_level, score=hits[0].score,
                            total_hits=total_hits, hits=hits)

    def _person_search(self, scope: _Scope, query: SearchQuery, text_query: Query | None,
                       common: list[Clause], facet_filters: dict[str, Clause], offset: int,
                       fingerprint: str) -> SearchResult:
        """Candidates from the name keys, re-ranked by `rank_person`; facet filters, facets,
        sorting and paging are applied to the ranked list."""
        assert query.person is not None
        candidates = [*common, (Occur.Must, self._person_query(query.person.name))]
        _, found = scope.search(candidates, PERSON_CANDIDATES)
        ranked: list[_Ranked] = []
        ranker = PersonRanker(query.person)
        for (score, _), record in zip(found, scope.records([a for _, a in found]), strict=True):
            if record is None:
                continue
            match = ranker.rank(record.persons)
            if match is not None:
                ranked.append(_Ranked(record, match.score, score, match))
        kept, facets = filter_and_order(ranked, query)
        highlight = self._highlighter(scope, text_query, query)
        if query.group_by_dossier:
            by_dossier: dict[str, list[_Ranked]] = {}
            for r in kept:
                by_dossier.setdefault(r.record.dossier_id, []).append(r)
            groups = list(by_dossier.values())
            shown = []
            for members in groups[offset:offset + query.limit]:
                hits = tuple(self._hit(m.record, m.score, highlight, m.match)
                             for m in members[:GROUP_HITS])
                shown.append(self._group(hits, [m.record for m in members], len(members)))
            return SearchResult(total=len(groups), groups=tuple(shown), facets=facets,
                                next_cursor=self._next(fingerprint, offset, query.limit,
                                                       len(groups)))
        page = kept[offset:offset + query.limit]
        hits = tuple(self._hit(r.record, r.score, highlight, r.match) for r in page)
        return SearchResult(total=len(kept), hits=hits, facets=facets,
                            next_cursor=self._next(fingerprint, offset, query.limit, len(kept)))

    def _highlighter(self, scope: _Scope, text_query: Query | None,
                     query: SearchQuery) -> Callable[[IndexRecord], tuple[str, ...]] | None:
        """A function giving a record's highlighted passages, None when there are none to give."""
        if text_query is None or not query.highlight:
            return None
        generator = scope.snippet_generator(text_query, self._schema)

        def passages(record: IndexRecord) -> tuple[str, ...]:
            doc = tantivy.Document()
            for page in record.pages:
                doc.add_text("pages", page)
            snippet = generator.snippet_from_doc(doc)
            ranges = [(r.start, r.end) for r in snippet.highlighted()]
            return (_marked(snippet.fragment(), ranges),) if ranges else ()
        return passages

    @staticmethod
    def _hit(record: IndexRecord, score: float,
             highlight: Callable[[IndexRecord], tuple[str, ...]] | None,
             match: PersonMatch | None = None) -> Hit:
        return Hit(document_id=record.document_id, dossier_id=record.dossier_id, score=score,
                   client_name=record.client_name, siren=record.siren,
                   doc_type=record.doc_type, file_name=record.file_name,
                   document_date=record.document_date, expiry_date=record.expiry_date,
                   risk_level=record.risk_level,
                   highlights=highlight(record) if highlight else (), person_match=match)

    @staticmethod
    def _next(fingerprint: str, offset: int, limit: int, total: int) -> str | None:
        end = offset + limit
        return encode_cursor(fingerprint, offset=end) if end < total else None


def _marked(fragment: str, ranges: list[tuple[int, int]]) -> str:
    """A fragment HTML-escaped, with <mark> around the (byte-offset) highlighted ranges."""
    raw = fragment.encode()
    out: list[str] = []
    at = 0
    for start, end in sorted(ranges):
        if start < at:
            continue
        out.append(html.escape(raw[at:start].decode(errors="replace")))
        out.append(f"<mark>{html.escape(raw[start:end].decode(errors='replace'))}</mark>")
        at = end
    out.append(html.escape(raw[at:].decode(errors="replace")))
    return "".join(out)


def _record_values(record: IndexRecord, facet: str) -> tuple[str, ...]:
    if facet == "doc_type":
        return (record.doc_type,)
    if facet == "risk_level":
        return (record.risk_level,) if record.risk_level else ()
    return tuple(dict.fromkeys(record.open_alert_types))
