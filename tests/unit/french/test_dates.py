"""French dates in text: formats, spans, impossible and glued dates, two-digit years."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.french.dates import DateMatch, find_dates, month_number, parse_date

MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/1970", date(1970, 3, 12)),
        ("12-03-1970", date(1970, 3, 12)),
        ("12.03.1970", date(1970, 3, 12)),
        ("12 03 1970", date(1970, 3, 12)),
        ("12 / 03 / 1970", date(1970, 3, 12)),
        ("2/3/1970", date(1970, 3, 2)),
        ("1970-03-12", date(1970, 3, 12)),
        ("12 mars 1970", date(1970, 3, 12)),
        ("12 MARS 1970", date(1970, 3, 12)),
        ("1er mars 2021", date(2021, 3, 1)),
        ("1 er mars 2021", date(2021, 3, 1)),
        ("1ER MARS 2021", date(2021, 3, 1)),
        ("ler mars 2021", date(2021, 3, 1)),  # OCR: l for 1
        ("12 MARS / MAR 2030", date(2030, 3, 12)),
        ("12 MARS/MAR 2030", date(2030, 3, 12)),
        ("05 DÉC. / DEC. 2031", date(2031, 12, 5)),
        ("mardi 12 mars 1970", date(1970, 3, 12)),
        ("12 janv. 1970", date(1970, 1, 12)),
        ("3 févr. 2001", date(2001, 2, 3)),
        ("3 fevr 2001", date(2001, 2, 3)),
        ("5 sept. 2010", date(2010, 9, 5)),
        ("12 fevrier 1999", date(1999, 2, 12)),
        ("15 aout 2000", date(2000, 8, 15)),
        ("15 Août 2000", date(2000, 8, 15)),
        ("3 décembre 2000", date(2000, 12, 3)),
        ("3 decembre 2000", date(2000, 12, 3)),
        ("3 decernbre 2000", date(2000, 12, 3)),  # OCR: rn for m
        ("3 octobrе 2000", None),  # a Cyrillic "е" is not a slip we accept: not a French letter
        ("3 novenbre 2000", date(2000, 11, 3)),  # one slip on a long month name
        ("le quinze juin deux mille vingt-deux", date(2022, 6, 15)),
        ("premier mars deux mille vingt et un", date(2021, 3, 1)),
        ("l'an deux mille vingt-deux, le quinze juin", date(2022, 6, 15)),
        ("L\u2019AN DEUX MILLE VINGT-DEUX ET LE QUINZE JUIN", date(2022, 6, 15)),
        ("le trente et un décembre mil neuf cent quatre-vingt-dix-neuf", date(1999, 12, 31)),
        ("le 15 juin deux mille vingt-deux", date(2022, 6, 15)),
        ("le vingt-neuf février deux mille vingt", date(2020, 2, 29)),
        ("Fait à Caen, le 2 octobre 2026, en trois exemplaires", date(2026, 10, 2)),
        ("à jour au 6 novembre 2024", date(2024, 11, 6)),
        ("Le 12/03/1970 à PARIS (75)", date(1970, 3, 12)),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2020",  # impossible
        "29/02/2021",  # not a leap year
        "12/13/1970",  # month 13
        "00/03/1970",
        "32 mars 1970",
        "120319701",  # glued digits
        "12/03/19701",
        "312/03/1970",
        "tel 06 12 03 1970 45",  # inside a phone-like run
        "1.12.03.1970",
        "12/03/1970/2",
        "SIRET 889 924 320 00019",
        "12/03/70",  # two-digit year without a pivot
        "mars 2021",  # no day
        "12 marseille 1970",
        "le deux trois mars deux mille",  # "deux trois" is not a number
        "12/03/0970",  # outside the years we read
        "12 mars / avr 2030",  # the two languages disagree
        "IBAN FR76 3000 6000 0112 3456 7890 189",
        "N° de gestion 2009B02406",
        "tel 06 12 34 56 78",
        "version 1.2.3",
        "FR7501.889924320",
        "01.02.2023.5",
        "le un mars deux mille vingt",  # day 1 is "premier"
        "+5 décembre 1966",  # OCR's « + » for the « 1 » of 15: a digit is missing
        "|5/12/1966",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


def test_find_dates_gives_spans_in_the_original_text() -> None:
    text = "Née le 12 Février 1970 à Paris, signé le 1ᵉʳ mars 2021 et le 02/10/2026."
    expected = [(date(1970, 2, 12), "12 Février 1970"), (date(2021, 3, 1), "1ᵉʳ mars 2021"),
                (date(2026, 10, 2), "02/10/2026")]  # fmt: skip
    assert find_dates(text) == [
        DateMatch(value, text.index(s), text.index(s) + len(s), s) for value, s in expected
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a year in words cut inside a word (a narrow cell's line break): refused, not 1904
        ("onze août mille neuf cent quatre-vi ngt-trois", None),
        ("onze août mille neuf cent quatre-vin gt-trois", None),
        ("onze août mille neuf cent qua tre-vingt-trois", None),
        ("onze août mille neuf cent cinq uante", None),
        ("onze août deux mil le six", None),
        ("onze août mille neuf cent soixante-dou-ze à Metz", None),
        # whole words after the year are no fragment
        ("onze août mille neuf cent quatre-vingt-trois à Metz", date(1983, 8, 11)),
        ("onze août mille neuf cent quatre-vingt trois", date(1983, 8, 11)),
        ("onze août deux mille six, de nationalité française", date(2006, 8, 11)),
        ("onze août deux mille six en l'étude", date(2006, 8, 11)),
        ("onze août deux mille six Metz", date(2006, 8, 11)),
        ("l'an deux mille six, le onze août", date(2006, 8, 11)),
        ("l'an deux mille six-qu, le onze août", None),
    ],
)
def test_year_in_words_cut_inside_a_word(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_find_dates_spans_with_no_break_spaces_and_weekday() -> None:
    text = "Date\u00a0: Mardi\u00a012\u202fmars\u00a01970."
    [match] = find_dates(text)
    assert match.value == date(1970, 3, 12)
    assert text[match.start : match.end] == match.text == "Mardi\u00a012\u202fmars\u00a01970"


def test_find_dates_in_words_ends_with_the_year() -> None:
    text = "le quinze juin deux mille vingt-deux et un pouvoir"
    [match] = find_dates(text)
    assert match.value == date(2022, 6, 15)
    assert match.text == "quinze juin deux mille vingt-deux"


def test_several_dates_make_parse_date_unknown() -> None:
    assert parse_date("du 01/01/2020 au 31/12/2020") is None
    assert parse_date("01/01/2020 soit le 1er janvier 2020") == date(2020, 1, 1)


def test_dates_in_a_sequence_are_all_found() -> None:
    values = [m.value for m in find_dates("12/03/1970 13/04/1980; 1990-05-14")]
    assert values == [date(1970, 3, 12), date(1980, 4, 13), date(1990, 5, 14)]


@pytest.mark.parametrize(
    ("text", "pivot", "expected"),
    [
        ("12/03/70", 30, date(1970, 3, 12)),
        ("12/03/30", 30, date(2030, 3, 12)),
        ("12/03/31", 30, date(1931, 3, 12)),
        ("12.03.05", 26, date(2005, 3, 12)),
        ("12 03 70", 30, None),  # space-separated short dates are too often phone fragments
    ],
)
def test_two_digit_years_need_a_pivot(text: str, pivot: int, expected: date | None) -> None:
    assert parse_date(text, two_digit_pivot=pivot) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("janv.", 1), ("FÉVRIER", 2), ("Mar", 3), ("juil", 7), ("aout", 8), ("Sept.", 9),
     ("dec", 12), ("juni", None), ("jui", None), ("", None)],
)  # fmt: skip
def test_month_number(word: str, expected: int | None) -> None:
    assert month_number(word) == expected


dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31))


@given(dates, st.sampled_from(["/", "-", ".", " "]))
def test_numeric_dates_round_trip(value: date, sep: str) -> None:
    text = f"le {value.day:02d}{sep}{value.month:02d}{sep}{value.year} à"
    assert parse_date(text) == value


@given(dates)
def test_month_name_dates_round_trip(value: date) -> None:
    day = "1er" if value.day == 1 else str(value.day)
    assert parse_date(f"{day} {MONTHS_FR[value.month - 1]} {value.year}") == value


@given(dates, st.integers(min_value=0, max_value=9))
def test_glued_digits_are_never_a_date(value: date, digit: int) -> None:
    compact = f"{value.day:02d}/{value.month:02d}/{value.year}"
    assert find_dates(f"{digit}{compact}") == []
    assert find_dates(f"{compact}{digit}") == []
