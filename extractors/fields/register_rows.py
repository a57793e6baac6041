"""Label/value rows of register extracts (Kbis, RNE attestations, other form-like pages).

A row is a known label ("Dénomination ou raison sociale", "Nom, prénoms", "Capital :") and the
value printed after it: in the rest of its cell, in the next cells of the line (up to the next
label, or the next column of labels in a two-column layout), or under it when nothing follows
the label in its cell (a label alone, or pairs side by side: « Dénomination   SIREN » over
« ACME   732 829 320 »); a value that wraps goes on in the same column on the following lines.

The longest label wins ("Numéro d'identification Européen - EUID" over "Numéro
d'identification"), so that every label of the page can be told from the ones the caller
wants; labels are matched on folded text, fuzzily at the start of a cell (OCR slips), and
exactly, followed by a colon, inside a cell ("Nom : DUPONT Prénoms : Jean").
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from extractors.layout import LABEL_CUTOFF, Line
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from kanta_docs.models import Provenance, Word

# Labels this short (folded) must match exactly: one slip makes another word of them.
_EXACT_MAX_CHARS = 5
# Horizontal tolerance, in points, for "the same column" (OCR boxes wander by a few points).
_COLUMN_TOL = 8.0
# Cells further apart than this many character widths are not one value (next column).
_VALUE_GAP_CHARS = 6.0
# A wrapped value's next line starts at most this many line heights below the previous top.
_WRAP_MAX_HEIGHTS = 2.2
# A value printed below its label starts at most this many line heights below it, and goes on
# over lines this close (pairs of label and value are set further apart than a value's lines).
_BELOW_MAX_HEIGHTS = 2.5
_BELOW_WRAP_HEIGHTS = 1.7
_BELOW_WRAP_STEPS = 1.5  # or this many times the step from the label to the value's first line
_BELOW_TOL = 2 * _COLUMN_TOL  # a value under its label, scanned: its box may start off a little
# Keys whose value, printed under the label, may read like the head of a block (a role).
_KEEPS_HEADS = frozenset({"role"})
# A label's first words that OCR may set apart from the rest (« N° », « Date de »).
_SPLIT_LABEL_WORDS = 2
_SPLIT_LABEL_SCORE = 95.0  # the joined words must be the label, not a value glued to one
_LEAD_JUNK = " .,;:|-\u2013\u2014\u2018\u2019'\"*\u2022+_"
_TRAIL_JUNK = " ,;:|-\u2013\u2014_'\"\u2018\u2019*\u2022"


@dataclass(frozen=True, slots=True)
class Labels:
    """A label vocabulary, folded once: (key, folded variant) pairs, longest variant first."""

    variants: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, vocabulary: Mapping[str, Sequence[str]]) -> Labels:
        """Key -> label variants as printed (any case, accents, punctuation) -> Labels."""
        pairs = {(key, fold(v)) for key, variants in vocabulary.items() for v in variants}
        return cls(tuple(sorted(pairs, key=lambda p: (-len(p[1]), p))))


@dataclass(frozen=True, slots=True)
class Row:
    """A label and the value printed after it; `value` is "" when none is printed."""

    key: str
    label: str  # as printed
    value: str  # the value's pieces joined with single spaces
    line_index: int  # index of the label's line in the lines given to `read_rows`
    pieces: tuple[Line, ...]  # the value's words, one Line per printed line
    label_score: float  # 0-100, how well the printed label matched
    label_x0: float  # left edge of the label, in points

    @property
    def page(self) -> int:
        """The page of the label."""
        return self.pieces[0].page if self.pieces else 0

    @property
    def confidence(self) -> float:
        """0-1: the label match times the mean OCR confidence of the value's words."""
        scores = [w.confidence for p in self.pieces for w in p.words if w.confidence is not None]
        ocr = fmean(scores) / 100 if scores else 1.0
        return round(min(1.0, self.label_score / 100) * ocr, 3)

    def provenance(self, text: str | None = None) -> Provenance | None:
        """Provenance of the value (or of `text` read from it); None when there is no value."""
        if not self.pieces:
            return None
        first = self.pieces[0]
        on_page = [w for p in self.pieces if p.page == first.page for w in p.words]
        return Line(first.page, tuple(on_page)).provenance(
            text if text is not None else self.value, self.confidence
        )


@dataclass(frozen=True, slots=True)
class _Hit:
    """A label found in a cell: words [start, value_start) of cell `cell` are the label."""

    cell: int
    start: int
    value_start: int
    key: str
    score: float


def clean_value(text: str) -> str:
    """A value's text without the stray punctuation OCR and layouts leave around it."""
    return text.lstrip(_LEAD_JUNK).rstrip(_TRAIL_JUNK)


def has_alnum(text: str) -> bool:
    """Whether a text holds a letter or digit (OCR specks and rules hold none)."""
    return any(c.isalnum() for c in text)


def line_cells(line: Line) -> list[Line]:
    """The line's cells, without cells of punctuation only."""
    return [c for c in line.cells() if has_alnum(c.text)]


def match_label_at(words: Sequence[Word], labels: Labels, start: int = 0,
                   *, exact: bool = False) -> tuple[str, int, float] | None:
    """The label beginning at words[start] -> (key, index of the first word after it, score)."""
    folded = [fold(w.text) for w in words]
    best: tuple[int, float, str, int] | None = None  # (label length, score, key, end)
    for key, variant in labels.variants:
        if best is not None and len(variant) < best[0]:
            break  # variants are sorted longest first: nothing longer is left
        found = _best_prefix(folded, start, variant, exact)
        if found is not None and (best is None or found[1] > best[1]):
            best = (len(variant), found[1], key, found[0])
    if best is None:
        return None
    end = best[3]
    if (end + 1 < len(words) and words[end].text == "/"
            and words[end + 1].text.rstrip(":").isalpha()):
        end += 2  # « Nom / Surname », « Nom / Dénomination »: the label's other wording
    while end < len(words) and not has_alnum(words[end].text):
        end += 1  # the colon or dash after a label
    return best[2], end, best[1]


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def _best_prefix(folded: Sequence[str], start: int, variant: str,
                 exact: bool) -> tuple[int, float] | None:
    """(end word, score) of the best fuzzy match of `variant` on words from `start`."""
    need = len(variant.split())
    best: tuple[int, float] | None = None
    candidate = ""
    for end in range(start + 1, min(len(folded), start + need + 2) + 1):
        if folded[end - 1]:
            candidate = f"{candidate} {folded[end - 1]}".strip()
        if _has_digit(candidate) and not _has_digit(variant):
            break  # « Capital social : 500 euros » is a value, not « Capital social (en euros) »
        if exact or len(variant) <= _EXACT_MAX_CHARS:
            score = 100.0 if candidate == variant else 0.0
        else:
            score = fuzz.ratio(candidate, variant)
        if score >= LABEL_CUTOFF and (best is None or score > best[1]):
            best = (end, score)
    return best


def _is_colon_label(words: Sequence[Word], end: int) -> bool:
    """Whether the label ending before words[end] is followed by a colon ("Nom : X")."""
    return words[end - 1].text.endswith(":") or (end < len(words) and
                                                   words[end].text.startswith(":"))


def _cell_hits(index: int, cell: Line, labels: Labels) -> list[_Hit]:
    """Labels in one cell: one at its start (fuzzy), and "Label :" further in (exact)."""
    words = cell.words
    hits: list[_Hit] = []
    first = match_label_at(words, labels)
    if first is not None:
        hits.append(_Hit(index, 0, first[1], first[0], first[2]))
    position = hits[0].value_start if hits else 1
    while position < len(words):
        found = match_label_at(words, labels, position, exact=True)
        if found is not None and _is_colon_label(words, _label_end(words, found[1])):
            hits.append(_Hit(index, position, found[1], found[0], found[2]))
            position = found[1]
        else:
            position += 1
    return hits


def _label_end(words: Sequence[Word], value_start: int) -> int:
    """The end of a label's words, before the punctuation `match_label_at` skipped."""
    end = value_start
    while end > 1 and not has_alnum(words[end - 1].text):
        end -= 1
    return end


def _char_width(word: Word) -> float:
    """A word's average character width, in points."""
    return (word.x1 - word.x0) / max(len(word.text), 1)


def label_columns(lines: Sequence[Line], labels: Labels) -> dict[int, list[float]]:
    """Page -> left edges of the columns of labels (cells starting with a label, twice or more)."""
    edges: dict[int, list[float]] = {}
    for line in lines:
        for cell in line_cells(line):
            if match_label_at(cell.words, labels) is not None:
                edges.setdefault(line.page, []).append(cell.x0)
    columns: dict[int, list[float]] = {}
    for page, xs in edges.items():
        groups: list[list[float]] = []
        for x in sorted(xs):
            if groups and x - groups[-1][-1] <= _COLUMN_TOL:
                groups[-1].append(x)
            else:
                groups.append([x])
        columns[page] = [g[0] for g in groups if len(g) >= 2]
    return columns


def read_rows(lines: Sequence[Line], labels: Labels, *,
              heads: Callable[[str], bool] | None = None) -> list[Row]:
    """Every labelled row of the lines, in reading order. `heads` tells a line that heads the
    next block (an officer's role line): it is never a value printed under a label (except a
    « Qualité » label's)."""
    columns = label_columns(lines, labels)
    rows: list[Row] = []
    for index, line in enumerate(lines):
        cells = _join_split_labels(line_cells(line), labels)
        hits = [h for i, cell in enumerate(cells) for h in _cell_hits(i, cell, labels)]
        label_cells = {h.cell for h in hits if h.start == 0}
        for n, hit in enumerate(hits):
            nxt = hits[n + 1] if n + 1 < len(hits) else None
            rows.append(_row(lines, index, cells, hit, nxt, label_cells,
                             columns.get(line.page, []), labels, heads))
    return rows


def _join_split_labels(cells: list[Line], labels: Labels) -> list[Line]:
    """Cells with a label that OCR spaced out over two cells put back together (« N° | SIREN »):
    a short cell that is no label but starts one that ends in the next cell."""
    out: list[Line] = []
    for cell in cells:
        last = out[-1] if out else None
        if last is not None and len(last.words) <= _SPLIT_LABEL_WORDS:
            joined = Line(cell.page, (*last.words, *cell.words))
            hit = match_label_at(joined.words, labels)
            if (hit is not None and hit[1] > len(last.words) and hit[2] >= _SPLIT_LABEL_SCORE
                    and match_label_at(last.words, labels) is None):
                out[-1] = joined
                continue
        out.append(cell)
    return out


def _row(lines: Sequence[Line], index: int, cells: list[Line], hit: _Hit, nxt: _Hit | None,
         label_cells: set[int], columns: list[float], labels: Labels,
         heads: Callable[[str], bool] | None) -> Row:
    """The row of one label hit: its value on the line, then on following lines."""
    cell = cells[hit.cell]
    stop = nxt.start if nxt is not None and nxt.cell == hit.cell else len(cell.words)
    words = list(cell.words[hit.value_start:stop])
    label_x0 = cell.words[hit.start].x0
    if not words and stop == len(cell.words):
        words = _following_cells(cells, hit.cell, label_cells, columns)
        if len("".join(w.text for w in words)) <= 1:
            words = []  # one letter far beside a label is an OCR speck: look under the label
    label = " ".join(w.text for w in cell.words[hit.start:_label_end(cell.words, hit.value_start)])
    if words:
        pieces = [Line(cell.page, tuple(words))]
        pieces += _wrapped(lines, index, label_x0, pieces[0], labels, columns)
    elif nxt is None or nxt.cell != hit.cell:
        # The label ends its cell with nothing beside it: its value is printed under it, in
        # its column (up to the next label of the line: pairs set side by side).
        beside = cells[nxt.cell].x0 - _COLUMN_TOL / 2 if nxt is not None else 1e9
        heads = None if hit.key in _KEEPS_HEADS else heads
        pieces = _below(lines, index, label_x0, labels, (beside, _right_bound(columns, label_x0)),
                        heads)
    else:
        pieces = []
    value = clean_value(" ".join(p.text for p in pieces))
    return Row(hit.key, label, value, index, tuple(p for p in pieces if p.words), hit.score,
               label_x0)


def _right_bound(columns: list[float], x0: float) -> float:
    """Where the next column of labels to the right of x0 begins (infinity if none)."""
    return min((c - _COLUMN_TOL / 2 for c in columns if c > x0 + _COLUMN_TOL), default=1e9)


def _following_cells(cells: list[Line], index: int, label_cells: set[int],
                     columns: list[float]) -> list[Word]:
    """Words of the cells after cell `index`, up to a label, a wide gap or the next column."""
    words: list[Word] = []
    bound = 1e9
    for j in range(index + 1, len(cells)):
        cell = cells[j]
        if j in label_cells:
            break
        if not words and _is_speck_before(cell, cells[j + 1] if j + 1 < len(cells) else None):
            continue  # an OCR speck in the gap before the value (« Adresse du siège 4 142 rue »)
        if words:
            gap = cell.x0 - words[-1].x1
            if gap > _VALUE_GAP_CHARS * _char_width(words[-1]) or cell.x0 >= bound:
                break
        else:
            bound = _right_bound(columns, cell.x0)
        words.extend(cell.words)
    return words


def _is_speck_before(cell: Line, nxt: Line | None) -> bool:
    """Whether a one-character cell before the value cell `nxt` is an OCR speck: any mark but
    a digit starting a number with `nxt` (« 1 | 500 euros »), or a digit far from `nxt`."""
    if nxt is None or len(cell.text) > 1 or not nxt.words:
        return False
    if not (cell.text.isdigit() and nxt.text[:1].isdigit()):
        return True
    return nxt.x0 - cell.words[-1].x1 > 3 * _char_width(nxt.words[0])


def _wrapped(lines: Sequence[Line], index: int, label_x0: float, first: Line,
             labels: Labels, columns: list[float]) -> list[Line]:
    """Following lines that continue a value whose first line is `first` (same page, same
    column; or from the margin after a trailing comma, as prose-like extracts print it)."""
    pieces: list[Line] = []
    value_x0 = first.x0
    bound = _right_bound(columns, value_x0)
    previous, text = lines[index], first.text
    for line in lines[index + 1:]:
        height = max(previous.bottom - previous.top, 1.0)
        if (line.page != previous.page or line.top - previous.top > _WRAP_MAX_HEIGHTS * height
                or line.top < previous.top):  # lines re-read by column go back up
            break
        cells = line_cells(line)
        in_label_column = [c for c in cells
                           if label_x0 - _COLUMN_TOL <= c.x0 < value_x0 - _COLUMN_TOL]
        if in_label_column:
            # « Siège : 12 rue de la Paix, » / « 75002 Paris »: runs on; else the next row.
            if not text.endswith(",") or match_label_at(in_label_column[0].words, labels):
                break
            mine = [c for c in cells if c.x0 < bound]
        else:
            mine = [c for c in cells if value_x0 - _COLUMN_TOL <= c.x0 < bound]
            if not mine:
                continue  # words of another column only, set a little lower by the scan
            if abs(mine[0].x0 - value_x0) > _COLUMN_TOL:
                break
            # Beside its label, a value's next line is told by the empty label column alone
            # (its words may begin like a label: « (Société à | associé unique) »); below it,
            # a label in the same column starts the next row.
            if value_x0 - label_x0 <= _COLUMN_TOL and match_label_at(mine[0].words, labels):
                break
        pieces.append(Line(line.page, tuple(w for c in _up_to_gap(mine) for w in c.words)))
        previous, text = line, pieces[-1].text
    return pieces


def _up_to_gap(cells: list[Line]) -> list[Line]:
    """The cells before the first wide gap: what lies beyond is another value or an OCR speck."""
    kept = cells[:1]
    for cell in cells[1:]:
        if cell.x0 - kept[-1].words[-1].x1 > _VALUE_GAP_CHARS * _char_width(kept[-1].words[-1]):
            break
        kept.append(cell)
    return kept


def _below(lines: Sequence[Line], index: int, label_x0: float, labels: Labels,
           right: tuple[float, float], heads: Callable[[str], bool] | None) -> list[Line]:
    """The value of a label standing alone: the next line's cells that start in the label's
    column, and the lines that continue them closely below (a two-line address); a label, a
    line starting elsewhere or a wider gap ends it. `right`: where the next label of the
    label's line begins (words from there on are the value of that label) and where the next
    column of labels begins (cells from there on are another column's)."""
    beside, column = right
    pieces: list[Line] = []
    previous = lines[index]
    first_step = 0.0  # from the label to its value: a value's lines are about as close
    for line in lines[index + 1:]:
        height = max(previous.bottom - previous.top, 1.0)
        step = line.top - previous.top
        limit = (_BELOW_MAX_HEIGHTS * height if not pieces
                 else max(_BELOW_WRAP_HEIGHTS * height, _BELOW_WRAP_STEPS * first_step))
        if line.page != previous.page or step > limit or step < 0:
            break
        # Words, not cells: a long value may run so close to the next column's that the
        # producer or the OCR leaves no gap between them.
        words = tuple(w for c in line_cells(line) if c.x0 < column
                      for w in c.words if label_x0 - _BELOW_TOL <= w.x0 < beside)
        if not words:
            if pieces:
                continue  # words of the other column only (its value is longer)
            break
        if heads is not None and heads(" ".join(w.text for w in words)):
            break
        if abs(words[0].x0 - label_x0) > _BELOW_TOL or (
                match_label_at(words, labels) is not None
                and not (pieces and _runs_on(" ".join(p.text for p in pieces), words[0].text))):
            break
        if not pieces:
            first_step = step
        pieces.append(Line(line.page, words))
        previous = line
    return pieces


def _runs_on(value: str, text: str) -> bool:
    """Whether `text`, though it begins like a label, goes on with `value`: it starts in lower
    case, or closes a bracket the value left open (« (Société à | associé unique) »)."""
    return text[:1].islower() or value.count("(") > value.count(")")
