"""Machine-readable zones of identity documents: find them in OCR text, repair, parse.

Pure code: text in, values out; no I/O, clock, settings or logging (../shared/STYLE.md §1).

- `find_mrz(text)` / `find_mrz_all(text)`: locate zone lines in a page's OCR text.
- `parse_mrz(lines, today=...)`: read ICAO TD1 (3 x 30), TD2 (2 x 36), TD3 (2 x 44) and the
  French identity card of 1988/1995-2021 (2 x 36, non-ICAO, ../shared/DOMAIN.md §5.2).
- `read_mrz(text, today=...)`: both in one call.

Check digits follow ICAO 9303 Part 3. The repair (repair.py) keeps a change only if a check
digit confirms it, or if no check could judge it and the context makes it near certain (every
change is listed in `MrzResult.repaired`). `valid` is True only when every check digit holds on
the final zone and no checked field holds an illegal character or an unconfirmable guess.
"""

from extractors.mrz.checks import char_value, compute_check_digit
from extractors.mrz.decode import YearMonth
from extractors.mrz.layouts import MrzFormat
from extractors.mrz.locate import MrzCandidate, find_mrz, find_mrz_all, read_mrz
from extractors.mrz.parse import MrzResult, parse_mrz

__all__ = [
    "MrzCandidate",
    "MrzFormat",
    "MrzResult",
    "YearMonth",
    "char_value",
    "compute_check_digit",
    "find_mrz",
    "find_mrz_all",
    "parse_mrz",
    "read_mrz",
]
