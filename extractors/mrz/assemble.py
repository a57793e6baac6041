"""Turn cleaned text lines into zone lines: pick the layout, join a zone line OCR split in two,
cut lines OCR glued together, and pad or trim lines a few characters off.

Every choice is scored the same way: how many positions hold a character legal for their field,
and how many check digits hold. Padding and trimming touch filler runs and the line ends only,
where OCR loses or adds characters (a dropped `<` in a long run, a border mark read as `I`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate, combinations_with_replacement, product
from typing import TYPE_CHECKING

from extractors.mrz.charset import DIGIT_TO_LETTERS, DIGITS, FILLER, LETTER_TO_DIGIT, LETTERS
from extractors.mrz.checks import check_holds, evaluate_checks, resolve_checks
from extractors.mrz.layouts import LAYOUTS, FieldSpec, Kind, Layout, MrzFormat

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

MAX_LINE_SLACK = 3  # characters a line may be short or long by and still be fitted
# A line short by more (OCR reads long `<` runs several characters short) is still fitted when
# every missing character can go into its longest filler run, at columns that allow fillers;
# the check digits then judge the result like any other fit.
MAX_FILLER_SLACK = 8
_MIN_LONG_RUN = 3  # fillers a run must show to be taken for a long run read short
_MAX_FILLER_RUNS = 4  # longest filler runs tried as the place of a lost or extra `<`
_KEEP_PER_LINE = 3  # best fits of each line tried together (for checks spanning lines)
_STRUCTURE_WEIGHT = 20.0  # a zone with every position legal scores this much
_PASSED_WEIGHT = 3.0
_FAILED_WEIGHT = 1.0
_EDIT_WEIGHT = 0.25  # per character added or removed: prefer the least surgery
_LOCAL_CHECK_WEIGHT = 10  # in a single line's fit: a holding check beats any structure gain
# Share of positions legal for their field below which lines are not read as a zone. A genuine
# zone with a dozen misread characters stays above it; prose forced into a layout falls below.
MIN_PLAUSIBLE_STRUCTURE = 0.8
_SURE_STRUCTURE = 0.9  # with no check digit holding, this much structure is still a zone
# Share of non-filler characters: over half on the specimens; a zone with the shortest names,
# a 5-character number, no optional data and Germany's `D<<` still has about 0.3.
MIN_CONTENT_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Assembly:
    """Zone lines of exact length for one layout, with what was done to get them."""

    layout: Layout
    lines: tuple[str, ...]
    adjustments: tuple[str, ...]
    checks_passed: int  # once letters in digit fields (and digits in letter fields) are read
    checks_total: int  # as their likeliest look-alike, as the repair would
    structure: float  # share of positions holding a character legal for their field
    score: float

    @property
    def zone(self) -> str:
        """The lines as one flat string."""
        return "".join(self.lines)


@dataclass(frozen=True, slots=True)
class _Fit:
    text: str
    note: str | None
    edits: int
    score: int


def assemble_zone(pieces: Sequence[str], layouts: Sequence[Layout] = LAYOUTS) -> Assembly | None:
    """Best reading of consecutive cleaned text lines as one zone; None when no layout fits."""
    pieces = [p for p in pieces if p]
    # Text-line breaks are strong evidence: cut glued lines only if no layout fits the breaks.
    # Lines far too short (a long filler run read short) only count when nothing else fits.
    aligned = [layout for layout in layouts if _fits_breaks(pieces, layout, loose=False)] or [
        layout for layout in layouts if _fits_breaks(pieces, layout, loose=True)
    ]
    best: Assembly | None = None
    for layout in aligned or layouts:
        for assembly in _assemblies(pieces, layout, glued=not aligned):
            if best is None or assembly.score > best.score:
                best = assembly
    return best


def is_plausible(assembly: Assembly) -> bool:
    """Whether an assembly reads like a real zone rather than text forced into a layout."""
    if assembly.structure < MIN_PLAUSIBLE_STRUCTURE:
        return False
    if sum(ch != FILLER for ch in assembly.zone) < assembly.layout.size * MIN_CONTENT_SHARE:
        return False  # fillers alone fit most positions: a ruled line is not a zone
    return assembly.checks_passed >= 1 or assembly.structure >= _SURE_STRUCTURE


def fits_field(ch: str, spec: FieldSpec) -> bool:
    """Whether a character is legal in a field (`<` only where the field allows it)."""
    if ch == FILLER:
        return spec.filler_ok
    if spec.kind is Kind.NUMERIC:
        return ch in DIGITS
    if spec.kind is Kind.ALPHA:
        return ch in LETTERS
    return ch in DIGITS or ch in LETTERS


def looks_french(line: str) -> bool:
    """Whether line 1 starts like the French card's `IDFRA` (one OCR slip allowed)."""
    return sum(a == b for a, b in zip(line[:5], "IDFRA", strict=False)) >= 4


def _assemblies(pieces: Sequence[str], layout: Layout, *, glued: bool) -> Iterator[Assembly]:
    fitted: dict[tuple[str, int], list[_Fit]] = {}
    for lines, notes in _groupings(pieces, layout, glued=glued):
        fits = []
        for i, line in enumerate(lines):
            if (line, i) not in fitted:
                fitted[line, i] = _fit_line(line, layout, i)[:_KEEP_PER_LINE]
            fits.append(fitted[line, i])
        for combo in product(*fits):
            if layout.format is MrzFormat.FR_CNI_1995 and not looks_french(combo[0].text):
                continue
            line_notes = tuple(f.note for f in combo if f.note is not None)
            yield _score(layout, tuple(f.text for f in combo), notes + line_notes, combo)


def _score(
    layout: Layout, lines: tuple[str, ...], notes: tuple[str, ...], fits: Sequence[_Fit]
) -> Assembly:
    zone = "".join(lines)
    # Checks are counted after the look-alike readings the repair will certainly try, so that
    # a zone with a few misread digits still beats a wrong layout that passes a check by luck.
    results = evaluate_checks(layout, _with_likely_readings(layout, zone))
    passed = sum(results.values())
    legal = sum(fits_field(ch, spec) for ch, spec in zip(zone, layout.field_at, strict=True))
    structure = legal / layout.size
    prefix = next((p for p in layout.prefixes if zone.startswith(p)), "")
    score = (
        _STRUCTURE_WEIGHT * structure
        + _PASSED_WEIGHT * passed
        - _FAILED_WEIGHT * (len(results) - passed)
        + 0.5 * len(prefix)
        - _EDIT_WEIGHT * sum(f.edits for f in fits)
    )
    return Assembly(layout, lines, notes, passed, len(results), structure, score)


def _fits_breaks(pieces: Sequence[str], layout: Layout, *, loose: bool) -> bool:
    return next(_groupings(pieces, layout, glued=False, loose=loose), None) is not None


def _with_likely_readings(layout: Layout, zone: str) -> str:
    out = []
    for ch, spec in zip(zone, layout.field_at, strict=True):
        if spec.kind is Kind.NUMERIC and ch in LETTER_TO_DIGIT:
            ch = LETTER_TO_DIGIT[ch]
        elif spec.kind is Kind.ALPHA and ch in DIGIT_TO_LETTERS:
            ch = DIGIT_TO_LETTERS[ch][0]
        out.append(ch)
    return "".join(out)


def _groupings(
    pieces: Sequence[str], layout: Layout, *, glued: bool, loose: bool = True
) -> Iterator[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Ways to cut the pieces' text into the layout's lines: at piece boundaries when those
    give lines of about the right length, else (if `glued`) near multiples of the length."""
    text = "".join(pieces)
    n, length = layout.line_count, layout.line_length
    short_ok = MAX_FILLER_SLACK if loose and FILLER * _MIN_LONG_RUN in text else MAX_LINE_SLACK
    if not -n * MAX_LINE_SLACK <= n * length - len(text) <= n * short_ok:
        return
    bounds = sorted(set(accumulate(len(p) for p in pieces)))
    for cuts in _cut_points(text, bounds, 0, n, length, glued=glued, loose=loose):
        edges = (0, *cuts, len(text))
        lines = tuple(text[a:b] for a, b in zip(edges, edges[1:], strict=False))
        notes: list[str] = []
        for i, (a, b) in enumerate(zip(edges, edges[1:], strict=False)):
            inner = sum(1 for x in bounds if a < x < b)
            if inner:
                notes.append(f"line {i + 1}: joined from {inner + 1} text lines")
        restored = [c for c in cuts if c not in bounds]
        if restored:
            notes.append(f"{len(restored)} zone line break(s) restored in glued text")
        yield lines, tuple(notes)


def _cut_points(
    text: str,
    bounds: Sequence[int],
    start: int,
    lines_left: int,
    length: int,
    *,
    glued: bool,
    loose: bool,
) -> Iterator[tuple[int, ...]]:
    total = len(text)
    if lines_left == 1:
        if _may_fit(text[start:], length, loose=loose):
            yield ()
        return
    near = [b for b in bounds if start < b < total and _may_fit(text[start:b], length, loose=loose)]
    if not near and glued:  # no text-line break where one is due: the lines were glued
        near = [start + length + d for d in (0, -1, 1, -2, 2, -3, 3) if start + length + d < total]
    for cut in near:
        for rest in _cut_points(
            text, bounds, cut, lines_left - 1, length, glued=glued, loose=loose
        ):
            yield (cut, *rest)


def _may_fit(line: str, length: int, *, loose: bool) -> bool:
    """Whether a line's length allows fitting it: a few characters off, or short by more
    with a long filler run to take them (whether the columns allow it is seen when fitting)."""
    gap = length - len(line)
    if abs(gap) <= MAX_LINE_SLACK:
        return True
    return loose and gap <= MAX_FILLER_SLACK and _longest_run(line) >= _MIN_LONG_RUN


def _fit_line(line: str, layout: Layout, index: int) -> list[_Fit]:
    """Candidate fixes of one line to the layout's length, best first."""
    fits = [
        _Fit(text, note, abs(len(line) - layout.line_length), _line_score(text, layout, index))
        for text, note in _length_variants(line, layout, index)
    ]
    return sorted(fits, key=lambda f: -f.score)  # stable: generation order breaks ties


def _line_score(line: str, layout: Layout, index: int) -> int:
    """Legal characters in this line, plus the checks lying wholly inside it that hold."""
    length = layout.line_length
    zone = FILLER * (index * length) + line + FILLER * ((layout.line_count - index - 1) * length)
    span = range(index * length, (index + 1) * length)
    score = sum(fits_field(zone[p], layout.field_at[p]) for p in span)
    if index == 0 and any(line.startswith(p) for p in layout.prefixes):
        score += 5
    likely = _with_likely_readings(layout, zone)
    for check in resolve_checks(layout, likely):
        if check.covered <= set(span) and check_holds(likely, check):
            score += _LOCAL_CHECK_WEIGHT
    return score


def _length_variants(line: str, layout: Layout, index: int) -> list[tuple[str, str | None]]:
    length = layout.line_length
    gap = length - len(line)
    if gap == 0:
        return [(line, None)]
    if abs(gap) > MAX_LINE_SLACK:
        return _run_widened(line, layout, index)
    runs = sorted(_filler_runs(line), key=lambda r: r[0] - r[1])[:_MAX_FILLER_RUNS]
    out = _padded(line, gap, runs) if gap > 0 else _trimmed(line, -gap, runs)
    word = "added" if gap > 0 else "removed"
    note = f"line {index + 1}: {abs(gap)} character(s) {word} to fit {length} columns"
    return [(text, note) for text in dict.fromkeys(out)]


def _run_widened(line: str, layout: Layout, index: int) -> list[tuple[str, str | None]]:
    """A line short by more than `MAX_LINE_SLACK`: its longest filler run widened to take every
    missing character, possibly after dropping a stray mark at either end. Kept only when the
    widened run lies wholly in columns whose fields allow `<`: the rest of the line, digits and
    check digits included, stays as read, for the checks to judge."""
    length = layout.line_length
    out: list[tuple[str, str | None]] = []
    for head, tail in ((0, 0), (1, 0), (0, 1)):
        text = line[head : len(line) - tail]
        missing = length - len(text)
        if not MAX_LINE_SLACK < missing <= MAX_FILLER_SLACK:
            continue
        runs = _filler_runs(text)
        if not runs:
            continue
        start, stop = max(runs, key=lambda r: r[1] - r[0])  # first of the longest on a tie
        if stop - start < _MIN_LONG_RUN:
            continue
        base = layout.offset(index, 0)
        if not all(layout.field_at[base + p].filler_ok for p in range(start, stop + missing)):
            continue
        note = f"line {index + 1}: {missing} filler(s) added to a run read short"
        if head or tail:
            note += f", a stray character dropped at its {'start' if head else 'end'}"
        out.append((text[:stop] + FILLER * missing + text[stop:], note))
    return out


def _longest_run(line: str) -> int:
    return max((stop - start for start, stop in _filler_runs(line)), default=0)


def _padded(line: str, missing: int, runs: Sequence[tuple[int, int]]) -> list[str]:
    # A lost character is most often a `<` in a run; a line cut short loses its end.
    points = [len(line), *(stop for _, stop in runs), 0]
    out = []
    for combo in combinations_with_replacement(points, missing):
        text = line
        for point in sorted(combo, reverse=True):
            text = text[:point] + FILLER + text[point:]
        out.append(text)
    return out


def _trimmed(line: str, extra: int, runs: Sequence[tuple[int, int]]) -> list[str]:
    # An extra character is a stray mark at either end, or a `<` too many in a run.
    ops: list[tuple[str, int]] = [("end", 0), ("start", 0)] + [("run", i) for i in range(len(runs))]
    out = []
    for combo in combinations_with_replacement(ops, extra):
        drop = _dropped_positions(len(line), combo, runs)
        if drop is not None and len(drop) == extra:
            out.append("".join(ch for p, ch in enumerate(line) if p not in drop))
    return out


def _dropped_positions(
    size: int, combo: Sequence[tuple[str, int]], runs: Sequence[tuple[int, int]]
) -> set[int] | None:
    drop: set[int] = set()
    for op in set(combo):
        count = combo.count(op)
        kind, i = op
        if kind == "end":
            drop.update(range(size - count, size))
        elif kind == "start":
            drop.update(range(count))
        else:
            start, stop = runs[i]
            if count > stop - start:
                return None
            drop.update(range(stop - count, stop))
    return drop


def _filler_runs(line: str) -> list[tuple[int, int]]:
    runs = []
    start = None
    for p, ch in enumerate(line + "#"):
        if ch == FILLER and start is None:
            start = p
        elif ch != FILLER and start is not None:
            runs.append((start, p))
            start = None
    return runs
