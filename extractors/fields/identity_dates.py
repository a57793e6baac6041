"""Birth, issue and expiry dates of an identity document: read, cross-checked, or rejected.

Dates come from their labels in the visual zone and from the machine-readable zone. Each is
checked against the others before it is kept: the expiry must follow the issue by a validity
the kind of document allows (identity_kind), the birth must precede both; a date that does not
fit is dropped with a warning, never kept. Which of two clashing dates goes: the one no check
digit or second source confirms.

The issue date (or, on the old French card, the month of issue its number encodes) is also
the reference day with which the zone is read again, so that its two-digit birth year gets the
right century (identity_zone).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from extractors.fields.identity_kind import shortest_issue
from extractors.fields.identity_merge import Sources, merge_field
from extractors.fields.identity_values import provenance_of, read_date
from extractors.fields.identity_zone import reread_zone
from kanta_docs.facts import Value

if TYPE_CHECKING:
    from extractors.fields.identity_kind import Validities
    from extractors.fields.identity_visual import VisualZone
    from extractors.fields.identity_zone import Zone
    from extractors.mrz import YearMonth

EARLIEST_BIRTH = date(1900, 1, 1)
# The old card's number may encode the month of application rather than of issue (DOMAIN.md
# §8.7): a printed issue date up to this many months later still agrees with it.
ISSUE_MONTH_LAG = 3


@dataclass(frozen=True, slots=True)
class DateFacts:
    """The document's dates as kept, and the zone read with the document's reference day."""

    birth: Value[date] | None
    issue: Value[date] | None  # printed issue date
    issue_month: YearMonth | None  # old French card: from its number
    expiry: Value[date] | None
    zone: Zone | None
    warnings: tuple[str, ...]


def resolve_dates(visual: VisualZone, zone: Zone | None, allowed: Validities) -> DateFacts:
    """Both zones' dates -> the dates to keep, checked against each other and `allowed`."""
    warnings: list[str] = []
    seen = {key: _visual_date(visual, key) for key in ("birth_date", "issue_date", "expiry_date")}
    expiry = _expiry(seen["expiry_date"], zone, warnings)
    issue_month = zone.result.issue_year_month if zone is not None and zone.is_old_card else None
    issue = _issue(seen["issue_date"], issue_month, zone, warnings)
    if issue is not None and expiry is not None and not allowed.allows(issue.value, expiry.value):
        expiry_sure = zone is not None and zone.result.expiry_date is not None and \
            zone.is_trusted("expiry_date")
        issue_sure = issue_month is not None
        warnings.append("issue date and expiry date do not fit the document's validity")
        if expiry_sure:  # a check digit vouches for the expiry
            issue = None
        elif issue_sure:  # the card number's month vouches for the issue
            expiry = None
        else:
            issue = expiry = None
    reference = _reference(issue, issue_month, expiry, allowed)
    if zone is not None and reference is not None:
        zone = reread_zone(zone, reference)
    birth = _birth(seen["birth_date"], zone, reference, warnings)
    birth = _plausible_birth(birth, issue, issue_month, expiry, warnings)
    for key, kept in (("birth_date", birth), ("issue_date", issue), ("expiry_date", expiry)):
        pages = visual.label_pages.get(key)
        if seen[key] is None and kept is None and pages:
            warnings.append(f"page {pages[0]}: {key.replace('_', ' ')} unreadable")
    return DateFacts(birth, issue, issue_month, expiry, zone, tuple(warnings))


def _visual_date(visual: VisualZone, key: str) -> Value[date] | None:
    """The first candidate of a date label that reads as a date; None if none does."""
    for candidate in visual.candidates(key):
        value = read_date(candidate.text)
        if value is not None:
            return Value(value, provenance_of(candidate))
    return None


def _expiry(printed: Value[date] | None, zone: Zone | None,
            warnings: list[str]) -> Value[date] | None:
    sources = (zone.sources("expiry_date", printed, zone.result.expiry_date)
               if zone is not None else Sources(printed, None, zone_trusted=False))
    # The zone's first reading puts every expiry in 20YY; the printed year settles the century.
    merged = merge_field("expiry date", sources, same=_same_but_century, prefer_visual=True)
    warnings.extend(merged.warnings)
    return merged.value


def _issue(printed: Value[date] | None, month: YearMonth | None, zone: Zone | None,
           warnings: list[str]) -> Value[date] | None:
    """The printed issue date, unless the old card's number (checked) says another month."""
    if printed is None or month is None or zone is None or not zone.is_trusted("issue_date"):
        return printed
    lag = (printed.value.year - month.year) * 12 + printed.value.month - month.month
    if 0 <= lag <= ISSUE_MONTH_LAG:
        return printed
    warnings.append("issue date differs between the visual zone and the card number")
    return None


def _reference(issue: Value[date] | None, month: YearMonth | None,
               expiry: Value[date] | None, allowed: Validities) -> date | None:
    """The day the holder is known to be born before: the issue, else its best bound."""
    if issue is not None:
        return issue.value
    if month is not None:
        return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    if expiry is not None:
        return shortest_issue(expiry.value, allowed)
    return None


def _same_but_century(a: date, b: date) -> bool:
    """Same day and month, same year modulo 100: the zone's century was only a guess."""
    return (a.month, a.day, a.year % 100) == (b.month, b.day, b.year % 100)


def _birth(printed: Value[date] | None, zone: Zone | None, reference: date | None,
           warnings: list[str]) -> Value[date] | None:
    encoded = None
    if zone is not None and zone.result.birth_date is not None:
        if reference is not None:
            encoded = zone.result.birth_date
        elif printed is None:
            warnings.append("birth date: century unknown (no issue or expiry date read)")
    sources = (zone.sources("birth_date", printed, encoded)
               if zone is not None else Sources(printed, None, zone_trusted=False))
    # The printed four-digit year wins over the zone's century, unless it is after the
    # reference (a misprint or misread the zone's reading corrects).
    prefer_visual = printed is None or reference is None or printed.value <= reference
    merged = merge_field("birth date", sources, same=_same_but_century,
                         prefer_visual=prefer_visual)
    warnings.extend(merged.warnings)
    return merged.value


def _plausible_birth(birth: Value[date] | None, issue: Value[date] | None,
                     month: YearMonth | None, expiry: Value[date] | None,
                     warnings: list[str]) -> Value[date] | None:
    """The birth date, unless it is before 1900 or after the issue or the expiry."""
    if birth is None:
        return None
    limits = [v.value for v in (issue, expiry) if v is not None]
    if month is not None:
        limits.append(date(month.year, month.month,
                           calendar.monthrange(month.year, month.month)[1]))
    if birth.value < EARLIEST_BIRTH or any(birth.value > limit for limit in limits):
        warnings.append("birth date out of its window (after the issue or expiry): ignored")
        return None
    return birth
