"""Lines of a beneficial-owner document -> labelled entries, in reading order.

Three layouts meet in these documents, often in one file:
- label and value on one line ("Nationalité : Française", "Nationalité - Française", or two
  cells), the value maybe wrapping onto the lines below it (in its column, or back to the
  left margin when it filled the line), the label maybe wrapping too (greffe extracts);
- a row of labels with the values on the line below, in the same columns (the DBE-S-1 grid);
- a table: a header row, then one row per owner (`rbe_table`);
- owners side by side, one column each under a heading ("Personne n° 1"), one row per label
  (`rbe_columns`).
Headings that open an owner ("Bénéficiaire effectif n° 2") and lines that close the owners'
part (signature, "Pour extrait conforme") become entries of their own, for the segmentation.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from extractors.fields.rbe_columns import column_heads, read_columns
from extractors.fields.rbe_entry import Entry, EntryKind, heading_name, line_kind
from extractors.fields.rbe_labels import Key, LabelMatch, match_label
from extractors.fields.rbe_lines import Cell, FormLine, mark_text
from extractors.fields.rbe_table import is_table_header, read_table
from extractors.fields.rbe_wrap import join_label_lines, join_wrapped
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Word

# Horizontal slack when lining up a value or a wrapped label with its column, in points.
_ALIGN_PT = 6.0
# A value below a label, or a wrapped line, starts within this many line heights.
_MAX_GAP_LINES = 1.6
_WRAP_GAP_LINES = 0.8
_MAX_PITCHES = 1.2  # ... or within this many of the page's usual line pitches
# A ":" this close after a label separates it from the value; further on it is the value's.
_COLON_WITHIN_WORDS = 3
_LABEL_NOTE = re.compile(r"\(.*|.*\)|\W+")
# A line opening a new item of a form: "2) Informations...", "b) Exercice", "III. AUTRES".
# Words a sentence does not end on: a line ending with one goes on below.
_LINKING_WORDS = frozenset({
    "de", "du", "des", "d'", "a", "au", "aux", "et", "ou", "en", "par", "sur", "le", "la", "les",
    "l'", "plus", "moins", "que", "dont",
})  # fmt: skip
_ITEM_START = re.compile(r"^(?:\(?(?:[a-hA-H]|\d{1,2}|[ivxlIVXL1]{1,4})[).°])\s")


def read_entries(lines: Sequence[FormLine]) -> list[Entry]:
    """Every line of the document as entries, in reading order."""
    entries: list[Entry] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        columns = column_heads(lines, index)
        if columns is not None:
            band, index = read_columns(lines, index, columns)
            entries.extend(band)
            continue
        kind = line_kind(line)
        if kind is not EntryKind.FIELD:
            entries.append(_marker(line, kind))
            named = heading_name(line) if kind is EntryKind.HEADING else None
            if named is not None:
                entries.append(Entry(EntryKind.FIELD, Key.FULL_NAME, "", (named[0],), named[1],
                                     line.page, is_ocr=line.is_ocr))  # fmt: skip
            index += 1
            continue
        matches = [match_label(cell.words) for cell in line.cells]
        if is_table_header(line):
            rows, index = read_table(lines, index, len(entries))
            entries.extend(rows)
            continue
        if _is_header(line, matches):
            new, index = _read_below(lines, index, matches)
        else:
            new, index = _read_inline(lines, index, matches)
        entries.extend(new)
    return entries


def _marker(line: FormLine, kind: EntryKind) -> Entry:
    """A heading or end line as an entry (its text kept for provenance)."""
    words = line.line.words
    return Entry(kind, None, line.text, (), words, line.page, is_ocr=line.is_ocr)


def _is_header(line: FormLine, matches: Sequence[LabelMatch | None]) -> bool:
    """Whether every cell is a label with nothing after it but a note ("(RCS)", ":")."""
    return all(
        m is not None and all(_is_label_note(w.text) for w in cell.words[m.end_word :])
        for cell, m in zip(line.cells, matches, strict=True)
    )


def _is_label_note(text: str) -> bool:
    """Whether a word after a label belongs to it: a bracketed note or a colon."""
    return bool(_LABEL_NOTE.fullmatch(text))


def _is_label_line(line: FormLine) -> bool:
    """Whether any cell of a line starts with a known label."""
    return any(match_label(cell.words) is not None for cell in line.cells)


def _follows(prev: FormLine, nxt: FormLine, *, tight: bool = False) -> bool:
    """Whether `nxt` is close enough below `prev`, on the same page, to continue it
    (`tight`: as close as the lines of one wrapped paragraph). Word boxes are as tall as the
    glyphs for some producers and OCR, as tall as the font for others: the page's usual line
    pitch is a second measure."""
    if nxt.page != prev.page:
        return False
    height = max(prev.line.bottom - prev.line.top, 1.0)
    if nxt.line.top - prev.line.bottom <= (_WRAP_GAP_LINES if tight else _MAX_GAP_LINES) * height:
        return True
    return not tight and nxt.line.top - prev.line.top <= _MAX_PITCHES * prev.pitch


def _read_below(
    lines: Sequence[FormLine], index: int, matches: Sequence[LabelMatch | None]
) -> tuple[list[Entry], int]:
    """A row of labels -> one entry per label, its value the words below in its column."""
    header = lines[index]
    starts = [cell.x0 - _ALIGN_PT for cell in header.cells]
    texts: list[list[str]] = [[] for _ in header.cells]  # column -> one text per line
    words: list[list[Word]] = [[] for _ in header.cells]
    nxt = index + 1
    prev = header
    while nxt < len(lines) and _follows(prev, lines[nxt], tight=prev is not header):
        below = lines[nxt]
        if (
            line_kind(below) is not EntryKind.FIELD
            or _is_label_line(below)
            or _ITEM_START.match(below.text)
            or below.cells[0].mark is not None  # a line of options, not a value
        ):
            break
        line_texts: list[list[str]] = [[] for _ in header.cells]
        for cell in below.cells:
            for position, word in enumerate(cell.words):
                column = max((i for i, s in enumerate(starts) if s <= word.x0), default=0)
                prefix = ""
                if position == 0:  # a new cell: keep its box and where it starts
                    prefix = ("| " if line_texts[column] else "") + mark_text(cell.mark)
                line_texts[column].append(prefix + word.text)
                words[column].append(word)
        for column, column_text in enumerate(line_texts):
            if column_text:
                texts[column].append(" ".join(column_text))
        prev, nxt = below, nxt + 1
    entries = []
    for column, (cell, match) in enumerate(zip(header.cells, matches, strict=True)):
        assert match is not None  # _is_header checked it
        entries.append(Entry(EntryKind.FIELD, match.key, cell.text,
                             join_wrapped(texts[column], match.key),
                             tuple(words[column]) or cell.words, header.page, cell.mark,
                             match.score, is_ocr=header.is_ocr))  # fmt: skip
    return entries, nxt


def _read_inline(
    lines: Sequence[FormLine], index: int, matches: Sequence[LabelMatch | None]
) -> tuple[list[Entry], int]:
    """A line of label/value cells (or plain text) -> entries, with wrapped lines joined."""
    line = lines[index]
    nxt = index + 1
    cells = list(line.cells)
    # A label wrapped onto the next line, left of the value column: join it and match again.
    while len(cells) >= 2 and nxt < len(lines) and _is_label_wrap(line, lines[nxt], cells):
        joined = Cell(join_label_lines(cells[0].words, lines[nxt].cells[0].words), cells[0].mark)
        joined_match = match_label(joined.words)
        plain = line_kind(lines[nxt]) is EntryKind.FIELD and not _is_label_line(lines[nxt])
        if not plain and not _is_better(joined_match, matches[0]):
            break  # a heading or a label right under this line, not the end of its label
        cells[0] = joined
        matches = [joined_match, *matches[1:]]
        nxt += 1
    entries = _split_cells(line, cells, matches)
    # Lines that start right of the label column continue the last value.
    prev = lines[nxt - 1]
    while entries and nxt < len(lines) and _is_value_wrap(line, prev, lines[nxt], cells):
        entries[-1] = _extended(entries[-1], lines[nxt])
        prev, nxt = lines[nxt], nxt + 1
    # A value that filled its line and wrapped back to the label's left edge goes on with the
    # next line (a modality sentence, "Société par actions simplifiée" / "unipersonnelle").
    while (entries and entries[-1].key is not None and nxt < len(lines)
           and _is_sentence_wrap(lines, prev, lines[nxt], line)):  # fmt: skip
        entries[-1] = _extended(entries[-1], lines[nxt])
        prev, nxt = lines[nxt], nxt + 1
    return entries, nxt


def _extended(entry: Entry, more: FormLine) -> Entry:
    """An entry whose value goes on with the text of the line `more`."""
    parts = join_wrapped((*entry.parts, more.text), entry.key)
    return replace(entry, parts=parts, words=(*entry.words, *more.line.words))


def _is_sentence_wrap(
    lines: Sequence[FormLine], prev: FormLine, nxt: FormLine, line: FormLine
) -> bool:
    """Whether `nxt` continues a value that filled `prev` up to the right margin and wrapped
    back to the left edge of `line`, as a paragraph does ("… de plus" / "de 25 % des droits de
    vote"): its first word would not have fit at the end of `prev`."""
    if not _follows(prev, nxt, tight=True) or abs(nxt.x0 - line.x0) > _ALIGN_PT:
        return False
    if len(nxt.cells) != 1 or nxt.cells[0].mark is not None:
        return False  # a sentence is one run of words, not cells or options
    if line_kind(nxt) is not EntryKind.FIELD or _is_label_line(nxt):
        return False
    first, last = nxt.cells[0].words[0], prev.line.words[-1]
    if not _goes_on(last.text, first.text):
        return False
    # The right margin is where the page's other lines end: `prev` alone cannot show it.
    right = max(
        (o.line.words[-1].x1 for o in lines if o.page == prev.page and o not in (prev, nxt)),
        default=0.0,
    )
    space = (last.x1 - last.x0) / max(len(last.text), 1)  # about a character's width
    return last.x1 <= right + space < last.x1 + 2 * space + (first.x1 - first.x0)


def _goes_on(last: str, first: str) -> bool:
    """Whether a line's first word reads as more of the sentence whose line ended with `last`:
    a small letter, or a number after a linking word ("de plus de" / "25 %")."""
    if first[:1].isalpha():
        return first[:1].islower()
    return first[:1].isdigit() and (last.endswith(",") or fold(last) in _LINKING_WORDS)


def _is_label_wrap(line: FormLine, nxt: FormLine, cells: Sequence[Cell]) -> bool:
    """Whether `nxt` may be the end of a label wrapped from `line`'s first cell (by position)."""
    if not _follows(line, nxt, tight=True) or len(nxt.cells) != 1:
        return False
    only = nxt.cells[0]
    if cells[0].words[-1].text.rstrip().endswith(":"):
        return False  # "Label :" is complete: the line under it is no more of it
    return (
        abs(only.x0 - cells[0].x0) <= _ALIGN_PT
        and only.x1 < cells[1].x0 - _ALIGN_PT
        and line_kind(nxt) is not EntryKind.END
    )


def _is_better(new: LabelMatch | None, old: LabelMatch | None) -> bool:
    """Whether a label read over two lines is a longer known label than over one."""
    return new is not None and (old is None or len(new.label) > len(old.label))


def _is_value_wrap(line: FormLine, prev: FormLine, nxt: FormLine, cells: Sequence[Cell]) -> bool:
    """Whether `nxt` continues the value that ends `line` (it starts in the value column)."""
    if len(cells) < 2 or not _follows(prev, nxt) or line_kind(nxt) is not EntryKind.FIELD:
        return False
    value_x0 = cells[1].x0
    return (
        nxt.x0 >= value_x0 - _ALIGN_PT
        and nxt.x0 > cells[0].x0 + 3 * _ALIGN_PT
        and not _is_label_line(nxt)
    )


def _split_cells(
    line: FormLine, cells: Sequence[Cell], matches: Sequence[LabelMatch | None]
) -> list[Entry]:
    """Cells -> entries: each label opens one, the cells after it are its value."""
    cells, matches = _split_embedded_labels(cells, matches)
    entries: list[Entry] = []
    key: Key | None = None
    label, mark, score = "", None, 100.0
    parts: list[str] = []
    words: list[Word] = []

    def flush() -> None:
        if label or parts:
            value = (" | ".join(parts),) if parts else ()
            entries.append(Entry(EntryKind.FIELD, key, label, value, tuple(words), line.page,
                                 mark, score, is_ocr=line.is_ocr))  # fmt: skip

    for cell, match in zip(cells, matches, strict=True):
        if match is None:
            parts.append(mark_text(cell.mark) + cell.text)
            words.extend(cell.words)
            continue
        flush()
        key, mark, score = match.key, cell.mark, match.score
        label = " ".join(w.text for w in cell.words[: match.end_word])
        rest = list(cell.words[match.end_word :])
        rest = _after_colon(rest)
        parts = [" ".join(w.text for w in rest)] if rest else []
        words = rest
    flush()
    return entries


def _split_embedded_labels(
    cells: Sequence[Cell], matches: Sequence[LabelMatch | None]
) -> tuple[list[Cell], list[LabelMatch | None]]:
    """Cells cut where a value runs into the next "Label :" ("Dénomination : X  Forme
    juridique : SAS" printed close together)."""
    out_cells: list[Cell] = []
    out_matches: list[LabelMatch | None] = []
    for cell, match in zip(cells, matches, strict=True):
        while (cut := _embedded_label_at(cell.words, match)) is not None:
            out_cells.append(Cell(cell.words[:cut], cell.mark))
            out_matches.append(match)
            cell = Cell(cell.words[cut:])
            match = match_label(cell.words)
        out_cells.append(cell)
        out_matches.append(match)
    return out_cells, out_matches


def _embedded_label_at(words: Sequence[Word], match: LabelMatch | None) -> int | None:
    """Index of a "Label :" inside a cell's value, None when there is none."""
    for index in range(max(_value_start(words, match), 1), len(words)):
        found = match_label(words[index:])
        # Mid-line, a dash joins phrases ("… effectifs - SIREN …"): only a ":" opens a label.
        if found is not None and found.has_separator and not found.by_dash:
            return index
    return None


def _value_start(words: Sequence[Word], match: LabelMatch | None) -> int:
    """Index of a cell's first value word (after its label and a ":" close to it)."""
    if match is None:
        return 0
    rest = list(words[match.end_word :])
    return len(words) - len(_after_colon(rest))


def _after_colon(words: list[Word]) -> list[Word]:
    """The words after a ":" among the first few (drops "(SIREN) :", "(en majuscules) :")."""
    for i, word in enumerate(words[:_COLON_WITHIN_WORDS]):
        if ":" in word.text:
            tail = word.text.partition(":")[2].strip()
            return [replace(word, text=tail), *words[i + 1 :]] if tail else words[i + 1 :]
    return words
