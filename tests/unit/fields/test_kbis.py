from __future__ import annotations

from datetime import date

import pytest

from extractors.fields.kbis import parse_capital, parse_kbis
from kanta_docs.facts import DocumentFacts, OfficerFacts, value_of
from kanta_docs.vocab import OfficerRole
from tests.unit.fields.pages import make_page

INFOGREFFE = [
    "Greffe du Tribunal de Commerce de Nice | | Code de vérification : abc123XYZ",
    "N° de gestion 2022B94485",
    (240, "Extrait Kbis"),
    "EXTRAIT D'IMMATRICULATION PRINCIPALE AU REGISTRE DU COMMERCE ET DES SOCIETES",
    (240, "à jour au 6 novembre 2024"),
    "IDENTIFICATION DE LA PERSONNE MORALE",
    "Immatriculation au RCS, numéro | 732 829 320 R.C.S. Nice",
    "Date d'immatriculation | 29/09/2022",
    "Dénomination ou raison sociale | Duval Services",
    "Forme juridique | Société à responsabilité limitée (Société à associé unique)",
    "Capital social | 100 000,00 Euros",
    "Numéro d'identification Européen - EUID | FR0605.552100554",
    "Adresse du siège | 18 boulevard Simone Martel",
    (200, "06000 Nice"),
    "Date de clôture de l'exercice social | 31 décembre",
    "GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
    "Gérant - Associé unique",
    "Nom, prénoms | LAMBERT Nathalie Chloé",
    "Nom d'usage | DU PLESSIS",
    "Date et lieu de naissance | Le 21/08/1967 à Bayonne (64)",
    "Nationalité | Française",
    "Domicile personnel | 1 square du Général de Gaulle 75008 Paris",
    "Commissaire aux comptes titulaire",
    "Dénomination | AUDIT RÉKA",
    "Forme juridique | Société anonyme",
    "Adresse | 236 cours de Verdun 74000 Annecy",
    "Immatriculation au RCS, numéro | 552 100 554 RCS Annecy",
    "RENSEIGNEMENTS RELATIFS A L'ACTIVITE ET A L'ETABLISSEMENT PRINCIPAL",
    "Adresse de l'établissement | 18 boulevard Simone Martel 06000 Nice",
    "Activité(s) exercée(s) | Conseil de gestion",
    "R.C.S. Nice - 07/11/2024 - 08:01:12 | | | page 1/1",
]


def officer_tuples(facts: DocumentFacts) -> list[tuple[object, ...]]:
    return [(value_of(o.person.last_name), value_of(o.person.first_names), o.role)
            for o in facts.officers]


def test_infogreffe_extract_reads_company_date_and_officers() -> None:
    facts = parse_kbis([make_page(INFOGREFFE)])
    company = facts.company
    assert company is not None
    assert company.to_contract().model_dump() == {
        "siren": "732829320", "name": "Duval Services", "legal_form": "EURL",
        "capital_eur": 100000.0, "address": "18 boulevard Simone Martel 06000 Nice",
    }
    assert value_of(facts.document_date) == date(2024, 11, 6)  # "à jour au", not the print date
    assert officer_tuples(facts) == [
        ("LAMBERT", "Nathalie Chloé", OfficerRole.GERANT),
        ("AUDIT RÉKA", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
    ]
    gerant, cac = facts.officers
    assert value_of(gerant.person.usage_name) == "DU PLESSIS"
    assert value_of(gerant.person.birth_date) == date(1967, 8, 21)
    assert value_of(gerant.person.nationality) == "FRA"
    assert cac.is_company and value_of(cac.siren) == "552100554"
    assert facts.warnings == ()


def test_every_value_has_provenance() -> None:
    facts = parse_kbis([make_page(INFOGREFFE)])
    assert facts.company is not None and facts.company.siren is not None
    provenance = facts.company.siren.provenance
    assert provenance is not None and provenance.page == 1
    assert provenance.text == "732 829 320 R.C.S. Nice"  # the printed span, not the value
    assert all(o.person.last_name and o.person.last_name.provenance for o in facts.officers)


def test_siren_is_never_read_from_the_euid() -> None:
    facts = parse_kbis([make_page([
        "Extrait Kbis à jour au 3 mars 2025",
        "Dénomination | ACME",
        "Numéro d'identification Européen - EUID | FR7501.732829320",
    ])])
    assert facts.company is not None and facts.company.siren is None
    assert "company siren not found" in facts.warnings


def test_siren_failing_its_check_digit_is_none_with_a_warning() -> None:
    facts = parse_kbis([make_page(["N° SIREN | 732 829 321", "Dénomination | ACME"])])
    assert facts.company is not None and facts.company.siren is None
    assert any("check digits" in w for w in facts.warnings)


INPI = [
    "INPI | | RÉPUBLIQUE FRANÇAISE",
    "ATTESTATION D'IMMATRICULATION AU REGISTRE NATIONAL DES ENTREPRISES",
    "L'Institut national de la propriété industrielle atteste que les informations ci-dessous,",
    "concernant l'entreprise BÉGUÉ TRANSPORTS, sont inscrites au Registre à la date du",
    "19/01/2026.",
    "IDENTITÉ DE L'ENTREPRISE",
    "SIREN | 732829320",
    "Date de mise à jour de l'entreprise 31/08/2025",
    "Forme juridique | Société par actions simplifiée",
    "Capital social | 1000 EUR",
    "Associé unique | Oui",
    "Adresse du siège | 71 quai des Écoles 44400 Rezé",
    "GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
    "Qualité : Président",
    "Dénomination | SOLNO PARTICIPATIONS",
    "SIREN | 552 100 554",
    "Qualité : Directeur général",
    "Nom | DU BOIS DE LA ROCHE",
    "Prénom(s) | Paul Noël",
    "Date de naissance (mm/aaaa) | 05/1961",
    "ÉTABLISSEMENT PRINCIPAL",
    "Adresse | 71 quai des Écoles 44400 Rezé",
    "Registre national des entreprises - INPI - document délivré le 20/01/2026 | | | Page 1 / 1",
]


def test_inpi_attestation() -> None:
    facts = parse_kbis([make_page(INPI)])
    assert facts.company is not None
    assert facts.company.to_contract().model_dump() == {
        "siren": "732829320", "name": "BÉGUÉ TRANSPORTS", "legal_form": "SASU",
        "capital_eur": 1000.0, "address": "71 quai des Écoles 44400 Rezé",
    }
    # « à la date du » across a line break; not « Date de mise à jour de l'entreprise ».
    assert value_of(facts.document_date) == date(2026, 1, 19)
    assert officer_tuples(facts) == [
        ("SOLNO PARTICIPATIONS", None, OfficerRole.PRESIDENT),
        ("DU BOIS DE LA ROCHE", "Paul Noël", OfficerRole.DIRECTEUR_GENERAL),
    ]
    assert value_of(facts.officers[0].siren) == "552100554"
    assert facts.officers[1].person.birth_date is None  # month and year only: not a date


TABLE = [
    (160, "GREFFE DU TRIBUNAL DE COMMERCE DE CAEN"),
    (160, "Extrait à jour au : 27.12.2024 | | N° de gestion : 2024D63965"),
    "IDENTIFICATION DE LA SOCIÉTÉ | | ACTIVITÉ ET ÉTABLISSEMENT",
    "N° SIREN | 732829320 | Code NAF | 4632A",
    "RCS | CAEN B 732 829 320 | Activité | Commerce de gros de viandes et",
    "Dénomination | Luva | | produits à base de viande",
    "Forme juridique | Société en nom collectif | Début d'activité | 17/10/2024",
    "Capital | 5 000,00 € | Durée | 99 ans",
    "Siège social | 155 route Anatole France | Clôture | 31/12",
    (130, "14000 Caen | Établissement | 155 route Anatole France"),
    "Immatriculée le | 14/10/2024 | principal | 14000 Caen",
    "DIRIGEANTS ET ORGANES DE CONTRÔLE",
    "Qualité | Nom / Dénomination | Prénoms | Né(e) le",
    "Gérant | MOREL | Matthieu | 14/01/1962",
    "Associé en nom | D'ARVIEU | Pierre-Yves | 22/09/1991",
    "collectif | | Sébastien",
    "Commissaire aux | AUDIT SOLVA",
    "comptes titulaire | RCS Metz 552 100 554",
    "",
    "Extrait délivré le 27.12.2024, certifié conforme au registre.",
]


def test_two_column_layout_and_officer_table() -> None:
    facts = parse_kbis([make_page(TABLE, columns=(50, 130, 330, 420))])
    assert facts.company is not None
    assert facts.company.to_contract().model_dump() == {
        "siren": "732829320", "name": "Luva", "legal_form": "SNC", "capital_eur": 5000.0,
        "address": "155 route Anatole France 14000 Caen",
    }
    assert value_of(facts.document_date) == date(2024, 12, 27)
    assert officer_tuples(facts) == [
        ("MOREL", "Matthieu", OfficerRole.GERANT),
        ("D'ARVIEU", "Pierre-Yves Sébastien", OfficerRole.OTHER),
        ("AUDIT SOLVA", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
    ]
    assert value_of(facts.officers[0].person.birth_date) == date(1962, 1, 14)
    assert value_of(facts.officers[2].siren) == "552100554"


PROSE = [
    "EXTRAIT D'IMMATRICULATION AU REGISTRE DU COMMERCE ET DES SOCIETES",
    "Mis à jour le 3 mars 2025",
    "Dénomination : DUPONT CONSEIL",
    "Forme : SARL",
    "Capital : 5 000 euros",
    "Siège : 12 rue de la Paix,",
    "75002 Paris",
    "RCS Lyon 732 829 320",
    "Représentants légaux",
    "Gérant : M. Jean Pierre DUPONT, né le 12/03/1970 à Lyon (69), de nationalité",
    "française, demeurant 3 rue des Lilas 69003 Lyon",
    "Co-gérante : Mme Claire MARTIN née DURAND, née le 1er avril 1975",
    "Commissaire aux comptes : la société AUDIT PLUS, SAS, RCS Lyon 552 100 554",
    "",
    "Fait à Lyon, le 4 mars 2025",
]


def test_prose_extract_with_officers_in_phrases() -> None:
    facts = parse_kbis([make_page(PROSE)])
    assert facts.company is not None
    assert facts.company.to_contract().model_dump() == {
        "siren": "732829320", "name": "DUPONT CONSEIL", "legal_form": "SARL",
        "capital_eur": 5000.0, "address": "12 rue de la Paix, 75002 Paris",
    }
    assert value_of(facts.document_date) == date(2025, 3, 3)  # the register's date, not "Fait"
    assert officer_tuples(facts) == [
        ("DUPONT", "Jean Pierre", OfficerRole.GERANT),
        ("DURAND", "Claire", OfficerRole.GERANT),  # birth name; MARTIN is her usage name
        ("AUDIT PLUS", None, OfficerRole.COMMISSAIRE_AUX_COMPTES),
    ]
    dupont, martin, audit = facts.officers
    assert value_of(dupont.person.birth_date) == date(1970, 3, 12)
    assert value_of(dupont.person.nationality) == "FRA"
    assert value_of(martin.person.usage_name) == "MARTIN"
    assert value_of(martin.person.birth_date) == date(1975, 4, 1)
    assert audit.is_company and value_of(audit.siren) == "552100554"


def test_inline_labels_and_no_section_heading() -> None:
    facts = parse_kbis([make_page([
        "Extrait Kbis du 12/03/2025",
        "Dénomination : ACME Forme : SAS Capital : 1 000 €",
        "SIREN : 732 829 320",
        "Siège social : 1 rue X 75001 Paris",
        "Président : HOLDING DUPONT (SIREN 552 100 554)",
        "Directeur général : Paul DURAND",
    ])])
    assert facts.company is not None
    contract = facts.company.to_contract()
    assert (contract.name, contract.legal_form, contract.capital_eur) == ("ACME", "SAS", 1000.0)
    assert officer_tuples(facts) == [
        ("HOLDING DUPONT", None, OfficerRole.PRESIDENT),
        ("DURAND", "Paul", OfficerRole.DIRECTEUR_GENERAL),
    ]


def test_ocr_slips_in_labels_and_low_confidence_warnings() -> None:
    page = make_page([
        "Extrait Kbis a jour au 6 novembre 2024",
        "Immatrlculation au RCS, numéro | 732 829 320 R.C.S. Nice",
        "Dénomlnation ou raison sociale | ACME",
        "Forme juridlque | Societe par actions simplifiee",
        "Capltal social | .1 000,00 Euros",
        "Adresse du slege | 1 rue X 06000 Nice",
        "GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
        "President",
        "Nom, prenoms | DUPONT Jean",
        "Nationallté | Francaise",
    ], confidence=60.0)
    facts = parse_kbis([page])
    assert facts.company is not None
    assert facts.company.to_contract().model_dump() == {
        "siren": "732829320", "name": "ACME", "legal_form": "SAS", "capital_eur": 1000.0,
        "address": "1 rue X 06000 Nice",
    }
    assert officer_tuples(facts) == [("DUPONT", "Jean", OfficerRole.PRESIDENT)]
    assert value_of(facts.officers[0].person.nationality) == "FRA"
    assert "page 1: company name read with low confidence" in facts.warnings


def test_officer_block_over_a_page_break() -> None:
    first = make_page([
        "Extrait Kbis à jour au 6 novembre 2024",
        "Immatriculation au RCS, numéro | 732 829 320 R.C.S. Nice",
        "GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
        "Président",
        "Nom, prénoms | DUPONT Jean",
        "R.C.S. Nice - 07/11/2024 - 08:01:12",
    ])
    second = make_page([
        "Greffe du Tribunal de Commerce de Nice",
        "N° de gestion 2022B94485",
        "Date et lieu de naissance | Le 01/02/1960 à Nice (06)",
        "Directeur général",
        "Nom, prénoms | MARTIN Claire",
        "FIN DE L'EXTRAIT",
    ], number=2)
    facts = parse_kbis([first, second])
    assert officer_tuples(facts) == [
        ("DUPONT", "Jean", OfficerRole.PRESIDENT),
        ("MARTIN", "Claire", OfficerRole.DIRECTEUR_GENERAL),
    ]
    assert value_of(facts.officers[0].person.birth_date) == date(1960, 2, 1)


def test_several_people_under_one_role() -> None:
    facts = parse_kbis([make_page([
        "GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES",
        "Administrateur",
        "Nom, prénoms | DUPONT Jean",
        "Nom, prénoms | MARTIN Claire",
        "Qualité : Directeur général délégué",
        "Nom | LEROY",
        "Prénoms | Anne",
        "Nom | DURAND",
        "Prénoms | Paul",
    ])])
    assert officer_tuples(facts) == [
        ("DUPONT", "Jean", OfficerRole.ADMINISTRATEUR),
        ("MARTIN", "Claire", OfficerRole.ADMINISTRATEUR),
        ("LEROY", "Anne", OfficerRole.DIRECTEUR_GENERAL_DELEGUE),
        ("DURAND", "Paul", OfficerRole.DIRECTEUR_GENERAL_DELEGUE),
    ]


def test_role_printed_after_the_name() -> None:
    facts = parse_kbis([make_page([
        "Dirigeants",
        "Nom, prénoms | DUPONT Jean",
        "Qualité | Gérant",
        "Nom, prénoms | MARTIN Claire",
        "Qualité | Co-gérante",
    ])])
    assert officer_tuples(facts) == [
        ("DUPONT", "Jean", OfficerRole.GERANT),
        ("MARTIN", "Claire", OfficerRole.GERANT),
    ]


def test_missing_values_are_none_with_warnings() -> None:
    facts = parse_kbis([make_page(["Extrait Kbis", "Dénomination | ACME"])])
    assert facts.document_date is None
    assert facts.company is not None and facts.company.siren is None
    assert facts.officers == ()
    assert {"document date not found", "company siren not found", "no officer found"} <= set(
        facts.warnings)


def test_unreadable_officer_name_is_dropped_with_a_warning() -> None:
    facts = parse_kbis([make_page(["Représentants", "Président : JEAN PAUL MARC"])])
    assert facts.officers == ()
    assert "page 1: officer name unreadable" in facts.warnings


@pytest.mark.parametrize(("text", "expected"), [
    ("100 000,00 Euros", 100000.0),
    ("1 000,00 Euros (capital variable, minimum : 100,00 Euros)", 1000.0),
    ("variable, minimum 500 €, maximum 50 000 €", 500.0),
    ("10.000 euros", 10000.0),
    ("non communiqué", None),
])
def test_capital(text: str, expected: float | None) -> None:
    assert parse_capital(text) == expected


def test_officer_facts_are_contract_ready() -> None:
    facts = parse_kbis([make_page(INFOGREFFE)])
    officer: OfficerFacts = facts.officers[1]
    assert officer.to_contract().model_dump() == {
        "last_name": "AUDIT RÉKA", "first_names": None, "role": OfficerRole.COMMISSAIRE_AUX_COMPTES,
    }


def test_company_sentence_gives_what_no_row_labels() -> None:
    page = make_page([
        "Greffe du Tribunal de Commerce de Lyon",
        (240, "Extrait Kbis"),
        (240, "à jour au 6 novembre 2024"),
        "Société DUMAS TRANSPORTS, société par actions simplifiée au capital de 10 000 euros,",
        "dont le siège est 12 rue des Lilas 69003 Lyon, immatriculée au RCS de Lyon sous le",
        "numéro 679 535 757.",
    ])
    facts = parse_kbis([page])
    assert facts.company is not None
    assert value_of(facts.company.name) == "DUMAS TRANSPORTS"
    assert value_of(facts.company.legal_form) == "SAS"
    assert value_of(facts.company.address) == "12 rue des Lilas 69003 Lyon"
    assert value_of(facts.company.siren) == "679535757"


@pytest.mark.parametrize("role_line", ["Gérant É 3", "Gérant | É 3", "Gérant ."])
def test_specks_ocr_read_beside_a_role_heading_leave_the_role(role_line: str) -> None:
    lines = list(INFOGREFFE)
    lines[lines.index("Gérant - Associé unique")] = role_line
    facts = parse_kbis([make_page(lines, confidence=80)])
    assert officer_tuples(facts)[0] == ("LAMBERT", "Nathalie Chloé", OfficerRole.GERANT)


def test_a_label_with_its_other_wording_after_a_slash_holds_no_value() -> None:
    # « Nom / Dénomination » over its column, OCR garbling the second wording: not a name.
    lines = list(INFOGREFFE)
    start = lines.index("GESTION, DIRECTION, ADMINISTRATION, CONTROLE, ASSOCIES OU MEMBRES")
    end = lines.index("RENSEIGNEMENTS RELATIFS A L'ACTIVITE ET A L'ETABLISSEMENT PRINCIPAL")
    lines[start + 1:end] = ["Qualité | Nom / Dématoiion | Prénoms", "Président | SCHNEIDER | Klaus"]
    facts = parse_kbis([make_page(lines, confidence=80)])
    assert officer_tuples(facts) == [("SCHNEIDER", "Klaus", OfficerRole.PRESIDENT)]
