"""Documents per minute through the whole service pipeline on this machine.

Generates N dossiers (`tests/fixtures/dossiers.py`, born-digital or `--scans`), then:
1. baseline: `kanta-docs extract` over the same files with one process per core (reading and
   extraction only, nothing stored);
2. embedded: `kanta-docs ingest` with the in-process worker (one thread) into SQLite;
3. celery: ingest with `--no-wait` into SQLite, a Celery worker on Redis (`--concurrency`,
   default one per core) processes the documents; timed until every document is processed.
It prints documents per minute for each and the ratio against the baseline, and checks that the
stored alerts equal `kanta-docs check` on each folder (as of today).

Run: `uv run python bench/bench_pipeline.py [--count 30] [--scans] [--redis URL]`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kanta_docs.batch import extract_all, walk  # noqa: E402
from kanta_docs.config import Settings  # noqa: E402
from kanta_docs.dossier import DECLARED_FILE, check_dossier_dir  # noqa: E402
from kanta_docs.ingest import ingest_folder, wait_for_dossier  # noqa: E402
from kanta_docs.logs import configure_logging  # noqa: E402
from kanta_docs.pipeline import read_context  # noqa: E402
from kanta_docs.store.db import upgrade  # noqa: E402
from kanta_docs.store.repositories import FirmScope  # noqa: E402
from kanta_docs.store.tables import DocState, Document  # noqa: E402
from kanta_docs.tasks import build_runtime  # noqa: E402
from tests.fixtures.dossiers import generate_dossiers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--scans", action="store_true")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    configure_logging("WARNING")
    work = Path(tempfile.mkdtemp(prefix="kanta-bench-pipeline-"))
    folders = generate_dossiers(work / "dossiers", args.count, args.seed, scans=args.scans,
                                jobs=os.cpu_count() or 1)
    files = [f for d in folders for f in walk([d], skip=frozenset({DECLARED_FILE}))]
    print(f"{len(folders)} dossiers, {len(files)} documents "
          f"({'scanned' if args.scans else 'born-digital'}) under {work}")

    start = time.perf_counter()
    ctx = read_context(Settings(home=work / "x"))
    for _ in extract_all(files, ctx, args.concurrency):
        pass
    baseline = time.perf_counter() - start
    _report("baseline: extract only", len(files), baseline, baseline)

    rt = _runtime(work / "embedded", "memory")
    start = time.perf_counter()
    for folder in folders:
        wait_for_dossier(rt, ingest_folder(rt, folder, "Bench"))
    _report("embedded: ingest, 1 worker thread", len(files), time.perf_counter() - start, baseline)
    _compare(rt, folders)

    queue = f"kanta-bench-{uuid.uuid4().hex[:6]}"
    rt = _runtime(work / "celery", args.redis, queue)
    env = {**os.environ, "KANTA_HOME": str(work / "celery"),
           "KANTA_DATABASE_URL": rt.settings.database_url, "KANTA_BROKER_URL": args.redis,
           "KANTA_TASK_QUEUE": queue, "KANTA_LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kanta_docs.worker", "worker", "--concurrency",
         str(args.concurrency), "-Q", queue, "--loglevel", "WARNING"],
        env=env, start_new_session=True)
    try:
        time.sleep(8)  # worker start-up (imports spaCy) is not pipeline throughput
        start = time.perf_counter()
        reports = [ingest_folder(rt, folder, "Bench") for folder in folders]
        while _processed(rt) < len(files):
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
    finally:
        worker.send_signal(signal.SIGTERM)  # warm shutdown: the main process drains its pool
        worker.wait(timeout=60)
    _report(f"celery: {args.concurrency} worker processes", len(files), elapsed, baseline)
    for report in reports:
        wait_for_dossier(rt, report)  # alerts and risk current before comparing
    _compare(rt, folders)


def _runtime(home: Path, broker: str, queue: str = "kanta"):  # type: ignore[no-untyped-def]
    database = f"sqlite:///{home / 'kanta.sqlite3'}"
    home.mkdir(parents=True, exist_ok=True)
    upgrade(database)
    return build_runtime(Settings(home=home, database_url=database, broker_url=broker,
                                  task_queue=queue))


def _processed(rt) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    with rt.sessions.begin() as session:
        return int(session.scalar(select(func.count()).select_from(Document).where(
            Document.state.in_([DocState.PROCESSED, DocState.FAILED]))) or 0)


def _compare(rt, folders: list[Path]) -> None:  # type: ignore[no-untyped-def]
    from kanta_docs.store.tables import AlertStatus, Dossier

    today = datetime.now(UTC).date()
    same = 0
    with rt.sessions.begin() as session:
        from sqlalchemy import select

        dossiers = {d.siren: d for d in session.scalars(select(Dossier))}
        for folder in folders:
            result, _ = check_dossier_dir(folder, today, rt.read_ctx)
            dossier = dossiers[_declared_siren(folder)]
            stored = {a.key for a in FirmScope(session, dossier.firm_id)
                      .alerts_of_dossier(dossier.id).values()
                      if a.status in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)}
            same += stored == {a.key for a in result.alerts}
    print(f"    stored alerts equal `kanta-docs check`: {same}/{len(folders)} dossiers")


def _declared_siren(folder: Path) -> str:
    import json

    return str(json.loads((folder / DECLARED_FILE).read_text())["client"]["siren"])


def _report(label: str, documents: int, seconds: float, baseline: float) -> None:
    print(f"{label:38} {documents / seconds * 60:7.1f} documents/min  "
          f"({seconds:6.1f} s, {seconds / baseline:4.2f}x baseline)")


if __name__ == "__main__":
    main()
