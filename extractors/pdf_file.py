"""pypdfium2 adapter: open a PDF (telling encrypted from damaged from empty), look at what each
page draws (visible or invisible text, images), and render pages to greyscale pixels for OCR.

PDFium is the gatekeeper of the PDF path: it opens in a few milliseconds, repairs what Chrome
would repair (broken xref tables are rebuilt by scanning the objects), and its load error codes
separate "needs a password" from "not a PDF any more". pdfplumber, slower and stricter, only
reads the text of files PDFium accepted.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from kanta_docs.errors import UnreadableDocument, UnreadableReason
from kanta_docs.logs import get_logger

if TYPE_CHECKING:
    from extractors.preprocess import GreyImage

log = get_logger(__name__)

# Text render mode 3 draws nothing: what OCR tools lay over a scan so it can be searched.
_INVISIBLE_RENDER_MODE = 3
# A truncated file lacks the %%EOF marker at its end; writers may append a few bytes after it.
_EOF_WINDOW = 2048
_POINTS_PER_INCH = 72.0


@dataclass(frozen=True, slots=True)
class PageCensus:
    """What a page draws: characters of text by visibility, and the share covered by images."""

    visible_chars: int
    invisible_chars: int
    image_coverage: float  # 0-1, bounding boxes of image objects over the page area
    largest_image_px: int = 0  # pixels of the largest embedded image, as its header declares

    @property
    def invisible_share(self) -> float:
        """Share of the page's characters that are not drawn (render mode 3)."""
        total = self.visible_chars + self.invisible_chars
        return self.invisible_chars / total if total else 0.0


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """A PDFium document over `data`; `UnreadableDocument` (encrypted, damaged, no pages) if not."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise _load_error(data, _load_error_code(data)) from e


def _load_error_code(data: bytes) -> int:
    """PDFium's load error for `data`, or FPDF_ERR_SUCCESS when it loads but has no page.

    pypdfium2 reads FPDF_GetLastError() after a zero page count too, when the code is stale
    (left by an earlier failed load in this thread): a 0-page file after an encrypted one was
    reported as encrypted. Loading again through the raw API gives a fresh, unambiguous code.
    """
    handle = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
    if handle:
        pdfium_c.FPDF_CloseDocument(handle)
        return int(pdfium_c.FPDF_ERR_SUCCESS)
    return int(pdfium_c.FPDF_GetLastError())


def flatten_forms(doc: pdfium.PdfDocument) -> bytes | None:
    """The PDF's bytes with its form fields drawn into the page content, or None without a form.

    A filled interactive form (a beneficial-owner declaration typed into the fields of a
    fillable PDF) keeps its values in widget annotations, not in the page content: pdfplumber
    sees only the empty form and OCR of an unflattened page misses them too. Flattening with
    PDFium (as a viewer's "print to PDF" does) puts them in the content, where both read them.
    `doc` is modified and should be closed by the caller; reopen the returned bytes instead.
    """
    if pdfium_c.FPDF_GetFormType(doc) == pdfium_c.FORMTYPE_NONE:
        return None
    doc.init_forms()  # builds missing field appearances, so flattening has something to draw
    for index in range(len(doc)):
        page = doc[index]
        try:
            page.flatten()
        finally:
            page.close()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def looks_truncated(data: bytes) -> bool:
    """Whether the file's end-of-file marker is missing (an interrupted download or copy)."""
    return b"%%EOF" not in data[-_EOF_WINDOW:]


def _load_error(data: bytes, code: int) -> UnreadableDocument:
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return UnreadableDocument(
            "The PDF is protected by a password (encrypted). Open it with its password and "
            "save or print it as a PDF without protection, or ask the sender for an unprotected "
            "copy, then add it again.",
            reason=UnreadableReason.ENCRYPTED,
        )
    if code == pdfium_c.FPDF_ERR_SUCCESS:
        # PDFium loaded the file but found no page in it.
        return UnreadableDocument(
            "The PDF has no pages. Export the document again and check it opens in a PDF viewer.",
            reason=UnreadableReason.NO_PAGES,
        )
    if looks_truncated(data):
        return UnreadableDocument(
            "The PDF is incomplete: its end is missing (an interrupted download or copy). "
            "Download or export the document again.",
            reason=UnreadableReason.TRUNCATED,
        )
    return UnreadableDocument(
        "The PDF is damaged and could not be repaired (broken cross-reference table or "
        "objects). Export or print the document to PDF again and add the new file.",
        reason=UnreadableReason.CORRUPT,
    )


def page_census(doc: pdfium.PdfDocument, index: int) -> PageCensus:
    """Count the page's visible and invisible characters and measure its image coverage."""
    page = doc[index]
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        page_area = max(width * height, 1.0)
        visible = invisible = largest = 0
        image_area = 0.0
        kinds = [pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE]
        for obj in page.get_objects(filter=kinds, textpage=textpage):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                left, bottom, right, top = obj.get_bounds()
                w = max(0.0, min(right, width) - max(left, 0.0))
                h = max(0.0, min(top, height) - max(bottom, 0.0))
                image_area += w * h
                px_w, px_h = obj.get_px_size()  # from the image's dictionary: nothing decoded
                largest = max(largest, px_w * px_h)
                continue
            n = len("".join(obj.extract().split()))
            if pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == _INVISIBLE_RENDER_MODE:
                invisible += n
            else:
                visible += n
        return PageCensus(visible, invisible, min(1.0, image_area / page_area), largest)
    finally:
        textpage.close()
        page.close()


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page rendered for OCR: greyscale pixels and the resolution actually used."""

    pixels: GreyImage
    dpi: float
    width_pt: float
    height_pt: float
    reduced: bool  # True when the page was too large for `dpi` within the pixel limit


def render_page(
    doc: pdfium.PdfDocument, index: int, *, dpi: float, max_pixels: int
) -> RenderedPage:
    """Page `index` as greyscale pixels at `dpi`, or at a lower dpi if it would exceed `max_pixels`.

    Page rotation (/Rotate) is applied, so the pixels are the page as a viewer shows it; PDFium's
    page size already accounts for it (as pdfplumber's page size and word boxes do).
    """
    page = doc[index]
    try:
        width_pt, height_pt = page.get_size()
        pixels_at_dpi = (width_pt * dpi / _POINTS_PER_INCH) * (height_pt * dpi / _POINTS_PER_INCH)
        reduced = pixels_at_dpi > max_pixels
        if reduced:
            # Oversized pages (posters, plans, broken MediaBoxes) would render into gigabytes.
            dpi = dpi * math.sqrt(max_pixels / pixels_at_dpi)
        bitmap = page.render(scale=dpi / _POINTS_PER_INCH, grayscale=True)
        pixels = np.array(bitmap.to_numpy(), dtype=np.uint8, copy=True)
        if pixels.ndim == 3:
            pixels = pixels[:, :, 0]
        bitmap.close()
        return RenderedPage(pixels, dpi, width_pt, height_pt, reduced)
    finally:
        page.close()
