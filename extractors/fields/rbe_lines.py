"""Visual lines of a beneficial-owner document, cleaned into cells with their checkbox marks.

Forms print options as boxes ("☒ directe ☐ indirecte"). A text layer gives a checked box as a
glyph ("X", "☒", "■") and an empty one as nothing or "☐"; OCR turns empty boxes into "[]", "o",
"C" or "[J" and checked ones into "[x]", "X" or noise. Each cell keeps the state of the box
that opens it (True checked, False empty, None no box read), so that later rules never see
the glyphs as words.

OCR also splits one visual line into two when the page is slightly skewed (label on one,
value a point lower on the other): lines that overlap vertically and not horizontally are
joined back here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from extractors.layout import Line, page_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Page, Word

# Two lines whose vertical extents overlap by this share of the smaller height are one line.
_MIN_LINE_OVERLAP = 0.5
# OCR words this short (characters) and under this share of the median word height are specks.
_SPECK_MAX_CHARS = 2
_SPECK_HEIGHT_SHARE = 0.5
_SHORT_FUNCTION_WORDS = frozenset({"de", "du", "la", "le", "et", "au", "en", "un", "ou", "à"})
_SURE_SHORT_WORD_CONFIDENCE = 90.0
_SHORT_WORD_MIN_SHARE = 0.6  # of the speck height: a lowercase « de » is half a capital line
# Two-character OCR words narrower than this share of their height, read with less confidence
# than this, are slivers (box borders, scratches), not text.
_SLIVER_WIDTH_SHARE = 0.5
_SLIVER_MAX_CONFIDENCE = 50.0

_CHECKED = re.compile(r"(?:\[[xX✓✔✗✘]\]|\([xX]\)|\|[xX]\||[xX✓✔✗✘■☒☑▣⊠])")
_UNCHECKED = re.compile(r"(?:\[\s?_?\s?\]|\[J|LJ|L\]|\(\s?\)|[☐□○◻❑]|[oO0]{1,2}|[oO][cC]|[cC]|©)")
# A box glyph glued to the word it labels: "[Jindirecte", "☒directe", "[]Mme".
_GLUED = re.compile(r"^(?P<mark>\[[xX✓✔ _]?[\]J]|[☐□☒☑■])(?P<rest>\w.*)$")
_HAS_ALNUM = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a line: its words and the state of the checkbox opening it."""

    words: tuple[Word, ...]
    mark: bool | None = None  # True checked, False empty, None no box

    @property
    def text(self) -> str:
        """The words joined by single spaces."""
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        """Left edge, in points."""
        return self.words[0].x0

    @property
    def x1(self) -> float:
        """Right edge, in points."""
        return self.words[-1].x1


@dataclass(frozen=True, slots=True)
class FormLine:
    """A visual line with its cleaned cells; `line` keeps every word for provenance."""

    line: Line
    cells: tuple[Cell, ...]
    is_ocr: bool
    page_height: float
    pitch: float  # the page's usual distance from one line's top to the next's, in points

    @property
    def page(self) -> int:
        """1-based page number."""
        return self.line.page

    @property
    def text(self) -> str:
        """The cells' text with marks written "[x]"/"[ ]", cells joined by " | "."""
        return " | ".join(mark_text(c.mark) + c.text for c in self.cells)

    @property
    def x0(self) -> float:
        """Left edge of the first cell, in points."""
        return self.cells[0].x0

    @property
    def in_margin(self) -> bool:
        """Whether the line sits in the top or bottom 8 % of the page (running heads, footers)."""
        return self.line.bottom < 0.08 * self.page_height or self.line.top > 0.92 * self.page_height


def mark_text(mark: bool | None) -> str:
    """A checkbox state as the text the rules read: "[x] ", "[ ] " or ""."""
    return "" if mark is None else ("[x] " if mark else "[ ] ")


def document_form_lines(pages: Sequence[Page]) -> list[FormLine]:
    """Every page's lines, split lines rejoined, cleaned into cells; blank lines dropped."""
    out: list[FormLine] = []
    for page in pages:
        is_ocr = page.ocr_confidence is not None
        if is_ocr:
            page = replace(page, words=drop_specks(page.words))
        kept = [(line, cells) for line in merge_split_lines(page_lines(page))
                if (cells := clean_cells(line))]  # fmt: skip
        pitch = _line_pitch([line for line, _ in kept])
        out += [FormLine(line, tuple(cells), is_ocr, page.height, pitch) for line, cells in kept]
    return out


def _line_pitch(lines: Sequence[Line]) -> float:
    """The median distance between the tops of consecutive lines (0 with fewer than 2)."""
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.top > a.top)
    return steps[len(steps) // 2] if steps else 0.0


def drop_specks(words: Sequence[Word]) -> tuple[Word, ...]:
    """OCR words without the specks it reads from dust and box borders: one or two letters or
    digits much shorter than the page's text ("a", "5" a few points high)."""
    heights = sorted(w.bottom - w.top for w in words if len(w.text) >= _SPECK_MAX_CHARS + 1)
    if not heights:
        return tuple(words)
    floor = _SPECK_HEIGHT_SHARE * heights[len(heights) // 2]
    # Punctuation stays: dashes between parts are short too, and punctuation-only cells are
    # dropped later anyway.
    return tuple(
        w
        for w in words
        if len(w.text.strip()) > _SPECK_MAX_CHARS
        or not any(c.isalnum() for c in w.text)
        or (w.bottom - w.top >= floor and not _is_sliver(w))
        or _is_sure_short_word(w, floor)
    )


def _is_sure_short_word(word: Word, floor: float) -> bool:
    """Whether a short word is a label's « de » or « du » read surely: on a form whose boxes
    make most words' boxes tall, it falls under the speck height, and « Nom de naissance »
    without it is no label."""
    return (word.text in _SHORT_FUNCTION_WORDS
            and (word.confidence or 0.0) >= _SURE_SHORT_WORD_CONFIDENCE
            and word.bottom - word.top >= _SHORT_WORD_MIN_SHARE * floor)


def _is_sliver(word: Word) -> bool:
    """Whether a short OCR word is a box border or a scratch read as letters: two letters in
    a box far narrower than one letter is tall ("té" 3.6 points wide and 8 high), read with
    little confidence."""
    if word.confidence is None or word.confidence >= _SLIVER_MAX_CONFIDENCE:
        return False
    chars = len(word.text.strip())
    return chars >= _SPECK_MAX_CHARS and word.x1 - word.x0 < _SLIVER_WIDTH_SHARE * (
        word.bottom - word.top
    )


def merge_split_lines(lines: Sequence[Line]) -> list[Line]:
    """Lines with neighbours that overlap vertically, and not horizontally, joined."""
    out: list[Line] = []
    for line in lines:
        if out and _is_same_visual_line(out[-1], line):
            words = sorted((*out[-1].words, *line.words), key=lambda w: w.x0)
            out[-1] = Line(line.page, tuple(words))
        else:
            out.append(line)
    return out


def _is_same_visual_line(a: Line, b: Line) -> bool:
    """Whether two lines are halves of one skewed line (vertical overlap, no horizontal one)."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    height = min(a.bottom - a.top, b.bottom - b.top)
    if height <= 0 or overlap < _MIN_LINE_OVERLAP * height:
        return False
    return not any(w.x0 < v.x1 and v.x0 < w.x1 for w in a.words for v in b.words)


def clean_cells(line: Line) -> list[Cell]:
    """A line's cells with checkbox marks read off and punctuation-only cells dropped.

    A box standing alone in a cell marks the next cell; a box ending the line (a value column:
    "Représentant légal  ☒") becomes a cell of its own with no text.
    """
    cells: list[Cell] = []
    pending: tuple[bool, Word] | None = None
    for raw in line.cells():
        mark, words = _split_mark(raw.words)
        if not words:
            if mark is not None:
                pending = (mark, raw.words[0])
            continue
        if not any(_HAS_ALNUM.search(w.text) for w in words):
            continue  # "|", ":", "." left by table rules or OCR specks
        if mark is None and pending is not None:
            mark = pending[0]
        cells.append(Cell(tuple(words), mark))
        pending = None
    if pending is not None and cells and _is_box_glyph(pending[1].text):
        cells.append(Cell((_rewrite(pending[1], ""),), pending[0]))
    return cells


def _is_box_glyph(text: str) -> bool:
    """Whether a lone word is unmistakably a box (not "o", "C" or "0", which are also values)."""
    return bool(_CHECKED.fullmatch(text)) or bool(re.fullmatch(r"\[\s?_?\s?\]|[☐□]", text))


def _split_mark(words: Sequence[Word]) -> tuple[bool | None, list[Word]]:
    """A cell's words -> (state of a leading checkbox, the words after it)."""
    if not words:
        return None, []
    first = words[0].text
    if _CHECKED.fullmatch(first):
        return True, list(words[1:])
    if _UNCHECKED.fullmatch(first) and (
        not first.isalnum() or (len(words) > 1 and words[1].text[:1].isalpha())
    ):
        # "o", "C", "0" are boxes only before a word: alone they are values ("0 %").
        return False, list(words[1:])
    glued = _GLUED.match(first)
    if glued:
        state = bool(_CHECKED.fullmatch(glued["mark"]))
        return state, [_rewrite(words[0], glued["rest"]), *words[1:]]
    return None, list(words)


def _rewrite(word: Word, text: str) -> Word:
    """The same word box with different text (a glued glyph removed)."""
    return replace(word, text=text)
