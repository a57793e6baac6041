"""Officers written as one line « Fonction : Civilité NOM Prénoms » followed by detail lines
(« Nom d'usage : … », « Date et lieu de naissance : … », « Nationalité : … », « Domicile : … »),
and the « Représentée par M. … » line under a legal-person officer (its representative, who is
not an officer himself).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractors.fields.register_cards import card_name_row
from extractors.french.folding import fold_words

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from extractors.fields.register_rows import Row
    from extractors.layout import Line

# The rows that tell a person's particulars on lines of their own.
DETAIL_KEYS = frozenset({"usage_name", "birth", "birth_place", "nationality", "address"})
_REPRESENTATIVE = re.compile(
    r"^(?:represente(?:e)?s?\s+par|representant(?:e)?s?\s+(?:permanent|legal)e?s?"
    r"|ayant\s+pour\s+representant)(?![a-z])")


def is_representative(line: Line) -> bool:
    """Whether a line names the person who represents a legal-person officer."""
    return bool(_REPRESENTATIVE.match(fold_words(line.text)))


def starts_detail_line(line: Line, rows: Sequence[Row]) -> bool:
    """Whether a line starts with a particulars label printed as one (« Nationalité : … »,
    « Date et lieu de naissance … »), not prose going on (« né le … », lower case)."""
    return line.text[:1].isupper() and any(
        abs(r.label_x0 - line.x0) < 1 and r.key in DETAIL_KEYS for r in rows)


def name_then_details(lines: Sequence[Line], index: int, phrase: Line,
                      by_line: dict[int, list[Row]]) -> Row | None:
    """The name row of a role line's phrase that names a person and nothing else, when the
    next line gives the person's particulars as labelled rows; None otherwise."""
    below = index + 1
    if below >= len(lines) or lines[below].page != phrase.page:
        return None
    if not starts_detail_line(lines[below], by_line.get(below, [])):
        return None
    row = card_name_row(phrase, index)
    return row if row is not None and row.key == "full_name" else None


# Words that go on with a role's wording (« Commissaire aux comptes suppléant », « Président
# du conseil d'administration »), so a name cannot start at them.
_ROLE_WORDS = frozenset({
    "titulaire", "titulaires", "suppleant", "suppleante", "suppleants", "delegue", "deleguee",
    "general", "generale", "unique", "associe", "associee", "du", "de", "d", "des", "et", "en",
    "conseil", "administration", "d'administration", "directoire", "surveillance", "nom",
    "collectif", "comptes", "aux", "directeur", "directrice", "gerant", "gerante", "co",
    "president", "presidente", "statutaire", "non", "membre", "adjoint",
})
_NAME_START = re.compile(r"^(?:m|mr|mme|mlle|monsieur|madame|mademoiselle|la|societe|ste)$")


def role_name_cut(words: Sequence[str], role_of: Callable[[str], object]) -> int | None:
    """Where a name starts after the role wording on a line that prints them with no colon
    (« Commissaire aux comptes suppléant la société X, SA », « Directeur général Madame
    Carole WEBER »): the first word after a wording `role_of` reads as a role that is a
    civility, « la société », or a word in capitals (the role itself not in capitals);
    None if there is none."""
    for i in range(1, len(words)):
        head = " ".join(words[:i])
        if role_of(head) is None:
            continue
        word = fold_words(words[i])
        if not word or word in _ROLE_WORDS:
            continue
        letters = [c for c in words[i] if c.isalpha()]
        capitals = len(letters) >= 2 and all(c.isupper() for c in letters)
        if _NAME_START.match(word.rstrip(".")) or (capitals and not head.isupper()):
            return i
        return None
    return None
