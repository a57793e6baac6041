"""Statuts (articles of association of an SAS, SASU, SARL, EURL, SCI, SNC, SA…) -> facts.

Read top to bottom, the stages (each in its own module, each pure):

1. One flowing text without running headers/footers, every span traceable to its words
   (`statuts_text`), and its articles (`statuts_articles`).
2. spaCy's French NER plus the civil-status rule component (`extractors.nlp`): names with a
   civility, "la société X", "né(e) le", "de nationalité", "demeurant", roles, appointments.
3. The founders' block "LES SOUSSIGNÉS" (`statuts_parties`), the capital's division and its
   allocation to holders (`statuts_capital`), the officers appointed (`statuts_officers`), the
   company itself (`statuts_company`) and the signature date (`statuts_dates`).

Shareholders are the holders of the allocation; officers are those the statuts appoint; the
statuts name no beneficial owners and have no expiry date. Values read from OCR with low
confidence get a warning naming the field and page, never its content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractors.fields.statuts_articles import find_articles
from extractors.fields.statuts_capital import parse_capital
from extractors.fields.statuts_company import parse_company
from extractors.fields.statuts_dates import parse_document_date
from extractors.fields.statuts_officers import parse_officers
from extractors.fields.statuts_parties import find_parties
from extractors.fields.statuts_text import build_statuts_text
from extractors.nlp import analyse_text
from kanta_docs.facts import DocumentFacts, PersonFacts, Value

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from extractors.fields.statuts_parties import PartiesBlock
    from kanta_docs.facts import CompanyFacts, OfficerFacts, ShareholderFacts
    from kanta_docs.models import Page

# Below this mean OCR confidence (0-1) over a value's words, the value gets a warning.
LOW_CONFIDENCE = 0.70
# Where the cover ends when the statuts have neither a founders' block nor articles.
_COVER_CHARS = 1500


def parse_statuts(pages: Sequence[Page]) -> DocumentFacts:
    """Statuts pages -> company, shareholders, officers and signature date, with provenance."""
    doc = build_statuts_text(pages)
    spans = analyse_text(doc.text)
    articles = find_articles(doc.text)
    parties = find_parties(doc, spans)
    capital = parse_capital(doc, spans, articles, parties)
    bounds = [a.start for a in articles[:1]] + ([parties.start] if parties else [])
    cover_end = min(bounds, default=min(len(doc.text), _COVER_CHARS))
    sole_holder = _has_sole_holder(capital.shareholders, parties)
    result = parse_company(doc, articles, cover_end, sole_holder)
    officers = parse_officers(doc, spans, articles, parties, capital.holders)
    document_date, date_warnings = parse_document_date(doc)
    warnings = [*result.warnings, *capital.warnings, *date_warnings]
    if not capital.shareholders:
        warnings.append("shareholders not found")
    warnings += _confidence_warnings(result.company, capital.shareholders, officers,
                                     document_date)  # fmt: skip
    return DocumentFacts(
        document_date=document_date,
        company=result.company,
        officers=tuple(officers),
        shareholders=capital.shareholders,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _has_sole_holder(shareholders: Sequence[ShareholderFacts],
                     parties: PartiesBlock | None) -> bool:
    """Whether one associate holds the company: a single holder of every share, or a single
    founder "LE SOUSSIGNÉ" when no allocation was read."""
    if len(shareholders) == 1:
        pct = shareholders[0].pct
        return pct is None or abs(pct.value - 100.0) < 0.01
    return not shareholders and parties is not None and parties.is_singular \
        and len(parties.parties) == 1


def _confidence_warnings(company: CompanyFacts, shareholders: Sequence[ShareholderFacts],
                         officers: Sequence[OfficerFacts],
                         document_date: Value[Any] | None) -> list[str]:  # fmt: skip
    """"page N: <field> read with low OCR confidence" for each weakly read value."""
    named: list[tuple[str, Value[Any] | None]] = [
        ("document date", document_date),
        ("company name", company.name), ("company SIREN", company.siren),
        ("company capital", company.capital_eur), ("company address", company.address),
    ]  # fmt: skip
    for holder in shareholders:
        named += [("shareholder name", holder.name), ("shareholder shares", holder.shares)]
        named += _person_values("shareholder", holder.person)
    for officer in officers:
        named += _person_values("officer", officer.person)
    warnings = []
    for label, value in named:
        if value is not None and value.provenance is not None \
                and value.provenance.confidence < LOW_CONFIDENCE:  # fmt: skip
            warnings.append(f"page {value.provenance.page}: {label} read with low OCR confidence")
    return warnings


def _person_values(role: str,
                   person: PersonFacts | None) -> Iterable[tuple[str, Value[Any] | None]]:
    """A person's checked values, labelled for warnings."""
    if person is None:
        return []
    return [(f"{role} name", person.last_name), (f"{role} birth date", person.birth_date),
            (f"{role} nationality", person.nationality)]  # fmt: skip
