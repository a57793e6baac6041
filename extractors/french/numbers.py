"""French numbers written in words ("deux mille vingt-deux", "quatre-vingt-dix-neuf").

Used by dates in words (notarial "l'an deux mille vingt-deux") and by amounts in words
("dix mille euros"). Belgian/Swiss septante, huitante/octante and nonante are accepted too.
The grammar is strict on purpose: a sequence such as "deux trois" is not a number, so that a
run of number words that OCR glued together is rejected rather than summed into a guess.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.french.folding import fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

_UNITS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
}  # fmt: skip
_TEENS = {
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
}  # fmt: skip
_TENS = {
    "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}  # fmt: skip
_HUNDREDS = frozenset({"cent", "cents"})
_SCALES = {
    "mille": 1_000, "mil": 1_000, "million": 1_000_000, "millions": 1_000_000,
    "milliard": 1_000_000_000, "milliards": 1_000_000_000,
}  # fmt: skip

NUMBER_WORDS: frozenset[str] = frozenset({"zero", *_UNITS, *_TEENS, *_TENS, *_HUNDREDS, *_SCALES})

# One number word, longest alternatives first so that "cinquante" is not read as "cinq".
NUMBER_WORD_RE = "(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?![a-z])"
# A run of number words on folded text, joined by whitespace (line breaks too) or hyphens,
# with "et" inside ("vingt et un", "soixante-et-onze"). It never starts or ends with "et".
NUMBER_WORDS_RE = rf"(?<![a-z]){NUMBER_WORD_RE}(?:[\s-]+(?:et[\s-]+)?{NUMBER_WORD_RE})*"
_TOKEN = re.compile(r"[a-z]+")


def _parse_below_100(tokens: Sequence[str], i: int) -> tuple[int, int] | None:
    """Tokens from i -> (value 1..99, next index), or None when no number starts at i."""
    if i >= len(tokens):
        return None
    token = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if token == "quatre" and nxt in ("vingt", "vingts"):
        # quatre-vingt(s) = 80, then an optional 1..19 (quatre-vingt-dix-neuf = 99)
        rest = _parse_below_20(tokens, i + 2)
        return (80 + rest[0], rest[1]) if rest else (80, i + 2)
    if token in _UNITS or token in _TEENS:
        return _parse_below_20(tokens, i)
    if token in _TENS:
        value = _TENS[token]
        if token == "soixante":  # soixante-dix-sept = 77, soixante et onze = 71
            rest = _parse_below_20(tokens, i + 1)
        else:
            rest = (_UNITS[nxt], i + 2) if nxt in _UNITS else None
        return (value + rest[0], rest[1]) if rest else (value, i + 1)
    return None


def _parse_below_20(tokens: Sequence[str], i: int) -> tuple[int, int] | None:
    """Tokens from i -> (value 1..19, next index): a unit, a teen, or dix-sept/huit/neuf."""
    if i >= len(tokens):
        return None
    token = tokens[i]
    if token in _UNITS:
        return _UNITS[token], i + 1
    if token == "dix" and i + 1 < len(tokens) and tokens[i + 1] in ("sept", "huit", "neuf"):
        return 10 + _UNITS[tokens[i + 1]], i + 2
    if token in _TEENS:
        return _TEENS[token], i + 1
    return None


def _parse_below_1000(tokens: Sequence[str], i: int) -> tuple[int, int] | None:
    """Tokens from i -> (value 1..999, next index), or None when no number starts at i."""
    if i < len(tokens) and tokens[i] in _HUNDREDS:
        hundreds, i = 100, i + 1
    else:
        head = _parse_below_100(tokens, i)
        if head is None:
            return None
        value, i = head
        if not (i < len(tokens) and tokens[i] in _HUNDREDS):
            return value, i
        if not 2 <= value <= 9:  # "deux cents", never "onze cents"
            return None
        hundreds, i = value * 100, i + 1
    rest = _parse_below_100(tokens, i)
    return (hundreds + rest[0], rest[1]) if rest else (hundreds, i)


def parse_number_tokens(tokens: Sequence[str]) -> int | None:
    """Folded number words ("et" already removed) -> their value, None if not one French number."""
    if list(tokens) == ["zero"]:
        return 0
    total, i, last_scale = 0, 0, None
    while i < len(tokens):
        group = _parse_below_1000(tokens, i)
        value, j = group if group else (None, i)
        if j < len(tokens) and tokens[j] in _SCALES:
            scale = _SCALES[tokens[j]]
            if last_scale is not None and scale >= last_scale:
                return None
            if value is None:
                if scale != 1_000:  # "mille" alone is 1000; "million" needs "un"
                    return None
                value = 1
            total += value * scale
            last_scale, i = scale, j + 1
            continue
        if value is None or j != len(tokens):
            return None
        return total + value
    return total if tokens else None


def number_tokens(text: str) -> list[tuple[str, int, int]]:
    """Folded text -> its letter tokens other than "et", with their spans."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text) if m.group() != "et"]


def parse_number_words(text: str) -> int | None:
    """A number in words ("deux mille vingt-deux") -> 2022; None unless the whole text is one."""
    folded = fold_text(text).strip()
    if not re.fullmatch(NUMBER_WORDS_RE, folded):
        return None
    return parse_number_tokens([t for t, _, _ in number_tokens(folded)])
