"""Euro amounts, percentages and counts written the French way."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.french.amounts import (
    AmountMatch,
    find_amounts,
    find_counts,
    find_percents,
    parse_amount_eur,
    parse_count,
    parse_number,
    parse_percent,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 000,00 €", 10_000.0),
        ("10 000 €", 10_000.0),
        ("10.000 euros", 10_000.0),
        ("10 000,00 Euros", 10_000.0),
        ("1 000 000 EUR", 1_000_000.0),
        ("100 000.00", 100_000.0),
        ("10\u202f000,00\u00a0€", 10_000.0),
        ("10\u00a0000 €", 10_000.0),
        ("10000€", 10_000.0),
        ("1.000.000,50 €", 1_000_000.5),
        ("1,000,000.00 EUR", 1_000_000.0),
        ("EUR 5 000", 5_000.0),
        ("€ 5 000", 5_000.0),
        ("10.000,- €", 10_000.0),
        ("1 234,5 euros", 1_234.5),
        ("37 000 euro", 37_000.0),
        ("1,5 million d'euros", 1_500_000.0),
        ("2 millions d'euros", 2_000_000.0),
        ("10 K€", 10_000.0),
        ("dix mille euros (10 000 €)", 10_000.0),
        ("10 000 € (dix mille euros)", 10_000.0),
        ("la somme de dix mille (10 000) euros", 10_000.0),
        ("mille euros", 1_000.0),
        ("cent mille euros", 100_000.0),
        ("un million d'euros", 1_000_000.0),
        ("quinze mille deux cents euros", 15_200.0),
        ("Capital social 100 000,00 Euros", 100_000.0),
        ("au capital de 1 500 € divisé en 150 actions", 1_500.0),
        ("mille", 1_000.0),
        ("10 000", 10_000.0),
    ],
)
def test_parse_amount_eur(text: str, expected: float) -> None:
    assert parse_amount_eur(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "néant",
        "10,000 €",  # decimal comma or English thousands: ambiguous
        "10 000 USD",  # not euros
        "dix mille euros (1 000 €)",  # words and digits disagree
        "dix mille (1 000) euros",
        "10 000 € divisé en 1 000 actions de 10 euros",  # two amounts
        "1 0000 €",  # broken grouping
        "10 000.000,00 €",  # mixed grouping
    ],
)
def test_parse_amount_eur_unknown(text: str) -> None:
    assert parse_amount_eur(text) is None


def test_find_amounts_spans_and_provenance() -> None:
    text = "Capital : dix mille euros (10\u00a0000 €), libéré de 5 000 €."
    first, second = "dix mille euros (10\u00a0000 €)", "5 000 €"
    assert find_amounts(text) == [
        AmountMatch(10_000.0, text.index(first), text.index(first) + len(first), first, False),
        AmountMatch(5_000.0, text.index(second), text.index(second) + len(second), second, False),
    ]


def test_find_amounts_flags_words_only() -> None:
    [match] = find_amounts("un capital de cent mille euros")
    assert (match.value, match.text, match.from_words) == (100_000.0, "cent mille euros", True)


def test_find_amounts_ignores_numbers_without_currency() -> None:
    assert find_amounts("SIREN 889 924 320, le 12/03/1970, 1 000 actions") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10 000,00", 10_000.0), ("1.000", 1_000.0), ("12,5", 12.5), ("0,05", 0.05),
     ("100 000.00", 100_000.0), ("10,000", None), ("1 00", None), ("abc", None)],
)  # fmt: skip
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("33,33 %", 33.33),
        ("33,33%", 33.33),
        ("33.33 %", 33.33),
        ("33,333 %", 33.333),  # a comma before 3 digits is decimal in a percentage
        ("100 %", 100.0),
        ("0,5 %", 0.5),
        ("60\u202f%", 60.0),
        ("vingt-cinq pour cent", 25.0),
        ("50 pour cent", 50.0),
        ("Détention directe de plus de 25 % du capital : 60 %", None),  # two values
        ("120 %", None),
        ("60", 60.0),
        ("33,33", 33.33),
        ("", None),
    ],
)
def test_parse_percent(text: str, expected: float | None) -> None:
    assert parse_percent(text) == expected


def test_find_percents() -> None:
    text = "soit 60 % du capital et 40,5 % des droits de vote"
    assert [(m.value, m.text) for m in find_percents(text)] == [(60.0, "60 %"), (40.5, "40,5 %")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 000 actions", 1_000),
        ("1.000 actions", 1_000),
        ("600 parts sociales", 600),
        ("1 part", 1),
        ("mille actions", 1_000),
        ("deux cent cinquante parts", 250),
        ("1 000", 1_000),
        ("mille", 1_000),
        ("divisé en 1 000 actions de 10 euros chacune", 1_000),
        ("600 parts numérotées de 1 à 600 et 400 parts", None),  # two counts
        ("1 000,5 actions", None),
        ("", None),
    ],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


def test_find_counts_units() -> None:
    text = "M. X : 600 actions ; Mme Y : 400 droits de vote ; Z : 10 parts sociales"
    found = [(m.value, m.unit) for m in find_counts(text)]
    assert found == [(600, "actions"), (400, "droits de vote"), (10, "parts")]


def french_grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([" ", "\u00a0", "\u202f", "."]),
    st.sampled_from(["€", "EUR", "euros", "Euros"]),
)
def test_amount_round_trip(units: int, cents: int, sep: str, currency: str) -> None:
    text = f"{french_grouped(units, sep)},{cents:02d} {currency}"
    assert parse_amount_eur(text) == round(units + cents / 100, 2)


@given(st.integers(min_value=0, max_value=10**9))
def test_count_round_trip(n: int) -> None:
    assert parse_count(f"{french_grouped(n, ' ')} actions") == n
