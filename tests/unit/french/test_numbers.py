"""French numbers in words, checked against an independent writer of French numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.french.numbers import parse_number_words

UNITS = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
    "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
]  # fmt: skip
TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def below_100(n: int) -> str:
    if n < 17:
        return UNITS[n]
    if n < 20:
        return "dix-" + UNITS[n - 10]
    if n < 70:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return TENS[tens]
        return TENS[tens] + (" et un" if unit == 1 else "-" + UNITS[unit])
    if n < 80:
        rest = n - 60
        return "soixante" + (" et onze" if rest == 11 else "-" + below_100(rest))
    if n == 80:
        return "quatre-vingts"
    return "quatre-vingt-" + below_100(n - 80)


def below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return below_100(rest)
    head = "cent" if hundreds == 1 else UNITS[hundreds] + " cent"
    if rest == 0:
        return head + ("s" if hundreds > 1 else "")
    return head + " " + below_100(rest)


def french_words(n: int) -> str:
    """1..999 999 999 in words, after the traditional (pre-1990) spelling."""
    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append(below_1000(millions) + (" millions" if millions > 1 else " million"))
    if thousands:
        parts.append("mille" if thousands == 1 else below_1000(thousands) + " mille")
    if units:
        parts.append(below_1000(units))
    return " ".join(parts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zéro", 0),
        ("vingt et un", 21),
        ("vingt-et-un", 21),
        ("soixante et onze", 71),
        ("soixante-dix-sept", 77),
        ("quatre-vingts", 80),
        ("quatre-vingt-dix-neuf", 99),
        ("cent", 100),
        ("deux cents", 200),
        ("deux cent un", 201),
        ("mille", 1000),
        ("dix mille", 10_000),
        ("cent mille", 100_000),
        ("deux mille vingt-deux", 2022),
        ("mil neuf cent soixante-dix", 1970),
        ("mille neuf cent quatre-vingt-quinze", 1995),
        ("un million deux cent mille", 1_200_000),
        ("DEUX MILLE VINGT", 2020),
        ("septante-cinq", 75),  # Belgian / Swiss
        ("nonante", 90),
    ],
)
def test_parse_number_words(text: str, expected: int) -> None:
    assert parse_number_words(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "et",
        "deux trois",
        "onze cents",
        "million",
        "mille mille",
        "vingt dix",
        "dix mille euros",
    ],
)
def test_parse_number_words_rejects(text: str) -> None:
    assert parse_number_words(text) is None


@given(st.integers(min_value=1, max_value=999_999_999))
def test_parse_number_words_round_trip(n: int) -> None:
    assert parse_number_words(french_words(n)) == n


@given(st.integers(min_value=1, max_value=999_999))
def test_parse_number_words_1990_spelling(n: int) -> None:
    # The 1990 spelling reform hyphenates every number word: "deux-mille-vingt-et-un".
    assert parse_number_words(french_words(n).replace(" ", "-")) == n
