"""Register extracts in the styles of other greffes and data providers: label-above-value pairs
in columns, date phrasings with decoy dates beside them, officers as cards or table rows."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.kbis import parse_kbis
from kanta_docs.facts import DocumentFacts, value_of
from kanta_docs.vocab import OfficerRole
from tests.unit.fields.pages import make_page

PAIRS = (50.0, 300.0)  # two columns of pairs, each a label over its value


def officer_tuples(facts: DocumentFacts) -> list[tuple[object, ...]]:
    return [(value_of(o.person.last_name), value_of(o.person.first_names), o.role)
            for o in facts.officers]


FICHE = [
    (150, "EXTRAIT DU REGISTRE NATIONAL DES ENTREPRISES"),
    (150, "Informations arrêtées au 3 mars 2025"),
    "IDENTIFICATION",
    "Nom de l'entreprise | N° SIREN",
    "ACME CONSEIL | 732 829 320",
    "Forme juridique | Capital social",
    "Société à responsabilité limitée (Société à | 5 000,00 €",
    "associé unique)",
    "Date d'immatriculation | Adresse du siège",
    "01/02/2010 | 12 rue de la Paix",
    (300, "75002 Paris"),
    "Code APE | Dernière modification",
    "7022Z | 12/01/2025",
    "",
    "Dirigeants",
    "Gérant",
    "Jean Pierre DUPONT",
    "Né le 12/03/1970 à Lyon (69)",
    "Nationalité : Française",
    "Domicile : 3 rue des Lilas 69003 Lyon",
    "Co-gérante",
    "Mme MARTIN née DURAND Claire",
    "Née le 1er avril 1975 à Nantes (44)",
    "Commissaire aux comptes titulaire",
    "CABINET LEROY ET ASSOCIÉS",
    "SAS - RCS Lyon 552 100 554",
]


def test_label_above_value_pairs_in_two_columns() -> None:
    facts = parse_kbis([make_page(FICHE, columns=PAIRS)])
    assert facts.company is not None
    # The capital beside the form is not part of the form, nor the address of anything else;
    # « associé unique) » goes on with the form it closes though it begins like a label.
    assert facts.company.to_contract().model_dump() == {
        "siren": "732829320", "name": "ACME CONSEIL", "legal_form": "EURL",
        "capital_eur": 5000.0, "address": "12 rue de la Paix 75002 Paris",
    }


def test_officers_as_cards() -> None:
    facts = parse_kbis([make_page(FICHE, columns=PAIRS)])
    assert officer_tuples(facts) == [
        ("DUPONT", "Jean Pierre", OfficerRole.GERANT),
        ("DURAND", "Claire", OfficerRole.GERANT),
        # a company whose name reads like a role (« … ET ASSOCIÉS ») is the card's name
        ("CABINET LEROY ET ASSOCIÉS", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
    ]
    dupont, durand, _ = facts.officers
    assert value_of(dupont.person.birth_date) == date(1970, 3, 12)
    assert value_of(dupont.person.nationality) == "FRA"
    assert value_of(durand.person.usage_name) == "MARTIN"
    assert value_of(durand.person.birth_date) == date(1975, 4, 1)
    assert facts.warnings == ()


@pytest.mark.parametrize(("name_line", "usage_line", "last", "firsts"), [
    ("DURAND Claire épouse MARTIN", None, "DURAND", "Claire"),
    ("Claire DURAND ép. MARTIN", None, "DURAND", "Claire"),
    ("Claire MARTIN née DURAND", None, "DURAND", "Claire"),
    ("Claire DURAND", "Nom d'usage : MARTIN", "DURAND", "Claire"),
    ("Claire DURAND (nom d'usage : MARTIN)", None, "DURAND", "Claire"),
    ("M. Jean de LA FONTAINE", None, "DE LA FONTAINE", "Jean"),
])
def test_card_names_with_usage_names(name_line: str, usage_line: str | None, last: str,
                                     firsts: str) -> None:
    lines = ["Représentants légaux", "Présidente", name_line]
    lines += [usage_line] if usage_line else []
    lines += ["Née le 01/04/1975 à Nantes (44)"]
    facts = parse_kbis([make_page(lines)])
    assert officer_tuples(facts) == [(last, firsts, OfficerRole.PRESIDENT)]
    if "MARTIN" in name_line + (usage_line or ""):
        assert value_of(facts.officers[0].person.usage_name) == "MARTIN"


def test_cards_without_a_section_heading() -> None:
    facts = parse_kbis([make_page([
        "Extrait Kbis à jour au 6 novembre 2024",
        "Dénomination | ACME",
        "Président depuis le 12/03/2020",
        "Paul DURAND",
        "Né le 12/03/1970 à Lyon (69)",
        "Directeur général",
        "Rue de la Paix",  # no surname: not a name line, and no card
    ])])
    assert officer_tuples(facts) == [("DURAND", "Paul", OfficerRole.PRESIDENT)]


@pytest.mark.parametrize(("rows", "expected"), [
    ([
        "Fonction | Nom, prénoms | Date et lieu de naissance",
        "Président | DUPONT Jean | 12/03/1970 à Lyon (69)",
        "Directeur général | Claire MARTIN née DURAND | 01/04/1975 à Nantes (44)",
    ], "header"),
    ([
        "Qualité | Nom et prénoms | Naissance",
        "Président | DUPONT Jean | 12/03/1970 à Lyon (69)",
        "Directeur général | Claire MARTIN née DURAND | 01/04/1975 à Nantes (44)",
    ], "header"),
    ([  # no header the parser knows: each row reads as a role and a phrase
        "Fonction | Identité | Naissance",
        "Président | DUPONT Jean | 12/03/1970 à Lyon (69)",
        "Directeur général | Claire MARTIN née DURAND | 01/04/1975 à Nantes (44)",
    ], "phrase"),
])
def test_officers_as_table_rows(rows: list[str], expected: str) -> None:
    lines = ["Dirigeants", *rows]
    facts = parse_kbis([make_page(lines, columns=(50, 150, 300))])
    assert officer_tuples(facts) == [
        ("DUPONT", "Jean", OfficerRole.PRESIDENT),
        ("DURAND", "Claire", OfficerRole.DIRECTEUR_GENERAL),
    ], expected


@pytest.mark.parametrize(("lines", "expected"), [
    (["Informations arrêtées au 3 mars 2025", "Dernière modification le 12/01/2025"],
     date(2025, 3, 3)),
    (["Informations arrêtées au : 03/03/2025"], date(2025, 3, 3)),
    (["Dernière modification le 12/01/2025", "Édité le 04/03/2025 à 14h51"], date(2025, 3, 4)),
    (["Dernière mise à jour le 12/01/2025", "Document édité le 4 mars 2025 à 14h51"],
     date(2025, 3, 4)),
    (["Date d'immatriculation | 01/02/2010", "Données arrêtées le 5 mars 2025"],
     date(2025, 3, 5)),
    (["Extrait édité en date du 06/03/2025"], date(2025, 3, 6)),
    (["Dernière mise à jour le 12/01/2025"], None),  # the company's change, not the extract's
])
def test_document_date_phrasings_and_decoys(lines: list[str], expected: date | None) -> None:
    facts = parse_kbis([make_page(["Extrait Kbis", *lines, "Dénomination | ACME"])])
    assert value_of(facts.document_date) == expected


def test_date_printed_under_its_label_beside_another_pair() -> None:
    facts = parse_kbis([make_page([
        "Extrait Kbis",
        "Dénomination | Date d'édition",
        "ACME | 12/03/2025",
        "Date d'immatriculation | Capital",
        "01/02/2010 | 1 000 €",
    ], columns=PAIRS)])
    assert value_of(facts.document_date) == date(2025, 3, 12)
    assert facts.company is not None and value_of(facts.company.name) == "ACME"


def test_label_that_ocr_spaced_over_two_cells() -> None:
    facts = parse_kbis([make_page([
        "Dénomination sociale | N° | SIREN",
        "ETS BARBIER | 371 208 299",
    ], columns=(50, 300, 340))])
    assert facts.company is not None
    assert value_of(facts.company.name) == "ETS BARBIER"
    assert value_of(facts.company.siren) == "371208299"


def test_card_birth_name_in_the_birth_line() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants",
        "Présidente",
        "Mme Claire MARTIN",
        "Née DURAND le 1er avril 1975 à Nantes (44)",
        "Directeur général",
        "M. Paul LEROY",
        "Né le 12/03/1970 à Lyon (69)",
    ])])
    assert officer_tuples(facts) == [
        ("DURAND", "Claire", OfficerRole.PRESIDENT),
        ("LEROY", "Paul", OfficerRole.DIRECTEUR_GENERAL),
    ]
    assert value_of(facts.officers[0].person.usage_name) == "MARTIN"
    assert value_of(facts.officers[0].person.birth_date) == date(1975, 4, 1)


def test_phrase_with_the_birth_name_before_the_date() -> None:
    facts = parse_kbis([make_page([
        "Représentants légaux",
        "Présidente : Mme Claire MARTIN, née DURAND le 1er avril 1975 à Nantes",
    ])])
    assert officer_tuples(facts) == [("DURAND", "Claire", OfficerRole.PRESIDENT)]


@pytest.mark.parametrize(("second", "last", "usage"), [
    ("née DURAND", "DURAND", "MARTIN"),
    ("épouse LEROY", "MARTIN", "LEROY"),
])
def test_card_name_wrapped_before_its_marker(second: str, last: str, usage: str) -> None:
    facts = parse_kbis([make_page([
        "Dirigeants", "Gérante", "Claire MARTIN", second, "Née le 01/04/1975 à Nantes (44)",
    ])])
    assert officer_tuples(facts) == [(last, "Claire", OfficerRole.GERANT)]
    assert value_of(facts.officers[0].person.usage_name) == usage
    assert value_of(facts.officers[0].person.birth_date) == date(1975, 4, 1)


def test_a_short_value_is_not_glued_to_the_label_beside_it() -> None:
    facts = parse_kbis([make_page([
        "Siège social | Bât. C | Clôture de l'exercice | 31/12",
        (200, "214 chemin Louise Courtois"),
        (200, "34000 Montpellier"),
    ], columns=(50, 200, 350, 450))])
    assert facts.company is not None
    assert value_of(facts.company.address) == "Bât. C 214 chemin Louise Courtois 34000 Montpellier"


def test_cards_side_by_side() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants",
        "Président | Directeur général",
        "M. FLEURY Hippolyte | M. Cédric LAMBERT",
        "Né le 10/08/1969 à Lyon (69) | Né le 05/01/1984 à Nanterre (92)",
        "Nationalité : Française | Domicile : 103 place des Peupliers",
        "Commissaire aux comptes titulaire | Commissaire aux comptes suppléant",
        "SOLLU AUDIT & CONSEIL | Mme Agathe MOREL-JOLY",
        "SARL - RCS Dijon 328 136 122 | Née le 20 mars 1970 à Toulouse (31)",
    ], columns=PAIRS)])
    assert officer_tuples(facts) == [
        ("FLEURY", "Hippolyte", OfficerRole.PRESIDENT),
        ("LAMBERT", "Cédric", OfficerRole.DIRECTEUR_GENERAL),
        ("SOLLU AUDIT & CONSEIL", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
        ("MOREL-JOLY", "Agathe", OfficerRole.COMMISSAIRE_AUX_COMPTES),
    ]
    assert value_of(facts.officers[1].person.birth_date) == date(1984, 1, 5)


def test_a_page_header_under_a_role_line_is_no_card_name() -> None:
    first = make_page(["GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
                       "Qualité : Commissaire aux comptes titulaire"])
    second = make_page(["INPI", "Institut national de la propriété industrielle",
                        "Dénomination | CABINET ROBERT ET ASSOCIÉS"], number=2)
    facts = parse_kbis([first, second])
    assert officer_tuples(facts) == [
        ("CABINET ROBERT ET ASSOCIÉS", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
    ]


def test_birth_name_le_gall_is_no_birth_clause() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants",
        "Qualité | Nom et prénoms | Naissance",
        "Présidente | Mme LAINE Éloïse | 30/07/1964 à Villeurbanne (69)",
        (150, "née LE GALL"),
    ], columns=(50, 150, 300))])
    assert officer_tuples(facts) == [("LE GALL", "Éloïse", OfficerRole.PRESIDENT)]
    assert value_of(facts.officers[0].person.usage_name) == "LAINE"


def test_value_running_up_to_the_next_column() -> None:
    facts = parse_kbis([make_page([
        "Forme juridique | Montant du capital social",
        "Société par actions simplifiée (Société à associé | 1 000 euros",
        "unique)",
    ], columns=(50, 280))])
    assert facts.company is not None
    assert value_of(facts.company.legal_form) == "SASU"
    assert value_of(facts.company.capital_eur) == 1000.0


def test_card_name_wrapped_over_two_lines() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants",
        "Directeur général délégué",
        "Mme THÉRON-LEGRAND née LEFÈVRE",
        "Marie-Christine Marie",
        "Née le 6 mai 1996 à Limoges (87)",
        "Administrateur",
        "M. Paul LEROY",
        "Française",  # a nationality alone is no first name
    ])])
    assert officer_tuples(facts) == [
        ("LEFÈVRE", "Marie-Christine Marie", OfficerRole.DIRECTEUR_GENERAL_DELEGUE),
        ("LEROY", "Paul", OfficerRole.ADMINISTRATEUR),
    ]


def test_wrapped_value_stops_at_a_wide_gap() -> None:
    facts = parse_kbis([make_page([
        "Siège social | 47 boulevard Aimé Lebreton",
        (200, "69007 Lyon | ni"),  # an OCR speck far right of the value
    ], columns=(50, 200, 330))])
    assert facts.company is not None
    assert value_of(facts.company.address) == "47 boulevard Aimé Lebreton 69007 Lyon"


def test_officer_rows_as_label_above_value_pairs() -> None:
    facts = parse_kbis([make_page([
        "Extrait Kbis à jour au 6 novembre 2024",
        "Nom de l'entreprise | N° SIREN",
        "ACME | 732 829 320",
        "Forme juridique | Capital social",
        "SAS | 1 000 €",
        "Adresse du siège | Code APE",
        "1 rue X 75001 Paris | 7022Z",
        "",
        "Dirigeants",
        "Présidente",
        "Nom de naissance | Nom d'usage",
        "DURAND | MARTIN",
        "Prénoms | Date de naissance",
        "Claire",  # a value under its label: the role line below is not part of it
        "Directeur général",
        "Fonction | Nom",
        "Directeur général | LEROY",  # values of the labels above, not a role line
        "Prénoms | Nationalité",
        "Paul | Française",
    ], columns=PAIRS)])
    assert officer_tuples(facts) == [
        ("DURAND", "Claire", OfficerRole.PRESIDENT),
        ("LEROY", "Paul", OfficerRole.DIRECTEUR_GENERAL),
    ]
    assert value_of(facts.officers[0].person.usage_name) == "MARTIN"
    assert facts.warnings == ()


def test_usage_name_in_brackets() -> None:
    facts = parse_kbis([make_page(["Dirigeants", "Gérante", "Mme Claire DURAND (MARTIN)",
                                   "Née le 01/04/1975 à Nantes (44)"])])
    assert officer_tuples(facts) == [("DURAND", "Claire", OfficerRole.GERANT)]
    assert value_of(facts.officers[0].person.usage_name) == "MARTIN"


def test_card_name_line_ending_with_its_marker() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants", "Présidente", "Clémence Gaëlle LECLERC née", "TEIXEIRA",
        "Née le 11 janvier 1958 à Nice (06)",
        "Gérante", "Mme LAMBERT-NOEL Élodie", "Dominique",  # a first name, though a country's
        "Née le 18 mai 1979 à Évry (91)",
    ])])
    assert officer_tuples(facts) == [
        ("TEIXEIRA", "Clémence Gaëlle", OfficerRole.PRESIDENT),
        ("LAMBERT-NOEL", "Élodie Dominique", OfficerRole.GERANT),
    ]


def test_scan_specks_and_offsets_around_label_above_values() -> None:
    facts = parse_kbis([make_page([
        "Dénomination sociale | Siège social | À",  # « À »: an OCR speck far right
        (36, "Texier Gestion | | 47 square Gambetta"),  # the scan moved the value 14 pt left
        (300, "33000 Bordeaux"),
    ], columns=(50, 300, 540), confidence=90.0)])
    assert facts.company is not None
    assert value_of(facts.company.name) == "Texier Gestion"
    assert value_of(facts.company.address) == "47 square Gambetta 33000 Bordeaux"


def test_a_speck_before_a_label_line_does_not_make_it_a_name() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants",
        "Gérant",
        (40, ". | Nom de naissance | Prénoms"),
        "SCHMIT | Anne Sandra",
    ], columns=(50, 300), confidence=90.0)])
    assert officer_tuples(facts) == [("SCHMIT", "Anne Sandra", OfficerRole.GERANT)]


@pytest.mark.parametrize(("label", "value"), [
    ("Nom, prénoms", "DUPONT JEAN PIERRE"),
    ("Prénoms et nom", "JEAN PIERRE DUPONT"),
    ("Prénom(s) et nom", "Jean Pierre DUPONT"),
])
def test_all_capitals_name_ordered_by_its_label(label: str, value: str) -> None:
    facts = parse_kbis([make_page(["Dirigeants", "Président", f"{label} | {value}"])])
    assert officer_tuples(facts) == [("DUPONT", "Jean Pierre", OfficerRole.PRESIDENT)]


def test_card_name_in_use_and_birth_name_row() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants", "Présidente", "Claire Marie MARTIN", "Nom de naissance : DURAND",
        "Née le 01/04/1975 à Nantes (44)",
    ])])
    assert officer_tuples(facts) == [("DURAND", "Claire Marie", OfficerRole.PRESIDENT)]
    assert value_of(facts.officers[0].person.usage_name) == "MARTIN"


def test_usage_name_marked_after_it() -> None:
    facts = parse_kbis([make_page(["Dirigeants", "Gérante", "DURAND Claire - MARTIN (nom d'usage)",
                                   "Née le 01/04/1975 à Nantes (44)"])])
    assert officer_tuples(facts) == [("DURAND", "Claire", OfficerRole.GERANT)]
    assert value_of(facts.officers[0].person.usage_name) == "MARTIN"
