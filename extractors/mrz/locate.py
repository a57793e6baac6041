"""Find machine-readable zones in the OCR text of a page.

A zone line is 30, 36 or 44 characters of A-Z 0-9 `<`; OCR adds spaces, reads `<` as `«` or
`K`, lower-cases a letter, splits a line in two or glues two together, and mixes the zone with
the text printed around it. Lines are sorted into strong evidence (fillers or long digit runs,
almost nothing but zone characters) and lines that may belong to a zone next to strong ones;
each run of such lines is then read as the best-scoring zone layout (assemble.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from extractors.mrz.assemble import Assembly, assemble_zone, is_plausible
from extractors.mrz.charset import DIGITS, FILLER, CleanLine, clean_line, is_zone_char
from extractors.mrz.parse import MrzResult, parse_mrz

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from extractors.mrz.layouts import MrzFormat

_MAX_ZONE_TEXT_LINES = 6  # a 3-line zone with every line split in two
_MIN_LEGAL_SHARE = 0.9  # of non-space characters, for a line to be strong evidence
_MIN_WEAK_SHARE = 0.8  # for a line next to strong ones to be tried as part of the zone
_MAX_LOWER_SHARE = 0.5  # prose is mostly lower case; a zone is upper case


@dataclass(frozen=True, slots=True)
class MrzCandidate:
    """A zone found in page text.

    `lines` are cleaned and fitted to the layout's line length, ready for `parse_mrz`;
    `raw_lines` are the page text lines they came from, verbatim, numbered from `first_line`
    (0-based, as `text.splitlines()` counts). `adjustments` says what the fitting did.
    """

    format: MrzFormat
    lines: tuple[str, ...]
    raw_lines: tuple[str, ...]
    first_line: int
    adjustments: tuple[str, ...]
    checks_passed: int
    checks_total: int


@dataclass(frozen=True, slots=True)
class _TextLine:
    index: int
    raw: str
    clean: CleanLine
    strong: bool


def find_mrz_all(text: str) -> list[MrzCandidate]:
    """Every zone in a page's text, in reading order; empty when there is none."""
    blocks: list[list[_TextLine]] = []
    current: list[_TextLine] = []
    blank_run = 0
    for index, raw in enumerate(text.splitlines()):
        line = _classify(index, raw)
        if line is None and raw.strip() == "" and blank_run == 0 and current:
            blank_run = 1  # one empty line may separate zone lines in OCR output
            continue
        blank_run = 0
        if line is None:
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    found: list[MrzCandidate] = []
    for block in blocks:
        found.extend(_read_block(block))
    return found


def find_mrz(text: str) -> MrzCandidate | None:
    """The most convincing zone in a page's text; None when there is none."""
    candidates = find_mrz_all(text)
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.checks_passed - c.checks_total, c.checks_passed))


def read_mrz(text: str, *, today: date) -> MrzResult | None:
    """Page text -> the parsed most convincing zone, fitting steps listed in `repaired`."""
    candidate = find_mrz(text)
    if candidate is None:
        return None
    result = parse_mrz(candidate.lines, today=today, format=candidate.format)
    if result is None:
        return None
    return replace(result, repaired=candidate.adjustments + result.repaired)


def _classify(index: int, raw: str) -> _TextLine | None:
    """A text line that may belong to a zone, or None."""
    visible = [ch for ch in raw if not ch.isspace()]
    if not visible:
        return None
    clean = clean_line(raw)
    legal = sum(is_zone_char(ch) for ch in visible) / len(visible)
    lower = sum(ch.islower() for ch in visible) / len(visible)
    if legal < _MIN_WEAK_SHARE or lower > _MAX_LOWER_SHARE or len(clean.text) < 3:
        return None
    fillers = clean.text.count(FILLER)
    digits = sum(ch in DIGITS for ch in clean.text)
    strong = legal >= _MIN_LEGAL_SHARE and (
        (fillers >= 2 and len(clean.text) >= 5) or (digits >= 10 and len(clean.text) >= 20)
    )
    return _TextLine(index, raw, clean, strong)


def _read_block(block: Sequence[_TextLine]) -> list[MrzCandidate]:
    """Zones in a run of candidate lines: the best window, then what is left on either side."""
    best: tuple[Assembly, int, int] | None = None
    for start in range(len(block)):
        for stop in range(start + 1, min(len(block), start + _MAX_ZONE_TEXT_LINES) + 1):
            window = block[start:stop]
            if not any(line.strong for line in window):
                continue
            assembly = assemble_zone([line.clean.text for line in window])
            if assembly is None or not is_plausible(assembly):
                continue
            if best is None or assembly.score > best[0].score:
                best = (assembly, start, stop)
    if best is None:
        return []
    assembly, start, stop = best
    window = block[start:stop]
    glyphs = sum(line.clean.glyph_fillers for line in window)
    notes = (f"{glyphs} filler glyph(s) such as « read as <",) if glyphs else ()
    candidate = MrzCandidate(
        format=assembly.layout.format,
        lines=assembly.lines,
        raw_lines=tuple(line.raw for line in window),
        first_line=window[0].index,
        adjustments=notes + assembly.adjustments,
        checks_passed=assembly.checks_passed,
        checks_total=assembly.checks_total,
    )
    return [*_read_block(block[:start]), candidate, *_read_block(block[stop:])]
