"""Portfolio import: hand-written CSV and JSON exports, good rows and bad ones."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kanta_docs.declared import DeclaredOfficer, DeclaredOwner
from kanta_docs.errors import InvalidInput
from kanta_docs.portfolio import PortfolioRow, RowError, parse_portfolio
from kanta_docs.vocab import OfficerRole

# Valid SIRENs (Luhn): KANTA's, and two more.
KANTA = "889924320"
OTHER = "732829320"
THIRD = "552100554"

HEADER = ("siren,name,legal_form,naf,mission,country,collaborator,"
          "owner1_last_name,owner1_first_names,owner1_birth_date,owner1_nationality,"
          "owner1_capital_pct,owner1_voting_pct,owner1_residence,owner1_pep,"
          "owner2_last_name,owner2_first_names,owner2_capital_pct,"
          "officer1_last_name,officer1_first_names,officer1_role")

JEAN = DeclaredOwner(last_name="DUPONT", first_names="Jean Pierre", birth_date=date(1970, 3, 12),
                     nationality="FRA", capital_pct=60.0, voting_pct=60.0,
                     country_of_residence="FRA", pep=False)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def line(**cells: str) -> str:
    """A row of HEADER with the given columns filled, the rest empty."""
    return ",".join(cells.pop(column, "") for column in HEADER.split(","))


def by_row(errors: list[RowError]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for e in errors:
        out.setdefault(e.row_number, []).append(e.field)
    return out


def test_csv_good_row() -> None:
    report = parse_portfolio(csv_file(
        f"{KANTA},KANTA,SAS,6920Z,tenue_comptable,FRA,Alice.Martin@Cabinet.fr,"
        "DUPONT,Jean Pierre,1970-03-12,FRA,60,60,FRA,non,"
        "DURAND,Paul,40,"
        "MARTIN,Claire,president"), "clients.csv")
    assert report.errors == []
    (row,) = report.rows
    assert (row.siren, row.collaborator, row.row_number) == (KANTA, "alice.martin@cabinet.fr", 2)
    d = row.declared
    assert (d.client.siren, d.client.name, d.client.legal_form, d.client.naf, d.client.mission,
            d.client.country) == (KANTA, "KANTA", "SAS", "6920Z", "tenue_comptable", "FRA")
    assert d.beneficial_owners == [JEAN, DeclaredOwner(last_name="DURAND", first_names="Paul",
                                                       capital_pct=40.0)]
    assert d.officers == [DeclaredOfficer(last_name="MARTIN", first_names="Claire",
                                          role=OfficerRole.PRESIDENT)]


def test_excel_export_semicolon_bom_decimal_comma_french_dates() -> None:
    header = HEADER.replace(",", ";")
    row = ("889 924 320;KANTA;SAS;69.20Z;tenue_comptable;FR;;"
           "DUPONT;Jean Pierre;12/03/1970;FRA;33,5 %;33,5;FRA;Oui;"
           ";;;"
           "MARTIN;Claire;Directrice générale déléguée;")  # trailing ";" as Excel writes
    data = b"\xef\xbb\xbf" + f"{header}\r\n{row}\r\n;;;;\r\n".encode()
    report = parse_portfolio(data, "Export Clients.CSV")
    assert report.errors == []
    (parsed,) = report.rows
    owner = parsed.declared.beneficial_owners[0]
    assert (parsed.siren, parsed.declared.client.country, parsed.declared.client.naf) == (
        KANTA, "FRA", "69.20Z")
    assert (owner.birth_date, owner.capital_pct, owner.voting_pct, owner.pep) == (
        date(1970, 3, 12), 33.5, 33.5, True)
    assert parsed.declared.officers[0].role is OfficerRole.DIRECTEUR_GENERAL_DELEGUE
    assert parsed.collaborator is None


def test_windows_1252_export() -> None:
    data = "siren;name;officer1_last_name;officer1_role\n889924320;Société;MARTIN;Gérant\n"
    report = parse_portfolio(data.encode("cp1252"), "clients.csv")
    assert report.errors == []
    assert report.rows[0].declared.client.name == "Société"
    assert report.rows[0].declared.officers[0].role is OfficerRole.GERANT


def test_bad_rows_are_reported_and_the_good_ones_imported() -> None:
    report = parse_portfolio(csv_file(
        line(siren=KANTA, name="KANTA"),
        line(siren="889924321", name="BAD SIREN"),  # check digit wrong
        line(siren=OTHER, owner1_last_name="DUPONT", owner1_birth_date="31/02/1970"),
        line(siren=THIRD, owner1_last_name="DUPONT", owner1_capital_pct="120"),
        line(siren="552032534", officer1_last_name="MARTIN", officer1_role="pdg"),
        line(siren=KANTA, name="KANTA"),  # duplicate, identical
    ), "clients.csv")
    assert [r.row_number for r in report.rows] == [2]
    assert by_row(report.errors) == {
        3: ["siren"], 4: ["owner1_birth_date"], 5: ["owner1_capital_pct"],
        6: ["officer1_role"], 7: ["siren"]}
    reasons = {e.row_number: e.reason for e in report.errors}
    assert "clé de contrôle" in reasons[3]
    assert "AAAA-MM-JJ ou JJ/MM/AAAA" in reasons[4]
    assert "0 à 100" in reasons[5]
    assert "fonction inconnue" in reasons[6] and "president" in reasons[6]
    assert reasons[7] == "doublon de la ligne 2, ignoré"


def test_every_error_of_a_row_is_reported() -> None:
    report = parse_portfolio(csv_file(line(
        name="KANTA", naf="692", country="Francia", collaborator="not-an-email",
        owner1_first_names="Jean", owner1_birth_date="1970-13-01", owner1_capital_pct="abc",
        owner1_pep="peut-être")), "c.csv")
    assert report.rows == []
    assert sorted(by_row(report.errors)[2]) == sorted([
        "naf", "country", "siren", "owner1_birth_date", "owner1_capital_pct", "owner1_pep",
        "owner1_last_name", "collaborator"])


def test_conflicting_duplicates_are_all_rejected() -> None:
    report = parse_portfolio(csv_file(f"{KANTA},KANTA", f"{KANTA},KANTA SAS",
                                      header="siren,name"), "c.csv")
    assert report.rows == []
    assert [(e.row_number, e.field) for e in report.errors] == [(2, "siren"), (3, "siren")]
    assert "lignes 2, 3" in report.errors[0].reason


@pytest.mark.parametrize(("cell", "reason"), [
    ("88992432", "zéro initial"),
    ("ABC", "9 chiffres"),
    ("8899243200", "pas 10"),
])
def test_siren_shapes(cell: str, reason: str) -> None:
    (error,) = parse_portfolio(csv_file(cell, header="siren"), "c.csv").errors
    assert (error.field, reason in error.reason) == ("siren", True)


def test_siret_gives_its_siren() -> None:
    (row,) = parse_portfolio(csv_file("889 924 320 00019", header="siren"), "c.csv").rows
    assert row.siren == KANTA


def test_empty_cells_take_declared_json_defaults() -> None:
    (row,) = parse_portfolio(csv_file(f"{KANTA},,,MARTIN,",
                                      header="siren,country,owner1_pep,officer1_last_name,"
                                      "officer1_role"), "c.csv").rows
    assert row.declared.client.country == "FRA"  # absent, as in declared.json
    assert row.declared.officers[0].role is OfficerRole.OTHER


def test_misspelt_person_column_is_noticed_and_other_columns_ignored() -> None:
    report = parse_portfolio(csv_file(f"{KANTA},x,DUPONT,60",
                                      header="siren,notes interne,owner1_last_name,"
                                      "owner1_capital_pc"), "c.csv")
    assert report.errors == [RowError(1, "owner1_capital_pc", "colonne inconnue, ignorée")]
    assert report.rows[0].declared.beneficial_owners[0].capital_pct is None


def test_shifted_row_is_rejected() -> None:
    report = parse_portfolio(csv_file(f"{KANTA},KANTA,SAS,extra", header="siren,name,legal_form"),
                             "c.csv")
    assert report.rows == []
    assert report.errors[0].field == "" and "entre guillemets" in report.errors[0].reason


def test_quoted_comma_in_a_value() -> None:
    (row,) = parse_portfolio(csv_file(f'{KANTA},"KANTA, CONSEIL"', header="siren,name"),
                             "c.csv").rows
    assert row.declared.client.name == "KANTA, CONSEIL"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"name,legal_form\nKANTA,SAS\n", "no 'siren' column"),
    (b"siren,name,name\n", "twice"),
])
def test_unreadable_csv_raises(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_portfolio(data, "c.csv")


# --- JSON ------------------------------------------------------------------------------------

DECLARED = {
    "client": {"siren": KANTA, "name": "KANTA", "legal_form": "SAS", "naf": "6920Z",
               "country": "FRA", "mission": "tenue_comptable"},
    "beneficial_owners": [
        {"last_name": "DUPONT", "first_names": "Jean Pierre", "birth_date": "1970-03-12",
         "nationality": "FRA", "capital_pct": 60.0, "voting_pct": 60.0,
         "country_of_residence": "FRA", "pep": False}],
    "officers": [{"last_name": "MARTIN", "first_names": "Claire", "role": "president"}],
    "collaborator": "alice@cabinet.fr",
    "notes": "kept by the firm, ignored",
}


def json_file(items: object) -> bytes:
    return json.dumps(items).encode()


def test_json_good_client() -> None:
    report = parse_portfolio(json_file([DECLARED]), "portfolio.json")
    assert report.errors == []
    (row,) = report.rows
    assert row == PortfolioRow(KANTA, row.declared, "alice@cabinet.fr", 1)
    assert row.declared.beneficial_owners == [JEAN]
    assert row.declared.officers[0].role is OfficerRole.PRESIDENT


def test_json_bad_clients() -> None:
    bad_date = {**DECLARED, "client": {**DECLARED["client"], "siren": OTHER},  # type: ignore[dict-item]
                "beneficial_owners": [{"last_name": "DUPONT", "birth_date": "12-03-1970",
                                       "capital_pct": 101}]}
    bad_role = {"client": {"siren": THIRD}, "officers": [{"last_name": "X", "role": "boss"}]}
    report = parse_portfolio(json_file([
        DECLARED, {"client": {"siren": "123"}}, bad_date, bad_role, "nope", DECLARED,
        {"client": {"siren": "552032534"}, "beneficial_owners": {"last_name": "X"}}]), "p.json")
    assert [r.row_number for r in report.rows] == [1]
    assert [(e.row_number, e.field) for e in report.errors] == [
        (2, "client.siren"),
        (3, "beneficial_owners[0].birth_date"), (3, "beneficial_owners[0].capital_pct"),
        (4, "officers[0].role"),
        (5, ""),
        (6, "client.siren"),
        (7, "beneficial_owners"),
    ]


def test_json_client_without_siren() -> None:
    (error,) = parse_portfolio(json_file([{"client": {"name": "KANTA"}}]), "p.json").errors
    assert (error.field, error.reason) == ("client.siren", "obligatoire")


def test_json_detected_without_extension() -> None:
    assert len(parse_portfolio(b"\xef\xbb\xbf" + json_file([DECLARED]), "export").rows) == 1


@pytest.mark.parametrize("data", [b"[{", b'{"client": {}}'])
def test_unreadable_json_raises(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse_portfolio(data, "p.json")
