"""Nationality adjectives, country names and codes -> ISO 3166-1 alpha-3."""

from pathlib import Path

import pycountry
import pytest

from extractors.french import nationality
from extractors.french.nationality import (
    NationalityMatch,
    find_nationalities,
    parse_country,
    parse_nationality,
)

EU_MEMBERS = {
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV",
    "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN",
    "SWE",
}  # fmt: skip
TABLE = Path(nationality.__file__).with_name("nationalities.tsv")


def table_rows() -> list[list[str]]:
    lines = TABLE.read_text("utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("française", "FRA"),
        ("FRANÇAIS", "FRA"),
        ("francaise", "FRA"),
        ("Françaises", "FRA"),
        ("allemande", "DEU"),
        ("italien", "ITA"),
        ("italiennes", "ITA"),
        ("portugaise", "PRT"),
        ("marocaine", "MAR"),
        ("algérien", "DZA"),
        ("tunisienne", "TUN"),
        ("belge", "BEL"),
        ("suisse", "CHE"),
        ("espagnole", "ESP"),
        ("britannique", "GBR"),
        ("anglaise", "GBR"),
        ("américaine", "USA"),
        ("chinoise", "CHN"),
        ("sénégalaise", "SEN"),
        ("ivoirienne", "CIV"),
        ("roumaine", "ROU"),
        ("polonaise", "POL"),
        ("turque", "TUR"),
        ("turcs", "TUR"),
        ("grecque", "GRC"),
        ("libanaise", "LBN"),
        ("russe", "RUS"),
        ("ukrainienne", "UKR"),
        ("néerlandaise", "NLD"),
        ("hollandais", "NLD"),
        ("luxembourgeoise", "LUX"),
        ("monégasque", "MCO"),
        ("canadienne", "CAN"),
        ("brésilienne", "BRA"),
        ("japonaise", "JPN"),
        ("indienne", "IND"),
        ("malienne", "MLI"),
        ("comorienne", "COM"),
        ("sud-africaine", "ZAF"),
        ("Sud Africaine", "ZAF"),
        ("burkinabè", "BFA"),
        ("nigérienne", "NER"),
        ("nigériane", "NGA"),
        ("algérienne", "DZA"),
        ("autrichienne", "AUT"),
        ("australienne", "AUS"),
        ("sud-coréenne", "KOR"),
        ("de nationalité française", "FRA"),
        ("Nationalité : Française", "FRA"),
        ("Française (FRA)", "FRA"),
        ("FRANÇAISE / FRENCH", "FRA"),
        ("congolaise (RDC)", "COD"),
        # country names and codes
        ("France", "FRA"),
        ("Allemagne", "DEU"),
        ("Royaume-Uni", "GBR"),
        ("Etats-Unis", "USA"),
        ("Pays-Bas", "NLD"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d\u2019Ivoire", "CIV"),
        ("Corée du Sud", "KOR"),
        ("République tchèque", "CZE"),
        ("Germany", "DEU"),
        ("FR", "FRA"),
        ("DE", "DEU"),
        ("FRA", "FRA"),
        ("D<<", "DEU"),  # ICAO code of Germany in a machine-readable zone
        ("GBR", "GBR"),
    ],
)
def test_parse_nationality(text: str, expected: str) -> None:
    assert parse_nationality(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "xyz",
        "inconnue",
        "de",  # a word, not the code of Germany: codes are read in capitals only
        "fr",
        "Fra",
        "ZZZ",  # not an ISO code
        "congolaise",  # Congo or DR Congo
        "coréen",  # North or South Korea
        "Corée",
        "française et marocaine",  # dual: see find_nationalities
        "eau",
    ],
)
def test_parse_nationality_unknown(text: str) -> None:
    assert parse_nationality(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("algerlenne", "DZA"),  # l for i
        ("nigerlenne", "NER"),
        ("FRANCAlSE", "FRA"),
        ("portugalse", "PRT"),
        ("autrichlenne", "AUT"),
        ("australienme", "AUS"),
        ("nigerlan", "NGA"),  # one slip from nigérian, two from nigérien
        ("nigeriin", None),  # one slip from both nigérian (NGA) and nigérien (NER)
        ("belje", None),  # short words get no slip
        ("itallen", "ITA"),
        ("Allemagme", "DEU"),
    ],
)
def test_one_ocr_slip_on_long_words(text: str, expected: str | None) -> None:
    assert parse_nationality(text) == expected


@pytest.mark.parametrize(
    ("a", "b"), [("algérienne", "nigérienne"), ("autrichienne", "australienne")]
)
def test_close_adjectives_are_not_confused(a: str, b: str) -> None:
    assert parse_nationality(a) != parse_nationality(b)
    assert parse_nationality(a) is not None
    assert parse_nationality(b) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("France", "FRA"), ("Royaume-Uni", "GBR"), ("Pays : Pays-Bas", "NLD"), ("IT", "ITA"),
     ("Île Maurice", "MUS"), ("française", None), ("Congo", None)],
)  # fmt: skip
def test_parse_country(text: str, expected: str | None) -> None:
    assert parse_country(text) == expected


def test_find_nationalities_after_a_cue() -> None:
    text = "Monsieur X, de nationalité française et marocaine, demeurant à Paris."
    assert find_nationalities(text) == [
        NationalityMatch("FRA", 27, 36, "française"),
        NationalityMatch("MAR", 40, 49, "marocaine"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nationalité Française Domicile personnel 1 rue X", ["FRA"]),
        ("Nationalité/Nationality : FRANÇAISE", ["FRA"]),
        ("de nationalité algerlenne,", ["DZA"]),
        ("La République française", []),  # no cue: an adjective alone is not a nationality
        ("nationalité : inconnue", []),
    ],
)
def test_find_nationalities(text: str, expected: list[str]) -> None:
    assert [m.value for m in find_nationalities(text)] == expected


def test_table_codes_are_iso() -> None:
    for row in table_rows():
        assert row[0] == "-" or pycountry.countries.get(alpha_3=row[0]) is not None, row


def test_table_covers_the_eu_and_80_countries() -> None:
    codes = {row[0] for row in table_rows() if row[1]}
    assert codes >= EU_MEMBERS
    assert len(codes - {"-"}) >= 80


def test_every_adjective_of_the_table_resolves() -> None:
    for row in table_rows():
        for word in [row[1], row[2], *row[3].split("|")] if len(row) > 3 else row[1:3]:
            if word:
                assert parse_nationality(word) == (None if row[0] == "-" else row[0]), word
