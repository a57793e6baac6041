"""ICAO 9303 check digits, and the checks a given zone carries.

ICAO Doc 9303 Part 3 (DOMAIN.md §5.1): weights 7, 3, 1 repeating from the left; a digit
counts its value, A-Z count 10-35, the filler `<` counts 0; the check digit is the sum mod 10.

Two blind spots matter to the repair: characters whose values differ by a multiple of 10 give
the same check digit, so `<`, `0`, `A`, `K`, `U` are interchangeable to a check, as are `1`/`L`
and `6`/`G`. A check therefore cannot arbitrate those confusions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.mrz.charset import DIGITS, FILLER, LETTERS, MRZ_ALPHABET

if TYPE_CHECKING:
    from extractors.mrz.layouts import CheckSpec, Layout, MrzFormat

WEIGHTS = (7, 3, 1)


def char_value(ch: str) -> int:
    """ICAO value of one zone character; ValueError outside A-Z, 0-9 and `<`."""
    if ch in DIGITS:
        return ord(ch) - ord("0")
    if ch in LETTERS:
        return ord(ch) - ord("A") + 10
    if ch == FILLER:
        return 0
    raise ValueError(f"not a zone character: {ch!r}")


def compute_check_digit(data: str) -> int:
    """ICAO 9303 check digit (0-9) of `data`; ValueError if it holds a non-zone character."""
    return sum(char_value(ch) * WEIGHTS[i % 3] for i, ch in enumerate(data)) % 10


@dataclass(frozen=True, slots=True)
class ZoneCheck:
    """A check resolved on one zone: the flat positions summed, in order, and the digit's."""

    name: str
    positions: tuple[int, ...]
    digit: int
    filler_digit_ok: bool = False

    @property
    def covered(self) -> frozenset[int]:
        """Every position whose change can change this check's outcome, digit included."""
        return frozenset((*self.positions, self.digit))


def resolve_checks(layout: Layout, zone: str) -> tuple[ZoneCheck, ...]:
    """The checks of `layout` as they apply to `zone` (long document numbers move a digit)."""
    base = _BASE_CHECKS.get(layout.format)
    if base is None:
        base = _BASE_CHECKS[layout.format] = tuple(_base(layout, spec) for spec in layout.checks)
    return tuple(
        check if spec.overflow_field is None else _resolve(layout, spec, check, zone)
        for spec, check in zip(layout.checks, base, strict=True)
    )


def check_holds(zone: str, check: ZoneCheck) -> bool:
    """Whether a check digit holds on `zone` (a non-zone character makes it fail)."""
    data = "".join(zone[p] for p in check.positions)
    digit = zone[check.digit]
    if any(ch not in MRZ_ALPHABET for ch in data):
        return False
    if digit == FILLER:
        return check.filler_digit_ok and set(data) <= {FILLER}
    return digit in DIGITS and compute_check_digit(data) == int(digit)


def evaluate_checks(layout: Layout, zone: str) -> dict[str, bool]:
    """Check name -> whether it holds, in layout order."""
    return {c.name: check_holds(zone, c) for c in resolve_checks(layout, zone)}


# Positions per layout never change; only a long document number moves a check digit. Memoised
# because format scoring resolves checks thousands of times per page.
_BASE_CHECKS: dict[MrzFormat, tuple[ZoneCheck, ...]] = {}


def _base(layout: Layout, spec: CheckSpec) -> ZoneCheck:
    positions = tuple(
        p
        for line, start, stop in spec.spans
        for p in range(layout.offset(line, start), layout.offset(line, stop))
    )
    return ZoneCheck(spec.name, positions, layout.offset(*spec.digit), spec.filler_digit_ok)


def _resolve(layout: Layout, spec: CheckSpec, base: ZoneCheck, zone: str) -> ZoneCheck:
    if spec.overflow_field is None or zone[base.digit] != FILLER:
        return base
    overflow = layout.positions(spec.overflow_field)
    end = next((p for p in overflow if zone[p] == FILLER), overflow.stop)
    if end == overflow.start:
        return base
    # ICAO 9303 Part 5, document number over 9 characters: it continues in the optional data,
    # followed by its check digit; the `<` in the usual digit position is not summed.
    return ZoneCheck(spec.name, base.positions + tuple(range(overflow.start, end - 1)), end - 1)
