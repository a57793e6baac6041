from __future__ import annotations

from datetime import date

import pytest

from indexers.contract import PersonEntry, PersonQuery, PersonRole
from indexers.person_rank import MIN_PERSON_SCORE, rank_person

DUPONT = PersonEntry(PersonRole.OFFICER, "DUPONT", "Jean-Pierre", date(1970, 5, 1))
FONTAINE = PersonEntry(PersonRole.BENEFICIAL_OWNER, "de La Fontaine", "Marie Claire")
LEFEVRE = PersonEntry(PersonRole.IDENTITY_HOLDER, "LEFÈVRE", "Hélène", usage_name="MARTIN")
MARTIN = PersonEntry(PersonRole.SHAREHOLDER, "MARTIN", "Louis")
PERSONS = (DUPONT, FONTAINE, LEFEVRE, MARTIN)


@pytest.mark.parametrize(("name", "expected", "reason"), [
    ("Jean-Pierre DUPONT", DUPONT, "nom identique"),
    ("dupont jean pierre", DUPONT, "nom identique"),
    ("Pierre Jean Dupont", DUPONT, "prénoms dans un autre ordre"),
    ("DUP0NT Jean-Pierre", DUPONT, "nom proche (faute de lecture)"),
    ("Dupond", DUPONT, "nom de même prononciation"),
    ("Fontaine Marie", FONTAINE, "particule ignorée"),
    ("Delafontaine", FONTAINE, "nom identique"),
    ("Hélène Martin", LEFEVRE, "nom d'usage"),
    ("helene lefevre", LEFEVRE, "nom identique"),
    ("Louis Martin", MARTIN, "nom identique"),
])
def test_best_person_and_reason(name: str, expected: PersonEntry, reason: str) -> None:
    match = rank_person(PersonQuery(name), PERSONS)
    assert match is not None
    assert (match.last_name, match.first_names) == (expected.last_name, expected.first_names)
    assert match.role is expected.role
    assert reason in match.explanation
    assert MIN_PERSON_SCORE <= match.score <= 1


def test_agreeing_names_outrank_heard_ones() -> None:
    exact = rank_person(PersonQuery("Jean-Pierre Dupont"), PERSONS)
    heard = rank_person(PersonQuery("Jean-Pierre Dupond"), PERSONS)
    surname = rank_person(PersonQuery("Dupont"), PERSONS)
    assert exact and heard and surname
    assert exact.score == 1.0 > heard.score
    assert exact.score > surname.score


@pytest.mark.parametrize("name", ["Marie Dupont", "Dupuis", "Martine", "Jean", "", "  -- ",
                                  "Zacharie Wozniak"])
def test_no_match(name: str) -> None:
    assert rank_person(PersonQuery(name), PERSONS) is None


def test_different_birth_date_excludes() -> None:
    assert rank_person(PersonQuery("Jean-Pierre Dupont", date(1970, 5, 2)), PERSONS) is None


def test_same_birth_date_is_explained() -> None:
    match = rank_person(PersonQuery("Jean-Pierre Dupont", date(1970, 5, 1)), PERSONS)
    assert match is not None and "date de naissance identique" in match.explanation


def test_unknown_birth_date_lowers_the_score() -> None:
    plain = rank_person(PersonQuery("Louis Martin"), PERSONS)
    dated = rank_person(PersonQuery("Louis Martin", date(1980, 1, 1)), PERSONS)
    assert plain and dated and dated.score < plain.score
    assert "date de naissance absente du document" in dated.explanation


def test_partial_first_names_rank_below_full() -> None:
    full = rank_person(PersonQuery("Jean-Pierre Dupont"), [DUPONT])
    partial = rank_person(PersonQuery("Jean Dupont"), [DUPONT])
    assert full and partial and partial.score < full.score


def test_no_persons() -> None:
    assert rank_person(PersonQuery("Dupont"), []) is None
