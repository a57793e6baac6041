"""Holdings and modalities of control read from statements (control_holdings,
control_modalities)."""

from __future__ import annotations

import pytest

from extractors.fields.control_holdings import (
    CAPITAL,
    VOTES,
    ConflictingFigures,
    find_holdings,
    total_percent,
)
from extractors.fields.control_modalities import (
    Statement,
    find_modalities,
    has_ticked_options,
    read_control,
)


@pytest.mark.parametrize(("text", "percent_label", "capital", "votes"), [
    ("Détention directe de 33,34 % du capital", False, 33.34, None),
    ("Détention de 33,34 % des droits de vote", False, None, 33.34),
    ("Détention de 60 % du capital (directe : 19,21 %, indirecte : 40,79 % via la société X)",
     False, 60.0, None),
    ("directe 20 % / indirecte 15 % du capital", False, 35.0, None),
    ("pleine propriété 10 % + nue-propriété 5 % du capital", False, 15.0, None),
    ("Détention directe de 20 % et indirecte de 15 % du capital et des droits de vote", False,
     35.0, 35.0),
    ("Détention de 40 % du capital et de 35 % des droits de vote", False, 40.0, 35.0),
    ("Capital : directe 20 %, indirecte 15 % ; Droits de vote : directe 25 %", False, 35.0, 25.0),
    ("Parts indirectes 30 % dont via personnes morales 20 %, en indivision 10 %", False, 30.0,
     None),
    ("Parts directes en usufruit 10 % ; Votes directs en usufruit 10 %", False, None, 10.0),
    ("Vocation à devenir titulaire de parts directes en pleine propriété | 30 %", False, None,
     None),
    ("Détention de plus de 25 % du capital", False, None, None),
    ("directe ou indirecte de plus de 25 % des droits de vote", False, None, None),
    ("Détention directe totale du capital : 100 %", False, 100.0, None),
    ("Pourcentage de détention : 40 %", False, 40.0, None),
    ("vingt-cinq pour cent du capital", False, 25.0, None),
    ("% total du capital 74,67", True, 74.67, None),
    ("% total du capital 60 00", True, 60.0, None),  # OCR lost the decimal comma
    ("% total des droits de vote | 51, 73", True, None, 51.73),
    ("% total des droits de vote | 48 127", True, None, None),  # unreadable, not a guess
    ("% total du capital 74,67", False, None, None),  # bare numbers need a percent label
])
def test_total_percentages(text: str, percent_label: bool, capital: float | None,
                           votes: float | None) -> None:
    holdings = find_holdings(text, percent_label=percent_label)
    assert total_percent(holdings, CAPITAL) == capital
    assert total_percent(holdings, VOTES) == votes


def test_two_figures_for_one_part_are_a_conflict() -> None:
    holdings = find_holdings("Détention directe de 20 % du capital ; directe 30 % du capital")
    with pytest.raises(ConflictingFigures):
        total_percent(holdings, CAPITAL)
    control = read_control([Statement("Détention directe de 20 % du capital"),
                            Statement("Détention directe de 30 % du capital")], is_form=False)
    assert control.capital_pct is None and control.conflicts == ("capital",)


@pytest.mark.parametrize(("text", "is_form", "codes"), [
    ("[x] directe | [ ] indirecte | de plus de 25 % du capital", True, {"direct", "capital"}),
    ("☒ directe ☐ indirecte de plus de 25 % des droits de vote", True,
     {"direct", "voting_rights"}),
    ("[x] directe | indirecte | de plus de 25 % du capital", True, {"direct", "capital"}),
    ("directe | indirecte | de plus de 25 % du capital", True, set()),
    ("[x] b) Exercice par tout autre moyen d'un pouvoir de contrôle", True,
     {"other_means_of_control"}),
    ("c) Représentant légal", True, set()),
    ("Représentant légal de la société (à défaut de bénéficiaire effectif)", False,
     {"legal_representative"}),
    ("Représentant légal | Non", False, set()),
    ("Représentant légal | ☒", False, {"legal_representative"}),
    ("Pouvoir de décision en assemblée générale Oui ; Autres moyens de contrôle Non", False,
     {"decision_power_ag"}),
    ("Pouvoir de nommer ou révoquer la majorité des membres du conseil d'administration | Oui",
     False, {"appoint_dismiss_board"}),
    ("Il ne détient aucune participation indirecte", False, set()),
    ("Détention indirecte en indivision", False, {"indirect", "joint_ownership"}),
    ("Vocation à devenir titulaire de parts directes", False, {"right_to_become_holder"}),
    ("Détention indirecte via la société HOLDING AB", False, {"indirect", "via_legal_persons"}),
])
def test_modalities(text: str, is_form: bool, codes: set[str]) -> None:
    assert find_modalities(text, is_form=is_form) == codes


def test_codes_come_from_the_percentages_too() -> None:
    control = read_control([
        Statement("Parts directes en pleine propriété | 20 %"),
        Statement("Parts directes en nue-propriété | 0 %"),
        Statement("Détention directe : Non"),  # an RNE boolean the figures contradict
    ], is_form=False)
    assert control.capital_pct == 20.0
    assert {"capital", "direct", "full_ownership"} <= control.modalities
    assert "bare_ownership" not in control.modalities


@pytest.mark.parametrize(("text", "expected"), [
    ("[x] directe | [ ] indirecte", True),
    ("[ ] M. | [x] Mme (civilité)", True),
    ("☒ c) Représentant légal", True),
    ("[x] 12 rue des Lilas", False),
    ("Détention directe de 20 %", False),
])
def test_checkbox_forms_are_recognised(text: str, expected: bool) -> None:
    assert has_ticked_options(text) is expected
