"""The reading stage: any incoming file -> pages of text with word boxes, in points.

Read top to bottom, this module is the list of steps (the adapters do the work):

1. Size limit, before any parser sees the bytes (`read_file` checks it before reading them).
2. Kind from the magic bytes (`sniff`): PDF, PNG, JPEG, TIFF; anything else is refused.
3. PDF: PDFium opens and validates (`pdf_file`), page limit; for each page, pdfplumber's words
   (`text_layer`) and PDFium's census of what the page draws decide text layer or OCR
   (`plan_page`, rules below). Images: Pillow decodes every frame with a pixel guard (`images`).
4. OCR of a page image (`scan.ocr_pixels`): deskew when skewed (`preprocess`), one Tesseract
   run producing TSV (`ocr`); only if that pass looks misoriented, OSD and one more run.

Which text a PDF page gets (`plan_page`), in order:

* no usable text layer (fewer than 20 characters, or glyph soup per `text_layer.assess_text`)
  -> OCR. A layer that had text but was soup adds the warning "page N: <why>; OCR used".
* mostly invisible text (render mode 3 on >= 50 % of the characters: an OCR'd scan) and
  `ctx.verify_hidden_text` -> OCR the page as well and compare the texts (`text_agreement`,
  F1 of lower-cased word pairs). Agreement >= 0.6 keeps the text layer (the same words,
  already placed by its producer); below, the hidden layer says something the image does not:
  the OCR text is kept and the page warns "hidden text layer does not match the page image".
  Measured: our OCR of a badly degraded scan agrees 0.99 with the page's true text, another
  page of the same vocabulary 0.06. A layer that differs by a single name or amount still
  agrees and is kept: this check catches wrong or substituted layers, not targeted edits.
* a sparse layer (< 30 words) over a page-size image (>= 50 % coverage): a scan with a stamp
  or a typed header -> OCR, kept if it reads more words than the layer.
* otherwise the text layer.

Warnings use the contract's shape, "page 2: OCR confidence 61% below 70%". A page's warnings
are on its `Page`; `ReadDocument.warnings` holds only the document's own (the pipeline lists
document warnings, then page warnings in page order).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import time
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import pdfplumber
import pypdfium2 as pdfium

from extractors.images import decode_image
from extractors.pdf_file import (
    PageCensus,
    flatten_forms,
    looks_truncated,
    open_pdf,
    page_census,
    render_page,
)
from extractors.scan import ScanResult, ocr_pixels
from extractors.sniff import sniff_kind
from extractors.text_layer import (
    MIN_TEXT_CHARS,
    LayerPage,
    TextQuality,
    assess_text,
    read_layer_page,
)
from kanta_docs.errors import UnreadableDocument, UnreadableReason
from kanta_docs.logs import get_logger
from kanta_docs.models import Page, ReadDocument
from kanta_docs.vocab import FileKind, TextSource

if TYPE_CHECKING:
    from pdfplumber.pdf import PDF as PlumberPdf

    from extractors.base import ReadContext

log = get_logger(__name__)

# Rules of `plan_page` (see the module docstring for the reasoning).
HIDDEN_TEXT_SHARE = 0.5
HIDDEN_TEXT_MIN_AGREEMENT = 0.6
SPARSE_LAYER_WORDS = 30
PAGE_IMAGE_COVERAGE = 0.5
_MIB = 1024 * 1024


class Plan(StrEnum):
    """How a PDF page is read."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    VERIFY_HIDDEN = "verify_hidden"  # OCR too, keep the layer only if both agree
    OCR_IF_RICHER = "ocr_if_richer"  # OCR too, keep whichever reads more words


def read_file(path: Path, ctx: ReadContext) -> ReadDocument:
    """Read the file at `path` (size checked before its bytes are read) -> its pages."""
    try:
        if not path.is_file():
            raise UnreadableDocument(
                "The path is not a regular file (missing, a folder or a device). "
                "Check the path and add the document again.",
                reason=UnreadableReason.IO_ERROR,
            )
        _check_size(path.stat().st_size, ctx)
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableDocument(
            f"The file could not be read from disk ({e.strerror or 'I/O error'}). "
            "Check its permissions and add it again.",
            reason=UnreadableReason.IO_ERROR,
        ) from e
    return read_document(data, ctx)


def read_document(data: bytes, ctx: ReadContext) -> ReadDocument:
    """File bytes -> pages with text and word boxes; `UnreadableDocument` for any bad input."""
    _check_size(len(data), ctx)
    kind = sniff_kind(data)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="kanta-read-", dir=ctx.temp_dir))
    try:
        if kind is FileKind.PDF:
            pages, doc_warnings = _read_pdf(data, ctx, work)
        else:
            pages, doc_warnings = _read_image(data, kind, ctx, work), []
    finally:
        if ctx.keep_temp:
            log.info("work files kept", path=str(work))
        else:
            shutil.rmtree(work, ignore_errors=True)
    log.info(
        "document read",
        kind=kind.value,
        pages=len(pages),
        ocr_pages=sum(p.source is TextSource.OCR for p in pages),
        warnings=len(doc_warnings) + sum(len(p.warnings) for p in pages),
        seconds=round(time.perf_counter() - started, 3),
    )
    return ReadDocument(kind=kind, pages=tuple(pages), warnings=tuple(doc_warnings))


def _check_size(size: int, ctx: ReadContext) -> None:
    if size > ctx.max_file_bytes:
        raise UnreadableDocument(
            f"The file is {size / _MIB:.1f} MiB, above the {ctx.max_file_bytes / _MIB:.0f} MiB "
            "limit. Split it, or scan it again at 300 dpi in greyscale.",
            reason=UnreadableReason.TOO_LARGE,
        )


def _check_page_count(count: int, ctx: ReadContext) -> None:
    if count > ctx.max_pages:
        raise UnreadableDocument(
            f"The document has {count} pages, more than the limit of {ctx.max_pages}. "
            "Split it into the separate documents it contains.",
            reason=UnreadableReason.TOO_MANY_PAGES,
        )


# --- PDF ------------------------------------------------------------------------------------


def _read_pdf(data: bytes, ctx: ReadContext, work: Path) -> tuple[list[Page], list[str]]:
    doc = open_pdf(data)
    try:
        count = len(doc)
        _check_page_count(count, ctx)
        warnings: list[str] = []
        if looks_truncated(data):
            warnings.append("the PDF looks truncated (no end-of-file marker): pages may be missing")
        flat = _flattened(doc)
        if flat is not None:
            # Read the flattened copy, where filled form fields are page content.
            doc.close()
            doc, data = open_pdf(flat), flat
            count = len(doc)
        plumber = _open_plumber(data, count)
        if plumber is None:
            warnings.append("the PDF's text layer could not be parsed: every page was OCR'd")
        try:
            pages = [_read_pdf_page(doc, plumber, i, ctx, work) for i in range(count)]
        finally:
            if plumber is not None:
                plumber.close()
        return pages, warnings
    finally:
        doc.close()


def _flattened(doc: pdfium.PdfDocument) -> bytes | None:
    try:
        flat = flatten_forms(doc)
    except pdfium.PdfiumError:
        # A form PDFium cannot flatten is read as it is: the fields' values may be missing.
        log.warning("form flattening failed")
        return None
    if flat is not None:
        log.info("form fields flattened")
    return flat


def _open_plumber(data: bytes, page_count: int) -> PlumberPdf | None:
    """Pdfplumber over the bytes PDFium accepted, or None when pdfminer cannot parse them.

    None too when pdfminer sees another number of pages than PDFium (a damaged page tree, each
    library repairing it its own way): its page i might not be PDFium's page i, and text on the
    wrong page is worse than OCR.
    """
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = len(pdf.pages)  # parses the page tree now, so failures surface here
    except Exception:  # noqa: BLE001 - pdfminer raises many types (PSEOF, KeyError, TypeError...)
        # on files PDFium repaired; the pages are then read by OCR, with a document warning.
        # No close(): it walks the page tree again and re-raises; a BytesIO holds no OS handle.
        log.warning("pdfplumber could not open the pdf")
        return None
    if pages != page_count:
        log.warning("page count mismatch", pdfium_pages=page_count, pdfplumber_pages=pages)
        pdf.close()
        return None
    return pdf


def _read_layer(plumber: PlumberPdf | None, index: int) -> LayerPage | None:
    if plumber is None:
        return None
    try:
        page = plumber.pages[index]
        try:
            return read_layer_page(page)
        finally:
            page.close()
    except Exception:  # noqa: BLE001 - as in _open_plumber: a broken page falls back to OCR
        log.warning("pdfplumber could not read a page", page=index + 1)
        return None


def plan_page(
    quality: TextQuality | None, census: PageCensus, word_count: int, *, verify_hidden: bool
) -> Plan:
    """How to read a PDF page, from its text layer's quality and what it draws. Pure."""
    if quality is None or not quality.is_usable:
        return Plan.OCR
    if verify_hidden and census.invisible_share >= HIDDEN_TEXT_SHARE:
        return Plan.VERIFY_HIDDEN
    if word_count < SPARSE_LAYER_WORDS and census.image_coverage >= PAGE_IMAGE_COVERAGE:
        return Plan.OCR_IF_RICHER
    return Plan.TEXT_LAYER


def _read_pdf_page(
    doc: pdfium.PdfDocument,
    plumber: PlumberPdf | None,
    index: int,
    ctx: ReadContext,
    work: Path,
) -> Page:
    number = index + 1
    try:
        census = page_census(doc, index)
    except pdfium.PdfiumError as e:
        raise _damaged_page(number) from e
    layer = _read_layer(plumber, index)
    quality = assess_text(layer.text) if layer is not None else None
    plan = plan_page(
        quality,
        census,
        len(layer.words) if layer else 0,
        verify_hidden=ctx.verify_hidden_text,
    )
    log.debug("page plan", page=number, plan=plan.value, census=census)
    if plan is Plan.TEXT_LAYER and layer is not None:
        return _layer_page(number, layer)
    if census.largest_image_px > ctx.max_image_pixels:
        # Rendering decodes embedded images at full size first: a PDF can carry a
        # decompression bomb as well as a PNG can.
        raise UnreadableDocument(
            f"Page {number} of the PDF holds an image of {census.largest_image_px:,} pixels, "
            f"above the limit of {ctx.max_image_pixels:,}. Scan the document again at 300 dpi.",
            reason=UnreadableReason.IMAGE_TOO_LARGE,
        )
    try:
        rendered = render_page(doc, index, dpi=ctx.ocr_dpi, max_pixels=ctx.max_image_pixels)
    except pdfium.PdfiumError as e:
        raise _damaged_page(number) from e
    warnings: list[str] = []
    if rendered.reduced:
        warnings.append(
            f"page {number}: page too large for {ctx.ocr_dpi} dpi, OCR'd at {rendered.dpi:.0f} dpi"
        )
    scan = ocr_pixels(rendered.pixels, rendered.dpi, number, ctx, work)
    if layer is not None and quality is not None and quality.is_usable:
        kept = _arbitrate(plan, number, layer, scan)
        if kept is not None:
            return kept
    if quality is not None and not quality.is_usable and quality.chars >= MIN_TEXT_CHARS:
        warnings.append(f"page {number}: {quality.reason}; OCR used")
    if plan is Plan.VERIFY_HIDDEN and not scan.timed_out:
        warnings.append(
            f"page {number}: hidden text layer does not match the page image; OCR text used"
        )
    return scan.to_page(number, tuple(warnings))


def _arbitrate(plan: Plan, number: int, layer: LayerPage, scan: ScanResult) -> Page | None:
    """For a page with a usable layer that was OCR'd too: the layer page to keep, or None."""
    if scan.timed_out:
        # Keep what we have; the timeout warning says the check could not be done.
        return _layer_page(number, layer, scan.warnings)
    if plan is Plan.VERIFY_HIDDEN:
        agreement = text_agreement(layer.text, scan.text)
        log.info("hidden text layer checked", page=number, agreement=round(agreement, 3))
        if agreement >= HIDDEN_TEXT_MIN_AGREEMENT:
            return _layer_page(number, layer)
        return None
    if plan is Plan.OCR_IF_RICHER and len(scan.words) <= len(layer.words):
        return _layer_page(number, layer)
    return None


def _layer_page(number: int, layer: LayerPage, warnings: tuple[str, ...] = ()) -> Page:
    return Page(
        number=number,
        width=layer.width,
        height=layer.height,
        text=layer.text,
        words=layer.words,
        source=TextSource.TEXT_LAYER,
        warnings=warnings,
    )


def _damaged_page(number: int) -> UnreadableDocument:
    return UnreadableDocument(
        f"Page {number} of the PDF is damaged and cannot be drawn. "
        "Export or print the document to PDF again and add the new file.",
        reason=UnreadableReason.CORRUPT,
    )


_WORD = re.compile(r"\w{2,}")


def text_agreement(a: str, b: str) -> float:
    """F1 overlap of two texts' bags of word pairs (lower-cased bigrams), 0-1. Pure.

    Pairs rather than single words: two pages in the same vocabulary (two register extracts,
    two random pages of the same template) share most of their words but few of their word
    pairs, while column order barely matters (only pairs across a column break change).
    """
    words_a, words_b = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    bag_a = Counter(zip(words_a, words_a[1:], strict=False))
    bag_b = Counter(zip(words_b, words_b[1:], strict=False))
    total = sum(bag_a.values()) + sum(bag_b.values())
    if total == 0:
        return 1.0 if not (words_a or words_b) else 0.0
    common = sum((bag_a & bag_b).values())
    return 2 * common / total


# --- images -----------------------------------------------------------------------------------


def _read_image(data: bytes, kind: FileKind, ctx: ReadContext, work: Path) -> list[Page]:
    frames = decode_image(data, kind, max_pixels=ctx.max_image_pixels, max_pages=ctx.max_pages)
    pages: list[Page] = []
    for number, frame in enumerate(frames, start=1):
        if frame.dpi_estimated:
            log.info("image dpi estimated", page=number, dpi=round(frame.dpi))
        scan = ocr_pixels(frame.pixels, frame.dpi, number, ctx, work)
        pages.append(scan.to_page(number, ()))
    return pages
