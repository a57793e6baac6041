"""The daily expiry scan's time over many stored documents, against full-scan baselines.

Fills a fresh database (a throwaway PostgreSQL schema, or an SQLite file) with N documents over
F firms (seeded: same rows for the same seed), then times the two queries of the daily scan for
every firm, through the repository (`kanta_docs.store.repositories`):
  - expiring: dossiers with a document whose effective expiry falls in the next 30 days;
  - kbis: dossiers whose newest Kbis crossed the 3-month line since yesterday (and, as a
    heavier variant, every dossier whose newest Kbis is older than 3 months).
Baselines in the same process, on the same rows: (1) the same queries with index scans
disabled (PostgreSQL only: `enable_indexscan/bitmapscan/indexonlyscan = off`), (2) reading
every row into Python and filtering there. Results must match; each time is the median of
`--repeat` runs after one warm-up. Writes JSON to bench/results/expiry_scan.json.

Run: `uv run python bench/bench_expiry_scan.py --engine postgres --rows 1000000`
     `uv run python bench/bench_expiry_scan.py --engine sqlite --rows 200000`
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg  # noqa: E402
from sqlalchemy import Engine, insert, select, text  # noqa: E402

from kanta_docs.store.db import make_engine, session_factory, upgrade  # noqa: E402
from kanta_docs.store.repositories import (  # noqa: E402
    all_firms_expiring_dossiers,
    all_firms_outdated_kbis_dossiers,
)
from kanta_docs.store.tables import Document, Dossier, Firm  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sqlalchemy.orm import Session

RESULTS = Path(__file__).parent / "results"
TODAY = date(2026, 11, 26)
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
KBIS_MAX_AGE = timedelta(days=92)  # a Kbis extract older than 3 months is outdated
DOCS_PER_DOSSIER = 8
# (doc_type, share, validity in days or None): identity documents expire, Kbis "expire" 3 months
# after their date, statuts and RBE extracts do not.
TYPES = [("id_card", 0.30, 15 * 365), ("passport", 0.10, 10 * 365),
         ("residence_permit", 0.05, 5 * 365), ("kbis", 0.25, 92), ("rbe", 0.15, None),
         ("statuts", 0.15, None)]
COLUMNS = ["id", "firm_id", "dossier_id", "sha256", "file_name", "size", "content_type", "state",
           "state_since", "attempts", "doc_type", "document_date", "expiry_date",
           "effective_expiry_date", "created_at"]


def _doc_rows(rows: int, dossiers: list[tuple[uuid.UUID, uuid.UUID]],
              rng: random.Random) -> Iterator[tuple[Any, ...]]:
    weights = [t[1] for t in TYPES]
    for n in range(rows):
        firm_id, dossier_id = dossiers[n % len(dossiers)]
        doc_type, _, validity = rng.choices(TYPES, weights)[0]
        doc_date = TODAY - timedelta(days=rng.randrange(0, 6 * 365))
        expiry = doc_date + timedelta(days=validity) if validity else None
        yield (uuid.UUID(int=rng.getrandbits(128), version=4), firm_id, dossier_id,
               f"{n:064x}", "f.pdf", 100_000, "application/pdf", "processed", NOW, 1, doc_type,
               doc_date, expiry, expiry, NOW)


def _fill(engine: Engine, rows: int, firms: int, seed: int) -> None:
    rng = random.Random(seed)
    n_dossiers = max(1, rows // DOCS_PER_DOSSIER)
    make = session_factory(engine)
    with make() as s:
        firm_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(firms)]
        s.execute(insert(Firm), [{"id": f, "name": f"Cabinet {i}", "settings": {},
                                  "created_at": NOW} for i, f in enumerate(firm_ids)])
        dossiers = [(firm_ids[i % firms], uuid.UUID(int=rng.getrandbits(128), version=4))
                    for i in range(n_dossiers)]
        for start in range(0, n_dossiers, 20_000):
            s.execute(insert(Dossier), [
                {"id": d, "firm_id": f, "siren": f"{i:09d}", "name": f"Client {i}",
                 "created_at": NOW, "updated_at": NOW}
                for i, (f, d) in enumerate(dossiers[start:start + 20_000], start)])
        s.commit()
    docs = _doc_rows(rows, dossiers, rng)
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY documents ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in docs:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    else:
        batch: list[dict[str, Any]] = []
        with engine.begin() as conn:
            for row in docs:
                batch.append(dict(zip(COLUMNS, row, strict=True)))
                if len(batch) == 50_000:
                    conn.execute(insert(Document), batch)
                    batch.clear()
            if batch:
                conn.execute(insert(Document), batch)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


def _queries(session: Session) -> dict[str, Callable[[], list[tuple[uuid.UUID, uuid.UUID]]]]:
    cutoff = TODAY - KBIS_MAX_AGE
    return {
        "expiring_30d": lambda: sorted(all_firms_expiring_dossiers(
            session, TODAY, TODAY + timedelta(days=30))),
        "kbis_crossed_today": lambda: sorted(all_firms_outdated_kbis_dossiers(
            session, cutoff, since=cutoff - timedelta(days=1))),
        "kbis_all_outdated": lambda: sorted(all_firms_outdated_kbis_dossiers(session, cutoff)),
    }


def _time_each(session: Session, repeat: int) -> tuple[dict[str, float], dict[str, Any]]:
    times, results = {}, {}
    for name, fn in _queries(session).items():
        times[name], results[name] = _timed(fn, repeat)
    return times, results


def _python_scan(session: Session) -> dict[str, list[tuple[uuid.UUID, uuid.UUID]]]:
    cutoff, since, horizon = TODAY - KBIS_MAX_AGE, TODAY - KBIS_MAX_AGE - timedelta(days=1), \
        TODAY + timedelta(days=30)
    expiring: set[tuple[uuid.UUID, uuid.UUID]] = set()
    newest_kbis: dict[tuple[uuid.UUID, uuid.UUID], date] = {}
    query = select(Document.firm_id, Document.dossier_id, Document.doc_type,
                   Document.document_date, Document.effective_expiry_date)
    for firm_id, dossier_id, doc_type, doc_date, eff in session.execute(
            query.execution_options(yield_per=50_000)):
        if eff is not None and TODAY <= eff <= horizon:
            expiring.add((firm_id, dossier_id))
        if doc_type == "kbis" and doc_date is not None:
            key = (firm_id, dossier_id)
            if key not in newest_kbis or doc_date > newest_kbis[key]:
                newest_kbis[key] = doc_date
    return {
        "expiring_30d": sorted(expiring),
        "kbis_crossed_today": sorted(k for k, d in newest_kbis.items() if since <= d < cutoff),
        "kbis_all_outdated": sorted(k for k, d in newest_kbis.items() if d < cutoff),
    }


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = fn()  # warm-up (cache, plan)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


@contextmanager
def _database(engine_name: str, url: str | None, keep: bool) -> Iterator[Engine]:
    if engine_name == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            try:
                yield engine
            finally:
                engine.dispose()
        return
    base = url or os.environ.get("KANTA_TEST_DATABASE_URL",
                                 "postgresql://postgres@127.0.0.1:5432/test")
    schema = f"bench_expiry_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(f"{base}{'&' if '?' in base else '?'}"
                         f"options={quote(f'-csearch_path={schema}')}")
    try:
        yield engine
    finally:
        engine.dispose()
        if not keep:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        else:
            print(f"kept schema {schema}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--firms", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", help="PostgreSQL URL (default: KANTA_TEST_DATABASE_URL)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    args = parser.parse_args()

    with _database(args.engine, args.url, args.keep) as engine:
        upgrade(engine)
        start = time.perf_counter()
        _fill(engine, args.rows, args.firms, args.seed)
        fill_s = time.perf_counter() - start
        print(f"{args.engine}: {args.rows:,} documents, {args.firms} firms, "
              f"{args.rows // DOCS_PER_DOSSIER:,} dossiers, filled in {fill_s:.1f} s")
        make = session_factory(engine)
        with make() as s:
            indexed, found = _time_each(s, args.repeat)
        with make() as s:
            python_s, by_python = _timed(lambda: _python_scan(s), max(1, args.repeat // 2))
        assert found == by_python, "the indexed scan and the Python scan disagree"
        no_index: dict[str, float] | None = None
        if engine.dialect.name == "postgresql":
            with make() as s:
                for knob in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                    s.execute(text(f"SET {knob} = off"))
                no_index, without = _time_each(s, max(1, args.repeat // 2))
                assert without == found
        counts = {k: len(v) for k, v in found.items()}

    print(f"dossiers found: {counts}")
    print(f"{'query (all ' + str(args.firms) + ' firms)':<24} {'indexed s':>10} "
          f"{'no-index s':>11} {'ratio':>7} {'Python scan s':>14} {'ratio':>7}")
    for name, t in indexed.items():
        ni = (f"{no_index[name]:>11.4f} {no_index[name] / t:>6.0f}x" if no_index
              else f"{'-':>11} {'-':>7}")
        print(f"{name:<24} {t:>10.4f} {ni} {python_s:>14.3f} {python_s / t:>6.0f}x")
    daily = indexed["expiring_30d"] + indexed["kbis_crossed_today"]
    print(f"daily scan (expiring_30d + kbis_crossed_today): {daily:.4f} s, "
          f"{python_s / daily:.0f}x faster than reading every row into Python")
    RESULTS.mkdir(exist_ok=True)
    out = {"engine": args.engine, "rows": args.rows, "firms": args.firms, "seed": args.seed,
           "fill_s": fill_s, "indexed_s": indexed, "no_index_s": no_index,
           "python_scan_s": python_s, "counts": counts}
    (RESULTS / "expiry_scan.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
