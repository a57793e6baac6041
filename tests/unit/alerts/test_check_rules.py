"""Every alert rule of the contract's catalogue, raised and not raised, on built dossiers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from alerts.check import check_dossier
from alerts.policy import CheckPolicy, months_before
from kanta_docs.declared import DeclaredOfficer, DeclaredOwner
from kanta_docs.facts import OfficerFacts
from kanta_docs.vocab import AlertType, DocType, OfficerRole, Severity
from tests.unit.alerts.builders import (
    declared,
    holder,
    identity,
    kbis,
    person,
    rbe,
    statuts,
    unreadable,
)

AS_OF = date(2026, 11, 26)
JEAN = dict(last="DUPONT", first="Jean Pierre", birth=date(1970, 3, 12), nationality="FRA")
CLAIRE = dict(last="MARTIN", first="Claire", birth=date(1985, 6, 1), nationality="FRA")


def jean_facts(**changes):  # type: ignore[no-untyped-def]
    return person(**(JEAN | changes))


def claire_facts(**changes):  # type: ignore[no-untyped-def]
    return person(**(CLAIRE | changes))


def declared_owner(who: dict, cap: float, vote: float | None = None,  # type: ignore[type-arg]
                   **changes: object) -> DeclaredOwner:
    fields = {"last_name": who["last"], "first_names": who["first"],
              "birth_date": who["birth"], "nationality": who["nationality"],
              "capital_pct": cap, "voting_pct": cap if vote is None else vote}
    return DeclaredOwner(**(fields | changes))


PRESIDENT = DeclaredOfficer(last_name="MARTIN", first_names="Claire",
                            birth_date=date(1985, 6, 1), role=OfficerRole.PRESIDENT)


def clean_documents():  # type: ignore[no-untyped-def]
    return [
        kbis(date(2026, 10, 2), [("MARTIN", "Claire", OfficerRole.PRESIDENT)]),
        rbe(date(2026, 9, 1), [(jean_facts(), 60.0, 60.0), (claire_facts(), 40.0, 40.0)]),
        statuts([holder("Jean Pierre DUPONT", 60.0, jean_facts()),
                 holder("Claire MARTIN", 40.0, claire_facts())]),
        identity(jean_facts(), date(2031, 5, 12), file="cni_dupont.pdf"),
        identity(claire_facts(), date(2030, 1, 3), file="passeport_martin.pdf",
                 doc_type=DocType.PASSPORT),
    ]


def clean_declared(**client: str):  # type: ignore[no-untyped-def]
    return declared([declared_owner(JEAN, 60.0), declared_owner(CLAIRE, 40.0)], [PRESIDENT],
                    **client)


def types_of(check) -> list[AlertType]:  # type: ignore[no-untyped-def]
    return sorted(a.type for a in check.alerts)


def test_clean_dossier_raises_nothing() -> None:
    check = check_dossier(clean_documents(), clean_declared(), AS_OF)
    assert check.alerts == ()
    assert {a.person.last_name for a in check.identity_documents if a.person} == {"DUPONT",
                                                                                  "MARTIN"}


def test_benign_spelling_differences_raise_nothing() -> None:
    docs = clean_documents()
    owners = [declared_owner(JEAN, 60.0, last_name="Dupont", first_names="Jean"),
              declared_owner(CLAIRE, 40.0, last_name="Martin", first_names="claire")]
    check = check_dossier(docs, declared(owners, [PRESIDENT], name="Kanta SAS"), AS_OF)
    assert check.alerts == ()


def test_owner_in_register_not_declared() -> None:
    check = check_dossier(clean_documents(),
                          declared([declared_owner(JEAN, 60.0)], [PRESIDENT]), AS_OF)
    assert types_of(check) == [AlertType.BE_NOT_DECLARED]
    alert = check.alerts[0]
    assert alert.subject is not None and alert.subject.last_name == "MARTIN"
    assert alert.severity is Severity.HIGH
    assert "40 %" in alert.message and alert.evidence[0].file == "rbe.pdf"


def test_declared_owner_missing_from_register() -> None:
    docs = clean_documents()
    docs[1] = rbe(date(2026, 9, 1), [(jean_facts(), 60.0, 60.0)])
    check = check_dossier(docs, clean_declared(), AS_OF)
    assert types_of(check) == [AlertType.BE_NOT_IN_REGISTER]
    assert check.alerts[0].subject.last_name == "MARTIN"  # type: ignore[union-attr]


def test_no_register_extract_means_no_register_alerts() -> None:
    docs = [d for d in clean_documents() if d.result.doc_type is not DocType.RBE]
    assert check_dossier(docs, clean_declared(), AS_OF).alerts == ()


@pytest.mark.parametrize(("declared_pct", "alerts"), [
    (61.0, []),  # within the one-point tolerance
    (55.0, [AlertType.BE_SHARE_MISMATCH]),
])
def test_share_mismatch_beyond_one_point(declared_pct: float, alerts: list[AlertType]) -> None:
    owners = [declared_owner(JEAN, declared_pct), declared_owner(CLAIRE, 40.0)]
    check = check_dossier(clean_documents(), declared(owners, [PRESIDENT]), AS_OF)
    assert types_of(check) == alerts


def test_voting_rights_mismatch_alone_is_a_share_mismatch() -> None:
    owners = [declared_owner(JEAN, 60.0, vote=75.0), declared_owner(CLAIRE, 40.0)]
    check = check_dossier(clean_documents(), declared(owners, [PRESIDENT]), AS_OF)
    assert types_of(check) == [AlertType.BE_SHARE_MISMATCH]
    assert "droits de vote" in check.alerts[0].message


def test_birth_date_or_nationality_mismatch() -> None:
    owners = [declared_owner(JEAN, 60.0, birth_date=date(1970, 3, 21)),
              declared_owner(CLAIRE, 40.0, nationality="BEL")]
    documents = clean_documents()
    check = check_dossier(documents, declared(owners, [PRESIDENT]), AS_OF)
    by_type = [(a.type, a.subject.last_name) for a in check.alerts]  # type: ignore[union-attr]
    assert (AlertType.BE_IDENTITY_MISMATCH, "DUPONT") in by_type
    assert (AlertType.BE_IDENTITY_MISMATCH, "MARTIN") in by_type
    # Jean's identity card agrees with the register: one fact (the declared birth date is
    # wrong), one alert, not a second one casting doubt on the card.
    assert (AlertType.ID_DOCUMENT_MISMATCH, "DUPONT") not in by_type
    assert not {AlertType.BE_NOT_DECLARED, AlertType.BE_NOT_IN_REGISTER} & {t for t, _ in by_type}


def _scanned(doc):  # type: ignore[no-untyped-def]
    return replace(doc, result=doc.result.model_copy(update={"ocr_used": True}))


def test_scanned_register_date_one_digit_off_what_statuts_and_card_say_is_a_misread() -> None:
    # The RBE scan read 13/03/1970 for 12/03/1970: one digit.
    documents = clean_documents()
    documents[1] = _scanned(rbe(date(2026, 9, 1), [(jean_facts(birth=date(1970, 3, 13)), 60.0,
                                                    60.0), (claire_facts(), 40.0, 40.0)]))
    check = check_dossier(documents, clean_declared(), AS_OF)
    assert check.alerts == ()
    # Born-digital, the register's date is what it says: a divergence to report.
    documents[1] = replace(documents[1], result=documents[1].result.model_copy(
        update={"ocr_used": False}))
    assert types_of(check_dossier(documents, clean_declared(), AS_OF)) == [
        AlertType.BE_IDENTITY_MISMATCH]


def test_scanned_register_date_nobody_else_confirms_is_a_mismatch() -> None:
    documents = clean_documents()
    documents[1] = _scanned(rbe(date(2026, 9, 1), [(jean_facts(birth=date(1970, 3, 13)), 60.0,
                                                    60.0), (claire_facts(), 40.0, 40.0)]))
    documents[2] = statuts([holder("Jean Pierre DUPONT", 60.0, jean_facts(birth=None)),
                            holder("Claire MARTIN", 40.0, claire_facts())])
    del documents[3]  # no card of Jean's either
    check = check_dossier(documents, clean_declared(), AS_OF)
    assert AlertType.BE_IDENTITY_MISMATCH in types_of(check)


def test_card_with_a_birth_date_nobody_else_gives_is_a_mismatch_too() -> None:
    owners = [declared_owner(JEAN, 60.0, birth_date=date(1970, 3, 21)),
              declared_owner(CLAIRE, 40.0)]
    documents = clean_documents()
    documents[3] = identity(jean_facts(birth=date(1970, 12, 3)), date(2031, 5, 12),
                            file="cni_dupont.pdf")
    check = check_dossier(documents, declared(owners, [PRESIDENT]), AS_OF)
    by_type = [(a.type, a.subject.last_name) for a in check.alerts]  # type: ignore[union-attr]
    assert (AlertType.BE_IDENTITY_MISMATCH, "DUPONT") in by_type
    assert (AlertType.ID_DOCUMENT_MISMATCH, "DUPONT") in by_type


def test_statuts_holder_over_threshold_missing_everywhere() -> None:
    docs = clean_documents()
    paul = person("DURAND", "Paul", date(1981, 2, 3))
    docs[2] = statuts([holder("Jean Pierre DUPONT", 45.0, jean_facts()),
                       holder("Claire MARTIN", 25.0, claire_facts()),
                       holder("Paul DURAND", 30.0, paul)], form="SARL")
    check = check_dossier(docs, clean_declared(legal_form="SARL"), AS_OF)
    alerts = [a for a in check.alerts if a.type is AlertType.BE_NOT_DECLARED]
    assert [a.subject.last_name for a in alerts] == ["DURAND"]  # type: ignore[union-attr]
    assert alerts[0].severity is Severity.HIGH and "30 %" in alerts[0].message
    # Exactly 25 % is not "more than 25 %" under the rule in force in 2026 ...
    assert "MARTIN" not in [a.subject.last_name for a in alerts]  # type: ignore[union-attr]


def test_threshold_becomes_inclusive_on_2027_07_10() -> None:
    docs = clean_documents()
    docs[1] = rbe(date(2027, 7, 1), [(jean_facts(), 75.0, 75.0)])
    docs[2] = statuts([holder("Jean Pierre DUPONT", 75.0, jean_facts()),
                       holder("Claire MARTIN", 25.0, claire_facts())], form="SARL")
    owners = [declared_owner(JEAN, 75.0)]
    for day, expected in ((date(2027, 7, 9), []), (date(2027, 7, 10), ["MARTIN"])):
        docs[0] = kbis(day, [("MARTIN", "Claire", OfficerRole.PRESIDENT)])
        check = check_dossier(docs, declared(owners, [PRESIDENT], legal_form="SARL"), day)
        raised = [a.subject.last_name for a in check.alerts  # type: ignore[union-attr]
                  if a.type is AlertType.BE_NOT_DECLARED]
        assert raised == expected, day


def test_sas_statuts_gap_is_a_question_not_proof() -> None:
    docs = clean_documents()
    docs[2] = statuts([holder("Jean Pierre DUPONT", 40.0, jean_facts()),
                       holder("Claire MARTIN", 30.0, claire_facts()),
                       holder("Paul DURAND", 30.0, person("DURAND", "Paul"))], form="SAS")
    alert = next(a for a in check_dossier(docs, clean_declared(), AS_OF).alerts
                 if a.type is AlertType.BE_NOT_DECLARED)
    assert alert.severity is Severity.MEDIUM and "mouvements de titres" in alert.message


def test_indirect_owner_through_two_levels() -> None:
    """Paul holds 80 % of HOLDCO A, which holds 50 % of HOLDCO B, which holds 80 % of KANTA:
    0.8 × 0.5 × 0.8 = 32 % multiplied; the control convention gives him B's 80 % (he controls
    A, but A does not control B: 0.5 stays), i.e. 40 %."""
    paul = person("DURAND", "Paul", date(1981, 2, 3))
    docs = clean_documents()
    docs[2] = statuts([holder("HOLDCO B", 80.0, siren="552100554"),
                       holder("Jean Pierre DUPONT", 20.0, jean_facts())], form="SARL")
    docs.append(statuts([holder("HOLDCO A", 50.0, siren="732829320"),
                         holder("Marc LEROY", 50.0, person("LEROY", "Marc"))],
                        siren="552100554", name="HOLDCO B", file="statuts_holdco_b.pdf"))
    docs.append(statuts([holder("Paul DURAND", 80.0, paul),
                         holder("Anne ROUX", 20.0, person("ROUX", "Anne"))],
                        siren="732829320", name="HOLDCO A", file="statuts_holdco_a.pdf"))
    docs[1] = rbe(date(2026, 9, 1), [(jean_facts(), 20.0, 20.0)])
    docs[0] = kbis(date(2026, 10, 2), [("MARTIN", "Claire", OfficerRole.PRESIDENT)], form="SARL")
    owners = [declared_owner(JEAN, 20.0)]
    check = check_dossier(docs, declared(owners, [PRESIDENT], legal_form="SARL"), AS_OF)
    lines = {line.person.last_name: line for line in check.ownership}
    assert lines["DURAND"].capital_pct == pytest.approx(32.0)
    assert lines["DURAND"].capital_pct_if_controlled == pytest.approx(40.0)
    assert lines["DURAND"].over_threshold
    assert lines["LEROY"].capital_pct == pytest.approx(40.0)
    assert lines["ROUX"].capital_pct == pytest.approx(8.0) and not lines["ROUX"].over_threshold
    not_declared = {a.subject.last_name: a for a in check.alerts  # type: ignore[union-attr]
                    if a.type is AlertType.BE_NOT_DECLARED}
    assert set(not_declared) == {"DURAND", "LEROY"}
    assert "HOLDCO A" in not_declared["DURAND"].message
    assert "HOLDCO B" in not_declared["DURAND"].message
    # The holdings' statuts describe other companies: no company mismatch from them.
    assert AlertType.COMPANY_MISMATCH not in types_of(check)


@pytest.mark.parametrize(("field", "value", "severity"), [
    ("siren", "552100554", Severity.HIGH),
    ("name", "KANTO CONSEIL", Severity.MEDIUM),
    ("legal_form", "SARL", Severity.MEDIUM),
])
def test_company_mismatch_per_field(field: str, value: str, severity: Severity) -> None:
    check = check_dossier(clean_documents(), clean_declared(**{field: value}), AS_OF)
    assert types_of(check) == [AlertType.COMPANY_MISMATCH]
    assert check.alerts[0].severity is severity
    assert value in check.alerts[0].message


def test_company_mismatch_between_documents_is_one_alert() -> None:
    docs = clean_documents()
    docs[2] = statuts([holder("Jean Pierre DUPONT", 60.0, jean_facts()),
                       holder("Claire MARTIN", 40.0, claire_facts())], siren="552100554")
    check = check_dossier(docs, clean_declared(), AS_OF)
    assert types_of(check) == [AlertType.COMPANY_MISMATCH]
    assert {e.file for e in check.alerts[0].evidence} >= {"statuts.pdf", "kbis.pdf"}


def test_sas_and_sasu_documents_do_not_disagree() -> None:
    docs = clean_documents()
    docs[0] = kbis(date(2026, 10, 2), [("MARTIN", "Claire", OfficerRole.PRESIDENT)], form="SASU")
    assert check_dossier(docs, clean_declared(), AS_OF).alerts == ()


def test_declared_family_form_against_unanimous_documents() -> None:
    """Every document says SAS: a declared SASU is a discrepancy, even of the same family."""
    check = check_dossier(clean_documents(), clean_declared(legal_form="SASU"), AS_OF)
    assert types_of(check) == [AlertType.COMPANY_MISMATCH]


def test_officer_declared_but_not_in_register_and_the_reverse() -> None:
    docs = clean_documents()
    docs[0] = kbis(date(2026, 10, 2), [("MARTIN", "Claire", OfficerRole.PRESIDENT),
                                       ("LEROY", "Marc", OfficerRole.DIRECTEUR_GENERAL),
                                       ("AUDIT SA", "", OfficerRole.COMMISSAIRE_AUX_COMPTES)])
    dg = DeclaredOfficer(last_name="BLANC", first_names="Sophie",
                         role=OfficerRole.DIRECTEUR_GENERAL)
    owners = [declared_owner(JEAN, 60.0), declared_owner(CLAIRE, 40.0)]
    check = check_dossier(docs, declared(owners, [PRESIDENT, dg]), AS_OF)
    officer_alerts = {a.subject.last_name for a in check.alerts  # type: ignore[union-attr]
                      if a.type is AlertType.OFFICER_MISMATCH}
    assert officer_alerts == {"BLANC", "LEROY"}  # never the auditor


def _kbis_with_born_officer(last: str, first: str, born: date, role: OfficerRole):  # type: ignore[no-untyped-def]
    doc = kbis(date(2026, 10, 2), [("MARTIN", "Claire", OfficerRole.PRESIDENT)])
    officer = OfficerFacts(person(last, first, born), role)
    facts = replace(doc.facts, officers=(*doc.facts.officers, officer))
    return replace(doc, facts=facts)


@pytest.mark.parametrize(("register_birth", "with_document", "alerts"), [
    (date(1975, 1, 2), True, 0),  # the identity document gives the birth date: a near miss
    (date(1976, 1, 2), True, 2),  # another birth date: two persons
    (date(1975, 1, 2), False, 2),  # no birth date on the declared side: names alone decide
])  # fmt: skip
def test_officer_read_one_slip_away_pairs_by_the_birth_date_of_their_identity_document(
        register_birth: date, with_document: bool, alerts: int) -> None:
    # The register's « Rui » read « Rüui »: too short a name for an OCR allowance.
    docs = clean_documents()
    docs[0] = _kbis_with_born_officer("SILVA", "Rüui Anténio", register_birth,
                                      OfficerRole.DIRECTEUR_GENERAL)
    if with_document:
        docs.append(identity(person("SILVA", "Rui Antonio", date(1975, 1, 2)),
                             date(2031, 1, 1), file="cni_silva.pdf"))
    dg = DeclaredOfficer(last_name="SILVA", first_names="Rui António",
                         role=OfficerRole.DIRECTEUR_GENERAL)
    check = check_dossier(docs, declared([declared_owner(JEAN, 60.0),
                                          declared_owner(CLAIRE, 40.0)], [PRESIDENT, dg]), AS_OF)
    officer_alerts = [a for a in check.alerts if a.type is AlertType.OFFICER_MISMATCH]
    assert len(officer_alerts) == alerts


def test_identity_document_missing_for_owner_and_representative() -> None:
    docs = [d for d in clean_documents() if d.file != "passeport_martin.pdf"]
    check = check_dossier(docs, clean_declared(), AS_OF)
    missing = [a for a in check.alerts if a.type is AlertType.ID_DOCUMENT_MISSING]
    # Claire is both owner and president: one person, one alert.
    assert [a.subject.last_name for a in missing] == ["MARTIN"]  # type: ignore[union-attr]


@pytest.mark.parametrize(("expiry", "expected"), [
    (date(2026, 11, 25), [AlertType.ID_DOCUMENT_EXPIRED]),
    (date(2026, 11, 26), [AlertType.ID_DOCUMENT_EXPIRING]),  # valid through the as-of day
    (date(2027, 2, 24), [AlertType.ID_DOCUMENT_EXPIRING]),  # 90 days
    (date(2027, 2, 25), []),  # 91 days
])
def test_expiry_windows(expiry: date, expected: list[AlertType]) -> None:
    docs = clean_documents()
    docs[3] = identity(jean_facts(), expiry, file="cni_dupont.pdf")
    assert types_of(check_dossier(docs, clean_declared(), AS_OF)) == expected


def test_effective_expiry_wins_over_the_printed_date() -> None:
    """An old CNI printed 2016 but extended to 2031 by law is not expired."""
    docs = clean_documents()
    docs[3] = identity(jean_facts(), date(2016, 4, 1), effective=date(2031, 4, 1),
                       file="cni_dupont.pdf")
    assert check_dossier(docs, clean_declared(), AS_OF).alerts == ()


@pytest.mark.parametrize("change", [{"birth": date(1971, 3, 12)}, {"first": "Paul"}])
def test_identity_document_of_someone_else(change: dict) -> None:  # type: ignore[type-arg]
    docs = clean_documents()
    docs[3] = identity(jean_facts(**change), date(2031, 5, 12), file="cni_dupont.pdf")
    check = check_dossier(docs, clean_declared(), AS_OF)
    assert types_of(check) == [AlertType.ID_DOCUMENT_MISMATCH]
    assert check.alerts[0].severity is Severity.HIGH
    assigned = {a.file: a.person for a in check.identity_documents}
    assert assigned["cni_dupont.pdf"] is not None


def test_identity_document_matching_nobody_is_reported() -> None:
    docs = [*clean_documents(), identity(person("ROUX", "Anne", date(1990, 1, 1)),
                                         date(2032, 1, 1), file="cni_roux.pdf")]
    check = check_dossier(docs, clean_declared(), AS_OF)
    assert check.alerts == ()
    assigned = {a.file: a for a in check.identity_documents}
    assert assigned["cni_roux.pdf"].person is None
    assert assigned["cni_roux.pdf"].holder.last_name == "ROUX"


def test_invalid_machine_readable_zone() -> None:
    docs = clean_documents()
    docs[3] = identity(jean_facts(), date(2031, 5, 12), mrz_valid=False, file="cni_dupont.pdf")
    check = check_dossier(docs, clean_declared(), AS_OF)
    assert types_of(check) == [AlertType.MRZ_INVALID]
    docs[3] = identity(jean_facts(), date(2031, 5, 12), mrz_valid=None, file="cni_dupont.pdf")
    assert check_dossier(docs, clean_declared(), AS_OF).alerts == ()  # no zone read: no alert


@pytest.mark.parametrize(("day", "outdated"), [
    (date(2026, 8, 26), False),  # exactly three months
    (date(2026, 8, 25), True),
])
def test_register_extract_older_than_three_months(day: date, outdated: bool) -> None:
    docs = clean_documents()
    docs[0] = kbis(day, [("MARTIN", "Claire", OfficerRole.PRESIDENT)])
    expected = [AlertType.REGISTER_EXTRACT_OUTDATED] if outdated else []
    assert types_of(check_dossier(docs, clean_declared(), AS_OF)) == expected


def test_only_the_newest_register_extract_counts() -> None:
    docs = [*clean_documents(), kbis(date(2024, 1, 5), [("MARTIN", "Claire",
                                                          OfficerRole.PRESIDENT)],
                                     file="kbis_2024.pdf")]
    assert check_dossier(docs, clean_declared(), AS_OF).alerts == ()


def test_unreadable_file_is_one_alert_with_its_reason() -> None:
    docs = [*clean_documents(), unreadable("scan_illisible.pdf")]
    check = check_dossier(docs, clean_declared(), AS_OF)
    assert types_of(check) == [AlertType.DOCUMENT_UNREADABLE]
    assert "no trailer" in check.alerts[0].message


def test_keys_are_stable_and_distinct() -> None:
    docs = [d for d in clean_documents() if d.file != "passeport_martin.pdf"]
    docs.append(unreadable("a.pdf"))
    first = check_dossier(docs, clean_declared(), AS_OF)
    again = check_dossier(list(reversed(docs)), clean_declared(), AS_OF)
    assert [a.key for a in first.alerts] == [a.key for a in again.alerts]
    assert len({a.key for a in first.alerts}) == len(first.alerts)


def test_months_before_clamps_to_month_end() -> None:
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 3) == date(2025, 10, 15)


def test_policy_windows_are_configuration() -> None:
    docs = clean_documents()
    docs[3] = identity(jean_facts(), date(2027, 2, 1), file="cni_dupont.pdf")
    policy = CheckPolicy(expiring_within_days=30)
    assert check_dossier(docs, clean_declared(), AS_OF, policy).alerts == ()


def test_register_name_with_an_ocr_slip_and_the_same_birth_date_is_the_same_owner() -> None:
    docs = clean_documents()
    docs[1] = rbe(date(2026, 9, 1), [(jean_facts(last="DUPOND"), 60.0, 60.0),
                                     (claire_facts(), 40.0, 40.0)])
    assert check_dossier(docs, clean_declared(), AS_OF).alerts == ()


def test_a_company_name_without_letters_is_a_misread_not_a_mismatch() -> None:
    docs = clean_documents()
    docs[1] = rbe(date(2026, 9, 1), [(jean_facts(), 60.0, 60.0), (claire_facts(), 40.0, 40.0)],
                  name="16/11/2020")
    assert check_dossier(docs, clean_declared(), AS_OF).alerts == ()
