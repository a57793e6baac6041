"""A table splitting the capital: which column holds each associate's number of shares.

Statuts may print the split as a table, one row per associate: « Associé | Apport (€) | Nombre
de parts | Numéros | % ». Read as text, a row is the name followed by its cells' numbers, and
which of them is the count depends on the columns; reading order may even put the right-hand
columns after the whole left-hand block. So the work is done on word boxes: the header is found
in the text (a line without digits naming the count, « nombre de parts », « actions », « parts
sociales », beside another column), its row is rebuilt from every word at its height on the
page (plus the digit-free lines a header cell wrapped onto: « Nombre de » / « parts »), its
words are grouped into columns, and a row's count is the number at the row's height whose box
lies under the count column, between the neighbouring columns' edges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median
from typing import TYPE_CHECKING

from extractors.fields.statuts_counts import ShareCount
from extractors.french.folding import fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.statuts_text import StatutsText
    from kanta_docs.models import Word

_COUNT_WORD = re.compile(r"(?<![a-z])(?:nombre|nbre|nb|parts?|actions?|titres?|quantite)(?![a-z])")
# Columns that hold other numbers: share numbers, amounts, percentages.
_OTHER_COLUMN = re.compile(r"numero|n°|%|pourcent|montant|apport|valeur|€|euros?(?![a-z])"
                           r"|capital|nominal|droits")
_OTHER_HEADER = re.compile(r"associ|nom(?![a-z])|noms|titulaire|beneficiaire|detenteur"
                           r"|souscripteur|%|pourcent|numero|apport")
_WRAP_LINES = 2  # a header cell wraps onto two more lines at most
_ROW_LINES = 2.0  # in word heights: how far below a row's first line its count may sit
_MAX_HEADER_CHARS = 160
# Words further apart than this many word heights are in different cells.
_CELL_GAP = 1.2
_THOUSANDS_GAP = 0.6  # in word heights: "1 496" is one number, "1 496   3 505" two
_NUMBER_WORD = re.compile(r"\d{1,3}(?:[ .\u00a0]\d{3})*|\d+")


@dataclass(frozen=True, slots=True)
class CountColumn:
    """Where the count column lies: its horizontal band, and the header row's page and foot."""

    left: float
    right: float
    page: int
    header_bottom: float


@dataclass(frozen=True, slots=True)
class _Cell:
    x0: float
    x1: float
    text: str


def find_count_column(doc: StatutsText, start: int, end: int) -> CountColumn | None:
    """The count column of the first capital-split table header in [start, end), if any."""
    folded = fold_text(doc.text)
    pos = start
    while pos < end:
        line_end = _line_end(doc.text, pos, end)
        line = folded[pos:line_end]
        # The count may be in a part of the header row that reading order put elsewhere.
        if _is_header_line(line):
            column = _column(doc, pos, line_end)
            if column is not None:
                return column
        pos = line_end + 1
    return None


def _line_end(text: str, pos: int, end: int) -> int:
    nl = text.find("\n", pos, end)
    return end if nl < 0 else nl


def _is_header_line(line: str) -> bool:
    """A short line without digits that names a column ("Associé", "%", "Numéros")."""
    return len(line) <= _MAX_HEADER_CHARS and not re.search(r"\d", line) \
        and bool(_OTHER_HEADER.search(line))  # fmt: skip


def _page_words(doc: StatutsText, page: int) -> list[Word]:
    return [w.word for w in doc.words if w.page == page]


def _header_words(doc: StatutsText, start: int, end: int) -> tuple[int, list[Word]] | None:
    """The header row's words: its line [start, end) and the digit-free lines after it that
    its cells wrapped onto, each completed by every word at its height on the page (reading
    order may have put the right-hand columns elsewhere)."""
    placed = doc.span_words(start, end)
    if not placed:
        return None
    page, first = placed[0].page, placed[0].word
    height = first.bottom - first.top or 1.0
    middles = [(first.top + first.bottom) / 2]
    pos = end + 1
    for _ in range(_WRAP_LINES):
        line_end = _line_end(doc.text, pos, len(doc.text))
        below = [w for w in doc.span_words(pos, line_end) if w.page == page]
        if not below or re.search(r"\d", doc.text[pos:line_end]) \
                or below[0].word.top > first.top + (_WRAP_LINES + 1) * height:  # fmt: skip
            break
        middles.append((below[0].word.top + below[0].word.bottom) / 2)
        pos = line_end + 1
    words = [w for w in _page_words(doc, page)
             if any(abs((w.top + w.bottom) / 2 - m) < height / 2 for m in middles)]
    return page, words


def _column(doc: StatutsText, start: int, end: int) -> CountColumn | None:
    """The count column among the header's cells; None unless the header has several cells."""
    found = _header_words(doc, start, end)
    if found is None or not found[1]:
        return None
    page, words = found
    height = median(w.bottom - w.top for w in words) or 1.0
    cells: list[_Cell] = []
    for line in _rows(words):
        current: list[Word] = []
        for w in sorted(line, key=lambda b: b.x0):
            if current and w.x0 - current[-1].x1 > _CELL_GAP * height:
                cells.append(_merge_cell(current))
                current = []
            current.append(w)
        if current:
            cells.append(_merge_cell(current))
    columns = _columns(cells)
    if len(columns) < 2:
        return None
    bottom = max(w.bottom for w in words)
    for index, col in enumerate(columns):
        text = fold_text(col.text)
        # The first column names the associates; others hold amounts, numbers or percentages.
        if index == 0 or not _COUNT_WORD.search(text) or _OTHER_COLUMN.search(text):
            continue
        left = (columns[index - 1].x1 + col.x0) / 2
        right = (col.x1 + columns[index + 1].x0) / 2 if index + 1 < len(columns) \
            else col.x1 + (col.x1 - col.x0)  # fmt: skip
        return CountColumn(left, right, page, bottom)
    return None


def _rows(boxes: Sequence[Word]) -> list[list[Word]]:
    """Word boxes -> lines (words whose vertical middles are close), top to bottom."""
    rows: list[list[Word]] = []
    for w in sorted(boxes, key=lambda b: (b.top, b.x0)):
        middle = (w.top + w.bottom) / 2
        if rows and abs(middle - (rows[-1][0].top + rows[-1][0].bottom) / 2) \
                < (w.bottom - w.top) / 2:  # fmt: skip
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _merge_cell(words: Sequence[Word]) -> _Cell:
    return _Cell(words[0].x0, words[-1].x1, " ".join(w.text for w in words))


def _columns(cells: list[_Cell]) -> list[_Cell]:
    """Header cells of every line merged where they overlap horizontally, left to right."""
    columns: list[_Cell] = []
    for cell in sorted(cells, key=lambda c: c.x0):
        if columns and cell.x0 < columns[-1].x1:
            last = columns[-1]
            columns[-1] = _Cell(last.x0, max(last.x1, cell.x1), f"{last.text} {cell.text}")
        else:
            columns.append(cell)
    return columns


def count_in_column(doc: StatutsText, column: CountColumn, start: int,
                    next_start: int | None) -> ShareCount | None:  # fmt: skip
    """The count of the row whose name starts at `start`: the first number under the count
    column at the row's height (or a little below, where the name's cell wrapped), above the
    next row (whose name starts at `next_start`). Any page: a table running over a page break
    keeps its columns."""
    placed = doc.span_words(start, start + 1)
    if not placed:
        return None
    page, first = placed[0].page, placed[0].word
    height = first.bottom - first.top or 1.0
    floor = first.top + _ROW_LINES * height
    following = doc.span_words(next_start, next_start + 1) if next_start is not None else []
    if following and following[0].page == page and following[0].word.top > first.top:
        floor = min(floor, following[0].word.top - height / 2)
    if page == column.page and first.top < column.header_bottom:
        return None  # above the header: not a row of this table
    band = [w for w in doc.words if w.page == page
            and first.top - height / 2 <= w.word.top < floor
            and column.left <= (w.word.x0 + w.word.x1) / 2 <= column.right]  # fmt: skip
    for row in _rows([w.word for w in band]):
        number = _number(row, height)
        if number is not None:
            words = [w for w in band if any(w.word is n for n in number)]
            value = int(re.sub(r"\D", "", "".join(_bare(w.text) for w in number)))
            return ShareCount(value, "", words[0].start, words[-1].end) if value else None
    return None


def _number(row: Sequence[Word], height: float) -> list[Word] | None:
    """The first number of a line of the column: digit words a thousands space apart."""
    group: list[Word] = []
    for w in sorted(row, key=lambda b: b.x0):
        if not re.fullmatch(r"[\d.\u00a0]+", _bare(w.text)):
            if group:
                break
            continue
        if group and w.x0 - group[-1].x1 > _THOUSANDS_GAP * height:
            break
        group.append(w)
    if not group or not _NUMBER_WORD.fullmatch(" ".join(_bare(w.text) for w in group)):
        return None
    return group


def _bare(text: str) -> str:
    """A figure without the stray mark OCR may read after it ("8." for "8")."""
    return text.rstrip(".,;:'’")
