"""Register extracts in numbered sections: « 2 – Gestion … » headings, officers as one line
« Fonction : Civilité NOM Prénoms » with detail lines under it, company officers as one
sentence, the representative of a company officer (not an officer)."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.kbis import parse_kbis
from extractors.fields.register_headings import heading_title
from kanta_docs.facts import DocumentFacts, value_of
from kanta_docs.vocab import OfficerRole
from tests.unit.fields.pages import make_page

WIDE = (50.0, 260.0)  # a borderless two-column table: label | value


def officer_tuples(facts: DocumentFacts) -> list[tuple[object, ...]]:
    return [(value_of(o.person.last_name), value_of(o.person.first_names), o.role)
            for o in facts.officers]


def _extract(heading: str, officers: list[str], columns: tuple[float, ...] = WIDE) -> list[str]:
    return [
        (150, "EXTRAIT KBIS"),
        (150, "à jour au 3 mars 2025"),
        "1 – Immatriculation",
        "Immatriculation au RCS, numéro : 732 829 320 R.C.S. Lyon",
        "Dénomination : ACME CONSEIL",
        "Forme juridique : Société par actions simplifiée",
        "Capital social : 5 000,00 Euros",
        "Adresse du siège : 12 rue de la Paix 69002 Lyon",
        heading,
        *officers,
        "3 – Renseignements relatifs à l'activité",
        "Activité(s) exercée(s) : Conseil",
    ]


@pytest.mark.parametrize(("text", "title"), [
    ("2 – Gestion et direction", "Gestion et direction"),
    ("1. IMMATRICULATION", "IMMATRICULATION"),
    ("II - Renseignements relatifs à la direction", "Renseignements relatifs à la direction"),
    ("Rubrique 3 : Gestion, direction", "Gestion, direction"),
    ("Vie sociale", "Vie sociale"),
    ("GESTION", "GESTION"),
])
def test_heading_numbering_is_set_aside(text: str, title: str) -> None:
    assert heading_title(text) == title


@pytest.mark.parametrize("heading", [
    "2 – Gestion, direction, administration, contrôle, associés ou membres",
    "2. GESTION ET DIRECTION",
    "II - Renseignements relatifs à la direction",
    "Rubrique 2 : Gestion, direction, administration, contrôle, associés ou membres",
])
def test_numbered_management_heading_opens_the_section(heading: str) -> None:
    officers = ["Président : Monsieur BARBIER Grégoire",
                "Date et lieu de naissance : Le 12/03/1970 à Lyon (69)"]
    facts = parse_kbis([make_page(_extract(heading, officers))])
    assert officer_tuples(facts) == [("BARBIER", "Grégoire", OfficerRole.PRESIDENT)]
    assert value_of(facts.company.capital_eur) == 5000.0  # type: ignore[union-attr]


@pytest.mark.parametrize(("line", "last", "firsts"), [
    ("Gérant : Mme Claire Anne MARTIN", "MARTIN", "Claire Anne"),
    ("Gérant : Monsieur BARBIER Grégoire", "BARBIER", "Grégoire"),
    ("Gérant : DE OLIVEIRA, Anne-Laure Adèle", "DE OLIVEIRA", "Anne-Laure Adèle"),
    ("Gérant – M. MEYER André Jean-Luc", "MEYER", "André Jean-Luc"),
])
def test_function_then_name_line_with_detail_lines(line: str, last: str, firsts: str) -> None:
    officers = [line, (62, "Nom d'usage : DURAND"),
                (62, "Date et lieu de naissance : Le 1er avril 1975 à Nantes (44)"),
                (62, "Nationalité : Française"),
                (62, "Domicile : 3 rue des Lilas 69003 Lyon")]
    facts = parse_kbis([make_page(_extract("2. GESTION", officers))])
    assert officer_tuples(facts) == [(last, firsts, OfficerRole.GERANT)]
    person = facts.officers[0].person
    assert value_of(person.birth_date) == date(1975, 4, 1)  # from the detail line
    assert value_of(person.nationality) == "FRA"
    assert value_of(person.usage_name) == "DURAND"
    assert facts.warnings == ()


def test_role_and_name_in_one_cell_without_colon() -> None:
    # The label column is full: the role and the name run together in one cell.
    officers = ["Directeur général Madame Carole Sandra WEBER",
                "Date et lieu de naissance | Le 14/03/1951 à Luxembourg (Luxembourg)",
                "Commissaire aux comptes suppléant la société TORNO COMMISSARIAT AUX COMPTES, SA,",
                (235, "379 842 719 RCS ANGERS"),
                "Gérant - Associé unique | M. Paul DUPONT"]
    facts = parse_kbis([make_page(_extract("2 – Gestion et direction", officers))])
    assert officer_tuples(facts) == [
        ("WEBER", "Carole Sandra", OfficerRole.DIRECTEUR_GENERAL),
        ("TORNO COMMISSARIAT AUX COMPTES", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
        ("DUPONT", "Paul", OfficerRole.GERANT),
    ]


def test_company_officer_sentence_and_its_representative() -> None:
    officers = [
        "Commissaire aux comptes titulaire : Société MASSON AUDIT, SAS, 912 859 568 RCS NANTERRE",
        (62, "Siège : 149 rue Lamartine 92000 Nanterre"),
        (62, "Représentée par : Mme Hélène TEXIER"),
        "Commissaire aux comptes suppléant : la société MIVA AUDIT & CONSEIL, SARL,",
        (62, "Représentant permanent : M. Marc CRÉPIN"),
        "Administrateur : Monsieur Louis DELATTRE",
    ]
    facts = parse_kbis([make_page(_extract("2 – Gestion et direction", officers))])
    # the representatives are not officers; « Société » before a name in capitals is no part
    # of it; the ampersand is.
    assert officer_tuples(facts) == [
        ("MASSON AUDIT", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
        ("MIVA AUDIT & CONSEIL", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
        ("DELATTRE", "Louis", OfficerRole.ADMINISTRATEUR),
    ]
    assert value_of(facts.officers[0].siren) == "912859568"


def test_prose_going_on_under_the_role_line_still_reads_as_a_phrase() -> None:
    officers = ["Président : M. Jean DUPONT,", (62, "né le 12/03/1970 à Lyon (69)")]
    facts = parse_kbis([make_page(_extract("2 – Gestion et direction", officers))])
    assert officer_tuples(facts) == [("DUPONT", "Jean", OfficerRole.PRESIDENT)]
    assert value_of(facts.officers[0].person.birth_date) == date(1970, 3, 12)


def test_a_value_with_digits_is_no_part_of_a_longer_label() -> None:
    # « Capital social : 500 euros » looks like the label « Capital social (en euros) » fuzzily.
    lines = _extract("2 – Gestion et direction", ["Président : Monsieur Paul DURAND"])
    lines[6] = "Capital social : 500 euros"
    facts = parse_kbis([make_page(lines)])
    assert value_of(facts.company.capital_eur) == 500.0  # type: ignore[union-attr]


def test_ocr_speck_between_a_label_and_its_value_is_skipped() -> None:
    lines = _extract("II - Gestion et direction", ["Président : Monsieur Paul DURAND"])
    lines[7] = "Adresse du siège | 4 | 142 rue Xavier Robert 31700 Blagnac"
    lines.insert(8, "Code NAF | 7311Z")
    facts = parse_kbis([make_page(lines, columns=(50.0, 150.0, 200.0), confidence=90)])
    assert value_of(facts.company.address) == (  # type: ignore[union-attr]
        "142 rue Xavier Robert 31700 Blagnac")


def test_ocr_roman_numbering_read_as_letters() -> None:
    # OCR reads « II - GESTION » as « Il - GESTION ».
    lines = _extract("Il - GESTION, DIRECTION, ADMINISTRATION",
                     ["Gérant, associé unique | Sabine Katrin MULLER",
                      "Date et lieu de naissance | Le 05/04/1960 à Aix-en-Provence (13)"])
    facts = parse_kbis([make_page(lines)])
    assert officer_tuples(facts) == [("MULLER", "Sabine Katrin", OfficerRole.GERANT)]


def test_role_wording_wrapped_in_its_column_is_not_the_name() -> None:
    officers = ["Commissaire aux comptes | Mme RIOU, Chloé", "suppléant",
                "Date et lieu de naissance | Le 01/08/1986 à Saint-Malo (35)"]
    facts = parse_kbis([make_page(_extract("2 – Gestion et direction", officers))])
    assert officer_tuples(facts) == [("RIOU", "Chloé", OfficerRole.COMMISSAIRE_AUX_COMPTES)]


def test_first_digit_of_a_number_is_no_speck() -> None:
    lines = _extract("2 – Gestion et direction", ["Président : Monsieur Paul DURAND"])
    lines[6] = "Capital | 1 | 500 euros"
    facts = parse_kbis([make_page(lines, columns=(50.0, 150.0, 157.0), confidence=90)])
    assert value_of(facts.company.capital_eur) == 1500.0  # type: ignore[union-attr]
