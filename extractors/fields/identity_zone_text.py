"""Where the machine-readable zone sits on a page: candidate zones with their word boxes.

OCR and text layers put a zone line on a visual line of its own, or (cards scanned side by
side, recto beside verso) beside other text on the same visual line. The zone is looked for
in runs of zone-like cells aligned in a column, then in the page's plain text; each candidate
is kept with the lines it came from, for provenance. A parse that does not read like a
document's zone (no document code, unknown state, no check holding) is not a zone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractors.layout import Line, page_lines
from extractors.mrz import MrzFormat, find_mrz_all
from extractors.mrz.charset import is_zone_char
from extractors.mrz.countries import is_known_code

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.mrz import MrzCandidate, MrzResult
    from kanta_docs.models import Page

_MIN_ZONE_SHARE = 0.85  # of a cell's non-space characters
_MIN_ZONE_CELL = 5  # characters
_MIN_DIGIT_SHARE = 0.3  # a zone line without a filler is mostly digits (dates, numbers)
_COLUMN_TOLERANCE_PT = 40.0  # zone lines of one zone start at about the same x
_MAX_LINE_GAP = 3.0  # heights of a zone line between two lines of one zone
_DOCUMENT_CODES = frozenset("PIACV")  # ICAO 9303 Part 3 §4.2.2: first character of the code


def is_genuine(result: MrzResult) -> bool:
    """Whether a parse reads like a document's zone, not upper-case text forced into a layout."""
    code, issuer = result.document_code or "", result.issuing_country or ""
    if code.startswith("P") and result.format is not MrzFormat.TD3:
        return False  # passports are TD3 (ICAO 9303 Part 4); a passport line read as TD2 is not
    return (code[:1] in _DOCUMENT_CODES and is_known_code(issuer)
            and any(result.checks.values()))


def zone_confidence(page: Page, lines: Sequence[Line]) -> float:
    """0-1: the zone words' mean OCR confidence, the page's, or 1 for a text layer."""
    scores = [w.confidence for line in lines for w in line.words if w.confidence is not None]
    if scores:
        return sum(scores) / len(scores) / 100
    if page.ocr_confidence is not None:
        return page.ocr_confidence / 100
    return 1.0


def zone_candidates(page: Page) -> list[tuple[MrzCandidate, tuple[Line, ...]]]:
    """Zones found in the zone's own OCR pass, in the page's zone-like cells (with their
    boxes), then in its plain text: first wins a tie (see identity_zone.find_zone)."""
    located: list[tuple[MrzCandidate, tuple[Line, ...]]] = []
    for column in _zone_columns(page_lines(page)):
        text = "\n".join(line.text for line in column)
        for candidate in find_mrz_all(text):
            used = column[candidate.first_line:candidate.first_line + len(candidate.raw_lines)]
            located.append((candidate, tuple(used)))
    out: list[tuple[MrzCandidate, tuple[Line, ...]]] = []
    if page.zone_text:
        # Read from a crop of the zone, restricted to its characters (extractors/scan.py): the
        # truest reading, without boxes of its own; it borrows those of the page's zone.
        for candidate in find_mrz_all(page.zone_text):
            same = [lines for found, lines in located if found.format is candidate.format]
            out.append((candidate, same[0] if same else ()))
    out.extend(located)
    out.extend((candidate, ()) for candidate in find_mrz_all(page.text))
    return out


def _is_zone_like(text: str) -> bool:
    """Zone characters almost only, with a filler or many digits (not an upper-case title)."""
    visible = text.replace(" ", "")
    if len(visible) < _MIN_ZONE_CELL:
        return False
    if sum(is_zone_char(ch) for ch in visible) / len(visible) < _MIN_ZONE_SHARE:
        return False  # case-insensitive: OCR writes fillers as « e », « c » too
    digits = sum(c.isdigit() for c in visible)
    return "<" in visible or "«" in visible or digits >= _MIN_DIGIT_SHARE * len(visible)


def _zone_segments(lines: Sequence[Line]) -> list[Line]:
    """Per visual line, the run of zone-like cells (the whole line when it is all zone)."""
    segments: list[Line] = []
    for line in lines:
        run: list[Line] = []
        for cell in [*line.cells(), None]:
            if cell is not None and _is_zone_like(cell.text):
                run.append(cell)
                continue
            if run:
                words = tuple(w for c in run for w in c.words)
                segments.append(Line(line.page, words))
            run = []
    return segments


def _zone_columns(lines: Sequence[Line]) -> list[list[Line]]:
    """Zone-like segments grouped into columns of vertically close lines, top to bottom."""
    columns: list[list[Line]] = []
    for segment in _zone_segments(lines):
        height = max(segment.bottom - segment.top, 1.0)
        for column in columns:
            last = column[-1]
            if (abs(last.x0 - segment.x0) <= _COLUMN_TOLERANCE_PT
                    and 0 <= segment.top - last.bottom <= _MAX_LINE_GAP * height):
                column.append(segment)
                break
        else:
            columns.append([segment])
    return columns
