"""Unit tests for extractors.mrz: specimens, check digits, OCR repairs, locating zones.

Specimens are the public ones of ../shared/DOMAIN.md §5 (all check digits verified there by
computation) and the ICAO 9303 Part 6 TD2 specimen, whose digits were recomputed for this file:
document 7, birth 2, expiry 9, composite 6. Zones marked "synthetic" were built with the
independent encoder of test_mrz_properties.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from extractors.mrz import (
    MrzFormat,
    YearMonth,
    char_value,
    compute_check_digit,
    decode,
    find_mrz,
    find_mrz_all,
    parse_mrz,
    read_mrz,
)
from extractors.mrz.assemble import _length_variants
from extractors.mrz.decode import french_names, icao_names
from extractors.mrz.layouts import LAYOUT_BY_FORMAT

TODAY = date(2026, 6, 15)

FR = ("IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "8806923102858CORINNE<<<<<<<6512068F6")
FR_1994 = ("IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "9409923102854CORINNE<<<<<<<6512068F4")
FR_OFFICE = ("IDFRABERTHIER<<<<<<<<<<<<<<<<<92C001", "8806923102858CORINNE<<<<<<<6512068F8")
TD1_FR = (
    "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<",
    "9007138F3002119FRA<<<<<<<<<<<6",
    "MARTIN<<MAELYS<GAELLE<MARIE<<<",
)
TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD2 = ("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6")
# Synthetic zones.
FR_GONZALES = ("IDFRAGONZALES<<<<<<<<<<<<<<<<<069<<<", "1403069045123AUDE<<QUITERIE9202298F5")
FR_CORSICA = ("IDFRADE<LA<FONTAINE<<<<<<<<<<<2A<012", "09112A<000171JEAN<<PIERRE<<5806300M7")
TD1_LONG_NUMBER = (
    "IDD<<T22000129<A128<<<<<<<<<<<",
    "8308126F3108011D<<<<<<<<<<<<<8",
    "MUSTERMANN<<ERIKA<<<<<<<<<<<<<",
)
TD3_GERMANY = (
    "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
    "C01X00T478D<<6408125F2710316<<<<<<<<<<<<<<<4",
)
TD3_GBD = (
    "P<GBRSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    "1234567897GBD8001014M3001019<<<<<<<<<<<<<<<8",
)
TD2_FRA = ("I<FRADUPONT<<MARIE<<<<<<<<<<<<<<<<<<", "AB12345671FRA8505051F2905040<<<<<<<2")

ZONES = {
    "fr": FR,
    "fr_1994": FR_1994,
    "fr_office": FR_OFFICE,
    "td1_fr": TD1_FR,
    "td3": TD3,
    "td1": TD1,
    "td2": TD2,
    "fr_gonzales": FR_GONZALES,
}


def with_char(lines: tuple[str, ...], line: int, col: int, ch: str) -> list[str]:
    out = list(lines)
    out[line] = out[line][:col] + ch + out[line][col + 1 :]
    return out


# --- specimens --------------------------------------------------------------------------------

BERTHIER = {
    "format": MrzFormat.FR_CNI_1995,
    "document_code": "ID",
    "issuing_country": "FRA",
    "nationality": "FRA",
    "last_name": "BERTHIER",
    "first_names": "CORINNE",
    "document_number": "880692310285",
    "birth_date": date(1965, 12, 6),
    "sex": "F",
    "expiry_date": None,
    "issue_year_month": YearMonth(1988, 6),
    "optional_data": ("", ""),
}
ERIKSSON = {
    "issuing_country": "UTO",
    "nationality": "UTO",
    "last_name": "ERIKSSON",
    "first_names": "ANNA MARIA",
    "birth_date": date(1974, 8, 12),
    "sex": "F",
    "expiry_date": date(2012, 4, 15),
    "issue_year_month": None,
}

SPECIMENS = [
    pytest.param(FR, BERTHIER, id="fr-cni-berthier"),
    pytest.param(
        FR_1994,
        BERTHIER | {"document_number": "940992310285", "issue_year_month": YearMonth(1994, 9)},
        id="fr-cni-berthier-1994",
    ),
    pytest.param(FR_OFFICE, BERTHIER | {"optional_data": ("92C", "001")}, id="fr-cni-office"),
    pytest.param(
        TD1_FR,
        {
            "format": MrzFormat.TD1,
            "document_code": "ID",
            "issuing_country": "FRA",
            "nationality": "FRA",
            "last_name": "MARTIN",
            "first_names": "MAELYS GAELLE MARIE",
            "document_number": "X4RTBPFW4",
            "birth_date": date(1990, 7, 13),
            "sex": "F",
            "expiry_date": date(2030, 2, 11),
            "issue_year_month": None,
            "optional_data": ("", ""),
        },
        id="td1-cnie-martin",
    ),
    pytest.param(
        TD3,
        ERIKSSON
        | {
            "format": MrzFormat.TD3,
            "document_code": "P",
            "document_number": "L898902C3",
            "optional_data": ("ZE184226B",),
        },
        id="td3-icao-eriksson",
    ),
    pytest.param(
        TD1,
        ERIKSSON
        | {
            "format": MrzFormat.TD1,
            "document_code": "I",
            "document_number": "D23145890",
            "optional_data": ("", ""),
        },
        id="td1-icao-eriksson",
    ),
    pytest.param(
        TD2,
        ERIKSSON
        | {
            "format": MrzFormat.TD2,
            "document_code": "I",
            "document_number": "D23145890",
            "optional_data": ("",),
        },
        id="td2-icao-eriksson",
    ),
]


@pytest.mark.parametrize(("lines", "expected"), SPECIMENS)
def test_specimen_parses_with_every_check_valid(
    lines: tuple[str, ...], expected: dict[str, object]
) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert {key: getattr(result, key) for key in expected} == expected
    assert result.valid
    assert all(result.checks.values())
    assert result.lines == lines
    assert result.repaired == ()
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("lines", "names"),
    [
        (FR, ["document_number", "birth_date", "composite"]),
        (TD1_FR, ["document_number", "birth_date", "expiry_date", "composite"]),
        (TD2, ["document_number", "birth_date", "expiry_date", "composite"]),
        (TD3, ["document_number", "birth_date", "expiry_date", "personal_number", "composite"]),
    ],
)
def test_each_layout_reports_its_checks(lines: tuple[str, ...], names: list[str]) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert list(result.checks) == names


def test_old_french_card_has_no_expiry_and_an_issue_month() -> None:
    result = parse_mrz(FR, today=TODAY)
    assert result is not None
    assert result.expiry_date is None
    assert str(result.issue_year_month) == "1988-06"
    assert YearMonth(2004, 1) <= YearMonth(2009, 11) <= YearMonth(2013, 12)


def test_french_card_with_compound_surname_and_corsican_department() -> None:
    result = parse_mrz(FR_CORSICA, today=TODAY)
    assert result is not None
    assert result.valid
    assert (result.last_name, result.first_names) == ("DE LA FONTAINE", "JEAN PIERRE")
    assert result.document_number == "09112A<00017"
    assert result.issue_year_month == YearMonth(2009, 11)
    assert result.optional_data == ("2A", "012")


def test_idfra_prefix_with_icao_layout_is_td2_not_the_old_card() -> None:
    result = parse_mrz(TD2_FRA, today=TODAY)
    assert result is not None
    assert result.format is MrzFormat.TD2
    assert result.valid
    assert (result.last_name, result.document_number) == ("DUPONT", "AB1234567")


def test_td1_long_document_number_continues_in_optional_data() -> None:
    result = parse_mrz(TD1_LONG_NUMBER, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.document_number == "T22000129A12"
    assert result.optional_data == ("", "")
    assert result.issuing_country == result.nationality == "DEU"


@pytest.mark.parametrize(
    ("lines", "issuer", "nationality"),
    [(TD3_GERMANY, "DEU", "DEU"), (TD3_GBD, "GBR", "GBD"), (TD3, "UTO", "UTO")],
)
def test_country_codes_follow_the_contract(
    lines: tuple[str, ...], issuer: str, nationality: str
) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert (result.issuing_country, result.nationality) == (issuer, nationality)
    assert result.warnings == ()


# --- check digits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "digit"),
    [
        ("123456BB", 5),  # DOMAIN.md §5.1 worked example (sum 175)
        ("L898902C3", 6),
        ("740812", 2),
        ("120415", 9),
        ("ZE184226B<<<<<", 1),
        ("D23145890", 7),
        ("X4RTBPFW4", 6),
        ("900713", 8),
        ("300211", 9),
        ("880692310285", 8),
        ("940992310285", 4),
        ("651206", 8),
        ("<<<<<<<<<", 0),
        ("", 0),
    ],
)
def test_check_digit(data: str, digit: int) -> None:
    assert compute_check_digit(data) == digit


@pytest.mark.parametrize(
    ("ch", "value"), [("0", 0), ("7", 7), ("A", 10), ("K", 20), ("Z", 35), ("<", 0)]
)
def test_char_value(ch: str, value: int) -> None:
    assert char_value(ch) == value


@pytest.mark.parametrize("ch", ["a", "«", " ", "É"])
def test_char_value_rejects_non_zone_characters(ch: str) -> None:
    with pytest.raises(ValueError, match="not a zone character"):
        char_value(ch)


@pytest.mark.parametrize(("a", "b"), [("<", "K"), ("0", "A"), ("1", "L"), ("6", "G")])
def test_characters_a_check_digit_cannot_tell_apart(a: str, b: str) -> None:
    # Why `K` for `<` is fixed on context alone and why `1`/`L` can be ambiguous (repair.py).
    assert compute_check_digit(f"AB{a}12") == compute_check_digit(f"AB{b}12")


# --- OCR repairs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "line", "col", "wrong", "field"),
    [
        ("td3", 1, 15, "O", "birth_date"),
        ("td3", 1, 15, "Q", "birth_date"),
        ("td3", 1, 15, "D", "birth_date"),
        ("td3", 1, 17, "I", "birth_date"),
        ("td3", 1, 17, "L", "birth_date"),
        ("td3", 1, 18, "Z", "birth_date"),
        ("td3", 1, 26, "S", "expiry_date"),
        ("td3", 1, 16, "B", "birth_date"),
        ("fr", 1, 27, "G", "birth_date"),
        ("fr", 1, 3, "G", "issue_year_month"),
        ("fr", 1, 9, "Z", "card_sequence"),
        ("td3", 1, 19, "Z", "birth_date_check"),
        ("td3", 1, 43, "O", "composite_check"),
        ("td1_fr", 0, 14, "G", "document_number_check"),
        ("fr_office", 0, 34, "O", "issuing_office"),
    ],
)
def test_letter_read_for_a_digit_is_repaired(
    zone: str, line: int, col: int, wrong: str, field: str
) -> None:
    lines = ZONES[zone]
    result = parse_mrz(with_char(lines, line, col, wrong), today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == lines
    assert len(result.repaired) == 1
    assert result.repaired[0].startswith(f"{field} (line {line + 1}, col {col + 1}): '{wrong}'")


@pytest.mark.parametrize(
    ("zone", "line", "col", "wrong"),
    [
        ("fr", 0, 5, "8"),  # B of BERTHIER
        ("fr", 0, 10, "1"),  # I
        ("fr", 1, 14, "0"),  # O of CORINNE
        ("fr_gonzales", 0, 5, "6"),  # G
        ("fr_gonzales", 0, 8, "2"),  # Z
        ("fr_gonzales", 0, 10, "1"),  # L
        ("fr_gonzales", 0, 12, "5"),  # S
        ("fr_gonzales", 1, 15, "0"),  # D of AUDE
        ("fr_gonzales", 1, 19, "0"),  # Q of QUITERIE
    ],
)
def test_digit_read_for_a_letter_is_repaired_by_the_composite(
    zone: str, line: int, col: int, wrong: str
) -> None:
    lines = ZONES[zone]
    result = parse_mrz(with_char(lines, line, col, wrong), today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == lines
    assert "composite check digit" in result.repaired[0]


def test_digit_in_an_unchecked_icao_name_takes_the_likeliest_letter() -> None:
    result = parse_mrz(with_char(TD3, 0, 7, "1"), today=TODAY)
    assert result is not None
    assert result.last_name == "ERIKSSON"
    assert result.valid
    assert "no check" in result.repaired[0]


def test_digit_in_an_unchecked_country_code_takes_the_only_known_code() -> None:
    result = parse_mrz(with_char(TD3, 1, 12, "0"), today=TODAY)  # UT0
    assert result is not None
    assert result.nationality == "UTO"
    assert result.lines == TD3


@pytest.mark.parametrize(
    ("zone", "line", "col", "wrong"),
    [
        ("td3", 0, 28, "K"),  # name padding
        ("td3", 0, 43, "K"),
        ("td3", 1, 39, "K"),  # personal number padding (checks cannot see K)
        ("td3", 1, 40, "C"),  # ... C they can: confirmed by the check
        ("td3", 1, 41, "L"),
        ("td1", 0, 20, "K"),  # optional data
        ("td1", 1, 22, "C"),
        ("td1", 2, 25, "L"),  # name padding, no check
        ("fr", 0, 20, "K"),  # surname padding
        ("fr", 1, 24, "C"),  # given-names padding: composite confirms
        ("fr", 0, 33, "K"),  # issuing office
    ],
)
def test_filler_read_as_a_letter_in_a_filler_run(
    zone: str, line: int, col: int, wrong: str
) -> None:
    lines = ZONES[zone]
    result = parse_mrz(with_char(lines, line, col, wrong), today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == lines
    assert len(result.repaired) == 1


def test_look_alike_a_holding_check_vouches_for_is_kept() -> None:
    # Synthetic: personal number "AB<C". C after a filler looks like a misread filler, but
    # reading it so would break a check that holds on legal characters: it is data.
    lines = (TD3[0], "L898902C36UTO7408122F1204159AB<C<<<<<<<<<<72")
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.optional_data == ("AB<C",)
    assert result.repaired == ()


def test_tesseract_reading_of_a_blurred_zone() -> None:
    # Tesseract 5 (eng, --psm 6) on the specimen rendered in a monospace font, Gaussian blur 1.
    lines = ["IDFRABERTHIER<<<<<<<<<<<<c<cccccc<<<", "8806923 102858CORINNE<<<<<<<6512068F6"]
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == FR
    assert len(result.repaired) == 7


def test_run_of_fillers_read_as_k() -> None:
    lines = (TD1_FR[0][:15] + "K" * 15, TD1_FR[1], "MARTIN<<MAELYS<GAELLE<MARIEKKK")
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines[0] == TD1_FR[0]
    assert result.first_names == "MAELYS GAELLE MARIEKKK"  # no `<` before: left as read


def test_optional_data_fillers_read_as_c_and_a_last_e() -> None:
    # Tesseract on a scanned residence permit: « IRFRAUC34W21EY8<<cccccccccccce ». The E ends a
    # run of fillers in a data field: a misread filler, as the composite then confirms.
    lines = (TD1_FR[0][:17] + "C" * 12 + "E", TD1_FR[1], TD1_FR[2])
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines[0] == TD1_FR[0]
    # In a name, E stays a letter: « JOSE<<<<E » is not rewritten.
    named = parse_mrz((TD1_FR[0], TD1_FR[1], "MARTIN<<MAELYS<GAELLE<MARIE<<E"), today=TODAY)
    assert named is not None and named.lines[2].endswith("E")


def test_name_ending_in_fillers_read_as_k_keeps_a_possible_last_letter() -> None:
    lines = (TD1[0], TD1[1], "SVENSSON<<ERIK" + "K" * 16)
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert (result.last_name, result.first_names) == ("SVENSSON", "ERIK")
    assert result.valid  # no check covers a TD1 name
    assert result.warnings == ("name: last letter uncertain (fillers read as K/C/L)",)


def test_every_filler_read_as_k_on_the_old_french_card() -> None:
    result = parse_mrz([FR[0].replace("<", "K"), FR[1].replace("<", "K")], today=TODAY)
    assert result is not None
    assert (result.last_name, result.first_names) == ("BERTHIERK", "CORINNEK")
    assert (result.document_number, result.birth_date) == ("880692310285", date(1965, 12, 6))
    # K weighs as `<` in a check: the composite cannot vouch for the end of the names.
    assert all(result.checks.values())
    assert not result.valid
    assert "surname: last letter uncertain (fillers read as K/C/L)" in result.warnings


def test_filler_glyphs_spaces_and_lower_case() -> None:
    lines = [
        " p<uto ERIKSSON«‹ANNA‹MARIA<< <<<<<<<<<<<<<<<<< ",
        "L898902C3 6UTO 7408122 F 1204159 ZE184226B<<<<<10",
    ]
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == TD3
    assert result.repaired == ("3 filler glyph(s) such as « read as <",)


def test_several_confusions_at_once() -> None:
    lines = ["IDFRABERTH1ER<<<<<<<<<<<<<<<<<<<<<<<", "88O6923102858C0RINNE<<<K<<<6512O68F6"]
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == FR
    assert len(result.repaired) == 5


@pytest.mark.parametrize(
    ("col", "name"),
    [(9, "document_number"), (19, "birth_date"), (27, "expiry_date"), (42, "personal_number")],
)
def test_wrong_check_digit_is_reported_not_repaired(col: int, name: str) -> None:
    wrong = str((int(TD3[1][col]) + 3) % 10)
    lines = with_char(TD3, 1, col, wrong)
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert not result.valid
    assert result.checks[name] is False
    assert result.checks["composite"] is False
    assert list(result.lines) == lines
    assert result.repaired == ()
    assert (result.document_number, result.birth_date) == ("L898902C3", date(1974, 8, 12))


def test_wrong_composite_digit_is_reported_not_repaired() -> None:
    lines = with_char(TD1, 1, 29, "5")
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert not result.valid
    assert [n for n, ok in result.checks.items() if not ok] == ["composite"]
    assert list(result.lines) == lines


def test_letter_digit_swap_where_both_are_legal_is_hinted_not_applied() -> None:
    # O for 0 inside a document number: both legal there, so a check cannot vouch for a swap.
    result = parse_mrz(with_char(TD3, 1, 5, "O"), today=TODAY)
    assert result is not None
    assert not result.valid
    assert result.document_number == "L8989O2C3"
    assert result.repaired == ()
    assert any(
        w.startswith("document_number check fails; reading line 2 col 6") for w in result.warnings
    )


def test_ambiguous_readings_are_not_applied() -> None:
    # O of GONZALES and D of AUDE both read 0: two readings with two changes satisfy the
    # composite, so neither is applied.
    lines = with_char(tuple(with_char(FR_GONZALES, 0, 6, "0")), 1, 15, "0")
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert not result.valid
    assert list(result.lines) == lines
    assert "composite: several readings satisfy the check; none applied" in result.warnings


def test_digits_cancelling_in_a_check_do_not_make_the_zone_valid() -> None:
    # I read as 1 twice in QUITERIE: 17 x 7 + 17 x 3 = 170, the composite still holds.
    lines = with_char(tuple(with_char(FR_GONZALES, 1, 21, "1")), 1, 25, "1")
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.checks["composite"] is True
    assert not result.valid
    assert "character(s) illegal for the field left in: given_names" in result.warnings


def test_search_is_bounded() -> None:
    # 8 zeros in names, 3 readings each: 6561 combinations, over the bound of 4096.
    lines = ["IDFRA" + "0" * 5 + FR[0][10:], FR[1][:13] + "0" * 3 + FR[1][16:]]
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert not result.valid
    assert "composite: too many unsure characters to try every reading" in result.warnings


def test_unreadable_character_in_a_date() -> None:
    result = parse_mrz(with_char(TD3, 1, 14, "X"), today=TODAY)
    assert result is not None
    assert not result.valid
    assert result.birth_date is None
    assert "birth_date: a character no look-alike reading can fix" in result.warnings


def test_truncated_name_is_flagged() -> None:
    lines = (TD1[0], TD1[1], "ERIKSSON<<ANNA<MARIA<ELISABETH")
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.names_truncated
    assert result.first_names == "ANNA MARIA ELISABETH"
    assert "name field full: names may be truncated" in result.warnings


# --- line lengths, glued and split lines --------------------------------------------------------


@pytest.mark.parametrize(
    "lines",
    [
        [TD3[0][:30] + TD3[0][32:], TD3[1]],  # two fillers lost in the name padding
        [TD3[0], TD3[1][:38] + TD3[1][39:]],  # one lost in the personal number padding
        ["I" + TD3[0], TD3[1] + "."],  # stray mark before, punctuation after
        [TD3[0], TD3[1][:40] + "<" + TD3[1][40:]],  # one filler too many
        [TD3[0] + TD3[1]],  # glued
        [TD3[0][:20], TD3[0][20:], TD3[1]],  # split
    ],
)
def test_line_length_is_fitted(lines: list[str]) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == TD3


def test_glued_td1_lines() -> None:
    result = parse_mrz(["".join(TD1_FR)], today=TODAY)
    assert result is not None
    assert result.format is MrzFormat.TD1
    assert result.lines == TD1_FR
    assert result.repaired == ("2 zone line break(s) restored in glued text",)


def _short_run(line: str, col: int, lost: int) -> str:
    """`line` with `lost` fillers of the run ending at `col` missing, as Tesseract reads them."""
    assert line[col - lost : col] == "<" * lost
    return line[: col - lost] + line[col:]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # Filler runs read 4 to 8 characters short: more than the usual slack of 3.
        ([_short_run(TD1_FR[0], 30, 6), TD1_FR[1], TD1_FR[2]], TD1_FR),
        ([TD1_FR[0], _short_run(TD1_FR[1], 29, 5), TD1_FR[2]], TD1_FR),
        ([_short_run(TD1_FR[0], 30, 4), _short_run(TD1_FR[1], 29, 4), TD1_FR[2]], TD1_FR),
        ([_short_run(TD3[0], 44, 8), TD3[1]], TD3),
        (["T" + _short_run(FR[0], 36, 6), FR[1]], FR),  # and a border mark read as T
    ],
)
def test_filler_run_read_far_too_short_is_widened(
    lines: list[str], expected: tuple[str, ...]
) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == expected
    assert any("filler(s) added to a run read short" in note for note in result.repaired)


@pytest.mark.parametrize(
    "lines",
    [
        # Short by digits (birth date and expiry) as well as fillers: widening the filler run
        # cannot restore the digits, and the checks must not come out holding.
        [TD1_FR[0], TD1_FR[1][:2] + TD1_FR[1][3:10] + TD1_FR[1][11:26] + "<6", TD1_FR[2]],
        [TD1_FR[0], TD1_FR[1][:1] + TD1_FR[1][5:], TD1_FR[2]],  # four digits lost
        [TD3[0], TD3[1][:13] + TD3[1][18:]],  # the birth date's digits lost
    ],
)
def test_line_short_by_digits_is_not_padded_into_validity(lines: list[str]) -> None:
    result = parse_mrz(lines, today=TODAY)
    assert result is None or not result.valid


def test_filler_run_is_widened_only_where_fillers_are_legal() -> None:
    # Line 2 of TD1 short by 5, its longest filler run over the birth date's check digit
    # (column 7), where no `<` may stand: no widening of that run is offered.
    line2 = "900<<<<F3002119FRA<<6"
    layout = LAYOUT_BY_FORMAT[MrzFormat.TD1]
    assert len(line2) < layout.line_length - 3
    longer_run = line2.replace("FRA<<", "FRA<<<<<<")  # the longest run now in optional data
    assert _length_variants(longer_run, layout, 1) != []
    assert _length_variants(line2, layout, 1) == []


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["REPUBLIQUE FRANCAISE"],
        ["Le titulaire est prie de presenter cette carte", "a toute requisition des autorites"],
        ["<" * 44, "<" * 44],
    ],
)
def test_lines_that_are_no_zone(lines: list[str]) -> None:
    assert parse_mrz(lines, today=TODAY) is None


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("651206", TODAY, date(1965, 12, 6)),
        ("250101", TODAY, date(2025, 1, 1)),
        ("260615", TODAY, date(2026, 6, 15)),
        ("260616", TODAY, date(1926, 6, 16)),
        ("000229", TODAY, date(2000, 2, 29)),
        ("991231", date(2099, 12, 31), date(2099, 12, 31)),
        ("651306", TODAY, None),
        ("650230", TODAY, None),
        ("7408<<", TODAY, None),
        ("74O812", TODAY, None),
    ],
)
def test_birth_date_century(text: str, today: date, expected: date | None) -> None:
    assert decode.birth_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("300211", TODAY, date(2030, 2, 11)),
        ("120415", TODAY, date(2012, 4, 15)),
        ("461231", TODAY, date(2046, 12, 31)),
        ("470101", TODAY, date(1947, 1, 1)),
        ("991231", TODAY, date(1999, 12, 31)),
        ("050101", date(2095, 1, 1), date(2105, 1, 1)),
    ],
)
def test_expiry_date_century(text: str, today: date, expected: date) -> None:
    assert decode.expiry_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8806", YearMonth(1988, 6)),
        ("2106", YearMonth(2021, 6)),
        ("2606", YearMonth(2026, 6)),
        ("2607", YearMonth(1926, 7)),
        ("8813", None),
        ("88O6", None),
    ],
)
def test_issue_year_month(text: str, expected: YearMonth | None) -> None:
    assert decode.issue_year_month(text, TODAY) == expected


# --- finding zones in page text -------------------------------------------------------------

PAGE = """RÉPUBLIQUE FRANÇAISE
CARTE NATIONALE D'IDENTITÉ N° : 880692310285
Nom : BERTHIER
Prénom(s) : CORINNE
Sexe : F  Né(e) le : 06.12.1965
à : PARIS 15E (75)
Signature du titulaire :

IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<

8806923102858CORINNE<<<<<<<6512068F6
"""


def test_zone_is_found_among_printed_text() -> None:
    candidate = find_mrz(PAGE)
    assert candidate is not None
    assert candidate.format is MrzFormat.FR_CNI_1995
    assert candidate.lines == FR
    assert candidate.raw_lines == FR
    assert candidate.first_line == 8
    assert (candidate.checks_passed, candidate.checks_total) == (3, 3)


def test_read_mrz_lists_fitting_steps_with_the_repairs() -> None:
    page = "Passeport\n" + TD3[0][:25] + "\n" + TD3[0][25:] + "\n" + TD3[1].replace("<", "«") + "\n"
    result = read_mrz(page, today=TODAY)
    assert result is not None
    assert result.valid
    assert result.lines == TD3
    assert result.repaired == (
        "5 filler glyph(s) such as « read as <",
        "line 1: joined from 2 text lines",
    )


def test_several_zones_on_one_page_in_reading_order() -> None:
    page = "\n".join(["Copie recto", *TD1_FR, "", "Copie passeport", *TD3])
    found = find_mrz_all(page)
    assert [c.format for c in found] == [MrzFormat.TD1, MrzFormat.TD3]
    assert [c.lines for c in found] == [TD1_FR, TD3]


def test_zones_adjacent_without_a_gap_are_told_apart() -> None:
    found = find_mrz_all("\n".join([*TD3, *FR]))
    assert [c.lines for c in found] == [TD3, FR]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Statuts de la société KANTA SAS\nArticle 1 - Forme\n",
        "EXTRAIT KBIS\nRCS CAEN 889 924 320\nGREFFE DU TRIBUNAL DE COMMERCE DE CAEN",
    ],
)
def test_no_zone_in_text(text: str) -> None:
    assert find_mrz(text) is None
    assert read_mrz(text, today=TODAY) is None


def test_french_card_names_that_leave_no_room_for_another_may_hide_one() -> None:
    # « BENOIT<<LOIC<< » fills the 14 places: a third name (« <<JOSEPH ») had no room.
    full = french_names("NOEL" + "<" * 21, "BENOIT<<LOIC<<")
    assert (full.first_names, full.truncated) == ("BENOIT LOIC", True)
    room = french_names("BERTHIER" + "<" * 17, "CORINNE<<<<<<<")
    assert (room.first_names, room.truncated) == ("CORINNE", False)


def test_a_digit_in_a_name_reads_as_its_likeliest_letter_even_where_checks_are_undecided() -> None:
    assert french_names("NOEL" + "<" * 21, "BEN0IT<<LOIC<<").first_names == "BENOIT LOIC"
    assert icao_names("5MITH<<J0HN<<<<").last_name == "SMITH"
