"""The legal end of validity of the French identity card of 1988/1995-2021 (the "old card").

../shared/DOMAIN.md §5.3. The printed « Carte valable jusqu'au » date is not always the legal
one: cards issued to adults from 2 January 2004 to 31 December 2013 are valid five years more
than printed, and every card of that format stops being valid on 3 August 2031 at the latest.
The old card's machine-readable zone holds only the year and month of issue, so some cases
cannot be decided from it: those take the earlier date and say that the card face is needed.

Pure functions: no clock; an undecidable case is a warning, never a guess in the holder's favour.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractors.mrz import YearMonth

# Décret n° 2013-1188 du 18 décembre 2013, art. 2 (amending décret n° 55-1397, art. 2): cards
# issued to adults are valid 15 years; art. 3: cards « en cours de validité au 1er janvier
# 2014 » issued to adults get the 15 years « nonobstant la date inscrite sur le titre ». The
# ten-year cards still valid on 1 January 2014 are those issued from 2 January 2004.
# https://lexbase.fr/index/source-document/9227110-decret-2013118-01022013 ;
# service-public.fr F556 (table: issued 2006 -> printed 2016 -> valid until 2021, …).
EXTENSION_FIRST_ISSUE = date(2004, 1, 2)
EXTENSION_LAST_ISSUE = date(2013, 12, 31)
EXTENSION_YEARS = 5
FIFTEEN_YEAR_CARDS_FROM = date(2014, 1, 1)  # décret 2013-1188, art. 2: 15 years printed
ADULT_AGE_YEARS = 18  # « Vous étiez majeur au moment de sa délivrance » (F556)
TEN_YEARS = 10  # décret 55-1397 art. 2 before 2014, and for minors since
FIFTEEN_YEARS = 15
# Regulation (EU) 2019/1157, art. 5: identity cards not meeting its requirements « cessent
# d'être valides à leur expiration ou au plus tard le 3 août 2031 ».
OLD_CARD_LAST_DAY = date(2031, 8, 3)


@dataclass(frozen=True, slots=True)
class OldCardIssue:
    """What is known of an old card's issue: the printed day, or only the month of its number."""

    day: date | None = None
    month: YearMonth | None = None

    def bounds(self) -> tuple[date, date] | None:
        """The earliest and latest possible issue day; None when nothing is known."""
        if self.day is not None:
            return self.day, self.day
        if self.month is not None:
            last = calendar.monthrange(self.month.year, self.month.month)[1]
            return (date(self.month.year, self.month.month, 1),
                    date(self.month.year, self.month.month, last))
        return None


@dataclass(frozen=True, slots=True)
class EffectiveExpiry:
    """The legal end of validity (None when it cannot be known) and what a person should check."""

    day: date | None
    warnings: tuple[str, ...] = ()


def add_years(day: date, years: int) -> date:
    """`day` plus whole years; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def old_card_effective_expiry(printed: date | None, issue: OldCardIssue,
                              birth: date | None) -> EffectiveExpiry:
    """An old card's printed expiry, issue and holder's birth -> its legal end of validity."""
    bounds = issue.bounds()
    if bounds is None and printed is not None:
        # Only ten-year cards can be extended, so read the issue as printed minus ten years:
        # right for every card the extension concerns, and harmless for the others (issued
        # 2014 or later either way, so not extended).
        issued = add_years(printed + timedelta(days=1), -TEN_YEARS)
        bounds = (issued, issued)
    if bounds is None:
        return EffectiveExpiry(None, ("old identity card: expiry and issue date unreadable",))
    earliest, latest = bounds
    warnings: list[str] = []
    window = _in_extension_window(earliest, latest)
    needs_age = window is not False or (printed is None and latest >= FIFTEEN_YEAR_CARDS_FROM)
    adult = _is_adult(birth, earliest, latest) if needs_age else False
    if adult is None:
        warnings.append("old identity card: holder's age at issue unsure (18th birthday in "
                        "the month of issue, or birth date unknown), the card face is needed")
    if window is None and adult is not False:
        warnings.append("old identity card issued in January 2004, day unknown: the card "
                        "face is needed")
    if printed is None:
        # As the card would print it, from the earliest possible issue day (the earlier date).
        years = FIFTEEN_YEARS if earliest >= FIFTEEN_YEAR_CARDS_FROM and adult else TEN_YEARS
        printed = add_years(earliest, years) - timedelta(days=1)
        warnings.append("old identity card: expiry unreadable on the card face, "
                        "validity computed from the issue date")
    # Unsure cases (None) take the earlier date: no extension.
    extended = window is True and adult is True
    effective = add_years(printed, EXTENSION_YEARS) if extended else printed
    return EffectiveExpiry(min(effective, OLD_CARD_LAST_DAY), tuple(warnings))


def _in_extension_window(earliest: date, latest: date) -> bool | None:
    """Whether the issue falls in the extension's window; None when the day would decide."""
    if earliest >= EXTENSION_FIRST_ISSUE and latest <= EXTENSION_LAST_ISSUE:
        return True
    if latest < EXTENSION_FIRST_ISSUE or earliest > EXTENSION_LAST_ISSUE:
        return False
    return None  # January 2004 known by its month only (1 January is a holiday, 2 is not)


def _is_adult(birth: date | None, earliest: date, latest: date) -> bool | None:
    """Whether the holder was 18 on the issue day; None when it cannot be told."""
    if birth is None:
        return None
    majority = add_years(birth, ADULT_AGE_YEARS)
    if majority <= earliest:
        return True
    if majority > latest:
        return False
    return None  # 18th birthday within the possible issue days
