from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher

from api.auth.passwords import (
    DUMMY_HASH,
    MAX_LENGTH,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)

GOOD = "Tr0ub4dor&3xyz"


def _has(problems: list[str], word: str) -> bool:
    return any(word in p for p in problems)


def test_a_strong_password_passes() -> None:
    assert password_problems(GOOD) == []
    assert password_problems("correct horse Battery 9") == []  # a space counts as a symbol
    assert password_problems("Émeraude#Crépuscule42", display_name="Jean Dupont") == []


def test_length_bounds() -> None:
    assert _has(password_problems("Ab1!Ab1!Ab1"), "12 caractères")  # 11
    assert password_problems("Ab1!Xq9#Zr7@") == []  # exactly 12
    at_max = "Ab1!" + "x" * (MAX_LENGTH - 4)
    assert not _has(password_problems(at_max), "dépasser")
    assert password_problems(at_max + "y") == [
        f"Le mot de passe ne doit pas dépasser {MAX_LENGTH} caractères."]


def test_huge_hostile_input_is_refused_quickly() -> None:
    start = time.perf_counter()
    assert len(password_problems("!" * 1_000_000 + "a")) == 1
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(("password", "word"), [
    ("tr0ub4dor&3xyz", "majuscule"),
    ("TR0UB4DOR&3XYZ", "minuscule"),
    ("Troubador&xyzw", "chiffre"),
    ("Tr0ub4dor3xyzw", "symbole"),
])
def test_each_character_class_is_required(password: str, word: str) -> None:
    problems = password_problems(password)
    assert len(problems) == 1
    assert word in problems[0]


def test_accented_letters_count_as_letters() -> None:
    assert password_problems("ÉLÉPHANT#été9") == []


@pytest.mark.parametrize("password", [
    "Password123!",      # trailing digits and symbols stripped
    "PASSWORD12345!!",
    "!!Soleil2024",      # leading ones too
    "Azertyuiop1!",
    "Motdepasse2024!",
    "Iloveyou2024!!",
    "Qwertyuiop12#",
    "Kantadocs2025!",    # the product's name
])
def test_common_passwords_are_refused(password: str) -> None:
    assert _has(password_problems(password), "trop courant")


def test_a_common_word_inside_a_longer_password_is_not_refused_as_common() -> None:
    assert not _has(password_problems("Password-Velours-73!"), "trop courant")


@pytest.mark.parametrize(("password", "email", "name"), [
    ("Xy!9jean.dupontQ", "jean.dupont@cabinet.fr", ""),     # the whole local part
    ("Dupont#2024xyzQ", "jean.dupont@cabinet.fr", ""),      # a part of the local part
    ("Zq9!MARTINEAUxx", "", "Claire Martineau"),             # a name part, any case
    ("Helene!2024Qxyz", "", "Hélène Lefèvre"),               # accents ignored
    ("Lefevre#98Qxyzw", "", "Hélène Lefèvre"),
    ("Pierre-7#Qxyzwv", "", "Jean-Pierre Roy"),               # hyphenated first name
])
def test_personal_parts_are_refused(password: str, email: str, name: str) -> None:
    problems = password_problems(password, email=email, display_name=name)
    assert problems == ["Le mot de passe ne doit contenir ni votre nom ni votre adresse "
                        "électronique."]


def test_short_name_parts_are_allowed() -> None:
    # "Roy" and "Li" are 3 and 2 letters: too short to refuse.
    assert password_problems("Roy!Li9Qxyzwv#", email="li@cabinet.fr",
                             display_name="Jean Roy") == []


def test_messages_are_french_and_all_listed() -> None:
    problems = password_problems("")
    assert len(problems) == 5
    assert all(p.startswith(("Le mot de passe", "Ce mot de passe")) for p in problems)


def test_argon2id_round_trip() -> None:
    stored = hash_password(GOOD)
    assert stored.startswith("$argon2id$")
    assert stored != hash_password(GOOD)  # salted
    assert verify_password(stored, GOOD)
    assert not verify_password(stored, GOOD + "x")
    assert not needs_rehash(stored)


@pytest.mark.parametrize("stored", ["", "not a hash", "$argon2id$v=19$m=65536,t=3,p=4$xx$yy",
                                    "$2b$12$abcdefghijklmnopqrstuvabcdefghijklmnopqrstuvwxyzabc"])
def test_malformed_hash_is_a_mismatch_not_an_error(stored: str) -> None:
    assert verify_password(stored, GOOD) is False
    assert needs_rehash(stored) is True


def test_weaker_parameters_need_rehash() -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192).hash(GOOD)
    assert verify_password(old, GOOD)
    assert needs_rehash(old)


def test_dummy_hash_has_the_real_parameters_and_matches_nothing() -> None:
    assert DUMMY_HASH.startswith("$argon2id$")
    assert not needs_rehash(DUMMY_HASH)
    assert not verify_password(DUMMY_HASH, "")
    assert not verify_password(DUMMY_HASH, GOOD)
