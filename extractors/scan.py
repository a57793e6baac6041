"""OCR of one page image: deskew when skewed, one Tesseract pass, OSD only if it looks bad, then
a second pass over what the first skipped or read unsurely (`reread`).

The scan path of the reading stage, shared by PDF pages without usable text and image files.
It wires `preprocess` (pure image steps, each kept because bench/bench_reading.py measured a
gain) around the `ocr` adapter, and turns what the adapter reports into page warnings in the
contract's shape ("page 2: OCR timed out after 60 s", "page 2: OCR confidence 61% below 70%").
Work files go to the document's work folder as `NNNN_ocr.pgm` (and `NNNN_ocr_turned.pgm`,
`NNNN_again.pgm`, `NNNN_zone.pgm`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cv2

from extractors import ocr, preprocess, reread
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
# Second pass on a machine-readable zone (`_read_zone`).
_FILLERS = "<«"
_MIN_FILLERS = 2
_PAD_X_LINES = 2.0  # line heights
_PAD_Y_LINES = 1.0
_GROW_LINES = 2.0  # zone lines are about 2.5 line heights apart: gaps of 1.5
_MIN_ZONE_RUN = 15  # characters: half a card's zone line
_MIN_ZONE_RUN_SHARE = 0.9
_ZONE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_ZONE_PSM = 6  # one uniform block of text: the zone's lines, nothing else
_ZONE_LANGUAGE = "eng"  # no French dictionary to pull the zone towards words
# Skews from this up to preprocess.MIN_DESKEW_DEG are taken out of the word boxes only. Under
# it a row 500 pt wide (an A4 form's) drifts less than 4.4 pt, under half a line of 9-10 pt
# type: its cells still share a line, and the boxes are left as read.
_LEVEL_MIN_DEG = 0.5
# Mean-confidence points a page turned upright may lose against a first pass read sideways.
_SIDEWAYS_CONF_SLACK = 10.0


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
    zone_text: str | None = None

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
            zone_text=self.zone_text,
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
    best, best_pixels = _read_upright(first, pixels, dpi, number, ctx, work, deadline)
    if not best.timed_out:
        best = reread.read_again(
            best, best_pixels, dpi, work / f"{number:04d}_again.pgm", ctx, deadline
        )
    height_px, width_px = best_pixels.shape
    zone_text = None
    if not best.timed_out:
        zone_text = _read_zone(
            best_pixels, dpi, best.words, work / f"{number:04d}_zone.pgm", ctx, deadline
        )
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
        words=_level_words(best.words, best_pixels, dpi) if best.words else best.words,
        confidence=best.confidence,
        width=width_px * _POINTS_PER_INCH / dpi,
        height=height_px * _POINTS_PER_INCH / dpi,
        timed_out=best.timed_out,
        warnings=tuple(warnings),
        zone_text=zone_text,
    )


def _sideways_turn(result: ocr.OcrResult) -> int | None:
    return preprocess.sideways_turn([(w.text, w.x0, w.top, w.x1, w.bottom)
                                     for w in result.words])


def _read_upright(
    first: ocr.OcrResult,
    pixels: GreyImage,
    dpi: float,
    number: int,
    ctx: ReadContext,
    work: Path,
    deadline: float,
) -> tuple[ocr.OcrResult, GreyImage]:
    """The best reading of the page among the first pass and the page turned upright.

    A page read sideways (words standing on end) is turned the way its reading order tells;
    another page that reads badly is turned as OSD says, or by 180 if OSD declines. OSD is
    unsure on sparse pages (a card's back, a photocopied card on an A4 sheet), and has been
    seen to answer 180 for 90 or 270 for 90: when the turned page still reads badly, the
    opposite turn is tried too.
    """
    sideways = _sideways_turn(first)
    if first.timed_out or not preprocess.looks_misoriented(
        first.confidence, len(first.words), preprocess.has_ink(pixels), sideways is not None
    ):
        return first, pixels
    if sideways is not None:
        turn: int | None = sideways
    else:
        # Words lying flat but read badly: upright and a poor scan, or upside down. Where OSD
        # declines (too few characters it trusts, as on a card photocopied on a sheet), the
        # upside-down reading is tried once; the better-read of the two is kept.
        turn = _osd_turn(work / f"{number:04d}_ocr.pgm", deadline) or 180
    best, best_pixels = first, pixels
    tried = {0}  # the first pass
    while turn is not None and turn not in tried:
        tried.add(turn)
        turned = _turned(pixels, dpi, turn, number)
        second = _ocr_once(turned, dpi, work / f"{number:04d}_ocr_turned.pgm", ctx, deadline)
        if second.timed_out:
            break
        if _better_turned(first, best, second, sideways is not None):
            best, best_pixels = second, turned
        if not preprocess.looks_misoriented(second.confidence, len(second.words), True):
            break
        turn = (turn + 180) % 360
    return best, best_pixels


def _better_turned(
    first: ocr.OcrResult, best: ocr.OcrResult, second: ocr.OcrResult, sideways: bool
) -> bool:
    """Whether the page turned upright (`second`) reads better than the best reading so far.

    A sideways page that psm 3 read as it is has as good a confidence as the turned one, but
    words standing on end: a turned reading wins over it unless its words stand on end too, or
    its confidence is clearly worse (turned the wrong way).
    """
    second_conf = second.confidence or 0.0
    if sideways and best is first:
        first_conf = first.confidence or 0.0
        return _sideways_turn(second) is None and second_conf >= first_conf - _SIDEWAYS_CONF_SLACK
    return second_conf > (best.confidence or 0.0)


def _level_words(words: tuple[Word, ...], pixels: GreyImage, dpi: float) -> tuple[Word, ...]:
    """Word boxes moved to where they would sit on the page straightened, for a skew too small
    to straighten the image for (under `preprocess.MIN_DESKEW_DEG`).

    Tesseract reads such a page as well straight or not, but on a form whose rows span the page
    0.9° drops a 500 pt row's right end by 7.9 pt, nearly a line of 9-10 pt type: the label
    and value cells of one row no longer share a line (« Nom de naissance » and « Nom
    d'usage » on a scanned DBE-S-1, a value taken under the wrong label). Each box is moved
    by the rotation that straightens the page, about its centre (its size kept): no pixel is
    resampled and no second pass is needed.
    """
    skew = preprocess.estimate_skew(pixels)
    if abs(skew.angle_deg) < _LEVEL_MIN_DEG or not preprocess.has_skew_signal(skew):
        return words
    h, w = pixels.shape
    scale = dpi / _POINTS_PER_INCH
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew.angle_deg, 1.0)
    out = []
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2 * scale, (word.top + word.bottom) / 2 * scale
        nx = matrix[0, 0] * cx + matrix[0, 1] * cy + matrix[0, 2]
        ny = matrix[1, 0] * cx + matrix[1, 1] * cy + matrix[1, 2]
        dx, dy = (nx - cx) / scale, (ny - cy) / scale
        out.append(replace(word, x0=word.x0 + dx, x1=word.x1 + dx,
                           top=word.top + dy, bottom=word.bottom + dy))
    return tuple(out)


def _straighten(pixels: GreyImage, number: int) -> GreyImage:
    skew = preprocess.estimate_skew(pixels)
    if not preprocess.should_deskew(skew):
        return pixels
    log.info("page deskewed", page=number, angle_deg=skew.angle_deg)
    return preprocess.rotate_small(pixels, skew.angle_deg)


def _osd_turn(written: Path, deadline: float) -> int | None:
    """The clockwise turn OSD says sets the page upright; None if it cannot tell or says 0."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    orientation = ocr.detect_orientation(written, timeout_s=remaining)
    if orientation is None or orientation.rotate_deg == 0:
        return None
    if orientation.confidence < preprocess.MIN_OSD_CONFIDENCE:
        return None
    return orientation.rotate_deg


def _turned(pixels: GreyImage, dpi: float, clockwise_deg: int, number: int) -> GreyImage:
    log.info("page turned upright", page=number, rotate_deg=clockwise_deg)
    turned = _straighten(preprocess.rotate_quadrant(pixels, clockwise_deg), number)
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


def zone_box(words: tuple[Word, ...]) -> tuple[float, float, float, float] | None:
    """Where a machine-readable zone seems to sit (x0, top, x1, bottom in points), or None.

    Zone lines are the only text full of fillers: a word with two `<` (or `«`, as OCR reads
    them) marks one. A zone line whose fillers the page pass read as letters (« <ccccecece »)
    is taken in when it is a long run of zone-like characters just above or below. The box is
    padded by a line height or so, not more: psm 6 reads every line in the crop, and a
    half-cut line of print beside the zone is noise.
    """
    marked = [w for w in words if sum(w.text.count(ch) for ch in _FILLERS) >= _MIN_FILLERS]
    if not marked:
        return None
    heights = sorted(w.bottom - w.top for w in marked)
    line = heights[len(heights) // 2]
    x0, top = min(w.x0 for w in marked), min(w.top for w in marked)
    x1, bottom = max(w.x1 for w in marked), max(w.bottom for w in marked)
    grown = True
    while grown:
        grown = False
        for w in words:
            inside = w.top >= top and w.bottom <= bottom
            near = w.bottom >= top - _GROW_LINES * line and w.top <= bottom + _GROW_LINES * line
            if inside or not near or not _is_zone_run(w.text):
                continue
            if min(w.x1, x1) - max(w.x0, x0) < (w.x1 - w.x0) / 2:
                continue  # beside the zone, not above or below it
            top, bottom, grown = min(top, w.top), max(bottom, w.bottom), True
    return (
        x0 - _PAD_X_LINES * line,
        top - _PAD_Y_LINES * line,
        x1 + _PAD_X_LINES * line,
        bottom + _PAD_Y_LINES * line,
    )


def _is_zone_run(text: str) -> bool:
    """A long word of letters, digits and fillers only, as a zone line read without spaces."""
    legal = sum(ch.isascii() and ch.isalnum() or ch in _FILLERS for ch in text)
    return len(text) >= _MIN_ZONE_RUN and legal >= _MIN_ZONE_RUN_SHARE * len(text)


def _read_zone(
    pixels: GreyImage,
    dpi: float,
    words: tuple[Word, ...],
    path: Path,
    ctx: ReadContext,
    deadline: float,
) -> str | None:
    """The zone's text read again on its own, restricted to the zone's characters; None if the
    page has no zone-like word (most pages: they pay nothing) or the pass runs out of time.

    The page pass reads a zone with the whole French alphabet and dictionary: fillers come
    out as C, E or K, a 0 as O, and it rarely holds every check digit on a scan. Restricted
    to A-Z 0-9 < and read as one block of lines, the same pixels give the zone back.
    """
    box = zone_box(words)
    remaining = deadline - time.monotonic()
    if box is None or remaining <= 0:
        return None
    scale = dpi / _POINTS_PER_INCH
    height_px, width_px = pixels.shape
    x0, top, x1, bottom = (round(v * scale) for v in box)
    crop = pixels[max(top, 0) : min(bottom, height_px), max(x0, 0) : min(x1, width_px)]
    if crop.size == 0 or not cv2.imwrite(str(path), crop):
        return None
    started = time.perf_counter()
    result = ocr.ocr_image(
        path,
        languages=_ZONE_LANGUAGE,
        dpi=dpi,
        timeout_s=remaining,
        psm=_ZONE_PSM,
        whitelist=_ZONE_CHARS,
    )
    log.info(
        "zone ocr", seconds=round(time.perf_counter() - started, 2), timed_out=result.timed_out
    )
    return None if result.timed_out or not result.text.strip() else result.text
