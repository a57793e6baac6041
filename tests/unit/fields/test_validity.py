"""The old French identity card's legal end of validity (../shared/DOMAIN.md §5.3)."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.validity import OldCardIssue, old_card_effective_expiry
from extractors.mrz import YearMonth

D = date
# service-public.fr F556: issued year -> printed -> real, for holders born that year - 18 or before.
F556 = [(2006 + k, 2016 + k, 2021 + k, 1988 + k) for k in range(8)]


@pytest.mark.parametrize(("printed", "issue", "birth", "expected", "warning"), [
    # Issued 2 Jan 2004 - 31 Dec 2013 to an adult: printed + 5 years (décret 2013-1188).
    (D(2018, 5, 9), OldCardIssue(D(2008, 5, 10)), D(1970, 3, 12), D(2023, 5, 9), None),
    (D(2014, 1, 1), OldCardIssue(D(2004, 1, 2)), D(1970, 3, 12), D(2019, 1, 1), None),
    (D(2023, 12, 30), OldCardIssue(D(2013, 12, 31)), D(1970, 3, 12), D(2028, 12, 30), None),
    # ... to a minor: unchanged.
    (D(2018, 5, 9), OldCardIssue(D(2008, 5, 10)), D(1995, 3, 12), D(2018, 5, 9), None),
    # 18th birthday on the issue day: adult.
    (D(2018, 5, 9), OldCardIssue(D(2008, 5, 10)), D(1990, 5, 10), D(2023, 5, 9), None),
    # Before 2 Jan 2004: ten years, as printed.
    (D(2013, 12, 31), OldCardIssue(D(2004, 1, 1)), D(1970, 3, 12), D(2013, 12, 31), None),
    (D(1998, 6, 14), OldCardIssue(D(1988, 6, 15)), D(1965, 12, 6), D(1998, 6, 14), None),
    # From 2014: fifteen years printed for adults, capped at 3 August 2031 (EU 2019/1157).
    (D(2034, 3, 14), OldCardIssue(D(2019, 3, 15)), D(1970, 3, 12), D(2031, 8, 3), None),
    (D(2029, 4, 29), OldCardIssue(D(2014, 4, 30)), D(1962, 10, 19), D(2029, 4, 29), None),
    (D(2029, 3, 14), OldCardIssue(D(2019, 3, 15)), D(2005, 3, 12), D(2029, 3, 14), None),
    (D(2027, 6, 1), OldCardIssue(D(2017, 6, 2)), D(2005, 3, 12), D(2027, 6, 1), None),
    # Only the month of issue (the zone's card number).
    (D(2018, 5, 9), OldCardIssue(month=YearMonth(2008, 5)), D(1970, 3, 12), D(2023, 5, 9),
     None),
    # 18th birthday within the month of issue: the earlier date, the card face is needed.
    (D(2018, 5, 9), OldCardIssue(month=YearMonth(2008, 5)), D(1990, 5, 20), D(2018, 5, 9),
     "card face is needed"),
    # Issued in January 2004, day unknown: 1 January is outside the window.
    (D(2014, 1, 14), OldCardIssue(month=YearMonth(2004, 1)), D(1970, 3, 12), D(2014, 1, 14),
     "January 2004"),
    (D(2014, 2, 14), OldCardIssue(month=YearMonth(2004, 2)), D(1970, 3, 12), D(2019, 2, 14),
     None),
    # Birth date unknown: no extension.
    (D(2018, 5, 9), OldCardIssue(D(2008, 5, 10)), None, D(2018, 5, 9), "age at issue unsure"),
    # Face expiry unreadable: computed from the issue (earliest day of the month).
    (None, OldCardIssue(D(2008, 5, 10)), D(1970, 3, 12), D(2023, 5, 9),
     "expiry unreadable"),
    (None, OldCardIssue(month=YearMonth(2008, 5)), D(1970, 3, 12), D(2023, 4, 30),
     "expiry unreadable"),
    (None, OldCardIssue(month=YearMonth(2016, 2)), D(1970, 3, 12), D(2031, 1, 31),
     "expiry unreadable"),
    (None, OldCardIssue(month=YearMonth(2016, 2)), D(2001, 3, 12), D(2026, 1, 31),
     "expiry unreadable"),
    # Issue unknown: a ten-year card's issue is the printed date minus ten years.
    (D(2018, 5, 9), OldCardIssue(), D(1970, 3, 12), D(2023, 5, 9), None),
    (D(2018, 5, 9), OldCardIssue(), D(1995, 3, 12), D(2018, 5, 9), None),
    (None, OldCardIssue(), D(1970, 3, 12), None, "unreadable"),
    *[(D(printed, 6, 14), OldCardIssue(D(issued, 6, 15)), D(born, 1, 1), D(real, 6, 14), None)
      for issued, printed, real, born in F556],
])
def test_old_card_effective_expiry(printed: date | None, issue: OldCardIssue,
                                   birth: date | None, expected: date | None,
                                   warning: str | None) -> None:
    result = old_card_effective_expiry(printed, issue, birth)
    assert result.day == expected
    if warning is None:
        assert result.warnings == ()
    else:
        assert any(warning in w for w in result.warnings), result.warnings
