"""The zone alphabet, OCR clean-up of a text line, and the OCR confusions the repair may undo.

A machine-readable zone uses only A-Z, 0-9 and the filler `<` in the OCR-B font (ICAO 9303
Part 3). OCR engines misread OCR-B in well-known ways: letters and digits of similar shape
(O/0, I/1, S/5, B/8, Z/2, G/6, D/0, Q/0) and the filler read as `K`, `«`, `‹`, `C` or `L`.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

FILLER = "<"
DIGITS = frozenset(string.digits)
LETTERS = frozenset(string.ascii_uppercase)
MRZ_ALPHABET = DIGITS | LETTERS | {FILLER}

# Glyphs that can only be a misread filler: they are not zone characters, so mapping them is safe.
FILLER_GLYPHS = frozenset("<«‹〈⟨＜")
# Zone letters OCR also produces for a filler; changed only where the context says "filler run"
# (extractors/mrz/repair.py), because they are legal characters elsewhere.
FILLER_LOOKALIKES = frozenset("KCL")

# In a field that holds only digits, these letters are certainly misreads of the digit given.
LETTER_TO_DIGIT: Mapping[str, str] = MappingProxyType(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "G": "6", "B": "8"}
)
# The inverse, for fields that hold only letters; the most frequent reading comes first.
DIGIT_TO_LETTERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"0": ("O", "D", "Q"), "1": ("I", "L"), "2": ("Z",), "5": ("S",), "6": ("G",), "8": ("B",)}
)


@dataclass(frozen=True, slots=True)
class CleanLine:
    """One text line reduced to zone characters.

    `glyph_fillers` counts `«`-like glyphs read as `<`; `dropped` counts characters thrown away
    (punctuation, stray marks), so a caller can tell a clean zone line from noisy text.
    """

    text: str
    glyph_fillers: int
    dropped: int


def clean_line(raw: str) -> CleanLine:
    """Upper-case a text line, map filler glyphs to `<`, drop spaces and non-zone characters."""
    out: list[str] = []
    glyph_fillers = dropped = 0
    for ch in _strip_accents(raw):
        if ch.isspace():
            continue
        if ch in FILLER_GLYPHS:
            glyph_fillers += ch != FILLER
            out.append(FILLER)
            continue
        up = ch.upper()
        if len(up) == 1 and up in MRZ_ALPHABET:
            out.append(up)
        else:
            dropped += 1
    return CleanLine("".join(out), glyph_fillers, dropped)


def is_zone_char(ch: str) -> bool:
    """Whether one character of raw OCR text can stand for a zone character (case-insensitive)."""
    if ch in FILLER_GLYPHS:
        return True
    base = _strip_accents(ch).upper()
    return len(base) == 1 and base in MRZ_ALPHABET


def _strip_accents(text: str) -> str:
    # OCR sometimes puts an accent on a zone letter (É for E); the zone itself never has one.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
