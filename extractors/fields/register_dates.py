"""The date a register extract speaks for, from its dated statements.

Best first (../shared/DOMAIN.md §2.4, §3.1): the register's own statement ("à jour au 6
novembre 2024", "Mis à jour le …", INPI "… à la date du 19/01/2026"), then the issue date
("Date de l'extrait", "Extrait délivré le", "document délivré le"), then the footer of greffe
prints ("R.C.S. Nice - 19/12/2023 - 08:01:12"). « Date de mise à jour de l'entreprise » is the
company's last change, not the extract's date, and is never read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.french.dates import find_dates
from extractors.french.folding import fold_text
from kanta_docs.facts import Value

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from extractors.layout import Line

_STATEMENT = re.compile(
    r"(?<![a-z])(?:(?:mise?\s+)?a\s+jour\s+(?:au|du|le)|mise?\s+a\s+jour\s+en\s+date\s+du"
    r"|a\s+la\s+date\s+du|situation\s+au|arretee?s?\s+(?:au|le|a\s+la\s+date\s+du))(?![a-z])"
)
# « Dernière mise à jour le … », « Date de dernière mise à jour : … » date the company's last
# change, not the extract: a statement cue right after these words is not the register's.
_LAST_CHANGE_BEFORE = re.compile(r"(?<![a-z])derniere\s+$")
_ISSUE = re.compile(
    r"(?<![a-z])(?:date\s+de\s+l'extrait|date\s+d'edition|date\s+de\s+(?:delivrance|l'edition)"
    r"|(?:delivre|edite|etabli|genere|imprime|emis|produit)e?s?\s+(?:le|en\s+date\s+du)"
    r"|date\s+d'emission"
    r"|edition\s+du"
    r"|extrait\s+(?:kbis\s+)?(?:du|en\s+date\s+du)|fait\s+a\s+[^,\n]{1,40},?\s+le)(?![a-z])"
)
_FOOTER = re.compile(r"(?<![a-z])r\s?\.?\s?c\s?\.?\s?s\s?\.?\s+[a-z'\- ]{2,40}?\s*[-\u2013,]\s*$")
# A date must start this close after its cue ("à jour au : ", "délivré le ").
_CUE_GAP_CHARS = 6
# A date under its cue: at most this many line heights below, this many points from its edge.
_BELOW_MAX_HEIGHTS = 2.5
_COLUMN_TOL = 8.0


@dataclass(frozen=True, slots=True)
class _Stream:
    """The lines' text joined by newlines, with where each line starts."""

    text: str
    starts: tuple[int, ...]

    @classmethod
    def of(cls, lines: Sequence[Line]) -> _Stream:
        """The stream of some lines."""
        starts: list[int] = []
        position = 0
        for line in lines:
            starts.append(position)
            position += len(line.text) + 1
        return cls("\n".join(line.text for line in lines), tuple(starts))

    def line_at(self, offset: int) -> int:
        """Index of the line holding character `offset`."""
        index = 0
        for i, start in enumerate(self.starts):
            if start > offset:
                break
            index = i
        return index


def _cued_dates(stream: _Stream, lines: Sequence[Line],
                cue: re.Pattern[str]) -> list[tuple[date, int, str]]:
    """(date, line index, text) for every date right after a cue (or right under it)."""
    folded = fold_text(stream.text)
    found: list[tuple[date, int, str]] = []
    for m in cue.finditer(folded):
        if _LAST_CHANGE_BEFORE.search(folded[max(0, m.start() - 12) : m.start()]):
            continue
        window = stream.text[m.end() : m.end() + _CUE_GAP_CHARS + 40]
        dates = find_dates(window)
        if dates and dates[0].start <= _CUE_GAP_CHARS:
            found.append((dates[0].value, stream.line_at(m.start()), dates[0].text))
        elif (below := _date_below(stream, lines, m.start(), m.end())) is not None:
            found.append(below)
    return found


def _date_below(stream: _Stream, lines: Sequence[Line], start: int,
                end: int) -> tuple[date, int, str] | None:
    """The date printed under a cue that ends its cell (« Date de l'extrait » over « 12/03/2025 »
    in a grid of pairs, another pair beside it): the next line's cell at the cue's left edge."""
    index = stream.line_at(start)
    line = lines[index]
    offset = start - stream.starts[index]
    cells = line.cells()
    position = 0
    for cell in cells:
        cell_end = position + len(cell.text)
        if position <= offset < cell_end:
            break
        position = cell_end + 1
    else:
        return None
    if end - stream.starts[index] < cell_end - 1 or index + 1 >= len(lines):
        return None  # words follow the cue in its cell: not a label over its value
    below = lines[index + 1]
    height = max(line.bottom - line.top, 1.0)
    if below.page != line.page or below.top - line.top > _BELOW_MAX_HEIGHTS * height:
        return None
    for under in below.cells():
        if abs(under.x0 - cell.x0) <= _COLUMN_TOL:
            dates = find_dates(under.text)
            if dates and dates[0].start == 0:
                return dates[0].value, index + 1, dates[0].text
    return None


def _footer_dates(lines: Sequence[Line]) -> list[tuple[date, int, str]]:
    """Dates printed after "R.C.S. <Ville> -" at the start of a line (greffe print footers)."""
    found: list[tuple[date, int, str]] = []
    for index, line in enumerate(lines):
        for match in find_dates(line.text)[:1]:
            if _FOOTER.match(fold_text(line.text[: match.start])):
                found.append((match.value, index, match.text))
    return found


def parse_document_date(lines: Sequence[Line]) -> tuple[Value[date] | None, list[str]]:
    """Lines of an extract -> its date with provenance (None if no dated statement) + warnings."""
    stream = _Stream.of(lines)
    for found in (_cued_dates(stream, lines, _STATEMENT), _cued_dates(stream, lines, _ISSUE),
                  _footer_dates(lines)):
        if not found:
            continue
        value, index, text = found[0]
        warnings = []
        if len({f[0] for f in found}) > 1:
            # The first statement heads the extract; later ones may date a single entry.
            warnings.append(f"page {lines[index].page}: several extract dates, the first is used")
        line = lines[index]
        scores = [w.confidence for w in line.words if w.confidence is not None]
        confidence = round(sum(scores) / len(scores) / 100, 3) if scores else 1.0
        return Value(value, line.provenance(text, confidence)), warnings
    return None, ["document date not found"]
