"""fold_text keeps spans valid: same length, char for char; fold_words is for comparing words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.french.folding import fold_text, fold_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Décembre", "decembre"),
        ("FRANÇAISE", "francaise"),
        ("L\u2019an", "l'an"),
        ("10\u202f000\u00a0€", "10 000 €"),
        ("Jean\u2013Pierre", "jean-pierre"),
        ("ŒUVRE", "œuvre"),
        ("İstanbul", "İstanbul"),  # lower() of İ is two characters: left alone
    ],
)
def test_fold_text(text: str, expected: str) -> None:
    assert fold_text(text) == expected


@given(st.text())
def test_fold_text_keeps_length(text: str) -> None:
    assert len(fold_text(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jean-Pierre  DE LA FONTAINE", "jean pierre de la fontaine"),
        ("d\u2019Artagnan", "d artagnan"),
        ("Œdipe Æsir Straße", "oedipe aesir strasse"),
        ("  ", ""),
    ],
)
def test_fold_words(text: str, expected: str) -> None:
    assert fold_words(text) == expected
