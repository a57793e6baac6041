"""Lines, cells and checkbox marks of beneficial-owner documents (rbe_lines, rbe_labels)."""

from __future__ import annotations

import pytest

from extractors.fields.rbe_labels import Key, match_label
from extractors.fields.rbe_lines import document_form_lines, drop_specks, merge_split_lines
from extractors.layout import Line
from kanta_docs.models import Word
from tests.unit.fields.pages import line_words, make_page


def words(text: str, y: float = 100.0) -> list[Word]:
    return line_words(text, y=y)


@pytest.mark.parametrize(("line", "cells"), [
    ("☒ directe | ☐ indirecte", [(True, "directe"), (False, "indirecte")]),
    ("X directe | indirecte", [(True, "directe"), (None, "indirecte")]),
    ("[x] M. | [] Mme (civilité)", [(True, "M."), (False, "Mme (civilité)")]),
    ("[Jindirecte | oO directe", [(False, "indirecte"), (False, "directe")]),
    ("Nombre de formulaires : | 0", [(None, "Nombre de formulaires :"), (None, "0")]),
    ("Représentant légal | ☒", [(None, "Représentant légal"), (True, "")]),
    ("| Nom | . | DUPONT", [(None, "Nom"), (None, "DUPONT")]),
])
def test_cells_and_their_boxes(line: str, cells: list[tuple[bool | None, str]]) -> None:
    (form_line,) = document_form_lines([make_page([line])])
    assert [(c.mark, c.text) for c in form_line.cells] == cells


def test_a_line_split_by_skew_is_joined_back() -> None:
    left = Line(1, (Word("Entreprise", 50, 121.3, 95, 130.3), Word(":", 97, 121.3, 99, 130.3)))
    right = Line(1, (Word("NEXTO", 110, 119.2, 140, 128.2),))
    (merged,) = merge_split_lines([right, left])
    assert merged.text == "Entreprise : NEXTO"


def test_ocr_specks_are_dropped_but_not_dashes() -> None:
    kept = drop_specks([Word("MEUNIER", 48, 244.8, 90, 255.3, 95.0),
                        Word("a", 117.9, 251.7, 120, 253.8, 23.0),
                        Word("-", 100, 249, 103, 250.5, 80.0)])
    assert [w.text for w in kept] == ["MEUNIER", "-"]


def test_slivers_read_as_two_letters_are_dropped() -> None:
    # A box border OCR read as "té": as tall as the text, far too narrow for two letters, and
    # read with little confidence. A narrow word read surely, and "DE", stay.
    kept = drop_specks([Word("Nom", 46.3, 224.9, 60.7, 229.9, 96.0),
                        Word("té", 190.8, 223.7, 194.4, 232.1, 36.7),
                        Word("il", 200, 224.6, 203.5, 232.1, 91.0),
                        Word("DE", 48.5, 240.7, 59.0, 246.5, 45.0)])
    assert [w.text for w in kept] == ["Nom", "il", "DE"]


@pytest.mark.parametrize(("label", "key"), [
    ("Nom de naissance", Key.BIRTH_NAME),
    ("Nom d'usage", Key.USAGE_NAME),
    ("Nom, prénoms :", Key.FULL_NAME),
    ("Nom", Key.BIRTH_NAME),
    ("Prénom(s)", Key.FIRST_NAMES),
    ("Prenom principal", Key.FIRST_NAME_MAIN),
    ("Nationalite", Key.NATIONALITY),
    ("Nom de naissanse", Key.BIRTH_NAME),  # OCR slip
    ("3) Date à laquelle la personne est devenue bénéficiaire effectif", Key.SINCE),
    ("Nom, prénom du représentant légal", Key.SIGNATORY),
    ("Adresse du siège", Key.SEAT_ADDRESS),
])
def test_labels(label: str, key: Key) -> None:
    match = match_label(words(label))
    assert match is not None and match.key is key


@pytest.mark.parametrize("text", [
    "Société par actions simplifiée", "Bénéficiaire effectif n° 2", "BÉNÉFICIAIRES EFFECTIFS",
    "Détention directe de 20 % du capital", "Nom DUPONT",
])
def test_phrases_that_are_not_labels(text: str) -> None:
    assert match_label(words(text)) is None


def test_a_label_never_ends_inside_a_word() -> None:
    assert match_label(words("Pays-Bas")) is None
    match = match_label(words("Prénom(s) Jean"))
    assert match is not None and match.key is Key.FIRST_NAMES


def test_a_label_short_word_read_surely_stays_on_a_form_whose_boxes_make_words_tall() -> None:
    # Words read with their box's border are 11-12 points high: « de » (5 points, read at 97)
    # falls under the speck height but is the « de » of « Nom de naissance ».
    kept = drop_specks([Word("Nom", 46.4, 224.6, 59.8, 230.0, 96.0),
                        Word("de", 61.6, 225.0, 68.8, 230.0, 97.0),
                        Word("Pseudonyme", 45.0, 251.3, 85.0, 263.5, 96.0),
                        Word("Maria", 174.2, 268.2, 204.5, 280.1, 96.0),
                        Word("Nantes", 199.8, 298.4, 235.1, 309.6, 96.0),
                        Word("de", 300, 251.0, 307, 253.0, 97.0),  # 2 points: a speck still
                        Word("a", 117.9, 251.7, 120, 253.8, 23.0)])
    assert [w.text for w in kept] == ["Nom", "de", "Pseudonyme", "Maria", "Nantes"]
