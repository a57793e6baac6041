"""Where the second, zone-only OCR pass crops a page (extractors/scan.zone_box)."""

from __future__ import annotations

from extractors.scan import zone_box
from kanta_docs.models import Word


def _word(text: str, top: float, x0: float = 100.0) -> Word:
    return Word(text, x0, top, x0 + 6.0 * len(text), top + 15.0, 90.0)


def test_page_without_fillers_has_no_zone_and_costs_no_second_pass() -> None:
    words = (_word("RÉPUBLIQUE", 50), _word("FRANÇAISE", 50, 180), _word("XGKALK0X0", 90))
    assert zone_box(words) is None


def test_box_takes_in_a_zone_line_whose_fillers_the_page_pass_read_as_letters() -> None:
    words = (
        _word("AUTORITÉ", 280),  # print above the zone, left out
        _word("TDFRAXGKALKOXO1=<ccccccccecece", 330),  # one `<` only
        _word("9803307F3507315FRA<<<<<<<<<<<()", 374),
        _word("GUERIN<<VICTOIRE<ANNE<LAURE<<<", 410),
        _word("RECTO/VERSO:PAGE2", 420, 400),  # beside the zone, not above or below it
    )
    box = zone_box(words)
    assert box is not None
    x0, top, x1, bottom = box
    assert top < 330 and 425 < bottom < 445
    assert top > 280 + 15  # the line above is not taken in
    assert x0 < 100 and x1 < 400
