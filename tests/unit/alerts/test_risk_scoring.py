"""NPLAB scoring on the packaged reference data (alerts/data/*.toml), no stand-ins.

Each test starts from a clean French SARL in bookkeeping and changes one trait, so a factor
appearing or not is the trait's doing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from alerts.risk import (
    LevelChange,
    RiskInput,
    RiskOverrideRefused,
    RiskPerson,
    assess_risk,
    compare_references,
    load_reference,
    override_level,
    persons_from_declared,
    risk_input_from_declared,
)
from kanta_docs.assessment import Alert, RiskAssessment
from kanta_docs.declared import Declared, DeclaredClient, DeclaredOfficer, DeclaredOwner
from kanta_docs.errors import InvalidInput
from kanta_docs.vocab import AlertType, Criterion, OfficerRole, RiskLevel, Severity, Vigilance

AS_OF = date(2026, 7, 1)
REFERENCE = load_reference()


def person(last: str = "DUPONT", first: str | None = "Jean", nationality: str | None = "FRA",
           residence: str | None = "FRA", pep: bool = False,
           role: Any = "beneficial_owner") -> RiskPerson:
    return RiskPerson(role=role, last_name=last, first_names=first, nationality=nationality,
                      country_of_residence=residence, pep=pep)


def client(**changes: Any) -> DeclaredClient:
    fields: dict[str, Any] = {"siren": "889924320", "name": "KANTA", "legal_form": "SARL",
                              "naf": "6920Z", "country": "FRA", "mission": "tenue_comptable"}
    fields.update(changes)
    return DeclaredClient(**fields)


def dossier(**changes: Any) -> RiskInput:
    base = RiskInput(
        client=client(),
        persons=(person(), person("MARTIN", "Claire", role="legal_representative")),
        alerts=(),
        as_of=AS_OF,
    )
    return replace(base, **changes)


def alert(alert_type: AlertType, key: str | None = None) -> Alert:
    return Alert(type=alert_type, severity=Severity.MEDIUM, message="…",
                 key=key or f"{alert_type.value}:1")


def codes(assessment: RiskAssessment) -> list[str]:
    return [factor.code for factor in assessment.factors]


def factor(assessment: RiskAssessment, code: str) -> Any:
    (found,) = [f for f in assessment.factors if f.code == code]
    return found


# --- the clean dossier ------------------------------------------------------------------------


def test_clean_sarl_in_bookkeeping_with_french_owners_is_low_standard() -> None:
    assessment = assess_risk(dossier(), REFERENCE)
    assert assessment == RiskAssessment(level=RiskLevel.LOW, vigilance=Vigilance.STANDARD,
                                        score=0, factors=[])


def test_clean_dossier_gets_simplified_only_where_the_firm_allows_it() -> None:
    allowing = load_reference({"weights": {"vigilance": {"simplified_allowed": True}}})
    assert assess_risk(dossier(), allowing).vigilance is Vigilance.SIMPLIFIED
    # Low, but an aggravating factor (a document expiring soon): standard.
    expiring = assess_risk(dossier(alerts=(alert(AlertType.ID_DOCUMENT_EXPIRING),)), allowing)
    assert (expiring.level, expiring.vigilance) == (RiskLevel.LOW, Vigilance.STANDARD)


# --- client -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("form", "points"), [("SCI", 10), ("Société civile immobilière", 10),
                                             ("Fiducie", 35), ("association", 15)])
def test_riskier_legal_forms_raise_a_client_factor(form: str, points: int) -> None:
    found = factor(assess_risk(dossier(client=client(legal_form=form)), REFERENCE), "legal_form")
    assert (found.criterion, found.points) == (Criterion.CLIENT, points)
    assert form in found.reason


@pytest.mark.parametrize("form", ["SARL", "S.A.R.L.", "sas", "SA"])
def test_plain_companies_raise_no_legal_form_factor(form: str) -> None:
    assert codes(assess_risk(dossier(client=client(legal_form=form)), REFERENCE)) == []


@pytest.mark.parametrize(("form", "code"), [(None, "legal_form_unknown"),
                                            ("GmbH", "legal_form_unlisted")])
def test_unknown_legal_form_says_so(form: str | None, code: str) -> None:
    assert code in codes(assess_risk(dossier(client=client(legal_form=form)), REFERENCE))


def test_companies_among_shareholders_and_long_chains() -> None:
    one_holding = assess_risk(dossier(legal_person_shareholders=1, ownership_layers=1), REFERENCE)
    assert codes(one_holding) == ["legal_person_shareholders"]  # a personal holding is ordinary
    chain = assess_risk(dossier(legal_person_shareholders=2, ownership_layers=3), REFERENCE)
    assert factor(chain, "legal_person_shareholders").points == 10
    assert factor(chain, "ownership_chain").points == 20
    assert "3 niveaux" in factor(chain, "ownership_chain").reason
    capped = assess_risk(dossier(legal_person_shareholders=9, ownership_layers=9), REFERENCE)
    assert capped.score == 15 + 30


def test_no_beneficial_owner_identified() -> None:
    assessment = assess_risk(dossier(owners_identified=False), REFERENCE)
    assert factor(assessment, "owners_unidentified").points == 30
    assert assessment.level is RiskLevel.MEDIUM


def test_pep_forces_enhanced_vigilance_and_high_level() -> None:
    assessment = assess_risk(dossier(persons=(person(pep=True),)), REFERENCE)
    assert {"pep", "mandate_pep"} <= set(codes(assessment))
    assert (assessment.level, assessment.vigilance) == (RiskLevel.HIGH, Vigilance.ENHANCED)
    assert "L.561-10 1°" in factor(assessment, "mandate_pep").reason
    assert "Jean DUPONT (bénéficiaire effectif)" in factor(assessment, "pep").reason


# --- alerts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("alert_type", list(AlertType))
def test_every_alert_type_adds_its_weight(alert_type: AlertType) -> None:
    assessment = assess_risk(dossier(alerts=(alert(alert_type),)), REFERENCE)
    assert codes(assessment) == [f"alert_{alert_type.value}"]
    assert assessment.score == REFERENCE.weights.alerts[alert_type].points > 0


def test_each_alert_counts_once_and_each_type_once() -> None:
    unreadable = AlertType.DOCUMENT_UNREADABLE
    repeated = (alert(unreadable, "a"), alert(unreadable, "a"), alert(unreadable, "b"),
                alert(AlertType.BE_NOT_DECLARED))
    assessment = assess_risk(dossier(alerts=repeated), REFERENCE)
    assert codes(assessment) == ["alert_be_not_declared", "alert_document_unreadable"]
    assert "(2 alertes)" in factor(assessment, "alert_document_unreadable").reason
    assert assessment.score == 25 + 8


def test_undeclared_owner_in_a_bar_is_high() -> None:
    assessment = assess_risk(dossier(client=client(naf="56.30Z"),
                                     alerts=(alert(AlertType.BE_NOT_DECLARED),)), REFERENCE)
    assert (assessment.level, assessment.vigilance) == (RiskLevel.HIGH, Vigilance.ENHANCED)


# --- activity ---------------------------------------------------------------------------------


@pytest.mark.parametrize("naf", ["4511Z", "45.11Z"])
def test_sensitive_sector_raises_an_activity_factor(naf: str) -> None:
    assessment = assess_risk(dossier(client=client(naf=naf)), REFERENCE)
    found = factor(assessment, "sector_risk")
    assert (found.criterion, found.points) == (Criterion.ACTIVITY, 20)
    assert found.reason.startswith("Activité à risque : commerce de voitures")
    assert found.reason.endswith("(NAF 4511Z)")
    assert (assessment.level, assessment.vigilance) == (RiskLevel.MEDIUM, Vigilance.STANDARD)


@pytest.mark.parametrize(("naf", "points"), [("5610A", 15), ("92.00Z", 30), ("6619B", 25),
                                            ("4777Z", 25), ("6810Z", 25), ("4120B", 15)])
def test_sector_table(naf: str, points: int) -> None:
    assert factor(assess_risk(dossier(client=client(naf=naf)), REFERENCE),
                  "sector_risk").points == points


@pytest.mark.parametrize(("naf", "code"), [(None, "naf_unknown"), ("", "naf_unknown"),
                                           ("69-2", "naf_invalid")])
def test_unknown_activity_says_so(naf: str | None, code: str) -> None:
    assert codes(assess_risk(dossier(client=client(naf=naf)), REFERENCE)) == [code]


# --- location ---------------------------------------------------------------------------------


def test_eu_listed_residence_forces_enhanced() -> None:
    assessment = assess_risk(dossier(persons=(person(residence="MCO"),)), REFERENCE)
    assert codes(assessment) == ["country_eu_high_risk", "mandate_high_risk_country"]
    assert (assessment.level, assessment.vigilance) == (RiskLevel.HIGH, Vigilance.ENHANCED)
    reason = factor(assessment, "country_eu_high_risk").reason
    assert "Monaco (MCO)" in reason and "résidence de Jean DUPONT" in reason
    assert "liste grise du GAFI" in reason  # Monaco is on both


def test_fatf_black_listed_head_office_forces_enhanced() -> None:
    assessment = assess_risk(dossier(client=client(country="PRK")), REFERENCE)
    assert factor(assessment, "country_fatf_black").points == 40
    assert "siège social" in factor(assessment, "mandate_high_risk_country").reason
    assert assessment.vigilance is Vigilance.ENHANCED


def test_fatf_grey_is_a_factor_by_default_and_a_mandate_when_configured() -> None:
    grey_only = dossier(persons=(person(residence="BOL"),))
    by_default = assess_risk(grey_only, REFERENCE)
    assert codes(by_default) == ["country_fatf_grey"]
    assert (by_default.level, by_default.vigilance) == (RiskLevel.MEDIUM, Vigilance.STANDARD)
    strict = load_reference({"countries": {"lists": {"fatf_grey": {"mandate": True}}}})
    mandated = assess_risk(grey_only, strict)
    assert "mandate_high_risk_country" in codes(mandated)
    assert mandated.vigilance is Vigilance.ENHANCED


def test_listed_nationality_alone_is_a_factor_unless_configured() -> None:
    national = dossier(persons=(person(nationality="IRN"),))
    assert codes(assess_risk(national, REFERENCE)) == ["country_fatf_black"]
    strict = load_reference({"weights": {"vigilance": {"nationality_is_mandate": True}}})
    assert assess_risk(national, strict).vigilance is Vigilance.ENHANCED


def test_country_lists_follow_the_as_of_day() -> None:
    bolivian = dossier(persons=(person(residence="BOL"),))
    assert codes(assess_risk(replace(bolivian, as_of=date(2025, 1, 1)), REFERENCE)) == []
    assert codes(assess_risk(replace(bolivian, as_of=date(2025, 7, 1)), REFERENCE)) == [
        "country_fatf_grey"]
    monegasque = dossier(persons=(person(residence="MCO"),))
    before_eu = assess_risk(replace(monegasque, as_of=date(2025, 1, 1)), REFERENCE)
    assert codes(before_eu) == ["country_fatf_grey"]
    assert "version du 2024-10-25" in before_eu.factors[0].reason


def test_day_before_any_list_version_is_reported_not_guessed() -> None:
    assessment = assess_risk(dossier(as_of=date(2020, 1, 1)), REFERENCE)
    assert set(codes(assessment)) == {"country_list_unavailable"}
    assert all(f.points == 0 for f in assessment.factors)


def test_foreign_unlisted_head_office_and_unknown_countries() -> None:
    abroad = assess_risk(dossier(client=client(country="BEL")), REFERENCE)
    assert codes(abroad) == ["head_office_abroad"]
    unknown = assess_risk(dossier(persons=(person(nationality=None),)), REFERENCE)
    assert codes(unknown) == ["country_unknown"]
    assert "nationalité de Jean DUPONT" in unknown.factors[0].reason
    # Officers' countries are often not collected: their absence is not a factor.
    officer = person("MARTIN", nationality=None, residence=None, role="officer")
    assert codes(assess_risk(dossier(persons=(person(), officer)), REFERENCE)) == []


# --- mission ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("mission", "code", "points"),
                         [("domiciliation", "mission_domiciliation", 25),
                          ("Fiducie", "mission_fiducie", 30), ("conseil", "mission_conseil", 10)])
def test_riskier_missions_raise_a_mission_factor(mission: str, code: str, points: int) -> None:
    found = factor(assess_risk(dossier(client=client(mission=mission)), REFERENCE), code)
    assert (found.criterion, found.points) == (Criterion.MISSION, points)


@pytest.mark.parametrize("mission", ["tenue_comptable", "Tenue comptable", "révision", "paie"])
def test_ordinary_missions_raise_nothing(mission: str) -> None:
    assert codes(assess_risk(dossier(client=client(mission=mission)), REFERENCE)) == []


@pytest.mark.parametrize("mission", [None, "", "astrologie"])
def test_unknown_mission_is_a_neutral_factor(mission: str | None) -> None:
    assessment = assess_risk(dossier(client=client(mission=mission)), REFERENCE)
    assert codes(assessment) == ["mission_unknown"]
    assert assessment.score == 0


def test_several_missions_each_count_once() -> None:
    assessment = assess_risk(dossier(client=client(mission="conseil, juridique; conseil")),
                             REFERENCE)
    assert codes(assessment) == ["mission_conseil", "mission_juridique"]
    assert assessment.score == 20


# --- inputs from declared.json ------------------------------------------------------------------


def test_persons_from_declared() -> None:
    declared = Declared(
        client=client(),
        beneficial_owners=[DeclaredOwner(last_name="DUPONT", nationality="FRA",
                                         country_of_residence="MCO", pep=True)],
        officers=[DeclaredOfficer(last_name="MARTIN", role=OfficerRole.PRESIDENT),
                  DeclaredOfficer(last_name="DURAND", role=OfficerRole.COMMISSAIRE_AUX_COMPTES)],
    )
    assert [(p.role, p.last_name) for p in persons_from_declared(declared)] == [
        ("beneficial_owner", "DUPONT"), ("legal_representative", "MARTIN"),
        ("officer", "DURAND")]
    risk_input = risk_input_from_declared(declared, (), as_of=AS_OF)
    assert risk_input.owners_identified is True
    assert {"mandate_pep", "mandate_high_risk_country"} <= set(
        codes(assess_risk(risk_input, REFERENCE)))


def test_invalid_inputs() -> None:
    with pytest.raises(InvalidInput, match="role"):
        person(role="shareholder")
    with pytest.raises(InvalidInput, match="negative"):
        dossier(ownership_layers=-1)


# --- manual override --------------------------------------------------------------------------


def test_override_up_is_recorded() -> None:
    computed = assess_risk(dossier(), REFERENCE)
    raised = override_level(computed, RiskLevel.HIGH, "Flux en espèces inexpliqués", "c.martin")
    assert (raised.level, raised.vigilance, raised.score) == (RiskLevel.HIGH, Vigilance.ENHANCED, 0)
    note = factor(raised, "manual_override")
    assert note.points == 0
    assert note.reason.endswith(
        "« élevé » (calculé : « faible ») par c.martin : Flux en espèces inexpliqués")


def test_override_down_is_recorded() -> None:
    computed = assess_risk(dossier(client=client(naf="4511Z", legal_form="SCI")), REFERENCE)
    assert computed.level is RiskLevel.MEDIUM
    lowered = override_level(computed, RiskLevel.LOW, "Concession de marque, flux bancaires", "dg")
    assert (lowered.level, lowered.vigilance) == (RiskLevel.LOW, Vigilance.STANDARD)
    assert codes(lowered)[-1] == "manual_override"
    assert computed.level is RiskLevel.MEDIUM  # the original is untouched


def test_override_below_a_mandate_is_refused() -> None:
    computed = assess_risk(dossier(persons=(person(pep=True),)), REFERENCE)
    with pytest.raises(RiskOverrideRefused, match="legal mandate"):
        override_level(computed, RiskLevel.MEDIUM, "connu du cabinet", "dg")
    kept = override_level(computed, RiskLevel.HIGH, "confirmé", "dg")
    assert kept.vigilance is Vigilance.ENHANCED


@pytest.mark.parametrize(("justification", "by"), [("", "dg"), ("   ", "dg"), ("motif", " ")])
def test_override_needs_a_justification_and_an_author(justification: str, by: str) -> None:
    with pytest.raises(RiskOverrideRefused, match="justification"):
        override_level(assess_risk(dossier(), REFERENCE), RiskLevel.HIGH, justification, by)


# --- dry run ----------------------------------------------------------------------------------


def test_dry_run_reports_exactly_the_dossiers_that_change() -> None:
    inputs = {
        "clean": dossier(),
        "car-dealer": dossier(client=client(naf="4511Z")),  # 20: medium either way
        "bar": dossier(client=client(naf="5630Z", legal_form="SCI")),  # 30: medium now, high later
        "restaurant": dossier(client=client(naf="5610A")),  # 15: low now, medium later
        "pep": dossier(persons=(person(pep=True),)),  # high either way
    }
    proposed = load_reference({"weights": {"thresholds": {"medium": 15, "high": 30}}})
    changes = compare_references(inputs, REFERENCE, proposed)
    assert changes == [
        LevelChange("bar", RiskLevel.MEDIUM, RiskLevel.HIGH, Vigilance.STANDARD,
                    Vigilance.ENHANCED, 30, 30),
        LevelChange("restaurant", RiskLevel.LOW, RiskLevel.MEDIUM, Vigilance.STANDARD,
                    Vigilance.STANDARD, 15, 15),
    ]
    assert compare_references(inputs, REFERENCE, load_reference()) == []
