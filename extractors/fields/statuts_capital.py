"""Capital division and its allocation: "divisé en N actions/parts", then who holds how many.

Allocations are read where statuts give them, in this order: the article that divides the
capital (from the division onwards), other articles titled capital / répartition /
souscription, then the "Apports" articles ("en rémunération de son apport, il lui est attribué
50 parts"). A holder is a person or company mention (`statuts_persons`) or a founder's name
found again in that text; its count is the first count of shares after its name, in its own list
item or sentence ("- M. X : 510 actions, numérotées de 1 à 510", "à M. X, à concurrence de 500
parts, … ci 500 parts"), else a count just before it ("500 actions à M. X"), else a bare number
right after its name in a table whose header says "nombre", else the size of the range of share
numbers in its item ("les parts numérotées de 251 à 500": 250). In a table whose header names a
count column, the number under that column wins (`statuts_table`), and a row's name is its whole
cell, wrapped lines included. Totals ("divisé en", "Total égal au nombre de …", "soit au
total") are never a holder's count.

Percentages are shares / total shares × 100, rounded to 2 decimals, the total being the
division's "divisé en N"; when the allocations do not add up to it, a warning says so.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from extractors.fields.statuts_articles import article_at, articles_titled
from extractors.fields.statuts_counts import (
    ShareCount,
    find_numbered_ranges,
    find_share_counts,
)
from extractors.fields.statuts_persons import (
    Mention,
    MentionKind,
    best_match,
    better_read,
    find_mentions,
    match_score,
)
from extractors.fields.statuts_table import count_in_column, find_count_column
from extractors.fields.statuts_text import sentence_end
from extractors.french.folding import fold_text, fold_words
from kanta_docs.facts import ShareholderFacts, Value

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.statuts_articles import Article
    from extractors.fields.statuts_parties import PartiesBlock
    from extractors.fields.statuts_text import StatutsText
    from extractors.nlp import TextSpan

_DIVISION = re.compile(
    r"(?<![a-z])(?:divis[eé]e?|r[eé]parti|compos[eé]|repr[eé]sent[eé]|se\s+compose|consiste)"
    r"\w*\s+(?:en|de|par)\s+"
)
_TOTAL_CUE = re.compile(
    r"(?<![a-z])(?:total|soit|ensemble|composant\s+le\s+capital|divis|formant|egal\s+au"
    r"|montant\s+du\s+capital)"
)
_COUNT_BEFORE = re.compile(
    r"^[\s,]*(?:(?:sont|seront|est)\s+)?(?:attribu\w+\s+)?(?:à|a|au\s+profit\s+de|en\s+faveur\s+de"
    r"|pour)\s*$"
)
_TABLE_NUMBER = re.compile(r"^[\s:|.…_-]*(\d{1,3}(?:[ .]\d{3})+|\d+)(?=[ \t]*(?:\n|$|[ \t]\d))")
_WHOLE = re.compile(r"totalite|integralite|associe\s+unique|seul\s+associe|toutes\s+les\s+"
                    r"(?:parts|actions)|l'ensemble\s+des\s+(?:parts|actions)")
_TABLE_HEADER = re.compile(r"nombre\s+(?:d'|de\s+)?(?:actions|parts|titres)")
_ITEM_START = re.compile(r"\n\s*(?:[-–—•*]|\d{1,2}\s*[°)]\)?|[a-h]\))\s")
_LABEL_GAP = 3
# How far past the division cue its count may begin ("divisé en 1 000 actions").
_DIVISION_GAP = 60
# An unstructured text (no article headings): how far after the division to look for holders.
_FREE_REGION_CHARS = 4000


@dataclass(frozen=True, slots=True)
class CapitalFacts:
    """The division of the capital and the holders the statuts allocate it to."""

    total_shares: Value[int] | None
    unit: str | None  # actions, parts, titres
    shareholders: tuple[ShareholderFacts, ...]
    warnings: tuple[str, ...] = ()
    holders: tuple[Mention, ...] = ()  # who each shareholder is (its founder entry if any)


@dataclass(frozen=True, slots=True)
class _Allocation:
    holder: Mention
    count: ShareCount | None


def parse_capital(doc: StatutsText, spans: Sequence[TextSpan], articles: list[Article],
                  parties: PartiesBlock | None) -> CapitalFacts:  # fmt: skip
    """The total number of shares and each holder's shares and percentage."""
    founders = list(parties.parties) if parties else []
    excluded = (parties.start, parties.end) if parties else (0, 0)
    division = _find_division(doc.text, articles, excluded)
    total = Value(division.value, doc.provenance(division.start, division.end)) \
        if division else None  # fmt: skip
    allocations: list[_Allocation] = []
    regions = _regions(doc.text, articles, division, excluded)
    for start, end in regions:
        allocations = _allocations(doc, spans, start, end, founders)
        if allocations:
            break
    if not allocations and division is not None and regions:
        allocations = _sole_holder(doc, spans, regions[0], founders, division)
    warnings: list[str] = []
    if not allocations and founders:
        if len(founders) == 1 and division is not None:
            allocations = [_Allocation(founders[0], division)]  # a sole founder holds all
        else:
            warnings.append("shareholders: allocation of the shares not found")
            allocations = [_Allocation(f, None) for f in founders]
    holders = _merge(allocations, founders)
    shareholders, more = _shareholders(doc, holders, division)
    return CapitalFacts(total, division.unit if division else None, tuple(shareholders),
                        tuple(warnings + more), tuple(source for source, _, _ in holders))


def _sole_holder(doc: StatutsText, spans: Sequence[TextSpan], region: tuple[int, int],
                 founders: Sequence[Mention], division: ShareCount) -> list[_Allocation]:
    """"Les 100 parts sont attribuées en totalité à M. X": one holder named, all the shares."""
    text = fold_text(doc.text[region[0] : region[1]])
    holders = _holders(doc, spans, region[0], region[1], founders)
    if len(holders) == 1 and _WHOLE.search(text):
        return [_Allocation(holders[0], division)]
    return []


def _find_division(text: str, articles: list[Article],
                   excluded: tuple[int, int]) -> ShareCount | None:  # fmt: skip
    """The "divisé en N actions" count: in a capital article first, else anywhere else."""
    folded = fold_text(text)
    capital = articles_titled(articles, "capital")
    ranges = [(a.start, a.end) for a in capital] + [(0, len(text))]
    for start, end in ranges:
        for m in _DIVISION.finditer(folded, start, end):
            if excluded[0] <= m.start() < excluded[1]:
                continue  # a founder company's own capital
            counts = find_share_counts(text[m.end() : m.end() + _DIVISION_GAP + 40])
            if counts and counts[0].start <= _DIVISION_GAP:
                c = counts[0]
                return ShareCount(c.value, c.unit, m.end() + c.start, m.end() + c.end)
    return None


def _regions(text: str, articles: list[Article], division: ShareCount | None,
             excluded: tuple[int, int]) -> list[tuple[int, int]]:  # fmt: skip
    """Where allocations may be written, most likely first (see the module docstring)."""
    regions: list[tuple[int, int]] = []
    if division is not None:
        article = article_at(articles, division.start)
        end = article.end if article else min(len(text), division.end + _FREE_REGION_CHARS)
        regions.append((division.end, end))
    for group in (("capital", "repartition", "souscription", "liberation"), ("apport",)):
        regions += [(a.body_start, a.end) for a in articles_titled(articles, *group)]
    out: list[tuple[int, int]] = []
    for start, end in regions:
        if excluded[0] < end and start < excluded[1]:  # skip the founders' block
            start = max(start, excluded[1])
        if start < end and (start, end) not in out:
            out.append((start, end))
    return out


def _allocations(doc: StatutsText, spans: Sequence[TextSpan], start: int, end: int,
                 founders: Sequence[Mention]) -> list[_Allocation]:  # fmt: skip
    """Holders named in [start, end) with the count each is given; [] if none has a count."""
    holders = _holders(doc, spans, start, end, founders)
    counts = find_share_counts(doc.text[start:end])
    counts = [ShareCount(c.value, c.unit, start + c.start, start + c.end) for c in counts]
    has_table = bool(_TABLE_HEADER.search(fold_text(doc.text[start:end])))
    column = find_count_column(doc, start, end)
    # "600 actions à M. X, 400 actions à Mme Y": when the first holder's count comes before
    # the name, every count does, and the one after a name belongs to the next holder.
    count_first = bool(holders) and _count_before(doc.text, counts, start, holders[0].start) \
        is not None  # fmt: skip
    out: list[_Allocation] = []
    previous_end = start
    for index, holder in enumerate(holders):
        nxt = holders[index + 1].start if index + 1 < len(holders) else end
        segment_end = _segment_end(doc.text, holder.name_end, nxt)
        after = _count_after(doc.text, counts, holder.name_end, segment_end)
        before = _count_before(doc.text, counts, previous_end, holder.start)
        count = (before or after) if count_first else (after or before)
        if column is not None:  # a table row: its count cell, wherever the name's cell wraps
            row_start = max(doc.text.rfind("\n", start, holder.start) + 1, start)
            following = holders[index + 1].start if index + 1 < len(holders) else None
            count = count_in_column(doc, column, holder.start, following) or count
            holder = _row_founder(doc.text, row_start, nxt, holder, founders)
        if count is None and has_table:
            count = _table_count(doc.text, holder.name_end, segment_end)
        if count is None:
            count = _range_count(doc.text, holder.name_end, segment_end)
        out.append(_Allocation(holder, count))
        previous_end = max(segment_end, holder.name_end) if not count_first else holder.name_end
    return out if any(a.count for a in out) else []


def _holders(doc: StatutsText, spans: Sequence[TextSpan], start: int, end: int,
             founders: Sequence[Mention]) -> list[Mention]:  # fmt: skip
    """Mentions in [start, end), plus founders whose name appears there without a mention."""
    found = find_mentions(doc, spans, start, end, loose=True)
    folded = fold_text(doc.text)
    for founder in founders:
        for key in _name_keys(founder):
            pattern = r"(?<![a-z])" + r"[\s,'-]+".join(re.escape(w) for w in key.split()) \
                + r"(?![a-z])"  # fmt: skip
            for m in re.finditer(pattern, folded[start:end]):
                s, e = start + m.start(), start + m.end()
                clash = [h for h in found if h.start <= e and s <= h.name_end]
                if any(_founder_of(h, founders) for h in clash):
                    continue
                # A reading no founder bears ("Pourcentage\nHenri" across a table's header and
                # first row) gives way to the founder's name found here.
                found = [h for h in found if all(h is not c for c in clash)]
                found.append(replace(founder, start=s, name_end=e, end=e))
    found = sorted(found, key=lambda h: h.start)
    return [_founder_read_through(folded, h, found[i + 1].start if i + 1 < len(found) else end,
                                  founders) for i, h in enumerate(found)]


def _founder_read_through(folded: str, holder: Mention, limit: int,
                          founders: Sequence[Mention]) -> Mention:
    """A person mention naming no founder, as the one founder whose surname follows in its
    item before any figure, with the same first given name: OCR debris inside the name
    (« Madame Nadia Khadiï ja Fatima BENJELLOUN : six cents parts ») cut the mention short."""
    name = holder.person_name
    if holder.kind is not MentionKind.PERSON or name is None or _founder_of(holder, founders):
        return holder
    stop = re.search(r"[\d:;]", folded[holder.start:limit])
    window = folded[holder.start:holder.start + stop.start() if stop else limit]
    first = fold_words(name.first_names or "").split()[:1]
    fits = []
    for founder in founders:
        fname = founder.person_name
        if founder.kind is not MentionKind.PERSON or fname is None or not fname.last_name:
            continue
        surname = re.search(r"(?<![a-z])" + re.escape(fold_words(fname.last_name))
                            + r"(?![a-z])", window)
        if surname and fold_words(fname.first_names or "").split()[:1] == first:
            e = holder.start + surname.end()
            fits.append(replace(founder, start=holder.start, name_end=e, end=e))
    return fits[0] if len(fits) == 1 else holder


def _founder_of(holder: Mention, founders: Sequence[Mention]) -> Mention | None:
    """The founder a holder's mention names, allowing a surname cut off by a cell's wrap."""
    return best_match(holder, founders) or _containing(holder, founders)


def _row_founder(text: str, row_start: int, limit: int, holder: Mention,
                 founders: Sequence[Mention]) -> Mention:  # fmt: skip
    """A table row's holder read from its whole name cell: the row's words before its first
    figure and the figure-free lines its cell wrapped onto ("Monsieur Émile, Jérôme, Stéphane
    11 27,5 %" / "Picard"), when the mention alone names no founder."""
    if _founder_of(holder, founders) is not None:
        return holder
    lines = text[row_start:limit].split("\n")
    first = re.split(r"\d", lines[0], maxsplit=1)[0]
    wrapped = [line for line in itertools.takewhile(lambda x: not re.search(r"\d", x), lines[1:])]
    words = set(fold_words(" ".join([first, *wrapped])).split())
    found = [f for f in founders if _name_words(f) and _name_words(f) <= words]
    if len(found) != 1:
        return holder
    return replace(found[0], start=holder.start, name_end=holder.name_end, end=holder.end)


def _name_words(mention: Mention) -> set[str]:
    """A founder's folded name words, without civility."""
    if mention.kind is MentionKind.COMPANY:
        return set(fold_words(mention.company_name or "").split())
    return set(fold_words(mention.display_name).split())


def _name_keys(mention: Mention) -> list[str]:
    """Folded ways a founder's name may be written again: "dupont jean", "jean dupont"."""
    if mention.kind is MentionKind.COMPANY:
        return [fold_words(mention.company_name or "")] if mention.company_name else []
    name = mention.person_name
    if name is None or not name.last_name:
        return []
    last, first = fold_words(name.last_name), fold_words(name.first_names or "")
    return [k for k in (f"{first} {last}".strip(), f"{last} {first}".strip()) if k]


def _segment_end(text: str, start: int, limit: int) -> int:
    """Where a holder's item stops: ";", a new list item or the sentence's end."""
    stops = [limit, sentence_end(text, start, limit)]
    # Right after the name a ";" is the list's ":" as OCR reads it ("M. X ; 565 actions").
    semicolon = text.find(";", start + _LABEL_GAP, limit)
    if semicolon >= 0:
        stops.append(semicolon)
    item = _ITEM_START.search(text, start, limit)
    if item:
        stops.append(item.start())
    return min(stops)


def _count_after(text: str, counts: Sequence[ShareCount], start: int,
                 end: int) -> ShareCount | None:  # fmt: skip
    """The first count of the holder's item that is not a total."""
    for c in counts:
        if start <= c.start < end and not _is_total(text, start, c.start):
            return c
    return None


def _is_total(text: str, floor: int, pos: int) -> bool:
    """Whether the words before a count on its line (after `floor`) announce a total."""
    line_start = max(floor, text.rfind("\n", 0, pos) + 1)
    return bool(_TOTAL_CUE.search(fold_text(text[line_start:pos])))


def _count_before(text: str, counts: Sequence[ShareCount], floor: int,
                  pos: int) -> ShareCount | None:  # fmt: skip
    """A count just before the holder's name: "500 actions à M. X"."""
    before = [c for c in counts if floor <= c.start and c.end <= pos]
    if before and _COUNT_BEFORE.match(fold_text(text[before[-1].end : pos])):
        return before[-1]
    return None


def _table_count(text: str, start: int, end: int) -> ShareCount | None:
    """A bare number right after the name in a table row ("M. X   510   51 %")."""
    m = _TABLE_NUMBER.match(text[start:end])
    if not m:
        return None
    value = int(re.sub(r"[ .]", "", m.group(1)))
    return ShareCount(value, "", start + m.start(1), start + m.end(1)) if value else None


def _range_count(text: str, start: int, end: int) -> ShareCount | None:
    """The first range of share numbers in a holder's item, as a count."""
    ranges = find_numbered_ranges(text[start:end])
    if not ranges:
        return None
    r = ranges[0]
    return ShareCount(r.value, r.unit, start + r.start, start + r.end)


def _merge(allocations: Sequence[_Allocation],
           founders: Sequence[Mention]) -> list[tuple[Mention, Mention, ShareCount | None]]:
    """(founder or holder for the facts, holder as named here, count), one per holder."""
    out: list[tuple[Mention, Mention, ShareCount | None]] = []
    for allocation in allocations:
        holder = allocation.holder
        founder = best_match(holder, founders) or _containing(holder, founders)
        source = founder or holder
        if any(match_score(source, seen) for seen, _, _ in out):
            continue  # named twice (a recap line): the first allocation stands
        if allocation.count is None and founders and founder is None:
            continue  # a name without shares that no founder bears: not a holder
        out.append((source, holder, allocation.count))
    return out


def _containing(holder: Mention, founders: Sequence[Mention]) -> Mention | None:
    """The one founder whose name holds every word of a holder's cut-off name: a table cell
    wrapped its surname onto the next line ("Anne Marie LE" / "DANTEC")."""
    words = set(fold_words(holder.display_name).split())
    if holder.kind is not MentionKind.PERSON or len(words) < 2:
        return None
    found = [f for f in founders if f.kind is MentionKind.PERSON
             and words < set(fold_words(f.display_name).split())]  # fmt: skip
    return found[0] if len(found) == 1 else None


def _shareholders(doc: StatutsText, holders: Sequence[tuple[Mention, Mention, ShareCount | None]],
                  division: ShareCount | None) -> tuple[list[ShareholderFacts], list[str]]:
    """ShareholderFacts with percentages of the division's total; warnings on the sums."""
    warnings: list[str] = []
    allocated = sum(c.value for _, _, c in holders if c is not None)
    total = division.value if division else allocated
    if division is None and allocated:
        warnings.append("capital: number of shares not found; percentages of the allocated sum")
    elif division is not None and allocated and allocated != division.value:
        warnings.append(f"shareholders: allocations add up to {allocated}, "
                        f"not the {division.value} {division.unit} of the capital")  # fmt: skip
    out: list[ShareholderFacts] = []
    for source, holder, count in holders:
        warnings += [f"page {doc.page_at(source.start)}: shareholder {note}"
                     for note in source.notes]  # fmt: skip
        # A holder found only inside a founder's name (a wrapped cell) is the worse reading.
        named = better_read(source, holder) if match_score(source, holder) else source
        name = Value(named.display_name, doc.provenance(holder.start, holder.name_end))
        shares = pct = None
        if count is not None:
            prov = doc.provenance(count.start, count.end)
            shares = Value(count.value, prov)
            pct = Value(round(count.value / total * 100, 2), prov) if total else None
        out.append(ShareholderFacts(
            name=name, shares=shares, pct=pct,
            person=source.person if source.kind is MentionKind.PERSON else None,
            company_siren=source.siren if source.kind is MentionKind.COMPANY else None,
        ))  # fmt: skip
    return out, warnings
