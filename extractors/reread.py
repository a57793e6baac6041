"""Second OCR pass over what the first one skipped or read unsurely.

Tesseract's automatic segmentation (psm 3) can leave a table cell out of every block: no word
at all for text that is sharp in the image (`preprocess.unread_text_boxes`). It also reads
bold text on a shaded header row as debris at low confidence (« nes. » for « Prénoms »,
« {°Nom/Dénomination » at 0), which leaves a table without the column labels its reader
needs. Both kinds of pieces are cut out, their grey fill flattened to white, stacked one under
another on a small white strip and read as one block (psm 6). Alone on a strip, with nothing
around them to segment, they read at 85-97: « Prénoms », « Théo », « 416235638 » where the
first pass gave « 4116235638 » at 33. Left at their place on a blank page instead, a short
cell is often not read at all.

The words read again go back to their place on the page. One that lies over a surely read
word is dropped; one over unsure words replaces them when the new words cover most of each;
one over nothing is added, its lines appended to the text. Pages with nothing skipped and no
unsure word (most born-digital renderings, clean scans) pay only the check (80-110 ms).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from extractors import ocr, preprocess
from kanta_docs.logs import get_logger

if TYPE_CHECKING:
    from pathlib import Path

    from extractors.base import ReadContext
    from extractors.preprocess import GreyImage
    from kanta_docs.models import Word

log = get_logger(__name__)

_POINTS_PER_INCH = 72.0
_PSM = 6  # one block: nothing on the strip around the pieces to segment away
_PAD_X_IN = 0.12  # a letter or two the check left out at either end (a digit after a gap)
_PAD_Y_IN = 0.04
_STRIP_MARGIN_IN = 0.2  # white around the stacked pieces
_STRIP_GAP_IN = 0.15  # between two pieces: more than a line's leading, so each is its own line
# A first-pass word under this confidence is read again. Debris on shaded cells reads at 0-50;
# surely read words at 85+.
SHAKY_MAX_CONFIDENCE = 60.0
# Words read again that are trusted: skipped cells read back at 91-97; what a form's boxes and
# ticks give is junk at 51-77 ("JE", "Lez", "|" on a scanned DBE-S-1).
_MIN_WORD_CONFIDENCE = 85.0
# Share of an unsure word's width the new words over it must cover to replace it (a piece's
# padding reads the end of the next word too: « ut » of « Début » does not replace it).
_MIN_COVER = 0.6
# A page of debris would make a strip as tall as ten pages: past this, the rest is left.
_MAX_PIECES = 60
# Where the appended lines of skipped cells go in the text: after every block of the page.
_APPENDED_BLOCK = 1_000_000


def read_again(
    first: ocr.OcrResult,
    pixels: GreyImage,
    dpi: float,
    path: Path,
    ctx: ReadContext,
    deadline: float,
) -> ocr.OcrResult:
    """`first` with skipped text added and unsure words replaced by a second reading."""
    scale = dpi / _POINTS_PER_INCH
    boxes = preprocess.unread_text_boxes(pixels, [_pixel_box(w, scale) for w in first.words], dpi)
    boxes += [_pixel_box(w, scale) for w in first.words if _is_shaky(w)]
    remaining = deadline - time.monotonic()
    if not boxes or remaining <= 0:
        return first
    cuts = _cuts(boxes, pixels.shape, dpi)
    if len(cuts) > _MAX_PIECES:
        log.info("second pass capped", pieces=len(cuts), kept=_MAX_PIECES)
        cuts = cuts[:_MAX_PIECES]
    strip, pieces = _strip(pixels, cuts, dpi)
    if not cv2.imwrite(str(path), strip):
        return first
    second = ocr.ocr_image(
        path, languages=ctx.ocr_languages, dpi=dpi, timeout_s=remaining, psm=_PSM
    )
    on_page = (_back_on_page(w, pieces, scale) for w in second.words)
    read = [
        w
        for w in on_page
        if w is not None
        and (w.confidence or 0) >= _MIN_WORD_CONFIDENCE
        and any(ch.isalnum() for ch in w.text)
    ]
    merged = merge_second_reading(first, read)
    log.info(
        "second pass read",
        pieces=len(cuts),
        words=len(read),
        seconds=round(second.seconds, 2),
        timed_out=second.timed_out,
    )
    return replace(merged, seconds=first.seconds + second.seconds)


def merge_second_reading(first: ocr.OcrResult, read: list[Word]) -> ocr.OcrResult:
    """`first` with the words `read` again put in: replacing the unsure words they cover,
    added where they lie over no word, dropped over a surely read one. Pure."""
    words, lines = first.words, first.lines
    if len(lines) != len(words):  # no line structure to rebuild the text from
        lines = tuple((0, 0, i) for i in range(len(words)))
    shaky = [i for i, w in enumerate(words) if _is_shaky(w)]
    over: dict[int, list[Word]] = {i: [] for i in shaky}  # unsure word -> new words over it
    added: list[Word] = []
    for new in read:
        if any(_overlaps(new, w) for w in words if not _is_shaky(w)):
            continue
        hits = [i for i in shaky if _meet(new, words[i])]
        for i in hits:
            over[i].append(new)
        if not hits:
            added.append(new)
    replaced = {i for i, news in over.items() if news and _covers(news, words[i])}
    out_words: list[Word] = []
    out_lines: list[ocr.LineKey] = []
    placed: set[int] = set()  # ids of new words already put in (one may cover two old ones)
    for i, (word, key) in enumerate(zip(words, lines, strict=True)):
        if i not in replaced:
            out_words.append(word)
            out_lines.append(key)
            continue
        for new in sorted(over[i], key=lambda w: w.x0):
            if id(new) not in placed:
                placed.add(id(new))
                out_words.append(new)
                out_lines.append(key)
    for n, line in enumerate(_lines(added)):
        out_words += line
        out_lines += [(_APPENDED_BLOCK, 0, n)] * len(line)
    if not replaced and not added:
        return first
    confidences = [w.confidence for w in out_words if w.confidence is not None]
    return ocr.OcrResult(
        text=ocr.render_text(tuple(out_words), tuple(out_lines)),
        words=tuple(out_words),
        confidence=sum(confidences) / len(confidences) if confidences else None,
        seconds=first.seconds,
        lines=tuple(out_lines),
    )


def _is_shaky(word: Word) -> bool:
    return (word.confidence or 0.0) < SHAKY_MAX_CONFIDENCE and any(
        ch.isalnum() for ch in word.text
    )


def _pixel_box(word: Word, scale: float) -> tuple[int, int, int, int]:
    return (
        round(word.x0 * scale),
        round(word.top * scale),
        round(word.x1 * scale),
        round(word.bottom * scale),
    )


def _cuts(
    boxes: list[tuple[int, int, int, int]], shape: tuple[int, ...], dpi: float
) -> list[tuple[int, int, int, int]]:
    """`boxes` that overlap merged, each then padded up to halfway to its neighbours and
    clipped to the image, in reading order. Two cuts sharing ink would have it read twice;
    two cells cut as one piece are read as one line, where one cell's debris lowers the
    other's confidence."""
    merged = _merged(boxes)
    pad_x, pad_y = round(_PAD_X_IN * dpi), round(_PAD_Y_IN * dpi)
    height, width = shape[0], shape[1]
    cuts = []
    for i, (x0, top, x1, bottom) in enumerate(merged):
        c = [max(x0 - pad_x, 0), max(top - pad_y, 0), min(x1 + pad_x, width),
             min(bottom + pad_y, height)]
        for j, (u0, utop, u1, ubottom) in enumerate(merged):
            if j == i or not (c[0] < u1 + pad_x and u0 - pad_x < c[2]
                              and c[1] < ubottom + pad_y and utop - pad_y < c[3]):
                continue
            if u0 >= x1:  # neighbour on the right
                c[2] = min(c[2], (x1 + u0) // 2)
            elif u1 <= x0:  # on the left
                c[0] = max(c[0], (u1 + x0 + 1) // 2)
            elif utop >= bottom:  # below
                c[3] = min(c[3], (bottom + utop) // 2)
            elif ubottom <= top:  # above
                c[1] = max(c[1], (ubottom + top + 1) // 2)
        cuts.append((c[0], c[1], c[2], c[3]))
    return sorted(cuts, key=lambda c: (c[1], c[0]))


def _merged(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """`boxes` with those that overlap replaced by their union, until none overlap."""
    out = [list(b) for b in boxes]
    changed = True
    while changed:
        changed = False
        for a in range(len(out)):
            for b in range(a + 1, len(out)):
                p, q = out[a], out[b]
                if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]:
                    out[a] = [min(p[0], q[0]), min(p[1], q[1]), max(p[2], q[2]), max(p[3], q[3])]
                    del out[b]
                    changed = True
                    break
            if changed:
                break
    return [(b[0], b[1], b[2], b[3]) for b in out]


@dataclass(frozen=True, slots=True)
class _Piece:
    """Where one cut-out piece of the page (pixels) sits on the strip read again."""

    strip_top: int
    strip_bottom: int
    dx: int  # page x minus strip x
    dy: int  # page y minus strip y


def _strip(
    pixels: GreyImage, cuts: list[tuple[int, int, int, int]], dpi: float
) -> tuple[GreyImage, list[_Piece]]:
    """The `cuts` of `pixels`, background flattened, stacked top to bottom on white."""
    margin, gap = round(_STRIP_MARGIN_IN * dpi), round(_STRIP_GAP_IN * dpi)
    strip_width = max(x1 - x0 for x0, _, x1, _ in cuts) + 2 * margin
    strip_height = sum(bottom - top for _, top, _, bottom in cuts) + gap * (len(cuts) - 1)
    strip = np.full((strip_height + 2 * margin, strip_width), 255, dtype=np.uint8)
    pieces: list[_Piece] = []
    y = margin
    for x0, top, x1, bottom in cuts:
        strip[y : y + bottom - top, margin : margin + x1 - x0] = preprocess.flatten_background(
            pixels[top:bottom, x0:x1], dpi
        )
        pieces.append(_Piece(y, y + bottom - top, x0 - margin, top - y))
        y += bottom - top + gap
    return strip, pieces


def _back_on_page(word: Word, pieces: list[_Piece], scale: float) -> Word | None:
    """`word`, read on the strip, at its place on the page; None if it lies in no piece."""
    centre = (word.top + word.bottom) / 2 * scale
    for piece in pieces:
        if piece.strip_top <= centre <= piece.strip_bottom:
            dx, dy = piece.dx / scale, piece.dy / scale
            return replace(
                word,
                x0=word.x0 + dx,
                x1=word.x1 + dx,
                top=word.top + dy,
                bottom=word.bottom + dy,
            )
    return None


def _overlaps(a: Word, b: Word) -> bool:
    """Whether `a` lies half or more inside `b` (the same ink read twice)."""
    return a.shared_area(b) >= 0.5 * a.area


def _meet(a: Word, b: Word) -> bool:
    """Whether half of either word lies inside the other."""
    shared = a.shared_area(b)
    return shared > 0 and shared >= 0.5 * min(a.area, b.area)


def _covers(news: list[Word], old: Word) -> bool:
    """Whether `news` together span most of `old`'s width."""
    spans = sorted((max(w.x0, old.x0), min(w.x1, old.x1)) for w in news)
    covered, reach = 0.0, old.x0
    for x0, x1 in spans:
        start = max(x0, reach)
        if x1 > start:
            covered += x1 - start
            reach = x1
    return covered >= _MIN_COVER * (old.x1 - old.x0)


def _lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by their vertical centres, top to bottom, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        centre = (word.top + word.bottom) / 2
        if lines:
            last = lines[-1]
            last_centre = sum((w.top + w.bottom) / 2 for w in last) / len(last)
            if abs(centre - last_centre) <= 0.5 * (word.bottom - word.top):
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]
