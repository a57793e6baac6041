"""SIREN, SIRET, RCS, TVA and EUID numbers in text (../shared/DOMAIN.md section 3.3).

Every candidate is returned with its kind, span and whether its check digits hold (python-stdnum:
Luhn, and the La Poste rule for SIRETs of SIREN 356000000). Numbers may be grouped
("889 924 320", "889.924.320") or not. OCR confusions O->0 and l/I/|->1 inside a number are
repaired only when the repaired number then validates; otherwise the candidate is dropped, since
"lOl" in a sentence is not a number.

Which SIREN a document speaks for is `select_siren`'s job: it prefers the RCS line, then a
labelled SIREN or SIRET, and takes the EUID ("FR7501.889924320") only when nothing better is
there (the Kbis rule of DOMAIN.md 3.1: never read the SIREN from the EUID).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.fr import tva as stdnum_tva

from extractors.french.folding import fold_text
from extractors.french.legal_forms import normalise_legal_form as normalise_legal_form

__all__ = [
    "IdentifierKind",
    "IdentifierMatch",
    "find_identifiers",
    "normalise_legal_form",
    "parse_siren",
    "select_siren",
]


class IdentifierKind(StrEnum):
    """What a number found in text is."""

    RCS = "rcs"  # a SIREN on an RCS line: "RCS Paris 889 924 320", "B 889 924 320"
    SIREN = "siren"
    SIRET = "siret"
    TVA = "tva"  # intra-EU VAT number: FR + 2-digit key + SIREN
    EUID = "euid"  # European unique identifier: FR + greffe code + "." + SIREN


@dataclass(frozen=True, slots=True)
class IdentifierMatch:
    """A company number found in text, with the SIREN it carries and its span."""

    kind: IdentifierKind
    value: str  # compact: 9 or 14 digits, "FR" + key + 9 digits, "FR" + code + "." + 9 digits
    siren: str  # the 9-digit SIREN inside it
    is_valid: bool  # the check digits hold
    is_labelled: bool  # the text says what it is (RCS, SIREN, SIRET, TVA, EUID)
    start: int
    end: int
    text: str
    ocr_corrected: bool = False  # O/l/I read as digits to make it valid


_D = "[0-9oil|]"  # a digit as OCR may print it (on folded, lower-case text)
_OCR_DIGITS = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1"})

_EUID = re.compile(
    r"(?<![a-z0-9])fr\s?(?P<code>\d{4})\s?\.\s?(?P<num>\d{3}\s?\d{3}\s?\d{3})(?![0-9])"
)
_TVA = re.compile(r"(?<![a-z0-9])fr\s?(?P<key>\d{2})\s?(?P<num>\d{3}\s?\d{3}\s?\d{3})(?![0-9])")


def _number_pattern(kind: str, d: str, boundary: str) -> re.Pattern[str]:
    """SIRET or SIREN pattern over digit class `d`, not touching a `boundary` character."""
    if kind == "siret":
        number = (
            rf"{d}{{3}}[ .]?{d}{{3}}[ .]?{d}{{3}}[ .]?{d}{{5}}"
            rf"|{d}{{3}} {d}{{3}} {d}{{3}} {d}{{3}} {d}{{2}}"
        )
    else:
        number = rf"{d}{{3}}(?P<sep>[ .]?){d}{{3}}(?P=sep){d}{{3}}"
    # Not inside a longer number, grouped or not: "12 889 924 320", "889 924 320 0001".
    return re.compile(rf"(?<!{boundary})(?<!\d[ .])(?:{number})(?!{boundary})(?![ .]?\d{{3}})")


# Longer numbers first, so that a SIRET is never cut into a SIREN; exact digits before OCR.
_PASSES = tuple(
    (kind, is_ocr, _number_pattern(kind, d, boundary))
    for kind in ("siret", "siren")
    for is_ocr, d, boundary in ((False, r"\d", r"\d"), (True, _D, "[0-9a-z|]"))
)

_RCS_CUE = re.compile(r"r\s?\.?\s?c\s?\.?\s?s\b\.?|registre du commerce")
_RCS_LETTER = re.compile(r"(?<![A-Za-z])[AB]\s?$")  # on the original text: "à" is no "A"
_SIREN_CUE = re.compile(r"siren|identification|immatricul|numero unique|n°\s*unique")
_SIRET_CUE = re.compile(r"siret")
_CUE_WINDOW = 60  # characters before a number searched for its label, on the same line


def _is_valid(kind: IdentifierKind, value: str) -> bool:
    """Whether the check digits of a compact number of this kind hold."""
    if kind is IdentifierKind.SIRET:
        return bool(stdnum_siret.is_valid(value)) and value[:9] != "0" * 9
    if kind is IdentifierKind.TVA:
        return bool(stdnum_tva.is_valid(value))
    siren = value[-9:]
    return bool(stdnum_siren.is_valid(siren)) and siren != "0" * 9


def _window(text: str, start: int) -> str:
    """The text before `start` on the same line, at most _CUE_WINDOW characters."""
    window = text[max(0, start - _CUE_WINDOW) : start]
    return window[window.rfind("\n") + 1 :]


def _label(folded: str, text: str, start: int, nine_digits: bool) -> tuple[bool, bool]:
    """(is on an RCS line, is labelled) for a number starting at `start`."""
    window = _window(folded, start)
    rcs = _RCS_CUE.search(window)
    # An RCS cue counts only if no other number sits between it and this one.
    is_rcs = nine_digits and (
        bool(_RCS_LETTER.search(_window(text, start)))
        or (rcs is not None and not re.search(r"\d", window[rcs.end() :]))
    )
    return is_rcs, is_rcs or bool(_SIREN_CUE.search(window) or _SIRET_CUE.search(window))


def _numbers(folded: str, text: str, taken: list[tuple[int, int]]) -> list[IdentifierMatch]:
    """Bare SIREN/SIRET numbers (digits, or OCR-damaged digits that then validate)."""
    found: list[IdentifierMatch] = []
    for kind_name, is_ocr, pattern in _PASSES:
        for m in pattern.finditer(folded):
            raw = m.group()
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if is_ocr and re.fullmatch(r"[\d .]+", raw):
                continue  # plain digits: the exact pass has judged them
            value = re.sub(r"[ .]", "", raw).translate(_OCR_DIGITS)
            if is_ocr and sum(c.isalpha() or c == "|" for c in raw) > len(value) // 4:
                continue  # too many letters: a word, not a damaged number
            kind = IdentifierKind(kind_name)
            is_rcs, labelled = _label(folded, text, m.start(), kind is IdentifierKind.SIREN)
            kind = IdentifierKind.RCS if is_rcs else kind
            valid = _is_valid(kind, value)
            if is_ocr and not valid:
                continue
            found.append(
                IdentifierMatch(kind, value, value[:9], valid, labelled,
                                m.start(), m.end(), text[m.start() : m.end()], is_ocr)
            )  # fmt: skip
            taken.append((m.start(), m.end()))
    return found


def find_identifiers(text: str) -> list[IdentifierMatch]:
    """Text -> every SIREN, SIRET, RCS, TVA and EUID number in it, in text order."""
    folded = fold_text(text)
    found: list[IdentifierMatch] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in ((_EUID, IdentifierKind.EUID), (_TVA, IdentifierKind.TVA)):
        for m in pattern.finditer(folded):
            siren = re.sub(r"\s", "", m.group("num"))
            prefix = m.group("code") + "." if kind is IdentifierKind.EUID else m.group("key")
            value = f"FR{prefix}{siren}"
            found.append(
                IdentifierMatch(kind, value, siren, _is_valid(kind, value), True,
                                m.start(), m.end(), text[m.start() : m.end()])
            )  # fmt: skip
            taken.append((m.start(), m.end()))
    found += _numbers(folded, text, taken)
    return sorted(found, key=lambda m: m.start)


# Trust in each kind as the source of a document's SIREN, best first.
_RANKS: tuple[tuple[IdentifierKind, bool | None], ...] = (
    (IdentifierKind.RCS, None),
    (IdentifierKind.SIREN, True),
    (IdentifierKind.SIRET, True),
    (IdentifierKind.SIREN, False),
    (IdentifierKind.SIRET, False),
    (IdentifierKind.TVA, None),
    (IdentifierKind.EUID, None),
)


def select_siren(matches: list[IdentifierMatch]) -> str | None:
    """Candidates -> the SIREN of the most trusted valid kind; None if none or they disagree."""
    for kind, labelled in _RANKS:
        sirens = {
            m.siren
            for m in matches
            if m.is_valid and m.kind is kind and (labelled is None or m.is_labelled is labelled)
        }
        if sirens:
            return sirens.pop() if len(sirens) == 1 else None
    return None


def parse_siren(text: str) -> str | None:
    """Text (e.g. one Kbis line) -> the SIREN it gives, by `select_siren`; None if unclear."""
    return select_siren(find_identifiers(text))
