"""parse_rbe on OCR pages whose words come in an odd order, with punctuation specks, or with
boxed digits read as cells: labels pair with their values by where they sit on the page, not by
the order OCR emitted them, and OCR noise does not break the pairing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from extractors.fields.rbe import parse_rbe
from extractors.fields.rbe_labels import Key, match_label
from tests.unit.fields.pages import line_words, make_page

if TYPE_CHECKING:
    from kanta_docs.facts import DocumentFacts

COLUMNS = (65.0, 240.0)
GREFFE = [
    "EXTRAIT DU REGISTRE DES BÉNÉFICIAIRES EFFECTIFS",
    "Extrait délivré le 9 juillet 2019",
    "Dénomination | LUTOTOR SERVICES",
    "Forme juridique | Société à responsabilité limitée",
    "Immatriculation | 955 599 071 RCS Le Mans",
    "Bénéficiaire effectif n° 1 :",
    "Nom | DI MARCO épouse NOEL-DUVAL",
    "Prénom(s) | Zoé",
    "Date et lieu de naissance | 19 février 1971 à Quimper (France)",
    "Nationalité | Française",
    "Modalités de contrôle | Détention directe de 33,34% du capital",
    "Bénéficiaire effectif n° 2",
    "Nom | BERTRAND-GARCIA épouse BRUN",
    "Prénom(s) | Émilie Dominique",
    "Date et lieu de naissance | 7 janvier 1959 à Chambéry (France)",
    "Nationalité | Française",
    "Modalités de contrôle | Détention directe de 33,33% du capital",
    "Pour extrait conforme, le greffier",
]
EXPECTED = [
    ("DI MARCO", "Zoé", date(1971, 2, 19), 33.34),
    ("BERTRAND-GARCIA", "Émilie Dominique", date(1959, 1, 7), 33.33),
]


def summary(facts: DocumentFacts) -> list[tuple[object, ...]]:
    out = []
    for owner in facts.beneficial_owners:
        p = owner.person
        out.append(
            tuple(
                v.value if v is not None else None
                for v in (p.last_name, p.first_names, p.birth_date, owner.capital_pct)
            )
        )
    return out


def test_label_column_emitted_before_its_values() -> None:
    """OCR reads the second owner's labels as a block of their own, before the values beside
    them, and the value column sits a point lower than its labels (the page was turned and
    deskewed): each value still goes with the label on its line, and no first name moves to
    the next owner."""
    page = make_page(GREFFE, columns=COLUMNS, confidence=92.0)
    second = next(i for i, w in enumerate(page.words) if w.text == "2")
    labels = [w for w in page.words[second + 1 :] if w.x0 < COLUMNS[1]]
    values = [replace(w, top=w.top + 1.5, bottom=w.bottom + 1.5)
              for w in page.words[second + 1 :] if w.x0 >= COLUMNS[1]]  # fmt: skip
    shuffled = replace(page, words=(*page.words[: second + 1], *labels, *values))
    assert [w.text for w in shuffled.words[second + 1 : second + 4]] == ["Nom", "Prénom(s)", "Date"]

    assert summary(parse_rbe([shuffled])) == EXPECTED
    assert summary(parse_rbe([page])) == EXPECTED


def test_whole_label_column_before_the_value_column() -> None:
    """Every label of the page first, top to bottom, then every value: same reading."""
    page = make_page(GREFFE, columns=COLUMNS, confidence=92.0)
    left = [w for w in page.words if w.x0 < COLUMNS[1]]
    right = [w for w in page.words if w.x0 >= COLUMNS[1]]
    assert summary(parse_rbe([replace(page, words=(*left, *right))])) == EXPECTED


def test_speck_read_as_a_dot_between_a_label_and_its_value() -> None:
    """OCR reads a speck after "Nom" as "."; the label still opens the owner's name, so the
    owner is named and the next owner's name does not land in this one's block."""
    lines = [line.replace("Nom | DI MARCO", "Nom . | DI MARCO") for line in GREFFE]
    facts = parse_rbe([make_page(lines, columns=COLUMNS, confidence=92.0)])
    assert summary(facts) == EXPECTED


def test_leaders_after_a_label_separate_it_from_its_value() -> None:
    for text in ("Nom ........ DUPONT", "Nom . DUPONT", "Nom ‘ DUPONT", "Nom … DUPONT"):
        words = line_words(text)
        match = match_label(words)
        assert match is not None, text
        assert match.key is Key.BIRTH_NAME
        assert [w.text for w in words[match.end_word :]] == ["DUPONT"]
    for text in ("Nationalité + Française", "Nationalité * Française"):
        words = line_words(text)
        match = match_label(words)
        assert match is not None, text
        assert match.key is Key.NATIONALITY
        assert [w.text for w in words[match.end_word :]] == ["Française"]
    # Neither dashes nor commas: a value, and a sentence.
    assert match_label(line_words("Pays - Bas")) is None
    assert match_label(line_words("Bénéficiaire effectif , au sens de la loi")) is None


def test_siren_read_box_by_box_as_cells_of_its_own() -> None:
    """A SIREN printed one digit per box, each box a cell for OCR: the digits are joined
    when they make a valid SIREN, and a sheet whose boxes OCR misread does not hide it."""
    boxes = " | ".join("307668723")
    lines = [
        "Dénomination | LUTOTOR SERVICES",
        f"Numéro d'identification (SIREN) : | {boxes} | RCS de Bayonne",
        "Bénéficiaire effectif n° 1 :",
        "Nom | DI MARCO",
        "Prénom(s) | Zoé",
    ]
    grid = [65.0, *(240.0 + 20 * i for i in range(11))]
    page = make_page(lines, columns=grid, confidence=90.0)
    facts = parse_rbe([page])
    assert facts.company is not None and facts.company.siren is not None
    assert facts.company.siren.value == "307668723"
