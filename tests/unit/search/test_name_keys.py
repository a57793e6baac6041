from __future__ import annotations

from datetime import date

import pytest

from indexers.contract import PersonEntry, PersonRole
from indexers.name_keys import (
    fold_tokens,
    person_keys,
    phonetic_keys,
    query_keys,
    soundex2,
    trigrams,
)


@pytest.mark.parametrize(("text", "tokens"), [
    ("Jean-Pierre DUPONT", ["jean", "pierre", "dupont"]),
    ("Madame Hélène LEFÈVRE-Quéré", ["helene", "lefevre", "quere"]),
    ("M. N'Diaye", ["n", "diaye"]),
    ("d'Artagnan", ["d", "artagnan"]),
    ("Madame", ["madame"]),
    ("  ", []),
])
def test_fold_tokens(text: str, tokens: list[str]) -> None:
    assert fold_tokens(text) == tokens


def test_trigrams_are_padded_per_token() -> None:
    assert trigrams(["abc", "de"]) == ["__a", "_ab", "abc", "bc_", "__d", "_de", "de_"]
    assert trigrams(["aa", "aa"]) == ["__a", "_aa", "aa_"]


@pytest.mark.parametrize(("a", "b"), [
    ("dupont", "dupond"), ("gauthier", "gautier"), ("philippe", "filippe"),
    ("Lefèvre", "lefevre"), ("DUP0NT", "dupont"), ("martin", "martins"),
])
def test_soundex2_same_sound(a: str, b: str) -> None:
    assert soundex2(a) == soundex2(b)


@pytest.mark.parametrize(("word", "code"), [
    ("dupont", "DPN"), ("martin", "MRTN"), ("gauthier", "KTR"), ("schmitt", "SMT"),
    ("mac", "MC"), ("", ""), ("123", "LZ"),
])
def test_soundex2_codes(word: str, code: str) -> None:
    assert soundex2(word) == code


def test_soundex2_keeps_different_names_apart() -> None:
    assert soundex2("dupont") != soundex2("dupuis")
    assert soundex2("martin") != soundex2("bernard")


def test_phonetic_keys_skip_particles() -> None:
    assert phonetic_keys(["de", "la", "fontaine"]) == [soundex2("fontaine")]


def test_person_keys() -> None:
    person = PersonEntry(PersonRole.OFFICER, "de La Fontaine", "Marie-Claire", date(1970, 1, 1),
                         usage_name="Martin")
    keys = person_keys(person)
    assert set(keys) == {"exact", "trigram", "phonetic"}
    assert {"fontaine", "delafontaine", "lafontaine", "martin", "marie", "claire"} <= set(
        keys["exact"])
    assert "de" not in keys["exact"] and "la" not in keys["exact"]
    assert "_fo" in keys["trigram"]
    assert soundex2("martin") in keys["phonetic"]


@pytest.mark.parametrize("typed", ["Jean-Pierre Dupont", "DUPONT jean pierre",
                                   "Monsieur Dupont", "Delafontaine", "Dupond", "DUP0NT"])
def test_query_keys_meet_person_keys(typed: str) -> None:
    stored = [PersonEntry(PersonRole.OFFICER, "DUPONT", "Jean-Pierre"),
              PersonEntry(PersonRole.OFFICER, "de la Fontaine", "Anne")]
    query = query_keys(typed)
    assert any(set(query[kind]) & set(person_keys(p)[kind])
               for p in stored for kind in ("exact", "phonetic"))


def test_query_keys_of_nothing() -> None:
    assert query_keys("-- ''") == {"exact": [], "trigram": [], "phonetic": []}
