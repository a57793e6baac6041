"""Hand-written pages for field-parser unit tests: text lines laid out as words with boxes.

Each line is a string, or `(x, string)` to start its first cell at `x` points. Inside a line,
"|" separates cells, placed on the column grid (`columns`, left edges in points; after an `x`,
the grid's columns right of it) as form-like documents print a label and its value; words
inside a cell are one space apart. An empty string leaves a blank line. Characters are half
the font size wide, lines `line_step` apart.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kanta_docs.models import Page, Word
from kanta_docs.vocab import TextSource

if TYPE_CHECKING:
    from collections.abc import Sequence

LineSpec = str | tuple[float, str]
COLUMNS = (50.0, 200.0, 350.0, 450.0)


def make_page(lines: Sequence[LineSpec], *, number: int = 1,
              columns: Sequence[float] = COLUMNS, font_size: float = 9.0,
              line_step: float = 14.0, top: float = 40.0,
              confidence: float | None = None) -> Page:
    """A page whose words sit where `lines` put them (an OCR page when `confidence` is given)."""
    char_width = font_size * 0.5
    words: list[Word] = []
    texts: list[str] = []
    y = top
    for spec in lines:
        first_x, text = spec if isinstance(spec, tuple) else (columns[0], spec)
        grid = [first_x, *(c for c in columns if c > first_x)]
        for index, cell in enumerate(re.split(r"\s*\|\s*", text)):
            x = grid[index]
            for token in cell.split():
                x1 = x + len(token) * char_width
                words.append(Word(token, x, y, x1, y + font_size, confidence))
                x = x1 + char_width
        texts.append("   ".join(c for c in re.split(r"\s*\|\s*", text) if c))
        y += line_step
    source = TextSource.OCR if confidence is not None else TextSource.TEXT_LAYER
    return Page(number=number, width=595.0, height=842.0, text="\n".join(texts),
                words=tuple(words), source=source, ocr_confidence=confidence)


def line_words(text: str, *, x: float = 50.0, y: float = 0.0) -> list[Word]:
    """One line's words from `x`, 9 points high at `y`, 5 points a character, one apart."""
    out = []
    for token in text.split():
        out.append(Word(token, x, y, x + 5 * len(token), y + 9))
        x += 5 * len(token) + 5
    return out
