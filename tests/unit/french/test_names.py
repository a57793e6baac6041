"""Person names in French documents: surname by case, particles, birth and usage names."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.french.names import (
    PersonName,
    capitalise_name,
    normalise_for_match,
    split_person_name,
)


def name(last: str | None, first: str | None, usage: str | None = None,
         civility: str | None = None, sex: str | None = None) -> PersonName:  # fmt: skip
    return PersonName(last, first, usage, civility, sex)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jean DUPONT", name("DUPONT", "Jean")),
        ("DUPONT Jean", name("DUPONT", "Jean")),
        ("DUPONT Jean Pierre", name("DUPONT", "Jean Pierre")),
        ("DUPONT, Jean-Pierre Marie", name("DUPONT", "Jean-Pierre Marie")),
        ("DUPONT Jean, Pierre, Marie", name("DUPONT", "Jean Pierre Marie")),
        ("M. Jean Pierre DUPONT", name("DUPONT", "Jean Pierre", civility="M.", sex="M")),
        ("Monsieur Jean DUPONT", name("DUPONT", "Jean", civility="M.", sex="M")),
        ("Mr DUPONT Jean", name("DUPONT", "Jean", civility="M.", sex="M")),
        ("Mlle Claire DUBOIS", name("DUBOIS", "Claire", civility="Mlle", sex="F")),
        ("Me Paul LEROY", name("LEROY", "Paul")),  # Maître: a title, not a civility
        (
            "Madame Marie DURAND épouse MARTIN",
            name("DURAND", "Marie", "MARTIN", civility="Mme", sex="F"),
        ),
        ("MARTIN née DURAND Marie", name("DURAND", "Marie", "MARTIN", sex="F")),
        ("Mme DURAND Marie, épouse MARTIN", name("DURAND", "Marie", "MARTIN", "Mme", "F")),
        ("Mme Marie MARTIN née DURAND", name("DURAND", "Marie", "MARTIN", "Mme", "F")),
        ("Madame MARTIN Marie, née DURAND", name("DURAND", "Marie", "MARTIN", "Mme", "F")),
        ("Marie DURAND ép. MARTIN", name("DURAND", "Marie", "MARTIN", sex="F")),
        ("Marie DURAND veuve MARTIN", name("DURAND", "Marie", "MARTIN", sex="F")),
        ("Marie DURAND vve MARTIN", name("DURAND", "Marie", "MARTIN", sex="F")),
        ("Marie DURAND, épouse de M. Paul MARTIN", name("DURAND", "Marie", "MARTIN", sex="F")),
        ("MME MARTIN NÉE DURAND MARIE", name("DURAND", "Marie", "MARTIN", "Mme", "F")),
        ("Paul LEROY époux MARTIN", name("LEROY", "Paul", "MARTIN", sex="M")),
        # particles and compound surnames
        ("Jean de LA FONTAINE", name("DE LA FONTAINE", "Jean")),
        ("Jean DE LA FONTAINE", name("DE LA FONTAINE", "Jean")),
        ("DE LA FONTAINE Jean", name("DE LA FONTAINE", "Jean")),
        ("Yann LE GALL", name("LE GALL", "Yann")),
        ("LE GALL Yann", name("LE GALL", "Yann")),
        ("Sophie MARTIN-DURAND", name("MARTIN-DURAND", "Sophie")),
        ("Jean DUPONT DURAND", name("DUPONT DURAND", "Jean")),
        ("Charles d'ARTAGNAN", name("D'ARTAGNAN", "Charles")),
        ("Charles d\u2019Artagnan", name("D\u2019ARTAGNAN", "Charles")),
        ("Charles de Gaulle", name("DE GAULLE", "Charles")),
        ("de Gaulle Charles", name("DE GAULLE", "Charles")),
        ("Luis DA SILVA", name("DA SILVA", "Luis")),
        ("Maria dos SANTOS", name("DOS SANTOS", "Maria")),
        ("Ahmed BEN ALI", name("BEN ALI", "Ahmed")),
        ("Pieter van der BERG", name("VAN DER BERG", "Pieter")),
        ("Karim EL AMRANI", name("EL AMRANI", "Karim")),
        ("Hélène LÉVÊQUE", name("LÉVÊQUE", "Hélène")),
        # first names
        ("Jean-Baptiste DUPONT", name("DUPONT", "Jean-Baptiste")),
        ("J.-P. DUPONT", name("DUPONT", "J.-P.")),
        ("DUPONT, JEAN-PIERRE MARIE", name("DUPONT", "Jean-Pierre Marie")),
        ("DUPONT", name("DUPONT", None)),
        # civil-status clauses after the name are not part of it
        (
            "Monsieur Jean DUPONT, né le 12/03/1970 à Paris, de nationalité française",
            name("DUPONT", "Jean", civility="M.", sex="M"),
        ),
        (
            "Madame Marie MARTIN née DURAND, née le 01/02/1960 à Lyon",
            name("DURAND", "Marie", "MARTIN", "Mme", "F"),
        ),
        ("Jean DUPONT demeurant 1 rue de Paris", name("DUPONT", "Jean")),
        ("M. Jean DUPONT, née le 1er mars 1960", name("DUPONT", "Jean", civility="M.")),
        ("Marie DURAND née LE GALL", name("LE GALL", "Marie", "DURAND", sex="F")),
        ("Marie DURAND née le quinze mars 1960", name("DURAND", "Marie", sex="F")),
        ("Jean DUPONT né à Paris", name("DUPONT", "Jean", sex="M")),
        ("Jean DUPONT dit JOJO", name("DUPONT", "Jean")),
    ],
)
def test_split_person_name(text: str, expected: PersonName) -> None:
    assert split_person_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nom de naissance : DURAND  Nom d'usage : MARTIN", name("DURAND", None, "MARTIN")),
        (
            "Nom de naissance : DURAND  Nom d'usage : MARTIN  Prénoms : MARIE, CLAIRE",
            name("DURAND", "Marie Claire", "MARTIN"),
        ),
        (
            "Nom de naissance : DUPONT  Nom d'usage :  Prénom principal : Jean",
            name("DUPONT", "Jean"),
        ),
        (
            "Civilité : Madame Nom : Durand Prénom(s) : Marie Claire",
            name("DURAND", "Marie Claire", civility="Mme", sex="F"),
        ),
        (
            "Prénom principal : Jean Autres prénoms : Pierre, Marie Nom de naissance : DUPONT",
            name("DUPONT", "Jean Pierre Marie"),
        ),
        ("Nom : de la Fontaine Prénoms : Jean", name("DE LA FONTAINE", "Jean")),
        ("Nom, prénoms : DUPONT Jean Pierre", name("DUPONT", "Jean Pierre")),
        ("Nom : DURAND épouse MARTIN Prénoms : Marie", name("DURAND", "Marie", "MARTIN", sex="F")),
        ("Nom d'usage : néant Nom de naissance : DUPONT", name("DUPONT", None)),
    ],
)
def test_split_labelled_name(text: str, expected: PersonName) -> None:
    assert split_person_name(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Jean Dupont",  # no case, no particle, no comma: which word is the surname?
        "DUPONT JEAN PIERRE",  # all capitals: same question
        "Jean DUPONT Pierre MARTIN",  # capitals in two places
    ],
)
def test_surname_unknown_without_evidence(text: str) -> None:
    parsed = split_person_name(text)
    assert (parsed.last_name, parsed.first_names) == (None, None)


@pytest.mark.parametrize(
    ("text", "surname_first", "expected"),
    [
        ("DUPONT JEAN PIERRE", True, name("DUPONT", "Jean Pierre")),
        ("JEAN PIERRE DUPONT", False, name("DUPONT", "Jean Pierre")),
        ("LE GALL YANN", True, name("LE GALL", "Yann")),
        ("JEAN DE LA FONTAINE", False, name("DE LA FONTAINE", "Jean")),
        ("Dupont Jean", True, name("DUPONT", "Jean")),
        ("Jean DUPONT", True, name("DUPONT", "Jean")),  # case outranks the hint
    ],
)
def test_surname_first_hint(text: str, surname_first: bool, expected: PersonName) -> None:
    assert split_person_name(text, surname_first=surname_first) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("JEAN-PIERRE", "Jean-Pierre"), ("MARIE CLAIRE", "Marie Claire"), ("Jean", "Jean"),
     ("d'ARTAGNAN", "d'ARTAGNAN"), ("ÉLODIE", "Élodie")],
)  # fmt: skip
def test_capitalise_name(text: str, expected: str) -> None:
    assert capitalise_name(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jean-Pierre DE LA FONTAINE", "jean pierre fontaine"),
        ("M. Jean Pierre de la Fontaine", "Jean-Pierre LA FONTAINE"),
        ("LÉVÊQUE Hélène", "leveque  helene"),
        ("d\u2019Artagnan", "ARTAGNAN"),
        ("LE GALL", "Gall"),
        ("Œdipe", "OEDIPE"),
    ],
)
def test_normalise_for_match_equates(a: str, b: str) -> None:
    assert normalise_for_match(a) == normalise_for_match(b)


def test_normalise_for_match_keeps_a_name_made_only_of_particles() -> None:
    assert normalise_for_match("LE") == "le"
    assert normalise_for_match("DUPONT Jean") != normalise_for_match("DURAND Jean")


FIRST_NAMES = ["Jean", "Marie-Claire", "Hélène", "Jean-Baptiste", "Zoé", "Loïc", "Anne"]
SURNAMES = ["DUPONT", "LE GALL", "DE LA FONTAINE", "MARTIN-DURAND", "D'ARTAGNAN", "DA SILVA",
            "LÉVÊQUE", "N'DIAYE", "BEN ALI"]  # fmt: skip


@given(
    st.lists(st.sampled_from(FIRST_NAMES), min_size=1, max_size=3),
    st.sampled_from(SURNAMES),
    st.sampled_from(["", "M. ", "Monsieur ", "Mme ", "Madame "]),
    st.booleans(),
)
def test_surname_and_first_names_in_either_order(
    firsts: list[str], surname: str, civility: str, surname_first: bool
) -> None:
    given_names = " ".join(firsts)
    text = civility + (f"{surname} {given_names}" if surname_first else f"{given_names} {surname}")
    parsed = split_person_name(text)
    assert (parsed.last_name, parsed.first_names) == (surname, given_names)
    # normalise_for_match keeps word order; matching sets the order aside itself
    words = sorted(normalise_for_match(text).split())
    assert words == sorted(normalise_for_match(f"{given_names} {surname.lower()}").split())


def test_one_mixed_case_word_after_a_marker_is_a_surname() -> None:
    got = split_person_name("Madame Chiara Martin née Rossi", surname_first=False)
    assert (got.last_name, got.first_names, got.usage_name) == ("ROSSI", "Chiara", "MARTIN")
