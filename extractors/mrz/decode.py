"""Zone field text -> values: names, dates, sex, country codes.

Pure functions over already-repaired text; every one returns None (plus a warning where a
person should look) instead of guessing when the text does not read as a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from extractors.mrz.charset import DIGIT_TO_LETTERS, DIGITS, FILLER

# No identity document is issued for more than 15 years (old French card with its automatic
# extension, DOMAIN.md §5.3; none of those has an expiry in its zone anyway); 20 leaves margin.
# A two-digit expiry year is put in the latest century that keeps it within this horizon.
EXPIRY_HORIZON_YEARS = 20
_FRENCH_NAME_ROOM = 3  # fillers a French card's given-names field needs for one more name


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    """A month of a year (the old French card's issue month); orders chronologically."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Names:
    """Surname and given names as read, words separated by single spaces."""

    last_name: str | None
    first_names: str | None
    truncated: bool


def words(text: str) -> str | None:
    """Filler-separated words -> space-separated words; None when only fillers."""
    out = " ".join(w for w in text.split(FILLER) if w)
    return out or None


def name_words(text: str) -> str | None:
    """A name field's words, a digit read in them as its likeliest letter (« BEN0IT »): names
    hold letters only, and a check digit that could settle it may be unreadable."""
    return words("".join(DIGIT_TO_LETTERS[ch][0] if ch in DIGIT_TO_LETTERS else ch
                         for ch in text))


def icao_names(field: str) -> Names:
    """ICAO name field: `SURNAME<<GIVEN<NAMES<<<` (ICAO 9303 Part 3).

    Without `<<` the whole field is the surname (a single name, or a cut before the given
    names). A field whose last position is not a filler was truncated by the issuer.
    """
    primary, sep, secondary = field.partition(FILLER * 2)
    return Names(name_words(primary), name_words(secondary) if sep else None,
                 not field.endswith(FILLER))


def french_names(surname: str, given: str) -> Names:
    """French 1995 card: surname on line 1; given names on line 2, separated by `<<`.

    The given-names field may have dropped a whole name, not only cut one: one that does not
    fit after `<<` is left out, so fewer than three fillers at its end (no room for `<<` and a
    letter) may hide one (« BENOIT<<LOIC<< » for Benoît Loïc Joseph).
    """
    truncated = (not surname.endswith(FILLER)
                 or len(given) - len(given.rstrip(FILLER)) < _FRENCH_NAME_ROOM)
    return Names(name_words(surname), name_words(given), truncated)


def birth_date(yymmdd: str, today: date) -> date | None:
    """YYMMDD -> the latest date with those digits not after `today`; None if not a date."""
    parsed = _parts(yymmdd)
    if parsed is None:
        return None
    yy, month, day = parsed
    for century in (today.year // 100 * 100, today.year // 100 * 100 - 100):
        candidate = _date(century + yy, month, day)
        if candidate is not None and candidate <= today:
            return candidate
    return None


def expiry_date(yymmdd: str, today: date) -> date | None:
    """YYMMDD -> the latest date within EXPIRY_HORIZON_YEARS after `today`; None if not a date.

    DOMAIN.md §5.1: expiry dates are 20YY; this is the same until 20 years before the end of
    the century, and reads an expiry of `991231` as 1999, not 2099.
    """
    parsed = _parts(yymmdd)
    if parsed is None:
        return None
    yy, month, day = parsed
    horizon = today.year + EXPIRY_HORIZON_YEARS
    for century in (horizon // 100 * 100, horizon // 100 * 100 - 100):
        candidate = _date(century + yy, month, day)
        if candidate is not None and candidate.year <= horizon:
            return candidate
    return None


def issue_year_month(yymm: str, today: date) -> YearMonth | None:
    """Old French card number's first 4 characters -> issue month, not after `today`."""
    if len(yymm) != 4 or not set(yymm) <= DIGITS:
        return None
    yy, month = int(yymm[:2]), int(yymm[2:])
    if not 1 <= month <= 12:
        return None
    year = today.year // 100 * 100 + yy
    if (year, month) > (today.year, today.month):
        year -= 100
    return YearMonth(year, month)


def sex(ch: str) -> str | None:
    """`M` or `F`; None for `<` and `X` (unspecified, ICAO 9303 Part 3) or anything else."""
    return ch if ch in ("M", "F") else None


def is_unreadable_sex(ch: str) -> bool:
    """Whether the sex position holds something other than M, F, X or `<`."""
    return ch not in ("M", "F", "X", FILLER)


_YYMMDD = re.compile(r"[0-9]{6}")


def _parts(yymmdd: str) -> tuple[int, int, int] | None:
    if not _YYMMDD.fullmatch(yymmdd):
        return None  # letters left after repair, or `<` for an unknown day or month
    return int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
