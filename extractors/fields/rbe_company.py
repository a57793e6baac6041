"""The company a beneficial-owner document is about, and the date the document speaks for.

Company values come from the entries outside the owners' blocks: "Dénomination", "Forme
juridique", "Adresse du siège", "Numéro d'identification (SIREN)" / "Immatriculation", and
the one-line form of RNE listings ("Entreprise : NEXTO - SIREN 928304179 - Société à
responsabilité limitée"). The capital is read only where printed ("Capital social : …").
Values no labelled field gives are read from a sentence that identifies the company ("Société
DUMAS, SAS au capital de …, dont le siège est …, RCS Lyon 679 535 757": `company_sentence`).

Document date, by precedence (CONTRACT.md: "an RBE extract's or filing's date"):
1. the state date of a register extract: "à jour au", "à la date du", "situation au";
2. its issue date: "délivré le", "édité le", "Date de l'extrait", "Date de délivrance";
3. a filing's signature date: "Fait à …, le …", "Caen, le …", "Date de signature", "Date :",
   "Signé le";
4. the filing's deposit date: "déposé le", "Date de dépôt".
An extract speaks for the register on the day it was drawn up, even when it quotes the older
filing it reproduces; a filing speaks for the day it was signed, and the greffe's deposit
stamp only when no signature date is readable. Within one rank the first date wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from extractors.fields.company_sentence import read_company_sentence, to_company_facts
from extractors.fields.rbe_labels import Key
from extractors.french.amounts import find_amounts, parse_amount_eur
from extractors.french.dates import find_dates
from extractors.french.folding import fold_text
from extractors.french.identifiers import find_identifiers, parse_siren, select_siren
from extractors.french.legal_forms import normalise_legal_form
from kanta_docs.facts import CompanyFacts, Value

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from extractors.fields.rbe_entry import Entry
    from extractors.fields.rbe_lines import FormLine
    from kanta_docs.models import Provenance, Word

_DATE_CUES: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:a jour (?:au|du)|a la date du|situation au|etat au|arretee? au)\s*:?\s*"),
    re.compile(
        r"(?:delivre|edite|etabli|genere|imprime|emis|produit)e?s?\s+le\s*:?\s*"
        r"|date (?:de l'extrait|d'edition|de delivrance|d'emission|du document"
        r"|de l'attestation|de generation)\s*:?\s*"
    ),
    re.compile(
        r"fait a [^,;|]{1,40}?(?:,\s*|\s+)le\s*:?\s*|(?<![a-z])(?:signee?|fait) le\s*:?\s*"
        r"|date de (?:la )?signature\s*:?\s*|^date\s*:\s*|^[a-z][a-z' -]{1,40},\s*le\s+"
        r"|^le\s+(?=\d|[a-z]+ \d)"
    ),
    re.compile(r"deposee? le\s*:?\s*|date (?:de|du) depot\s*:?\s*"),
)
_DATE_MAX_CHARS = 45  # "le mercredi vingt-deux septembre deux mille vingt" still fits
# Parts of a one-line company statement: "NEXTO - SIREN 928304179 - SARL".
_PART_SPLIT = re.compile(r"\s+[-–—|]\s+|\s*[,;]?\s+(?=(?:siren|rcs|siret|n°)\b)", re.IGNORECASE)
_IDENTIFIER_WORD = re.compile(r"(?<![a-z])(?:siren|siret|rcs|n)(?![a-z])")
_CAPITAL_CUE = re.compile(r"(?<![a-z])capital(?: social)?\s*(?:de|:)?\s*")
_STRAY = ".:;|,'\"“”‘’ "
_LONG_FORM_START = re.compile(r"(?:societe|ste|entreprise|groupement|association|entrepreneur)\b")
_SIREN_DIGITS = 9
# Values read from prose rather than from a labelled field.
_SENTENCE_CONFIDENCE = 0.9
_BOXED_DIGITS = re.compile(r"(?<![\d])\d(?:[ .]\d){8,13}(?!\d)")


@dataclass(frozen=True, slots=True)
class CompanyReading:
    """The company facts and what could not be read."""

    company: CompanyFacts
    warnings: tuple[str, ...]


def read_company(outside: Sequence[Entry]) -> CompanyReading:
    """Entries outside the owners -> the company's facts; values not printed are None."""
    name_entry = next((e for e in outside if e.key is Key.COMPANY_NAME and _is_name(e.value)),
                      None)  # fmt: skip
    parts = _parts(name_entry.value) if name_entry else []
    name = _name(parts)
    form = _legal_form(outside, parts)
    siren, siren_warning = _siren(outside, parts)
    address = _first(outside, Key.SEAT_ADDRESS)
    company = CompanyFacts(
        siren=siren,
        name=Value(name, name_entry.provenance()) if name and name_entry else None,
        legal_form=form,
        capital_eur=_capital(outside),
        address=Value(_tidy(address.value), address.provenance()) if address else None,
    )
    if None in (company.name, company.siren, company.legal_form, company.address):
        company = _with_sentence(company, outside)
        siren_warning = "" if company.siren is not None else siren_warning
    warnings = [w for w in (siren_warning,) if w]
    if company.name is None:
        warnings.append("company name not found")
    return CompanyReading(company, tuple(warnings))


def _with_sentence(company: CompanyFacts, outside: Sequence[Entry]) -> CompanyFacts:
    """`company` with the values it lacks read from a sentence that identifies the company
    ("Société X, SAS au capital de …, dont le siège est …, RCS Lyon …"): the entries outside
    the owners read as one text (a sentence wraps over several lines)."""
    spans: list[tuple[int, int, Entry]] = []
    text = ""
    for entry in outside:
        statement = _reading_order(entry) or " ".join(entry.statement.split())
        if not statement:
            continue
        start = len(text) + (1 if text else 0)
        text = f"{text} {statement}" if text else statement
        spans.append((start, len(text), entry))

    def provenance(start: int, end: int) -> Provenance | None:
        entry = next((e for s, e_end, e in spans if s <= start < e_end), None)
        if entry is None:
            return None
        return replace(entry.provenance(confidence=_SENTENCE_CONFIDENCE), text=text[start:end])

    sentence = read_company_sentence(text, [start for start, _, _ in spans])
    found = to_company_facts(sentence, provenance)
    return CompanyFacts(siren=company.siren or found.siren, name=company.name or found.name,
                        legal_form=company.legal_form or found.legal_form,
                        capital_eur=company.capital_eur or found.capital_eur,
                        address=company.address or found.address)  # fmt: skip


def _reading_order(entry: Entry) -> str:
    """An unlabelled entry's words line by line, left to right (a sentence whose first line OCR
    cut into two cells reads in order); "" for a labelled entry."""
    if entry.label or entry.key is not None or not entry.words:
        return ""
    # A word belongs to the line whose height holds its middle: a line's words rise or fall
    # along a page scanned slightly askew, an accented capital stands taller.
    lines: list[tuple[list[Word], list[float]]] = []  # words, [top, bottom]
    for word in sorted(entry.words, key=lambda w: (w.top, w.x0)):
        middle = (word.top + word.bottom) / 2
        line = next((ln for ln in lines if ln[1][0] <= middle <= ln[1][1]), None)
        if line is None:
            lines.append(([word], [word.top, word.bottom]))
            continue
        line[0].append(word)
        line[1][0], line[1][1] = min(line[1][0], word.top), max(line[1][1], word.bottom)
    ordered = sorted(lines, key=lambda ln: ln[1][0])
    return " ".join(w.text for words, _ in ordered for w in sorted(words, key=lambda w: w.x0))


def _is_name(value: str) -> bool:
    """Whether a company-name value can be a name: it starts with a capital or a digit (a
    sentence that runs on after the word "société" starts with a small letter)."""
    first = next((c for c in _tidy(value) if c.isalnum()), "")
    return bool(first) and not first.islower()


def _first(entries: Sequence[Entry], key: Key) -> Entry | None:
    """The first entry for `key` with a non-empty value."""
    return next((e for e in entries if e.key is key and _tidy(e.value)), None)


def _tidy(text: str) -> str:
    """A value with single spaces and no stray punctuation at its ends."""
    return " ".join(text.split()).strip(_STRAY)


def _parts(value: str) -> list[str]:
    """A company value split where it joins name, number and form with dashes or bars."""
    return [p for p in (_tidy(p) for p in _PART_SPLIT.split(value)) if p]


def _is_form_part(part: str) -> bool:
    """Whether a part is only a legal form ("Société par actions simplifiée", "SARL"), not a
    name that ends with one ("KANTA SAS")."""
    if normalise_legal_form(part) is None:
        return False
    return bool(_LONG_FORM_START.match(fold_text(part))) or len(part.split()) == 1


def _name(parts: Sequence[str]) -> str | None:
    """The company name: the first part that is neither a number nor only a legal form."""
    if len(parts) <= 1:
        return parts[0] if parts else None
    for part in parts:
        if find_identifiers(part) or _IDENTIFIER_WORD.match(fold_text(part)):
            continue
        if not _is_form_part(part):
            return part
    return None


def _legal_form(outside: Sequence[Entry], parts: Sequence[str]) -> Value[str] | None:
    """The legal form from "Forme juridique", else from the one-line company statement."""
    entry = _first(outside, Key.LEGAL_FORM)
    if entry is not None:
        form = normalise_legal_form(entry.value)
        return Value(form, entry.provenance()) if form else None
    name_entry = _first(outside, Key.COMPANY_NAME)
    for part in parts[1:]:
        form = normalise_legal_form(part)
        if form and name_entry:
            return Value(form, name_entry.provenance())
    return None


def _siren(outside: Sequence[Entry], parts: Sequence[str]) -> tuple[Value[str] | None, str]:
    """The SIREN from its label, the company line, else any number outside the owners."""
    labelled = [e for e in outside if e.key is Key.SIREN and e.value]
    for entry in labelled:
        siren = parse_siren(entry.value) or parse_siren(_join_digits(entry.value))
        if siren:
            return Value(siren, entry.provenance()), ""
    for entry in labelled:
        siren = _digits_only(entry.value)
        if siren:  # OCR noise inside the number ("679*:535 757"), the check digit holds
            return Value(siren, entry.provenance(confidence=0.7)), ""
    name_entry = _first(outside, Key.COMPANY_NAME)
    for part in parts:
        siren = parse_siren(part)
        if siren and name_entry:
            return Value(siren, name_entry.provenance()), ""
    for entry in outside:
        if entry.key in (Key.COMPANY_NAME, Key.SIREN, None):
            siren = select_siren(find_identifiers(entry.statement))
            if siren:
                return Value(siren, entry.provenance(confidence=0.8)), ""
    if labelled:
        return None, f"page {labelled[0].page}: company SIREN unreadable"
    return None, "company SIREN not found"


def _join_digits(text: str) -> str:
    """Digits printed one per box ("7 9 2 3 1 9 2 3 8") joined ("792319238")."""
    return _BOXED_DIGITS.sub(lambda m: re.sub(r"[ .]", "", m.group()), text)


def _digits_only(text: str) -> str | None:
    """The digits of a SIREN field's first number-like run, when they are 9 and valid (OCR
    may read each box of a boxed number as a cell of its own: "3 | 0 | 7 | … ")."""
    run = re.match(r"[\s\d.*:,'`|-]+", text.strip())
    digits = re.sub(r"\D", "", run.group()) if run else ""
    return digits if len(digits) == _SIREN_DIGITS and parse_siren(digits) == digits else None


def _capital(outside: Sequence[Entry]) -> Value[float] | None:
    """The share capital in euros where the document prints it."""
    entry = _first(outside, Key.CAPITAL)
    if entry is not None and "%" not in entry.value:
        amount = parse_amount_eur(entry.value)
        if amount is not None:
            return Value(amount, entry.provenance())
    for entry in outside:
        text = entry.statement
        for cue in _CAPITAL_CUE.finditer(fold_text(text)):
            amounts = find_amounts(text[cue.end() : cue.end() + 40])
            if amounts and amounts[0].start == 0:
                return Value(amounts[0].value, entry.provenance())
    return None


def read_document_date(lines: Sequence[FormLine]) -> Value[date] | None:
    """The date the document speaks for (module docstring: precedence); None if none."""
    for cue_pattern in _DATE_CUES:
        for index, line in enumerate(lines):
            text = " ".join(c.text for c in line.cells)
            # The date may wrap onto the paragraph's next line ("à la date du 12" / "août 2025").
            joined = f"{text} {_next_text(lines, index)}".rstrip()
            for cue in cue_pattern.finditer(fold_text(text)):
                dates = find_dates(joined[cue.end() : cue.end() + _DATE_MAX_CHARS])
                if dates and dates[0].start <= 1:
                    return Value(dates[0].value, line.line.provenance(text))
    return None


def _next_text(lines: Sequence[FormLine], index: int) -> str:
    """The text of the line after lines[index] on the same page ("" when there is none)."""
    if index + 1 >= len(lines) or lines[index + 1].page != lines[index].page:
        return ""
    return " ".join(c.text for c in lines[index + 1].cells)
