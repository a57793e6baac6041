"""Identity documents (French cards old and new, passports, residence permits) -> facts.

Read top to bottom as the list of steps: the visual zone's labelled values (identity_visual)
and the machine-readable zone (identity_zone) are read from every page; the kind of document
is told from them (identity_kind); dates are cross-checked and the zone re-read with the
document's own reference day (identity_dates); the holder's fields are merged from both zones
(identity_person); the legal end of validity follows ../shared/DOMAIN.md §5.3 (validity).

Where the zones disagree, the one whose check digits hold wins and a warning says so. Nothing
is guessed: an unreadable or implausible value is None, with a warning.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING

from extractors.fields.identity_dates import DateFacts, resolve_dates
from extractors.fields.identity_kind import (
    FRANCE,
    DocumentKind,
    detect_kind,
    number_shape,
    validities,
)
from extractors.fields.identity_merge import Sources, merge_field
from extractors.fields.identity_number import (
    Arbitrated,
    confirmed_number,
    differs_unseen_by_check,
    fits_shape,
    same_but_lookalikes,
    shape_readings,
)
from extractors.fields.identity_person import read_holder
from extractors.fields.identity_values import first_value, read_country, read_document_number
from extractors.fields.identity_visual import VisualZone, read_visual_zone
from extractors.fields.identity_zone import Zone, find_zone
from extractors.fields.validity import OldCardIssue, old_card_effective_expiry
from extractors.layout import page_lines
from kanta_docs.facts import DocumentFacts, IdentityFacts, Value
from kanta_docs.text import fold
from kanta_docs.vocab import TextSource

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from kanta_docs.models import Page, Provenance

# Below this confidence (0-1) a kept value gets a warning for the firm's staff to check it.
LOW_CONFIDENCE = 0.7
_FRENCH_STATE = "republique francaise"


def parse_identity(pages: Sequence[Page]) -> DocumentFacts:
    """Pages of an identity document -> holder, number, dates and zone validity, with provenance."""
    visual = read_visual_zone(pages)
    zone = find_zone(pages)
    warnings: list[str] = [] if zone is not None else ["no machine-readable zone read"]
    printed_number = first_value(visual, "document_number", read_document_number)
    kind = detect_kind(zone, "\n".join(p.text for p in pages),
                       printed_number.value if printed_number else None)
    issuer = _issuing_country(visual, zone, pages, warnings)
    dates = resolve_dates(visual, zone, validities(kind, issuer.value if issuer else None))
    warnings += dates.warnings
    zone = dates.zone
    shape = number_shape(kind, issuer.value if issuer else None)
    number, arbitrated = _document_number(printed_number, zone, shape, warnings)
    holder = read_holder(visual, zone, dates.birth,
                         tolerant=any(p.source is TextSource.OCR for p in pages),
                         implied_nationality=_implied_nationality(kind, issuer))
    warnings += holder.warnings
    effective = _effective_expiry(kind, dates, warnings)
    mrz_valid = _mrz_valid(zone, arbitrated, warnings)
    identity = IdentityFacts(person=holder.person, document_number=number,
                             issuing_country=issuer, expiry_date=dates.expiry,
                             issue_date=dates.issue, mrz_valid=mrz_valid,
                             mrz_lines=zone.result.lines if zone is not None else ())
    warnings += _confidence_warnings(identity)
    return DocumentFacts(document_date=dates.issue, expiry_date=dates.expiry,
                         effective_expiry_date=effective, identity=identity,
                         warnings=tuple(dict.fromkeys(warnings)))


def _issuing_country(visual: VisualZone, zone: Zone | None, pages: Sequence[Page],
                     warnings: list[str]) -> Value[str] | None:
    """The issuing state: the zone's code, the printed code, else « République française »."""
    printed = first_value(visual, "issuing_country", read_country) or _french_state(pages)
    sources = (zone.sources("issuing_country", printed, zone.result.issuing_country)
               if zone is not None else Sources(printed, None, zone_trusted=False))
    merged = merge_field("issuing country", sources)
    warnings.extend(merged.warnings)
    return merged.value


def _french_state(pages: Sequence[Page]) -> Value[str] | None:
    """FRA when a page is headed « République française », with that line's provenance."""
    for page in pages:
        for line in page_lines(page):
            if _FRENCH_STATE in fold(line.text):
                return Value(FRANCE, line.provenance())
    return None


def _implied_nationality(kind: DocumentKind, issuer: Value[str] | None) -> Value[str] | None:
    """A French identity card is issued to French nationals only (décret n° 55-1397, art. 1)."""
    if kind in (DocumentKind.OLD_FRENCH_CARD, DocumentKind.ID_CARD) and issuer is not None \
            and issuer.value == FRANCE:
        return issuer
    return None


def _document_number(printed: Value[str] | None, zone: Zone | None, shape: str | None,
                     warnings: list[str]) -> tuple[Value[str] | None, Arbitrated | None]:
    """The number from both zones; on a scan, a look-alike reading its check digit confirms."""
    if shape is not None and printed is not None and not fits_shape(printed.value, shape):
        # A number of a known format with look-alikes in the wrong places (« 16A062484 »).
        readings = shape_readings(printed.value, shape)
        if len(readings) == 1:
            printed = Value(readings.pop(), printed.provenance)
    if zone is None:
        return printed, None
    sources = zone.sources("document_number", printed, zone.result.document_number)
    arbitrated = None
    # On a noisy zone (characters dropped or added) fields may have shifted onto the check
    # digit: only a known number format makes a coincidence unlikely enough.
    if zone.is_ocr and not sources.zone_trusted and (shape is not None or not zone.is_noisy()):
        arbitrated = confirmed_number(zone, printed.value if printed else None, shape)
        if arbitrated is not None:
            sources = Sources(printed, Value(arbitrated.number, zone.provenance()), True)
            warnings.append("document number: a look-alike character (O/0, S/5…) settled by "
                            "its check digit")
    encoded = sources.zone
    # Readings equal but for OCR look-alikes: the zone's if its check digit chose it, else
    # the printed zone's plain typeface (also where the check cannot tell them apart: 1/L).
    prefer_visual = not sources.zone_trusted or (
        zone.is_ocr and printed is not None and encoded is not None
        and differs_unseen_by_check(printed.value, encoded.value))
    same = same_but_lookalikes if zone.is_ocr else operator.eq
    merged = merge_field("document number", sources, same=same, prefer_visual=prefer_visual)
    warnings.extend(merged.warnings)
    return merged.value, arbitrated


def _effective_expiry(kind: DocumentKind, dates: DateFacts,
                      warnings: list[str]) -> Value[date] | None:
    """The legal end of validity: the printed one, except for the old French card (§5.3)."""
    if kind is not DocumentKind.OLD_FRENCH_CARD:
        return dates.expiry
    issue = OldCardIssue(dates.issue.value if dates.issue else None, dates.issue_month)
    effective = old_card_effective_expiry(dates.expiry.value if dates.expiry else None, issue,
                                          dates.birth.value if dates.birth else None)
    warnings.extend(effective.warnings)
    if effective.day is None:
        return None
    source = dates.expiry or dates.issue
    provenance = source.provenance if source is not None else (
        dates.zone.provenance() if dates.zone is not None else None)
    return Value(effective.day, provenance)


def _mrz_valid(zone: Zone | None, arbitrated: Arbitrated | None,
               warnings: list[str]) -> bool | None:
    """True when every check digit holds; None when no zone was read or OCR left it undecided."""
    if zone is None:
        return None
    if zone.result.valid:
        return True
    failing = [name for name, holds in zone.result.checks.items() if not holds]
    if arbitrated is not None and zone.holds_with(arbitrated.zone_text):
        if arbitrated.is_printed:
            return True  # the zone read as the visual zone prints its number: every check holds
        # Settled by the check digit alone: not declared valid, nor invalid.
        warnings.append(f"page {zone.page}: machine-readable zone partly illegible, "
                        "check digits not decided")
        return None
    # The number the check digit settled, put in, may leave only illegible failures.
    settled = zone.with_text(arbitrated.zone_text) if arbitrated is not None else None
    # An unreadable character is the scan's fault, not the document's: not declared invalid.
    if not failing or zone.has_illegible_failure() or (
            settled is not None and settled.has_illegible_failure()):
        warnings.append(f"page {zone.page}: machine-readable zone partly illegible, "
                        "check digits not decided")
        return None
    warnings.append(f"page {zone.page}: machine-readable zone check digit(s) failing: "
                    + ", ".join(failing))
    return False


def _confidence_warnings(identity: IdentityFacts) -> list[str]:
    person = identity.person
    sources: list[tuple[str, Provenance | None]] = [
        (name, value.provenance if value is not None else None) for name, value in (
            ("last name", person.last_name), ("first names", person.first_names),
            ("document number", identity.document_number),
        )
    ] + [(name, value.provenance if value is not None else None) for name, value in (
        ("birth date", person.birth_date), ("expiry date", identity.expiry_date),
    )]
    return [f"page {provenance.page}: {name} read with low confidence"
            for name, provenance in sources
            if provenance is not None and provenance.confidence < LOW_CONFIDENCE]
