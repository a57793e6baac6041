from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from extractors.fields.identity import parse_identity
from extractors.fields.identity_labels import match_label
from extractors.fields.identity_values import (
    read_date,
    read_document_number,
    read_first_names,
    read_last_name,
    read_sex,
    read_usage_name,
)
from extractors.fields.identity_visual import read_visual_zone
from kanta_docs.facts import DocumentFacts, IdentityFacts, value_of
from kanta_docs.models import Page, Word
from tests.unit.fields.pages import make_page
from tests.unit.fields.zones import check, old_card_zone, td1_zone, td3_zone

CNIE_ZONE = td1_zone("ID", "X4RTBPFW4", "900713", "F", "300211", "FRA",
                     "MARTIN<<MAELYS<GAELLE<MARIE")
BERTHIER_ZONE = old_card_zone("BERTHIER", "CORINNE", "880692310285", "651206", "F")


def cnie_lines(*, zone: list[str] | None = None, birth: str = "13 07 1990",
               number: str = "X4RTBPFW4") -> list[str | tuple[float, str]]:
    return [
        "RÉPUBLIQUE FRANÇAISE | | CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD",
        (200, "NOM / Surname"),
        (200, "MARTIN"),
        (200, "Prénoms / Given names"),
        (200, "Maëlys, Gaëlle, Marie"),
        (200, "SEXE / SEX | NATIONALITÉ / NATIONALITY"),
        (200, "F | FRA"),
        (200, "DATE DE NAISS. / DATE OF BIRTH | LIEU DE NAISSANCE / PLACE OF BIRTH"),
        (200, f"{birth} | Paris (75)"),
        "N° DU DOCUMENT / DOCUMENT No | | DATE D'EXPIR. / EXPIRY DATE",
        f"{number} | | 11 02 2030",
        "",
        "DATE DE DÉLIV. / DATE OF ISSUE | | AUTORITÉ / AUTHORITY",
        "12 02 2020 | | PRÉFECTURE DU NORD",
        "",
        *(CNIE_ZONE if zone is None else zone),
    ]


def old_card_lines(zone: list[str], *, surname: str, given: str, number: str, birth: str,
                   expiry: str, issue: str) -> list[str | tuple[float, str]]:
    return [
        "RÉPUBLIQUE FRANÇAISE",
        f"CARTE NATIONALE D'IDENTITÉ N° : {number}",
        f"Nom : | {surname}",
        f"Prénom(s) : | {given}",
        "Sexe : | F",
        f"Né(e) le : | {birth}",
        "à : | PARIS (75)",
        "",
        *zone,
        "",
        f"Carte valable jusqu'au : | {expiry} | délivrée le : | {issue}",
    ]


def identity_of(facts: DocumentFacts) -> IdentityFacts:
    assert facts.identity is not None
    return facts.identity


def contract(facts: DocumentFacts) -> dict[str, object]:
    return identity_of(facts).to_contract().model_dump()


def test_zone_builders_match_the_public_specimens() -> None:
    assert CNIE_ZONE == ["IDFRAX4RTBPFW46<<<<<<<<<<<<<<<", "9007138F3002119FRA<<<<<<<<<<<6",
                         "MARTIN<<MAELYS<GAELLE<MARIE<<<"]
    assert BERTHIER_ZONE == ["IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
                             "8806923102858CORINNE<<<<<<<6512068F6"]


def test_new_card_reads_both_zones_and_keeps_the_printed_accents() -> None:
    facts = parse_identity([make_page(cnie_lines())])
    assert contract(facts) == {
        "last_name": "MARTIN", "first_names": "Maëlys Gaëlle Marie",
        "birth_date": date(1990, 7, 13), "sex": "F", "nationality": "FRA",
        "document_number": "X4RTBPFW4", "issuing_country": "FRA",
        "expiry_date": date(2030, 2, 11), "mrz_valid": True,
    }
    assert value_of(facts.document_date) == date(2020, 2, 12)
    assert value_of(facts.effective_expiry_date) == date(2030, 2, 11)
    assert facts.company is None and facts.officers == () and facts.beneficial_owners == ()
    assert facts.warnings == ()
    identity = identity_of(facts)
    assert identity.person.birth_place is not None
    assert identity.person.birth_place.value == "Paris (75)"
    assert identity.document_number is not None and identity.document_number.provenance
    assert identity.document_number.provenance.page == 1


def test_zone_alone_gives_the_fields_with_the_century_from_the_expiry() -> None:
    facts = parse_identity([make_page(["DATE DE DÉLIV. / DATE OF ISSUE", "12 02 2020", "",
                                       *CNIE_ZONE])])
    got = contract(facts)
    assert got["birth_date"] == date(1990, 7, 13)
    assert got["last_name"] == "MARTIN" and got["first_names"] == "Maelys Gaelle Marie"
    assert got["mrz_valid"] is True


def test_birth_date_conflict_keeps_the_checked_zone_and_warns() -> None:
    facts = parse_identity([make_page(cnie_lines(birth="13 07 1991"))])
    assert contract(facts)["birth_date"] == date(1990, 7, 13)
    assert ("birth date differs between the visual zone and the machine-readable zone"
            in facts.warnings)


def test_document_number_conflict_keeps_the_checked_zone() -> None:
    facts = parse_identity([make_page(cnie_lines(number="X4RTBPFW5"))])
    assert contract(facts)["document_number"] == "X4RTBPFW4"
    assert any("document number differs" in w for w in facts.warnings)


def test_corrupted_check_digit_makes_the_zone_invalid_not_the_values() -> None:
    line2 = CNIE_ZONE[1][:6] + "0" + CNIE_ZONE[1][7:]  # birth check digit 8 -> 0
    facts = parse_identity([make_page(cnie_lines(zone=[CNIE_ZONE[0], line2, CNIE_ZONE[2]]))])
    got = contract(facts)
    assert got["mrz_valid"] is False
    assert got["birth_date"] == date(1990, 7, 13)
    assert any("check digit(s) failing: birth_date" in w for w in facts.warnings)


def test_corrupted_zone_data_loses_to_the_visual_zone() -> None:
    line2 = "900714" + CNIE_ZONE[1][6:]  # birth day changed, check digit left for the 13th
    facts = parse_identity([make_page(cnie_lines(zone=[CNIE_ZONE[0], line2, CNIE_ZONE[2]]))])
    got = contract(facts)
    assert got["mrz_valid"] is False
    assert got["birth_date"] == date(1990, 7, 13)
    assert ("birth date differs between the visual zone and the machine-readable zone"
            in facts.warnings)


def test_old_card_issued_before_2004_keeps_its_printed_expiry() -> None:
    lines = old_card_lines(BERTHIER_ZONE, surname="BERTHIER", given="CORINNE",
                           number="880692310285", birth="06.12.1965", expiry="14.06.1998",
                           issue="15.06.1988")
    facts = parse_identity([make_page(lines)])
    got = contract(facts)
    assert got["document_number"] == "880692310285"
    assert got["first_names"] == "Corinne" and got["nationality"] == "FRA"
    assert got["mrz_valid"] is True
    assert value_of(facts.document_date) == date(1988, 6, 15)
    assert value_of(facts.expiry_date) == date(1998, 6, 14)
    assert value_of(facts.effective_expiry_date) == date(1998, 6, 14)


def _card_2008(birth: str, *, expiry: str = "09.05.2018") -> DocumentFacts:
    zone = old_card_zone("DURAND", "CLAIRE<<ANNE", "080575012345", birth[8:] + birth[3:5]
                         + birth[:2], "F")
    lines = old_card_lines(zone, surname="DURAND", given="CLAIRE, ANNE", number="080575012345",
                           birth=birth, expiry=expiry, issue="10.05.2008")
    return parse_identity([make_page(lines)])


def test_old_card_issued_2008_to_an_adult_is_valid_five_more_years() -> None:
    facts = _card_2008("12.03.1970")
    assert value_of(facts.expiry_date) == date(2018, 5, 9)
    assert value_of(facts.effective_expiry_date) == date(2023, 5, 9)
    assert contract(facts)["birth_date"] == date(1970, 3, 12)
    assert facts.warnings == ()


def test_old_card_issued_to_a_minor_keeps_its_printed_expiry() -> None:
    facts = _card_2008("12.03.1995")
    assert contract(facts)["birth_date"] == date(1995, 3, 12)
    assert value_of(facts.effective_expiry_date) == date(2018, 5, 9)


def test_old_card_without_readable_face_expiry_computes_it_and_warns() -> None:
    facts = _card_2008("12.03.1970", expiry="")
    assert value_of(facts.expiry_date) is None
    assert value_of(facts.effective_expiry_date) == date(2023, 5, 9)
    assert any("expiry unreadable on the card face" in w for w in facts.warnings)


def test_old_card_zone_only_uses_the_issue_month_conservatively() -> None:
    zone = old_card_zone("DURAND", "CLAIRE", "080575012345", "700312", "F")
    facts = parse_identity([make_page(zone)])
    assert value_of(facts.document_date) is None  # the zone gives no day of issue
    assert value_of(facts.expiry_date) is None
    assert value_of(facts.effective_expiry_date) == date(2023, 4, 30)
    assert contract(facts)["birth_date"] == date(1970, 3, 12)


def test_old_card_expiry_out_of_its_validity_is_rejected() -> None:
    facts = _card_2008("12.03.1970", expiry="09.05.2048")
    assert value_of(facts.expiry_date) is None
    assert any("do not fit the document's validity" in w for w in facts.warnings)
    assert value_of(facts.effective_expiry_date) == date(2023, 5, 9)


PASSPORT_COLUMNS = (50.0, 200.0, 380.0)
PASSPORT_ZONE = td3_zone("16CA96277", "950515", "M", "261124", "FRA",
                         "GERARD<<ANTOINE<SEBASTIEN")


def passport_lines(zone: list[str]) -> list[str | tuple[float, str]]:
    return [
        "RÉPUBLIQUE FRANÇAISE | | PASSEPORT / PASSPORT",
        (200, "Code du pays / Country code | Passeport N° / Passport No"),
        (200, "FRA | 16CA96277"),
        (200, "Nom / Surname"),
        (200, "GÉRARD"),
        (200, "Prénoms / Given names"),
        (200, "Antoine, Sébastien"),
        (200, "Nationalité / Nationality | Date de naissance / Date of birth"),
        (200, "Française | 15 MAI / MAY 1995"),
        (200, "Sexe / Sex | Lieu de naissance / Place of birth"),
        (200, "M | LILLE (59)"),
        (200, "Date de délivrance / Date of issue | Date d'expiration / Date of expiry"),
        "Autorité / Authority | 25.11.2016 | 24 NOV / NOV 2026",
        "",
        *zone,
    ]


def test_french_passport_with_bilingual_labels_and_month_names() -> None:
    facts = parse_identity([make_page(passport_lines(PASSPORT_ZONE), columns=PASSPORT_COLUMNS)])
    assert contract(facts) == {
        "last_name": "GÉRARD", "first_names": "Antoine Sébastien",
        "birth_date": date(1995, 5, 15), "sex": "M", "nationality": "FRA",
        "document_number": "16CA96277", "issuing_country": "FRA",
        "expiry_date": date(2026, 11, 24), "mrz_valid": True,
    }
    assert value_of(facts.document_date) == date(2016, 11, 25)
    assert facts.warnings == ()


def test_scanned_passport_number_settled_by_its_check_digit() -> None:
    zone = td3_zone("16OG14557", "560113", "F", "260816", "FRA", "REYNAUD<<STEPHANIE")
    misread = [zone[0], "160G14557" + zone[1][9:]]  # OCR read O as 0 in the zone too
    lines = [
        "PASSEPORT / PASSPORT | Passeport N° / Passport No", " | 160G14557",
        "Nom / Surname", "REYNAUD", "Prénoms / Given names", "Stéphanie",
        "Date de délivrance / Date of issue | Date d'expiration / Date of expiry",
        "17 08 2016 | 16 08 2026", "", *misread,
    ]
    facts = parse_identity([make_page(lines, columns=PASSPORT_COLUMNS, confidence=90)])
    got = contract(facts)
    assert got["document_number"] == "16OG14557"
    assert got["mrz_valid"] is None  # a look-alike the check settles: not a fraud signal
    assert got["birth_date"] == date(1956, 1, 13)


def test_scanned_german_passport_gets_its_umlauts_back_from_the_zone() -> None:
    zone = td3_zone("CHP6F63RP", "781009", "F", "270104", "D<<", "MUELLER<<ANNA<KAETHE",
                    issuer="D<<")
    lines = [
        "REISEPASS / PASSPORT / PASSEPORT", "Name / Surname / Nom", "MULLER",
        "Vornamen / Given names / Prénoms", "ANNA, KATHE",
        "Staatsangehörigkeit / Nationality / Nationalité", "DEUTSCH", "", *zone,
    ]
    facts = parse_identity([make_page(lines, confidence=88)])
    got = contract(facts)
    assert got["last_name"] == "MÜLLER" and got["first_names"] == "Anna Käthe"
    assert got["nationality"] == "DEU" and got["issuing_country"] == "DEU"


def test_residence_permit_side_by_side_with_the_zone_beside_text() -> None:
    zone = td1_zone("IR", "B7AZ5U88Y", "550904", "F", "350603", "MLI",
                    "KEITA<<OUMOU<KADIATOU")
    lines = [
        "RÉPUBLIQUE FRANÇAISE | TITRE DE SÉJOUR | LIEU DE NAISSANCE / Place of birth",
        " | | Bamako (MALI)",
        "NOM / Surname | | DATE DE DÉLIVRANCE / Date of issue",
        "KEÏTA | | 04 06 2025",
        "Prénoms / Given names",
        "Oumou, Kadiatou",
        "SEXE / Sex | NATIONALITÉ / Nationality | N° ÉTRANGER",
        "F | MALIENNE | 4002374514",
        "DATE DE NAISS. / Date of birth",
        "04 09 1955",
        f"TYPE DE TITRE | | {zone[0]}",
        f"CARTE DE RÉSIDENT | | {zone[1]}",
        f"N° DU TITRE / Document No | VALABLE JUSQU'AU / Valid until | {zone[2]}",
        "B7AZ5U88Y | 03 06 2035",
    ]
    facts = parse_identity([make_page(lines, columns=(50.0, 170.0, 320.0))])
    assert contract(facts) == {
        "last_name": "KEÏTA", "first_names": "Oumou Kadiatou",
        "birth_date": date(1955, 9, 4), "sex": "F", "nationality": "MLI",
        "document_number": "B7AZ5U88Y", "issuing_country": "FRA",
        "expiry_date": date(2035, 6, 3), "mrz_valid": True,
    }
    assert value_of(facts.document_date) == date(2025, 6, 4)


def test_visual_zone_alone_on_an_ocr_page_with_slips() -> None:
    lines = [
        "REPUBLIQUE FRANCAISE", "PASSEPORT", "Passeport N° : | 15AB12345",
        "Nom de naissance : | DURAND", "Nom d'usage : | ép. MARTIN",
        "Prenom(s) : | CLAIRE, MARIE-ANNE", "Sexe : | F", "Nationalite : | Francaise",
        "Date de naissance : | 03/04/1980", "Date de delivrance : | 02.02.2015",
        "Date d'expiration : | 01.02.2025",
    ]
    facts = parse_identity([make_page(lines, confidence=91)])
    got = contract(facts)
    assert got == {
        "last_name": "DURAND", "first_names": "Claire Marie-Anne",
        "birth_date": date(1980, 4, 3), "sex": "F", "nationality": "FRA",
        "document_number": "15AB12345", "issuing_country": "FRA",
        "expiry_date": date(2025, 2, 1), "mrz_valid": None,
    }
    assert value_of(identity_of(facts).person.usage_name) == "MARTIN"
    assert "no machine-readable zone read" in facts.warnings


def test_missing_and_glued_values_are_none_with_a_warning() -> None:
    lines = [
        "CARTE NATIONALE D'IDENTITÉ", "Nom :", "Prénom(s) : | JEAN",
        "Date de naissance : | 120319701", "Date d'expiration : | 01.02.2025",
    ]
    facts = parse_identity([make_page(lines)])
    got = contract(facts)
    assert got["last_name"] is None and got["birth_date"] is None
    assert got["first_names"] == "Jean"
    assert "page 1: birth date unreadable" in facts.warnings
    assert got["mrz_valid"] is None


def test_issue_and_expiry_out_of_any_validity_are_both_rejected() -> None:
    lines = ["PASSEPORT", "Date de délivrance : | 02.02.2015",
             "Date d'expiration : | 01.02.2045"]
    facts = parse_identity([make_page(lines)])
    assert value_of(facts.document_date) is None and value_of(facts.expiry_date) is None
    assert any("do not fit the document's validity" in w for w in facts.warnings)


@pytest.mark.parametrize(("cell", "key"), [
    ("NOM / Surname", "last_name"),
    ("Nom :", "last_name"),
    ("Nom de naissance", "last_name"),
    ("Nom d'usage :", "usage_name"),
    ("Cognome / Surname", "last_name"),
    ("Cognome/Surname", "last_name"),
    ("Naam / Nom / Name / Surname", "last_name"),
    ("Geburtstag / Geboortedatum / Date de naissance", "birth_date"),
    ("Prénom(s) :", "first_names"),
    ("Prenoms / Given names", "first_names"),
    ("Sexe / Sex", "sex"),
    ("Nationa lité / Nationality", "nationality"),
    ("Né(e) le :", "birth_date"),
    ("DATE DE NAISS. / DATE OF BIRTH", "birth_date"),
    ("à :", "birth_place"),
    ("N° DU DOCUMENT / DOCUMENT No", "document_number"),
    ("CARTE NATIONALE D'IDENTITÉ N° :", "document_number"),
    ("Passeport N° / Passport No", "document_number"),
    ("Date de delivrance / Date of issue", "issue_date"),
    ("délivrée le :", "issue_date"),
    ("Carte valable jusqu'au :", "expiry_date"),
    ("Date d'expiration / Date of expiry", "expiry_date"),
    ("VALABLE JUSQU'AU / Valid until", "expiry_date"),
    ("N° ÉTRANGER", "other"),
    ("Autorité / Authority", "other"),
])
def test_label_variants(cell: str, key: str) -> None:
    words = [Word(t, 10.0 * i, 0, 10.0 * i + 8, 9) for i, t in enumerate(cell.split())]
    match = match_label(words)
    assert match is not None and match.key == key


def test_label_translations_are_not_read_as_the_value() -> None:
    lines = ["Nom / Naam / Name / Surname", "PEETERS", "Naam / Nom : | JANSSENS"]
    facts = parse_identity([make_page(lines)])
    assert contract(facts)["last_name"] == "PEETERS"


def test_scanned_zone_with_a_failing_check_both_zones_agree_on_stays_invalid() -> None:
    zone = td1_zone("IR", "WXKFLNC40", "840111", "M", "261130", "UKR",
                    "BONDARENKO<<DMYTRO<ANDRIY")
    corrupted = [zone[0][:14] + "4" + zone[0][15:], zone[1], zone[2]]
    lines = ["TITRE DE SÉJOUR", "N° DU TITRE / Document No", "WXKFLNC40", "", *corrupted]
    facts = parse_identity([make_page(lines, confidence=92)])
    got = contract(facts)
    assert got["document_number"] == "WXKFLNC40"
    assert got["mrz_valid"] is False


def test_scanned_readings_the_check_cannot_tell_apart_keep_the_printed_one() -> None:
    zone = td1_zone("IR", "QBY1RYVM6", "970614", "F", "270110", "VNM", "LE<<MAI<THI<LAN")
    misread = [zone[0].replace("QBY1", "QBYL"), zone[1], zone[2]]  # 1/L weigh the same
    lines = ["TITRE DE SÉJOUR", "N° DU TITRE / Document No", "QBY1RYVM6", "", *misread]
    facts = parse_identity([make_page(lines, confidence=92)])
    assert contract(facts)["document_number"] == "QBY1RYVM6"
    assert not any("differs" in w for w in facts.warnings)


def test_name_whose_label_ocr_lost_is_found_by_the_zone() -> None:
    zone = old_card_zone("RENARD", "STEPHANE<<DENI", "061076866837", "501119", "M")
    lines = ["CARTE NATIONALE D'IDENTITE N° : 061076866837", "a a | RENARD",
             " | STÉPHANE, DENIS", "", *zone]
    facts = parse_identity([make_page(lines, confidence=85)])
    got = contract(facts)
    assert got["last_name"] == "RENARD" and got["first_names"] == "Stéphane Denis"


def test_scanned_passport_number_put_back_to_its_format_by_the_check_digit() -> None:
    zone = td3_zone("17QI50097", "460517", "F", "270206", "FRA", "FERREIRA<<MARINE")
    misread = [zone[0], "170150097" + zone[1][9:]]  # two look-alikes at once
    lines = ["PASSEPORT / PASSPORT | Passeport N° / Passport No", " | 170150097",
             "Nom / Surname", "FERREIRA", "", *misread]
    facts = parse_identity([make_page(lines, columns=PASSPORT_COLUMNS, confidence=90)])
    assert contract(facts)["document_number"] == "17QI50097"


def test_noisy_scanned_zone_with_a_chance_check_does_not_beat_the_printed_date() -> None:
    zone = td3_zone("22GV48198", "320104", "F", "320104", "FRA", "LE<GOFF<<MARIE")
    line2 = "85" + zone[1][2:9] + "/" + zone[1][9:21] + "33" + zone[1][23:]
    garbled = [zone[0], line2]  # a stray "/", number and expiry misread: 2 checks of 5 hold
    lines = ["PASSEPORT", "Date de naissance : | 07.11.1986",
             "Date de délivrance : | 05.01.2022", "Date d'expiration : | 04.01.2032", "",
             *garbled]
    facts = parse_identity([make_page(lines, confidence=88)])
    got = contract(facts)
    assert got["birth_date"] == date(1986, 11, 7)
    assert got["mrz_valid"] is None


def test_clean_scanned_zone_with_a_failing_check_is_invalid() -> None:
    line2 = CNIE_ZONE[1][:6] + "0" + CNIE_ZONE[1][7:]
    lines = cnie_lines(zone=[CNIE_ZONE[0], line2, CNIE_ZONE[2]])
    facts = parse_identity([make_page(lines, confidence=93)])
    assert contract(facts)["mrz_valid"] is False


@pytest.mark.parametrize("cell", ["CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", "MARTIN",
                                  "Noémie", "a", "PRÉFECTURE DU NORD"])
def test_values_are_not_labels(cell: str) -> None:
    words = [Word(t, 10.0 * i, 0, 10.0 * i + 8, 9) for i, t in enumerate(cell.split())]
    assert match_label(words) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("12.03.2030", date(2030, 3, 12)),
    ("12 03 2030", date(2030, 3, 12)),
    ("12 MARS / MAR 2030", date(2030, 3, 12)),
    ("12 mars 2030", date(2030, 3, 12)),
    ("10 GIU/JUN 1951", date(1951, 6, 10)),
    ("09 DÉC/DEC 2016", date(2016, 12, 9)),
    ("01122016", date(2016, 12, 1)),
    ("10 O1 2027", date(2027, 1, 10)),
    ("12 MARS/MAA/MAR 1985", date(1985, 3, 12)),
    ("120319701", None),
    ("1,67 m", None),
])
def test_read_date(text: str, expected: date | None) -> None:
    assert read_date(text) == expected


@pytest.mark.parametrize(("reader", "text", "expected"), [
    (read_last_name, "DURAND épouse MARTIN", "DURAND"),
    (read_last_name, "Müller", "MÜLLER"),
    (read_last_name, "1,67 m", None),
    (read_usage_name, "ép. MARTIN", "MARTIN"),
    (read_first_names, "HÉLÈNE, CHARLOTTE", "Hélène Charlotte"),
    (read_first_names, "Marie-Noëlle, Anne", "Marie-Noëlle Anne"),
    (read_sex, "F", "F"),
    (read_sex, "Masculin", "M"),
    (read_sex, "X", None),
    (read_document_number, "1404 2A1 02380", "14042A102380"),
    (read_document_number, "YSLD5DZBY", "YSLD5DZBY"),
    (read_document_number, "IDENTITY CARD", None),
    (read_document_number, "IYH56CUX]", "IYH56CUXJ"),  # OCR's bracket for J
    (read_document_number, "[16CA96277]", "16CA96277"),  # a number in brackets
])
def test_value_readers(reader: object, text: str, expected: str | None) -> None:
    assert callable(reader)
    assert reader(text) == expected


def test_scanned_zone_alone_with_one_lookalike_slip_is_undecided_not_invalid() -> None:
    zone = td1_zone("ID", "XGKALK0X0", "980330", "F", "350731", "FRA",
                    "GUERIN<<VICTOIRE<ANNE<LAURE")
    misread = [zone[0].replace("K0X0", "KOX0"), zone[1], zone[2]]  # O for 0: the scan's slip
    facts = parse_identity([make_page(["CARTE NATIONALE D'IDENTITÉ", "", *misread],
                                      confidence=90)])
    got = contract(facts)
    assert got["mrz_valid"] is None
    assert got["last_name"] == "GUERIN"
    assert any("not decided" in w for w in facts.warnings)


def test_check_digit_read_as_a_letter_does_not_vouch_for_an_unprinted_variant() -> None:
    # Number X4RTB0FW3 (check digit 0). Both the visual zone and the zone read its 0 as O,
    # and the zone's check digit 0 as D: the look-alike variant X4RTB0FW3 would hold, but
    # neither zone prints it; the misread check digit alone cannot pick it.
    zone = td1_zone("ID", "X4RTB0FW3", "900713", "F", "300211", "FRA",
                    "MARTIN<<MAELYS<GAELLE<MARIE")
    assert zone[0][5:15] == "X4RTB0FW30"
    misread = [zone[0][:5] + "X4RTBOFW3D" + zone[0][15:], zone[1], zone[2]]
    lines = cnie_lines(zone=misread, number="X4RTBOFW3")
    facts = parse_identity([make_page(lines, confidence=90)])
    got = contract(facts)
    assert got["document_number"] != "X4RTB0FW3"
    assert got["mrz_valid"] is not True
    assert not any("settled by its check digit" in w for w in facts.warnings)


def test_zone_read_again_on_its_own_is_preferred_to_the_page_reading() -> None:
    garbled = [CNIE_ZONE[0].replace("<<<<<<", "CCCECE"), CNIE_ZONE[1][:-1] + "<", CNIE_ZONE[2]]
    page = make_page(cnie_lines(zone=garbled), confidence=90)
    assert contract(parse_identity([page]))["mrz_valid"] is None
    reread = replace(page, zone_text="\n".join(CNIE_ZONE))
    facts = parse_identity([reread])
    got = contract(facts)
    assert got["mrz_valid"] is True
    assert got["document_number"] == "X4RTBPFW4"
    assert identity_of(facts).document_number is not None
    provenance = identity_of(facts).mrz_lines
    assert provenance == tuple(CNIE_ZONE)


def _visual(lines: list[str | tuple[float, str]], **layout: object) -> dict[str, list[str]]:
    zone = read_visual_zone([make_page(lines, **layout)])  # type: ignore[arg-type]
    return {key: [c.text for c in found] for key, found in zone.values.items()}


def test_old_card_labels_wrapped_over_two_lines_are_read() -> None:
    zone = old_card_zone("DURAND", "CLAIRE", "140975012345", "700312", "F")
    lines = old_card_lines(zone, surname="DURAND", given="CLAIRE", number="140975012345",
                           birth="12.03.1970", expiry="", issue="")
    lines[-1:] = ["Carte valable | | délivrée", "jusqu'au : 19.09.2029 | | le : 20.09.2014"]
    facts = parse_identity([make_page(lines)])
    assert value_of(facts.expiry_date) == date(2029, 9, 19)
    assert value_of(facts.document_date) == date(2014, 9, 20)
    assert facts.warnings == ()


def test_wrapped_labels_with_their_value_in_the_next_cell_or_below() -> None:
    got = _visual([
        (200, "Date de | Lieu de"), (200, "naissance | naissance"), (200, "13 07 1990 | Paris"),
        "Carte valable", "jusqu'au : | 19.09.2029",
    ])
    assert got["birth_date"] == ["13 07 1990"]
    assert got["birth_place"] == ["Paris"]
    assert got["expiry_date"][0] == "19.09.2029"


def test_wrapped_label_whose_second_line_ocr_merged_with_its_neighbour() -> None:
    # « jusqu'au : 19.09.2029 » and « le : 20.09.2014 » read as one cell: « le » still starts
    # under « délivrée ».
    got = _visual(["Carte valable | délivrée", "jusqu'au : 19.09.2029 | le : 20.09.2014"],
                  columns=(50.0, 152.0))
    assert got["expiry_date"][0].startswith("19.09.2029")
    assert got["issue_date"] == ["20.09.2014"]


def test_card_title_over_its_number_sign_reads_as_the_number_label() -> None:
    got = _visual(["RÉPUBLIQUE FRANÇAISE", "CARTE NATIONALE D'IDENTITÉ", "N° : 191013908528"])
    assert got == {"document_number": ["191013908528"]}


def test_bilingual_label_wrapped_over_two_lines_reads_the_value_under_both() -> None:
    got = _visual([(200, "Date d'expiration"), (200, "Date of expiry"), (200, "11 02 2030")])
    assert got["expiry_date"] == ["11 02 2030"]


@pytest.mark.parametrize("lines", [
    ["Date de", "", "naissance : | 13 07 1990"],  # a blank line between: two separate texts
    ["Date de", (200, "naissance : | 13 07 1990")],  # not under it
])
def test_label_beginnings_not_completed_under_them_are_not_joined(
        lines: list[str | tuple[float, str]]) -> None:
    assert "birth_date" not in _visual(lines)


def test_label_beginning_over_a_label_of_its_own_is_not_joined() -> None:
    # « Date et » + « Lieu de naissance » would read « Date et lieu de naissance ».
    got = _visual([(200, "Date et"), (200, "Lieu de naissance : | Paris")])
    assert got == {"birth_place": ["Paris"]}


def test_complete_labels_over_their_values_are_not_joined() -> None:
    got = _visual([
        (200, "Nom | Prénoms"), (200, "PERRIN | A"), (200, "Nationalité | Sexe"),
        (200, "F | F"), (200, "Nom | Date de naissance"), (200, "Prénoms | 13 07 1990"),
    ])
    assert got["last_name"][0] == "PERRIN" and got["first_names"][0] == "A"
    assert got["nationality"][0] == "F" and got["sex"][0] == "F"
    assert got["birth_date"] == ["13 07 1990"]
    assert "usage_name" not in got


def test_complete_label_over_another_fields_ending_is_joined() -> None:
    got = _visual([(200, "Nom"), (200, "d'usage"), (200, "MARTIN")])
    assert got == {"usage_name": ["MARTIN"]}


def test_scanned_number_both_zones_read_with_o_for_zero_is_undecided_not_invalid() -> None:
    # KGPVBYV0D: both readings, by one engine, see the 0 between letters as O. The zone's
    # check digit is the true number's; the O/0 agreement of the two readings proves nothing.
    zone = td1_zone("ID", "KGPVBYV0D", "931215", "M", "330613", "FRA",
                    "LEMOINE<<REMI<ANTOINE<AIME")
    misread = [zone[0].replace("KGPVBYV0D", "KGPVBYVOD"), zone[1], zone[2]]
    facts = parse_identity([make_page(cnie_lines(zone=misread, number="KGPVBYVOD"),
                                      confidence=90)])
    assert contract(facts)["mrz_valid"] is None
    assert any("not decided" in w for w in facts.warnings)


def test_scanned_check_digit_read_as_a_letter_whose_digit_fails_is_undecided() -> None:
    # NH1FYRZFW, check digit 9: the zone pass read 1 as I and the check digit 9 as O. The
    # letter O cannot be a check digit; its look-alike 0 fails: the scan's fault.
    zone = td1_zone("ID", "NH1FYRZFW", "721016", "F", "310325", "FRA",
                    "RENAUD<<AURELIE<MATHILDE")
    assert zone[0][5:15] == "NH1FYRZFW9"
    misread = [zone[0].replace("NH1FYRZFW9", "NHIFYRZFWO"), zone[1], zone[2]]
    facts = parse_identity([make_page(cnie_lines(zone=misread, number="NH1FYRZFW"),
                                      confidence=90)])
    got = contract(facts)
    assert got["mrz_valid"] is None
    assert got["document_number"] == "NH1FYRZFW"


def test_wrong_check_digit_on_a_clean_line_is_invalid_when_another_line_read_short() -> None:
    # The expiry's check digit is wrong on line 2 (read whole), the composite made to agree
    # with it; line 1 lost two trailing fillers, which shifts nothing the failing check covers.
    head = CNIE_ZONE[1][:14] + "1" + CNIE_ZONE[1][15:29]
    assert CNIE_ZONE[1][14] != "1"
    line2 = head + check(CNIE_ZONE[0][5:30] + head[0:7] + head[8:15] + head[18:29])
    short = [CNIE_ZONE[0][:-2], line2, CNIE_ZONE[2]]
    facts = parse_identity([make_page(cnie_lines(zone=short), confidence=92)])
    assert contract(facts)["mrz_valid"] is False


def test_accented_letter_misread_in_the_printed_name_takes_the_zone_letter() -> None:
    # « António » read « Anténio »: the zone spells ANTONIO; the accent misled OCR, not the zone.
    zone = td1_zone("ID", "X4RTBPFW4", "900713", "M", "300211", "FRA",
                    "PEREIRA<<ANTONIO<LUIS")
    lines = cnie_lines(zone=zone)
    lines[2], lines[4], lines[6] = (200, "PEREIRA"), (200, "Anténio, Luís"), (200, "M | FRA")
    facts = parse_identity([make_page(lines, confidence=90)])
    got = contract(facts)
    assert got["last_name"] == "PEREIRA"
    assert got["first_names"] == "Antonio Luís"
    # On a born-digital page, or where the letters agree, the printed spelling is kept.
    lines[4] = (200, "António, Luís")
    assert contract(parse_identity([make_page(lines, confidence=90)]))["first_names"] \
        == "António Luís"


def test_zone_holding_with_the_printed_number_and_a_letter_read_for_a_check_digit() -> None:
    # The zone pass read J as I in the number (no check can mend that alone) and the composite
    # digit 0 as Q. The printed number makes the number's check hold, and Q can only be 0:
    # every check holds on the zone as the visual zone prints it.
    zone = td1_zone("ID", "N6N3D7AJX", "930716", "F", "340505", "FRA",
                    "SEGUIN<<DOMINIQUE<JOELLE")
    assert zone[1][-1] == "0"
    misread = [zone[0].replace("N6N3D7AJX", "N6N3D7AIX"), zone[1][:-1] + "Q", zone[2]]
    facts = parse_identity([make_page(cnie_lines(zone=misread, number="N6N3D7AJX"),
                                      confidence=90)])
    got = contract(facts)
    assert got["document_number"] == "N6N3D7AJX"
    assert got["mrz_valid"] is True


def _unsure(page: Page, *texts: str, confidence: float = 37.0) -> Page:
    """The page with the words `texts` read at a low OCR confidence."""
    words = tuple(replace(w, confidence=confidence) if w.text in texts else w
                  for w in page.words)
    return replace(page, words=words)


def test_unsure_printed_name_takes_the_zone_letters_at_its_slips() -> None:
    # « HADJADJ » printed, OCR read « HADJAD] » unsurely; the zone's OCR-B line read well.
    zone = td1_zone("ID", "X4RTBPFW4", "900713", "M", "300211", "FRA",
                    "HADJADJ<<CLEMENT<DOMINIQUE")
    lines = cnie_lines(zone=zone)
    lines[2], lines[4], lines[6] = (200, "HADJAD]"), (200, "Clément, Dominique"), (200, "M | FRA")
    unsure = _unsure(make_page(lines, confidence=85), "HADJAD]")
    got = contract(parse_identity([unsure]))
    assert got["last_name"] == "HADJADJ" and got["first_names"] == "Clément Dominique"
    # Read surely, the printed spelling stands: one slip on either side is agreement.
    assert contract(parse_identity([make_page(lines, confidence=85)]))["last_name"] == "HADJAD"


def test_unsure_printed_name_keeps_its_accents_where_the_letters_agree() -> None:
    zone = td1_zone("ID", "X4RTBPFW4", "900713", "F", "300211", "FRA",
                    "LEFEVRE<<HELENE<MARIE")
    lines = cnie_lines(zone=zone)
    lines[2], lines[4] = (200, "LEFÈVRE"), (200, "Hélèue, Marie")
    unsure = _unsure(make_page(lines, confidence=85), "Hélèue,")
    assert contract(parse_identity([unsure]))["first_names"] == "Hélène Marie"


def test_umlaut_misread_for_a_plain_letter_takes_the_zone_letter() -> None:
    # « Théodore » read « Théoüore »: an accented letter where the zone has D.
    zone = td1_zone("ID", "X4RTBPFW4", "531229", "M", "331129", "FRA",
                    "DUMONT<<THEODORE<CHRISTOPHE")
    lines = cnie_lines(zone=zone, birth="29 12 1953")
    lines[2], lines[4], lines[6] = ((200, "DUMONT"), (200, "Théoüore, Christophe"),
                                    (200, "M | FRA"))
    got = contract(parse_identity([make_page(lines, confidence=88)]))
    assert got["first_names"] == "Théodore Christophe"


def test_lookalike_slip_with_an_unread_composite_digit_is_undecided_not_invalid() -> None:
    # 0 read as O in the number, and the composite check digit read as « H »: no check can
    # settle the number, and nothing says the document is wrong.
    zone = td3_zone("CV03ZRC36", "821006", "M", "280820", "D<<", "BECKER<<STEFAN",
                    issuer="D<<")
    misread = [zone[0], zone[1].replace("CV03ZRC36", "CVO3ZRC36")[:-1] + "H"]
    lines = ["REISEPASS / PASSPORT / PASSEPORT", "Name / Surname / Nom", "BECKER",
             "Vornamen / Given names / Prénoms", "STEFAN", "", *misread]
    got = contract(parse_identity([make_page(lines, confidence=88)]))
    assert got["mrz_valid"] is None
    # A wrong digit in the number with the same unread composite stays a failure.
    forged = [zone[0], zone[1].replace("CV03ZRC36", "CV03ZRC37")[:-1] + "H"]
    lines[-2:] = forged
    assert contract(parse_identity([make_page(lines, confidence=88)]))["mrz_valid"] is False


def test_wrong_check_digit_before_marks_at_the_line_end_is_invalid() -> None:
    # The line's last two characters were read as « ()() » at the scan's edge: what comes
    # before them has not shifted, so a wrong birth-date check digit is the document's.
    zone = td3_zone("VX3750713", "760106", "F", "331221", "ITA", "COLOMBO<<GIULIA<FEDERICA",
                    issuer="ITA")
    corrupted = zone[1][:19] + str((int(zone[1][19]) + 2) % 10) + zone[1][20:]
    lines = ["PASSAPORTO / PASSPORT / PASSEPORT", "Cognome / Surname / Nom", "COLOMBO",
             "Nome / Given names / Prénoms", "GIULIA, FEDERICA", "",
             zone[0], corrupted[:-2] + "()()"]
    assert contract(parse_identity([make_page(lines, confidence=88)]))["mrz_valid"] is False
    # Marks inside the line may have shifted what follows them: undecided.
    lines[-1] = corrupted[:10] + "()" + corrupted[12:-2] + "<<"
    assert contract(parse_identity([make_page(lines, confidence=88)]))["mrz_valid"] is None


def test_number_both_zones_read_with_o_for_zero_takes_the_variant_every_check_holds_with(
) -> None:
    zone = td1_zone("ID", "AVG6F0EX6", "900713", "F", "300211", "FRA",
                    "MARTIN<<MAELYS<GAELLE<MARIE")
    misread = [zone[0].replace("AVG6F0EX6", "AVG6FOEX6"), zone[1], zone[2]]
    facts = parse_identity([make_page(cnie_lines(zone=misread, number="AVG6FOEX6"),
                                      confidence=90)])
    got = contract(facts)
    assert got["document_number"] == "AVG6F0EX6"
    assert got["mrz_valid"] is None  # settled by the check digit alone: not declared valid
    assert any("settled by its check digit" in w for w in facts.warnings)


def test_lone_letters_ocr_added_after_a_printed_name_are_dropped_when_the_zone_agrees() -> None:
    zone = td1_zone("ID", "X4RTBPFW4", "900713", "M", "300211", "FRA", "NOEL<<LOIC")
    lines = cnie_lines(zone=zone)
    lines[2], lines[4], lines[6] = (200, "NOEL E E"), (200, "Loïc"), (200, "M | FRA")
    got = contract(parse_identity([make_page(lines, confidence=85)]))
    assert got["last_name"] == "NOEL"
    # A real second word the zone also has is kept.
    zone = td1_zone("ID", "X4RTBPFW4", "900713", "M", "300211", "FRA", "NOEL<EL<<LOIC")
    lines[-3:] = zone
    lines[2] = (200, "NOEL EL E")
    assert contract(parse_identity([make_page(lines, confidence=85)]))["last_name"] == "NOEL EL"
    lines[2] = (200, "NOEL EL")
    assert contract(parse_identity([make_page(lines, confidence=85)]))["last_name"] == "NOEL EL"


def test_printed_number_with_a_speck_read_after_it_settles_the_zone_misread() -> None:
    # The zone read 9 as O (no look-alike pair: no variant holds); the printed number read
    # « UTJ9MVHR9I » holds the zone's check digit once its extra last character is dropped.
    zone = td1_zone("ID", "UTJ9MVHR9", "981123", "M", "310809", "FRA",
                    "CREPIN<GIRAUD<<JEAN<MARC<THEO")
    misread = [zone[0].replace("UTJ9MVHR9", "UTJOMVHR9"), zone[1], zone[2]]
    lines = cnie_lines(zone=misread, number="UTJ9MVHR9I")
    got = contract(parse_identity([make_page(lines, confidence=85)]))
    assert got["document_number"] == "UTJ9MVHR9"
    assert got["mrz_valid"] is not False


def test_short_filler_misreads_after_a_zone_name_give_way_to_the_printed_name() -> None:
    # « COLIN<<<<<<<<<E<CE<<E<<<<< »: noise in the filler run whose check held by chance.
    zone = old_card_zone("COLIN<<<<<<<<<E<CE<<E", "CECILE", "151106271435", "541230", "F")
    lines = old_card_lines(zone, surname="COLIN", given="CÉCILE", number="151106271435",
                           birth="30.12.1954", expiry="25.11.2030", issue="26.11.2015")
    got = contract(parse_identity([make_page(lines, confidence=85)]))
    assert (got["last_name"], got["mrz_valid"]) == ("COLIN", True)


def test_lone_filler_misreads_after_a_zone_name_are_fillers() -> None:
    from extractors.fields.identity_names import zone_name

    assert zone_name("NOEL E E", truncated=False) == zone_name("NOEL", truncated=False)
    assert zone_name("NOEL", truncated=False).text == "NOEL"  # type: ignore[union-attr]
    assert zone_name("DE LA FONTAINE", truncated=False).text == "DE LA FONTAINE"  # type: ignore[union-attr]


def test_a_failing_check_two_readings_of_the_scan_disagree_on_is_undecided() -> None:
    # The zone's own pass misread the expiry's check digit, the page's pass the birth date's:
    # each fails one check, and the other reading disagrees on that very character. Neither
    # reading alone shows the document is at fault.
    line2 = PASSPORT_ZONE[1]

    def misread(at: int) -> str:
        return line2[:at] + ("1" if line2[at] != "1" else "2") + line2[at + 1:]

    expiry_slip, birth_slip = misread(27), misread(19)  # TD3 line 2 check digits
    page = make_page(passport_lines([PASSPORT_ZONE[0], birth_slip]), confidence=90)
    assert contract(parse_identity([page]))["mrz_valid"] is False  # one reading: a failure
    both = replace(page, zone_text="\n".join([PASSPORT_ZONE[0], expiry_slip]))
    assert contract(parse_identity([both]))["mrz_valid"] is None


def test_two_readings_each_slipped_elsewhere_mix_into_a_zone_that_holds() -> None:
    # The zone's own pass read « 299903 » for « 299003 » at the end of line 1; the page's
    # pass read that right but slipped elsewhere on line 1. Neither holds alone; a mix does.
    zone = old_card_zone("PICARD<MENARD", "ANAIS", "111129955252", "631004", "F",
                         line1_tail="299003")
    own = zone[0][:33] + "9" + zone[0][34:]
    page_slip = zone[0][:30] + "3" + zone[0][31:]
    lines = old_card_lines([page_slip, zone[1]], surname="PICARD-MÉNARD", given="ANAÏS",
                           number="111129955252", birth="04.10.1963", expiry="31.10.2021",
                           issue="01.11.2011")
    page = make_page(lines, confidence=90)
    assert contract(parse_identity([page]))["mrz_valid"] is False  # one reading: a failure
    both = replace(page, zone_text="\n".join([own, zone[1]]))
    assert contract(parse_identity([both]))["mrz_valid"] is None
