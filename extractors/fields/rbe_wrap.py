"""The lines of one cell or value put back together where a line break falls inside a word.

Narrow cells wrap their text, and when a word is wider than the cell, Word and reportlab cut it
in the middle: "quatre-vi" / "ngt-sept", "Marie-Christ" / "ine", "Français" / "e",
"Nationa" / "lité". Joining such lines with a space gives a wrong value ("quatre-vi ngt-sept"
reads 1904), so each break is judged. It is inside a word when the line above ends with a
letter, the next one starts with a small letter, and:
- the two pieces glued make a known word (a number word, a month, a label word) that they are
  not both on their own ("vi" + "ngt" -> "vingt"; "neuf" / "cent" stay apart), or a
  nationality the first piece does not give on its own ("Améri" / "caine");
- or the value is a name and the next line is no particle or marker ("Christ" / "ine";
  "de la", "épouse", "née" start words of their own), or a nationality and the next line is
  no other nationality nor "et" ("Portugai" / "se");
- or the value is a short labelled field and the next line starts with a piece of at most three
  letters that is no French word ("Rose" / "s").
A surname in capitals cut before its last one or two letters is glued too ("BERTRAND-CHARPENTI"
/ "ER": no surname is that short, unless a particle). A line that ends with a hyphen after a
letter goes on without a space ("Jean-" / "Pierre"), as
does one whose next line starts with a hyphen ("quatre" / "-vingt"); a number cut by the
cell's edge is put back ("25/10/202" / "1", "33,3" / "4 %").
Prose (control statements, unlabelled lines) only gets the known-word and hyphen rules.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from extractors.fields.rbe_labels import LABEL_WORDS, Key
from extractors.french.dates import MONTH_WORDS
from extractors.french.folding import fold_words
from extractors.french.names import PARTICLES
from extractors.french.nationality import parse_nationality
from extractors.french.numbers import NUMBER_WORDS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kanta_docs.models import Word

NAME_KEYS = frozenset({Key.BIRTH_NAME, Key.USAGE_NAME, Key.FULL_NAME, Key.FIRST_NAME_MAIN,
                       Key.OTHER_FIRST_NAMES, Key.FIRST_NAMES})  # fmt: skip
# Short values where a line of a few letters can only end the word above ("Rose" / "s").
_SHORT_VALUE_KEYS = NAME_KEYS | {Key.BIRTH_DATE, Key.NATIONALITY, Key.SINCE,
                                 Key.OTHER_PERSONAL}  # fmt: skip
_MAX_TAIL_CHARS = 3
# Short French words that start a line of their own.
SHORT_WORDS = frozenset({
    "a", "au", "aux", "ce", "ces", "d", "de", "des", "du", "en", "et", "il", "l", "la", "le",
    "les", "n", "no", "nb", "ou", "par", "sa", "se", "ses", "si", "son", "sur",
    "un", "une", "y", "ep", "vve", "dit", "dite", "via",
})  # fmt: skip
# Words that open a name of their own inside a name value ("épouse MARTIN", "née DURAND").
_NAME_MARKERS = frozenset({"epouse", "ep", "epse", "veuve", "vve", "epoux", "veuf", "ne", "nee",
                           "dit", "dite", "alias"})  # fmt: skip
_SURNAME_KEYS = frozenset({Key.BIRTH_NAME, Key.USAGE_NAME, Key.FULL_NAME})
_MIN_CUT_SURNAME = 6
_MAX_SURNAME_TAIL = 2
_CONNECTORS = frozenset({"et", "ou", "de", "du", "des", "d", "and"})
# A number cut by its cell's edge: "25/10/202" / "1", "33,3" / "4 %".
_CUT_NUMBER = re.compile(r"\d[/.,]?$")
_NUMBER_TAIL = re.compile(r"^\d{1,3}(?:\s*%)?$")
_HEAD_LETTERS = re.compile(r"[^\W\d_]+$")
_TAIL_LETTERS = re.compile(r"^[^\W\d_]+")
_ENDS_WITH_HYPHEN = re.compile(r"[^\W\d_]-$")
_STARTS_WITH_HYPHEN = re.compile(r"^-[^\W\d_]")


def is_known_word(word: str) -> bool:
    """Whether a folded word is one the documents' values and labels are made of: a number
    word, a month, a label word (a nationality is looked up apart: that lookup is fuzzy)."""
    return word in NUMBER_WORDS or word in MONTH_WORDS or word in LABEL_WORDS


def glues_known_word(head: str, tail: str) -> bool:
    """Whether the letters ending `head` and starting `tail` make one known word that they are
    not both on their own ("quatre-vi" + "ngt-sept", "Nationa" + "lité"), or a nationality
    that the first piece does not already give ("Améri" + "caine", not "française" + "en")."""
    h, t = _HEAD_LETTERS.search(head), _TAIL_LETTERS.match(tail)
    if h is None or t is None or not t.group()[0].islower():
        return False
    left, right = fold_words(h.group()), fold_words(t.group())
    if not left or not right:
        return False
    glued = left + right
    if is_known_word(glued):
        return not (is_known_word(left) and is_known_word(right))
    if is_known_word(right) or right in SHORT_WORDS:
        return False
    nationality = parse_nationality(glued)
    return nationality is not None and parse_nationality(left) != nationality


def is_cut_inside_word(head: str, tail: str, key: Key | None) -> bool:
    """Whether the line break between two lines of one value (`key`'s) falls inside a word."""
    head, tail = head.rstrip(), tail.lstrip()
    if not head or not tail:
        return False
    if _CUT_NUMBER.search(head) and _NUMBER_TAIL.match(tail):
        return True
    if _ENDS_WITH_HYPHEN.search(head) and tail[0].isalpha():
        return True
    if _HEAD_LETTERS.search(head) and _STARTS_WITH_HYPHEN.match(tail):
        return True
    if key in _SURNAME_KEYS and _is_surname_tail(head, tail):
        return True
    if not (_HEAD_LETTERS.search(head) and tail[0].isalpha() and tail[0].islower()):
        return False
    if glues_known_word(head, tail):
        return True
    first = _TAIL_LETTERS.match(tail)
    if first is None or tail[first.end() : first.end() + 1] in ("'", "\u2019"):
        return False  # "d'Artagnan", "l'Isle": an elided word of its own
    word = fold_words(first.group())
    if key in NAME_KEYS:
        return word not in PARTICLES and word not in _NAME_MARKERS
    if key is Key.NATIONALITY:  # adjectives: a small letter ends the word, or is another one
        return word not in _CONNECTORS and parse_nationality(word) is None
    return (key in _SHORT_VALUE_KEYS and len(word) <= _MAX_TAIL_CHARS
            and word not in SHORT_WORDS and not is_known_word(word))  # fmt: skip


def _is_surname_tail(head: str, tail: str) -> bool:
    """Whether a line of one or two capitals ends the long surname in capitals above it
    ("BERTRAND-CHARPENTI" / "ER"): too short for a surname of its own, and no particle."""
    last = _HEAD_LETTERS.search(head)
    return (last is not None and len(last.group()) >= _MIN_CUT_SURNAME and last.group().isupper()
            and len(tail) <= _MAX_SURNAME_TAIL and tail.isalpha() and tail.isupper()
            and fold_words(tail) not in PARTICLES)  # fmt: skip


def join_wrapped(lines: Sequence[str], key: Key | None) -> tuple[str, ...]:
    """A value's lines -> its parts: a line cut inside a word is glued to the line above
    ("quatre-vi" / "ngt-sept" -> "quatre-vingt-sept"), other lines stay parts of their own."""
    out: list[str] = []
    for line in lines:
        if out and is_cut_inside_word(out[-1], line, key):
            out[-1] = out[-1].rstrip() + line.lstrip()
        else:
            out.append(line)
    return tuple(out)


def glue_words(head: Word, tail: Word) -> Word:
    """Two pieces of one word as one word (text joined, box around both)."""
    return replace(head, text=head.text + tail.text, x1=max(head.x1, tail.x1),
                   bottom=max(head.bottom, tail.bottom))  # fmt: skip


def join_label_lines(head: Sequence[Word], tail: Sequence[Word]) -> tuple[Word, ...]:
    """A label's words over two lines as one run, a word cut by the line glued back
    ("Nationa" / "lité" -> "Nationalité")."""
    if head and tail and glues_known_word(head[-1].text, tail[0].text):
        return (*head[:-1], glue_words(head[-1], tail[0]), *tail[1:])
    return (*head, *tail)
