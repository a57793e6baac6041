"""Owners printed side by side: a row of headings ("Personne n° 1  Personne n° 2"), then one
row per label, the label on the left and each owner's value under that owner's heading.

Registers' summaries ("relevé", "état des bénéficiaires effectifs") print owners this way,
two to four to a band, as many bands as needed. A band is read word by word, not cell by
cell: values printed close together run into one cell, and a word belongs to the column
whose heading starts left of it. A label may wrap ("Date et lieu de / naissance", its next
line starting with a small letter), and so may a value. The band ends at the first line that
is not one of its rows: a heading, a signature, a line of prose across the columns, a gap.

Each owner comes out as an owner heading followed by its labelled values, as if printed one
after the other, so that the segmentation needs nothing special for this layout.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from extractors.fields.rbe_entry import Entry, EntryKind, is_owner_heading, line_kind
from extractors.fields.rbe_labels import match_label
from extractors.fields.rbe_wrap import join_wrapped
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.rbe_lines import FormLine
    from kanta_docs.models import Word

_ALIGN_PT = 6.0  # a value's left edge under its heading's, in points
_MAX_ROW_GAP_PITCHES = 2.0  # between two lines of one band
_PAGE_HEAD_LINES = 4  # lines skipped at the top of a page a band goes on to (running heads)
_HEAD_WORDS = frozenset({"personne", "beneficiaire", "beneficiaires"})
_LINKS = frozenset({"de", "du", "des", "d'", "et", "ou", "a", "au", "aux", "la", "le", "les",
                    "en", "par", "sur"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Columns:
    """The owners' columns of a band: where each starts, and its heading's words."""

    starts: tuple[float, ...]
    heads: tuple[tuple[Word, ...], ...]
    label_x: float = 0.0  # left edge of the labels

    def column_of(self, word: Word) -> int | None:
        """The column a word belongs to; None for a word left of the first (a label)."""
        found = None
        for index, start in enumerate(self.starts):
            if word.x0 >= start - _ALIGN_PT:
                found = index
        return found


@dataclass(slots=True)
class _Row:
    """One label of a band and every owner's value for it, line by line."""

    page: int
    label: list[Word]
    parts: list[list[str]]
    words: list[list[Word]]
    is_ocr: bool

    def entry(self, column: int) -> Entry:
        match = match_label(self.label)
        text = " ".join(w.text for w in self.label)
        key = match.key if match else None
        return Entry(EntryKind.FIELD, key, text,
                     join_wrapped(self.parts[column], key), tuple(self.words[column]), self.page,
                     score=match.score if match else 100.0, is_ocr=self.is_ocr)  # fmt: skip


def column_heads(lines: Sequence[FormLine], index: int) -> Columns | None:
    """The band a line opens: the line is nothing but owner headings, and the next line has a
    label left of the first heading and a value aligned under it; None otherwise."""
    line = lines[index]
    segments = _heading_segments(line)
    if not segments or index + 1 >= len(lines):
        return None
    columns = Columns(tuple(s[0].x0 for s in segments), tuple(segments))
    below = lines[index + 1]
    if below.page != line.page or line_kind(below) is not EntryKind.FIELD:
        return None
    split = _split(below, columns)
    if split is None or not split[0]:
        return None
    first = columns.starts[0]
    if not any(abs(w.x0 - first) <= _ALIGN_PT for w in split[1][0]):
        return None
    return replace(columns, label_x=split[0][0].x0)


def _heading_segments(line: FormLine) -> list[tuple[Word, ...]]:
    """A line cut into owner headings (at its cells and at each "Personne"/"Bénéficiaire"),
    or [] when some part of it is not one."""
    segments: list[list[Word]] = []
    for cell in line.cells:
        segments.append([])
        for word in cell.words:
            if segments[-1] and fold(word.text) in _HEAD_WORDS:
                segments.append([])
            segments[-1].append(word)
    texts = [" ".join(w.text for w in s) for s in segments]
    if not segments or not all(is_owner_heading(t) for t in texts):
        return []
    return [tuple(s) for s in segments]


def read_columns(
    lines: Sequence[FormLine], index: int, columns: Columns
) -> tuple[list[Entry], int]:
    """The band opened at `index` -> each owner's heading and values, owner after owner;
    and the index of the first line after the band."""
    rows: list[_Row] = []
    prev = lines[index]
    nxt = index + 1
    while nxt < len(lines):
        if lines[nxt].page != prev.page:
            nxt = _skip_running_heads(lines, nxt, columns)
        elif not _close(prev, lines[nxt]):
            break
        if nxt >= len(lines) or not _add_line(rows, lines[nxt], columns, lines, nxt):
            break
        prev, nxt = lines[nxt], nxt + 1
    entries: list[Entry] = []
    head_page = lines[index].page
    for column, head in enumerate(columns.heads):
        entries.append(Entry(EntryKind.HEADING, None, " ".join(w.text for w in head), (), head,
                             head_page, is_ocr=lines[index].is_ocr))  # fmt: skip
        entries.extend(row.entry(column) for row in rows if row.parts[column])
    return entries, nxt


def _add_line(
    rows: list[_Row], line: FormLine, columns: Columns, lines: Sequence[FormLine], index: int
) -> bool:
    """Adds a line of the band to `rows` (a new row, or more of the last one); False when the
    line is not part of the band."""
    if line_kind(line) is not EntryKind.FIELD or column_heads(lines, index) is not None:
        return False
    split = _split(line, columns)
    if split is None:
        return False
    label, values = split
    if label and not (rows and _continues_label(rows[-1], label)):
        if (
            not any(values)
            and match_label(label) is None
            and not (rows and _only_links(rows[-1].label))
        ):
            return False  # a lone unknown line left of the values: not a row
        n = len(columns.starts)
        rows.append(_Row(line.page, [], [[] for _ in range(n)], [[] for _ in range(n)],
                         line.is_ocr))  # fmt: skip
    elif not rows:
        return False
    row = rows[-1]
    row.label.extend(label)
    for column, words in enumerate(values):
        if words:
            row.parts[column].append(" ".join(w.text for w in words))
            row.words[column].extend(words)
    return True


def _split(line: FormLine, columns: Columns) -> tuple[list[Word], list[list[Word]]] | None:
    """A line -> (its label words, each column's words); None when a cell runs from the label
    side into the columns (a line of prose, not a row)."""
    label: list[Word] = []
    values: list[list[Word]] = [[] for _ in columns.starts]
    for cell in line.cells:
        places = [columns.column_of(w) for w in cell.words]
        if None in places and any(p is not None for p in places):
            return None
        if places[0] is None and columns.label_x and cell.x0 > columns.label_x + 3 * _ALIGN_PT:
            continue  # under a heading the scan lost: neither a label nor a known owner's
        for word, place in zip(cell.words, places, strict=True):
            (label if place is None else values[place]).append(word)
    return label, values


def _continues_label(row: _Row, label: Sequence[Word]) -> bool:
    """Whether label words go on with the row's label: they start with a small letter
    ("naissance" under "Date et lieu de"), or the label reads better with them. A bare
    linking word ("de") opens a row and the next label words complete it: OCR puts the
    small word of "Pourcentage de" on the line of the values, the rest on a line of its own."""
    if _only_links(label):
        return False
    if _only_links(row.label):
        return True
    first = next((c for w in label for c in w.text if c.isalpha()), "")
    if first.islower():
        return True
    alone, joined = match_label(row.label), match_label([*row.label, *label])
    return alone is None and joined is not None


def _only_links(label: Sequence[Word]) -> bool:
    """Whether label words are only linking words ("de", "et", "à")."""
    return bool(label) and all(fold(w.text) in _LINKS for w in label)


def _close(prev: FormLine, nxt: FormLine) -> bool:
    """Whether `nxt` is near enough below `prev` to belong to the same band."""
    return nxt.line.top - prev.line.bottom <= _MAX_ROW_GAP_PITCHES * prev.pitch


def _skip_running_heads(lines: Sequence[FormLine], index: int, columns: Columns) -> int:
    """On a new page, the first line that is a row of the band, past a few running heads;
    `index` when there is none."""
    page = lines[index].page
    for ahead in range(index, min(index + _PAGE_HEAD_LINES, len(lines))):
        if lines[ahead].page != page:
            break
        split = _split(lines[ahead], columns)
        if split is not None and split[0] and any(split[1]) and match_label(split[0]):
            return ahead
    return index
