"""pdfplumber adapter: a PDF page's text layer as words with boxes, page text in reading order,
and a verdict on whether that text is language or glyph soup.

Reading order. pdfplumber's `extract_text()` groups characters into lines across the whole page
width, so a 2-column page comes out with the columns interleaved line by line (PERF.md §1: CER
72 %). pypdfium2's text follows the content stream, which is right for many producers but not
guaranteed, and its characters would not be the words we return. We therefore rebuild the page
text from pdfplumber's own words (`layout_text`): lines from vertical overlap, then column
gutters found as a vertical strip of white space shared by consecutive lines, then each column
read top to bottom. A strip only counts as a gutter when the text on each side reads like prose
(several words per line): label/value forms and tables keep their row order, which the field
rules need ("Capital social 10 000 euros"). Measured by bench/bench_reading.py on generated
pages: 2-column CER 0.0 % (pdfplumber `extract_text` 74 %, pypdfium2 0.0 % on these reportlab
files); the layout pass costs ~1 ms per page, next to ~130 ms for pdfplumber's word extraction
(PERF.md §1), which is the text-layer path's whole cost.
Because the text is built from the words, every word of `words` appears in `text` in order:
provenance can map a text span back to its boxes.

Usability (`assess_text`): a text layer must be language, not glyph soup (fonts without a usable
/ToUnicode map give "(cid:12)(cid:45)", private-use or control characters, or letters that are
not the ones drawn). The checks and their thresholds are constants below, each with its reason.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kanta_docs.models import Word

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pdfplumber.page

PdfPlumberWord = dict[str, Any]  # pdfplumber's word dicts, only inside this adapter

# --- layout ---------------------------------------------------------------------------------
# Words whose vertical centres are closer than this fraction of the line height share a line.
_SAME_LINE = 0.5
# A horizontal gap wider than this many line heights ends a run of words (a "segment"): wider
# than justified word spacing (~0.3-0.8 em), narrower than column gutters (~1.5-3 em).
_SEGMENT_GAP_EM = 1.0
# A gutter is at least this wide (points) and lies in the middle 70 % of the text's width.
_MIN_GUTTER_PT = 8.0
_GUTTER_MARGIN_SHARE = 0.15
# Columns: at least this many lines on each side, with at least this many words per line
# (median). Label/value forms (1-3 word labels) and tables fail it and stay row by row.
_MIN_COLUMN_LINES = 3
_MIN_COLUMN_WORDS_PER_LINE = 4

# --- usability --------------------------------------------------------------------------------
# Fewer visible characters than this is "no text layer" (a page number, a scanner's stamp).
MIN_TEXT_CHARS = 20
# Share of broken glyphs ((cid:NN), private-use, U+FFFD, control characters) above which the
# layer is soup. Symbol-font checkboxes map to private use, a few per page, far below 3 %.
MAX_BAD_GLYPH_SHARE = 0.03
# Letters among non-space characters: prose ~0.8, invoices and balance sheets 0.3-0.6.
MIN_LETTER_SHARE = 0.25
# Alphabetic tokens (3+ letters) containing a vowel: French/English text ~0.97 (SIREN-like
# acronyms aside); random letters ~0.65, consonant soup far less. Checked from 20 tokens on.
MIN_VOWEL_WORD_SHARE = 0.75
_MIN_TOKENS_FOR_VOWELS = 20
# Tokens that are common French or English words: prose ~0.3, forms and tables ~0.05-0.15,
# soup 0. Checked from 60 tokens on, so a short list of names is not condemned.
MIN_COMMON_WORD_SHARE = 0.01
_MIN_TOKENS_FOR_COMMON = 60
_COMMON_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "de",
        "des",
        "du",
        "un",
        "une",
        "et",
        "en",
        "au",
        "aux",
        "à",
        "a",
        "par",
        "pour",
        "sur",
        "dans",
        "avec",
        "est",
        "sont",
        "qui",
        "que",
        "ne",
        "pas",
        "ce",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "il",
        "elle",
        "nous",
        "vous",
        "ou",
        "où",
        "plus",
        "date",
        "nom",
        "n°",
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "for",
        "on",
        "with",
        "by",
        "as",
        "at",
        "from",
        "or",
        "be",
        "this",
        "that",
        "are",
        "an",
    ]
)
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ")
_CID = re.compile(r"\(cid:\d+\)")
_ALPHA_TOKEN = re.compile(r"[^\W\d_]{3,}")
_TOKEN = re.compile(r"[^\W\d_]+|\d+|n°")


@dataclass(frozen=True, slots=True)
class TextQuality:
    """Whether a page's text layer can be used, and the measurements that decided it."""

    is_usable: bool
    reason: str | None  # why not, in words for a warning; None when usable
    chars: int  # non-space characters
    bad_glyph_share: float
    letter_share: float
    vowel_word_share: float | None  # None when too few tokens to judge
    common_word_share: float | None


@dataclass(frozen=True, slots=True)
class LayerPage:
    """One page's text layer: words (points, top-left origin) and text, both in reading order."""

    width: float
    height: float
    words: tuple[Word, ...]
    text: str


def read_layer_page(page: pdfplumber.page.Page) -> LayerPage:
    """A pdfplumber page -> its words inside the page box and the page text in reading order."""
    raw: list[PdfPlumberWord] = page.extract_words(keep_blank_chars=False, use_text_flow=False)
    width, height = float(page.width), float(page.height)
    words: list[Word] = []
    for w in raw:
        text = unicodedata.normalize("NFC", str(w["text"]))
        x0, x1, top, bottom = (float(w[k]) for k in ("x0", "x1", "top", "bottom"))
        # Text placed outside the page box is not shown by any viewer: drop it.
        if x1 <= 0 or x0 >= width or bottom <= 0 or top >= height or not text.strip():
            continue
        words.append(Word(text=text, x0=x0, top=top, x1=x1, bottom=bottom))
    ordered, text = reading_order(words)
    return LayerPage(width, height, ordered, text)


# --- reading order ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """Words of one line with no wide gap between them."""

    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1


@dataclass(frozen=True, slots=True)
class _Line:
    segments: tuple[_Segment, ...]
    top: float

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)


def layout_text(words: Sequence[Word]) -> str:
    """Words -> page text in reading order (see `reading_order`). Pure."""
    return reading_order(words)[1]


def reading_order(words: Sequence[Word]) -> tuple[tuple[Word, ...], str]:
    """Words -> (the same words in reading order, page text). Pure.

    Lines run top to bottom; a band of lines split by a column gutter is read column after
    column. Lines are separated by newlines and column blocks by a blank line; the words of a
    line are joined by single spaces, whatever the gap between them (as Tesseract and pdfplumber
    do). The text is exactly the ordered words joined, so word i is found in it after word i-1.
    """
    if not words:
        return (), ""
    lines = _group_lines(words)
    lo = min(w.x0 for w in words)
    hi = max(w.x1 for w in words)
    blocks: list[list[list[Word]]] = []  # blocks of lines of words
    rows: list[list[Word]] = []
    for band in _bands(lines, lo, hi):
        columns = _columns(band.lines, band.cuts) if band.cuts else None
        if columns is None:
            rows.extend(list(line.words) for line in band.lines)
            continue
        if rows:
            blocks.append(rows)
            rows = []
        blocks.extend(columns)
    if rows:
        blocks.append(rows)
    ordered = tuple(w for block in blocks for line in block for w in line)
    text = "\n\n".join("\n".join(_line_text(line) for line in block) for block in blocks)
    return ordered, text


def _line_text(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


def _group_lines(words: Sequence[Word]) -> list[_Line]:
    """Words grouped into lines by vertical centre, each line split into segments at wide gaps."""
    ordered = sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0))
    groups: list[list[Word]] = []
    centre = height = 0.0
    for w in ordered:
        c, h = (w.top + w.bottom) / 2, max(w.bottom - w.top, 0.1)
        if groups and abs(c - centre) <= _SAME_LINE * min(h, height):
            groups[-1].append(w)
            n = len(groups[-1])
            centre += (c - centre) / n  # running mean, so a line cannot drift downwards
            height = max(height, h)
        else:
            groups.append([w])
            centre, height = c, h
    lines: list[_Line] = []
    for group in groups:
        group.sort(key=lambda w: w.x0)
        em = statistics.median(w.bottom - w.top for w in group)
        segments: list[list[Word]] = [[group[0]]]
        for prev, w in zip(group, group[1:], strict=False):
            if w.x0 - prev.x1 > _SEGMENT_GAP_EM * em:
                segments.append([w])
            else:
                segments[-1].append(w)
        lines.append(_Line(tuple(_Segment(tuple(s)) for s in segments), min(w.top for w in group)))
    lines.sort(key=lambda line: line.top)
    return lines


@dataclass(frozen=True, slots=True)
class _Band:
    """Consecutive lines sharing the same vertical white strips (`cuts`, x positions)."""

    lines: tuple[_Line, ...]
    cuts: tuple[float, ...]


Interval = tuple[float, float]


def _bands(lines: Sequence[_Line], lo: float, hi: float) -> list[_Band]:
    """Split lines into runs that share at least one gutter-wide white strip (greedy, top down)."""
    margin = (hi - lo) * _GUTTER_MARGIN_SHARE
    inner = (lo + margin, hi - margin)
    bands: list[_Band] = []
    run: list[_Line] = []
    common: list[Interval] = []

    def flush() -> None:
        if run:
            cuts = tuple((a + b) / 2 for a, b in common) if len(run) >= 2 else ()
            bands.append(_Band(tuple(run), cuts))

    for line in lines:
        free = _free_strips(line, inner)
        shared = _intersect(common, free) if run else free
        if run and common and shared:
            run.append(line)
            common = shared
            continue
        flush()
        run, common = [line], free
    flush()
    return bands


def _free_strips(line: _Line, inner: Interval) -> list[Interval]:
    """White strips of `line` inside `inner` at least a gutter wide."""
    strips: list[Interval] = []
    cursor = inner[0]
    for seg in line.segments:
        if seg.x0 > cursor:
            strips.append((cursor, min(seg.x0, inner[1])))
        cursor = max(cursor, seg.x1)
    if cursor < inner[1]:
        strips.append((cursor, inner[1]))
    return [(a, b) for a, b in strips if b - a >= _MIN_GUTTER_PT]


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= _MIN_GUTTER_PT:
                out.append((lo, hi))
    return out


def _columns(lines: Sequence[_Line], cuts: Sequence[float]) -> list[list[list[Word]]] | None:
    """The band's lines split at `cuts` into columns of prose, or None if it is not prose."""
    edges = [float("-inf"), *cuts, float("inf")]
    columns: list[list[list[Word]]] = []
    for left, right in zip(edges, edges[1:], strict=False):
        column = [[w for w in line.words if left <= (w.x0 + w.x1) / 2 < right] for line in lines]
        column = [ws for ws in column if ws]
        if not column:
            continue  # a white strip at the text's edge, not between columns
        if len(column) < _MIN_COLUMN_LINES:
            return None
        if statistics.median(len(ws) for ws in column) < _MIN_COLUMN_WORDS_PER_LINE:
            return None
        columns.append(column)
    return columns if len(columns) >= 2 else None


# --- usability --------------------------------------------------------------------------------


def assess_text(text: str) -> TextQuality:
    """A page's extracted text -> whether it is usable language, with the measurements. Pure."""
    compact = "".join(text.split())
    chars = len(compact)
    cids = len(_CID.findall(compact))
    without_cids = _CID.sub("", compact)
    bad = cids + sum(1 for c in without_cids if _is_bad_glyph(c))
    bad_share = bad / chars if chars else 0.0
    letters = sum(1 for c in without_cids if c.isalpha())
    letter_share = letters / chars if chars else 0.0
    alpha_tokens = _ALPHA_TOKEN.findall(_CID.sub(" ", text))
    vowel_share = (
        sum(1 for t in alpha_tokens if any(c in _VOWELS for c in t)) / len(alpha_tokens)
        if len(alpha_tokens) >= _MIN_TOKENS_FOR_VOWELS
        else None
    )
    tokens = [t.lower() for t in _TOKEN.findall(_CID.sub(" ", text))]
    word_tokens = [t for t in tokens if not t.isdigit()]
    common_share = (
        sum(1 for t in word_tokens if t in _COMMON_WORDS) / len(word_tokens)
        if len(word_tokens) >= _MIN_TOKENS_FOR_COMMON
        else None
    )
    reason: str | None = None
    if chars < MIN_TEXT_CHARS:
        reason = "no text layer"
    elif bad_share > MAX_BAD_GLYPH_SHARE:
        reason = f"text layer has {bad_share:.0%} undecodable glyphs"
    elif letter_share < MIN_LETTER_SHARE:
        reason = "text layer is mostly symbols"
    elif vowel_share is not None and vowel_share < MIN_VOWEL_WORD_SHARE:
        reason = "text layer is not language (glyph soup)"
    elif common_share is not None and common_share < MIN_COMMON_WORD_SHARE:
        reason = "text layer has no common French or English words (glyph soup)"
    return TextQuality(
        is_usable=reason is None,
        reason=reason,
        chars=chars,
        bad_glyph_share=bad_share,
        letter_share=letter_share,
        vowel_word_share=vowel_share,
        common_word_share=common_share,
    )


def _is_bad_glyph(c: str) -> bool:
    """Private-use, replacement, unassigned or control characters: signs of a broken font map."""
    if c == "\ufffd":
        return True
    category = unicodedata.category(c)
    return category in ("Co", "Cn", "Cc", "Cs")
