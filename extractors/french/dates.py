"""French dates in text, with their character spans.

Recognised: numeric day-month-year ("12/03/1970", "12-03-1970", "12.03.1970", "12 03 1970"),
ISO ("1970-03-12"), month names full, abbreviated or OCR-damaged ("12 mars 1970", "1er mars
2021", "1 er mars 2021", "12 janv. 1970", "12 fevrier 1970"), the bilingual passport form
("12 MARS / MAR 2030"), an optional weekday ("mardi 12 mars 1970"), and notarial dates in words
("le quinze juin deux mille vingt-deux", "l'an deux mille vingt-deux, le quinze juin").

A year in words that runs into a fragment of a word ("mille neuf cent quatre-vi ngt-sept", a
line cut inside "vingt") is refused rather than read short (1904): the fragment says the
number goes on, so a caller gets no date, not a wrong one.

Two-digit years ("12/03/70") are read only when the caller gives a pivot, because only the caller
knows whether it expects a birth date or an expiry date. A date glued to other digits
("120319701", a date-like run inside a phone number or SIRET) is not a date. Impossible
dates (31/02) are dropped, never corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import Levenshtein

from extractors.french.folding import fold_text
from extractors.french.numbers import (
    NUMBER_WORDS,
    NUMBER_WORDS_RE,
    number_tokens,
    parse_number_tokens,
)

MIN_YEAR = 1800
MAX_YEAR = 2199

_MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "feb": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6,
    "juillet": 7, "juil": 7, "jul": 7,
    "aout": 8, "aou": 8, "aug": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}  # fmt: skip
MONTH_WORDS: frozenset[str] = frozenset(_MONTHS)
# Full names long enough that one OCR slip cannot turn one month into another.
_FUZZY_MONTHS = {name: n for name, n in _MONTHS.items() if len(name) >= 6}
_WEEKDAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"

# Day of a month-name date: "12", "1er", "1 er", "1°", OCR "ler"/"Ier", "premier", or words.
# A day glued to a mark OCR makes of a digit (« +5 » for « 15 », « |5 ») is missing a digit:
# no date is better than the wrong one.
_NOT_AFTER_DIGIT = r"(?<![\d+|\]\[!])"
_DAY = (
    rf"(?P<day>{_NOT_AFTER_DIGIT}\d{{1,2}}(?:[ ]?(?:er|eme|e)(?![a-z])|°)?"
    rf"|(?<![a-z])[il]er(?![a-z])|(?<![a-z])premier(?![a-z])|{NUMBER_WORDS_RE})"
)
_MONTH = r"(?P<month>[a-z]{3,10})\.?(?:[ ]*/[ ]*(?P<month2>[a-z]{3,4})\.?)?"
_YEAR = rf"(?P<year>(?<!\d)\d{{4}}(?!\d)|{NUMBER_WORDS_RE})"
_WEEKDAY = rf"(?:(?<![a-z])(?P<weekday>{_WEEKDAYS})[ ,]+)?"

# What follows the words of a year: a hyphen then letters, or a word after a blank.
_AFTER_WORDS = re.compile(r"(?P<sep>-|[ \t\n]+)(?P<word>[a-z]+)")
# Words that may follow a date though a number word starts with them ("de", "on", "non").
_PLAIN_WORDS = frozenset({
    "a", "au", "aux", "ce", "ces", "cet", "cette", "de", "des", "du", "en", "et", "la", "le",
    "les", "on", "non", "ou", "par", "se", "si", "sa", "son", "sur", "qui", "que",
})  # fmt: skip

_NUMERIC = re.compile(
    rf"{_NOT_AFTER_DIGIT}(?P<day>\d{{1,2}})(?P<sep>[ ]?[/.\-][ ]?|[ ]{{1,2}})"
    r"(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?!\d)"
)
_ISO = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{2})(?P=sep)(?P<day>\d{2})(?!\d)"
)
_NAMED_MONTH = re.compile(rf"{_WEEKDAY}{_DAY}\s*{_MONTH}\s*,?\s+(?:de\s+l'an\s+)?{_YEAR}")
_YEAR_FIRST = re.compile(
    rf"(?<![a-z])l'an\s+{_YEAR}\s*,?\s*(?:et\s+)?(?:le\s+)?{_WEEKDAY}{_DAY}\s+{_MONTH}"
    r"(?![a-z])"
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in text: its value and the span [start, end) of the original text."""

    value: date
    start: int
    end: int
    text: str


def month_number(word: str) -> int | None:
    """A French (or passport English) month name or abbreviation -> 1..12, None if unknown."""
    token = fold_text(word).strip().rstrip(".")
    if token in _MONTHS:
        return _MONTHS[token]
    token = token.replace("rn", "m")  # OCR reads "m" as "rn": "decernbre"
    if token in _MONTHS:
        return _MONTHS[token]
    if len(token) < 6:
        return None
    close = {n for name, n in _FUZZY_MONTHS.items() if Levenshtein.distance(token, name) <= 1}
    return close.pop() if len(close) == 1 else None


def _day_value(raw: str) -> int | None:
    """The day group of a month-name date -> 1..31 candidate, None if not a day."""
    digits = re.match(r"\d+", raw)
    if digits:
        return int(digits.group())
    if raw in ("premier", "ier", "ler"):
        return 1
    value = parse_number_tokens([t for t, _, _ in number_tokens(raw)])
    return value if value is not None and value != 1 else None  # day 1 is "premier", not "un"


def _year_in_words(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """Number words in folded[start:end] -> (year, end of the words used), longest first.

    The run may have swallowed words after the year ("deux mille vingt-deux et un ..."), so
    shorter prefixes are tried until one is a number.
    """
    tokens = number_tokens(folded[start:end])
    for n in range(len(tokens), 0, -1):
        value = parse_number_tokens([t for t, _, _ in tokens[:n]])
        if value is not None:
            return value, start + tokens[n - 1][2]
    return None


def _runs_into_fragment(folded: str, end: int) -> bool:
    """Whether number words ending at `end` run into a piece of a word: a hyphen then letters
    that are no number word ("quatre-vi"), a word that ends the last one ("cinq uante", "mil
    le"), or one that is only the start of a number word ("cent qua")."""
    after = _AFTER_WORDS.match(folded, end)
    if after is None:
        return False
    word = after.group("word")
    if after.group("sep") == "-":
        return True  # the run would have taken a number word: these letters are a fragment
    last = re.search(r"[a-z]+$", folded[:end])
    if last is not None and last.group() + word in NUMBER_WORDS:
        return True  # "mil le", "cinq uante"
    if word in NUMBER_WORDS or word in _PLAIN_WORDS:
        return False
    return any(n.startswith(word) for n in NUMBER_WORDS)


def _make_date(year: int, month: int, day: int) -> date | None:
    """Year, month, day -> date, None when impossible (31/02) or outside MIN_YEAR..MAX_YEAR."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_glued(folded: str, start: int, end: int, sep: str) -> bool:
    """Whether a numeric date at [start, end) continues a longer number ("06 12 03 1970 45")."""
    n = len(sep)
    if start - n - 1 >= 0 and folded[start - n : start] == sep and folded[start - n - 1].isdigit():
        return True
    return folded[end : end + n] == sep and folded[end + n : end + n + 1].isdigit()


def _numeric_dates(folded: str, pivot: int | None) -> list[tuple[int, int, date]]:
    """Numeric day-month-year and ISO dates in folded text -> (start, end, value)."""
    found: list[tuple[int, int, date]] = []
    for m in _NUMERIC.finditer(folded):
        sep, raw_year = m.group("sep"), m.group("year")
        if len(raw_year) == 2:
            if pivot is None or sep.strip() == "":  # "12 03 70" is too often part of a phone
                continue
            year = 2000 + int(raw_year) if int(raw_year) <= pivot else 1900 + int(raw_year)
        else:
            year = int(raw_year)
        value = _make_date(year, int(m.group("month")), int(m.group("day")))
        if value and not _is_glued(folded, m.start(), m.end(), sep):
            found.append((m.start(), m.end(), value))
    for m in _ISO.finditer(folded):
        value = _make_date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        if value and not _is_glued(folded, m.start(), m.end(), m.group("sep")):
            found.append((m.start(), m.end(), value))
    return found


def _named_month_dates(folded: str) -> list[tuple[int, int, date]]:
    """Dates with a month name (day and year in digits or words) -> (start, end, value)."""
    found: list[tuple[int, int, date]] = []
    for pattern in (_NAMED_MONTH, _YEAR_FIRST):
        for m in pattern.finditer(folded):
            month = month_number(m.group("month"))
            month2 = m.group("month2")
            if month is None or (month2 and month_number(month2) != month):
                continue
            day = _day_value(m.group("day"))
            end = m.end()
            if m.group("year").isdigit():
                year = int(m.group("year"))
            else:
                in_words = _year_in_words(folded, m.start("year"), m.end("year"))
                if in_words is None or _runs_into_fragment(folded, in_words[1]):
                    continue  # no number, or one cut by a line inside a word: no date
                year = in_words[0]
                if pattern is _NAMED_MONTH:
                    end = in_words[1]  # drop words the run swallowed after the year
            if day is None:
                continue
            value = _make_date(year, month, day)
            if value:
                found.append((m.start(), end, value))
    return found


def find_dates(text: str, *, two_digit_pivot: int | None = None) -> list[DateMatch]:
    """Text -> the dates in it, in text order, with their spans.

    Two-digit years are read only with `two_digit_pivot` (0..99): a year yy <= pivot is 20yy,
    a larger one 19yy; without it "12/03/70" is not returned.
    """
    folded = fold_text(text)
    candidates = _numeric_dates(folded, two_digit_pivot) + _named_month_dates(folded)
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    matches: list[DateMatch] = []
    for start, end, value in candidates:
        if matches and start < matches[-1].end:
            continue  # overlaps a longer or earlier match
        matches.append(DateMatch(value, start, end, text[start:end]))
    return matches


def parse_date(text: str, *, two_digit_pivot: int | None = None) -> date | None:
    """Text holding one date -> that date; None when it holds none, or several different ones."""
    values = {m.value for m in find_dates(text, two_digit_pivot=two_digit_pivot)}
    return values.pop() if len(values) == 1 else None
