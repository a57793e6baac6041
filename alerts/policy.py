"""The dated rules of the cross-check: thresholds and windows that the law or a firm sets.

Values, not logic: the beneficial-owner threshold and its comparison change on 2027-07-10 when the
EU AML regulation (2024/1624, art. 52) replaces "strictly more than 25 %" (CMF R.561-1) with
"25 % or more" (../shared/DOMAIN.md §1.1). Each rule applies on the day the dossier is judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class OwnershipThreshold:
    """A beneficial-owner threshold in force from a day."""

    effective_from: date
    pct: float
    inclusive: bool  # True: "pct or more"; False: "strictly more than pct"
    source: str

    def is_met(self, pct: float) -> bool:
        """Whether a holding of `pct` percent makes a beneficial owner under this rule."""
        # Percentages computed along chains carry float noise: compare at 1e-6 of a point.
        return pct >= self.pct - 1e-6 if self.inclusive else pct > self.pct + 1e-6

    def describe(self) -> str:
        """The rule in French, as a message quotes it."""
        return f"{'au moins' if self.inclusive else 'plus de'} {self.pct:g} %"


DEFAULT_THRESHOLDS: tuple[OwnershipThreshold, ...] = (
    OwnershipThreshold(date(2018, 4, 21), 25.0, inclusive=False, source="CMF R.561-1"),
    OwnershipThreshold(date(2027, 7, 10), 25.0, inclusive=True,
                       source="Règlement (UE) 2024/1624, art. 52"),
)


@dataclass(frozen=True, slots=True)
class CheckPolicy:
    """Every tunable of the cross-check, with the contract's values as defaults."""

    thresholds: tuple[OwnershipThreshold, ...] = DEFAULT_THRESHOLDS
    share_tolerance_pts: float = 1.0  # be_share_mismatch above this difference
    expiring_within_days: int = 90  # id_document_expiring window
    register_extract_max_months: int = 3  # CMF R.561-5-1 4°: "datant de moins de trois mois"

    def threshold_on(self, day: date) -> OwnershipThreshold:
        """The threshold in force on `day` (the earliest one before any is in force)."""
        in_force = [t for t in self.thresholds if t.effective_from <= day]
        return max(in_force, key=lambda t: t.effective_from) if in_force else self.thresholds[0]


def months_before(day: date, months: int) -> date:
    """`day` moved back by calendar months, clamped to the month's end (31 May - 3 = 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")
