"""Euro amounts, percentages and share counts written the French way.

"10 000,00 €", "10.000 euros", "1 000 000 EUR", "100 000.00", thin and no-break spaces as
thousands separators, "1,5 million d'euros", and amounts in words ("dix mille euros"). When a
document gives both ("dix mille euros (10 000 €)") the pair is one amount, valued from the
digits; if the two disagree they stay two amounts, so `parse_amount_eur` answers None rather
than pick one.

Separator rules (French usage first):
- a comma followed by 1-2 digits is the decimal comma; a dot followed by 1-2 digits a decimal
  point; a dot followed by exactly 3 digits groups thousands ("10.000 euros" = 10 000);
- when both a dot and a comma appear, the last one is the decimal separator;
- a lone comma followed by exactly 3 digits ("10,000 €") is ambiguous for an amount -> None;
  for a percentage it is a decimal comma ("33,333 %").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.french.folding import fold_text
from extractors.french.numbers import NUMBER_WORDS_RE, number_tokens, parse_number_tokens

# A number as printed: thousands groups (space, dot, comma, apostrophe) and decimals. It may
# follow stray punctuation (".100 000 €" from OCR), but never a digit group's separator.
_NUM = r"(?<!\d)(?<!\d[.,])(?:\d{1,3}(?:[ .,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,3})?)(?![\d])"
_CURRENCY = r"(?:€|eur(?:os?)?(?![a-z]))"
_MULTIPLIER = r"(?:(?P<mult>milliards?|millions?)\s+(?:d'|de\s+)?|(?P<km>[km])\s?(?=€))"

_DIGIT_AMOUNT = re.compile(
    rf"(?P<pre>€\s?|eur\s)?(?P<num>{_NUM})(?:,-)?\s*(?:{_MULTIPLIER})?(?P<cur>{_CURRENCY})?"
)
_WORD_AMOUNT = re.compile(
    rf"(?P<words>{NUMBER_WORDS_RE})\s*(?:\(\s*(?P<num>{_NUM})\s*\)\s*)?(?:d'|de\s+)?"
    r"euros?(?![a-z])"
)
_BROKEN_GROUP = re.compile(r"(?:^|[^\d.,])\d{1,3}[ .']$")
_BRACKET_OPEN = re.compile(r"\s*\(\s*")
_BRACKET_CLOSE = re.compile(r"\s*\)")

_PERCENT = re.compile(
    rf"(?:(?P<num>(?<![\d.,])\d{{1,3}}(?:[.,]\d+)?(?![\d]))|(?P<words>{NUMBER_WORDS_RE}))"
    r"\s*(?:%|pour\s*cents?(?![a-z])|p\.\s?100(?!\d))"
)

_COUNT_UNITS = {
    "actions": "actions", "action": "actions",
    "parts sociales": "parts", "part sociale": "parts", "parts": "parts", "part": "parts",
    "titres": "titres", "titre": "titres",
    "droits de vote": "droits de vote", "droit de vote": "droits de vote",
    "voix": "voix",
}  # fmt: skip
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_COUNT_UNITS, key=len, reverse=True))
_COUNT = re.compile(
    rf"(?:(?P<num>(?<![\d.,])\d{{1,3}}(?:[ .']\d{{3}})+(?![\d,])|(?<![\d.,])\d+(?![\d.,]))"
    rf"|(?P<words>{NUMBER_WORDS_RE}))\s+(?P<unit>{_UNIT_RE})(?![a-z])"
)


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """A euro amount found in text, with the span [start, end) of the original text."""

    value: float
    start: int
    end: int
    text: str
    from_words: bool  # True when only the amount in words was readable


@dataclass(frozen=True, slots=True)
class PercentMatch:
    """A percentage (0-100) found in text, with its span in the original text."""

    value: float
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class CountMatch:
    """A count of shares, parts or votes found in text: "1 000 actions" -> 1000, "actions"."""

    value: int
    unit: str  # actions, parts, titres, droits de vote, voix
    start: int
    end: int
    text: str


def _parse_digits(raw: str, *, comma_three_digits_is_decimal: bool) -> float | None:
    """A printed number ("10 000,00", "1.000.000", "100 000.00") -> float; None if ambiguous."""
    raw = raw.replace("'", " ")
    last_dot, last_comma = raw.rfind("."), raw.rfind(",")
    decimal_sep = ""
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
    elif last_comma >= 0:
        decimals = len(raw) - last_comma - 1
        if raw.count(",") == 1 and (decimals != 3 or comma_three_digits_is_decimal):
            decimal_sep = ","
        elif raw.count(",") == 1 and " " not in raw:
            return None  # "10,000": decimal comma or English thousands? Not ours to guess.
    elif last_dot >= 0:
        decimals = len(raw) - last_dot - 1
        if raw.count(".") == 1 and (decimals != 3 or comma_three_digits_is_decimal):
            decimal_sep = "."
    integer, _, fraction = raw.rpartition(decimal_sep) if decimal_sep else (raw, "", "")
    groups = re.split(r"[ .,]", integer)
    if len(groups) > 1 and (
        len({c for c in integer if not c.isdigit()}) > 1
        or not 1 <= len(groups[0]) <= 3
        or any(len(g) != 3 for g in groups[1:])
    ):
        return None
    digits = "".join(groups)
    if not digits.isdigit() or (fraction and not fraction.isdigit()):
        return None
    return float(f"{digits}.{fraction}" if fraction else digits)


def parse_number(text: str) -> float | None:
    """A whole French-formatted number ("10 000,00", "1.000", "100 000.00") -> float, else None."""
    folded = fold_text(text).strip()
    if not re.fullmatch(_NUM, folded):
        return None
    return _parse_digits(folded, comma_three_digits_is_decimal=False)


def _words_value(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """Number words in folded[start:end] -> (value, start of the words used).

    The run may begin with a number word that is not part of the amount ("une somme" never
    reaches here, but "un deux cents euros" could): leading words are dropped until the rest
    is one number.
    """
    tokens = number_tokens(folded[start:end])
    for i in range(len(tokens)):
        value = parse_number_tokens([t for t, _, _ in tokens[i:]])
        if value is not None:
            return value, start + tokens[i][1]
    return None


def _digit_amounts(folded: str) -> list[tuple[int, int, float]]:
    """Amounts in digits next to a euro marker -> (start, end, value)."""
    found: list[tuple[int, int, float]] = []
    for m in _DIGIT_AMOUNT.finditer(folded):
        if not (m.group("pre") or m.group("cur")):
            continue
        if _BROKEN_GROUP.search(folded, max(0, m.start("num") - 5), m.start("num")):
            continue  # "1 0000 €": the tail of a number whose grouping is broken
        value = _parse_digits(m.group("num"), comma_three_digits_is_decimal=False)
        if value is None:
            continue
        mult = m.group("mult") or m.group("km") or ""
        if mult.startswith("milliard"):
            value *= 1e9
        elif mult.startswith("million") or mult == "m":
            value *= 1e6
        elif mult == "k":
            value *= 1e3
        found.append((m.start(), m.end(), round(value, 2)))
    return found


def _word_amounts(folded: str) -> list[tuple[int, int, float, float | None]]:
    """Amounts in words before "euros" -> (start, end, words value, digits in brackets)."""
    found: list[tuple[int, int, float, float | None]] = []
    for m in _WORD_AMOUNT.finditer(folded):
        words = _words_value(folded, m.start("words"), m.end("words"))
        digits = (
            _parse_digits(m.group("num"), comma_three_digits_is_decimal=False)
            if m.group("num")
            else None
        )
        if words is not None:
            found.append((words[1], m.end(), float(words[0]), digits))
    return found


def find_amounts(text: str) -> list[AmountMatch]:
    """Text -> the euro amounts in it (digits or words), in text order, with their spans."""
    folded = fold_text(text)
    digit = _digit_amounts(folded)
    words = _word_amounts(folded)
    items: list[tuple[int, int, float, bool]] = [(s, e, v, False) for s, e, v in digit]
    for start, end, value, bracketed in words:
        if bracketed is not None:  # "dix mille (10 000) euros"
            if bracketed != value:
                continue  # words and digits disagree inside one phrase: no amount
            items.append((start, end, bracketed, False))
        else:
            items.append((start, end, value, True))
    items.sort(key=lambda i: (i[0], -(i[1] - i[0])))
    merged: list[tuple[int, int, float, bool]] = []
    for item in items:
        if merged and item[0] < merged[-1][1]:
            continue
        if merged and _is_bracketed_pair(folded, merged[-1], item):
            prev = merged.pop()
            digits_value = item[2] if prev[3] else prev[2]
            close = _BRACKET_CLOSE.match(folded, item[1])
            merged.append((prev[0], close.end() if close else item[1], digits_value, False))
            continue
        merged.append(item)
    return [AmountMatch(v, s, e, text[s:e], w) for s, e, v, w in merged]


def _is_bracketed_pair(
    folded: str, first: tuple[int, int, float, bool], second: tuple[int, int, float, bool]
) -> bool:
    """Whether `second` is `first` repeated in brackets, one in words, one in digits, agreeing."""
    opening = _BRACKET_OPEN.match(folded, first[1])
    return (
        opening is not None
        and opening.end() == second[0]
        and first[3] != second[3]
        and first[2] == second[2]
        and _BRACKET_CLOSE.match(folded, second[1]) is not None
    )


def parse_amount_eur(text: str) -> float | None:
    """Text holding one euro amount -> its value; None for none, several or an ambiguous one.

    A bare number ("100 000.00", "mille") counts as euros: the caller read it from a euro field.
    """
    values = {m.value for m in find_amounts(text)}
    if len(values) == 1:
        return values.pop()
    if values:
        return None
    bare = parse_number(text)
    if bare is not None:
        return bare
    in_words = _words_only(text)
    return float(in_words) if in_words is not None else None


def _words_only(text: str) -> int | None:
    """Text that is only a number in words -> its value, else None."""
    folded = fold_text(text).strip()
    if not re.fullmatch(NUMBER_WORDS_RE, folded):
        return None
    return parse_number_tokens([t for t, _, _ in number_tokens(folded)])


def find_percents(text: str) -> list[PercentMatch]:
    """Text -> the percentages (0-100) in it: "33,33 %", "50%", "vingt-cinq pour cent"."""
    folded = fold_text(text)
    found: list[PercentMatch] = []
    for m in _PERCENT.finditer(folded):
        if m.group("num"):
            value = _parse_digits(m.group("num"), comma_three_digits_is_decimal=True)
            start = m.start()
        else:
            words = _words_value(folded, m.start("words"), m.end("words"))
            value, start = (float(words[0]), words[1]) if words else (None, m.start())
        if value is not None and 0 <= value <= 100:
            found.append(PercentMatch(value, start, m.end(), text[start : m.end()]))
    return found


def parse_percent(text: str) -> float | None:
    """Text holding one percentage ("33,33 %") -> 33.33; None for none, several, or over 100."""
    values = {m.value for m in find_percents(text)}
    if len(values) == 1:
        return values.pop()
    if values:
        return None
    bare = fold_text(text).strip()
    if re.fullmatch(r"\d{1,3}(?:[.,]\d+)?", bare):
        value = _parse_digits(bare, comma_three_digits_is_decimal=True)
        return value if value is not None and value <= 100 else None
    return None


def find_counts(text: str) -> list[CountMatch]:
    """Text -> counts of shares/parts/votes: "1 000 actions", "mille parts sociales"."""
    folded = fold_text(text)
    found: list[CountMatch] = []
    for m in _COUNT.finditer(folded):
        unit = _COUNT_UNITS[m.group("unit")]
        if m.group("num"):
            value: int | None = int(re.sub(r"[ .']", "", m.group("num")))
            start = m.start()
        else:
            words = _words_value(folded, m.start("words"), m.end("words"))
            value, start = (words[0], words[1]) if words else (None, m.start())
        if value is not None:
            found.append(CountMatch(value, unit, start, m.end(), text[start : m.end()]))
    return found


def parse_count(text: str) -> int | None:
    """Text holding one count ("1 000 actions", "1 000", "mille") -> int; None otherwise."""
    values = {m.value for m in find_counts(text)}
    if len(values) == 1:
        return values.pop()
    if values:
        return None
    bare = fold_text(text).strip()
    if re.fullmatch(r"\d{1,3}(?:[ .']\d{3})+|\d+", bare):
        return int(re.sub(r"[ .']", "", bare))
    return _words_only(text)
