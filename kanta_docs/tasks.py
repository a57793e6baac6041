"""The service's tasks: process a document, re-evaluate a dossier, the daily expiry scan, the
recovery of stuck documents, the outbox relay. Orchestration only: the rules are in extractors/
and alerts/, the persistence in kanta_docs.store.

Each task takes ids as strings (they cross the broker) and is safe to run twice: a document is
claimed with a conditional update, alerts are reconciled by key, the risk is stored only when
it changed.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from alerts.check import check_dossier
from alerts.lifecycle import AlertStatus as LifecycleStatus
from alerts.lifecycle import StoredAlert, reconcile
from alerts.risk.override import RiskOverrideRefused, override_level
from indexers.contract import SearchUnavailable
from indexers.records import dossier_records, payload_dossier
from kanta_docs.blobs import BlobStore
from kanta_docs.declared import Declared
from kanta_docs.facts import DossierDocument
from kanta_docs.logs import get_logger
from kanta_docs.models import ExtractResult
from kanta_docs.notify import events as notify_events
from kanta_docs.notify import jobs as notify_jobs
from kanta_docs.notify import webhooks
from kanta_docs.pipeline import PIPELINE_VERSION, extract_bytes, read_context
from kanta_docs.store import facts_codec
from kanta_docs.store import repositories as repo
from kanta_docs.store.db import database_url, make_engine, session_factory
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import DocState
from kanta_docs.vocab import RiskLevel

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session, sessionmaker

    from extractors.base import ReadContext
    from indexers.contract import SearchIndex
    from kanta_docs.assessment import RiskAssessment
    from kanta_docs.config import Settings
    from kanta_docs.queues import TaskQueue
    from kanta_docs.store.tables import Document, RiskAssessmentRow

log = get_logger(__name__)

_INDEX_LOCK = threading.Lock()
MAX_ATTEMPTS = 3  # a document that killed three workers is failed, not retried forever
SYSTEM = "system"


@dataclass
class Runtime:
    """What the tasks need, built once per process (the service's composition root)."""

    settings: Settings
    sessions: sessionmaker[Session]
    blobs: BlobStore
    read_ctx: ReadContext
    queue: TaskQueue
    _index: SearchIndex | None = None

    def search_index(self) -> SearchIndex:
        """The search backend, opened on first use and shared by this process's tasks and
        requests (Tantivy allows one writer per index)."""
        with _INDEX_LOCK:
            if self._index is None:
                from indexers.factory import open_index

                self._index = open_index(self.settings)
            return self._index


def build_runtime(settings: Settings, queue_factory: str = "auto") -> Runtime:
    """The runtime for `settings`: the store, the blobs, and the task queue (`auto`: Celery
    unless `KANTA_BROKER_URL=memory`, then an in-process worker thread)."""
    from kanta_docs.queues import CeleryQueue, InProcessQueue

    engine = make_engine(database_url(settings))
    rt = Runtime(settings, session_factory(engine), BlobStore(settings.home / "blobs"),
                 read_context(settings), queue=_NoQueue())
    if queue_factory == "celery" or (queue_factory == "auto" and settings.broker_url != "memory"):
        rt.queue = CeleryQueue(settings.broker_url, settings.task_queue)
    else:
        rt.queue = InProcessQueue(lambda name, args: run_task(rt, name, args))
    return rt


class _NoQueue:
    def submit(self, task: str, *args: str) -> None:
        raise AssertionError("runtime queue used before it was built")

    def join(self) -> None:
        """Nothing to wait for."""


def run_task(rt: Runtime, name: str, args: tuple[str, ...]) -> None:
    """Run one task by name (the in-process worker and Celery both call this)."""
    TASKS[name](rt, *args)


def process_document(rt: Runtime, firm_id: str, document_id: str) -> None:
    """Read and extract one received document, then queue its dossier's re-evaluation."""
    firm, doc_id = uuid.UUID(firm_id), uuid.UUID(document_id)
    with rt.sessions.begin() as session:
        scope = FirmScope(session, firm)
        if not scope.transition_document(doc_id, DocState.RECEIVED, DocState.PROCESSING,
                                         stage="reading"):
            return  # processed, failed or claimed by another worker already: nothing to do
        document = scope.get_document(doc_id)
        assert document is not None
        sha256, name, dossier_id = document.sha256, document.file_name, document.dossier_id
    try:
        data = rt.blobs.get(sha256)
    except OSError as e:
        _fail(rt, firm, doc_id, f"the original file is missing from the blob store ({e})")
        return
    extraction = extract_bytes(data, rt.read_ctx, name)
    with rt.sessions.begin() as session:
        scope = FirmScope(session, firm)
        if extraction.document is None:
            reason = "; ".join(extraction.result.warnings) or "unreadable"
            scope.transition_document(doc_id, DocState.PROCESSING, DocState.FAILED,
                                      failure_reason=reason)
        else:
            pages = [p.text for p in extraction.document.pages]
            scope.store_extraction(doc_id, extraction.result, extraction.facts, pages,
                                   PIPELINE_VERSION)
        scope.add_outbox("document.processed", {"document_id": str(doc_id),
                                                "dossier_id": str(dossier_id)})
    rt.queue.submit("reevaluate_dossier", firm_id, str(dossier_id))


def _fail(rt: Runtime, firm: uuid.UUID, doc_id: uuid.UUID, reason: str) -> None:
    with rt.sessions.begin() as session:
        FirmScope(session, firm).transition_document(doc_id, DocState.PROCESSING,
                                                     DocState.FAILED, failure_reason=reason)


def reevaluate_dossier(rt: Runtime, firm_id: str, dossier_id: str, day: str = "") -> None:
    """Cross-check the dossier as it is now: reconcile its alerts, store a changed risk."""
    firm, dossier = uuid.UUID(firm_id), uuid.UUID(dossier_id)
    as_of = date.fromisoformat(day) if day else datetime.now(UTC).date()
    with rt.sessions.begin() as session:
        scope = FirmScope(session, firm)
        if scope.get_dossier(dossier) is None:
            return
        documents = [d for d in (_dossier_document(doc)
                                 for doc in scope.documents_of_dossier(dossier)) if d]
        latest = scope.latest_declared(dossier)
        declared = Declared.model_validate(latest.data) if latest else Declared()
        check = check_dossier(documents, declared, as_of)
        stored = scope.alerts_of_dossier(dossier)
        transitions = reconcile([_stored(a) for a in stored.values()], check.alerts)
        for t in transitions:
            if t.alert is not None and t.action in ("open", "reopen", "update"):
                alert, _ = scope.record_alert(dossier, t.alert)
                scope.add_outbox(f"alert.{t.action}", {"alert_id": str(alert.id),
                                                       "dossier_id": dossier_id,
                                                       "type": t.alert.type.value})
        raised = {a.key for a in check.alerts}
        for alert in scope.resolve_absent_alerts(dossier, raised,
                                                 "Le fait n'est plus constaté par le contrôle."):
            scope.add_outbox("alert.auto_resolve", {"alert_id": str(alert.id),
                                                    "dossier_id": dossier_id})
        previous = scope.latest_risk(dossier)
        risk, override = _keep_override(check.risk, previous)
        if previous is None or (previous.level, previous.vigilance, previous.score,
                                previous.factors) != (
                risk.level.value, risk.vigilance.value, risk.score,
                [f.model_dump(mode="json") for f in risk.factors]):
            scope.add_risk(dossier, risk, override=override)
            scope.add_outbox("risk.changed", {"dossier_id": dossier_id,
                                              "level": risk.level.value})


def _keep_override(risk: RiskAssessment, previous: RiskAssessmentRow | None,
                   ) -> tuple[RiskAssessment, dict[str, Any] | None]:
    """A person's override of the level outlives re-evaluations; it lapses only where a legal
    mandate now requires more (then the computed assessment stands, without it)."""
    if previous is None or previous.override is None:
        return risk, None
    override = previous.override
    try:
        kept = override_level(risk, RiskLevel(override["level"]), str(override["reason"]),
                              str(override["by"]))
    except (RiskOverrideRefused, KeyError, ValueError):
        return risk, None
    return kept, override


def _dossier_document(doc: Document) -> DossierDocument | None:
    if doc.state == DocState.PROCESSED and doc.result is not None:
        facts = facts_codec.from_json(doc.facts) if doc.facts is not None else None
        return DossierDocument(ExtractResult.model_validate(doc.result), facts)
    if doc.state == DocState.FAILED:
        return DossierDocument(ExtractResult(file=doc.file_name, sha256=doc.sha256,
                                             warnings=[f"unreadable: {doc.failure_reason}"]))
    return None  # still on its way: judged once processed


def _stored(alert: Any) -> StoredAlert:
    return StoredAlert(key=alert.key, fingerprint=alert.fingerprint,
                       status=LifecycleStatus(str(alert.status)),
                       outcome=None if alert.outcome is None else str(alert.outcome),
                       snoozed_until=alert.snoozed_until,
                       auto_resolved=alert.auto_resolved_reason is not None)


def expiry_scan(rt: Runtime, day: str = "") -> None:
    """Queue the re-evaluation of every dossier whose documents crossed an expiry line today:
    an identity document expiring within the window or expired, a Kbis turning too old.

    Indexed queries over all firms; re-evaluation raises the alerts, so running the scan twice
    the same day raises nothing new.
    """
    from alerts.policy import CheckPolicy, months_before

    today = date.fromisoformat(day) if day else datetime.now(UTC).date()
    policy = CheckPolicy()
    with rt.sessions.begin() as session:
        # Documents entering the expiring window today, and those that expired yesterday.
        window_edge = today + timedelta(days=policy.expiring_within_days)
        pairs = set(repo.all_firms_expiring_dossiers(session, window_edge, window_edge))
        pairs |= set(repo.all_firms_expiring_dossiers(session, today - timedelta(days=1),
                                                      today - timedelta(days=1)))
        cutoff = months_before(today, policy.register_extract_max_months)
        pairs |= set(repo.all_firms_outdated_kbis_dossiers(session, cutoff,
                                                           cutoff - timedelta(days=1)))
    for firm, dossier in sorted(pairs):
        rt.queue.submit("reevaluate_dossier", str(firm), str(dossier), today.isoformat())
    log.info("expiry scan", day=today.isoformat(), dossiers=len(pairs))


def recover_stuck(rt: Runtime) -> None:
    """Give documents whose worker died back to the queue, or fail them after MAX_ATTEMPTS."""
    now = datetime.now(UTC)
    with rt.sessions.begin() as session:
        stuck = [(d.firm_id, d.id, d.attempts) for d in
                 repo.stuck_documents(session, now - timedelta(
                     seconds=rt.settings.task_stuck_after_s))]
    for firm, doc_id, attempts in stuck:
        with rt.sessions.begin() as session:
            scope = FirmScope(session, firm)
            if attempts >= MAX_ATTEMPTS:
                scope.transition_document(
                    doc_id, DocState.PROCESSING, DocState.FAILED,
                    failure_reason=f"processing stopped {attempts} times without finishing "
                    "(worker killed or out of memory); check the file and upload it again")
                continue
            requeued = scope.transition_document(doc_id, DocState.PROCESSING, DocState.RECEIVED,
                                                 stage="requeued after a lost worker")
        if requeued:
            rt.queue.submit("process_document", str(firm), str(doc_id))


def relay_outbox(rt: Runtime) -> None:
    """Deliver due outbox events to their consumers.

    - Notifications: each event may become in-app notifications, mails and webhook deliveries
      (idempotency keys carry the event id, so an event relayed twice notifies once). An event
      whose fan-out fails is postponed with a backoff, alone.
    - Search: every event naming a dossier rebuilds that dossier's records from the store (a
      deleted dossier's are removed); `firm.purged` removes a firm. When the engine is down the
      events are pushed back with a backoff, never lost.
    """
    with rt.sessions.begin() as session:
        events = repo.fetch_due_outbox(session)
        if not events:
            return
        now = datetime.now(UTC)
        failed: set[int] = set()
        for event in events:
            try:
                with session.begin_nested():
                    notify_events.on_outbox_event(session, event, now, rt.settings)
                    webhooks.on_outbox_event(session, event, now)
            except Exception as e:  # noqa: BLE001 - one event's fan-out must not stop the relay
                log.exception("notification fan-out failed", event_id=event.id,
                              topic=event.topic)
                repo.mark_outbox_failed(session, event.id, f"notification fan-out: {e}")
                failed.add(event.id)
        events = [e for e in events if e.id not in failed]
        dossiers: dict[tuple[uuid.UUID, uuid.UUID], list[int]] = {}
        purged: dict[str, list[int]] = {}
        done: list[int] = []
        for event in events:
            dossier_id = payload_dossier(event.payload)
            if event.topic == "firm.purged":
                purged.setdefault(str(event.payload.get("firm_id")), []).append(event.id)
            elif dossier_id is not None and event.firm_id is not None:
                dossiers.setdefault((event.firm_id, dossier_id), []).append(event.id)
            else:
                done.append(event.id)
        try:
            index = rt.search_index()
            for purged_firm, ids in purged.items():
                index.delete_firm(purged_firm)
                done += ids
            for (firm_id, dossier_id), ids in dossiers.items():
                records = dossier_records(session, firm_id, dossier_id)
                index.replace_dossier(str(firm_id), str(dossier_id), records or [])
                done += ids
            index.refresh()
        except SearchUnavailable as e:
            for event in events:
                if event.id not in done:
                    repo.mark_outbox_failed(session, event.id, f"search unavailable: {e}")
            log.warning("search engine unavailable; outbox events postponed", error=str(e))
        repo.mark_outbox_processed(session, done)


def purge_ended_firms(rt: Runtime, day: str = "") -> None:
    """Delete the firms whose contract ended more than `purge_after_days` before `day`
    (default today, UTC): every row of theirs, and their stored files no other firm's
    document uses. The audit log is kept (AML retention) and gains one `firm.purge` event per
    firm, with the counts.

    The files go before the commit: should the commit fail, the rows are still there and the
    next run deletes them (a document whose file is gone, of a firm being purged, harms
    nobody); the other order would leave files of a purged firm nobody can find any more.
    Running it twice does nothing the second time.
    """
    today = date.fromisoformat(day) if day else datetime.now(UTC).date()
    cutoff = today - timedelta(days=rt.settings.purge_after_days)
    with rt.sessions.begin() as session:
        purged = repo.all_firms_purge_ended(session, cutoff)
        files = 0
        for firm in purged:
            files += sum(rt.blobs.delete(sha256) for sha256 in firm.unused_blobs)
            # The firm's own outbox went with it; this event belongs to no firm.
            repo.add_system_outbox(session, "firm.purged", {"firm_id": str(firm.firm_id)})
    for firm in purged:
        log.info("firm purged", firm_id=str(firm.firm_id), **firm.counts,
                 blobs=len(firm.unused_blobs))
    log.info("purge of ended firms", day=today.isoformat(), firms=len(purged), files=files)


TASKS: dict[str, Callable[..., None]] = {
    "process_document": process_document,
    "reevaluate_dossier": reevaluate_dossier,
    "expiry_scan": expiry_scan,
    "recover_stuck": recover_stuck,
    "relay_outbox": relay_outbox,
    "purge_ended_firms": purge_ended_firms,
    "notify_expiries": notify_jobs.notify_expiries,
    "send_digests": notify_jobs.send_digests,
    "deliver_notifications": notify_jobs.deliver_notifications,
}
