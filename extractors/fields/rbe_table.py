"""Owners listed in a table: a header row of labels, then one row per owner.

Columns come from the header cells (a header may wrap onto further lines: "Date de" /
"naissance"; a word cut by the cell's edge is glued back: "Nationalit" / "é"); a word belongs
to the column whose span, cut halfway between neighbouring headers, holds its centre. A line
starts a new row when it fills several columns; a line that fills fewer, or that leaves the
name column empty close under a row, continues the row above (a wrapped name, modality, first
name or date), and so does a line whose name cell only gives the usage name of the name above
it ("(MARTIN)", "épouse MARTIN", "née DURAND"). A cell's lines are joined by `rbe_wrap`: a
line break inside a word is glued back ("25/10/202" / "1" is read "25/10/2021", "quatre-vi" /
"ngt-sept" "quatre-vingt-sept", "Marie-Christ" / "ine" "Marie-Christine"), and so is a header
word cut by its cell's edge ("Nationa" / "lité"). The table goes on across a page break, past
running heads and footers and a repeated header, and ends at a line that does not fit the
columns (prose across the page), a heading or a signature line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.fields.rbe_entry import Entry, EntryKind, line_kind
from extractors.fields.rbe_labels import Key, LabelMatch, match_label
from extractors.fields.rbe_wrap import (
    glue_words,
    glues_known_word,
    is_cut_inside_word,
    join_wrapped,
)
from extractors.french.folding import fold_text
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.rbe_lines import FormLine
    from kanta_docs.models import Word

_MIN_COLUMNS = 3
# Keys that, with a name column, make a row of labels an owners' table.
_OWNER_DETAIL_KEYS = frozenset({Key.BIRTH_DATE, Key.NATIONALITY, Key.CONTROL, Key.SINCE,
                                Key.FIRST_NAMES})  # fmt: skip
_NAME_KEYS = frozenset({Key.BIRTH_NAME, Key.FULL_NAME})
_NUMBER = re.compile(r"\d\d")
_CONTROL_HEADER = re.compile(r"capital|vote|detention|modalit|controle|parts?\b|pourcentage")
# Rows are at most this many line heights apart on one page.
_MAX_ROW_GAP_LINES = 4.0
# A blank wider than this (in line heights) separates rows; a wrapped line's is narrower.
_ROW_GAP_LINES = 0.6
_WRAP_GAP_LINES = 0.3
# Lines of one row are this much of the table's tightest line pitch apart at most; the next
# row's first line is further (cell padding: 1.5 times and more on the tables seen).
_WRAP_PITCH = 1.2
_PITCH_LOOKAHEAD = 40  # lines
_MIN_PITCH = 0.8  # line heights: closer lines are one line split by OCR, not two lines
# A header word cut by its cell's edge leaves at most this many letters on the next line.
_MAX_TAIL_CHARS = 3
_SHORT_WORDS = frozenset({"a", "au", "aux", "de", "des", "du", "en", "et", "la", "le", "les",
                          "ou", "par", "sur", "un", "une", "d", "l", "n", "no", "nb", "vote"})
# A name cell that only gives the usage name of the name above it: "(MARTIN)", "épouse X".
_USAGE_LINE = re.compile(r"^(?:\(|(?:epouse|ep|epse|veuve|vve|epoux|veuf|nee?)(?![a-z])\.?)")
_UPPER_NON_MARKERS = frozenset({"NE", "NEE", "NÉ", "NÉE"})  # surnames, not "né(e)"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an owners' table."""

    key: Key | None
    header: str
    x0: float
    x1: float


def column_key(text: str, match: LabelMatch | None) -> Key | None:
    """The key of a column from its header text ("% du capital" -> control)."""
    if match is not None and match.key is not Key.CAPITAL:
        return match.key
    if "%" in text or _CONTROL_HEADER.search(fold(text)):
        return Key.CONTROL
    return None


def is_table_header(line: FormLine) -> bool:
    """Whether a line is the header of an owners' table: a name column and owner details."""
    # Values carry numbers (dates, percentages); a lone digit is OCR's reading of a mark
    # (« 9% » for the « % » of « % droits de vote »).
    if len(line.cells) < _MIN_COLUMNS or _NUMBER.search(line.text):
        return False
    keys = [column_key(cell.text, match_label(cell.words, whole_cell=True))
            for cell in line.cells]  # fmt: skip
    known = [k for k in keys if k is not None]
    return (
        len(known) >= _MIN_COLUMNS
        and any(k in _NAME_KEYS for k in known)
        and any(k in _OWNER_DETAIL_KEYS for k in known)
    )


def read_table(lines: Sequence[FormLine], index: int, first_row: int) -> tuple[list[Entry], int]:
    """The table whose header is lines[index] -> (one entry per row and column, index of the
    first line after the table). Rows are numbered from `first_row`."""
    columns, nxt = _read_header(lines, index)
    rows: list[_Row] = []
    name_column = next((i for i, c in enumerate(columns) if c.key in _NAME_KEYS), 0)
    keys = [c.key for c in columns]
    prev = lines[nxt - 1]
    # A line of lowercase words without descenders is short ("neuf cent" under OCR): gaps are
    # measured in the header's line height at least.
    unit = lines[index].line.bottom - lines[index].line.top
    tightest = _tightest_pitch(lines, nxt)
    while nxt < len(lines):
        line = lines[nxt]
        if line.in_margin or _is_repeated_header(line, columns):
            nxt += 1
            continue
        # Under the header, the blank may also hold header lines OCR lost (a tall « % droits
        # / de / vote » cell read as nothing): the header's own height is allowed on top.
        slack = 0.0 if rows else prev.line.bottom - lines[index].line.top
        if not _fits(line, columns, prev, slack):
            break
        cells = _assign(line, columns)
        pitch = _centre(line) - _centre(prev) if line.page == prev.page and rows else None
        # A line as close to the one above as the table's wrapped lines are is no row's start
        # by its blank alone: with generous leading, that blank is over `_ROW_GAP_LINES`.
        wrapped = pitch is not None and tightest is not None and pitch <= _WRAP_PITCH * tightest
        gap = 0.0 if wrapped else _gap_ratio(prev, line, unit)
        if not rows or _starts_row(rows[-1], cells, gap, name_column, keys):
            rows.append(_Row(line.page, line.is_ocr, [[] for _ in columns]))
        rows[-1].add(cells, _row_threshold(len(columns)))
        prev, nxt = line, nxt + 1
    entries = [entry for i, row in enumerate(rows) for entry in row.entries(columns, first_row + i)]
    return entries, nxt


@dataclass(slots=True)
class _Row:
    """A table row being read: for each column, its words line by line."""

    page: int
    is_ocr: bool
    cells: list[list[list[Word]]]
    has_full_line: bool = False  # a line of it fills most columns

    def add(self, line_cells: Sequence[list[Word]], threshold: int) -> None:
        """Add one line's words, column by column."""
        for column_lines, words in zip(self.cells, line_cells, strict=True):
            column_lines.append(words)
        self.has_full_line |= sum(1 for ws in line_cells if ws) >= threshold

    def has(self, column: int) -> bool:
        """Whether the row has words in a column."""
        return any(self.cells[column])

    def last_text(self, column: int) -> str:
        """The last line of a column's cell so far ("" when empty)."""
        return next((" ".join(w.text for w in ws) for ws in reversed(self.cells[column]) if ws), "")

    def entries(self, columns: Sequence[Column], row: int) -> list[Entry]:
        """The row as one entry per column that has a key."""
        out = []
        for column, column_lines in zip(columns, self.cells, strict=True):
            if column.key is None:
                continue
            parts = join_wrapped(
                [" ".join(w.text for w in ws) for ws in column_lines if ws], column.key
            )
            words = tuple(w for ws in column_lines for w in ws)
            out.append(Entry(EntryKind.FIELD, column.key, column.header, parts, words,
                             self.page, row=row, is_ocr=self.is_ocr))  # fmt: skip
        return out


@dataclass(slots=True)
class _Span:
    """A header cell growing with its wrapped lines."""

    x0: float
    x1: float
    words: list[Word]


def _read_header(lines: Sequence[FormLine], index: int) -> tuple[tuple[Column, ...], int]:
    """The header line and the wrapped header lines under it -> columns, next index.

    A wrapped line's cell joins the header cell whose span it overlaps ("Date de" /
    "naissance"); a word cut inside the cell ("Nationalit" / "é") is glued back; a cell under
    no header cell opens a column of its own (a header whose first line is lower: "% capital"
    printed on the second line)."""
    header = lines[index]
    spans = [_Span(cell.x0, cell.x1, list(cell.words)) for cell in header.cells]
    nxt, above = index + 1, header
    while nxt < len(lines) and _is_header_wrap(lines[nxt], above):
        for cell in lines[nxt].cells:
            span = _overlapping(spans, cell.x0, cell.x1)
            if span is None:
                spans.append(_Span(cell.x0, cell.x1, list(cell.words)))
                continue
            words = list(cell.words)
            if span.words and (
                _is_word_tail(words[0].text) or glues_known_word(span.words[-1].text, words[0].text)
            ):
                span.words[-1] = glue_words(span.words[-1], words.pop(0))
            span.words.extend(words)
            span.x0, span.x1 = min(span.x0, cell.x0), max(span.x1, cell.x1)
        above, nxt = lines[nxt], nxt + 1
    spans.sort(key=lambda s: s.x0)
    columns = []
    for span in spans:
        text = " ".join(w.text for w in span.words)
        match = match_label(span.words, whole_cell=True)
        columns.append(Column(column_key(text, match), text, span.x0, span.x1))
    return tuple(columns), nxt


def _overlapping(spans: Sequence[_Span], x0: float, x1: float) -> _Span | None:
    """The span a cell overlaps most; None when it overlaps none."""
    best, best_overlap = None, 0.0
    for span in spans:
        overlap = min(span.x1, x1) - max(span.x0, x0)
        if overlap > best_overlap:
            best, best_overlap = span, overlap
    return best


def _is_word_tail(text: str) -> bool:
    """Whether a wrapped header line starts with the end of a word cut by the cell's edge
    ("é" under "Nationalit"): a short lowercase piece that is no French word on its own."""
    return (len(text) <= _MAX_TAIL_CHARS and text.isalpha() and text.islower()
            and fold(text) not in _SHORT_WORDS)  # fmt: skip


def _is_header_wrap(line: FormLine, above: FormLine) -> bool:
    """Whether a line right under a header line is the header's next line ("naissance",
    "(%)"): it has no digit, where an owner's row has a birth date or a percentage."""
    if line.page != above.page or any(c.isdigit() for c in line.text):
        return False
    return line.line.top - above.line.bottom <= above.line.bottom - above.line.top


def _bounds(columns: Sequence[Column]) -> list[float]:
    """The x positions that separate neighbouring columns (halfway between headers)."""
    return [(a.x1 + b.x0) / 2 for a, b in zip(columns, columns[1:], strict=False)]


def _column_of(x: float, bounds: Sequence[float]) -> int:
    """Index of the column holding horizontal position x."""
    return sum(1 for b in bounds if x >= b)


def _assign(line: FormLine, columns: Sequence[Column]) -> list[list[Word]]:
    """A line's words distributed over the columns by their centres."""
    bounds = _bounds(columns)
    out: list[list[Word]] = [[] for _ in columns]
    for cell in line.cells:
        for word in cell.words:
            out[_column_of((word.x0 + word.x1) / 2, bounds)].append(word)
    return out


def _fits(line: FormLine, columns: Sequence[Column], prev: FormLine, slack: float = 0.0) -> bool:
    """Whether a line reads as part of the table (no cell runs across two column bounds), at
    most `_MAX_ROW_GAP_LINES` line heights plus `slack` points below the line above."""
    if line_kind(line) is not EntryKind.FIELD:
        return False
    if line.page == prev.page:
        height = max(prev.line.bottom - prev.line.top, 1.0)
        if line.line.top - prev.line.bottom > _MAX_ROW_GAP_LINES * height + slack:
            return False
    bounds = _bounds(columns)
    for cell in line.cells:
        first = _column_of((cell.words[0].x0 + cell.words[0].x1) / 2, bounds)
        last = _column_of((cell.words[-1].x0 + cell.words[-1].x1) / 2, bounds)
        if last - first >= 2:
            return False
    return line.x0 >= columns[0].x0 - 20 and line.line.words[-1].x1 <= columns[-1].x1 + 60


def _is_repeated_header(line: FormLine, columns: Sequence[Column]) -> bool:
    """Whether a line repeats the header (a table going on on the next page)."""
    if len(line.cells) < _MIN_COLUMNS:
        return False
    headers = {fold(c.header) for c in columns}
    return sum(1 for cell in line.cells if fold(cell.text) in headers) >= _MIN_COLUMNS


def _tightest_pitch(lines: Sequence[FormLine], start: int) -> float | None:
    """The smallest distance between the centres of consecutive lines from `start` on one page
    (the table's wrapped lines, if any), over the next `_PITCH_LOOKAHEAD` lines. Centres, not
    tops: a bracket or a descender moves a line's top or bottom by a third of its height."""
    pitches = [_centre(b) - _centre(a)
               for a, b in zip(lines[start:start + _PITCH_LOOKAHEAD],
                               lines[start + 1:start + _PITCH_LOOKAHEAD + 1], strict=False)
               if a.page == b.page
               and _centre(b) - _centre(a) >= _MIN_PITCH * (a.line.bottom - a.line.top)]
    return min(pitches) if pitches else None


def _centre(line: FormLine) -> float:
    return (line.line.top + line.line.bottom) / 2


def _gap_ratio(prev: FormLine, line: FormLine, unit: float) -> float:
    """The blank between two lines in line heights, `unit` at least (a new page counts as a
    wide gap)."""
    if line.page != prev.page:
        return float("inf")
    height = max(prev.line.bottom - prev.line.top, unit, 1.0)
    return (line.line.top - prev.line.bottom) / height


def _starts_row(
    row: _Row, cells: Sequence[list[Word]], gap: float, name_column: int, keys: Sequence[Key | None]
) -> bool:
    """Whether a line opens the next row rather than continuing `row`.

    A wide blank separates rows (cell padding); a second name, after more than a wrapped
    line's blank, is another owner; a line with nothing in the name column continues the row
    (cells wrapped inside themselves), as does one whose name cell is the usage name of the
    row's name ("(MARTIN)" under "DURAND"), and one whose other cells all go on with the
    row's text, one of them cut inside a word or number ("ER" | "mille neuf" | "e" | "18"
    under "BERTRAND-CHARPENTI" | "cinq septembre" | "Français" | "06/03/20"); a line filling
    most columns is another row once the row has had one. A tall cell whose first line stands
    alone above the rest of its row (cells aligned to the middle or bottom) opens the row, and
    the full line joins it.
    """
    if gap > _ROW_GAP_LINES and row.has_full_line:
        return True
    if not cells[name_column] and row.has(name_column):
        return False  # only continues cells of the row above (a wrapped date, first name)
    if row.has(name_column) and is_usage_line(cells[name_column]):
        return False
    if row.has(name_column) and _continues_cells(row, cells, name_column, keys):
        return False
    if cells[name_column] and row.has(name_column) and gap > _WRAP_GAP_LINES:
        return True
    return sum(1 for ws in cells if ws) >= _row_threshold(len(cells)) and row.has_full_line


def _continues_cells(
    row: _Row, cells: Sequence[list[Word]], name_column: int, keys: Sequence[Key | None]
) -> bool:
    """Whether every filled cell of a line but the name goes on with the row's cell in its
    column (a small letter, the end of a cut word or number), one of them visibly cut."""
    cut = False
    for column, words in enumerate(cells):
        if column == name_column or not words:
            continue
        above, text = row.last_text(column), " ".join(w.text for w in words)
        if not above:
            return False
        if is_cut_inside_word(above, text, keys[column]):
            cut = True
        elif not (text[0].isalpha() and text[0].islower()):
            return False
    return cut


def is_usage_line(words: Sequence[Word]) -> bool:
    """Whether a name cell's line only gives a usage name for the name above it: in brackets
    ("(MARTIN)") or after a marker ("épouse MARTIN", "ép. MARTIN", "née DURAND")."""
    if not words or (words[0].text.upper() in _UPPER_NON_MARKERS and words[0].text.isupper()):
        return False
    return bool(_USAGE_LINE.match(fold_text(words[0].text)))


def _row_threshold(n_columns: int) -> int:
    """Filled columns from which a line starts a new row rather than continuing one."""
    return max(2, (n_columns + 2) // 3)
