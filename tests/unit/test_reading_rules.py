"""The reading stage's pure rules: TSV parsing, reading order, text-layer usability, page plans,
image dpi and skew estimation. No Tesseract, no files."""

import cv2
import numpy as np
import pytest

from extractors.images import A4_LONG_SIDE_IN, image_dpi
from extractors.ocr import parse_tsv
from extractors.pdf_file import PageCensus
from extractors.preprocess import (
    estimate_skew,
    looks_misoriented,
    remove_rules,
    rotate_quadrant,
    rotate_small,
    should_deskew,
)
from extractors.reading import Plan, plan_page, text_agreement
from extractors.text_layer import assess_text, layout_text
from kanta_docs.models import Word

TSV_HEADER = "\t".join(
    [
        "level",
        "page_num",
        "block_num",
        "par_num",
        "line_num",
        "word_num",
        "left",
        "top",
        "width",
        "height",
        "conf",
        "text",
    ]
)


def _tsv(rows: list[tuple[int, int, int, int, int, int, int, int, float, str]]) -> str:
    lines = [TSV_HEADER, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    for block, par, line, word, left, top, width, height, conf, text in rows:
        cells = (5, 1, block, par, line, word, left, top, width, height, conf, text)
        lines.append("\t".join(str(c) for c in cells))
    return "\n".join(lines) + "\n"


def test_parse_tsv_rebuilds_lines_paragraphs_and_points() -> None:
    tsv = _tsv(
        [
            (1, 1, 1, 1, 300, 300, 150, 40, 96.0, "Extrait"),
            (1, 1, 1, 2, 470, 300, 120, 40, 90.0, "Kbis"),
            (1, 1, 2, 1, 300, 360, 200, 40, 80.0, "Dénomination"),
            (2, 1, 1, 1, 300, 600, 100, 40, 70.0, "KANTA"),
            (2, 1, 1, 2, 420, 600, 10, 40, 95.0, " "),  # blank word: ignored
        ]
    )
    words, text, confidence = parse_tsv(tsv, dpi=300)
    assert text == "Extrait Kbis\nDénomination\n\nKANTA"
    assert [w.text for w in words] == ["Extrait", "Kbis", "Dénomination", "KANTA"]
    assert words[0].x0 == pytest.approx(72.0)  # 300 px at 300 dpi = 1 inch = 72 pt
    assert words[0].bottom == pytest.approx(340 * 72 / 300)
    assert confidence == pytest.approx((96 + 90 + 80 + 70) / 4)


def test_parse_tsv_leaves_out_phantom_words_over_surely_read_ones() -> None:
    tsv = _tsv(
        [
            (1, 1, 1, 1, 300, 300, 250, 40, 93.0, "Etablissements"),
            (1, 1, 1, 2, 560, 300, 150, 40, 89.0, "Thévenin"),
            (1, 1, 2, 1, 600, 302, 80, 36, 0.0, "er,"),  # made up over « Thévenin »
            (1, 1, 3, 1, 900, 300, 20, 40, 0.0, "|"),  # unsure, but over nothing: kept
        ]
    )
    words, text, _ = parse_tsv(tsv, dpi=300)
    assert [w.text for w in words] == ["Etablissements", "Thévenin", "|"]
    assert text == "Etablissements Thévenin\n|"


def test_parse_tsv_leaves_out_specks_read_as_letters() -> None:
    tsv = _tsv(
        [
            (1, 1, 1, 1, 770, 1490, 100, 44, 95.4, "Gaëlle"),
            (1, 1, 1, 2, 890, 1515, 4, 4, 0.0, "j"),  # a dust speck between the two lines
            (1, 1, 2, 1, 775, 1535, 200, 44, 96.0, "Marie-Hélène"),
            (1, 1, 3, 1, 775, 1600, 10, 30, 0.0, "l"),  # unsure, but letter-sized: kept
        ]
    )
    words, text, _ = parse_tsv(tsv, dpi=300)
    assert [w.text for w in words] == ["Gaëlle", "Marie-Hélène", "l"]
    assert text == "Gaëlle\nMarie-Hélène\nl"


def test_parse_tsv_of_a_blank_page() -> None:
    assert parse_tsv(TSV_HEADER + "\n", dpi=300) == ((), "", None)


def _line(words: list[str], x: float, top: float, size: float = 10.0) -> list[Word]:
    out = []
    for w in words:
        width = len(w) * size * 0.5
        out.append(Word(w, x, top, x + width, top + size))
        x += width + size * 0.28
    return out


def test_two_columns_are_read_one_after_the_other() -> None:
    words = _line(["Rapport", "de", "gestion", "annuel", "du", "président"], 56, 50)
    for i in range(5):
        words += _line(["gauche", "un", "deux", "trois", "quatre", f"g{i}"], 56, 100 + 13 * i)
        words += _line(["droite", "un", "deux", "trois", "quatre", f"d{i}"], 320, 100 + 13 * i)
    text = layout_text(words)
    assert text.index("g4") < text.index("droite")
    assert text.splitlines()[0] == "Rapport de gestion annuel du président"
    assert "gauche un deux trois quatre g0\ngauche" in text


def test_label_value_rows_stay_rows() -> None:
    words: list[Word] = []
    rows = [("Dénomination", "KANTA CONSEIL"), ("Capital", "10 000 euros"), ("Forme", "SAS")]
    for i, (label, value) in enumerate(rows * 2):
        words += _line(label.split(), 56, 100 + 16 * i) + _line(value.split(), 220, 100 + 16 * i)
    assert layout_text(words).splitlines()[1] == "Capital 10 000 euros"


def test_layout_text_keeps_every_word_in_order_of_lines() -> None:
    words = _line(["a", "b"], 300, 200) + _line(["c"], 56, 100)
    assert layout_text(words) == "c\na b"
    assert layout_text([]) == ""


PROSE = (
    "Le président de la société déclare que les comptes annuels de l'exercice ont été "
    "approuvés par l'assemblée générale des associés, qui donne quitus au gérant pour sa "
    "gestion et décide d'affecter le résultat au compte de report à nouveau. "
) * 3


@pytest.mark.parametrize(
    "text",
    [
        PROSE,
        "FACTURE N° 2024-118\nTotal HT 1 250,00 €\nTVA 20 % 250,00 €\nTotal TTC 1 500,00 €",
        "Extrait Kbis\nSIREN 889 924 320\nRCS Caen\nCapital 10 000 EUR\nSAS KANTA",
    ],
)
def test_real_text_is_usable(text: str) -> None:
    quality = assess_text(text)
    assert quality.is_usable, quality


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "no text layer"),
        ("Page 2/3", "no text layer"),
        ("(cid:12)(cid:45)(cid:3)(cid:77) " * 30, "undecodable"),
        ("\ue001\ue002\ue003 \ue004\ue005 " * 30, "undecodable"),
        ("#%& *+= @^~ |¤§ ¶#% " * 20, "symbols"),
        ("~ffgs§wfg fdr rjjdgwf qljlrrjrgf wg *f^gj^jl fl¶jf^f rwjjfr f¶qfrj¶g " * 5, "soup"),
    ],
)
def test_glyph_soup_is_not_usable(text: str, why: str) -> None:
    quality = assess_text(text)
    assert not quality.is_usable
    assert why in (quality.reason or "")


def test_shifted_letters_fail_the_common_word_check() -> None:
    # A Caesar-shifted font map: letters and vowels, but no word of any language.
    shifted = "".join(chr(ord(c) + 1) if c.isalpha() else c for c in PROSE * 2)
    assert not assess_text(shifted).is_usable


def test_text_agreement() -> None:
    assert text_agreement(PROSE, PROSE.upper()) == pytest.approx(1.0)
    assert text_agreement(PROSE, "Tout autre chose, sans rapport aucun avec ce texte.") < 0.1
    assert text_agreement("", "") == 1.0


USABLE = assess_text(PROSE)
SOUP = assess_text("(cid:12)" * 40)


@pytest.mark.parametrize(
    ("quality", "census", "words", "plan"),
    [
        (USABLE, PageCensus(500, 0, 0.0), 80, Plan.TEXT_LAYER),
        (SOUP, PageCensus(500, 0, 0.0), 80, Plan.OCR),
        (None, PageCensus(0, 0, 1.0), 0, Plan.OCR),
        (USABLE, PageCensus(0, 500, 1.0), 80, Plan.VERIFY_HIDDEN),
        (USABLE, PageCensus(60, 0, 0.9), 12, Plan.OCR_IF_RICHER),
        (USABLE, PageCensus(500, 0, 0.9), 80, Plan.TEXT_LAYER),  # text over a background image
    ],
)
def test_plan_page(quality, census, words, plan) -> None:  # type: ignore[no-untyped-def]
    assert plan_page(quality, census, words, verify_hidden=True) is plan


def test_hidden_text_is_trusted_when_verification_is_off() -> None:
    assert plan_page(USABLE, PageCensus(0, 500, 1.0), 80, verify_hidden=False) is Plan.TEXT_LAYER


@pytest.mark.parametrize(
    ("raw", "size", "dpi", "estimated"),
    [
        ((300, 300), (2480, 3508), 300.0, False),
        ((200.0, 200.0), (1654, 2339), 200.0, False),
        ((72, 72), (4032, 3024), 4032 / A4_LONG_SIDE_IN, True),  # phone photo: 72 is a default
        (None, (2480, 3508), 3508 / A4_LONG_SIDE_IN, True),
        ((0, 0), (1000, 1400), 1400 / A4_LONG_SIDE_IN, True),
        ((300, 300), (30000, 30000), 30000 / A4_LONG_SIDE_IN, True),  # a 100-inch "page"
    ],
)
def test_image_dpi(raw, size, dpi, estimated) -> None:  # type: ignore[no-untyped-def]
    assert image_dpi(raw, *size) == (pytest.approx(dpi), estimated)


def _text_like_page() -> np.ndarray:
    page = np.full((1400, 1000), 255, np.uint8)
    rng = np.random.default_rng(1)
    for y in range(100, 1300, 30):
        x = 80
        while x < 900:
            w = int(rng.integers(20, 70))
            cv2.rectangle(page, (x, y), (min(x + w, 920), y + 12), 0, -1)
            x += w + 12
    return page


@pytest.mark.parametrize("angle", [-3.0, -1.5, 0.0, 2.0, 4.5])
def test_estimate_skew_finds_the_angle(angle: float) -> None:
    page = _text_like_page()
    skewed = rotate_small(page, angle)
    skew = estimate_skew(skewed)
    assert skew.angle_deg == pytest.approx(-angle, abs=0.2)
    assert should_deskew(skew) is (abs(angle) >= 1.0)


def test_blank_page_has_no_skew() -> None:
    assert estimate_skew(np.full((500, 400), 250, np.uint8)).angle_deg == 0.0


def test_rotate_quadrant_round_trip() -> None:
    page = _text_like_page()
    assert rotate_quadrant(page, 90).shape == (1000, 1400)
    assert np.array_equal(rotate_quadrant(rotate_quadrant(page, 90), 270), page)


def test_looks_misoriented() -> None:
    assert looks_misoriented(36.0, 600, has_ink=True)
    assert looks_misoriented(95.0, 3, has_ink=True)
    assert not looks_misoriented(95.0, 600, has_ink=True)
    assert not looks_misoriented(None, 0, has_ink=False)  # a blank page


def test_remove_rules_erases_box_borders_and_keeps_letter_strokes() -> None:
    page = np.full((600, 900), 255, dtype=np.uint8)
    page[100:103, 50:850] = 0  # a table rule, 2.7 in at 300 dpi
    page[100:400, 50:53] = 0  # a box edge, 1 in
    page[200:260, 400:406] = 0  # a letter stem of a 24 pt capital (0.2 in)
    cleaned = remove_rules(page, dpi=300)
    assert cleaned[101, 400] == 255
    assert cleaned[300, 51] == 255
    assert (cleaned[200:260, 400:406] == 0).all()
