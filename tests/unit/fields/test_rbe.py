"""parse_rbe on hand-written pages: DBE-S-1/S-2 forms, greffe extracts, RNE listings, tables,
prose, OCR slips, and missing values."""

from __future__ import annotations

from datetime import date

from extractors.fields.rbe import parse_rbe
from extractors.fields.rbe_person import _a_name
from kanta_docs.facts import DocumentFacts, OwnerFacts, Value, value_of
from tests.unit.fields.pages import make_page

FORM_COLUMNS = (45.0, 175.0, 330.0, 480.0)


def owners(facts: DocumentFacts) -> list[dict[str, object]]:
    return [o.to_contract().model_dump() for o in facts.beneficial_owners]


def owner(facts: DocumentFacts, index: int = 0) -> OwnerFacts:
    return facts.beneficial_owners[index]


def dbe_sheet(title: str, sheet: str, person: list[str], control: list[str]) -> list[str]:
    """One DBE-S-1/S-2 sheet as the form prints it: labels in a grid, values below."""
    return [
        f"{title} | | | {sheet}",
        "I. INFORMATIONS RELATIVES À LA SOCIÉTÉ DÉCLARANTE",
        "Dénomination | Forme juridique",
        "KANTA CONSEIL | Société par actions simplifiée",
        "Adresse du siège",
        "304 boulevard des Belles Portes 14200 Hérouville-Saint-Clair",
        "Numéro d'identification (SIREN) : | | 8 8 9 9 2 4 3 2 0 | RCS de Caen",
        "II. INFORMATIONS SUR LE BÉNÉFICIAIRE EFFECTIF DE LA SOCIÉTÉ",
        "1) Informations sur l'identité du bénéficiaire effectif",
        *person,
        "2) Informations sur les modalités du contrôle exercé par le bénéficiaire effectif",
        "a) Détention :",
        *control,
    ]


DBE_PERSON_1 = [
    "☐ M. | ☒ Mme (civilité)",
    "Nom de naissance | Nom d'usage",
    "DURAND | MARTIN",
    "Pseudonyme | Prénom principal | Autres prénoms",
    " | Claire | Anne Sophie",
    "Date de naissance | Lieu de naissance | Département / Pays",
    "06/12/1965 | Caen | Calvados",
    "Nationalité | Adresse du domicile",
    "Française | 12 rue des Lilas 14000 Caen",
]
DBE_CONTROL_1 = [
    "☒ directe | ☒ indirecte | de plus de 25 % du capital",
    "% total du capital : | 35,00",
    "☒ directe | ☐ indirecte | de plus de 25 % des droits de vote",
    "% total des droits de vote : | 40,00",
    "☐ b) Exercice par tout autre moyen d'un pouvoir de contrôle sur les organes de gestion",
    "☐ c) Représentant légal",
    "3) Date à laquelle la personne est devenue bénéficiaire effectif : | | | 15/01/2019",
]
DBE_PERSON_2 = [
    "☒ M. | ☐ Mme (civilité)",
    "Nom de naissance | Nom d'usage",
    "LE GALL",
    "Pseudonyme | Prénom principal | Autres prénoms",
    " | Yann",
    "Date de naissance | Lieu de naissance | Département / Pays",
    "01/02/1970 | Brest | Finistère",
    "Nationalité | Adresse du domicile",
    "français | 3 quai Est 29200 Brest",
]
DBE_CONTROL_2 = [
    "☐ directe | ☐ indirecte | de plus de 25 % du capital",
    "% total du capital :",
    "☐ directe | ☐ indirecte | de plus de 25 % des droits de vote",
    "% total des droits de vote :",
    "☐ b) Exercice par tout autre moyen d'un pouvoir de contrôle sur les organes de gestion",
    "☒ c) Représentant légal",
    "3) Date à laquelle la personne est devenue bénéficiaire effectif : | | | 1er mars 2020",
]
SIGNATURE = [
    "III. AUTRES INFORMATIONS",
    "☐ Il n'existe pas de bénéficiaire effectif autre que celui mentionné dans ce document.",
    "Lieu et date de signature | | Nom, prénom du représentant légal",
    "Fait à Caen, le 22 août 2020 | | HUBERT Richard",
    "Signature",
]


def test_dbe_forms_read_every_sheet_with_checkboxes_and_signature_date() -> None:
    sheet1 = dbe_sheet("DOCUMENT RELATIF AU BÉNÉFICIAIRE EFFECTIF", "DBE-S-1", DBE_PERSON_1,
                       DBE_CONTROL_1) + SIGNATURE
    sheet2 = dbe_sheet("DOCUMENT COMPLÉMENTAIRE RELATIF AU BÉNÉFICIAIRE EFFECTIF", "DBE-S-2",
                       DBE_PERSON_2, DBE_CONTROL_2)
    facts = parse_rbe([make_page(sheet1, columns=FORM_COLUMNS),
                       make_page(sheet2, number=2, columns=FORM_COLUMNS)])
    assert facts.company is not None
    assert facts.company.to_contract().model_dump() == {
        "siren": "889924320", "name": "KANTA CONSEIL", "legal_form": "SAS", "capital_eur": None,
        "address": "304 boulevard des Belles Portes 14200 Hérouville-Saint-Clair",
    }
    assert value_of(facts.document_date) == date(2020, 8, 22)
    assert owners(facts) == [
        {"last_name": "DURAND", "first_names": "Claire Anne Sophie",
         "birth_date": date(1965, 12, 6), "nationality": "FRA", "capital_pct": 35.0,
         "voting_pct": 40.0},
        {"last_name": "LE GALL", "first_names": "Yann", "birth_date": date(1970, 2, 1),
         "nationality": "FRA", "capital_pct": None, "voting_pct": None},
    ]
    first, second = owner(facts, 0), owner(facts, 1)
    assert value_of(first.person.usage_name) == "MARTIN"
    assert value_of(first.person.sex) == "F"
    assert first.modalities == {"capital", "voting_rights", "direct", "indirect"}
    assert value_of(first.since) == date(2019, 1, 15)
    assert second.modalities == {"legal_representative"}
    assert value_of(second.since) == date(2020, 3, 1)
    assert facts.officers == () and facts.shareholders == ()
    assert facts.expiry_date is None


GREFFE_PAGE_1 = [
    "Greffe du Tribunal de Commerce de Tours",
    (150, "EXTRAIT DU REGISTRE DES BÉNÉFICIAIRES EFFECTIFS"),
    (200, "Extrait délivré le 2 juillet 2023"),
    "Dénomination | PARENT TRANSPORTS",
    "Forme juridique | Société à responsabilité limitée",
    "Capital social | 7 500,00 euros",
    "Adresse du siège | 200 avenue de l'Église",
    (250, "37000 Tours"),
    "Immatriculation | 918 593 989 RCS Tours",
    "Document relatif au bénéficiaire | 13/02/2019",
    "effectif déposé le",
    "Bénéficiaire effectif n° 1",
    "Nom de naissance | DURAND épouse MARTIN",
    "Prénom(s) | Élodie, Marcelle",
    "Date et lieu de naissance | six décembre mille neuf cent quatre-vingt-quinze à Tours",
    (200, "RBE - PARENT TRANSPORTS - page 1 sur 2"),
]
GREFFE_PAGE_2 = [
    "Nationalité | Française",
    "Adresse du domicile | 93 rue Mathilde Marchand 14200 Caen",
    "Modalités de contrôle | Détention de 60 % du capital (directe : 19,21 %, indirecte :",
    (250, "40,79 % via la société SOLLU PARTICIPATIONS)"),
    (250, "Détention de 60 % des droits de vote"),
    "Date à laquelle la personne est | 13/10/2021",
    "devenue bénéficiaire effectif",
    "Bénéficiaire effectif n° 2",
    "Nom de naissance | GUERIN",
    "Prénom(s) | François",
    "Date et lieu de naissance | 15 mars 1989 à Versailles (France)",
    "Nationalité | Belge",
    "Modalités de contrôle | Exercice par tout autre moyen d'un pouvoir de contrôle sur les",
    (250, "organes de gestion, d'administration ou de direction de la société"),
    "Date à laquelle la personne est | 16/08/2022",
    "devenue bénéficiaire effectif",
    "Pour extrait conforme, le greffier",
]


def test_greffe_extract_owner_spanning_a_page_break() -> None:
    facts = parse_rbe([make_page(GREFFE_PAGE_1, columns=(50, 250)),
                       make_page(GREFFE_PAGE_2, number=2, columns=(50, 250))])
    assert value_of(facts.document_date) == date(2023, 7, 2)  # issue date, not the filing's
    assert facts.company is not None
    assert facts.company.to_contract().model_dump() == {
        "siren": "918593989", "name": "PARENT TRANSPORTS", "legal_form": "SARL",
        "capital_eur": 7500.0, "address": "200 avenue de l'Église 37000 Tours",
    }
    assert owners(facts) == [
        {"last_name": "DURAND", "first_names": "Élodie Marcelle",
         "birth_date": date(1995, 12, 6), "nationality": "FRA", "capital_pct": 60.0,
         "voting_pct": 60.0},
        {"last_name": "GUERIN", "first_names": "François", "birth_date": date(1989, 3, 15),
         "nationality": "BEL", "capital_pct": None, "voting_pct": None},
    ]
    first = owner(facts)
    assert value_of(first.person.usage_name) == "MARTIN"
    assert first.modalities == {"capital", "voting_rights", "direct", "indirect",
                                "via_legal_persons"}
    assert value_of(first.since) == date(2021, 10, 13)
    assert owner(facts, 1).modalities == {"other_means_of_control"}
    assert first.capital_pct is not None and first.capital_pct.provenance is not None
    assert first.capital_pct.provenance.page == 2


RNE_LISTING = [
    "INPI | RÉPUBLIQUE FRANÇAISE",
    "Registre national des entreprises",
    "BÉNÉFICIAIRES EFFECTIFS",
    "Entreprise : NEXTO - SIREN 928304179 - Société à responsabilité limitée",
    "Siège : 133 rue des Chênes 13100 Aix-en-Provence",
    "Informations à la date du 14/04/2024",
    "Bénéficiaire n°1",
    "Nom | DUBOIS",
    "Nom d'usage",
    "Prénoms | Catherine Zoé",
    "Date de naissance | 27/01/1944",
    "Nationalité | Française",
    "Modalités de contrôle",
    "Détention directe | Non",
    "Parts directes en pleine propriété | 20 %",
    "Parts directes en nue-propriété | 5,5 %",
    "Parts indirectes via des personnes morales | 10 %",
    "Votes directs en usufruit | 12 %",
    "Votes directs en pleine propriété | 20 %",
    "Pouvoir de décision en assemblée générale | Oui",
    "Autres moyens de contrôle | Non",
    "Représentant légal | Non",
    "Date d'effet | 28/01/2024",
    "Bénéficiaire n°2",
    "Nom | NAVARRO",
    "Prénoms | Noémie",
    "Date de naissance | 18/02/2004",
    "Nationalité | Sénégalaise",
    "Modalités de contrôle",
    "Vocation à devenir titulaire de parts directes en pleine propriété | 30 %",
    "Représentant légal | Oui",
    "Date d'effet | 12/04/2023",
    (50, "Registre national des entreprises - INPI - document délivré le 15/04/2024"),
]


def test_rne_listing_sums_parts_and_never_trusts_the_booleans_alone() -> None:
    facts = parse_rbe([make_page(RNE_LISTING, columns=(50, 300))])
    assert value_of(facts.document_date) == date(2024, 4, 14)  # "à la date du" over "délivré"
    assert facts.company is not None
    assert facts.company.to_contract().model_dump() == {
        "siren": "928304179", "name": "NEXTO", "legal_form": "SARL", "capital_eur": None,
        "address": "133 rue des Chênes 13100 Aix-en-Provence",
    }
    assert owners(facts) == [
        {"last_name": "DUBOIS", "first_names": "Catherine Zoé",
         "birth_date": date(1944, 1, 27), "nationality": "FRA", "capital_pct": 35.5,
         "voting_pct": 32.0},
        {"last_name": "NAVARRO", "first_names": "Noémie", "birth_date": date(2004, 2, 18),
         "nationality": "SEN", "capital_pct": None, "voting_pct": None},
    ]
    assert owner(facts).modalities == {
        "capital", "voting_rights", "direct", "indirect", "full_ownership", "bare_ownership",
        "usufruct", "via_legal_persons", "decision_power_ag",
    }
    assert owner(facts, 1).modalities == {"right_to_become_holder", "legal_representative"}
    assert value_of(owner(facts, 1).since) == date(2023, 4, 12)


TABLE_PAGE_1 = [
    (200, "Extrait du registre des bénéficiaires effectifs"),
    "Dénomination : ATELIER BLEU Forme juridique : SCI",
    "SIREN : 552 100 554",
    "Extrait à jour au 3 février 2025",
    "Nom | Prénoms | Date de | Nationalité | % capital | % votes | Modalités",
    (200, "naissance"),
    "MARTIN | Paul | 12/03/1970 | française | 40 | 40 | directe",
    "DE LA FONTAINE | Jean Marie | 01/01/1980 | belge | — | — | représentant légal",
    *[""] * 48,
    (250, "page 1/2"),
]
TABLE_PAGE_2 = [
    "Nom | Prénoms | Date de | Nationalité | % capital | % votes | Modalités",
    (200, "naissance"),
    "N'DIAYE | Awa | 05/05/1990 | sénégalaise | 30,5 | 35 | indirecte via",
    (480, "HOLDING AB"),
    "Certifié conforme",
]


def test_owners_in_a_table_across_a_page_break() -> None:
    columns = (50.0, 130.0, 200.0, 270.0, 340.0, 410.0, 480.0)
    facts = parse_rbe([make_page(TABLE_PAGE_1, columns=columns),
                       make_page(TABLE_PAGE_2, number=2, columns=columns)])
    assert value_of(facts.document_date) == date(2025, 2, 3)
    assert facts.company is not None
    assert value_of(facts.company.siren) == "552100554"
    assert value_of(facts.company.name) == "ATELIER BLEU"
    assert value_of(facts.company.legal_form) == "SCI"
    assert owners(facts) == [
        {"last_name": "MARTIN", "first_names": "Paul", "birth_date": date(1970, 3, 12),
         "nationality": "FRA", "capital_pct": 40.0, "voting_pct": 40.0},
        {"last_name": "DE LA FONTAINE", "first_names": "Jean Marie",
         "birth_date": date(1980, 1, 1), "nationality": "BEL", "capital_pct": None,
         "voting_pct": None},
        {"last_name": "N'DIAYE", "first_names": "Awa", "birth_date": date(1990, 5, 5),
         "nationality": "SEN", "capital_pct": 30.5, "voting_pct": 35.0},
    ]
    assert "legal_representative" in owner(facts, 1).modalities
    assert {"indirect", "via_legal_persons"} <= owner(facts, 2).modalities


def test_listing_without_headings_splits_owners_on_a_repeated_name_label() -> None:
    page = make_page([
        "Société : LES JARDINS | | RCS Brest 954 227 674",
        "Date de l'extrait : 29/06/2026",
        "Nom : MORIN", "Prénoms : Dominique Sylvie", "Né(e) le : 18/01/1997",
        "Nationalité : Française", "Détention directe de 51 % du capital et des droits de vote",
        "Nom : ROY", "Prénoms : Luc", "Né(e) le : 02/02/1960", "Nationalité : Française",
        "Détention indirecte de 49 % du capital",
    ])
    facts = parse_rbe([page])
    assert [(o["last_name"], o["capital_pct"], o["voting_pct"]) for o in owners(facts)] == [
        ("MORIN", 51.0, 51.0), ("ROY", 49.0, None)]
    assert value_of(facts.document_date) == date(2026, 6, 29)
    assert facts.company is not None and value_of(facts.company.siren) == "954227674"


def test_prose_owner_after_a_heading() -> None:
    page = make_page([
        "Dénomination : KANTA",
        "Bénéficiaire effectif n° 1",
        "Monsieur Jean-Pierre DUPONT, né le 12 mars 1970 à Lyon, de nationalité française,",
        "détient directement 20 % et indirectement 15 % du capital et des droits de vote.",
        "Fait à Lyon, le 3 avril 2024",
    ])
    facts = parse_rbe([page])
    assert owners(facts) == [
        {"last_name": "DUPONT", "first_names": "Jean-Pierre", "birth_date": date(1970, 3, 12),
         "nationality": "FRA", "capital_pct": 35.0, "voting_pct": 35.0}]
    assert value_of(facts.document_date) == date(2024, 4, 3)


def test_ocr_slips_and_unreadable_values() -> None:
    page = make_page([
        "Denomination | KANTA",
        "Numero d'identification (SIREN) | 889 924 32O",
        "Bénéficiaire effectif n° 1",
        "Nom de naissanse | DUPONT",
        "Prenom(s) | JEAN-PIERRE, MARC",
        "Mois et année de naissance | 03/1970",
        "Nationalite | Francaise",
        "% total du capital : | 60 00",
        "% total des droits de vote : | 48 127",
        "[x] directe | [ ] indirecte | de plus de 25 % du capital",
    ], confidence=88.0)
    facts = parse_rbe([page])
    assert owners(facts) == [
        {"last_name": "DUPONT", "first_names": "Jean-Pierre Marc", "birth_date": None,
         "nationality": "FRA", "capital_pct": 60.0, "voting_pct": None}]
    assert facts.company is not None and value_of(facts.company.siren) == "889924320"
    assert "direct" in owner(facts).modalities and "indirect" not in owner(facts).modalities
    assert "page 1: beneficial owner 1 voting percentage unreadable" in facts.warnings
    assert "page 1: beneficial owner 1 birth date unreadable" in facts.warnings
    assert "document date not found" in facts.warnings


def test_nothing_readable_gives_nones_and_warnings() -> None:
    facts = parse_rbe([make_page(["Registre des bénéficiaires effectifs", "page 1"])])
    assert facts.beneficial_owners == ()
    assert facts.document_date is None
    assert facts.company is not None and facts.company.siren is None
    assert "no beneficial owner found" in facts.warnings
    assert "company SIREN not found" in facts.warnings


def test_table_with_full_names_split_percentages_and_a_tall_cell() -> None:
    columns = (30.0, 50.0, 160.0, 215.0, 270.0, 320.0, 370.0, 420.0)
    page = make_page([
        "Société : DUVAL SERVICES (SAS) - RCS Nice 732 829 320",
        "Liste des bénéficiaires effectifs à jour au 06/11/2024",
        "N° | Bénéficiaire effectif | Né(e) le | Nationalité | Capital | Capital | Votes | "
        "Modalités",
        (270, "direct | indirect | (%)"),
        (420, "représentant"),
        "1 | MARTIN épouse DURAND Claire | 21/08/1967 | française | 10,5 | 20 | 30,5 | légal",
        "2 | ROY Luc | 02/02/1960 | française | — | 30 | 30 | indirecte",
    ], columns=columns, font_size=7.0, line_step=11.0)
    facts = parse_rbe([page])
    assert owners(facts) == [
        {"last_name": "MARTIN", "first_names": "Claire", "birth_date": date(1967, 8, 21),
         "nationality": "FRA", "capital_pct": 30.5, "voting_pct": 30.5},
        {"last_name": "ROY", "first_names": "Luc", "birth_date": date(1960, 2, 2),
         "nationality": "FRA", "capital_pct": 30.0, "voting_pct": 30.0},
    ]
    assert value_of(owner(facts).person.usage_name) == "DURAND"
    assert "legal_representative" in owner(facts).modalities
    assert facts.company is not None
    assert value_of(facts.company.siren) == "732829320"
    assert value_of(facts.company.name) == "DUVAL SERVICES (SAS)"
    assert value_of(facts.document_date) == date(2024, 11, 6)


def test_heading_with_the_name_and_a_signature_date_under_its_label() -> None:
    page = make_page([
        "Dénomination : KANTA | Forme juridique : SARL",
        "Bénéficiaire effectif n° 1 : DUPONT épouse MARTIN Claire",
        "Date de naissance (mm/aaaa) : 03/1970",
        "Nationalité : Française",
        "Modalités de contrôle : Représentant légal",
        "Lieu et date de signature",
        "Caen, le 12 mars 2021",
    ])
    facts = parse_rbe([page])
    assert owners(facts) == [
        {"last_name": "DUPONT", "first_names": "Claire", "birth_date": None,
         "nationality": "FRA", "capital_pct": None, "voting_pct": None}]
    assert value_of(owner(facts).person.usage_name) == "MARTIN"
    assert owner(facts).modalities == {"legal_representative"}
    assert value_of(facts.document_date) == date(2021, 3, 12)


def test_company_read_from_the_sentence_that_identifies_it() -> None:
    page = make_page([
        "REGISTRE DES BÉNÉFICIAIRES EFFECTIFS - EXTRAIT",
        "Société DUMAS TRANSPORTS, société par actions simplifiée au capital de 10 000 euros,",
        "dont le siège est 12 rue des Lilas 69003 Lyon, immatriculée au RCS de Lyon sous le",
        "numéro 679 535 757.",
        "Situation au 8 août 2025",
        "",
        "Bénéficiaire effectif n° 1",
        "Nom de naissance : | MARTIN",
        "Prénom(s) : | Paul",
        "Date de naissance : | 12/03/1970",
        "Nationalité : | française",
        "Pourcentage de capital : | 100 %",
    ])
    facts = parse_rbe([page])
    assert facts.company is not None
    assert value_of(facts.company.name) == "DUMAS TRANSPORTS"
    assert value_of(facts.company.legal_form) == "SAS"
    assert value_of(facts.company.capital_eur) == 10000.0
    assert value_of(facts.company.address) == "12 rue des Lilas 69003 Lyon"
    assert value_of(facts.company.siren) == "679535757"
    assert facts.company.siren is not None and facts.company.siren.provenance is not None
    assert "679 535 757" in facts.company.siren.provenance.text
    assert [o["last_name"] for o in owners(facts)] == ["MARTIN"]
    assert not any("company" in w for w in facts.warnings)


def test_table_cells_wrapped_inside_themselves() -> None:
    """A header word cut at its cell's edge ("Nationalit" / "é"), a header whose first line is
    lower ("capital" under nothing), a date and a first name wrapped onto the next line: the
    lines that only continue cells are one row with the line above, not another owner."""
    columns = (50.0, 130.0, 200.0, 260.0, 330.0, 380.0, 440.0)
    page = make_page([
        "Société ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757",
        "Situation au 3 décembre 2023",
        "",
        "Nom de naissance | Prénom(s) | Né(e) le | Nationalit | | % droits | Depuis le",
        (260, "é | capital | de vote"),
        "",
        "DUMAS | Caroline | 12/03/1970 | Française | 60,00 | 60,00 % | 25/10/202",
        (130, "Laure | Lille | | | | 1"),
        "",
        "LE DANTEC | Paul | 01/01/1980 | Belge | 40,00 | 40,00 % | 07/10/202",
        (200, "Namur | | | | 0"),
    ], columns=columns, font_size=7.0, line_step=11.0)
    facts = parse_rbe([page])
    assert owners(facts) == [
        {"last_name": "DUMAS", "first_names": "Caroline Laure", "birth_date": date(1970, 3, 12),
         "nationality": "FRA", "capital_pct": 60.0, "voting_pct": 60.0},
        {"last_name": "LE DANTEC", "first_names": "Paul", "birth_date": date(1980, 1, 1),
         "nationality": "BEL", "capital_pct": 40.0, "voting_pct": 40.0},
    ]
    assert value_of(owner(facts).since) == date(2021, 10, 25)
    assert value_of(owner(facts, 1).since) == date(2020, 10, 7)
    assert not any("without a readable name" in w for w in facts.warnings)


def test_wrapped_lines_with_generous_leading_stay_in_their_row() -> None:
    """Lines of one row 0.8 of a line height apart (a scan whose OCR boxes are short for the
    line pitch): a first name on the third line is its row's, not the next owner's."""
    columns = (50.0, 140.0, 210.0, 290.0, 340.0, 380.0, 420.0)
    page = make_page([
        "Société ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757",
        "Situation au 3 décembre 2023",
        "",
        "Nom de naissance | Prénom(s) | Né(e) le / à | Nationalité | % capital | % votes | Depuis",
        "",
        "DUPUIS | Olivier | trois juillet | Française | 35,00 | 35,00 | 23/11/2018",
        (140, "Frédéric | mille neuf"),
        (140, "René | cent"),
        (210, "soixante-sept"),
        (210, "Nantes"),
        "",
        "DI MARCO | Franck | vingt juin | Française | 35,00 | 35,00 | 22/08/2016",
        (140, "Gérard | mille neuf"),
        (210, "cent quatre-vingt-quatre"),
        (210, "Perpignan"),
    ], columns=columns, font_size=5.4, line_step=9.8, confidence=95.0)
    facts = parse_rbe([page])
    assert [(o["last_name"], o["first_names"], o["birth_date"]) for o in owners(facts)] == [
        ("DUPUIS", "Olivier Frédéric René", date(1967, 7, 3)),
        ("DI MARCO", "Franck Gérard", date(1984, 6, 20)),
    ]


def test_first_row_far_under_a_header_whose_tall_cell_ocr_lost() -> None:
    """A header cell of four lines (« % droits / de / vote ») that OCR returned nothing of
    leaves a wide blank between the header's read lines and the first row."""
    columns = (50.0, 140.0, 210.0, 290.0, 340.0, 420.0, 505.0)
    page = make_page([
        "Société ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757",
        "Situation au 3 décembre 2023",
        "",
        "Nom de naissance | Prénom(s) | Né(e) le / à | Nationalité | % capital | Nature du"
        " | Depuis",
        "(nom d'usage) | | | | | contrôle | le",
        "", "", "", "",
        "HEBERT | Gaël | 8 décembre | Française | 60% | Détention | 08/08/2020",
        (140, "Sébastien | 1971 | | | directe"),
    ], columns=columns, font_size=6.0, line_step=7.0, confidence=95.0)
    facts = parse_rbe([page])
    assert [(o["last_name"], o["first_names"], o["capital_pct"]) for o in owners(facts)] == [
        ("HEBERT", "Gaël Sébastien", 60.0)]


def test_header_with_a_mark_read_as_a_digit_is_still_the_header() -> None:
    # OCR read the « % » of « % droits de vote » as « 9% »: a lone digit is no value.
    page = make_page([
        "Société ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757",
        "Situation au 3 décembre 2023",
        "",
        "Nom de naissance | Prénom(s) | Né(e) le | Nationalité | % capital | 9% droits de vote",
        "",
        "TAYLOR | Charlotte | 27/02/1965 | Britannique | 40 % | 40 %",
    ], columns=(50.0, 140.0, 210.0, 290.0, 360.0, 430.0), confidence=95.0)
    assert [(o["last_name"], o["capital_pct"]) for o in owners(parse_rbe([page]))] == [
        ("TAYLOR", 40.0)]


def test_narrow_table_cells_cut_inside_words_and_usage_names_under_the_name() -> None:
    """Narrow columns wrap a date in words, a first name and a nationality inside a word
    ("soixan" / "te-dix-huit", "Anne-Sophi" / "e", "Portugai" / "se"): the pieces are glued
    back. A usage name printed under the birth name ("(MOREAU)", "épouse GARNIER") belongs to
    that owner. A date whose words stay cut ("vi" / "nqt") is refused, not read short."""
    columns = (50.0, 130.0, 200.0, 290.0, 350.0, 410.0)
    page = make_page([
        "Société ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757",
        "Situation au 3 décembre 2023",
        "",
        "Nom de naissance | Prénom(s) | Date de naissance | Nationalité | % capital | % votes",
        "",
        "ROUSSEL | Anne-Sophi | trois mai | Portugai | 50 % | 50 %",
        "(MOREAU) | e | mille neuf | se",
        (200, "cent soixan"),
        (200, "te-dix-huit"),
        "",
        "FAURE | Hélène | 02/02/1960 | Française | 30 % | 30 %",
        "épouse GARNIER | Marie-",
        (130, "Claude"),
        "",
        "BLANC | Paul | neuf juin | Belge | 20 % | 20 %",
        (200, "mille neuf"),
        (200, "cent quatre-vi"),
        (200, "nqt-un"),
    ], columns=columns, font_size=7.0, line_step=11.0)
    facts = parse_rbe([page])
    assert owners(facts) == [
        {"last_name": "ROUSSEL", "first_names": "Anne-Sophie", "birth_date": date(1978, 5, 3),
         "nationality": "PRT", "capital_pct": 50.0, "voting_pct": 50.0},
        {"last_name": "FAURE", "first_names": "Hélène Marie-Claude",
         "birth_date": date(1960, 2, 2), "nationality": "FRA", "capital_pct": 30.0,
         "voting_pct": 30.0},
        {"last_name": "BLANC", "first_names": "Paul", "birth_date": None, "nationality": "BEL",
         "capital_pct": 20.0, "voting_pct": 20.0},
    ]
    assert value_of(owner(facts).person.usage_name) == "MOREAU"
    assert value_of(owner(facts, 1).person.usage_name) == "GARNIER"
    assert "page 1: beneficial owner 3 birth date unreadable" in facts.warnings


def test_labelled_values_wrapped_inside_a_word() -> None:
    """Label and value side by side, the value cut inside a word at the end of its line, the
    label too ("Nationa" / "lité"), and a usage name in brackets on the name's next line."""
    page = make_page([
        "Bénéficiaire effectif n° 1",
        "Nom de naissance : | LEROY",
        (200, "(PERRIN)"),
        "Prénoms : | Marie-Christ",
        (200, "ine"),
        "Date de naissance : | vingt-neuf février mille neuf cent quatre-",
        (200, "vingt-huit"),
        "Nationa | Italienne",
        "lité :",
    ], line_step=12.0)
    facts = parse_rbe([page])
    assert [(o["last_name"], o["first_names"], o["birth_date"], o["nationality"])
            for o in owners(facts)] == [("LEROY", "Marie-Christine", date(1988, 2, 29), "ITA")]
    assert value_of(owner(facts).person.usage_name) == "PERRIN"


def test_table_row_whose_next_line_only_continues_cut_cells() -> None:
    """A long surname cut before its last letters, on a line whose other cells all go on
    with the row's text (a cut date, a cut nationality): one owner, not a second one "NE"."""
    columns = (50.0, 130.0, 200.0, 290.0, 350.0, 410.0)
    page = make_page([
        "Société ACME, SAS au capital de 5 000 €, RCS Lyon 679 535 757",
        "Situation au 3 décembre 2023",
        "",
        "Nom de naissance | Prénom(s) | Depuis le | Nationalité | % capital | % votes",
        "",
        "LAMBERT-FONTAI | Odile | 14/02/20 | Italien | 100 % | 100 %",
        "NE | | 19 | ne",
    ], columns=columns, font_size=7.0, line_step=9.0)
    facts = parse_rbe([page])
    assert [(o["last_name"], o["first_names"], o["nationality"]) for o in owners(facts)] == [
        ("LAMBERT-FONTAINE", "Odile", "ITA")]
    assert value_of(owner(facts).since) == date(2019, 2, 14)


def test_heading_read_in_pieces_by_ocr_is_no_owner() -> None:
    # The second OCR pass over skipped cells reads pieces of a shaded section heading,
    # « II. INFORMATIONS SUR LE BÉNÉFICIAIRE EFFECTIF DE LA SOCIÉTÉ », as two cells: the word
    # that is an owner label, then « DE LA », particles alone, which name nobody.
    sheet = dbe_sheet("DOCUMENT RELATIF AU BÉNÉFICIAIRE EFFECTIF", "DBE-S-1", DBE_PERSON_1,
                      DBE_CONTROL_1) + SIGNATURE
    heading = sheet.index("II. INFORMATIONS SUR LE BÉNÉFICIAIRE EFFECTIF DE LA SOCIÉTÉ")
    sheet[heading] = "BÉNÉFICIAIRE | DE LA"
    facts = parse_rbe([make_page(sheet, columns=FORM_COLUMNS, confidence=92)])
    assert [(o["last_name"], o["first_names"]) for o in owners(facts)] == [
        ("DURAND", "Claire Anne Sophie")]


def test_sex_values_and_lone_particles_are_never_surnames() -> None:
    for text in ("Masculin", "FÉMININ", "DE LA", "d'"):
        assert _a_name(Value(text)) is None, text
    for text in ("DE LA FONTAINE", "LE GALL", "MASCULINO", "D'ARVIEU"):
        assert _a_name(Value(text)) == Value(text), text
