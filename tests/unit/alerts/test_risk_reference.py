from __future__ import annotations

import tomllib
from datetime import date
from importlib.resources import files
from typing import TYPE_CHECKING

import pycountry
import pytest

from alerts.risk import load_reference
from alerts.risk.reference import REFERENCE_FILES, naf_key
from kanta_docs.errors import ConfigError
from kanta_docs.vocab import AlertType

if TYPE_CHECKING:
    from pathlib import Path


def test_data_files_are_package_resources_with_source_and_date() -> None:
    # Loaded the way an installed wheel serves them: a file missing from the package fails here.
    data = files("alerts").joinpath("data")
    for name in REFERENCE_FILES.values():
        table = tomllib.loads(data.joinpath(name).read_text(encoding="utf-8"))
        assert table["source"].strip()
        assert isinstance(table["retrieved"], date)


def test_every_country_code_is_iso_alpha3() -> None:
    countries = load_reference().countries
    codes = set(countries.names)
    for clist in countries.lists.values():
        for version in clist.versions:
            assert version.source.startswith(("FATF", "Delegated", "Commission"))
            codes |= version.countries
    unknown = sorted(code for code in codes if pycountry.countries.get(alpha_3=code) is None)
    assert unknown == []


def test_every_listed_country_has_a_french_name() -> None:
    countries = load_reference().countries
    listed = {code for clist in countries.lists.values() for v in clist.versions
              for code in v.countries}
    assert sorted(listed - set(countries.names)) == []


def test_lists_as_of_june_2026_match_the_research_notes() -> None:
    lists = load_reference().countries.lists
    day = date(2026, 6, 26)
    assert lists["fatf_black"].in_force(day).countries == {"PRK", "IRN", "MMR"}  # type: ignore[union-attr]
    grey = lists["fatf_grey"].in_force(day)
    assert grey is not None and len(grey.countries) == 22
    assert {"BIH", "IRQ"} <= grey.countries and not {"DZA", "NAM"} & grey.countries
    eu = lists["eu_high_risk"].in_force(day)
    assert eu is not None and len(eu.countries) == 29
    assert {"MCO", "DZA", "KEN"} <= eu.countries and not {"ARE", "PAN", "GIB"} & eu.countries


@pytest.mark.parametrize(
    ("list_key", "country", "day", "is_listed"),
    [
        ("fatf_grey", "BOL", date(2025, 1, 1), False),  # added June 2025
        ("fatf_grey", "BOL", date(2025, 6, 13), True),
        ("fatf_grey", "HRV", date(2025, 6, 12), True),  # removed June 2025
        ("fatf_grey", "HRV", date(2025, 6, 13), False),
        ("fatf_grey", "NGA", date(2025, 10, 24), False),  # removed October 2025
        ("fatf_grey", "KWT", date(2026, 2, 12), False),  # added February 2026
        ("fatf_grey", "KWT", date(2026, 2, 13), True),
        ("fatf_grey", "DZA", date(2026, 6, 19), False),  # removed June 2026
        ("eu_high_risk", "MCO", date(2025, 8, 4), False),  # added by the June 2025 regulation
        ("eu_high_risk", "MCO", date(2025, 8, 5), True),
        ("eu_high_risk", "ARE", date(2025, 1, 1), True),  # removed by it
        ("eu_high_risk", "ARE", date(2025, 8, 5), False),
    ],
)
def test_list_version_in_force_on_a_day(list_key: str, country: str, day: date,
                                        is_listed: bool) -> None:
    version = load_reference().countries.lists[list_key].in_force(day)
    assert version is not None
    assert (country in version.countries) is is_listed


def test_no_version_before_the_oldest() -> None:
    assert load_reference().countries.lists["fatf_grey"].in_force(date(2020, 1, 1)) is None


def test_every_alert_type_has_a_weight() -> None:
    alerts = load_reference().weights.alerts
    assert set(alerts) == set(AlertType)
    assert all(weight.points > 0 and weight.label for weight in alerts.values())


def test_undeclared_owner_and_bad_mrz_weigh_more_than_unreadable_more_than_expiring() -> None:
    w = load_reference().weights.alerts
    assert w[AlertType.BE_NOT_DECLARED].points > w[AlertType.DOCUMENT_UNREADABLE].points
    assert w[AlertType.MRZ_INVALID].points > w[AlertType.DOCUMENT_UNREADABLE].points
    assert w[AlertType.DOCUMENT_UNREADABLE].points > w[AlertType.ID_DOCUMENT_EXPIRING].points


@pytest.mark.parametrize("code", ["6920Z", "69.20Z", " 69.20z ", "69 20 Z"])
def test_naf_spellings(code: str) -> None:
    assert naf_key(code) == "6920Z"


def test_sector_longest_prefix_wins() -> None:
    naf = load_reference().naf
    assert naf.sector("4110A") == ("4110", naf.sectors["4110"])
    assert naf.sector("4120A") == ("41", naf.sectors["41"])
    assert naf.sector("6920Z") is None


def test_override_from_mapping_merges_over_defaults() -> None:
    reference = load_reference({
        "weights": {"thresholds": {"high": 40}},
        "naf": {"sectors": {"69.20Z": {"points": 3, "label": "expertise comptable"}}},
    })
    assert reference.weights.thresholds.high == 40
    assert reference.weights.thresholds.medium == 20  # untouched
    assert reference.naf.sectors["6920Z"].points == 3
    assert reference.naf.sectors["4511Z"].points == 20  # the table is merged, not replaced


def test_override_of_a_packaged_entry_with_another_spelling_replaces_it() -> None:
    reference = load_reference({"naf": {"sectors": {"45.11Z": {"points": 1}}}})
    assert reference.naf.sectors["4511Z"].points == 1
    assert reference.naf.sectors["4511Z"].label.startswith("commerce de voitures")


def test_override_from_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "firm.toml"
    path.write_text('[missions.missions.tenue_comptable]\npoints = 4\n'
                    '[countries.lists.fatf_grey]\nmandate = true\n', encoding="utf-8")
    reference = load_reference(path)
    assert reference.missions.missions["tenue_comptable"].points == 4
    assert reference.countries.lists["fatf_grey"].mandate is True


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"weigths": {}}, "weigths: unknown key"),
        ({"weights": {"thresholds": {"hihg": 40}}}, "weights.thresholds.hihg: unknown key"),
        ({"weights": {"alerts": {"be_unknown": {"points": 1, "label": "x"}}}}, "be_unknown"),
        ({"weights": {"thresholds": {"medium": 50, "high": 40}}}, "medium <= high"),
        ({"weights": {"client": {"pep": "many"}}}, "weights.client.pep"),
        ({"naf": {"sectors": {"ABC": {"points": 1, "label": "x"}}}}, "not a NAF code"),
        ({"countries": {"lists": {"fatf_grey": {"versions": [
            {"effective": date(2026, 1, 1), "source": "x", "countries": ["FR"]}]}}}},
         "alpha-3"),
    ],
)
def test_invalid_override_is_a_config_error_naming_the_key(overrides: dict[str, object],
                                                          named: str) -> None:
    with pytest.raises(ConfigError, match="risk reference data") as error:
        load_reference(overrides)
    assert named in str(error.value)


def test_unreadable_override_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_reference(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[weights\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_reference(bad)
