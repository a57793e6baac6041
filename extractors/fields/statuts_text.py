"""A statuts document as one flowing text, with every character traceable to its page and words.

Statuts are prose: a civil-status formula or an allocation list runs over line and page breaks.
The field rules therefore read one text made of every page's text (which the reading stage
builds from the words in order, so each word is found in it after the previous one), without
running headers and footers ("ACME - Statuts 2/3", initials, page numbers) that would otherwise
interrupt a sentence at a page break. `StatutsText.provenance` maps any span back to its page,
its word boxes and the OCR confidence of those words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from kanta_docs.models import Page, Provenance, Word
from kanta_docs.text import collapse_spaces, fold

if TYPE_CHECKING:
    from collections.abc import Sequence

# Lines among the first/last few of a page that recur on other pages are running headers or
# footers; OCR varies them a little ("Statuts ï 2/3"), hence a fuzzy comparison.
_EDGE_LINES = 3
_REPEAT_SCORE = 85.0
# A running line repeats with about its length; a table row "M. X 800 euros 8 80 %" at a page's
# foot is not the signature line "M. X" at the foot of the next page.
_REPEAT_LENGTH = 0.85
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d{1,3}(?:\s*(?:/|sur)\s*\d{1,3})?\W*$")


@dataclass(frozen=True, slots=True)
class _PlacedWord:
    start: int  # offset in the document text
    end: int
    page: int
    word: Word


@dataclass(frozen=True, slots=True)
class StatutsText:
    """The document's text (pages joined by a newline) and where each word of it lies."""

    text: str
    words: tuple[_PlacedWord, ...]
    page_starts: tuple[int, ...]  # offset of each page's first character, in page order
    # `text` with newlines as spaces (same offsets), for the French helpers whose patterns join
    # words by spaces: a date or amount in words runs over line breaks.
    flat: str = ""

    def page_at(self, offset: int) -> int:
        """The 1-based page number the character at `offset` comes from."""
        page = 1
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
        return page

    def span_words(self, start: int, end: int) -> list[_PlacedWord]:
        """The words overlapping [start, end)."""
        return [w for w in self.words if w.start < end and start < w.end]

    def confidence(self, start: int, end: int) -> float:
        """0-1: the mean OCR confidence of the span's words; 1 for a text layer."""
        values = [w.word.confidence for w in self.span_words(start, end)
                  if w.word.confidence is not None]  # fmt: skip
        return round(sum(values) / len(values) / 100, 3) if values else 1.0

    def provenance(self, start: int, end: int, confidence: float | None = None) -> Provenance:
        """Provenance of the span [start, end): its page, text, words' box and confidence."""
        words = self.span_words(start, end)
        page = words[0].page if words else self.page_at(start)
        on_page = [w.word for w in words if w.page == page]
        box = ((min(w.x0 for w in on_page), min(w.top for w in on_page),
                max(w.x1 for w in on_page), max(w.bottom for w in on_page))
               if on_page else None)  # fmt: skip
        return Provenance(
            page=page,
            text=collapse_spaces(self.text[start:end]),
            box=box,
            confidence=self.confidence(start, end) if confidence is None else confidence,
        )


def _line_spans(text: str) -> list[tuple[int, int]]:
    """A page text -> [start, end) of each of its lines."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _edge_keys(page: Page) -> list[str]:
    """Folded, digit-free text of a page's first and last few non-empty lines."""
    lines = [line for line in page.text.split("\n") if line.strip()]
    edges = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
    return [re.sub(r"\d+", "#", fold(line)) for line in edges]


def _is_running_line(line: str, index: int, count: int, others: Sequence[list[str]]) -> bool:
    """Whether a line at the top or bottom of its page repeats on another page (or is a page
    number)."""
    if index >= _EDGE_LINES and index < count - _EDGE_LINES:
        return False
    if _PAGE_NUMBER.match(line.strip()):
        return True
    key = re.sub(r"\d+", "#", fold(line))
    if len(key) < 4:
        return False
    return any(fuzz.ratio(key, other) >= _REPEAT_SCORE
               and min(len(key), len(other)) >= _REPEAT_LENGTH * max(len(key), len(other))
               for keys in others for other in keys)  # fmt: skip


def _place_words(page: Page) -> list[tuple[int, int, Word]]:
    """A page's words with their [start, end) in the page text (found in order)."""
    placed, pos = [], 0
    for word in page.words:
        at = page.text.find(word.text, pos)
        if at < 0:
            continue  # not in the text: the reading stage guarantees it is, but never crash
        placed.append((at, at + len(word.text), word))
        pos = at + len(word.text)
    return placed


def build_statuts_text(pages: Sequence[Page]) -> StatutsText:
    """Pages -> one text without running headers/footers, words placed in it."""
    edge_keys = [_edge_keys(p) for p in pages]
    parts: list[str] = []
    placed: list[_PlacedWord] = []
    page_starts: list[int] = []
    offset = 0
    for index, page in enumerate(pages):
        others = edge_keys[:index] + edge_keys[index + 1 :]
        page_starts.append(offset)
        page_words = _place_words(page)
        lines = _line_spans(page.text)
        non_empty = [i for i, (s, e) in enumerate(lines) if page.text[s:e].strip()]
        for rank, line_index in enumerate(non_empty):
            s, e = lines[line_index]
            line = page.text[s:e]
            if _is_running_line(line, rank, len(non_empty), others):
                continue
            placed.extend(_PlacedWord(offset + ws - s, offset + we - s, page.number, w)
                          for ws, we, w in page_words if s <= ws and we <= e)  # fmt: skip
            parts.append(line)
            offset += len(line) + 1
    text = "\n".join(parts)
    return StatutsText(text, tuple(placed), tuple(page_starts), text.replace("\n", " "))


# A full stop ends a sentence unless it closes an abbreviation or an initial ("M.", "Bât.",
# "J.", "R.C.S."): the word before it is then short, listed, or dotted itself.
_SENTENCE_STOP = re.compile(
    r"[.!?](?=\s+[«\"(]?[A-ZÀ-ÖØ-Þ0-9])|[.!?]\s*$"
    r"|\n(?=[ \t]*(?i:article|art\.|titre|chapitre)\s)",  # a heading ends any sentence
    re.MULTILINE,
)
_ABBREVIATIONS = frozenset({
    "mme", "mlle", "melle", "mm", "me", "dr", "pr", "st", "ste", "bd", "av", "bat", "imm",
    "res", "art", "no", "ch", "rte", "sas", "sarl", "cie", "ets", "etab", "ep", "vve", "cf",
    "lot", "resid", "chem", "imp", "pl", "sq", "fg", "fbg", "zac", "bis",
})  # fmt: skip


def _is_sentence_stop(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` ends a sentence rather than an abbreviation."""
    if text[dot] != ".":
        return True  # "!", "?" or the newline before a heading
    word = re.search(r"[\w.'’-]*$", text[max(0, dot - 20) : dot])
    before = word.group() if word else ""
    letters = fold(before).replace(" ", "")
    return not (len(letters) <= 2 or "." in before or letters in _ABBREVIATIONS)


def sentence_end(text: str, pos: int, limit: int | None = None) -> int:
    """The offset just after the sentence that contains `pos` ends (or `limit`)."""
    stop = len(text) if limit is None else min(limit, len(text))
    for m in _SENTENCE_STOP.finditer(text, pos, stop):
        if _is_sentence_stop(text, m.start()):
            return m.start() + 1
    return stop


def sentence_start(text: str, pos: int, floor: int = 0) -> int:
    """The offset where the sentence containing `pos` begins (not before `floor`)."""
    start = floor
    for m in _SENTENCE_STOP.finditer(text, floor, pos):
        if _is_sentence_stop(text, m.start()):
            start = m.start() + 1
    while start < pos and text[start].isspace():
        start += 1
    return start
