"""Visual-zone value text -> typed values: dates, names, sex, nationality, document number.

Each reader returns None when the text does not read as its kind of value; `first_value`
walks a label's candidates (identity_visual) and keeps the first that reads, with provenance.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from extractors.french.dates import find_dates, month_number
from extractors.french.folding import fold_words
from extractors.french.names import capitalise_name
from extractors.french.nationality import parse_country, parse_nationality
from kanta_docs.facts import Value

if TYPE_CHECKING:
    from collections.abc import Callable

    from extractors.fields.identity_visual import Candidate, VisualZone
    from kanta_docs.models import Provenance

T = TypeVar("T")

# « 10 GIU/JUN 1951 », « 12 MARS/MAA/MAR 1985 »: the issuer's month abbreviations, then English.
_MONTH_GROUP = re.compile(r"[^\W\d_]{3,5}\.?(?:\s*/\s*[^\W\d_]{3,5}\.?){1,3}")
# A group of digits OCR wrote partly as letters (« 10 O1 2027 »), and those letters' digits.
_DIGIT_GROUP = re.compile(r"(?<![^\W\d_])[0-9OolISB]{1,4}(?![^\W\d_])")
_DIGIT_LOOKALIKES = str.maketrans("OolISB", "001158")
# A date whose separators OCR dropped (« 01122016 »): only as the whole value, 19xx/20xx.
_COMPACT_DATE = re.compile(r"\s*(\d{2})(\d{2})((?:19|20)\d{2})\s*")
_USAGE_MARKER = re.compile(r"(?i)(?:^|\s)(?:[ée]pouse|[ée]p\.?|[ée]poux|veuve|vve|veuf)(?:\s+|$)")
_NAME_CHARS = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_DOCUMENT_NUMBER = re.compile(r"[A-Z0-9]{6,14}")
_BRACKET_J = re.compile(r"(?<=[A-Z0-9])\](?=[A-Z0-9]|\s|$)")
_SEX_WORDS = {
    "m": "M", "h": "M", "masculin": "M", "male": "M", "homme": "M",
    "f": "F", "feminin": "F", "female": "F", "femme": "F",
}  # fmt: skip
_DOCUMENT_NUMBER_LENGTH_ALL_LETTERS = 9  # a CNIe or permit number may hold no digit


def first_value(zone: VisualZone, key: str,
                reader: Callable[[str], T | None]) -> Value[T] | None:
    """The first candidate of a field that `reader` reads, with its provenance; None if none."""
    for candidate in zone.candidates(key):
        value = reader(candidate.text)
        if value is not None:
            return Value(value, provenance_of(candidate))
    return None


def provenance_of(candidate: Candidate) -> Provenance:
    """Provenance of a visual-zone value."""
    return candidate.line.provenance(confidence=round(candidate.confidence, 3))


def read_date(text: str) -> date | None:
    """A printed date (« 12.03.2030 », « 12 03 2030 », « 12 MARS / MAR 2030 ») -> date."""
    text = _MONTH_GROUP.sub(_one_month, text)
    found = find_dates(_DIGIT_GROUP.sub(_as_digits, text)) or find_dates(text)
    if found:
        return found[0].value
    compact = _COMPACT_DATE.fullmatch(text)
    if compact is None:
        return None
    day, month, year = (int(g) for g in compact.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _as_digits(match: re.Match[str]) -> str:
    """« O1 » -> « 01 »: OCR's letters for digits, in a group that holds a digit."""
    group = match.group(0)
    return group.translate(_DIGIT_LOOKALIKES) if any(c.isdigit() for c in group) else group


def _one_month(match: re.Match[str]) -> str:
    """« GIU/JUN » -> « JUN »: the one month the abbreviations we know name; else unchanged."""
    words = [w.strip(" .") for w in match.group(0).split("/")]
    known = [(w, n) for w in words if (n := month_number(w)) is not None]
    if known and len({n for _, n in known}) == 1:
        return known[0][0]
    return match.group(0)


def read_sex(text: str) -> str | None:
    """« M », « F », « Masculin »… -> "M" / "F"; None when absent, unspecified or mixed."""
    found = {_SEX_WORDS[w] for w in fold_words(text).split() if w in _SEX_WORDS}
    return found.pop() if len(found) == 1 else None


def read_nationality(text: str) -> str | None:
    """« Française », « FRA », « MALIENNE » -> ISO alpha-3; None when unknown."""
    return parse_nationality(text)


def read_country(text: str) -> str | None:
    """A country code or name -> ISO alpha-3; None when unknown."""
    return parse_country(text)


def read_document_number(text: str) -> str | None:
    """A document number (« 14042A102380 », « 16CA96277 »), spaces dropped; None if none."""
    # A bracket glued to the number is OCR's « J » (« IYH56CUX] »), as in names.
    upper = text.upper() if "[" in text else _BRACKET_J.sub("J", text.upper())
    compact = re.sub(r"[\s.\-]", "", upper)
    if _DOCUMENT_NUMBER.fullmatch(compact) and _is_number_like(compact):
        return compact
    tokens = [t for t in re.split(r"[^A-Z0-9]+", upper) if _DOCUMENT_NUMBER.fullmatch(t)]
    tokens = [t for t in tokens if _is_number_like(t)]
    return max(tokens, key=len) if tokens else None


def _is_number_like(token: str) -> bool:
    return any(c.isdigit() for c in token) or len(token) == _DOCUMENT_NUMBER_LENGTH_ALL_LETTERS


def read_last_name(text: str) -> str | None:
    """The birth name of a « Nom » value (upper case, « ép. X » dropped); None if not a name."""
    birth = _USAGE_MARKER.split(text, maxsplit=1)[0]
    return _clean_name(birth)


def read_usage_in_name(text: str) -> str | None:
    """The usage name a « Nom » value gives after « épouse »/« ép. »/« veuve »; else None."""
    parts = _USAGE_MARKER.split(text, maxsplit=1)
    return _clean_name(parts[1]) if len(parts) == 2 else None


def read_usage_name(text: str) -> str | None:
    """A « Nom d'usage » value (« ép. MARTIN » -> "MARTIN"); None if not a name."""
    parts = _USAGE_MARKER.split(text, maxsplit=1)
    return _clean_name(parts[-1])


def read_first_names(text: str) -> str | None:
    """« HÉLÈNE, CHARLOTTE » -> "Hélène Charlotte" (document order); None if not names."""
    words = _NAME_CHARS.findall(text)
    if not words or any(c.isdigit() for c in text) or sum(len(w) for w in words) < 2:
        return None
    return " ".join(capitalise_name(w) for w in words)


def _clean_name(text: str) -> str | None:
    """A surname as printed -> upper case words; None with digits or fewer than two letters."""
    words = _NAME_CHARS.findall(text)
    if not words or any(c.isdigit() for c in text) or sum(len(w) for w in words) < 2:
        return None
    return " ".join(words).upper()
