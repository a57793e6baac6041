"""The stateful service end to end: dossiers ingested into the store (SQLite and PostgreSQL)
through the in-process worker and through Celery on Redis, compared with `kanta-docs check`;
a corrupt file; a worker killed mid-batch; the daily expiry scan run twice."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from kanta_docs.config import Settings
from kanta_docs.dossier import check_dossier_dir
from kanta_docs.ingest import ingest_folder, wait_for_dossier
from kanta_docs.pipeline import read_context
from kanta_docs.store.db import upgrade
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import Alert, AlertStatus, DocState, Document
from kanta_docs.tasks import build_runtime, expiry_scan, recover_stuck
from tests.fixtures.dossiers import generate_dossiers
from tests.integration.store.conftest import create_schema, drop_schema

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from kanta_docs.tasks import Runtime

ACTIVE = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate_dossiers(tmp_path_factory.mktemp("dossiers"), 3, seed=41, jobs=2)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kanta.sqlite3'}"
        return
    base = request.getfixturevalue("postgres_url")
    name = f"kanta_svc_{uuid.uuid4().hex[:10]}"
    url = create_schema(base, name)
    try:
        yield url
    finally:
        drop_schema(base, name)


def _runtime(home: Path, database_url: str, **settings: object) -> Runtime:
    upgrade(database_url)
    return build_runtime(Settings(home=home, database_url=database_url, **settings))


def _stored_alerts(rt: Runtime, firm: uuid.UUID, dossier: uuid.UUID) -> set[str]:
    with rt.sessions.begin() as session:
        return {a.key for a in FirmScope(session, firm).alerts_of_dossier(dossier).values()
                if a.status in ACTIVE}


def test_embedded_ingest_gives_the_same_alerts_and_risk_as_check(
        dossiers: list[Path], database: str, tmp_path: Path) -> None:
    rt = _runtime(tmp_path / "home", database, broker_url="memory")
    today = datetime.now(UTC).date()
    for folder in dossiers:
        report = ingest_folder(rt, folder, "Cabinet Durand")
        wait_for_dossier(rt, report)
        expected, _ = check_dossier_dir(folder, today, read_context(rt.settings))
        assert _stored_alerts(rt, report.firm_id, report.dossier_id) == {
            a.key for a in expected.alerts}
        with rt.sessions.begin() as session:
            risk = FirmScope(session, report.firm_id).latest_risk(report.dossier_id)
            assert risk is not None
            assert (risk.level, risk.score) == (expected.risk.level.value, expected.risk.score)
    # Ingesting again stores nothing twice and raises nothing new.
    again = ingest_folder(rt, dossiers[0], "Cabinet Durand")
    assert again.new_documents == 0 and again.declared_version is None


def test_a_corrupt_file_fails_alone_with_its_reason(dossiers: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(dossiers[0], folder)
    (folder / "scan_0007.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(300))
    rt = _runtime(tmp_path / "home", f"sqlite:///{tmp_path / 'k.sqlite3'}", broker_url="memory")
    report = ingest_folder(rt, folder, "Cabinet Durand")
    wait_for_dossier(rt, report)
    with rt.sessions.begin() as session:
        docs = FirmScope(session, report.firm_id).documents_of_dossier(report.dossier_id)
        failed = [d for d in docs if d.state == DocState.FAILED]
        assert [d.file_name for d in failed] == ["scan_0007.pdf"]
        assert failed[0].failure_reason and "unreadable" in failed[0].failure_reason
        assert all(d.state == DocState.PROCESSED for d in docs if d not in failed)
        types = {a.type for a in FirmScope(session, report.firm_id)
                 .alerts_of_dossier(report.dossier_id).values()}
    assert "document_unreadable" in types


def test_expiry_scan_twice_the_same_day_raises_nothing_new(dossiers: list[Path],
                                                          tmp_path: Path) -> None:
    rt = _runtime(tmp_path / "home", f"sqlite:///{tmp_path / 'k.sqlite3'}", broker_url="memory")
    report = ingest_folder(rt, dossiers[0], "Cabinet Durand")
    wait_for_dossier(rt, report)
    with rt.sessions.begin() as session:
        expiries = [d.effective_expiry_date for d in session.scalars(select(Document))
                    if d.effective_expiry_date is not None]
    # The day an identity document enters the 90-day window.
    day = min(e for e in expiries) - timedelta(days=90)
    counts = []
    for _ in range(2):
        expiry_scan(rt, day.isoformat())
        rt.queue.join()
        with rt.sessions.begin() as session:
            counts.append(session.scalar(select(func.count()).select_from(Alert)
                                         .where(Alert.type == "id_document_expiring")))
    assert counts[0] and counts[0] >= 1
    assert counts[1] == counts[0]


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kanta_docs.worker", "worker", "--concurrency",
         "1", "--pool", "prefork", "--loglevel", "INFO", "-Q", env["KANTA_TASK_QUEUE"]],
        env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _states(rt: Runtime) -> dict[str, int]:
    with rt.sessions.begin() as session:
        return dict(session.execute(select(Document.state, func.count())
                                    .group_by(Document.state)).all())


def _wait(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_celery_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(
        dossiers: list[Path], redis_url: str, tmp_path: Path) -> None:
    """SIGKILL the worker while it processes a document; after a restart and the recovery of
    stuck documents every document is processed exactly once (the one in flight twice)."""
    queue = f"kanta-test-{uuid.uuid4().hex[:8]}"
    database = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    env = {**os.environ, "KANTA_HOME": str(tmp_path / "home"), "KANTA_DATABASE_URL": database,
           "KANTA_BROKER_URL": redis_url, "KANTA_TASK_QUEUE": queue,
           "KANTA_TASK_STUCK_AFTER_S": "0"}
    rt = _runtime(tmp_path / "home", database, broker_url=redis_url, task_queue=queue,
                  task_stuck_after_s=0)
    reports = [ingest_folder(rt, folder, "Cabinet Durand") for folder in dossiers]
    total = sum(r.new_documents for r in reports)
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    try:
        _wait(lambda: _states(rt).get(DocState.PROCESSED, 0) >= 2
              and _states(rt).get(DocState.PROCESSING, 0) == 1, 300, "a document in flight")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        in_flight = _states(rt).get(DocState.PROCESSING, 0)
        assert in_flight == 1, _states(rt)
        recover_stuck(rt)  # the reaper gives it back to the queue
        worker = _start_worker(env, log)
        _wait(lambda: _states(rt).get(DocState.PROCESSED, 0) == total, 600,
              f"all {total} documents processed; log: {log}")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    with rt.sessions.begin() as session:
        attempts = sorted(d.attempts for d in session.scalars(select(Document)))
    assert attempts == [1] * (total - 1) + [2]
