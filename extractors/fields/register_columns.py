"""Officers' cards printed side by side (a grid of cards, two or three to a row).

Each card is a role line, a name line and the person's particulars, so a visual line holds the
lines of two cards. When role lines stand side by side in the management section, its lines
are cut at the cards' left edges and read card column by card column, one row of cards after
the other: the officer readers then see each card as if it were printed alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractors.fields.register_cards import is_capitals
from extractors.fields.register_rows import line_cells
from extractors.french.roles import parse_officer_role
from extractors.layout import Line

if TYPE_CHECKING:
    from collections.abc import Sequence

_TOL = 8.0  # points: a card's lines start this close to its role line's left edge
_ROLE_MAX_WORDS = 7
_ROLE_LEAD_WORDS = 4  # « Commissaire aux comptes » opens with three words


def is_role_heading(text: str) -> bool:
    """Whether a text is a role wording alone (« Président », « Commissaire aux comptes
    titulaire »), as a card or a block of rows is headed, not a company named in capitals
    (« CABINET X ET ASSOCIÉS »)."""
    words = text.split()
    return (0 < len(words) <= _ROLE_MAX_WORDS and words[0][0].isupper()
            and not any(ch.isdigit() for ch in text) and ":" not in text
            and not is_capitals(text)
            # the role wording opens the text (not « (Société à associé unique) »)
            and any(parse_officer_role(" ".join(words[:n])) is not None
                    for n in range(1, _ROLE_LEAD_WORDS + 1)))


def _role_cells(line: Line) -> list[Line]:
    """The cells of a line that are a role wording alone."""
    return [c for c in line_cells(line) if is_role_heading(c.text)]


def card_columns(lines: Sequence[Line], span: range) -> list[float] | None:
    """Left edges of the card columns, when some line of `span` holds two role cells or more;
    None when officers are not printed side by side."""
    edges: list[float] = []
    for index in span:
        cells = _role_cells(lines[index])
        if len(cells) >= 2:
            edges += [c.x0 for c in cells]
    if not edges:
        return None
    columns: list[float] = []
    for x in sorted(edges):
        if not columns or x - columns[-1] > _TOL:
            columns.append(x)
    return columns if len(columns) >= 2 else None


def _column_of(x0: float, columns: Sequence[float]) -> int:
    """The card column a cell starting at x0 belongs to."""
    return max((i for i, edge in enumerate(columns) if x0 >= edge - _TOL), default=0)


def read_by_card_column(lines: Sequence[Line], span: range,
                        columns: Sequence[float]) -> list[Line]:
    """The span's lines cut at the card columns, in reading order: a row of cards starts at a
    line with a role in the first column, and its columns are read left to right."""
    out: list[Line] = []
    band: list[list[Line]] = [[] for _ in columns]
    for index in span:
        line = lines[index]
        parts: list[list[Line]] = [[] for _ in columns]
        for cell in line_cells(line):
            parts[_column_of(cell.x0, columns)].append(cell)
        starts_row = any(_column_of(c.x0, columns) == 0 for c in _role_cells(line))
        if starts_row and any(band):
            out += [piece for column in band for piece in column]
            band = [[] for _ in columns]
        for column, cells in zip(band, parts, strict=True):
            if cells:
                column.append(Line(line.page, tuple(w for c in cells for w in c.words)))
    out += [piece for column in band for piece in column]
    return out
