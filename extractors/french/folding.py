"""Case and accent folding for matching French text.

`fold_text` keeps the length of its input, character for character, so that a regex run on the
folded text gives spans that are valid in the original: the extractors report the original span
as provenance. `fold_words` is the lossy variant for comparing names and words.
"""

from __future__ import annotations

import re
import unicodedata

# Apostrophes, spaces and dashes that OCR and word processors use interchangeably.
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4\u0060\u2032"
_SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\t"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"


def _fold_char(char: str) -> str:
    """One character -> its lower-case, unaccented form, or itself when that is not one char."""
    lower = char.lower()
    if len(lower) != 1:
        return char
    base = unicodedata.normalize("NFD", lower)[0]
    return base if base.isascii() else lower


def _build_table() -> dict[int, str]:
    """The translation table behind `fold_text`: every entry maps one char to one char."""
    table: dict[int, str] = {}
    # Latin-1 Supplement and Latin Extended-A/B cover French and the names of residents in France.
    for codepoint in [*range(ord("A"), ord("Z") + 1), *range(0x00C0, 0x0250)]:
        char = chr(codepoint)
        folded = _fold_char(char)
        if folded != char:
            table[codepoint] = folded
    for char in _APOSTROPHES:
        table[ord(char)] = "'"
    for char in _SPACES:
        table[ord(char)] = " "
    for char in _DASHES:
        table[ord(char)] = "-"
    table[ord("\u1d49")] = "e"  # superscript e and r of "1ᵉʳ" as word processors write it
    table[ord("\u02b3")] = "r"
    table[ord("\u0152")] = "\u0153"  # Œ -> œ
    table[ord("\u00c6")] = "\u00e6"  # Æ -> æ
    return table


_FOLD_TABLE = _build_table()
_LIGATURES = str.maketrans({"\u0153": "oe", "\u00e6": "ae", "\u00df": "ss"})
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")


def fold_text(text: str) -> str:
    """Text -> same-length text: lower case, no accents, one kind of apostrophe/space/dash."""
    return text.translate(_FOLD_TABLE)


def fold_words(text: str) -> str:
    """Text -> lower-case ASCII words separated by single spaces (ligatures expanded)."""
    folded = fold_text(text).translate(_LIGATURES)
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(w for w in _WORD_SPLIT.split(folded) if w)
