"""Which kind of identity document this is, and the validities that kind may print.

The field parser is called for id_card, passport and residence_permit alike and is not told
which: the zone's document code and layout say it (`P` passport; `I`/`A`/`C` card; the
French 2 x 36 card), else the document's title in the visual zone; the old French card
without a readable zone is told by its 12-character number (DOMAIN.md §5.2).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from kanta_docs.text import fold

if TYPE_CHECKING:
    from extractors.fields.identity_zone import Zone

FRANCE = "FRA"
# A date a few weeks off a whole number of years is still that validity ("valid until the
# day before", or until the holder's birthday on some foreign documents).
VALIDITY_SLACK = timedelta(days=45)

_PERMIT_WORDS = ("titre de sejour", "carte de sejour", "carte de resident", "residence permit",
                 "permis de sejour", "aufenthaltstitel", "permiso de residencia")
_CARD_WORDS = ("carte nationale d'identite", "carte d'identite", "identity card",
               "carta d'identita", "personalausweis", "documento nacional de identidad")
_PASSPORT_WORDS = ("passeport", "passport", "passaporto", "reisepass", "pasaporte",
                   "passaporte", "paspoort")
# « 2 chiffres, 2 lettres, 5 chiffres » (DOMAIN.md §5.5; the digits are the year of issue).
FRENCH_PASSPORT_NUMBER = "99AA99999"
# Old card number: issue YYMM, département (Corsica 2A/2B), office and sequence (§5.2).
_OLD_CARD_NUMBER = re.compile(r"\d{4}\d[0-9AB]\d\d{5}")


class DocumentKind(StrEnum):
    """The kinds of identity document whose rules differ."""

    OLD_FRENCH_CARD = "old_french_card"  # 1988/1995-2021, non-ICAO zone (DOMAIN.md §5.2)
    ID_CARD = "id_card"
    PASSPORT = "passport"
    RESIDENCE_PERMIT = "residence_permit"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Validities:
    """Validities (whole months, inclusive ranges) a kind of document may print."""

    ranges: tuple[tuple[int, int], ...]

    def allows(self, issue: date, expiry: date) -> bool:
        """Whether expiry - issue is one of these validities, within VALIDITY_SLACK."""
        for low, high in self.ranges:
            if (_add_months(issue, low) - VALIDITY_SLACK <= expiry
                    <= _add_months(issue, high) + VALIDITY_SLACK):
                return True
        return False

    @property
    def shortest_months(self) -> int:
        """The shortest validity, in months."""
        return min(low for low, _ in self.ranges)


# French cards: 10 years, 15 for adults' old cards from 2014 (décret 55-1397 art. 2 as
# amended by décret 2013-1188; CNIe 10 years, DOMAIN.md §5.4). French passports: 10 years,
# 5 for minors (§5.5). Residence permits: from a few months (carte de séjour temporaire) to 10
# years (carte de résident, §5.6). Foreign documents: the widest common ranges.
_FRENCH_CARD = Validities(((120, 120), (180, 180)))
_FRENCH_PASSPORT = Validities(((60, 60), (120, 120)))
_FOREIGN_CARD = Validities(((12, 180),))
_FOREIGN_PASSPORT = Validities(((12, 120),))
_PERMIT = Validities(((3, 120),))
_ANY = Validities(((3, 180),))


def validities(kind: DocumentKind, issuer: str | None) -> Validities:
    """The validities a kind of document from `issuer` (alpha-3, None unknown) may print."""
    french = issuer == FRANCE
    if kind in (DocumentKind.OLD_FRENCH_CARD, DocumentKind.ID_CARD):
        return _FRENCH_CARD if french or kind is DocumentKind.OLD_FRENCH_CARD else _FOREIGN_CARD
    if kind is DocumentKind.PASSPORT:
        return _FRENCH_PASSPORT if french else _FOREIGN_PASSPORT
    if kind is DocumentKind.RESIDENCE_PERMIT:
        return _PERMIT
    return _ANY


def number_shape(kind: DocumentKind, issuer: str | None) -> str | None:
    """The document number's known shape ("9" digit, "A" letter); None when it is free."""
    if kind is DocumentKind.PASSPORT and issuer == FRANCE:
        return FRENCH_PASSPORT_NUMBER
    return None


def detect_kind(zone: Zone | None, text: str, visual_number: str | None) -> DocumentKind:
    """The kind of document, from its zone, else its title, else its number's shape."""
    folded = fold(text)
    if any(w in folded for w in _PERMIT_WORDS):
        return DocumentKind.RESIDENCE_PERMIT
    if zone is not None:
        if zone.is_old_card:
            return DocumentKind.OLD_FRENCH_CARD
        code = zone.result.document_code or ""
        if code.startswith("P"):
            return DocumentKind.PASSPORT
        if code[:1] in ("I", "A", "C"):
            return DocumentKind.ID_CARD
    if visual_number is not None and _OLD_CARD_NUMBER.fullmatch(visual_number):
        return DocumentKind.OLD_FRENCH_CARD
    if any(w in folded for w in _CARD_WORDS):
        return DocumentKind.ID_CARD
    if any(w in folded for w in _PASSPORT_WORDS):
        return DocumentKind.PASSPORT
    return DocumentKind.UNKNOWN


def shortest_issue(expiry: date, kind_validities: Validities) -> date:
    """The latest issue day an expiry allows (expiry minus the shortest validity)."""
    return _add_months(expiry, -kind_validities.shortest_months)


def _add_months(day: date, months: int) -> date:
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
