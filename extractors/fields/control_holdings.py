"""Percentages of capital and voting rights in an owner's control statements, and their total.

Documents state holdings in many ways: "% total du capital : 74,67" (DBE-S-1), "Détention de
60 % du capital (directe : 19,21 %, indirecte : 40,79 % via la société X)" (greffe extract),
"Parts directes en pleine propriété 35,5 %" and "Votes indirects via des personnes morales
10 %" (INPI RNE), "directe 20 % / indirecte 15 %", "pleine propriété 10 % + nue-propriété 5 %".

Each percentage is read with the words around it: the words between it and the previous
separator (",", ";", "(", "et", "dont", "+", "/"), and those after it up to the next one.
Those words say what it measures (capital or votes; else the nearest such word in the
statement) and which part it is: direct or indirect, via legal persons or joint ownership
(indivision; both are indirect holdings in the RNE), full or bare ownership or usufruct, a
right to become holder (« vocation »), or a total ("total", "soit", or no qualifier at all).

The owner's percentage for capital or votes (CMF R.561-1: held "directement ou
indirectement") is a stated total when there is one; otherwise the sum over direct and
indirect, each the stated figure or else the sum of its parts (via legal persons + joint
ownership; full + bare ownership). Usufruct gives votes, not capital (it is an RNE vote field
only), and a right to become holder is not yet a holding: neither is added to capital.
"Plus de 25 %", "au-delà de 25 %", "25 % ou plus" and the like are thresholds, never holdings.
Two different figures for the same part are a conflict: the answer is None, never a pick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.french.amounts import find_percents
from extractors.french.folding import fold_text

if TYPE_CHECKING:
    from collections.abc import Sequence

CAPITAL = "capital"
VOTES = "voting_rights"

_SEPARATOR = re.compile(r"[,;()\[\]+/]|(?<![a-z])(?:et|dont|soit|ainsi que)(?![a-z])")
_THRESHOLD = re.compile(
    r"(?:plus|moins|au moins|superieure?s?|inferieure?s?|excedant|depassant|seuil|>|<|≥|≤"
    r"|au[- ]dela|a partir|franchissement)"
    r"\s*(?:de|d'|a|du)?\s*$"
)
# A threshold said after its figure: "25 % ou plus du capital", "25 % au moins".
_THRESHOLD_AFTER = re.compile(r"^\s*(?:ou plus|ou davantage|au moins|au minimum)(?![a-z])")
_CAPITAL_WORD = re.compile(r"(?<![a-z])(?:capital|parts?|actions?|titres?)(?![a-z])")
_VOTE_WORD = re.compile(r"(?<![a-z])(?:votes?|droits? de vote|voix)(?![a-z])")
# "du capital et des droits de vote": one measure phrase, not two statements split at "et".
_BOTH_MEASURES = re.compile(
    r"(?:capital|droits? de vote)\s+(?P<et>et)\s+(?:des|du|aux?|les)?\s*(?:droits? de vote|capital)"
)
# The same once `_join_measures` has blanked the "et".
_BOTH_JOINED = re.compile(
    r"(?:capital|droits? de vote)\s+(?:et\s+)?(?:des|du|aux?|les)?\s*(?:droits? de vote|capital)"
)
_HOLDING_WORD = re.compile(r"(?<![a-z])(?:detention|detient|detenu|detenus|detenue)(?![a-z])")
_DIRECT = re.compile(r"(?<![a-z])(?:directe?s?|directement|en direct)(?![a-z])")
_INDIRECT = re.compile(r"(?<![a-z])(?:indirecte?s?|indirectement)(?![a-z])")
_VIA_LEGAL = re.compile(
    r"personnes? morales?|(?<![a-z])(?:via|pmorales?)(?![a-z])|interposee?s?"
    r"|par l'intermediaire d"
)
_JOINT = re.compile(r"indivision|(?<![a-z])indivis(?![a-z])")
_KINDS = (
    ("full_ownership", re.compile(r"pleine?s?[ -]propriete")),
    ("bare_ownership", re.compile(r"nue?s?[ -]propriete")),
    ("usufruct", re.compile(r"usufruit")),
)
_TOTAL = re.compile(r"(?<![a-z])(?:total|totale|totaux|globale?|cumulee?s?|soit|ensemble)(?![a-z])")
_VOCATION = re.compile(r"vocation")
# A bare number in a value labelled as a percentage: "74,67", "5,00"; OCR "60 00", "51, 73",
# "27/51" (a lost, spaced or misread decimal comma: two decimals, as forms print them).
_BARE = re.compile(r"(?<![\d.,/])(\d{1,3})(?:\s?[.,/]\s?(\d{1,3})|\s(\d{2}))?(?![\d.,/%]|\s?%)")
_LETTER = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class Holding:
    """One percentage an owner holds, with what it measures and which part it is."""

    value: float
    dims: frozenset[str]  # CAPITAL and/or VOTES
    channel: str | None  # "direct", "indirect", None when not said (or both)
    via: str | None  # "via_legal_persons", "joint_ownership" or None
    kind: str | None  # "full_ownership", "bare_ownership", "usufruct" or None
    is_total: bool
    is_vocation: bool
    text: str  # the statement it was read from


@dataclass(frozen=True, slots=True)
class _Found:
    value: float
    start: int
    end: int


def find_holdings(text: str, *, percent_label: bool = False) -> list[Holding]:
    """A control statement -> its percentages with their qualifiers, in text order.

    `percent_label`: the statement's label says its value is a percentage ("% total du
    capital"), so a bare number there ("74,67") is one.
    """
    folded = _join_measures(fold_text(text))
    found = _percents(text, folded, percent_label)
    holdings = []
    previous_end = 0
    for index, item in enumerate(found):
        next_start = found[index + 1].start if index + 1 < len(found) else len(folded)
        local = (
            _prefix(folded, previous_end, item.start) + " " + _suffix(folded, item.end, next_start)
        )
        previous_end = item.end
        dims = _dims(local) or _nearest_dims(folded, item.start, item.end)
        if not dims:
            continue
        holdings.append(_qualify(item.value, dims, local, text))
    return holdings


def _join_measures(folded: str) -> str:
    """Folded text with the "et" of "capital et droits de vote" blanked (same length)."""
    return _BOTH_MEASURES.sub(lambda m: _blank(m, "et"), folded)


def _blank(match: re.Match[str], group: str) -> str:
    """The match with one of its groups replaced by spaces (keeps text length)."""
    text, start = match.group(), match.start()
    a, b = match.start(group) - start, match.end(group) - start
    return text[:a] + " " * (b - a) + text[b:]


def _percents(text: str, folded: str, percent_label: bool) -> list[_Found]:
    """The percentages of a statement, thresholds ("plus de 25 %") left out. Under a label
    that announces a percentage, a lone bare number is one ("74,67"; OCR "51, 73", "27/51");
    two bare numbers there are unreadable, not two holdings."""
    found = [
        _Found(m.value, m.start, m.end)
        for m in find_percents(text)
        if not _is_threshold(folded, m.start, m.end)
    ]
    if found or not percent_label:
        return found
    bare = [m for m in _BARE.finditer(folded)
            if not _is_threshold(folded, m.start(), m.end())]  # fmt: skip
    if len(bare) != 1:
        return []
    m = bare[0]
    decimals = m.group(2) or m.group(3)
    value = float(f"{m.group(1)}.{decimals}" if decimals else m.group(1))
    return [_Found(value, m.start(), m.end())] if value <= 100 else []


def _is_threshold(folded: str, start: int, end: int) -> bool:
    """Whether the figure at folded[start:end] is a legal threshold ("plus de 25 %", "au-delà
    de 25 %", "25 % ou plus"), not a holding."""
    return bool(
        _THRESHOLD.search(folded[max(0, start - 25) : start])
        or _THRESHOLD_AFTER.match(folded[end : end + 20])
    )


def _prefix(folded: str, start: int, end: int) -> str:
    """Words before a percentage since the last separator (skipping empty segments). The
    words right after the previous percentage, up to a separator, are that one's (`_suffix`):
    in "43,72 % du capital, 48,72 % des droits de vote" the second figure is not capital."""
    segments = _SEPARATOR.split(folded[start:end])
    for index in range(len(segments) - 1, -1, -1):
        if index == 0 and start > 0 and len(segments) > 1:
            break
        if _LETTER.search(segments[index]):
            return segments[index]
    return ""


def _suffix(folded: str, start: int, end: int) -> str:
    """Words after a percentage up to the next separator."""
    return _SEPARATOR.split(folded[start:end], maxsplit=1)[0]


def measures_named(text: str) -> frozenset[str]:
    """What a statement talks about: capital, votes, both or neither."""
    return _dims(_join_measures(fold_text(text)))


def _dims(local: str) -> frozenset[str]:
    """What the words near a percentage say it measures."""
    dims = set()
    if _CAPITAL_WORD.search(local):
        dims.add(CAPITAL)
    if _VOTE_WORD.search(local):
        dims.add(VOTES)
    return frozenset(dims)


def _nearest_dims(folded: str, start: int, end: int) -> frozenset[str]:
    """What the nearest capital/vote words of the statement say: before, else after, else a
    holding verb ("détention de 40 %": capital)."""
    words = _measure_words(folded)
    before = [w for w in words if w[1] <= start]
    if before:
        return before[-1][2]
    after = [w for w in words if w[0] >= end]
    if after:
        return after[0][2]
    return frozenset({CAPITAL}) if _HOLDING_WORD.search(folded) else frozenset()


def _measure_words(folded: str) -> list[tuple[int, int, frozenset[str]]]:
    """Capital and vote words of a statement, in order; "capital et droits de vote" is one."""
    joint = [(m.start(), m.end(), frozenset({CAPITAL, VOTES}))
             for m in _BOTH_JOINED.finditer(folded)]  # fmt: skip
    single = [(m.start(), m.end(), frozenset({d})) for d, r in ((CAPITAL, _CAPITAL_WORD),
              (VOTES, _VOTE_WORD)) for m in r.finditer(folded)]  # fmt: skip
    free = [w for w in single if not any(j[0] <= w[0] < j[1] for j in joint)]
    return sorted(joint + free)


def _qualify(value: float, dims: frozenset[str], local: str, text: str) -> Holding:
    """A percentage and its nearby words -> a Holding."""
    direct, indirect = bool(_DIRECT.search(local)), bool(_INDIRECT.search(local))
    via = None
    if _JOINT.search(local):
        via = "joint_ownership"
    elif _VIA_LEGAL.search(local):
        via = "via_legal_persons"
    channel = None  # both named ("directe ou indirecte de 40 %") reads as a total
    if direct != indirect:
        channel = "direct" if direct else "indirect"
    if via is not None and not direct:
        channel = "indirect"
    kinds = [name for name, pattern in _KINDS if pattern.search(local)]
    return Holding(
        value=value,
        dims=dims,
        channel=channel,
        via=via,
        kind=kinds[0] if len(kinds) == 1 else None,
        is_total=bool(_TOTAL.search(local)),
        is_vocation=bool(_VOCATION.search(local)),
        text=text,
    )


class ConflictingFigures(ValueError):
    """Two different figures for the same part of a holding."""


_LEVELS = ("channel", "via", "kind")


def total_percent(holdings: Sequence[Holding], dim: str) -> float | None:
    """The owner's direct + indirect percentage of `dim`; None when no figure is given.

    Raises ConflictingFigures when the document gives two different figures for one part.
    """
    items = [h for h in holdings if dim in h.dims and not h.is_vocation]
    if dim == CAPITAL:
        items = [h for h in items if h.kind != "usufruct"]
    if not items:
        return None
    totals = [h for h in items if h.is_total and h.channel is None and h.via is None]
    if totals:
        return _one(totals)
    return round(_node(items, 0), 2)


def _node(items: Sequence[Holding], level: int) -> float:
    """A part's percentage: its own stated figure, else the sum of its sub-parts."""
    if level == len(_LEVELS):
        return _one(items)
    unqualified = [h for h in items if all(getattr(h, lv) is None for lv in _LEVELS[level:])]
    if unqualified:
        return _one(unqualified)
    groups: dict[str | None, list[Holding]] = {}
    for h in items:
        groups.setdefault(getattr(h, _LEVELS[level]), []).append(h)
    return sum(_node(group, level + 1) for group in groups.values())


def _one(items: Sequence[Holding]) -> float:
    """The single figure several statements agree on; ConflictingFigures otherwise."""
    values = {round(h.value, 2) for h in items}
    if len(values) > 1:
        raise ConflictingFigures(sorted(values))
    return values.pop()
