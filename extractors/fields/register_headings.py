"""Section headings of register extracts, numbered or not: « GESTION, DIRECTION … »,
« 2 – Gestion et direction », « 2. GESTION », « II - Renseignements relatifs à la direction »,
« Rubrique 3 : Gestion, direction, administration, contrôle, associés ou membres ».
"""

from __future__ import annotations

import re

from extractors.french.folding import fold_words

# The number before a heading's title, then a separator: « 2 – », « 1. », « 3 », « II - »,
# « Rubrique 3 : ». A roman numeral needs its separator so that « Vie … » is not cut; OCR
# reads its I as l or 1 (« Il - GESTION »).
_NUMBERING = re.compile(
    r"^\s*(?:(?:(?:rubrique|section|partie|titre)\s+)?\d{1,2}(?:\s*[.)\-\u2013\u2014:/])?"
    r"|(?:(?:rubrique|section|partie|titre)\s+)?[IVXl1]{1,4}\s*[.)\-\u2013\u2014:/]"
    r"|(?:rubrique|section|partie|titre)\s+[IVXl1]{1,4})\s*(?=[^\W\d_])",
    re.IGNORECASE,
)


def heading_title(text: str) -> str:
    """A heading's text without its numbering (« 2 – Gestion » -> « Gestion »)."""
    m = _NUMBERING.match(text)
    return text if m is None else text[m.end():]


def is_section_heading(text: str, pattern: re.Pattern[str], max_words: int) -> bool:
    """Whether `text` is a short heading (no digit, no value after a colon) whose title,
    numbering aside, matches `pattern` (on folded words)."""
    title = heading_title(text)
    words = fold_words(title)
    return (bool(pattern.match(words)) and len(words.split()) <= max_words
            and not any(c.isdigit() for c in title) and ":" not in title.rstrip(" :"))
