"""Pages scanned a quarter turn off are set upright before their words are used (scan.py).

Tesseract's automatic segmentation reads a page turned by 90° as it is, with a good
confidence, but hands back word boxes standing on end: every reading that works from where words
sit (a label and the value under it, the machine-readable zone's second pass) is then lost. The
page image here is drawn with PIL (a card's labels and values, as a 300-dpi grey scan) and
turned both ways; the pipeline's own steps run on it with the real Tesseract.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import preprocess, scan
from extractors.base import ReadContext
from extractors.layout import page_lines

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")

_DPI = 300.0
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
_LINES = (
    ("NOM / Surname", 60, 60, 30),
    ("BERTHIER", 60, 110, 40),
    ("Prénoms / Given names", 60, 190, 30),
    ("Corinne, Marie", 60, 240, 40),
    ("DATE DE NAISSANCE / DATE OF BIRTH", 60, 320, 30),
    ("06 12 1965", 60, 370, 40),
    ("LIEU DE NAISSANCE / PLACE OF BIRTH", 60, 450, 30),
    ("Clermont-Ferrand", 60, 500, 40),
)


def _card_page() -> np.ndarray:
    page = Image.new("L", (1400, 620), 245)
    draw = ImageDraw.Draw(page)
    for text, x, y, size in _LINES:
        draw.text((x, y), text, fill=20, font=ImageFont.truetype(_FONT, size))
    return np.asarray(page, dtype=np.uint8)


@pytest.mark.parametrize("clockwise_deg", [90, 270])
def test_page_scanned_sideways_is_read_upright_with_flat_word_boxes(
    clockwise_deg: int, tmp_path: Path
) -> None:
    sideways = preprocess.rotate_quadrant(_card_page(), clockwise_deg)
    result = scan.ocr_pixels(sideways, _DPI, 1, ReadContext(ocr_languages="fra"), tmp_path)
    lines = result.text.splitlines()
    assert "BERTHIER" in lines
    assert any("Clermont-Ferrand" in line for line in lines)
    long_words = [w for w in result.words if len(w.text) >= 4]
    assert long_words and all(w.x1 - w.x0 > w.bottom - w.top for w in long_words)
    assert result.width > result.height  # the page as printed: landscape, like the drawing
    surname = next(w for w in result.words if w.text == "BERTHIER")
    label = next(w for w in result.words if w.text == "Surname")
    assert surname.top > label.bottom  # the value under its label again


def _boxes(texts: list[str], *, down: bool) -> list[tuple[str, float, float, float, float]]:
    """Words of one sideways line, as Tesseract returns them: in reading order, standing on
    end (10 points wide, 8 points tall per character), running down or up the page."""
    out, y = [], 0.0 if down else 500.0
    for text in texts:
        height = 8.0 * len(text)
        top = y if down else y - height
        out.append((text, 100.0, top, 110.0, top + height))
        y = top + height + 6 if down else top - 6
    return out


def test_sideways_turn_follows_the_reading_order() -> None:
    words = ["NOM", "Surname", "BERTHIER", "Corinne", "Given", "names", "Prénoms"]
    assert preprocess.sideways_turn(_boxes(words, down=True)) == 270
    assert preprocess.sideways_turn(_boxes(words, down=False)) == 90


def test_upright_words_and_short_words_are_not_sideways() -> None:
    flat = [(t, 10.0 * i, 100.0, 10.0 * i + 8.0 * len(t), 112.0)
            for i, t in enumerate(["Extrait", "Kbis", "SOCIETE", "capital", "euros", "siège"])]
    assert preprocess.sideways_turn(flat) is None
    # Digits and initials stand taller than wide in any orientation: too short to tell.
    short = [("M", 0.0, 0.0, 6.0, 12.0), ("F", 20.0, 0.0, 26.0, 12.0),
             ("12", 40.0, 0.0, 50.0, 12.0)]
    assert preprocess.sideways_turn(short * 3) is None


def _form_page(angle_deg: float) -> np.ndarray:
    """A form's rows spanning an A4 width at 300 dpi, two label cells and their values per row,
    skewed by `angle_deg` (under the angle the image is straightened for)."""
    page = Image.new("L", (2480, 700), 245)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(_FONT, 34)
    rows = (("Nom de naissance", "Nom d'usage", 80), ("MERCIER-GAUTHIER", "BRECHET", 150),
            ("Date de naissance", "Lieu de naissance", 300), ("09/05/1963", "Reims", 370))
    for left, right, y in rows:
        draw.text((120, y), left, fill=20, font=font)
        draw.text((1900, y), right, fill=20, font=font)
    skewed = page.rotate(angle_deg, resample=Image.Resampling.BILINEAR, fillcolor=245)
    return np.asarray(skewed, dtype=np.uint8)


def test_small_skew_is_taken_out_of_the_word_boxes_so_rows_stay_rows(tmp_path: Path) -> None:
    angle = 0.8
    assert angle < preprocess.MIN_DESKEW_DEG  # the image itself is not straightened
    result = scan.ocr_pixels(_form_page(angle), _DPI, 1, ReadContext(ocr_languages="fra"),
                             tmp_path)
    page = result.to_page(1, ())
    rows = [line.text for line in page_lines(page)]
    assert "Nom de naissance Nom d'usage" in rows
    assert "MERCIER-GAUTHIER BRECHET" in rows
    assert "09/05/1963 Reims" in rows
