"""Owner blocks found on the document's structure, for layouts the rules were not written for:
owners side by side under numbered headings, wrapped labels, labels with qualifiers and
bracketed plurals, listings whose pattern repeats, owners described in prose."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from extractors.fields.control_modalities import Statement, read_control
from extractors.fields.rbe import parse_rbe
from extractors.fields.rbe_labels import Key, match_label
from kanta_docs.facts import DocumentFacts, value_of
from tests.unit.fields.pages import line_words, make_page

if TYPE_CHECKING:
    from kanta_docs.models import Word

SIDE_BY_SIDE = (60.0, 200.0, 340.0, 480.0)


def owners(facts: DocumentFacts) -> list[dict[str, object]]:
    return [o.to_contract().model_dump() for o in facts.beneficial_owners]


def words(text: str) -> list[Word]:
    return line_words(text, x=0.0)


def test_owners_side_by_side_under_numbered_headings() -> None:
    page = make_page(
        [
            "ÉTAT DES BÉNÉFICIAIRES EFFECTIFS",
            "Dénomination : MAISON BRUNET",
            "Date de l'état : 14/05/2025",
            "",
            (200.0, "Bénéficiaire n° 1 | Bénéficiaire n° 2 | Bénéficiaire n° 3"),
            "Nom de naissance | MARTIN | DURAND-LEFEBVRE | NGUYEN",
            "Nom d'usage | | BERNARD",
            "Prénom(s) usuel(s) | Claire Anne | Paul | Minh",
            "Date et lieu de | 12/03/1970, | 03/02/1981, Liège | 30/11/1975",
            "naissance | Bordeaux (33) | (Belgique)",
            "Nationalité | Française | Belge | Vietnamienne",
            "Pourcentage de | 40 % du capital, | 35 % du capital, | 25 % du capital,",
            "détention | 40 % des votes | 35 % des votes | 25 % des votes",
            "",
            "",
            "Document délivré à titre d'information, sans valeur probante.",
        ],
        columns=SIDE_BY_SIDE,
    )
    facts = parse_rbe([page])
    assert owners(facts) == [
        {
            "last_name": "MARTIN",
            "first_names": "Claire Anne",
            "birth_date": date(1970, 3, 12),
            "nationality": "FRA",
            "capital_pct": 40.0,
            "voting_pct": 40.0,
        },
        {
            "last_name": "DURAND-LEFEBVRE",
            "first_names": "Paul",
            "birth_date": date(1981, 2, 3),
            "nationality": "BEL",
            "capital_pct": 35.0,
            "voting_pct": 35.0,
        },
        {
            "last_name": "NGUYEN",
            "first_names": "Minh",
            "birth_date": date(1975, 11, 30),
            "nationality": "VNM",
            "capital_pct": 25.0,
            "voting_pct": 25.0,
        },
    ]
    assert value_of(facts.beneficial_owners[1].person.usage_name) == "BERNARD"
    assert facts.beneficial_owners[0].person.usage_name is None
    assert facts.company is not None and value_of(facts.company.name) == "MAISON BRUNET"
    assert not [w for w in facts.warnings if "beneficial owner" in w]


def test_side_by_side_bands_follow_one_another_and_a_lone_column() -> None:
    page = make_page(
        [
            (200.0, "Personne n° 1 | Personne n° 2"),
            "Nom | LEROY | PETIT",
            "Prénoms | Hugo | Inès",
            "Né(e) le | 01/01/1980 | 02/02/1982",
            "Détention | 30 % du capital | 30 % du capital",
            "",
            (200.0, "Personne n° 3"),
            "Nom | FAURE",
            "Prénoms | Léon",
            "Né(e) le | 03/03/1984",
            "Détention | 40 % du capital",
        ],
        columns=SIDE_BY_SIDE,
    )
    facts = parse_rbe([page])
    assert [(o["last_name"], o["first_names"], o["capital_pct"]) for o in owners(facts)] == [
        ("LEROY", "Hugo", 30.0),
        ("PETIT", "Inès", 30.0),
        ("FAURE", "Léon", 40.0),
    ]


def test_label_qualifiers_and_bracketed_plurals_never_reach_a_value() -> None:
    match = match_label(words("Prénom(s) usuel(s)"))
    assert match is not None and match.key in (Key.FIRST_NAMES, Key.FIRST_NAME_MAIN)
    assert match.end_word == 2
    match = match_label(words("Nom (en majuscules) : ROUX"))
    assert match is not None and match.key is Key.BIRTH_NAME and match.end_word == 3
    match = match_label(words("Nationalité(s) Française"))
    assert match is not None and match.key is Key.NATIONALITY and match.end_word == 1
    page = make_page(
        [
            "Dénomination : ATELIER ROUX",
            "Bénéficiaire effectif n° 1",
            "Nom de naissance (en majuscules) : ROUX",
            "Prénom(s) usuel(s) | Anne-Marie Louise",
            "Né(e) le : 5 juin 1966",
            "Nationalité(s) : française",
            "Détention directe de 100 % du capital et des droits de vote",
        ]
    )
    facts = parse_rbe([page])
    assert owners(facts) == [
        {
            "last_name": "ROUX",
            "first_names": "Anne-Marie Louise",
            "birth_date": date(1966, 6, 5),
            "nationality": "FRA",
            "capital_pct": 100.0,
            "voting_pct": 100.0,
        }
    ]


def test_a_repeated_birth_date_closes_the_owner_even_when_the_next_name_is_unreadable() -> None:
    page = make_page(
        [
            "Dénomination : LES COTEAUX",
            "Nom : BLANC",
            "Prénoms : Jeanne",
            "Date de naissance : 08/08/1958",
            "Détention directe de 60 % du capital",
            "N#m : ~~~~",  # the second owner's name, lost to the scan
            "Date de naissance : 09/09/1969",
            "Détention directe de 40 % du capital",
        ]
    )
    facts = parse_rbe([page])
    assert [(o["last_name"], o["birth_date"], o["capital_pct"]) for o in owners(facts)] == [
        ("BLANC", date(1958, 8, 8), 60.0)
    ]
    assert any("without a readable name" in w for w in facts.warnings)
    assert not any("two different" in w for w in facts.warnings)


def test_owners_described_in_prose_one_paragraph_each() -> None:
    page = make_page(
        [
            "La société KANTA, SAS au capital de 10 000 euros, immatriculée au RCS de Caen sous le",
            "numéro 889 924 320, déclare les bénéficiaires effectifs suivants :",
            "Monsieur Jean DUPONT, né le 12 mars 1970 à Lyon, de nationalité française,",
            "détient 60 % du capital et des droits de vote.",
            "Madame Claire MARTIN, née le 3 février 1981 à Namur, de nationalité belge,",
            "détient 40 % du capital et des droits de vote.",
            "Monsieur Paul DURAND, président, atteste l'exactitude des informations ci-dessus.",
        ]
    )
    facts = parse_rbe([page])
    assert owners(facts) == [
        {
            "last_name": "DUPONT",
            "first_names": "Jean",
            "birth_date": date(1970, 3, 12),
            "nationality": "FRA",
            "capital_pct": 60.0,
            "voting_pct": 60.0,
        },
        {
            "last_name": "MARTIN",
            "first_names": "Claire",
            "birth_date": date(1981, 2, 3),
            "nationality": "BEL",
            "capital_pct": 40.0,
            "voting_pct": 40.0,
        },
    ]


def test_a_figure_does_not_take_the_measure_that_ends_the_previous_one() -> None:
    both = read_control([Statement("43,72 % du capital, 48,72 % des droits de vote", True)],
                        is_form=False)  # fmt: skip
    assert (both.capital_pct, both.voting_pct, both.conflicts) == (43.72, 48.72, ())
    split = read_control([
        Statement("Détient 15,54 % du capital directement et 17,80 % indirectement par "
                  "l'intermédiaire de la société KAMI INVEST"),
        Statement("Pourcentage de détention : 33,34 % du capital, 37,34 % des droits de vote",
                  True),
    ], is_form=False)  # fmt: skip
    assert (split.capital_pct, split.voting_pct, split.conflicts) == (33.34, 37.34, ())
    assert {"direct", "indirect", "via_legal_persons"} <= split.modalities


def test_a_column_whose_heading_the_scan_lost_does_not_leak_into_the_labels() -> None:
    page = make_page([
        (340.0, "Personne n° 2"),
        "Nom | | GIRAUD",
        "Prénoms | Hélène | Marc",
        "Pourcentage de | 40 % du capital, | 60 % du capital,",
        "détention | 40 % des votes | 60 % des votes",
    ], columns=SIDE_BY_SIDE)
    facts = parse_rbe([page])
    assert owners(facts) == [
        {"last_name": "GIRAUD", "first_names": "Marc", "birth_date": None, "nationality": None,
         "capital_pct": 60.0, "voting_pct": 60.0}]


def test_a_company_name_label_followed_by_a_sentence_is_not_the_name() -> None:
    page = make_page([
        "La société ORÉE CONSEIL (SARL), immatriculée sous le numéro 889 924 320 RCS Caen,",
        "a déclaré les bénéficiaires effectifs suivants.",
        "Nom : MOREL", "Prénoms : Lucie", "Détention directe de 100 % du capital",
        "Relevé établi à partir des déclarations de la",
        "société : il ne préjuge pas de l'exactitude des informations déclarées.",
    ])
    facts = parse_rbe([page])
    assert facts.company is not None and value_of(facts.company.name) == "ORÉE CONSEIL"
