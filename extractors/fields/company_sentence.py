"""The company as one sentence states it: name, legal form, capital, registered office, SIREN.

Shared by the parsers of documents that identify the company in prose rather than in labelled
fields (beneficial-owner extracts, statuts covers):

    "Société DUMAS TRANSPORTS, société par actions simplifiée au capital de 10 000 euros, dont le
    siège est 12 rue X 69003 Lyon, immatriculée au RCS de Lyon sous le numéro 679 535 757"
    "DUMAS TRANSPORTS, SAS au capital de 10 000 €, ayant son siège social à 12 rue X 69003 Lyon,
    RCS Lyon 679 535 757"
    "Dénomination : DUMAS TRANSPORTS — Forme : SAS — Capital : 10 000 € — Siège : …"

`read_company_sentence` returns each value with its [start, end) offsets in the text, so that
every caller builds the provenance its own text model allows (`to_company_facts`). The name is
read only where a legal form, "au capital" or a "Dénomination :" label marks it; the SIREN only
from a number the identifier helpers accept (check digit, "RCS …" / "SIREN" cue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from extractors.french.amounts import find_amounts
from extractors.french.folding import fold_text
from extractors.french.identifiers import find_identifiers, select_siren
from extractors.french.legal_forms import normalise_legal_form
from kanta_docs.facts import CompanyFacts, Value

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from kanta_docs.models import Provenance

T = TypeVar("T")

# "au capital de", "Capital social : " -> an amount within CAPITAL_GAP characters.
CAPITAL_CUE = re.compile(
    r"(?<![a-z])au\s+capital(?:\s+social)?\s+(?:de\s+)?|(?<![a-z])capital(?:\s+social)?\s*:\s*"
)
CAPITAL_GAP = 40
_AU_CAPITAL = re.compile(r"(?<![a-z])au\s+capital\b")
# "dont le siège (social) est (situé) à", "ayant son siège social à", "Siège : ".
SEAT_CUE = re.compile(
    r"(?:dont\s+le\s+|ayant\s+(?:son|le)\s+|avec\s+(?:son|le)\s+|le\s+)?"
    r"si[eè]ge(?:\s+social)?(?:\s+est)?(?:\s+(?:situ[eé]|sis|fix[eé]|[eé]tabli))?"
    r"\s*(?:au|aux|à|a|en|:|-)?\s*(?=\S)"
)
POSTCODE = re.compile(r"(?<![\d\w])(?:\d{5}|\d{2}\s\d{3})(?![\d])")
_NOT_POSTCODE = re.compile(r"(?:cs|bp|tsa|cedex|case)\s*$")
# A town ends at punctuation, a spaced dash, or where the registration clause begins.
_CITY_END = re.compile(
    r"[.,;(\n|]|\s[-–—]\s|\s+(?:immatricul|inscrit|rcs\b|siren\b|repr[eé]sent|sous\s+le)"
    r"|$",
    re.IGNORECASE,
)
_MAX_ADDRESS_CHARS = 160
_MAX_NAME_WORDS = 8
# Labelled parts of a one-line statement, each ending at a separator.
_LABELS = {
    "name": re.compile(r"(?<![a-z])(?:d[eé]nomination|raison)(?:\s+sociale)?\s*:\s*"),
    "form": re.compile(r"(?<![a-z])forme(?:\s+juridique)?\s*:\s*"),
}
_PART_END = re.compile(r"\s+[-–—|]\s+|[;|\n]|\s{3,}|$")
# Where a name stops: a comma, a spaced dash, a bracket, a long legal form or "au capital".
_NAME_END = re.compile(
    r"\s*(?:,|\(|\s[-–—]\s)|\s+(?=(?:soci[eé]t[eé]|entreprise|au\s+capital)\b)", re.IGNORECASE
)
# What may introduce the name: "(La) Société", "l'entreprise", "dénommée".
_NAME_LEAD = re.compile(
    r"(?:(?:la|une|de\s+la)\s+)?(?:soci[eé]t[eé]|entreprise|ste)\s+(?:d[eé]nomm[eé]e\s+)?"
    r"|d[eé]nomm[eé]e\s+",
    re.IGNORECASE,
)
_FORM_ZONE_END = re.compile(r"(?<![a-z])au\s+capital|,|\bdont\b|\bayant\b|\bimmatricul|$")
_STRAY = " ,;:.-–—«»\"“”"
_ABBREVIATED_FORM = re.compile(
    r"\s+(?:S\.?A\.?S\.?U?|S\.?A\.?R\.?L\.?|EURL|SA|SNC|SCI|SELARL|SELAS)$"
)


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """A value and the [start, end) offsets of the text it was read from."""

    value: T
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    """What a company sentence states; None for what it does not."""

    name: Found[str] | None = None
    legal_form: Found[str] | None = None
    capital_eur: Found[float] | None = None
    address: Found[str] | None = None
    siren: Found[str] | None = None


def read_company_sentence(text: str, line_starts: Sequence[int] = ()) -> SentenceFacts:
    """A text that identifies a company (module docstring) -> its facts with offsets.

    `line_starts` are the offsets where the text's lines (joined by spaces) begin: a name
    that no "Société" introduces starts at its line's start, not at the title above."""
    folded = fold_text(text)
    name = _labelled(text, folded, "name") or _sentence_name(text, folded, line_starts)
    form = _labelled_form(text, folded) or _sentence_form(text, folded, name)
    return SentenceFacts(name=name, legal_form=form, capital_eur=find_capital(text, folded),
                         address=find_seat(text, folded), siren=find_siren(text))  # fmt: skip


def to_company_facts(
    facts: SentenceFacts, provenance: Callable[[int, int], Provenance | None]
) -> CompanyFacts:
    """The sentence's facts as company facts; `provenance(start, end)` locates a span."""

    def value(found: Found[T] | None) -> Value[T] | None:
        return None if found is None else Value(found.value, provenance(found.start, found.end))

    return CompanyFacts(siren=value(facts.siren), name=value(facts.name),
                        legal_form=value(facts.legal_form), capital_eur=value(facts.capital_eur),
                        address=value(facts.address))  # fmt: skip


def find_capital(text: str, folded: str | None = None) -> Found[float] | None:
    """The amount after "au capital de" / "Capital social :"."""
    folded = fold_text(text) if folded is None else folded
    for cue in CAPITAL_CUE.finditer(folded):
        window = text[cue.end() : cue.end() + CAPITAL_GAP + 40]
        amounts = [a for a in find_amounts(window) if a.start <= CAPITAL_GAP]
        if amounts:
            a = amounts[0]
            return Found(a.value, cue.end() + a.start, cue.end() + a.end)
    return None


def find_seat(text: str, folded: str | None = None) -> Found[str] | None:
    """The registered office after a seat cue, up to the town after its postcode; only an
    address with a number (street or postcode) counts."""
    folded = fold_text(text) if folded is None else folded
    for cue in SEAT_CUE.finditer(folded):
        at = cue.end()
        limit = min(len(text), at + _MAX_ADDRESS_CHARS)
        stop = address_end(text, folded, at, limit)
        if stop is None:
            continue
        raw = " ".join(text[at:stop].split()).strip(" ,;:.-")
        if raw and any(c.isdigit() for c in raw) and POSTCODE.search(raw):
            return Found(raw, at, stop)
    return None


def address_end(text: str, folded: str, start: int, limit: int) -> int | None:
    """Where an address that starts at `start` ends: after the town following its postcode
    (a "CS" / "BP" number is no postcode); None when no postcode comes before `limit`."""
    for m in POSTCODE.finditer(folded, start, limit):
        if _NOT_POSTCODE.search(folded[max(start, m.start() - 8) : m.start()]):
            continue
        city_end = _CITY_END.search(text, m.end(), limit)
        return city_end.start() if city_end else limit
    return None


def find_siren(text: str) -> Found[str] | None:
    """The SIREN of the sentence: a valid number with its cue ("RCS Lyon 679 535 757")."""
    matches = [m for m in find_identifiers(text) if m.is_valid]
    siren = select_siren(matches)
    if siren is None:
        return None
    hit = next(m for m in matches if m.siren == siren)
    return Found(siren, hit.start, hit.end)


def _labelled(text: str, folded: str, label: str) -> Found[str] | None:
    """The value after "Dénomination :" (or another label) up to the next separator."""
    cue = _LABELS[label].search(folded)
    if cue is None:
        return None
    end = _PART_END.search(text, cue.end())
    stop = end.start() if end else len(text)
    return _span(text, cue.end(), stop)


def _labelled_form(text: str, folded: str) -> Found[str] | None:
    """The legal form after "Forme (juridique) :"."""
    found = _labelled(text, folded, "form")
    form = normalise_legal_form(found.value) if found else None
    return Found(form, found.start, found.end) if form and found else None


def _sentence_name(text: str, folded: str, line_starts: Sequence[int]) -> Found[str] | None:
    """The name that opens a company sentence, before its legal form or "au capital"."""
    cue = _AU_CAPITAL.search(folded)
    limit = cue.start() if cue else len(text)
    lead = _NAME_LEAD.search(text, 0, limit)
    start = lead.end() if lead else max((s for s in line_starts if s < limit), default=0)
    while start < limit and text[start] in _STRAY:
        start += 1
    end = _NAME_END.search(text, start, limit)
    stop = end.start() if end else limit
    raw = text[start:stop]
    at_capital = stop == limit or folded[stop:].lstrip().startswith("au capital")
    trimmed = _ABBREVIATED_FORM.sub("", raw.rstrip()) if at_capital else raw
    found = _span(text, start, start + len(trimmed.rstrip()))
    if found is None or not (found.value[:1].isupper() or found.value[:1].isdigit()):
        return None
    if len(found.value.split()) > _MAX_NAME_WORDS:
        return None
    if normalise_legal_form(found.value) and len(found.value.split()) == 1:
        return None  # "SAS" alone is a form, not a name
    # The name must be followed by what makes this a company sentence.
    if cue is None and _form_clause(text, folded, stop) is None:
        return None
    return found


def _form_clause(text: str, folded: str, start: int) -> Found[str] | None:
    """The legal form in the clause that starts at `start` (", société par actions simplifiée
    au capital …"): up to "au capital", "dont", "ayant", "immatriculée" or the next comma."""
    while start < len(text) and text[start] in _STRAY:
        start += 1
    end = _FORM_ZONE_END.search(folded, start)
    stop = end.start() if end else len(text)
    while stop > start and text[stop - 1] in _STRAY:
        stop -= 1
    form = normalise_legal_form(text[start:stop]) if stop > start else None
    return Found(form, start, stop) if form else None


def _sentence_form(text: str, folded: str, name: Found[str] | None) -> Found[str] | None:
    """The legal form after the name, else closing the name's clause ("DUMAS SAS au capital")."""
    if name is None:
        return None
    found = _form_clause(text, folded, name.end)
    if found is None:
        end = _FORM_ZONE_END.search(folded, name.end)
        stop = end.start() if end else len(text)
        form = normalise_legal_form(text[name.start : stop])
        # Only a form printed after the name: "SAS DUMAS" is a name, not a form.
        found = Found(form, name.end, stop) if form and name.end < stop else None
    return found


def _span(text: str, start: int, stop: int) -> Found[str] | None:
    """The tidied text of [start, stop) with its trimmed offsets; None when empty."""
    while start < stop and text[start] in _STRAY:
        start += 1
    while stop > start and text[stop - 1] in _STRAY:
        stop -= 1
    value = " ".join(text[start:stop].split())
    return Found(value, start, stop) if value else None
