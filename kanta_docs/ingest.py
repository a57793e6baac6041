"""A dossier folder (documents + declared.json) into the store, then through the pipeline.

Orchestration only: store the originals by content, record the declaration as a new version
when it changed, queue each new document, and (unless asked not to) wait until the dossier's
documents are processed and its alerts and risk are current.
"""

from __future__ import annotations

import mimetypes
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from kanta_docs.batch import walk
from kanta_docs.dossier import DECLARED_FILE, read_declared
from kanta_docs.portfolio import RowError, parse_portfolio
from kanta_docs.store import repositories as repo
from kanta_docs.store.repositories import FirmScope, NewDocument
from kanta_docs.store.tables import DocState, Firm, User
from kanta_docs.tasks import reevaluate_dossier

if TYPE_CHECKING:
    import uuid
    from collections.abc import Callable
    from pathlib import Path

    from sqlalchemy.orm import Session

    from kanta_docs.tasks import Runtime

POLL_S = 0.5


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What an ingest did."""

    firm_id: uuid.UUID
    dossier_id: uuid.UUID
    new_documents: int
    known_documents: int
    declared_version: int | None  # the new version number; None when unchanged


def firm_named(session: Session, name: str) -> uuid.UUID:
    """The firm called `name`, created on first use (the CLI is the firm's own admin tool)."""
    found = session.scalar(select(Firm.id).where(Firm.name == name))
    return found if found is not None else repo.create_firm(session, name).id


def ingest_folder(rt: Runtime, folder: Path, firm_name: str, actor: str = "cli") -> IngestReport:
    """Store the folder's documents and declaration and queue what is new."""
    declared = read_declared(folder)
    files = list(walk([folder], skip=frozenset({DECLARED_FILE})))
    with rt.sessions.begin() as session:
        firm_id = firm_named(session, firm_name)
        scope = FirmScope(session, firm_id)
        client = declared.client
        dossier, _ = scope.upsert_dossier(client.siren, client.name or folder.name)
        latest = scope.latest_declared(dossier.id)
        version = None
        if latest is None or latest.data != declared.model_dump(mode="json"):
            version = scope.add_declared_version(dossier.id, declared, actor,
                                                 f"imported from {folder.name}")
        queued: list[uuid.UUID] = []
        known = 0
        for path in files:
            sha256 = rt.blobs.put_file(path)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            document, created = scope.add_document(NewDocument(
                dossier.id, sha256, path.relative_to(folder).as_posix(), path.stat().st_size,
                kind))
            if created:
                queued.append(document.id)
            else:
                known += 1
        scope.append_audit(actor, "dossier.ingest", "dossier", str(dossier.id),
                           {"new_documents": len(queued), "declared_version": version})
        dossier_id = dossier.id
    for document_id in queued:
        rt.queue.submit("process_document", str(firm_id), str(document_id))
    if not queued and version is not None:
        rt.queue.submit("reevaluate_dossier", str(firm_id), str(dossier_id))
    return IngestReport(firm_id, dossier_id, len(queued), known, version)


def wait_for_dossier(rt: Runtime, report: IngestReport, timeout_s: float = 3600,
                     on_progress: Callable[[int, int], None] | None = None) -> None:
    """Block until every document of the dossier is processed or failed, then bring its alerts
    and risk up to date (idempotent, so a re-evaluation already queued does no harm)."""
    rt.queue.join()
    deadline = time.monotonic() + timeout_s
    while True:
        with rt.sessions.begin() as session:
            states = [d.state for d in
                      FirmScope(session, report.firm_id).documents_of_dossier(report.dossier_id)]
        done = sum(s in (DocState.PROCESSED, DocState.FAILED) for s in states)
        if on_progress is not None:
            on_progress(done, len(states))
        if done == len(states):
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(states) - done} documents still in the pipeline")
        time.sleep(POLL_S)
    rt.queue.join()
    reevaluate_dossier(rt, str(report.firm_id), str(report.dossier_id))


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What a portfolio import did, row by row."""

    created: int
    updated: int
    unchanged: int
    rejected: list[RowError]


def import_portfolio(rt: Runtime, data: bytes, filename: str, firm_name: str,
                     actor: str = "cli") -> ImportReport:
    """`import_portfolio_into` the firm called `firm_name` (created on first use)."""
    with rt.sessions.begin() as session:
        firm_id = firm_named(session, firm_name)
    return import_portfolio_into(rt, data, filename, firm_id, actor)


def import_portfolio_into(rt: Runtime, data: bytes, filename: str, firm_id: uuid.UUID,
                          actor: str) -> ImportReport:
    """A firm's client portfolio (CSV or JSON) into dossiers with their declared data.

    Re-importing updates (a new declared version when it changed), never duplicates: dossiers
    are keyed by SIREN. A collaborator unknown to the firm is reported on the row, which is
    still imported unassigned.
    """
    report = parse_portfolio(data, filename)
    rejected = list(report.errors)
    created = updated = unchanged = 0
    with rt.sessions.begin() as session:
        scope = FirmScope(session, firm_id)
        users = {u.email.lower(): u.id for u in session.scalars(
            select(User).where(User.firm_id == firm_id))}
        for row in report.rows:
            collaborator = users.get(row.collaborator.lower()) if row.collaborator else None
            if row.collaborator and collaborator is None:
                rejected.append(RowError(row.row_number, "collaborator",
                                         "aucun utilisateur du cabinet n'a cette adresse : "
                                         "dossier non attribué"))
            dossier, is_new = scope.upsert_dossier(row.siren, row.declared.client.name or row.siren,
                                                   collaborator_id=collaborator)
            latest = scope.latest_declared(dossier.id)
            if latest is not None and latest.data == row.declared.model_dump(mode="json"):
                unchanged += 1
                continue
            scope.add_declared_version(dossier.id, row.declared, actor,
                                       f"portfolio import {filename}")
            created += is_new
            updated += not is_new
            if not is_new:
                rt.queue.submit("reevaluate_dossier", str(firm_id), str(dossier.id))
        scope.append_audit(actor, "portfolio.import", "firm", str(firm_id),
                           {"file": filename, "created": created, "updated": updated,
                            "rejected_rows": len({e.row_number for e in rejected})})
    return ImportReport(created, updated, unchanged, rejected)
