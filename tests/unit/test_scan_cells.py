"""Table cells the page segmentation skipped are found and read again (extractors/scan.py).

Tesseract's psm 3 can leave a shaded table cell out of every block, so no word comes back for
text that is sharp in the image. The page image here is drawn with PIL: a table with grey
cells and rules, skewed by 1.5°, as a 200-dpi scan; the pipeline's own steps run on it.
"""

from __future__ import annotations

import shutil
import time
from typing import TYPE_CHECKING

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import ocr, preprocess, reread, scan
from extractors.base import ReadContext
from kanta_docs.models import Word

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")

_DPI = 200.0
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
# (x, y) of each cell's text in the 200-dpi page; the label column is read by the first pass.
_LABELS = (("Nom patronymique", 60, 140), ("Nationalité", 60, 200))
_CELLS = (
    ("Personne n° 1", 420, 80, True),
    ("Personne n° 2", 800, 80, True),
    ("LE GOFF", 420, 140, False),
    ("TEXIER", 800, 140, False),
    ("Française", 420, 200, False),
)


def _table_page(angle_deg: float = 1.5) -> np.ndarray:
    """A grey scan of a ruled table with a shaded header row, text touching the rules."""
    page = Image.new("L", (1400, 360), 232)
    draw = ImageDraw.Draw(page)
    regular, bold = ImageFont.truetype(_FONT, 22), ImageFont.truetype(_BOLD, 22)
    draw.rectangle((400, 70, 1180, 118), fill=212)  # the header row's fill
    for y in (70, 118, 178, 238):
        draw.line((40, y, 1180, y), fill=150, width=2)
    for x in (400, 780):
        draw.line((x, 60, x, 238), fill=90, width=3)
    for text, x, y, heading in _CELLS:
        draw.text((x, y), text, fill=25, font=bold if heading else regular)
    for text, x, y in _LABELS:
        draw.text((x, y), text, fill=25, font=bold)
    skewed = page.rotate(angle_deg, resample=Image.Resampling.BILINEAR, fillcolor=232)
    return np.asarray(skewed, dtype=np.uint8)


def _first_pass_without_cells(pixels: np.ndarray, tmp_path: Path) -> ocr.OcrResult:
    """The page read as psm 3 reads it when it drops the cells: only the label column."""
    path = tmp_path / "labels.pgm"
    labels = pixels.copy()
    labels[:, 390:] = 255
    assert cv2.imwrite(str(path), labels)
    return ocr.ocr_image(path, languages="fra", dpi=_DPI, timeout_s=60)


def _box(text: str, x: int, y: int, bold: bool) -> tuple[int, int, int, int]:
    font = ImageFont.truetype(_BOLD if bold else _FONT, 22)
    return (x, y, x + round(font.getlength(text)), y + 26)


def test_unread_text_boxes_finds_cells_no_word_covers_and_nothing_on_a_read_page() -> None:
    pixels = preprocess.remove_rules(_table_page(0.0), _DPI)
    cells = [_box(text, x, y, bold) for text, x, y, bold in _CELLS]
    labels = [_box(text, x, y, True) for text, x, y in _LABELS]
    boxes = preprocess.unread_text_boxes(pixels, labels, _DPI)
    assert len(boxes) == len(cells)
    for x0, top, x1, _ in cells:  # every skipped cell is inside one box
        assert any(b[0] <= x0 + 6 and b[2] >= x1 - 6 and b[1] <= top + 10 for b in boxes)
    assert preprocess.unread_text_boxes(pixels, [*labels, *cells], _DPI) == []


def test_skewed_shaded_cells_the_first_pass_skipped_come_back(tmp_path: Path) -> None:
    straight = preprocess.remove_rules(preprocess.rotate_small(_table_page(), -1.5), _DPI)
    first = _first_pass_without_cells(straight, tmp_path)
    assert not {"GOFF", "TEXIER", "Personne"} & {w.text for w in first.words}
    ctx = ReadContext()
    result = reread.read_again(
        first, straight, _DPI, tmp_path / "cells.pgm", ctx, deadline=time.monotonic() + 60
    )
    texts = [w.text for w in result.words]
    for word in ("LE", "GOFF", "TEXIER", "Française"):
        assert word in texts
    assert texts.count("Personne") == 2
    assert "LE GOFF" in result.text and "Nom patronymique" in result.text
    # Words already read are not read twice.
    assert texts.count("patronymique") == 1


def test_whole_scan_step_reads_text_touching_rules_at_a_small_skew(tmp_path: Path) -> None:
    result = scan.ocr_pixels(_table_page(), _DPI, 1, ReadContext(), tmp_path)
    texts = {w.text for w in result.words}
    assert {"LE", "GOFF", "TEXIER", "Française", "Personne", "patronymique"} <= texts


def test_flatten_background_whitens_a_cell_fill_and_keeps_the_letters() -> None:
    pixels = _table_page(0.0)
    flat = preprocess.flatten_background(pixels, _DPI)
    assert flat[95, 1150] >= 250  # header fill, away from any letter
    assert flat[110, 40:390].min() >= 250  # paper
    assert flat[80:110, 420:560].min() < 80  # "Personne" stays dark


def _word(text: str, x0: float, x1: float, confidence: float, top: float = 100.0) -> Word:
    return Word(text=text, x0=x0, top=top, x1=x1, bottom=top + 10, confidence=confidence)


def _first(*keyed: tuple[Word, tuple[int, int, int]]) -> ocr.OcrResult:
    words = tuple(w for w, _ in keyed)
    lines = tuple(k for _, k in keyed)
    return ocr.OcrResult(ocr.render_text(words, lines), words, 50.0, 1.0, lines=lines)


def test_second_reading_replaces_debris_it_covers_in_place_and_keeps_sure_words() -> None:
    first = _first(
        (_word("Qualité", 50, 80, 32), (1, 1, 1)),
        (_word("{°Nom/Dénomination", 130, 218, 0), (1, 1, 1)),
        (_word("nes.", 270, 317, 41), (1, 1, 1)),
        (_word("Gérant", 50, 80, 96, top=120), (1, 1, 2)),
    )
    read = [
        _word("Nom", 143, 158, 88),
        _word("/", 159, 162, 88),
        _word("Dénomination", 163, 215, 96),
        _word("Prénoms", 275, 310, 96),
        _word("Qualité", 51, 80, 93),
        _word("Gérant", 50, 80, 97, top=120),  # read again from a piece's padding: dropped
    ]
    merged = reread.merge_second_reading(first, read)
    assert merged.text == "Qualité Nom / Dénomination Prénoms\nGérant"
    assert [w.text for w in merged.words if w.text == "Gérant"] == ["Gérant"]
    assert len(merged.lines) == len(merged.words)


def test_second_reading_leaves_an_unsure_word_it_only_grazes() -> None:
    # The padding of the next piece read « ut », the end of an unsure « Début »: too little of
    # it to stand for the word.
    first = _first((_word("Début", 300, 330, 50), (1, 1, 1)))
    merged = reread.merge_second_reading(first, [_word("ut", 320, 330, 96)])
    assert merged.text == "Début"


def test_second_reading_appends_skipped_cells_as_their_own_lines() -> None:
    first = _first((_word("HENRY", 140, 170, 96), (1, 1, 1)))
    merged = reread.merge_second_reading(
        first, [_word("Théo", 277, 295, 93), _word("Boulogne", 100, 140, 90, top=140)]
    )
    assert merged.text == "HENRY\n\nThéo\nBoulogne"


def test_neighbouring_cells_are_cut_apart_halfway_and_overlapping_boxes_as_one() -> None:
    # Two header cells 20 px apart at 200 dpi (pads of 24 px would overlap): each is its own
    # piece, split halfway; a box inside another is read once with it.
    cuts = reread._cuts(  # noqa: SLF001 - the step under test
        [(100, 50, 200, 70), (220, 50, 300, 70), (110, 52, 150, 68)], (1000, 1000), _DPI
    )
    assert cuts == [(76, 42, 210, 78), (210, 42, 324, 78)]
