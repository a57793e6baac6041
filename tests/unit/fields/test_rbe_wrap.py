"""Lines of one value joined where a narrow cell cut a word: glued back, or kept apart."""

from __future__ import annotations

import pytest

from extractors.fields.rbe_labels import Key
from extractors.fields.rbe_wrap import glues_known_word, join_wrapped


@pytest.mark.parametrize(
    ("lines", "key", "expected"),
    [
        # number words cut inside a word; whole number words stay apart
        (("douze mars mille neuf cent soixan", "te-dix"), Key.BIRTH_DATE,
         ("douze mars mille neuf cent soixante-dix",)),
        (("trois mai", "mille neuf", "cent", "quatre-vin", "gt-deux"), Key.BIRTH_DATE,
         ("trois mai", "mille neuf", "cent", "quatre-vingt-deux")),
        (("onze sep", "tembre deux mille"), Key.SINCE, ("onze septembre deux mille",)),
        (("deux mil", "le dix"), Key.SINCE, ("deux mille dix",)),
        (("un", "e"), None, ("une",)),
        # hyphens at a line's end or start
        (("Jean-", "Baptiste Louis"), Key.FIRST_NAMES, ("Jean-Baptiste Louis",)),
        (("cinq juin mille neuf cent quatre", "-vingt-un"), Key.BIRTH_DATE,
         ("cinq juin mille neuf cent quatre-vingt-un",)),
        # numbers cut by the cell's edge
        (("25/10/202", "1"), Key.SINCE, ("25/10/2021",)),
        (("33,3", "4 %"), Key.CONTROL, ("33,34 %",)),
        # names: a small letter goes on the word above, unless it is a particle or a marker
        (("Anne-Lau", "rence Odile"), Key.FIRST_NAMES, ("Anne-Laurence Odile",)),
        (("Jean", "de la Tour"), Key.FULL_NAME, ("Jean", "de la Tour")),
        (("Jean", "d'Ormesson"), Key.FULL_NAME, ("Jean", "d'Ormesson")),
        (("GIRAUD", "épouse VIDAL"), Key.BIRTH_NAME, ("GIRAUD", "épouse VIDAL")),
        (("VIDAL", "née GIRAUD"), Key.BIRTH_NAME, ("VIDAL", "née GIRAUD")),
        (("DUBOIS", "Luc"), Key.FULL_NAME, ("DUBOIS", "Luc")),
        # nationalities and short fields
        (("Portugai", "se"), Key.NATIONALITY, ("Portugaise",)),
        (("Française", "Belge"), Key.NATIONALITY, ("Française", "Belge")),
        (("3 mai 1970 à Les Sables-d'Olonn", "e"), Key.BIRTH_DATE,
         ("3 mai 1970 à Les Sables-d'Olonne",)),
        (("3 mai 1970 à", "la Rochelle"), Key.BIRTH_DATE, ("3 mai 1970 à", "la Rochelle")),
        # prose keeps its words apart, glues only known words
        (("Détention", "directe"), Key.CONTROL, ("Détention", "directe")),
        (("détient 40 % du capi", "tal social"), Key.CONTROL, ("détient 40 % du capital social",)),
        (("détient 40 % des", "droits de vote"), Key.CONTROL,
         ("détient 40 % des", "droits de vote")),
        (("la société", "en"), None, ("la société", "en")),
    ],
)
def test_join_wrapped(lines: tuple[str, ...], key: Key | None, expected: tuple[str, ...]) -> None:
    assert join_wrapped(lines, key) == expected


@pytest.mark.parametrize(
    ("head", "tail", "expected"),
    [
        ("Nationa", "lité", True),
        ("% capi", "tal", True),
        ("Date de", "naissance", False),
        ("Nom de naissance", "(nom d'usage)", False),
        ("mille neuf", "cent", False),
        ("quatre-vi", "ngt-sept", True),
        ("Nationalité", "Française", False),  # a capital: a word of its own
    ],
)
def test_glues_known_word(head: str, tail: str, expected: bool) -> None:
    assert glues_known_word(head, tail) is expected


@pytest.mark.parametrize(
    ("lines", "key", "expected"),
    [
        (("de nationalité française", "en vertu de"), Key.CONTROL,
         ("de nationalité française", "en vertu de")),
        (("Améri", "caine"), Key.NATIONALITY, ("Américaine",)),
        (("Améri", "caine"), None, ("Américaine",)),
        (("Italien", "ne"), Key.NATIONALITY, ("Italienne",)),
    ],
)
def test_nationality_pieces(lines: tuple[str, ...], key: Key | None,
                            expected: tuple[str, ...]) -> None:
    assert join_wrapped(lines, key) == expected


def test_two_nationalities_stay_apart() -> None:
    assert join_wrapped(("française et", "belge"), Key.NATIONALITY) == ("française et", "belge")
    assert join_wrapped(("française", "belge"), Key.NATIONALITY) == ("française", "belge")
    assert join_wrapped(("française", "et belge"), Key.NATIONALITY) == ("française", "et belge")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("LAMBERT-FONTAI", "NE"), ("LAMBERT-FONTAINE",)),
        (("DUPONT", "LE"), ("DUPONT", "LE")),  # a particle
        (("DURAND", "MOREAU"), ("DURAND", "MOREAU")),  # a second surname
        (("GUY", "ON"), ("GUY", "ON")),  # too short to be cut by a narrow cell
    ],
)
def test_surname_in_capitals_cut_before_its_last_letters(lines: tuple[str, ...],
                                                          expected: tuple[str, ...]) -> None:
    assert join_wrapped(lines, Key.BIRTH_NAME) == expected
