"""parse_rbe on register attestations as issuers word and lay them out: labels above their
values in a two-column grid, qualifiers after a label ("à l'état civil", "déclarée"), a dash
between label and value, a holding's own line ("Part du capital détenue"), a modality
sentence quoting a threshold and wrapped back to the margin, a date wrapped in the intro."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.control_holdings import VOTES, find_holdings
from extractors.fields.rbe import parse_rbe
from extractors.fields.rbe_labels import Key, match_label
from kanta_docs.facts import DocumentFacts, value_of
from tests.unit.fields.pages import line_words, make_page

COLUMNS = (60.0, 300.0)
INDENT = 72.0  # holding and modality lines are indented under the identity rows


def _end(x: float, text: str) -> float:
    """Where `make_page` ends a one-cell line starting at x (characters 4.5 points wide)."""
    return x + 4.5 * len(text)


def _right_aligned(text: str, right: float) -> tuple[float, str]:
    """A line (a running footer) ending at `right`: it shows the page's right margin."""
    return right - 4.5 * len(text), text


def _owners(facts: DocumentFacts) -> list[dict[str, object]]:
    return [o.to_contract().model_dump() for o in facts.beneficial_owners]


COMPANY = [
    "ATTESTATION RELATIVE AUX BÉNÉFICIAIRES EFFECTIFS",
    "Attestation délivrée le 05/05/2025",
    "Dénomination | KANTA CONSEIL",
    "SIREN | 889 924 320",
    "Forme juridique | Société par actions simplifiée",
    "Bénéficiaires effectifs déclarés",
]


# ---- labels


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Prénom(s) à l'état civil : Edward", Key.FIRST_NAMES, ["Edward"]),
        ("Prénoms (tels qu'à l'état civil) : Jean Paul", Key.FIRST_NAMES, ["Jean", "Paul"]),
        ("Nom de naissance figurant sur la pièce d'identité : DUPONT", Key.BIRTH_NAME, ["DUPONT"]),
        ("Prénom(s) à l'état civil", Key.FIRST_NAMES, []),  # a label over its value
        ("Nom à l'état civil", Key.BIRTH_NAME, []),
    ],
)
def test_civil_status_qualifiers_belong_to_the_label(text: str, key: Key, value: list[str]) -> None:
    words = line_words(text)
    match = match_label(words)
    assert match is not None and match.key is key
    assert [w.text for w in words[match.end_word :]] == value


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Nationalité - Française", Key.NATIONALITY, ["Française"]),
        ("Nationalité déclarée - Belge", Key.NATIONALITY, ["Belge"]),
        ("Nom — DUPONT", Key.BIRTH_NAME, ["DUPONT"]),
        ("Domicile – 12 rue des Lilas", Key.OTHER_PERSONAL, ["12", "rue", "des", "Lilas"]),
        ("Nom d'usage - —", Key.USAGE_NAME, ["—"]),  # the dash after the separator: none
        ("Nom d'usage (marital) - GUERIN", Key.USAGE_NAME, ["GUERIN"]),
    ],
)
def test_a_lone_dash_separates_label_and_value(text: str, key: Key, value: list[str]) -> None:
    words = line_words(text)
    match = match_label(words)
    assert match is not None and match.key is key, text
    assert [w.text for w in words[match.end_word :]] == value


def test_a_dash_inside_a_spaced_compound_is_no_separator() -> None:
    assert match_label(line_words("Pays - Bas")) is None
    assert match_label(line_words("Guinée - Bissau")) is None


def test_a_common_phrase_before_a_dash_is_a_title_not_a_label() -> None:
    """Running heads and footers: "Bénéficiaires effectifs - SIREN …" names nobody."""
    assert match_label(line_words("Bénéficiaires effectifs - SIREN 951970375")) is None
    assert match_label(line_words("Personne physique - page 2")) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Part du capital détenue : 35 %", Key.CONTROL),
        ("Pourcentage de détention du capital : 33,34 %", Key.CONTROL),  # not the share capital
        ("Droits de vote : 35 %", Key.CONTROL),
        ("Capital détenu indirectement : 20 % via la société X", Key.CONTROL),
        ("Bénéficiaire effectif depuis le : 21/02/2023", Key.SINCE),
    ],
)
def test_holding_and_since_lines_have_labels(text: str, key: Key) -> None:
    match = match_label(line_words(text))
    assert match is not None and match.key is key, text


# ---- documents


def test_grid_of_labels_above_values_two_per_line() -> None:
    """Identity rows printed two per line, each label above its value, with qualifiers after
    the labels; the holdings one per line under them."""
    lines = [
        *COMPANY,
        "M. Jean-Luc LE FLOC'H",
        "Nom patronymique | Nom marital",
        "LE FLOC'H",
        "Prénom(s) à l'état civil | Né(e) le",
        "Jean-Luc Marie | 24/10/1962 à Dijon (21)",
        "Nationalité déclarée | Pays de résidence",
        "FRANÇAISE | France",
        (INDENT, "Part du capital détenue : 49,37 %"),
        (INDENT, "Droits de vote : 49,37 %"),
        (INDENT, "Modalités de contrôle : Détention directe de plus de 25 % du capital"),
        (INDENT, "Date d'effet : 19/01/2009"),
        "Mme Ségolène NOEL épouse GUERIN",
        "Nom de naissance | Nom d'usage",
        "NOEL | GUERIN",
        "Prénoms (tels qu'à l'état civil) | Date de naissance",
        "Ségolène, Aurélie | 04/10/1976",
        "Nationalité | Lieu de résidence",
        "Belge | Bruxelles",
        (INDENT, "Pourcentage de détention du capital : 31 %"),
        (INDENT, "Pourcentage des droits de vote : 31 %"),
    ]
    facts = parse_rbe([make_page(lines, columns=COLUMNS)])
    assert _owners(facts) == [
        {"last_name": "LE FLOC'H", "first_names": "Jean-Luc Marie",
         "birth_date": date(1962, 10, 24), "nationality": "FRA", "capital_pct": 49.37,
         "voting_pct": 49.37},
        {"last_name": "NOEL", "first_names": "Ségolène Aurélie",
         "birth_date": date(1976, 10, 4), "nationality": "BEL", "capital_pct": 31.0,
         "voting_pct": 31.0},
    ]  # fmt: skip
    assert value_of(facts.beneficial_owners[0].since) == date(2009, 1, 19)
    assert facts.warnings == ()


def test_label_and_value_joined_by_a_dash() -> None:
    lines = [
        *COMPANY,
        "M. Honoré ANDRÉ",
        "Nom patronymique - ANDRÉ",
        "Nom d'usage (marital) - —",
        "Prénoms - Honoré Henri",
        "Né(e) le - 25/02/1998 à Pontoise (95)",
        "Nationalité déclarée - Française",
        "Domicile - 87 rue Paul Bert 92000 Nanterre",
        (INDENT, "Pourcentage de détention du capital - 97,39 %"),
        (INDENT, "Pourcentage des droits de vote - 97,39 %"),
        (INDENT, "Bénéficiaire effectif depuis le - 09 avril 2012"),
    ]
    facts = parse_rbe([make_page(lines, columns=COLUMNS)])
    assert _owners(facts) == [
        {"last_name": "ANDRÉ", "first_names": "Honoré Henri", "birth_date": date(1998, 2, 25),
         "nationality": "FRA", "capital_pct": 97.39, "voting_pct": 97.39},
    ]  # fmt: skip
    assert value_of(facts.beneficial_owners[0].since) == date(2012, 4, 9)
    assert value_of(facts.document_date) == date(2025, 5, 5)


def test_threshold_in_a_modality_sentence_wrapped_to_the_margin_is_no_holding() -> None:
    """The modality sentence fills its line and wraps back to the left edge: "… de plus" /
    "de 25 % des droits de vote". The 25 is a threshold, the votes are the split's sum."""
    sentence = (
        "Modalités de contrôle : Détention directe et indirecte de plus de 25 % du capital ; "
        "Détention directe et indirecte de plus"
    )
    lines = [
        *COMPANY,
        "Mme Jennifer MILLER",
        "Nom de famille : MILLER",
        "Prénoms : Jennifer",
        (INDENT, "Droits de vote détenus directement : 34,37 %"),
        (INDENT, "Droits de vote détenus indirectement : 16,63 % via la société HOLDING VAVA"),
        (INDENT, sentence),
        (INDENT, "de 25 % des droits de vote"),
        (INDENT, "Date d'effet : 20/10/2018"),
        _right_aligned("Page 1 sur 1", _end(INDENT, sentence) + 4.5),  # "de" did not fit
    ]
    facts = parse_rbe([make_page(lines, columns=COLUMNS)])
    assert [value_of(o.voting_pct) for o in facts.beneficial_owners] == [51.0]
    assert facts.warnings == ()


def test_line_under_a_label_with_its_colon_is_no_more_of_the_label() -> None:
    """OCR puts "Label :" and the value in two cells; the sentence's last line, narrow and
    under the label, continues the value, not the label."""
    value = "Détention de plus de 25 % du capital et de plus"
    lines = [
        *COMPANY,
        "Mme Jennifer MILLER",
        "Nom de famille : MILLER",
        (INDENT, "Droits de vote : | 51 %"),
        (INDENT, f"Modalités de contrôle : | {value}"),
        (INDENT, "de 25 % des droits de vote"),
        _right_aligned("Page 1 sur 1", _end(230.0, value) + 4.5),
    ]
    facts = parse_rbe([make_page(lines, columns=(60.0, 230.0), confidence=90.0)])
    assert [value_of(o.voting_pct) for o in facts.beneficial_owners] == [51.0]


def test_document_date_wrapped_onto_the_next_line_of_the_intro() -> None:
    lines = [
        "ATTESTATION RELATIVE AUX BÉNÉFICIAIRES EFFECTIFS",
        "L'Institut national de la propriété industrielle atteste qu'à la date du 12",
        "août 2025, 1 personne physique est déclarée en qualité de bénéficiaire effectif.",
        "Dénomination | KANTA CONSEIL",
        "M. Jean DUPONT",
        "Nom : DUPONT",
        "Prénoms : Jean",
    ]
    facts = parse_rbe([make_page(lines, columns=COLUMNS)])
    assert value_of(facts.document_date) == date(2025, 8, 12)


def test_value_wrapped_back_to_the_margin_goes_on_with_its_label() -> None:
    """A one-line company statement fills its line; the legal form's last word wraps back to
    the left margin ("Société par actions simplifiée" / "unipersonnelle")."""
    company = (
        "Entreprise : MARCHAND DÉVELOPPEMENT - SIREN 656185998 - Société par actions simplifiée"
    )
    lines = [
        _right_aligned("RÉPUBLIQUE FRANÇAISE", _end(60.0, company) + 20.0),
        "BÉNÉFICIAIRES EFFECTIFS",
        company,
        "unipersonnelle",
        "Siège : 84 avenue Pasteur 69003 Lyon",
        "Informations à la date du 15/05/2023",
        "Bénéficiaire n°1",
        "Nom | PÉREZ",
        "Prénoms | Hélène",
    ]
    facts = parse_rbe([make_page(lines, columns=(60.0, 270.0))])
    assert facts.company is not None
    assert value_of(facts.company.legal_form) == "SASU"
    assert value_of(facts.company.siren) == "656185998"


@pytest.mark.parametrize(
    "sentence",
    [
        "Détention directe de plus de 25 % des droits de vote",
        "Détention au-delà de 25 % des droits de vote",
        "Détention à partir de 25 % des droits de vote",
        "Détention de 25 % ou plus des droits de vote",
    ],
)
def test_a_threshold_in_a_modality_sentence_is_no_holding(sentence: str) -> None:
    assert find_holdings(sentence) == []
    held = find_holdings(f"{sentence} ; Droits de vote : 40 %")
    assert [(h.value, h.dims) for h in held] == [(40.0, frozenset({VOTES}))]
