"""Counts of shares in statuts: "1 000 actions", "mille parts sociales", "dix (10) parts".

`extractors.french.amounts.find_counts` reads digits or words before the unit; notarial style
repeats the number in brackets between the two ("deux mille (2 000) actions"), which it does not
read. Here the brackets are blanked (same length, so spans stay valid) and the words before
them checked against the digits: when both are readable and disagree, the count is dropped
rather than one of them chosen.

A holder's parts may be given by their numbers only ("les parts numérotées de 251 à 500",
"portant les numéros 1 à 250", "(1 à 8)"): `find_numbered_ranges` reads such ranges as counts
(500 - 251 + 1 = 250), for the caller to use where no count is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.french.amounts import find_counts
from extractors.french.folding import fold_text
from extractors.french.numbers import NUMBER_WORDS_RE, number_tokens, parse_number_tokens

SHARE_UNITS = frozenset({"actions", "parts", "titres"})
_BRACKETED = re.compile(
    rf"(?P<words>{NUMBER_WORDS_RE})?\s*\(\s*(?P<num>\d{{1,3}}(?:[ .']\d{{3}})+|\d+)\s*\)"
    r"(?=\s*(?:actions?|parts?|titres?)(?![a-z]))"
)

# An OCR speck between two number words ("trois 'cents", "deux mille . cinq cents"): a mark
# standing alone before a word, where no elision or punctuation of the text would be.
_SPECK = re.compile(r"(?<=[a-z] )[',.`\u2018\u2019\u00b4]+ ?(?=[a-z])")


_NUMBER = r"\d{1,3}(?:[ .\u00a0]\d{3})+(?!\d)|\d+"
_RANGE = re.compile(
    rf"(?:(?<![a-z])(?:numerot[eé]e?s?|portant\s+(?:les\s+)?(?:n[°o]s?|numeros?)|n[°o]s?|numeros?)"
    rf"\s*(?:de\s+|du\s+)?(?:n[°o]\s*)?|\(\s*)(?P<first>{_NUMBER})\s+(?:a|au|à)\s+(?:n[°o]\s*)?"
    rf"(?P<last>{_NUMBER})(?![\d,])"
)


@dataclass(frozen=True, slots=True)
class ShareCount:
    """A number of shares or parts and its span [start, end) in the text searched."""

    value: int
    unit: str  # actions, parts, titres
    start: int
    end: int


def _words_value(text: str) -> int | None:
    """Number words -> their value, trying shorter tails ("soit cent" -> 100)."""
    tokens = [t for t, _, _ in number_tokens(text)]
    for i in range(len(tokens)):
        value = parse_number_tokens(tokens[i:])
        if value is not None:
            return value
    return None


def find_share_counts(text: str) -> list[ShareCount]:
    """Text -> the counts of shares/parts in it, in order; bracketed repeats read once."""
    text = text.replace("\n", " ")  # number words run over line breaks ("huit\ncents")
    folded = _SPECK.sub(lambda m: " " * len(m.group()), fold_text(text))
    masked = list(text)
    starts: dict[int, int] = {}  # start of the digits -> start of the words before them
    for m in _BRACKETED.finditer(folded):
        digits = int(re.sub(r"[ .']", "", m.group("num")))
        if m.group("words"):
            words = _words_value(m.group("words"))
            if words is not None and words != digits:
                masked[m.start() : m.end()] = " " * (m.end() - m.start())  # disagree: no count
                continue
            masked[m.start("words") : m.end("words")] = " " * len(m.group("words"))
        opening = folded.index("(", m.start())
        masked[opening] = " "
        masked[folded.index(")", m.start("num"))] = " "
        starts[m.start("num")] = m.start("words") if m.group("words") else opening
    found: list[ShareCount] = []
    for c in find_counts("".join(masked)):
        if c.unit in SHARE_UNITS:
            found.append(ShareCount(c.value, c.unit, starts.get(c.start, c.start), c.end))
    return found


def find_numbered_ranges(text: str) -> list[ShareCount]:
    """Ranges of share numbers in `text` as counts ("numérotées de 1 à 250" -> 250), in order;
    a range that does not go up is no range."""
    folded = fold_text(text.replace("\n", " "))
    found: list[ShareCount] = []
    for m in _RANGE.finditer(folded):
        first, last = (int(re.sub(r"\D", "", m.group(g))) for g in ("first", "last"))
        if 0 < first <= last:
            found.append(ShareCount(last - first + 1, "", m.start(), m.end()))
    return found
