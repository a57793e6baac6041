"""Exports: one dossier as JSON, CSV or the PDF "Rapport LCB-FT", and the whole firm as a ZIP.

Dossier exports go through the caller's store, so another firm's dossier, or a dossier not
assigned to a collaborator, answers 404 like a missing one. The snapshot is read in the
request's transaction, rendered, and the export is audited last (actor, address, dossier), so
the audit insert holds the write lock only for the commit.

`GET /firm/export` (admin only) is how a firm takes its data away, for instance when its
contract ends (the data are purged `purge_after_days` after the contract end date): a ZIP built
in an anonymous temporary file under the service's home (never in memory, never a named file
left behind) and streamed. Its layout:

    manifest.json                     format version, firm, when, by whom, counts
    firm.json                         the firm's name, settings, contract end date
    users.json                        users without password hashes, TOTP secrets or codes
    api_keys.json                     API keys without their secret hash
    dossiers/<dossier id>.json        each dossier as `GET /dossiers/{id}/export.json`
    documents/<dossier id>/<document id>_<file name>   the original files
    audit.jsonl                       the firm's audit log, one event per line, oldest first
"""

from __future__ import annotations

import json
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from litestar import Controller, Response, get
from litestar.response import Stream
from sqlalchemy import select

from api.context import ApiContext
from api.deps import caller_firm
from api.errors import forbidden, not_found
from api.exports import dossier_csv, dossier_json, render_dossier_report, snapshot_from_store
from api.exports.snapshot import DossierSnapshot
from api.routes.documents import clean_file_name
from api.security import ADMIN, Principal
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import ApiKey, User, UserRole

ADMIN_OPT: dict[str, Any] = {"scope": ADMIN}
FIRM_EXPORT_VERSION = 1
AUDIT_PAGE = 1000
STREAM_CHUNK = 1024 * 1024
# Files already compressed (PDF, images) are stored as they are; JSON is deflated.
_STORED_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/tiff"})


def attachment(filename: str) -> dict[str, str]:
    """The Content-Disposition header of a download named `filename` (ASCII only)."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def export_stem(snapshot: DossierSnapshot) -> str:
    """The SIREN, or the dossier id when the dossier has none yet."""
    return snapshot.dossier.siren or str(snapshot.dossier.id)


def generated_by(store: FirmScope, principal: Principal) -> str:
    """Who the export names as its author: the user's display name, else the actor."""
    if principal.user_id is not None:
        user = store.get_user(principal.user_id)
        if user is not None and user.display_name:
            return user.display_name
    return principal.actor


def _snapshot(store: FirmScope, principal: Principal, ctx: ApiContext,
              dossier_id: uuid.UUID) -> DossierSnapshot:
    snapshot = snapshot_from_store(store, dossier_id, generated_by=generated_by(store, principal),
                                   now=ctx.clock())
    if snapshot is None:
        raise not_found("Dossier")
    return snapshot


def _audited_download(store: FirmScope, principal: Principal, ctx: ApiContext,
                      address: str | None, snapshot: DossierSnapshot, action: str, body: bytes,
                      media_type: str, filename: str) -> Response[bytes]:
    """A dossier export as a download, its audit entry written first."""
    store.append_audit(principal.actor, action, "dossier", str(snapshot.dossier.id),
                       address=address, now=ctx.clock())
    return Response(body, media_type=media_type, headers=attachment(filename))


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default).encode()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class DossierExportController(Controller):
    """/dossiers/{id}/export.json, export.csv, report.pdf."""

    path = "/dossiers/{dossier_id:uuid}"
    tags = ["exports"]

    @get("/export.json", sync_to_thread=True, media_type="application/json",
         summary="The dossier as JSON (download)")
    def export_json(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                    address: str | None, dossier_id: uuid.UUID) -> Response[bytes]:
        """Everything the dossier holds, codes in English, dates ISO 8601 (audited)."""
        snapshot = _snapshot(store, principal, ctx, dossier_id)
        return _audited_download(store, principal, ctx, address, snapshot, "export.dossier_json",
                                 _json_bytes(dossier_json(snapshot)), "application/json",
                                 f"dossier-lcb-ft-{export_stem(snapshot)}.json")

    @get("/export.csv", sync_to_thread=True, media_type="text/csv; charset=utf-8",
         summary="The dossier as CSV for a spreadsheet (download)")
    def export_csv(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                   address: str | None, dossier_id: uuid.UUID) -> Response[bytes]:
        """One row per fact, in French, `;` separated, UTF-8 with a BOM (audited)."""
        snapshot = _snapshot(store, principal, ctx, dossier_id)
        return _audited_download(store, principal, ctx, address, snapshot, "export.dossier_csv",
                                 dossier_csv(snapshot).encode("utf-8"),
                                 "text/csv; charset=utf-8",
                                 f"dossier-lcb-ft-{export_stem(snapshot)}.csv")

    @get("/report.pdf", sync_to_thread=True, media_type="application/pdf",
         summary='The "Rapport LCB-FT" of the dossier (PDF download)')
    def report_pdf(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                   address: str | None, dossier_id: uuid.UUID) -> Response[bytes]:
        """Identification, owners and officers, documents, alerts and their handling, risk
        (audited)."""
        snapshot = _snapshot(store, principal, ctx, dossier_id)
        return _audited_download(store, principal, ctx, address, snapshot, "export.report_pdf",
                                 render_dossier_report(snapshot), "application/pdf",
                                 f"rapport-lcb-ft-{export_stem(snapshot)}.pdf")


class FirmExportController(Controller):
    """/firm/export: everything the firm holds, as a ZIP."""

    path = "/firm/export"
    tags = ["exports"]

    @get("/", opt=ADMIN_OPT, sync_to_thread=True, media_type="application/zip",
         summary="Everything the firm holds, as a ZIP (admins)")
    def export_firm(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                    address: str | None) -> Stream:
        """Dossiers, original documents, users (without secrets) and the audit log; audited
        (`export.firm`, with the counts). For a firm whose contract ended, this is how it takes
        its data away before the purge."""
        if principal.role != UserRole.ADMIN or store.assigned_to is not None:
            raise forbidden("Seuls les administrateurs exportent les données du cabinet.")
        firm = caller_firm(store)
        tmp_dir = ctx.settings.home / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        # Anonymous (already unlinked on POSIX): nothing stays on disk after the response.
        out = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115 - closed by the stream
        try:
            counts = _write_firm_zip(out, store, principal, ctx)
            store.append_audit(principal.actor, "export.firm", "firm", str(firm.id), counts,
                               address=address, now=ctx.clock())
            size = out.tell()
            out.seek(0)
        except BaseException:
            out.close()
            raise
        day = ctx.clock().date().isoformat()
        return Stream(_chunks(out), media_type="application/zip",
                      headers={**attachment(f"export-cabinet-{day}.zip"),
                               "Content-Length": str(size)})


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    """The file's bytes in chunks; closes it at the end or when the client goes away."""
    try:
        while chunk := source.read(STREAM_CHUNK):
            yield chunk
    finally:
        source.close()


def _write_firm_zip(out: IO[bytes], store: FirmScope, principal: Principal,
                    ctx: ApiContext) -> dict[str, int]:
    """Write the firm's ZIP into `out`; returns the counts (for the manifest and the audit)."""
    firm = store.firm()
    assert firm is not None
    db = store.session
    now = ctx.clock()
    author = generated_by(store, principal)
    counts = {"dossiers": 0, "documents": 0, "missing_files": 0, "users": 0, "api_keys": 0,
              "audit_events": 0}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr("firm.json", _json_bytes({
            "id": firm.id, "name": firm.name, "settings": firm.settings or {},
            "created_at": firm.created_at, "contract_end_date": firm.contract_end_date}))
        users = [{"id": u.id, "email": u.email, "display_name": u.display_name,
                  "role": str(u.role), "created_at": u.created_at,
                  "mfa_enabled_at": u.mfa_enabled_at, "disabled_at": u.disabled_at,
                  "password_changed_at": u.password_changed_at}
                 for u in db.scalars(select(User).where(User.firm_id == firm.id)
                                     .order_by(User.email))]
        counts["users"] = len(users)
        zf.writestr("users.json", _json_bytes(users))
        keys = [{"id": k.id, "name": k.name, "prefix": k.prefix, "scopes": list(k.scopes),
                 "created_by": k.created_by, "created_at": k.created_at,
                 "revoked_at": k.revoked_at, "last_used_at": k.last_used_at}
                for k in db.scalars(select(ApiKey).where(ApiKey.firm_id == firm.id)
                                    .order_by(ApiKey.created_at, ApiKey.id))]
        counts["api_keys"] = len(keys)
        zf.writestr("api_keys.json", _json_bytes(keys))
        for dossier in store.list_dossiers():
            snapshot = snapshot_from_store(store, dossier.id, generated_by=author, now=now)
            if snapshot is None:
                continue
            counts["dossiers"] += 1
            zf.writestr(f"dossiers/{dossier.id}.json", _json_bytes(dossier_json(snapshot)))
            for document in store.documents_of_dossier(dossier.id):
                path: Path = ctx.runtime.blobs.path(document.sha256)
                if not path.is_file():
                    counts["missing_files"] += 1
                    continue
                name = f"documents/{dossier.id}/{document.id}_{clean_file_name(document.file_name)}"
                compress = (zipfile.ZIP_STORED if document.content_type in _STORED_TYPES
                            else zipfile.ZIP_DEFLATED)
                zf.write(path, name, compress_type=compress)
                counts["documents"] += 1
        with zf.open("audit.jsonl", "w", force_zip64=True) as audit:
            after = 0
            while events := store.audit_events(after_id=after, limit=AUDIT_PAGE):
                for e in events:
                    audit.write(json.dumps({
                        "id": e.id, "at": _iso(e.at), "actor": e.actor, "action": e.action,
                        "target_type": e.target_type, "target_id": e.target_id,
                        "address": e.address, "details": e.details},
                        ensure_ascii=False, default=_json_default).encode() + b"\n")
                counts["audit_events"] += len(events)
                after = events[-1].id
        zf.writestr("manifest.json", _json_bytes({
            "export_version": FIRM_EXPORT_VERSION, "firm": {"id": firm.id, "name": firm.name},
            "generated_at": now, "generated_by": author, "counts": counts}))
    return counts


ROUTES = [DossierExportController, FirmExportController]
