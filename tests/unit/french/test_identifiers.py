"""SIREN/SIRET/RCS/TVA/EUID in text; which one a document's SIREN is read from."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import siren as stdnum_siren

from extractors.french.identifiers import (
    IdentifierKind,
    find_identifiers,
    normalise_legal_form,
    parse_siren,
    select_siren,
)

KBIS = """Immatriculation au RCS, numéro 889 924 320 R.C.S. Caen
Numéro d'identification Européen - EUID FR1401.889924320
Président  Dénomination SOCIETE HOLDING  Immatriculation au RCS, numéro 732 829 320 RCS Paris
"""


def kinds(text: str) -> list[tuple[str, str, bool, bool]]:
    return [(m.kind.value, m.value, m.is_valid, m.is_labelled) for m in find_identifiers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("889 924 320", [("siren", "889924320", True, False)]),
        ("889924320", [("siren", "889924320", True, False)]),
        ("889.924.320", [("siren", "889924320", True, False)]),
        ("SIREN : 889 924 320", [("siren", "889924320", True, True)]),
        ("RCS Paris 889 924 320", [("rcs", "889924320", True, True)]),
        ("R.C.S. Nancy B 323 159 715", [("rcs", "323159715", True, True)]),
        ("B 889 924 320", [("rcs", "889924320", True, True)]),
        ("889 924 320 R.C.S. Caen", [("siren", "889924320", True, False)]),
        ("SIRET : 889 924 320 00019", [("siret", "88992432000019", True, True)]),
        ("SIRET 88992432000019", [("siret", "88992432000019", True, True)]),
        ("889 924 320 000 19", [("siret", "88992432000019", True, False)]),
        ("73282932000075", [("siret", "73282932000075", False, False)]),
        ("35600000049837", [("siret", "35600000049837", True, False)]),  # La Poste rule
        ("35600000049838", [("siret", "35600000049838", False, False)]),
        ("SIREN 889 924 321", [("siren", "889924321", False, True)]),
        ("FR7501.889924320", [("euid", "FR7501.889924320", True, True)]),
        ("TVA FR 68 889924320", [("tva", "FR68889924320", True, True)]),
        ("TVA FR12889924320", [("tva", "FR12889924320", False, True)]),
        ("RCS Paris 889 924 320 - 304 boulevard", [("rcs", "889924320", True, True)]),
        ("000 000 000", [("siren", "000000000", False, False)]),
    ],
)
def test_find_identifiers(text: str, expected: list[tuple[str, str, bool, bool]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tel 01 23 45 67 89",
        "0123456789",  # ten digits
        "1234567890123456",  # sixteen digits
        "12 889 924 320",  # inside a longer grouped number
        "889 924 320 0001",  # a SIRET missing a digit is not a SIREN either
        "N° de gestion 2009B02406",
        "Il a lOl ans",
    ],
)
def test_no_identifier(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("RCS Caen 889 924 32O", "889924320"),
        ("SIREN 88g 924 320", None),  # g is not a digit slip we repair
        ("SIREN 889 924 3l0", None),  # repaired it fails the check: dropped
        ("SIRET 889 924 320 OOO19", "88992432000019"),
        ("SIREN : B89 924 320", None),
    ],
)
def test_ocr_repair_only_when_valid(text: str, value: str | None) -> None:
    found = find_identifiers(text)
    assert [m.value for m in found] == ([value] if value else [])
    assert all(m.ocr_corrected and m.is_valid for m in found)


def test_span_is_the_original_text() -> None:
    text = "RCS\u00a0Paris 889\u202f924\u202f320."
    [match] = find_identifiers(text)
    assert text[match.start : match.end] == match.text == "889\u202f924\u202f320"


def test_kbis_siren_comes_from_the_rcs_line_not_the_euid() -> None:
    lines = KBIS.splitlines()
    assert parse_siren(lines[0]) == "889924320"
    assert parse_siren(lines[1]) == "889924320"  # the EUID is a last resort, alone
    found = find_identifiers("\n".join(lines[:2]))
    assert [m.kind for m in found] == [IdentifierKind.RCS, IdentifierKind.EUID]
    assert select_siren(found) == "889924320"


def test_euid_loses_to_any_other_source() -> None:
    # an EUID for another SIREN must not override a SIRET on the page
    text = "SIRET 732 829 320 00074\nEUID FR7501.889924320"
    assert parse_siren(text) == "732829320"


def test_disagreeing_best_sources_make_the_siren_unknown() -> None:
    assert parse_siren(KBIS) is None  # two RCS lines: the company's and its président's
    assert parse_siren("SIREN 889 924 320 ou SIREN 732 829 320") is None


def test_invalid_numbers_are_not_selected() -> None:
    assert parse_siren("RCS Paris 889 924 321, SIRET 732 829 320 00074") == "732829320"


def test_legal_form_is_reachable_from_identifiers() -> None:
    assert normalise_legal_form("S.A.S.") == "SAS"


def sirens() -> st.SearchStrategy[str]:
    return st.integers(min_value=0, max_value=10**8 - 1).map(
        lambda n: f"{n:08d}" + luhn.calc_check_digit(f"{n:08d}")
    )


@given(sirens(), st.sampled_from(["{}", "{} {} {}", "{}.{}.{}"]))
def test_any_valid_siren_is_found(siren: str, layout: str) -> None:
    printed = layout.format(*([siren] if layout == "{}" else [siren[:3], siren[3:6], siren[6:]]))
    text = f"RCS Lyon {printed}, capital 1 000 €"
    if siren == "000000000":
        return
    assert stdnum_siren.is_valid(siren)
    assert parse_siren(text) == siren


@given(sirens(), st.integers(min_value=0, max_value=9))
def test_siren_glued_to_digits_is_not_a_siren(siren: str, digit: int) -> None:
    assert [m for m in find_identifiers(f"{digit}{siren}") if m.kind != "siret"] == []
