"""Layout helpers over words with boxes: rebuild lines, find labels, read the value beside them.

Label/value forms (Kbis, RNE attestations, identity cards) print a label and its value on the
same line, further right, or just below. Working from word boxes rather than from the page's
text makes this independent of the order in which a producer or the OCR emitted the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from kanta_docs.models import Page, Provenance, Word
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# Words whose vertical centres are closer than this fraction of their height share a line.
_SAME_LINE = 0.5
# A gap wider than this many average character widths splits a line into cells.
_CELL_GAP_CHARS = 2.5
# Approximate-match threshold for labels (OCR slips), on folded text.
LABEL_CUTOFF = 88.0


@dataclass(frozen=True, slots=True)
class Line:
    """Words on one visual line of a page, left to right."""

    page: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """The words joined by single spaces."""
        return " ".join(w.text for w in self.words)

    @property
    def top(self) -> float:
        """Top of the highest word, in points."""
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        """Bottom of the lowest word, in points."""
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        """Left edge, in points."""
        return self.words[0].x0

    def cells(self) -> list[Line]:
        """The line split where the horizontal gap between words is wide (table or form cells)."""
        out: list[list[Word]] = [[self.words[0]]]
        for prev, word in zip(self.words, self.words[1:], strict=False):
            char_w = (prev.x1 - prev.x0) / max(len(prev.text), 1)
            if word.x0 - prev.x1 > _CELL_GAP_CHARS * char_w:
                out.append([word])
            else:
                out[-1].append(word)
        return [Line(self.page, tuple(ws)) for ws in out]

    def provenance(self, text: str | None = None, confidence: float = 1.0) -> Provenance:
        """Provenance pointing at this line (or at `text` read from it)."""
        box = (min(w.x0 for w in self.words), self.top, max(w.x1 for w in self.words), self.bottom)
        return Provenance(self.page, text if text is not None else self.text, box, confidence)


def page_lines(page: Page) -> list[Line]:
    """The page's words grouped into visual lines, top to bottom."""
    words = sorted(page.words, key=lambda w: (w.top + w.bottom) / 2)
    groups: list[list[Word]] = []
    for word in words:
        centre = (word.top + word.bottom) / 2
        height = max(word.bottom - word.top, 1.0)
        if groups:
            last = groups[-1]
            last_centre = sum((w.top + w.bottom) / 2 for w in last) / len(last)
            if abs(centre - last_centre) <= _SAME_LINE * height:
                last.append(word)
                continue
        groups.append([word])
    lines = [Line(page.number, tuple(sorted(g, key=lambda w: w.x0))) for g in groups]
    return _merge_split_lines(lines)


def _merge_split_lines(lines: Sequence[Line]) -> list[Line]:
    """Lines put back together where grouping by centres split one visual line.

    On a skewed or noisy scan some words of a line sit a few points lower (or are taller, like
    punctuation) and form a line of their own between two real ones. A line whose centre lies
    inside the previous line's height, and whose words do not overlap it horizontally, belongs
    to it.
    """
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        centre = (line.top + line.bottom) / 2
        if last is not None and last.top < centre < last.bottom and not _overlap_x(last, line):
            words = tuple(sorted((*last.words, *line.words), key=lambda w: w.x0))
            merged[-1] = Line(line.page, words)
        else:
            merged.append(line)
    return merged


def _overlap_x(a: Line, b: Line) -> bool:
    return any(w.x0 < v.x1 and v.x0 < w.x1 for w in a.words for v in b.words)


def document_lines(pages: Iterable[Page]) -> list[Line]:
    """Every page's lines, in page order."""
    return [line for page in pages for line in page_lines(page)]


@dataclass(frozen=True, slots=True)
class LabelHit:
    """Where a label was found: the line, and how many of its words the label covers."""

    line_index: int
    end_word: int  # index in the line of the first word after the label
    label: str
    score: float


def find_label(lines: Sequence[Line], labels: Sequence[str], start: int = 0,
               stop: int | None = None) -> LabelHit | None:
    """The first line in [start, stop) that begins a cell with one of `labels` (fuzzy, folded)."""
    wanted = [fold(label) for label in labels]
    for index in range(start, len(lines) if stop is None else min(stop, len(lines))):
        hit = _match_in_line(lines[index], wanted)
        if hit is not None:
            end_word, label, score = hit
            return LabelHit(index, end_word, label, score)
    return None


def _match_in_line(line: Line, wanted: Sequence[str]) -> tuple[int, str, float] | None:
    words = [fold(w.text) for w in line.words]
    for label in wanted:
        n = len(label.split())
        for start in range(len(words)):
            # Allow one extra word for OCR splits ("Nationa lité").
            for size in (n, n + 1, n - 1):
                if size < 1 or start + size > len(words):
                    continue
                candidate = " ".join(w for w in words[start:start + size] if w)
                score = fuzz.ratio(candidate, label)
                if score >= LABEL_CUTOFF:
                    return start + size, label, score
    return None


def value_after(lines: Sequence[Line], hit: LabelHit, *, below: bool = True) -> Line | None:
    """The value printed after a label: the rest of its cell, else the next cell of the line,
    else the line below."""
    line = lines[hit.line_index]
    cells = line.cells()
    seen = 0
    for index, cell in enumerate(cells):
        if seen + len(cell.words) >= hit.end_word:
            rest = [w for w in cell.words[hit.end_word - seen:] if fold(w.text)]
            if rest:
                return Line(line.page, tuple(rest))
            if index + 1 < len(cells):
                return cells[index + 1]
            break
        seen += len(cell.words)
    if below and hit.line_index + 1 < len(lines):
        nxt = lines[hit.line_index + 1]
        if nxt.page == line.page:
            return nxt
    return None
