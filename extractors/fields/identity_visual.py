"""The visual zone of an identity document: the values printed beside or below their labels.

Cards and passports print a label and its value on one line (« Nom : DUPONT », the old card)
or the value under the label, in a grid of columns (« NOM / Surname » over « DUPONT », the
ICAO layouts). Working from word boxes, each label cell gets its value candidates in order:
the rest of its own cell, then the cell on its right (first when the label ends with ":"),
then the words under it in its column (bounded by the next cell of the label's line). The
callers (identity_values) keep the first candidate that reads as the field's kind of value.

A label printed over two lines (« Carte valable » over « jusqu'au : 19.09.2029 », « Date de »
over « naissance ») is put back together first: a cell that is at most the beginning of a label
and the words just under it in its column that complete it make one label cell, on the second
line, whose value follows on that line or below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extractors.fields.identity_labels import LabelMatch, match_label
from extractors.layout import Line, page_lines
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Page, Word

# A value sits at most this many label heights under its label.
_MAX_BELOW = 3.5
# Column tolerance, in average character widths of the label, for a value left of its label.
_COLUMN_SLACK_CHARS = 2.0
# A horizontal gap wider than this many character widths ends a value (as Line.cells does).
_GAP_CHARS = 2.5
# Lines under a label to try: the first is usually the value, the second gets past OCR specks.
_BELOW_LINES = 2
# A label's second line starts at most this many line heights (the taller of its two lines:
# OCR boxes of small print are tight) under its first line; a blank line between is more.
_WRAP_GAP = 1.8
# A machine-readable zone line printed beside a label is never its value.
_ZONE_TEXT = re.compile(r"<<|[A-Z0-9<]{20,}")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value printed for a label: its words, and how well the label matched (0-100)."""

    line: Line
    label_score: float

    @property
    def text(self) -> str:
        """The value's words joined by spaces."""
        return self.line.text

    @property
    def confidence(self) -> float:
        """0-1: the words' mean OCR confidence (1 on a text layer) times the label match."""
        scores = [w.confidence for w in self.line.words if w.confidence is not None]
        ocr = sum(scores) / len(scores) / 100 if scores else 1.0
        return ocr * min(self.label_score, 100.0) / 100


@dataclass(frozen=True, slots=True)
class VisualZone:
    """Every labelled value of the document: field key -> candidates, in preference order."""

    values: dict[str, list[Candidate]] = field(default_factory=dict)
    label_pages: dict[str, list[int]] = field(default_factory=dict)  # where each label was seen
    unlabelled: list[Candidate] = field(default_factory=list)  # cells that are no label

    def candidates(self, key: str) -> list[Candidate]:
        """The candidates for a field; empty when its label was not found."""
        return self.values.get(key, [])


@dataclass(frozen=True, slots=True)
class _Cell:
    line: Line
    label: LabelMatch | None

    @property
    def has_text(self) -> bool:
        return bool(fold(self.line.text))


def read_visual_zone(pages: Sequence[Page]) -> VisualZone:
    """Pages -> every labelled value found on them (labels of the key "other" excluded)."""
    zone = VisualZone()
    for page in pages:
        rows = _join_wrapped_labels([_split_cells(line) for line in page_lines(page)])
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell.label is None and cell.has_text \
                        and not _ZONE_TEXT.search(cell.line.text.replace(" ", "")):
                    zone.unlabelled.append(Candidate(cell.line, 100.0))
                if cell.label is None or cell.label.key == "other":
                    continue
                key = cell.label.key
                zone.label_pages.setdefault(key, []).append(page.number)
                found = [Candidate(line, cell.label.score) for line in _values_for(rows, r, c)
                         if not _ZONE_TEXT.search(line.text.replace(" ", ""))]
                zone.values.setdefault(key, []).extend(found)
    return zone


def _split_cells(line: Line) -> list[_Cell]:
    """A line's cells, each also split where a label starts inside it (« 12.03.2030 délivrée
    le : 01.02.2020 » read as one cell by OCR)."""
    out: list[_Cell] = []
    for cell in line.cells():
        words = list(cell.words)
        while words:
            own = match_label(words)
            cut = next((k for k in range(max(own.end_word if own else 1, 1), len(words))
                        if _is_strong(words[k:])), None)
            out.append(_Cell(Line(line.page, tuple(words[:cut])), own))
            words = words[cut:] if cut is not None else []
    return out


def _join_wrapped_labels(rows: list[list[_Cell]]) -> list[list[_Cell]]:
    """Rows with each label printed over two lines made one cell, on the second line."""
    for r in range(len(rows) - 1):
        for top in list(rows[r]):
            joined = _wrapped_label(top, rows[r + 1])
            if joined is None:
                continue
            cell, replaced, rest = joined
            rows[r].remove(top)
            row = rows[r + 1]
            index = row.index(replaced)
            row[index:index + 1] = ([rest] if rest is not None else []) + [cell]
    return rows


def _wrapped_label(top: _Cell, below: Sequence[_Cell]) -> tuple[_Cell, _Cell, _Cell | None] | None:
    """The label `top` starts and a cell of the row `below` completes, if any: (the joined
    label cell, the cell of `below` it takes words from, what is left of that cell before them).

    `top` must be label words only (no colon, no value after a label of its own), the words
    under it must start in its column just under it, and the joined words must make a label
    that ends past `top`. A first line that is no label alone is joined only to a second line
    that is no label alone either (« Date de » over « naissance »); a complete label only to
    another field's label (« Nom » over « d'usage ») or to its own translation (« Date
    d'expiration » over « Date of expiry »).
    """
    words = top.line.words
    own = top.label
    if ":" in top.line.text or (own is not None and own.end_word < len(words)):
        return None
    height = _last_line_height(words)
    slack = _COLUMN_SLACK_CHARS * _char_width(words)
    for cell in below:
        start = next((k for k, w in enumerate(cell.line.words)
                      if abs(w.x0 - top.line.x0) <= slack), None)
        if start is None:
            continue
        second = cell.line.words[start:]
        tallest = max(height, _last_line_height(second))
        if min(w.top for w in second) - top.line.bottom > _WRAP_GAP * tallest:
            return None
        label = match_label((*words, *second))
        if label is None or label.end_word <= len(words):
            return None
        alone = match_label(second)
        if alone is not None and (own is None or alone.key != label.key):
            return None  # the second line is a label of its own
        if own is not None and own.key == label.key and alone is None:
            return None  # a complete label whose value only looked like its continuation
        joined = _Cell(Line(top.line.page, (*words, *second)), label)
        head = cell.line.words[:start]
        rest = _Cell(Line(cell.line.page, head), match_label(head)) if head else None
        return joined, cell, rest
    return None


def _is_strong(words: Sequence[Word]) -> bool:
    """Whether words open with a label surely meant as one: several words, or a colon after."""
    label = match_label(words)
    return label is not None and (label.end_word >= 2 or label.has_colon)


def _values_for(rows: Sequence[Sequence[_Cell]], r: int, c: int) -> list[Line]:
    """The value candidates of the label cell rows[r][c], in preference order."""
    cell = rows[r][c]
    assert cell.label is not None
    out: list[Line] = []
    rest = [w for w in cell.line.words[cell.label.end_word:]]
    if fold(" ".join(w.text for w in rest)):
        out.append(Line(cell.line.page, tuple(rest)))
    right = next((x for x in rows[r][c + 1:] if x.has_text), None)
    right_value = [right.line] if right is not None and right.label is None else []
    below = _below(rows, r, c, right)
    out += right_value + below if cell.label.has_colon else below + right_value
    return out


def _below(rows: Sequence[Sequence[_Cell]], r: int, c: int, right: _Cell | None) -> list[Line]:
    """Words under a label in its column, one candidate per line, for the next few lines."""
    label = rows[r][c].line
    label_right = max(w.x1 for w in label.words)
    char_w = _char_width(label.words)
    left = label.x0 - _COLUMN_SLACK_CHARS * char_w
    right_edge = right.line.x0 if right is not None else float("inf")
    height = _last_line_height(label.words)
    found: list[Line] = []
    for row in rows[r + 1:]:
        # Words in the column; a label starting left of it only spills into it (« Holder's
        # signature »), while a value cell may have swallowed its neighbour (« M FRA »).
        words = [(w, cell) for cell in row if cell.label is None or cell.line.x0 >= left
                 for w in cell.line.words if left <= w.x0 < right_edge]
        if not any(fold(w.text) for w, _ in words):
            continue
        if min(w.top for w, _ in words) - label.bottom > _MAX_BELOW * height:
            break
        words.sort(key=lambda pair: pair[0].x0)
        while not fold(words[0][0].text):
            words.pop(0)  # a stray mark before the value
        first_word, first_cell = words[0]
        if first_word.x0 >= label_right:
            continue  # starts right of the label: not under it (a neighbour's wrapped text)
        if first_cell.label is not None:
            break  # the next label of the column: this one has no value under it
        found.append(Line(label.page, _contiguous([w for w, _ in words])))
        if len(found) == _BELOW_LINES:
            break
    return found


def _last_line_height(words: Sequence[Word]) -> float:
    """The height of a cell's last line (a label joined over two lines has two)."""
    start = max((k for k in range(1, len(words)) if words[k].top >= words[k - 1].bottom),
                default=0)
    return max(max(w.bottom for w in words[start:]) - min(w.top for w in words[start:]), 1.0)


def _contiguous(words: Sequence[Word]) -> tuple[Word, ...]:
    """The first run of words without a wide gap (words sorted left to right)."""
    run = [words[0]]
    for word in words[1:]:
        if word.x0 - run[-1].x1 > _GAP_CHARS * _char_width(run):
            break
        run.append(word)
    return tuple(run)


def _char_width(words: Sequence[Word]) -> float:
    chars = sum(len(w.text) for w in words)
    width = sum(w.x1 - w.x0 for w in words)
    return width / chars if chars else 5.0
