"""Kbis and other register extracts (INPI RNE attestation, other greffes' layouts) -> facts.

The page is read as labelled rows (register_rows, labels in kbis_labels); the company's
fields come from the rows outside the management section, the officers from that section
(register_officers), the document date from the register's dated statements (register_dates).
The SIREN is read from the RCS / SIREN rows, never from the EUID (../shared/DOMAIN.md §3.1).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Levenshtein

from extractors.fields.company_sentence import read_company_sentence, to_company_facts
from extractors.fields.kbis_labels import REGISTER_LABELS
from extractors.fields.register_columns import is_role_heading
from extractors.fields.register_dates import parse_document_date
from extractors.fields.register_officers import find_section, read_officers
from extractors.fields.register_rows import Row, clean_value, read_rows
from extractors.french.amounts import find_amounts
from extractors.french.folding import fold_text, fold_words
from extractors.french.identifiers import find_identifiers, parse_siren, select_siren
from extractors.french.legal_forms import normalise_legal_form
from extractors.layout import Line, document_lines
from kanta_docs.facts import CompanyFacts, DocumentFacts, OfficerFacts, Value

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Page, Provenance

# Below this confidence (0-1) a value gets a warning for the firm's staff to check it.
LOW_CONFIDENCE = 0.7

# The words of the long legal-form wordings, for repairing OCR slips in them.
_FORM_WORDS = frozenset({
    "societe", "par", "actions", "simplifiee", "responsabilite", "limitee", "anonyme", "nom",
    "collectif", "commandite", "simple", "civile", "immobiliere", "professionnelle", "moyens",
    "construction", "vente", "cooperative", "exercice", "liberal", "forme", "unipersonnelle",
    "associe", "unique", "entreprise", "groupement", "interet", "economique", "europeenne",
    "entrepreneur", "individuel", "individuelle", "conseil", "administration", "directoire",
    "surveillance", "capital", "variable",
})
_SOLE_FORMS = {"SAS": "SASU", "SARL": "EURL", "SELAS": "SELASU", "SELARL": "SELARLU"}
_BOUND_BEFORE = re.compile(r"(?:maximum|maximal|plafond|max|minimum|minimal|min|plancher)"
                           r"[\s:.]*(?:de\s+|d')?$")
_MINIMUM_BEFORE = re.compile(r"(?:minimum|minimal|min|plancher)[\s:.]*(?:de\s+|d')?$")
# INPI attestation: « … concernant l'entreprise X, sont inscrites au Registre national … ».
_CONCERNING = re.compile(r"concernant\s+l'entreprise\s+(?P<name>.+?),?\s+(?:sont|est)\s+inscrit",
                         re.DOTALL)


def parse_kbis(pages: Sequence[Page]) -> DocumentFacts:
    """Pages of a Kbis / RNE extract -> company, document date and officers, with provenance."""
    lines = document_lines(pages)
    rows = read_rows(lines, REGISTER_LABELS, heads=is_role_heading)
    section = find_section(lines)
    company_rows = [r for r in rows if section is None or r.line_index not in section]
    warnings: list[str] = []
    company = _company(lines, company_rows, section, warnings)
    document_date, date_warnings = parse_document_date(lines)
    warnings += date_warnings
    officer_list, officer_warnings = read_officers(lines, rows)
    officers = tuple(officer_list)
    warnings += officer_warnings
    if not officers:
        warnings.append("no officer found")
    warnings += _confidence_warnings(company, officers, document_date)
    return DocumentFacts(document_date=document_date, company=company, officers=officers,
                         warnings=tuple(warnings))


def _first(rows: Sequence[Row], *keys: str) -> Row | None:
    """The first row with one of `keys` and a value."""
    return next((r for r in rows if r.key in keys and r.value), None)


def _company(lines: Sequence[Line], rows: Sequence[Row], section: range | None,
             warnings: list[str]) -> CompanyFacts:
    """The company block from the identification rows (and the header sentence, the footer)."""
    identity_end = section.start if section is not None else len(lines)
    name = _first(rows, "name")
    form = _first(rows, "legal_form")
    capital = _first(rows, "capital")
    seat = _first(rows, "seat") or _first([r for r in rows if r.line_index < identity_end],
                                          "address")
    company = CompanyFacts(
        siren=_siren(lines, rows, identity_end, warnings),
        name=Value(name.value, name.provenance()) if name else _name_from_sentence(lines),
        legal_form=_legal_form(form, _first(rows, "sole_associate"), warnings),
        capital_eur=_capital(capital, warnings),
        address=Value(seat.value, seat.provenance()) if seat else None,
    )
    if company.name is None or company.legal_form is None or company.address is None:
        company = _with_sentence(company, lines[:identity_end])
    for key in ("siren", "name", "legal_form", "address"):
        if getattr(company, key) is None:
            warnings.append(f"company {key.replace('_', ' ')} not found")
    return company


def _with_sentence(company: CompanyFacts, lines: Sequence[Line]) -> CompanyFacts:
    """`company` with the name, form and address it lacks read from a sentence that identifies
    the company ("Société X, SAS au capital de …, dont le siège est …": `company_sentence`)."""
    starts: list[int] = []
    text = ""
    for line in lines:
        starts.append(len(text) + (1 if text else 0))
        text = f"{text} {line.text}" if text else line.text

    def provenance(start: int, end: int) -> Provenance | None:
        index = max((i for i, s in enumerate(starts) if s <= start), default=None)
        return None if index is None else lines[index].provenance(text[start:end], 0.9)

    found = to_company_facts(read_company_sentence(text, starts), provenance)
    return replace(company, name=company.name or found.name,
                   legal_form=company.legal_form or found.legal_form,
                   address=company.address or found.address)  # fmt: skip


def _siren(lines: Sequence[Line], rows: Sequence[Row], identity_end: int,
           warnings: list[str]) -> Value[str] | None:
    """The company's SIREN: from its RCS / SIREN rows, else from the identification text."""
    found: dict[str, Row] = {}
    labelled = [r for r in rows if r.key in ("rcs", "siren") and r.value]
    for row in labelled:
        siren = parse_siren(f"{row.label} {row.value}")
        if siren is not None:
            found.setdefault(siren, row)
    if len(found) == 1:
        siren, row = next(iter(found.items()))
        return Value(siren, row.provenance())
    if len(found) > 1:
        warnings.append("company SIREN ambiguous: the RCS and SIREN rows disagree")
        return None
    if labelled:
        warnings.append("company SIREN unreadable on its RCS/SIREN row (check digits fail)")
    for line in lines[:identity_end] or lines:
        matches = find_identifiers(line.text)
        candidates = [m for m in matches if m.kind.value in ("rcs", "siren")]
        siren = select_siren(candidates)
        if siren is not None:
            printed = next(m.text for m in candidates if m.siren == siren)
            return Value(siren, line.provenance(printed, 0.8))  # unlabelled: less sure
    return None


def _name_from_sentence(lines: Sequence[Line]) -> Value[str] | None:
    """The company name from the INPI attestation's opening sentence; None if absent."""
    for index in range(len(lines)):
        chunk = lines[index : index + 3]
        text = " ".join(line.text for line in chunk)
        m = _CONCERNING.search(fold_text(text))
        if m and m.start("name") < len(lines[index].text) + 1:
            name = clean_value(text[m.start("name") : m.end("name")])
            return Value(name, lines[index].provenance(name, 0.9)) if name else None
    return None


def _legal_form(row: Row | None, sole: Row | None, warnings: list[str]) -> Value[str] | None:
    """The form's abbreviation; a SAS/SARL stated to have a sole associate is a SASU/EURL."""
    if row is None:
        return None
    form = normalise_legal_form(row.value) or normalise_legal_form(_repair_form_words(row.value))
    if form is None:
        warnings.append("company legal form not recognised")
        return None
    if sole is not None and fold_words(sole.value).startswith("oui"):
        form = _SOLE_FORMS.get(form, form)
    return Value(form, row.provenance())


def _repair_form_words(text: str) -> str:
    """Legal-form wording with one-letter OCR slips repaired ("Société pat actions" -> "par")."""
    words = []
    for word in fold_words(text).split():
        word = word.replace("rn", "m") if word.replace("rn", "m") in _FORM_WORDS else word
        if word not in _FORM_WORDS and len(word) >= 3:
            close = [w for w in _FORM_WORDS if Levenshtein.distance(word, w) <= 1]
            word = close[0] if len(close) == 1 else word
        words.append(word)
    return " ".join(words)


def parse_capital(text: str) -> float | None:
    """« 1 000,00 Euros (capital variable, minimum : 100,00 Euros) » -> 1000.0; None if none.

    A variable capital's minimum and maximum are not the capital unless nothing else is given,
    then the minimum is.
    """
    folded = fold_text(text)
    amounts = find_amounts(text)
    current = [a for a in amounts if not _BOUND_BEFORE.search(folded[: a.start])]
    if current:
        return current[0].value
    minimum = [a for a in amounts if _MINIMUM_BEFORE.search(folded[: a.start])]
    return minimum[0].value if minimum else None


def _capital(row: Row | None, warnings: list[str]) -> Value[float] | None:
    """The capital row's amount; None (with a warning) when it holds none."""
    if row is None:
        return None
    value = parse_capital(row.value)
    if value is None:
        warnings.append("company capital unreadable")
        return None
    return Value(value, row.provenance())


def _confidence_warnings(company: CompanyFacts, officers: Sequence[OfficerFacts],
                         document_date: Value[Any] | None) -> list[str]:
    """Warnings for values read with low confidence (OCR, fuzzy labels)."""
    checks: list[tuple[str, Value[Any] | None]] = [
        ("document date", document_date), ("company SIREN", company.siren),
        ("company name", company.name), ("company legal form", company.legal_form),
        ("company capital", company.capital_eur), ("company address", company.address),
    ]
    checks += [("officer name", o.person.last_name) for o in officers]
    return [f"page {v.provenance.page}: {label} read with low confidence"
            for label, v in checks
            if v is not None and v.provenance is not None and v.confidence < LOW_CONFIDENCE]
