"""Search: relevance on a judged query set, and indexing/query speed of the embedded engine
against a SQLite FTS5 baseline, on generated corpora of 10,000 and 100,000 documents.

- Corpus: `bench/search_corpus.py` (seeded; 20 firms, dossiers of 5-8 documents, French page
  text, French names, OCR slips). Judged queries: `bench/search_judgments.py` (about 55).
- Relevance per backend: precision@5 (relevant documents among the first 5, divided by
  min(5, number of relevant documents), so 1.0 is reachable when fewer than 5 are relevant)
  and MRR (1 / rank of the first relevant hit among the first 20). A hit from another firm, or
  from a dossier a collaborator is not assigned to, is a leak: the query scores 0. Isolation
  queries (the answer exists only elsewhere) score 1 without a leak, 0 with one. Filter queries
  also check `total`.
- Speed (embedded and FTS5, same corpus, same queries, same process): documents/s of a bulk
  upsert in batches of 1,000 plus the refresh (FTS5: 5,000-row transactions, then 'optimize');
  peak RSS during indexing (VmHWM after resetting it); query latency: every query once as
  warm-up, then 3 passes, each query's median, then p50/p95 across queries, for 100 filtered
  full-text queries (words or a phrase + document type, often a date range or a risk level) and
  100 person queries (as typed: no accents, reordered, one slip; 30 % with a birth date). All
  queries are firm-restricted, with the contract's defaults (20 hits, highlights, facets).
- The FTS5 baseline is written here, the way /work/shared/PERF.md §5 measured it: a `docs`
  table, an external-content fts5(unicode61 remove_diacritics 2) table (client name, text,
  person names, firm token), a trigram fts5 table over folded names; French words are not
  stemmed (as in PERF.md); `CROSS JOIN` keeps the full-text table the outer loop (else SQLite
  may pick the `docs` index and run the MATCH once per row); fuzzy names by expanding each
  word against the fts5vocab list (rapidfuzz OSA distance 1, or 2 from 6 letters) plus
  trigram substring matches, re-scored in Python.
- Elasticsearch: relevance only, when KANTA_TEST_ELASTICSEARCH_URL is set.

Run: `uv run python bench/bench_search.py [--docs 10000 100000] [--seed S]
[--backends embedded,fts5,elasticsearch] [--show-failures]`. Writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402
from rapidfuzz.distance import OSA  # noqa: E402

from bench.search_corpus import Corpus, fold, generate  # noqa: E402
from bench.search_judgments import Judgment, build_judgments, speed_queries  # noqa: E402
from indexers.contract import (  # noqa: E402
    FACETS,
    Hit,
    IndexRecord,
    PersonMatch,
    PersonRole,
    SearchQuery,
    SearchResult,
    SortBy,
    Visibility,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from indexers.contract import SearchIndex

RESULTS = Path(__file__).parent / "results"
TARGET_P95_MS = 50.0
BATCH = 1000
PASSES = 3


# ---------------------------------------------------------------------------------------------
# SQLite FTS5 baseline
# ---------------------------------------------------------------------------------------------

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"?|([^\s"]+)')
_FTS_WORD = re.compile(r"[^\W_]+")
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_CIVILITIES = {"m", "mme", "mlle", "monsieur", "madame", "mr", "dr", "me"}
_PARTICLES = {"de", "du", "des", "d", "le", "la", "les", "l"}


def _firm_token(firm_id: str) -> str:
    return "f" + firm_id.replace("-", "")


def _name_tokens(text: str) -> list[str]:
    return [t for t in _FTS_WORD.findall(fold(text)) if t not in _CIVILITIES]


def _entry_tokens(last: str, first: str, usage: str | None) -> list[str]:
    tokens = _name_tokens(f"{last} {first} {usage or ''}")
    surname = [t for t in _name_tokens(last) if t not in _CIVILITIES]
    if len(surname) > 1:  # "le gall" is also written "legall"; "de villeneuve" "villeneuve"
        tokens.append("".join(surname))
    return tokens


class Fts5Index:
    """A minimal FTS5 search index answering the contract's queries used by the bench."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db = self.db
        db.execute("PRAGMA page_size=8192")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA cache_size=-200000")
        db.executescript("""
            CREATE TABLE docs(id INTEGER PRIMARY KEY, document_id TEXT UNIQUE, firm TEXT,
                firm_tok TEXT, dossier_id TEXT, client_name TEXT, doc_type TEXT, file_name TEXT,
                siren TEXT, document_date TEXT, expiry_date TEXT, risk_level TEXT, alerts TEXT,
                assignees TEXT, persons TEXT, body TEXT, names TEXT, names_fold TEXT);
            CREATE INDEX docs_firm_type ON docs(firm, doc_type, expiry_date);
            CREATE INDEX docs_firm_siren ON docs(firm, siren);
            CREATE INDEX docs_firm_date ON docs(firm, document_date);
            CREATE VIRTUAL TABLE docs_fts USING fts5(client_name, body, names, firm_tok,
                content='docs', content_rowid='id', tokenize="unicode61 remove_diacritics 2");
            CREATE VIRTUAL TABLE names_tri USING fts5(names_fold, content='docs',
                content_rowid='id', tokenize='trigram');
            CREATE VIRTUAL TABLE docs_vocab USING fts5vocab(docs_fts, 'col');
            CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
              INSERT INTO docs_fts(rowid, client_name, body, names, firm_tok)
                VALUES (new.id, new.client_name, new.body, new.names, new.firm_tok);
              INSERT INTO names_tri(rowid, names_fold) VALUES (new.id, new.names_fold);
            END;
            CREATE TRIGGER docs_ad AFTER DELETE ON docs BEGIN
              INSERT INTO docs_fts(docs_fts, rowid, client_name, body, names, firm_tok)
                VALUES ('delete', old.id, old.client_name, old.body, old.names, old.firm_tok);
              INSERT INTO names_tri(names_tri, rowid, names_fold)
                VALUES ('delete', old.id, old.names_fold);
            END;
        """)
        self.vocab: list[str] = []
        self.dirty = False

    # -- writes ---------------------------------------------------------------------------
    def upsert(self, records: Sequence[IndexRecord]) -> None:
        rows = []
        for r in records:
            persons = [[e.role.value, e.last_name, e.first_names,
                        e.birth_date.isoformat() if e.birth_date else None, e.usage_name]
                       for e in r.persons]
            names = " ; ".join(f"{e.last_name} {e.first_names} {e.usage_name or ''}"
                               for e in r.persons)
            folded = " ; ".join(" ".join(_entry_tokens(e.last_name, e.first_names,
                                                       e.usage_name)) for e in r.persons)
            rows.append((r.document_id, r.firm_id, _firm_token(r.firm_id), r.dossier_id,
                         r.client_name, r.doc_type, r.file_name, r.siren,
                         r.document_date.isoformat() if r.document_date else None,
                         r.expiry_date.isoformat() if r.expiry_date else None, r.risk_level,
                         " ".join(r.open_alert_types), " ".join(r.assignee_ids),
                         json.dumps(persons), "\n".join(r.pages), names, folded))
        db = self.db
        for i in range(0, len(rows), 5000):
            chunk = rows[i:i + 5000]
            db.execute("BEGIN")
            db.executemany("DELETE FROM docs WHERE document_id = ?", [(c[0],) for c in chunk])
            db.executemany("INSERT INTO docs(document_id, firm, firm_tok, dossier_id, "
                           "client_name, doc_type, file_name, siren, document_date, "
                           "expiry_date, risk_level, alerts, assignees, persons, body, names, "
                           "names_fold) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", chunk)
            db.execute("COMMIT")
        self.dirty = True

    def refresh(self) -> None:
        if self.dirty:
            self.db.execute("INSERT INTO docs_fts(docs_fts) VALUES('optimize')")
            self.db.execute("INSERT INTO names_tri(names_tri) VALUES('optimize')")
            self.vocab = [t for (t,) in self.db.execute(
                "SELECT term FROM docs_vocab WHERE col = 'names'")]
            self.dirty = False

    def close(self) -> None:
        self.db.close()

    # -- queries --------------------------------------------------------------------------
    @staticmethod
    def _match_text(text: str) -> str | None:
        parts = []
        for m in _PHRASE_OR_WORD.finditer(_ELISION.sub(" ", text)):
            raw = m.group(1) if m.group(1) is not None else m.group(2)
            words = _FTS_WORD.findall(raw)
            if words:
                parts.append('"' + " ".join(words) + '"')
        return " AND ".join(parts) if parts else None

    @staticmethod
    def _filters(visibility: Visibility, q: SearchQuery) -> tuple[str, list[Any]]:
        where = ["d.firm = ?"]
        args: list[Any] = [visibility.firm_id]
        if visibility.assigned_to:
            where.append("(' ' || d.assignees || ' ') LIKE ?")
            args.append(f"% {visibility.assigned_to} %")
        if q.siren:
            where.append("d.siren = ?")
            args.append(re.sub(r"\D", "", q.siren)[:9])
        for column, values in (("doc_type", q.doc_types), ("dossier_id", q.dossier_ids),
                               ("risk_level", q.risk_levels)):
            if values:
                where.append(f"d.{column} IN ({','.join('?' * len(values))})")
                args += list(values)
        if q.alert_types:
            where.append("(" + " OR ".join("(' ' || d.alerts || ' ') LIKE ?"
                                            for _ in q.alert_types) + ")")
            args += [f"% {a} %" for a in q.alert_types]
        for column, bounds in (("document_date", q.document_date),
                               ("expiry_date", q.expiry_date)):
            if bounds and bounds.start:
                where.append(f"d.{column} >= ?")
                args.append(bounds.start.isoformat())
            if bounds and bounds.end:
                where.append(f"d.{column} <= ?")
                args.append(bounds.end.isoformat())
        return " AND ".join(where), args

    def _facets(self, source: str, where: str, args: list[Any]) -> tuple[int, dict[str, dict[
            str, int]]]:
        facets: dict[str, dict[str, int]] = {f: {} for f in FACETS}
        total = 0
        for doc_type, risk, alerts, n in self.db.execute(
                f"SELECT d.doc_type, d.risk_level, d.alerts, count(*) FROM {source} "
                f"WHERE {where} GROUP BY 1, 2, 3", args):
            total += n
            facets["doc_type"][doc_type] = facets["doc_type"].get(doc_type, 0) + n
            if risk:
                facets["risk_level"][risk] = facets["risk_level"].get(risk, 0) + n
            for a in (alerts or "").split():
                facets["alert_type"][a] = facets["alert_type"].get(a, 0) + n
        return total, facets

    _COLUMNS = ("d.document_id, d.dossier_id, d.client_name, d.siren, d.doc_type, d.file_name, "
                "d.document_date, d.expiry_date, d.risk_level")

    @staticmethod
    def _hit(row: Sequence[Any], score: float, highlights: tuple[str, ...] = (),
             match: PersonMatch | None = None) -> Hit:
        return Hit(document_id=row[0], dossier_id=row[1], score=score, client_name=row[2],
                   siren=row[3], doc_type=row[4], file_name=row[5],
                   document_date=date.fromisoformat(row[6]) if row[6] else None,
                   expiry_date=date.fromisoformat(row[7]) if row[7] else None,
                   risk_level=row[8], highlights=highlights, person_match=match)

    def search(self, visibility: Visibility, q: SearchQuery) -> SearchResult:
        where, args = self._filters(visibility, q)
        if q.person is not None:
            return self._person(visibility, q, where, args)
        match = self._match_text(q.text) if q.text.strip() else None
        order = {SortBy.RELEVANCE: "f.rank" if match else "d.document_date DESC",
                 SortBy.DOCUMENT_DATE: "d.document_date", SortBy.EXPIRY_DATE: "d.expiry_date"}
        order_by = order[q.sort]
        if q.sort is not SortBy.RELEVANCE:
            order_by += " DESC" if q.descending else " ASC"
        if match:
            fts = f'firm_tok:"{_firm_token(visibility.firm_id)}" AND {{client_name body}}: ' \
                  f"({match})"
            source = "docs_fts f CROSS JOIN docs d ON d.id = f.rowid"
            where = f"docs_fts MATCH ? AND {where}"
            args = [fts, *args]
            snippet = ("snippet(docs_fts, 1, '<mark>', '</mark>', '…', 12)" if q.highlight
                       else "''")
        else:
            source, snippet = "docs d", "''"
        total, facets = self._facets(source, where, args)
        rows = self.db.execute(f"SELECT {self._COLUMNS}, {snippet} FROM {source} WHERE {where} "
                               f"ORDER BY {order_by} LIMIT ?", [*args, q.limit]).fetchall()
        hits = tuple(self._hit(r, float(q.limit - i), (r[9],) if r[9] else ())
                     for i, r in enumerate(rows))
        return SearchResult(total=total, hits=hits, facets=facets if q.facets else {})

    def _person(self, visibility: Visibility, q: SearchQuery, where: str,
                args: list[Any]) -> SearchResult:
        assert q.person is not None
        tokens = [t for t in _name_tokens(q.person.name) if len(t) > 1]
        terms: set[str] = set()
        for t in tokens:
            if t in _PARTICLES:
                continue
            limit = 1 if len(t) <= 5 else 2
            terms.update(m for m, _, _ in process.extract(
                t, self.vocab, scorer=OSA.distance, score_cutoff=limit, limit=None))
            terms.add(t)
        candidates: dict[int, None] = {}
        if terms:
            fts = (f'firm_tok:"{_firm_token(visibility.firm_id)}" AND names: ('
                   + " OR ".join(f'"{t}"' for t in sorted(terms)) + ")")
            for (rowid,) in self.db.execute(
                    "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ? ORDER BY rank LIMIT 500",
                    [fts]):
                candidates[rowid] = None
        for t in tokens:
            if len(t) >= 5:
                for (rowid,) in self.db.execute(
                        "SELECT t.rowid FROM names_tri t CROSS JOIN docs d ON d.id = t.rowid "
                        "WHERE names_tri MATCH ? AND d.firm = ? LIMIT 500",
                        [f'"{t}"', visibility.firm_id]):
                    candidates[rowid] = None
        if not candidates:
            return SearchResult(total=0, facets={f: {} for f in FACETS} if q.facets else {})
        ids = list(candidates)
        rows = self.db.execute(
            f"SELECT {self._COLUMNS}, d.persons, d.alerts FROM docs d WHERE {where} AND d.id IN "
            f"({','.join('?' * len(ids))})", [*args, *ids]).fetchall()
        scored: list[tuple[float, Sequence[Any], PersonMatch]] = []
        for row in rows:
            best: PersonMatch | None = None
            for role, last, first, birth, usage in json.loads(row[9]):
                etoks = _entry_tokens(last, first, usage)
                if not etoks:
                    continue
                sims = [max(fuzz.ratio(t, e) for e in etoks) / 100 for t in tokens]
                score = sum(sims) / len(sims) if sims else 0.0
                if q.person.birth_date and birth:
                    score += 0.2 if birth == q.person.birth_date.isoformat() else -0.3
                if best is None or score > best.score:
                    best = PersonMatch(last, first, date.fromisoformat(birth) if birth else None,
                                       PersonRole(role), score, ())
            if best is not None and best.score >= 0.8:
                scored.append((best.score, row, best))
        scored.sort(key=lambda s: (-s[0], s[1][0]))
        facets: dict[str, dict[str, int]] = {f: {} for f in FACETS}
        if q.facets:
            for _, row, _ in scored:
                for facet, values in (("doc_type", [row[4]]), ("risk_level", [row[8]]),
                                      ("alert_type", (row[10] or "").split())):
                    for v in values:
                        if v:
                            facets[facet][v] = facets[facet].get(v, 0) + 1
        hits = tuple(self._hit(row, s, (), m) for s, row, m in scored[:q.limit])
        return SearchResult(total=len(scored), hits=hits, facets=facets if q.facets else {})


# ---------------------------------------------------------------------------------------------
# measurement helpers
# ---------------------------------------------------------------------------------------------


def _proc_status(key: str) -> float:
    """A /proc/self/status memory value in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak_rss() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def index_corpus(index: SearchIndex | Fts5Index, records: Sequence[IndexRecord]) -> dict[
        str, float]:
    gc.collect()
    rss_before = _proc_status("VmRSS")
    _reset_peak_rss()
    load = _load()
    start = time.perf_counter()
    cpu = time.process_time()
    for i in range(0, len(records), BATCH):
        index.upsert(records[i:i + BATCH])
    index.refresh()
    wall = time.perf_counter() - start
    return {"documents": len(records), "seconds": round(wall, 2),
            "docs_per_s": round(len(records) / wall, 1),
            "cpu_s": round(time.process_time() - cpu, 2),
            "rss_before_mb": round(rss_before, 1),
            "peak_rss_mb": round(_proc_status("VmHWM"), 1),
            "peak_rss_growth_mb": round(_proc_status("VmHWM") - rss_before, 1),
            "load_avg_1m_before": load, "load_avg_1m_after": _load()}


def _leaks(corpus: Corpus, visibility: Visibility, hits: Sequence[Hit]) -> list[str]:
    out = []
    for h in hits:
        r = corpus.by_id.get(h.document_id)
        if r is None or r.firm_id != visibility.firm_id or (
                visibility.assigned_to and visibility.assigned_to not in r.assignee_ids):
            out.append(h.document_id)
    return out


def judge(corpus: Corpus, index: SearchIndex | Fts5Index,
          judgments: Sequence[Judgment]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for j in judgments:
        error = None
        try:
            result = index.search(j.visibility, j.query)
            hits = list(result.hits)
            total: int | None = result.total
        except Exception as e:  # noqa: BLE001 - a crash is a finding
            hits, total, error = [], None, f"{type(e).__name__}: {e}"
        leaks = _leaks(corpus, j.visibility, hits)
        ids = [h.document_id for h in hits]
        if j.kind == "isolation":
            p5 = rr = 0.0 if (leaks or error) else 1.0
        else:
            top = ids[:5]
            p5 = (sum(1 for x in top if x in j.relevant) / min(5, len(j.relevant))
                  if j.relevant else (1.0 if not ids else 0.0))
            rank = next((i for i, x in enumerate(ids) if x in j.relevant), None)
            rr = 1.0 / (rank + 1) if rank is not None else (0.0 if j.relevant else p5)
            if leaks or error:
                p5 = rr = 0.0
        total_ok = None if j.expected_total is None else total == j.expected_total
        top3 = []
        for h in hits[:3]:
            r = corpus.by_id.get(h.document_id)
            who = ""
            if h.person_match:
                who = f" [{h.person_match.last_name} {h.person_match.first_names} " \
                      f"{h.person_match.birth_date or ''}]"
            elif r and r.persons:
                who = f" [{r.persons[0].last_name} {r.persons[0].first_names}]"
            mark = "+" if h.document_id in j.relevant else "-"
            top3.append(f"{mark}{h.doc_type}:{h.client_name}{who}")
        rows.append({"qid": j.qid, "kind": j.kind, "note": j.note, "p_at_5": round(p5, 3),
                     "rr": round(rr, 3), "relevant": len(j.relevant), "total": total,
                     "expected_total": j.expected_total, "total_ok": total_ok,
                     "leaks": len(leaks), "error": error, "top3": top3})
    kinds: dict[str, dict[str, float]] = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        kinds[kind] = {"n": len(mine),
                       "p_at_5": round(statistics.fmean(r["p_at_5"] for r in mine), 3),
                       "mrr": round(statistics.fmean(r["rr"] for r in mine), 3)}
    totals = [r["total_ok"] for r in rows if r["total_ok"] is not None]
    return {"queries": len(rows),
            "p_at_5": round(statistics.fmean(r["p_at_5"] for r in rows), 3),
            "mrr": round(statistics.fmean(r["rr"] for r in rows), 3),
            "leaks": sum(r["leaks"] for r in rows),
            "errors": sum(1 for r in rows if r["error"]),
            "filter_totals_ok": f"{sum(totals)}/{len(totals)}",
            "by_kind": kinds, "per_query": rows}


def latency(index: SearchIndex | Fts5Index,
            queries: dict[str, list[tuple[Visibility, SearchQuery]]]) -> dict[str, Any]:
    out: dict[str, Any] = {"load_avg_1m_before": _load()}
    for kind, qs in queries.items():
        errors = 0
        for vis, q in qs:  # warm-up
            try:
                index.search(vis, q)
            except Exception:  # noqa: BLE001
                errors += 1
        times: list[list[float]] = [[] for _ in qs]
        hits: list[int] = [0] * len(qs)
        for _ in range(PASSES):
            for i, (vis, q) in enumerate(qs):
                start = time.perf_counter()
                with contextlib.suppress(Exception):
                    hits[i] = index.search(vis, q).total
                times[i].append((time.perf_counter() - start) * 1000)
        medians = np.array([statistics.median(t) for t in times])
        out[kind] = {"queries": len(qs), "p50_ms": round(float(np.percentile(medians, 50)), 2),
                     "p95_ms": round(float(np.percentile(medians, 95)), 2),
                     "max_ms": round(float(medians.max()), 2),
                     "mean_total_hits": round(statistics.fmean(hits), 1), "errors": errors}
    out["load_avg_1m_after"] = _load()
    return out


# ---------------------------------------------------------------------------------------------
# backends
# ---------------------------------------------------------------------------------------------


def _open(backend: str, workdir: Path, n: int, seed: int) -> tuple[Any, str | None]:
    """(index, None) or (None, why it was skipped)."""
    if backend == "fts5":
        return Fts5Index(workdir / "fts5.db"), None
    if backend == "embedded":
        try:
            from indexers.tantivy_index import TantivyIndex
        except ImportError as e:
            return None, f"indexers.tantivy_index not importable: {e}"
        return TantivyIndex(workdir / "tantivy"), None
    if backend == "elasticsearch":
        url = os.environ.get("KANTA_TEST_ELASTICSEARCH_URL")
        if not url:
            return None, "KANTA_TEST_ELASTICSEARCH_URL is not set (no Elasticsearch server)"
        try:
            from indexers.es_index import ElasticsearchIndex
        except ImportError as e:
            return None, f"indexers.es_index not importable: {e}"
        return ElasticsearchIndex(url, index_prefix=f"kanta-bench-search-{seed}-{n}"), None
    return None, f"unknown backend {backend!r}"


def _drop_es(n: int, seed: int) -> None:
    url = os.environ.get("KANTA_TEST_ELASTICSEARCH_URL")
    if not url:
        return
    try:
        from elasticsearch import Elasticsearch

        client = Elasticsearch(url)
        names = list(client.indices.get(index=f"kanta-bench-search-{seed}-{n}*").keys())
        for name in names:
            client.indices.delete(index=name)
        client.close()
    except Exception as e:  # noqa: BLE001 - cleanup only
        print(f"  (could not delete the bench indices: {e})")


def run_size(n: int, seed: int, backends: list[str], show_failures: bool) -> dict[str, Any]:
    print(f"\n=== {n:,} documents (seed {seed}) ===")
    corpus = generate(n, seed)
    chars = sum(len(p) for r in corpus.records for p in r.pages)
    print(f"corpus: {len(corpus.dossiers):,} dossiers, {len(corpus.persons):,} persons, "
          f"{chars / 1e6:.0f} M characters, generated in {corpus.seconds:.1f} s")
    judgments = build_judgments(corpus)
    speed = speed_queries(corpus)
    print(f"{len(judgments)} judged queries; latency mixes: "
          + ", ".join(f"{k} {len(v)}" for k, v in speed.items()))
    report: dict[str, Any] = {"corpus": {
        "documents": n, "dossiers": len(corpus.dossiers), "persons": len(corpus.persons),
        "firms": len(corpus.firm_ids), "text_mb": round(chars / 1e6, 1),
        "generate_s": round(corpus.seconds, 1), "judged_queries": len(judgments)}}
    out: dict[str, Any] = {}
    for backend in backends:
        workdir = Path(tempfile.mkdtemp(prefix=f"kanta-bench-search-{backend}-"))
        index, skipped = _open(backend, workdir, n, seed)
        if index is None:
            print(f"[{backend}] skipped: {skipped}")
            out[backend] = {"skipped": skipped}
            shutil.rmtree(workdir, ignore_errors=True)
            continue
        try:
            print(f"[{backend}] indexing…", flush=True)
            stats = index_corpus(index, corpus.records)
            if backend != "elasticsearch":
                stats["on_disk_mb"] = round(_dir_mb(workdir), 1)
            print(f"[{backend}] {stats['docs_per_s']:,.0f} docs/s ({stats['seconds']} s), "
                  f"peak RSS {stats['peak_rss_mb']:.0f} MB (+{stats['peak_rss_growth_mb']:.0f})"
                  f", load {stats['load_avg_1m_before']}→{stats['load_avg_1m_after']}",
                  flush=True)
            rel = judge(corpus, index, judgments)
            print(f"[{backend}] relevance: P@5 {rel['p_at_5']:.3f}  MRR {rel['mrr']:.3f}  "
                  f"leaks {rel['leaks']}  errors {rel['errors']}  filter totals "
                  f"{rel['filter_totals_ok']}", flush=True)
            entry: dict[str, Any] = {"index": stats, "relevance": rel}
            if backend in ("embedded", "fts5"):
                entry["latency"] = latency(index, speed)
                lat = entry["latency"]
                print(f"[{backend}] latency: " + "; ".join(
                    f"{k} p50 {lat[k]['p50_ms']} / p95 {lat[k]['p95_ms']} ms"
                    for k in speed), flush=True)
            out[backend] = entry
            if show_failures:
                _print_failures(backend, rel)
        finally:
            index.close()
            shutil.rmtree(workdir, ignore_errors=True)
            if backend == "elasticsearch":
                _drop_es(n, seed)
            gc.collect()
    report["backends"] = out
    emb, fts = out.get("embedded", {}), out.get("fts5", {})
    if "index" in emb and "index" in fts:
        ratios: dict[str, float] = {
            "docs_per_s": round(emb["index"]["docs_per_s"] / fts["index"]["docs_per_s"], 2)}
        for kind in speed:
            for p in ("p50_ms", "p95_ms"):
                ratios[f"{kind}_{p}"] = round(
                    emb["latency"][kind][p] / max(fts["latency"][kind][p], 1e-6), 2)
        report["ratios_embedded_over_fts5"] = ratios
    return report


def _print_failures(backend: str, rel: dict[str, Any]) -> None:
    bad = [r for r in rel["per_query"] if r["p_at_5"] < 1 or r["rr"] < 1 or r["leaks"]
           or r["error"] or r["total_ok"] is False]
    print(f"[{backend}] {len(bad)} queries below 1.0:")
    for r in bad:
        total = f" total {r['total']}/{r['expected_total']}" if r["total_ok"] is False else ""
        extra = f" LEAKS {r['leaks']}" if r["leaks"] else ""
        extra += f" ERROR {r['error']}" if r["error"] else ""
        print(f"   {r['qid']:18} P@5 {r['p_at_5']:.2f} RR {r['rr']:.2f} rel {r['relevant']:3d}"
              f"{total}{extra}  {r['note']}")
        for t in r["top3"]:
            print(f"   {'':18} {t}")


def _print_table(sizes: dict[str, Any]) -> None:
    print("\n" + "=" * 100)
    print(f"{'docs':>8} {'backend':14} {'P@5':>6} {'MRR':>6} {'leaks':>5} {'docs/s':>8} "
          f"{'peakRSS':>8} {'text p50':>9} {'text p95':>9} {'pers p50':>9} {'pers p95':>9}")
    for n, rep in sizes.items():
        for backend, e in rep["backends"].items():
            if "skipped" in e:
                print(f"{n:>8} {backend:14} skipped: {e['skipped']}")
                continue
            lat = e.get("latency", {})
            t, p = lat.get("filtered_text", {}), lat.get("person", {})

            def ms(d: dict[str, Any], k: str) -> str:
                return f"{d[k]:.2f}" if k in d else "-"

            print(f"{n:>8} {backend:14} {e['relevance']['p_at_5']:6.3f} "
                  f"{e['relevance']['mrr']:6.3f} {e['relevance']['leaks']:5d} "
                  f"{e['index']['docs_per_s']:8.0f} {e['index']['peak_rss_mb']:7.0f}M "
                  f"{ms(t, 'p50_ms'):>9} {ms(t, 'p95_ms'):>9} {ms(p, 'p50_ms'):>9} "
                  f"{ms(p, 'p95_ms'):>9}")
        if "ratios_embedded_over_fts5" in rep:
            r = rep["ratios_embedded_over_fts5"]
            print(f"{'':8} embedded/FTS5: docs/s ×{r['docs_per_s']}, filtered text p50 "
                  f"×{r['filtered_text_p50_ms']} p95 ×{r['filtered_text_p95_ms']}, person p50 "
                  f"×{r['person_p50_ms']} p95 ×{r['person_p95_ms']}")
        emb = rep["backends"].get("embedded", {})
        if "latency" in emb:
            ok = all(emb["latency"][k]["p95_ms"] < TARGET_P95_MS
                     for k in ("filtered_text", "person"))
            print(f"{'':8} target p95 < {TARGET_P95_MS:.0f} ms (filtered text and person): "
                  f"{'met' if ok else 'NOT met'}")
    print("\nRelevance by kind (P@5 / MRR):")
    for n, rep in sizes.items():
        names = [b for b, e in rep["backends"].items() if "relevance" in e]
        if not names:
            continue
        kinds = rep["backends"][names[0]]["relevance"]["by_kind"]
        print(f"  {n} docs: {'kind':18} " + " ".join(f"{b:>16}" for b in names))
        for kind, v in kinds.items():
            cells = []
            for b in names:
                k = rep["backends"][b]["relevance"]["by_kind"][kind]
                cells.append(f"{k['p_at_5']:.2f} / {k['mrr']:.2f}".rjust(16))
            print(f"  {'':{len(str(n)) + 6}}{kind:18} {v['n']:>2}q " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", default="embedded,fts5,elasticsearch")
    parser.add_argument("--show-failures", action="store_true",
                        help="list the judged queries below 1.0 with their top hits")
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    sizes: dict[str, Any] = {}
    for n in args.docs:
        sizes[str(n)] = run_size(n, args.seed, backends, args.show_failures)
    _print_table(sizes)
    import tantivy

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "sqlite": sqlite3.sqlite_version, "tantivy": getattr(
                        tantivy, "__version__", "?"), "note": "shared 2-core machine; other "
                    "jobs (tests of other helpers) ran concurrently: see load_avg fields"},
        "target_p95_ms": TARGET_P95_MS, "sizes": sizes,
    }  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(report, indent=2, ensure_ascii=False,
                                                    default=str))
    print(f"\nwrote {RESULTS / 'search.json'}")


if __name__ == "__main__":
    main()
