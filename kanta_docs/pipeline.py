"""The document pipeline, read top to bottom as its list of stages: bytes -> pages -> type ->
fields -> the contract's extract object.

Orchestration only: every rule lives in a stage. One bad file never stops the others: an
unreadable file becomes an `unknown` result with its reason in `warnings`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.base import ReadContext
from extractors.classify import classify_document
from extractors.fields import extract_fields
from extractors.reading import read_document
from kanta_docs.errors import UnreadableDocument
from kanta_docs.facts import DocumentFacts, value_of
from kanta_docs.logs import get_logger
from kanta_docs.models import Classification, ExtractResult, ReadDocument
from kanta_docs.vocab import DocType

if TYPE_CHECKING:
    from pathlib import Path

    from kanta_docs.config import Settings

log = get_logger(__name__)

# Stored with each result so a changed pipeline re-processes documents (task idempotency key).
PIPELINE_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Extraction:
    """A file's extract object plus what produced it (kept for the store and the alerts)."""

    result: ExtractResult
    document: ReadDocument | None  # None when the file could not be read
    classification: Classification | None
    facts: DocumentFacts | None = None  # values with their provenance

    @property
    def is_readable(self) -> bool:
        """Whether the file could be read at all (the CLI exits 1 when one could not)."""
        return self.document is not None


def read_context(settings: Settings) -> ReadContext:
    """The reading stage's frozen context, built once from the settings."""
    return ReadContext(
        max_file_bytes=settings.max_file_mib * 1024 * 1024,
        max_pages=settings.max_pages,
        max_image_pixels=settings.max_image_pixels,
        ocr_timeout_s=settings.ocr_timeout_s,
        ocr_dpi=settings.ocr_dpi,
        ocr_languages=settings.ocr_languages,
        ocr_min_confidence=settings.ocr_min_confidence,
        keep_temp=settings.keep_temp,
        verify_hidden_text=settings.ocr_verify_hidden_text,
    )


def extract_file(path: Path, ctx: ReadContext, display_name: str | None = None) -> Extraction:
    """A file on disk -> its extraction; never raises for a bad document."""
    name = display_name if display_name is not None else str(path)
    try:
        size = path.stat().st_size
        if size > ctx.max_file_bytes:
            # Hash it anyway (streamed): the contract gives every file its digest.
            return _unreadable(name, _sha256_of_file(path),
                               f"file is {size / 2**20:.1f} MiB, above the "
                               f"{ctx.max_file_bytes / 2**20:.0f} MiB limit "
                               "(KANTA_MAX_FILE_MIB); split or compress it")
        data = path.read_bytes()
    except OSError as e:
        return _unreadable(name, "", f"cannot open the file: {e.strerror or e}")
    return extract_bytes(data, ctx, name)


def extract_bytes(data: bytes, ctx: ReadContext, name: str) -> Extraction:
    """File bytes -> their extraction; never raises for a bad document."""
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        document = read_document(data, ctx)
    except UnreadableDocument as e:
        log.info("document unreadable", sha256=sha256, reason=str(e))
        return _unreadable(name, sha256, str(e))
    classification = classify_document(document.pages)
    warnings = [*document.warnings, *(w for p in document.pages for w in p.warnings)]
    if classification.doc_type is DocType.UNKNOWN:
        warnings.append(
            "document type not recognised: not a Kbis/RNE extract, beneficial-owner filing, "
            "statuts or identity document"
        )
    facts = extract_fields(classification.doc_type, document.pages)
    warnings.extend(facts.warnings)
    result = ExtractResult(
        file=name,
        sha256=sha256,
        doc_type=classification.doc_type,
        pages=len(document.pages),
        ocr_used=document.ocr_used,
        document_date=value_of(facts.document_date),
        expiry_date=value_of(facts.expiry_date),
        effective_expiry_date=value_of(facts.effective_expiry_date),
        company=facts.company.to_contract() if facts.company else None,
        beneficial_owners=[o.to_contract() for o in facts.beneficial_owners],
        officers=[o.to_contract() for o in facts.officers],
        shareholders=[s.to_contract() for s in facts.shareholders],
        identity=facts.identity.to_contract() if facts.identity else None,
        warnings=warnings,
    )
    log.info("document extracted", sha256=sha256, doc_type=result.doc_type.value,
             pages=result.pages, ocr_used=result.ocr_used,
             confidence=classification.confidence)
    return Extraction(result, document, classification, facts)


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _unreadable(name: str, sha256: str, reason: str) -> Extraction:
    result = ExtractResult(file=name, sha256=sha256, warnings=[f"unreadable: {reason}"])
    return Extraction(result, None, None)
