"""OCR of one page image: deskew when skewed, one Tesseract pass, and OSD only if it looks bad.

The scan path of the reading stage, shared by PDF pages without usable text and image files.
It wires `preprocess` (pure image steps, each kept because bench/bench_reading.py measured a
gain) around the `ocr` adapter, and turns what the adapter reports into page warnings in the
contract's shape ("page 2: OCR timed out after 60 s", "page 2: OCR confidence 61% below 70%").
Work files go to the document's work folder as `NNNN_ocr.pgm` (and `NNNN_ocr_turned.pgm`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cv2

from extractors import ocr, preprocess
from kanta_docs.errors import ExtractorFailed
from kanta_docs.logs import get_logger
from kanta_docs.models import Page, Word
from kanta_docs.vocab import TextSource

if TYPE_CHECKING:
    from pathlib import Path

    from extractors.base import ReadContext
    from extractors.preprocess import GreyImage

log = get_logger(__name__)

_POINTS_PER_INCH = 72.0


@dataclass(frozen=True, slots=True)
class ScanResult:
    """The OCR of one page image, with the page size (points) of the image as finally read."""

    text: str
    words: tuple[Word, ...]
    confidence: float | None
    width: float
    height: float
    timed_out: bool
    warnings: tuple[str, ...]

    def to_page(self, number: int, extra_warnings: tuple[str, ...]) -> Page:
        """This scan as page `number`; a timed-out scan is a page without text."""
        return Page(
            number=number,
            width=self.width,
            height=self.height,
            text=self.text,
            words=self.words,
            source=TextSource.NONE if self.timed_out else TextSource.OCR,
            ocr_confidence=self.confidence,
            warnings=(*extra_warnings, *self.warnings),
        )


def ocr_pixels(
    pixels: GreyImage, dpi: float, number: int, ctx: ReadContext, work: Path
) -> ScanResult:
    """OCR a greyscale page image: deskew if needed, one Tesseract pass, OSD only if it looks bad.

    The whole page, second pass included, gets `ctx.ocr_timeout_s` of wall-clock time.
    """
    deadline = time.monotonic() + ctx.ocr_timeout_s
    pixels = preprocess.remove_rules(_straighten(pixels, number), dpi)
    first = _ocr_once(pixels, dpi, work / f"{number:04d}_ocr.pgm", ctx, deadline)
    best, best_pixels = first, pixels
    if not first.timed_out and preprocess.looks_misoriented(
        first.confidence, len(first.words), preprocess.has_ink(pixels)
    ):
        turned = _turn_upright(pixels, dpi, work / f"{number:04d}_ocr.pgm", number, deadline)
        if turned is not None:
            second = _ocr_once(turned, dpi, work / f"{number:04d}_ocr_turned.pgm", ctx, deadline)
            if not second.timed_out and (second.confidence or 0) > (first.confidence or 0):
                best, best_pixels = second, turned
    height_px, width_px = best_pixels.shape
    warnings: list[str] = []
    if best.timed_out:
        warnings.append(f"page {number}: OCR timed out after {ctx.ocr_timeout_s:g} s")
    elif best.confidence is not None and best.confidence < ctx.ocr_min_confidence:
        warnings.append(
            f"page {number}: OCR confidence {best.confidence:.0f}% "
            f"below {ctx.ocr_min_confidence:.0f}%"
        )
    log.info(
        "page ocr",
        page=number,
        words=len(best.words),
        confidence=None if best.confidence is None else round(best.confidence, 1),
        seconds=round(best.seconds, 2),
        timed_out=best.timed_out,
    )
    return ScanResult(
        text=best.text,
        words=best.words,
        confidence=best.confidence,
        width=width_px * _POINTS_PER_INCH / dpi,
        height=height_px * _POINTS_PER_INCH / dpi,
        timed_out=best.timed_out,
        warnings=tuple(warnings),
    )


def _straighten(pixels: GreyImage, number: int) -> GreyImage:
    skew = preprocess.estimate_skew(pixels)
    if not preprocess.should_deskew(skew):
        return pixels
    log.info("page deskewed", page=number, angle_deg=skew.angle_deg)
    return preprocess.rotate_small(pixels, skew.angle_deg)


def _turn_upright(
    pixels: GreyImage, dpi: float, written: Path, number: int, deadline: float
) -> GreyImage | None:
    """The page turned upright if OSD is sure it is sideways or upside down, else None."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    orientation = ocr.detect_orientation(written, timeout_s=remaining)
    if orientation is None or orientation.rotate_deg == 0:
        return None
    if orientation.confidence < preprocess.MIN_OSD_CONFIDENCE:
        return None
    log.info("page turned upright", page=number, rotate_deg=orientation.rotate_deg)
    turned = _straighten(preprocess.rotate_quadrant(pixels, orientation.rotate_deg), number)
    return preprocess.remove_rules(turned, dpi)


def _ocr_once(
    pixels: GreyImage, dpi: float, path: Path, ctx: ReadContext, deadline: float
) -> ocr.OcrResult:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return ocr.OcrResult("", (), None, 0.0, timed_out=True)
    # PGM: uncompressed, written in ~1 ms; a PNG would cost 0.4-0.6 s per page (PERF.md §6).
    if not cv2.imwrite(str(path), pixels):
        raise ExtractorFailed("Could not write the page image for OCR: check the temp folder.")
    return ocr.ocr_image(path, languages=ctx.ocr_languages, dpi=dpi, timeout_s=remaining)
