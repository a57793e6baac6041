"""Documents: upload (202 with a status link), status, extraction with provenance, download,
deletion."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Response, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter, QueryParameter
from litestar.response import File
from litestar.status_codes import HTTP_202_ACCEPTED
from msgspec import Struct

from api.context import ApiContext
from api.deps import queue_after_commit
from api.errors import ApiError, not_found
from api.pagination import Page, PageParams, fetch_page
from api.routes.dossiers import visible_dossier
from api.security import Principal
from api.uploads import UploadForm
from api.views import DocumentView, document_view
from kanta_docs.store import repositories as repo
from kanta_docs.store.repositories import FirmScope, NewDocument
from kanta_docs.store.tables import Document

# What a dossier holds: PDFs and the image formats scanners and phones produce. Recognised by
# their first bytes, never by the name or the declared type (both are the client's to choose).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
SAFE_NAME = re.compile(r"[^\w.\- ]+", re.UNICODE)


class Accepted(Struct):
    """An upload taken in: the document and where to follow it."""

    document: DocumentView
    status_url: str
    duplicate: bool


class Extraction(Struct):
    """What was read from a document: the contract's result and the provenance of each value."""

    document: DocumentView
    result: dict[str, Any] | None
    facts: dict[str, Any] | None
    pages: int


def sniff_type(head: bytes) -> str | None:
    """The media type the file's first bytes show, or None when it is not one we read."""
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def clean_file_name(name: str | None) -> str:
    """A display name without path parts or control characters."""
    base = (name or "document").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = SAFE_NAME.sub("_", base).strip(" .") or "document"
    return cleaned[:200]


def visible_document(store: FirmScope, document_id: uuid.UUID) -> Document:
    """The document if the caller may see it; 404 otherwise."""
    document = store.get_document(document_id)
    if document is None:
        raise not_found("Document")
    return document


class DocumentController(Controller):
    """/dossiers/{id}/documents and /documents/{id}."""

    tags = ["documents"]

    @post("/dossiers/{dossier_id:uuid}/documents", sync_to_thread=True,
          status_code=HTTP_202_ACCEPTED, summary="Upload a document into a dossier",
          opt={"upload": True})
    def upload(
        self, store: FirmScope, principal: Principal, ctx: ApiContext, dossier_id: uuid.UUID,
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[Accepted]:
        """Stores the file and queues its reading; answers 202 before any OCR."""
        dossier = visible_dossier(store, dossier_id)
        limit = ctx.settings.max_file_mib * 1024 * 1024
        upload = data.data
        content = upload.file.read(limit + 1)
        if len(content) > limit:
            raise ApiError(413, "too_large",
                           f"Fichier trop volumineux ({ctx.settings.max_file_mib} Mo au plus).")
        if not content:
            raise ApiError(400, "empty_file", "Le fichier est vide.")
        kind = sniff_type(content[:16])
        if kind is None:
            raise ApiError(415, "unsupported_media_type",
                           "Type de fichier non accepté : PDF, PNG, JPEG ou TIFF.")
        sha256 = ctx.runtime.blobs.put(content)
        document, created = store.add_document(
            NewDocument(dossier.id, sha256, clean_file_name(upload.filename), len(content), kind))
        if created:
            store.append_audit(principal.actor, "document.upload", "document", str(document.id),
                               {"dossier_id": str(dossier.id), "size": len(content)})
            queue_after_commit(store.session, "process_document", str(store.firm_id),
                               str(document.id))
        url = f"/documents/{document.id}"
        return Response(Accepted(document_view(document), url, duplicate=not created),
                        status_code=HTTP_202_ACCEPTED, headers={"Location": url})

    @get("/dossiers/{dossier_id:uuid}/documents", sync_to_thread=True,
         summary="The documents of a dossier")
    def list_documents(self, store: FirmScope, dossier_id: uuid.UUID, page: PageParams,
                       doc_state: Annotated[
                           Literal["received", "processing", "processed", "failed"] | None,
                           QueryParameter(name="state")] = None,
                       doc_type: str | None = None) -> Page[DocumentView]:
        """The dossier's documents, oldest first, optionally by state or type."""
        visible_dossier(store, dossier_id)
        query = store.documents_query().where(Document.dossier_id == dossier_id)
        if doc_state:
            query = query.where(Document.state == doc_state)
        if doc_type:
            query = query.where(Document.doc_type == doc_type)
        rows, total = fetch_page(store.session,
                                 query.order_by(Document.created_at, Document.id), page)
        return Page([document_view(d) for d in rows], total, page.limit, page.offset)

    @get("/documents/{document_id:uuid}", sync_to_thread=True, summary="A document's status")
    def status(self, store: FirmScope, document_id: uuid.UUID) -> DocumentView:
        """Where the document is in the pipeline, and why it failed if it did."""
        return document_view(visible_document(store, document_id))

    @get("/documents/{document_id:uuid}/extraction", sync_to_thread=True,
         summary="What was extracted, with provenance")
    def extraction(self, store: FirmScope, document_id: uuid.UUID) -> Extraction:
        """The contract result and each value's provenance (page, text, confidence)."""
        document = visible_document(store, document_id)
        return Extraction(document_view(document), document.result, document.facts,
                          len(document.pages or []))

    @get("/documents/{document_id:uuid}/file", sync_to_thread=True,
         summary="Download the original file", media_type="application/octet-stream")
    def download(self, store: FirmScope, principal: Principal, ctx: ApiContext,
                 address: str | None, document_id: uuid.UUID) -> File:
        """The original bytes; the download is audited (identity documents are personal data)."""
        document = visible_document(store, document_id)
        path = ctx.runtime.blobs.path(document.sha256)
        if not path.exists():
            raise not_found("Fichier")
        store.append_audit(principal.actor, "document.download", "document", str(document.id),
                           address=address)
        return File(path=path, filename=document.file_name, media_type=document.content_type,
                    content_disposition_type="attachment")

    @delete("/documents/{document_id:uuid}", sync_to_thread=True, status_code=204,
            summary="Delete a document (audited, with a reason)")
    def remove(self, store: FirmScope, principal: Principal, ctx: ApiContext,
               address: str | None, document_id: uuid.UUID,
               reason: Annotated[str, Parameter(min_length=3, max_length=500,
                                                description="why it is deleted")]) -> None:
        """Deletes the document and, when no other document shares it, the stored file."""
        document = visible_document(store, document_id)
        dossier_id = document.dossier_id
        sha256 = store.delete_document(document.id, principal.actor, reason, address=address,
                                       now=ctx.clock())
        if sha256 is not None and not repo.blob_in_use(store.session, sha256):
            ctx.runtime.blobs.delete(sha256)
        store.add_outbox("dossier.changed", {"dossier_id": str(dossier_id)})
        queue_after_commit(store.session, "reevaluate_dossier", str(store.firm_id),
                           str(dossier_id))
