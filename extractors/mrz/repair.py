"""Undo OCR misreads in a zone, letting the check digits decide wherever they can.

Three kinds of change, from safest to least safe:

1. A character that cannot be legal where it sits (a letter in a date, a digit in a name): the
   look-alike readings (charset.py) of all such characters a check covers are tried in every
   combination, and kept only if exactly one combination makes the check hold (the composite
   breaks ties). Where no check covers the field (ICAO names, country codes, document code),
   the most frequent reading is taken, or for a country code the only known code.
2. `K`, `C` or `L` (and `E` in a data field) inside a run of fillers: read as fillers on
   context, all together (trying subsets against a check would let one check in ten pick a
   wrong subset). `K` weighs as `<` in a check (20 and 0, same digit mod 10), so no check can
   confirm it; `C`, `L` and `E` do change a check, which vetoes them where it held before and
   fails after. A name ending in four or more of them (ERIK<<<< read ERIKKKKK) keeps the
   first, with a warning; in a checked field that guess makes the zone not valid.
3. Never: swapping two characters that are both legal where they sit (`O`/`0` in a document
   number). A check holds for about one wrong swap in ten, so a "repair" there would pass
   corrupted data as valid. Where exactly one such swap would satisfy a failing check, a
   warning says where, and nothing is changed.

ICAO 9303 Part 3 for the check digits; the confusions are those of OCR-B under OCR.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from math import prod
from typing import TYPE_CHECKING

from extractors.mrz.assemble import fits_field
from extractors.mrz.charset import (
    DIGIT_TO_LETTERS,
    DIGITS,
    FILLER,
    FILLER_LOOKALIKES,
    LETTER_TO_DIGIT,
)
from extractors.mrz.checks import ZoneCheck, check_holds, resolve_checks
from extractors.mrz.countries import is_known_code
from extractors.mrz.layouts import FieldSpec, Kind, Layout

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

MAX_COMBINATIONS = 4096  # readings tried for one check; past this the field stays as read
_COUNTRY_FIELDS = frozenset({"issuing_country", "nationality"})
_LONG_LOOKALIKE_RUN = 4  # K/C/L this many in a row up to a field's end: a misread filler run
# In a data field (not a name), left-aligned and padded, OCR's E for a run's last `<` too
# (« <<CCCCCCCCCCCCE »): no data starts again after a filler there. In names E is a letter.
_DATA_FILLER_LOOKALIKES = FILLER_LOOKALIKES | {"E"}

Candidate = tuple[int, tuple[str, ...]]  # position of an illegal character, readings to try


@dataclass(frozen=True, slots=True)
class Repaired:
    """A zone after repair, what was changed (for people), and what could not be."""

    zone: str
    repaired: tuple[str, ...]
    warnings: tuple[str, ...]
    # Checked fields holding a guess no check digit can confirm: the zone cannot be valid.
    unconfirmed: tuple[str, ...] = ()


@dataclass
class _State:
    layout: Layout
    chars: list[str]
    repaired: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)

    @property
    def zone(self) -> str:
        return "".join(self.chars)

    def change(self, pos: int, new: str, reason: str) -> None:
        line, col = self.layout.locate(pos)
        name = self.layout.field_at[pos].name
        old = self.chars[pos]
        self.repaired.append(
            f"{name} (line {line + 1}, col {col + 1}): '{old}' read as '{new}', {reason}"
        )
        self.chars[pos] = new


def repair_zone(layout: Layout, zone: str) -> Repaired:
    """Zone (flat, exact length) -> repaired zone with a list of changes and warnings."""
    state = _State(layout, list(zone))
    covered = frozenset().union(*(c.covered for c in resolve_checks(layout, zone)))
    _fix_filler_runs(state, covered)
    _fix_unchecked_fields(state, covered)
    for spec in layout.checks:
        if spec.name != "composite":
            check = _current(layout, state.zone, spec.name)
            _repair_check(state, check, check.covered, _current(layout, state.zone, "composite"))
    simple = [c for c in resolve_checks(layout, state.zone) if c.name != "composite"]
    if all(check_holds(state.zone, c) for c in simple):
        # Only then can the composite judge the characters no other check covers; with a
        # field check failing, a "fix" found elsewhere would merely compensate that error.
        composite = _current(layout, state.zone, "composite")
        others = frozenset().union(*(c.covered for c in simple))
        _repair_check(state, composite, composite.covered - others, None)
    for check in resolve_checks(layout, state.zone):
        if check.name == "composite":
            continue  # its hint would repeat the field check's
        hint = _alnum_hint(layout, state.zone, check)
        if hint is not None:
            state.warnings.append(hint)
    return Repaired(
        state.zone, tuple(state.repaired), tuple(state.warnings), tuple(state.unconfirmed)
    )


def filler_run_positions(layout: Layout, zone: Sequence[str]) -> list[int]:
    """Positions of `K`, `C`, `L` that sit where a run of fillers is, over the whole zone.

    Scans left to right, counting look-alikes already judged fillers as fillers, so that
    `<<<K<K<<` yields both K, and a name's padding that runs on into the next field counts.
    """
    view = list(zone)
    out: list[int] = []
    for spec in layout.fields:  # in zone order
        if not spec.filler_ok:
            continue
        span = layout.positions(spec.name)
        before = layout.field_at[span.start - 1] if span.start % layout.line_length else None
        name_start = layout.positions(before.name).start if before and before.is_name else None
        lookalikes = FILLER_LOOKALIKES if spec.is_name else _DATA_FILLER_LOOKALIKES
        pos = span.start
        while pos < span.stop:
            if view[pos] not in lookalikes:
                pos += 1
                continue
            start = pos
            while pos < span.stop and view[pos] in lookalikes:
                pos += 1
            if _is_filler_segment(view, spec, span, start, pos, name_start):
                out.extend(range(start, pos))
                view[start:pos] = FILLER * (pos - start)
            elif spec.is_name and _is_long_run_at_end(span, start, pos):
                # ERIK<<<< read ERIKKKKK: all fillers, bar the first, which may end the name.
                out.extend(range(start + 1, pos))
                view[start + 1 : pos] = FILLER * (pos - start - 1)
    return out


def _guesses_name_end(layout: Layout, zone: Sequence[str], spec: FieldSpec) -> bool:
    """Whether a name ends in a K/C/L run whose first letter may be the name's (ERIKKKKK)."""
    if not spec.is_name:
        return False
    span = layout.positions(spec.name)
    run = 0
    while run < len(span) and zone[span.stop - 1 - run] in FILLER_LOOKALIKES:
        run += 1
    start = span.stop - run
    return run >= _LONG_LOOKALIKE_RUN and start > span.start and zone[start - 1] != FILLER


def _is_long_run_at_end(span: range, start: int, stop: int) -> bool:
    return stop == span.stop and stop - start >= _LONG_LOOKALIKE_RUN


def _is_filler_segment(
    zone: Sequence[str], spec: FieldSpec, span: range, start: int, stop: int, name_start: int | None
) -> bool:
    if stop < span.stop and zone[stop] != FILLER:
        return False
    if not spec.is_name:
        # Data is left-aligned and padded: after a `<` (this field's, or the padding of a name
        # just before it on the line), a look-alike can only be a misread filler.
        before = _fillers_before(zone, start, name_start if name_start is not None else span.start)
        return before >= 1 or _is_long_run_at_end(span, start, stop)
    before = _fillers_before(zone, start, span.start)
    if before >= 3 or (before >= 1 and stop - start >= 2):
        # `<<<` never occurs inside a name, and no name word is made of K, C and L alone.
        return True
    if before == 2 and spec.name == "name":
        # ICAO names use `<<` once, between surname and given names; a second one is padding.
        return "<<" in "".join(zone[span.start : start - 2])
    return False


def _fillers_before(zone: Sequence[str], pos: int, floor: int) -> int:
    count = 0
    while pos - count - 1 >= floor and zone[pos - count - 1] == FILLER:
        count += 1
    return count


def _current(layout: Layout, zone: str, name: str) -> ZoneCheck:
    return next(c for c in resolve_checks(layout, zone) if c.name == name)


def _fix_filler_runs(state: _State, covered: frozenset[int]) -> None:
    """Read look-alikes in filler runs as fillers, unless that breaks a check that held.

    Context makes them fillers (not a check: K weighs as `<`), so all are changed together and
    a check only vetoes: C or L that turn a holding check into a failing one were data.
    """
    layout = state.layout
    for spec in layout.fields:
        if _guesses_name_end(layout, state.chars, spec):
            state.warnings.append(f"{spec.name}: last letter uncertain (fillers read as K/C/L)")
            if covered & set(layout.positions(spec.name)):
                state.unconfirmed.append(spec.name)  # K weighs as `<`: the check cannot tell
    zone = state.zone
    positions = set(filler_run_positions(layout, zone))
    tentative = "".join(FILLER if p in positions else ch for p, ch in enumerate(zone))
    # A check vouches for the characters it covers only if none of them is illegal there:
    # with a misread digit elsewhere in its span, "holding" is luck (one time in ten).
    held = {
        c.name
        for c in resolve_checks(layout, zone)
        if check_holds(zone, c) and all(fits_field(zone[p], layout.field_at[p]) for p in c.covered)
    }
    for check in resolve_checks(layout, tentative):
        if check.name in held and not check_holds(tentative, check):
            positions -= {p for p in check.covered if zone[p] != "K"}
    for pos in sorted(positions):
        if zone[pos] == "K":
            reason = "K in a filler run (check digits cannot see it)"
        elif pos in covered:
            reason = "look-alike in a filler run"
        else:
            reason = "look-alike in a filler run (field has no check)"
        state.change(pos, FILLER, reason)


def _fix_unchecked_fields(state: _State, covered: frozenset[int]) -> None:
    """Digits in letter-only fields no check covers: country codes, document code, names."""
    for spec in state.layout.fields:
        span = state.layout.positions(spec.name)
        if spec.kind is not Kind.ALPHA or spec.name == "sex" or covered & set(span):
            continue
        if spec.name in _COUNTRY_FIELDS:
            _fix_country(state, span)
            continue
        for pos in span:
            readings = DIGIT_TO_LETTERS.get(state.chars[pos])
            if readings:
                state.change(pos, readings[0], "digit in a letter field (no check: likeliest)")


def _fix_country(state: _State, span: range) -> None:
    code = "".join(state.chars[p] for p in span)
    if is_known_code(code.strip(FILLER)) or not any(ch in DIGITS for ch in code):
        return
    options = [DIGIT_TO_LETTERS.get(ch, (ch,)) for ch in code]
    known = ["".join(c) for c in product(*options) if is_known_code("".join(c).strip(FILLER))]
    if len(known) != 1:
        state.warnings.append(f"{state.layout.field_at[span.start].name}: unreadable code")
        return
    for pos, new in zip(span, known[0], strict=True):
        if state.chars[pos] != new:
            state.change(pos, new, "the only reading that is a known country code")


def _repair_check(
    state: _State, check: ZoneCheck, positions: frozenset[int], tiebreak: ZoneCheck | None
) -> None:
    zone = state.zone
    layout = state.layout
    illegal = [p for p in positions if not fits_field(zone[p], layout.field_at[p])]
    if check_holds(zone, check) and not illegal:
        return
    candidates = _candidates(state, positions)
    if candidates is None:
        state.warnings.append(f"{check.name}: a character no look-alike reading can fix")
        return
    if not candidates:
        return
    solutions = _search(zone, candidates, lambda z: check_holds(z, check))
    if solutions is None:
        state.warnings.append(f"{check.name}: too many unsure characters to try every reading")
        return
    if len(solutions) > 1 and tiebreak is not None:
        solutions = [s for s in solutions if check_holds(s, tiebreak)]
    if len(solutions) > 1:
        state.warnings.append(f"{check.name}: several readings satisfy the check; none applied")
    if len(solutions) != 1:
        return
    for pos, (old, new) in enumerate(zip(zone, solutions[0], strict=True)):
        if old != new:
            state.change(pos, new, f"confirmed by the {check.name} check digit")


def _candidates(state: _State, positions: frozenset[int]) -> list[Candidate] | None:
    """Readings to try for each illegal character; None if one has no look-alike reading."""
    layout, chars = state.layout, state.chars
    out: list[Candidate] = []
    for pos in sorted(positions):
        spec = layout.field_at[pos]
        if fits_field(chars[pos], spec):
            continue  # legal here: never swapped for another legal character
        readings = _readings(chars[pos], spec)
        if not readings:
            return None
        out.append((pos, readings))
    return out


def _readings(ch: str, spec: FieldSpec) -> tuple[str, ...]:
    readings: list[str] = []
    if spec.kind is Kind.NUMERIC and ch in LETTER_TO_DIGIT:
        readings.append(LETTER_TO_DIGIT[ch])
    if spec.kind is Kind.ALPHA and ch in DIGIT_TO_LETTERS:
        readings.extend(DIGIT_TO_LETTERS[ch])
    if spec.blank_code and ch in FILLER_LOOKALIKES:
        readings.append(FILLER)
    return tuple(readings)


def _search(
    zone: str, candidates: Sequence[Candidate], holds: Callable[[str], bool]
) -> list[str] | None:
    """Every combination of readings that makes `holds` true; None if there are too many."""
    if prod(len(readings) for _, readings in candidates) > MAX_COMBINATIONS:
        return None
    found: list[str] = []
    chars = list(zone)
    for combo in product(*(readings for _, readings in candidates)):
        for (pos, _), ch in zip(candidates, combo, strict=True):
            chars[pos] = ch
        text = "".join(chars)
        if holds(text):
            found.append(text)
    return found


def _alnum_hint(layout: Layout, zone: str, check: ZoneCheck) -> str | None:
    """Where a single legal-for-legal swap would make a failing check hold, if only one does."""
    if check_holds(zone, check):
        return None
    found: list[int] = []
    for pos in check.positions:
        if layout.field_at[pos].kind is not Kind.ALNUM:
            continue
        ch = zone[pos]
        swaps = [LETTER_TO_DIGIT[ch]] if ch in LETTER_TO_DIGIT else []
        swaps += DIGIT_TO_LETTERS.get(ch, ())
        if any(check_holds(zone[:pos] + s + zone[pos + 1 :], check) for s in swaps):
            found.append(pos)
    if len(found) != 1:
        return None
    line, col = layout.locate(found[0])
    return (
        f"{check.name} check fails; reading line {line + 1} col {col + 1} as its look-alike "
        "would satisfy it (not applied: a letter and a digit are both legal there)"
    )
