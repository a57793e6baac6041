"""Beneficial-owner documents -> facts: the company, the date, and every beneficial owner.

Covers DBE-S-1 / DBE-S-2 / DBE-S-bis filings, greffe extracts of the « registre des
bénéficiaires effectifs » and INPI RNE beneficial-owner listings (DOMAIN.md 2.1, 2.2), in any
of their layouts: label and value side by side, values under a row of labels, owners in a
table. The stages, each in its module:

    rbe_lines          pages -> visual lines, cells, checkbox marks
    rbe_entries        lines -> labelled entries (rbe_labels, rbe_table)
    rbe_owner_blocks   entries -> the company's entries + one block per owner
    rbe_person         block -> names, birth date, nationality, owner since
    control_modalities block -> capital and voting percentages, modality codes
    rbe_company        company entries -> company facts; lines -> document date

Officers and shareholders are not read from these documents; expiry dates do not apply.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.fields.control_modalities import Statement, has_ticked_options, read_control
from extractors.fields.rbe_company import read_company, read_document_date
from extractors.fields.rbe_entries import read_entries
from extractors.fields.rbe_labels import Key
from extractors.fields.rbe_lines import document_form_lines
from extractors.fields.rbe_owner_blocks import OwnerBlock, has_owner_content, segment_owners
from extractors.fields.rbe_owner_merge import merge_same_person
from extractors.fields.rbe_person import read_person
from kanta_docs.facts import DocumentFacts, OwnerFacts, Value
from kanta_docs.text import fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extractors.fields.rbe_entry import Entry
    from kanta_docs.models import Page

# Values read with less confidence than this (label fuzziness x OCR word confidence) get a
# warning naming the field, so that a person checks them.
LOW_CONFIDENCE = 0.6
_MEASURE = {"capital": "capital", "voting_rights": "voting"}
_COUNT_HEADER = re.compile(r"\b(?:nombre|nb|quantite)\b")
_PERCENT_LABEL = re.compile(r"%|pourcentage|taux|quote part|\bpct\b")


def parse_rbe(pages: Sequence[Page]) -> DocumentFacts:
    """A beneficial-owner filing or extract's pages -> its facts; unreadable values are None."""
    lines = document_form_lines(pages)
    entries = read_entries(lines)
    segments = segment_owners(entries)
    is_form = any(has_ticked_options(e.statement) for e in entries)
    company = read_company(segments.outside)
    document_date = read_document_date(lines)
    warnings = list(company.warnings)
    if document_date is None:
        warnings.append("document date not found")
    owners: list[OwnerFacts] = []
    nameless = 0
    for block in segments.owners:
        owner, owner_warnings = _read_owner(block, len(owners) + 1, is_form=is_form)
        if owner.person.last_name is None and owner.person.first_names is None:
            nameless += has_owner_content(block)
            continue
        owners, merged = merge_same_person(owners, owner)
        warnings.extend(owner_warnings if not merged else [])
    if nameless:
        warnings.append(f"{nameless} beneficial-owner section(s) without a readable name")
    if not owners:
        warnings.append("no beneficial owner found")
    return DocumentFacts(document_date=document_date, company=company.company,
                         beneficial_owners=tuple(owners), warnings=tuple(warnings))  # fmt: skip


def _read_owner(block: OwnerBlock, number: int, *, is_form: bool) -> tuple[OwnerFacts, list[str]]:
    """One owner's block -> the owner's facts and warnings (which never quote the values)."""
    reading = read_person(block)
    statements = _statements(block)
    control = read_control([s for s, _ in statements], is_form=is_form)
    page = block.entries[0].page
    warnings = [f"page {page}: beneficial owner {number} {name} unreadable"
                for name in reading.unreadable]  # fmt: skip
    warnings += [f"page {page}: beneficial owner {number} has two different {_MEASURE[d]} figures"
                 for d in control.conflicts]  # fmt: skip
    warnings += [f"page {page}: beneficial owner {number} {_MEASURE[d]} percentage unreadable"
                 for d in control.unreadable]  # fmt: skip
    owner = OwnerFacts(
        person=reading.person,
        capital_pct=_percent(control.capital_pct, control.capital_source, statements),
        voting_pct=_percent(control.voting_pct, control.voting_source, statements),
        modalities=control.modalities,
        since=reading.since,
    )
    warnings += _low_confidence(owner, number)
    return owner, warnings


def _statements(block: OwnerBlock) -> list[tuple[Statement, Entry]]:
    """The block's control statements: control entries, and runs of unlabelled lines joined
    (a sentence wrapped over two lines stays one statement)."""
    out: list[tuple[Statement, Entry]] = []
    run: list[Entry] = []

    def flush() -> None:
        if run:
            text = " ; ".join(e.statement for e in run)
            out.append((Statement(text, _is_percent_label(text)), run[0]))
            run.clear()

    for entry in block.entries:
        if entry.key is None and not entry.label:
            run.append(entry)
            continue
        flush()
        if entry.key in (Key.CONTROL, None) and entry.value:
            # A label without a value asserts nothing ("% capital" over an empty cell).
            out.append((Statement(entry.statement, _is_percent_entry(entry)), entry))
    flush()
    return out


def _is_percent_entry(entry: Entry) -> bool:
    """Whether an entry's bare numbers are percentages: its label says so, or it is a capital
    or votes column of an owners' table (not a count: "Nombre de parts")."""
    if entry.row is not None and not _COUNT_HEADER.search(fold(entry.label)):
        return True
    return _is_percent_label(entry.label)


def _is_percent_label(label: str) -> bool:
    """Whether a label (or what precedes the first ":" of a line) announces a percentage."""
    head = re.split(r"[:|]", label, maxsplit=1)[0]
    return bool(_PERCENT_LABEL.search(fold(head) + (" %" if "%" in head else "")))


def _percent(
    value: float | None, source: str | None, statements: Sequence[tuple[Statement, Entry]]
) -> Value[float] | None:
    """A percentage with the provenance of the statement it was read from."""
    if value is None:
        return None
    entry = next((e for s, e in statements if s.text == source), None)
    return Value(value, entry.provenance() if entry else None)


def _low_confidence(owner: OwnerFacts, number: int) -> list[str]:
    """Warnings for the owner's values read with low confidence (OCR, fuzzy label)."""
    p = owner.person
    fields = (("last name", p.last_name), ("first names", p.first_names),
              ("birth date", p.birth_date), ("nationality", p.nationality),
              ("capital percentage", owner.capital_pct),
              ("voting percentage", owner.voting_pct))  # fmt: skip
    return [
        f"page {v.provenance.page}: beneficial owner {number} {name} read with low confidence"
        for name, v in fields
        if v is not None and v.provenance is not None and v.confidence < LOW_CONFIDENCE
    ]

