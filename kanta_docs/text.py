"""Text normalisation shared by the rules: folding case, accents and punctuation for matching."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_NON_WORD = re.compile(r"[^a-z0-9'<]+")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """`text` without combining marks ("Hérouville" -> "Herouville"); ligatures expanded."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case, accent-free text with punctuation turned to single spaces (apostrophes kept).

    Used to match cue phrases whatever the issuer's typography or the OCR's accents.
    """
    folded = strip_accents(text.translate(_APOSTROPHES)).lower()
    return _NON_WORD.sub(" ", folded).strip()


def collapse_spaces(text: str) -> str:
    """`text` with every run of whitespace turned into one space."""
    return _SPACES.sub(" ", text).strip()
