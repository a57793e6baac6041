"""Officers printed as cards: the function on one line, the name alone on the next, then the
person's particulars (« Né(e) le … à … », « Nationalité : … », « Domicile : … »).

The name line carries no label, so the block reader asks here whether the first unlabelled line
under a role line names someone, and turns it into the row a « Nom, prénoms » or
« Dénomination » label would have given. A card may print a woman's usage name on the name
line and her birth name on the next (« Mme Claire MARTIN » / « née DURAND », or in the birth
line: « Née DURAND le … »).
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.fields.register_people import labelled_usage, looks_like_company
from extractors.fields.register_rows import Row, clean_value
from extractors.french.folding import fold_text
from extractors.french.names import split_person_name
from extractors.french.nationality import parse_country, parse_nationality
from extractors.french.roles import parse_officer_role
from extractors.layout import Line

# A name line is short: civility, first names, surname, « épouse X » / « née Y ».
_NAME_MAX_WORDS = 9
# « née DURAND », « épouse MARTIN » under a name, or « Née DURAND le 1er avril 1975 à … ».
_NAME_ADDITION = re.compile(
    r"^\s*(?P<marker>nee?\s*(?:\(e\))?|epouse|ep\.|veuve|vve)\s+(?P<name>[^\d,;:]+?)"
    r"\s*(?:,?\s+(?P<rest>le\s+\S.*))?$")
_FIRST_NAMES_MAX_WORDS = 4
_FIRST_NAME = re.compile(r"[^\W\d_][^\W\d_]*(?:[-'\u2019][^\W\d_]+)*")
_ENDS_WITH_MARKER = re.compile(r"(?<![a-z])(?:nee?|epouse|ep\.?|veuve|vve)\s*$")
_MARKER = re.compile(r"(?<![a-z])(?:nee?|epouse|ep|veuve|vve)(?![a-z])")


def card_name_row(line: Line, index: int, following: Line | None = None) -> Row | None:
    """An unlabelled line naming a person or a company -> its name row; None otherwise.

    A person's line must tell a surname (in capitals, or after a particle); a company's reads
    as one (company words, a legal form). Lines with digits or a colon are particulars. A line
    ending with « née » / « épouse » goes on with the `following` line (« … LECLERC née » /
    « TEIXEIRA »).
    """
    if following is not None and _ENDS_WITH_MARKER.search(fold_text(line.text)):
        line = Line(line.page, (*line.words, *following.words))
    text = clean_value(line.text)
    words = text.split()
    inline = labelled_usage(text)  # « Claire DURAND (nom d'usage : MARTIN) »
    if (not words or len(words) > _NAME_MAX_WORDS or (":" in text and inline is None)
            or any(c.isdigit() for c in text)):
        return None
    if looks_like_company(text) and is_capitals(text):
        key = "name"
    elif (split_person_name(inline or text).last_name is not None
          and parse_officer_role(text) is None):
        key = "full_name"
    else:
        return None
    return Row(key, "", text, index, (line,), 100.0, line.x0)


def is_capitals(text: str) -> bool:
    """Whether a text's letters are (nearly) all capitals, as company names are printed."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def name_addition_rows(line: Line, index: int,
                       name: Row | None) -> tuple[Row, Row | None] | None:
    """A card line that completes the name row `name` above it: « née DURAND » or « épouse
    MARTIN » alone (the name wrapped), or « Née DURAND le … à … » (the birth line) -> (the name
    row with it added, as if printed on the name line; the birth row, if the line has one).
    None if the line is no such line or the name already has a marker."""
    text = line.text
    m = _NAME_ADDITION.match(fold_text(text))
    if m is None or name is None or name.key != "full_name":
        return None
    added = text[m.start("name") : m.end("name")]
    if not is_capitals(added) or _MARKER.search(fold_text(name.value)):
        return None
    value = f"{name.value} {text[m.start('marker') : m.end('marker')]} {added}"
    birth = None
    if m.group("rest"):
        birth = Row("birth", "", text[m.start("rest") :], index, (line,), 100.0, line.x0)
    return replace(name, value=value), birth


def wrapped_first_names(line: Line, index: int, name: Row | None) -> Row | None:
    """The name row `name` with the first names it wrapped onto the next line (« Mme
    THÉRON-LEGRAND née LEFÈVRE » / « Marie-Christine Marie »); None if the line is not that:
    right under the name line, a few capitalised words, no nationality, no role."""
    words = line.text.split()
    if (name is None or name.key != "full_name" or index != name.line_index + 1
            or not words or len(words) > _FIRST_NAMES_MAX_WORDS
            or not all(_is_first_name(w) for w in words)
            or _is_nationality_word(line.text) or parse_officer_role(line.text)):
        return None
    return replace(name, value=f"{name.value} {line.text}", pieces=(*name.pieces, line))


def _is_first_name(word: str) -> bool:
    """Whether a word is written as a first name: capitalised, not all capitals (a surname)."""
    return (bool(_FIRST_NAME.fullmatch(word)) and word[0].isupper()
            and not (len(word) > 1 and word.isupper()))


def _is_nationality_word(text: str) -> bool:
    """Whether a text is a nationality adjective (« Française »), not a name that is also a
    country's (« Dominique »)."""
    return parse_nationality(text) is not None and parse_country(text) is None
