"""Alert lifecycle: fingerprints, re-evaluation of a dossier, person actions, deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from alerts.check import check_dossier
from alerts.lifecycle import (
    DEFAULT_SLA_DAYS,
    FALSE_POSITIVE,
    AlertStatus,
    StoredAlert,
    Transition,
    apply_action,
    apply_transition,
    due_date,
    fingerprint,
    is_hidden,
    reconcile,
)
from kanta_docs.assessment import Alert, Evidence, Subject
from kanta_docs.errors import InvalidInput
from kanta_docs.vocab import AlertType, Severity
from tests.unit.alerts.builders import declared
from tests.unit.alerts.test_check_rules import (
    AS_OF,
    CLAIRE,
    JEAN,
    PRESIDENT,
    clean_documents,
    declared_owner,
)

DURAND = Subject(last_name="DURAND", first_names="Paul", birth_date=date(1981, 2, 3))


def be_alert(pct: str = "40 %", *, key: str = "be_not_declared:1", declared: str = "néant",
             message: str = "Paul DURAND détient 40 % selon l'extrait RBE mais n'est pas déclaré",
             severity: Severity = Severity.HIGH) -> Alert:
    return Alert(
        type=AlertType.BE_NOT_DECLARED, severity=severity, subject=DURAND,
        evidence=[Evidence(file="rbe.pdf", page=1, text=f"DURAND Paul … {pct}"),
                  Evidence(file="declared.json", text=declared)],
        message=message, key=key)


def stored(alert: Alert, status: AlertStatus = AlertStatus.OPEN, **kw) -> StoredAlert:  # type: ignore[no-untyped-def]
    return StoredAlert(key=alert.key, fingerprint=fingerprint(alert), status=status, **kw)


def only(transitions: list[Transition]) -> Transition:
    assert len(transitions) == 1
    return transitions[0]


# --- fingerprint -----------------------------------------------------------------------------


def test_fingerprint_ignores_evidence_order() -> None:
    alert = be_alert()
    shuffled = alert.model_copy(update={"evidence": list(reversed(alert.evidence))})
    assert fingerprint(shuffled) == fingerprint(alert)


def test_fingerprint_ignores_message_wording_and_severity() -> None:
    reworded = be_alert(message="Bénéficiaire effectif non déclaré : Paul DURAND (40 %).",
                        severity=Severity.MEDIUM)
    assert fingerprint(reworded) == fingerprint(be_alert())


@pytest.mark.parametrize("same", [
    "40,0 %", "40,00%", "40.0 %",  # number formatting
])
def test_fingerprint_ignores_number_formatting(same: str) -> None:
    assert fingerprint(be_alert(same)) == fingerprint(be_alert("40 %"))


def test_fingerprint_ignores_file_names_case_and_accents() -> None:
    alert = be_alert()
    renamed = alert.model_copy(update={"evidence": [
        Evidence(file="RBE-2026.pdf", page=2, text="durand  PAUL … 40 %"),
        Evidence(file="declared.json", text="Néant")]})
    assert fingerprint(renamed) == fingerprint(alert)


def test_fingerprint_reads_french_and_iso_dates_alike() -> None:
    def expired(text: str) -> Alert:
        return Alert(type=AlertType.ID_DOCUMENT_EXPIRED, severity=Severity.HIGH,
                     subject=Subject(file="cni.pdf"), key="k", message="m",
                     evidence=[Evidence(file="cni.pdf", page=1, text=text)])
    assert fingerprint(expired("expire le 01/02/2030")) == fingerprint(expired("2030-02-01"))
    assert fingerprint(expired("expire le 01/02/2030")) != fingerprint(expired("02/01/2030"))


@pytest.mark.parametrize("changed", [
    be_alert("45 %"),
    be_alert(declared="DURAND Paul 10 %"),
    be_alert().model_copy(update={"subject": DURAND.model_copy(
        update={"birth_date": date(1981, 2, 4)})}),
    be_alert().model_copy(update={"type": AlertType.BE_NOT_IN_REGISTER}),
    be_alert().model_copy(update={"evidence": be_alert().evidence[:1]}),
])
def test_fingerprint_changes_with_a_value(changed: Alert) -> None:
    assert fingerprint(changed) != fingerprint(be_alert())


def test_fingerprint_is_versioned() -> None:
    assert fingerprint(be_alert()).startswith("fp1:")


# --- reconcile: raised -----------------------------------------------------------------------


def test_unknown_key_opens() -> None:
    alert = be_alert()
    t = only(reconcile([], [alert]))
    assert (t.action, t.to_status, t.alert) == ("open", AlertStatus.OPEN, alert)


@pytest.mark.parametrize("status", [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
def test_active_and_unchanged_is_kept(status: AlertStatus) -> None:
    alert = be_alert()
    t = only(reconcile([stored(alert, status)], [alert]))
    assert (t.action, t.to_status, t.alert) == ("keep", status, None)


@pytest.mark.parametrize("status", [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
def test_active_and_changed_is_updated_in_place(status: AlertStatus) -> None:
    new = be_alert("45 %")
    t = only(reconcile([stored(be_alert(), status)], [new]))
    assert (t.action, t.to_status, t.alert) == ("update", status, new)


def test_active_and_reworded_is_kept() -> None:
    reworded = be_alert(message="Autre formulation du même fait.")
    t = only(reconcile([stored(be_alert())], [reworded]))
    assert t.action == "keep"


@pytest.mark.parametrize("status", [AlertStatus.RESOLVED, AlertStatus.DISMISSED])
def test_closed_by_a_person_stays_closed_while_the_fact_is_the_same(status: AlertStatus) -> None:
    t = only(reconcile([stored(be_alert(), status, outcome="declaration_corrected")],
                       [be_alert()]))
    assert (t.action, t.to_status, t.alert) == ("keep", status, None)


@pytest.mark.parametrize("status", [AlertStatus.RESOLVED, AlertStatus.DISMISSED])
def test_closed_by_a_person_reopens_when_the_fact_changed(status: AlertStatus) -> None:
    new = be_alert("45 %")
    t = only(reconcile([stored(be_alert(), status)], [new]))
    assert (t.action, t.to_status, t.alert) == ("reopen", AlertStatus.OPEN, new)


def test_false_positive_is_remembered_for_the_same_fact() -> None:
    fp = stored(be_alert(), AlertStatus.DISMISSED, outcome=FALSE_POSITIVE)
    t = only(reconcile([fp], [be_alert(message="reformulé")]))
    assert (t.action, t.to_status) == ("keep", AlertStatus.DISMISSED)
    assert "faux positif" in t.reason.lower()


def test_false_positive_survives_the_fact_disappearing_and_coming_back() -> None:
    fp = stored(be_alert(), AlertStatus.DISMISSED, outcome=FALSE_POSITIVE)
    gone = only(reconcile([fp], []))
    assert gone.action == "keep"
    after = apply_transition(fp, gone)
    assert after == fp
    back = only(reconcile([after], [be_alert()]))
    assert back.action == "keep"


def test_false_positive_reopens_when_the_values_change() -> None:
    fp = stored(be_alert(), AlertStatus.DISMISSED, outcome=FALSE_POSITIVE)
    t = only(reconcile([fp], [be_alert("45 %")]))
    assert (t.action, t.to_status) == ("reopen", AlertStatus.OPEN)
    assert "faux positif" in t.reason


def test_auto_resolved_reopens_when_raised_again_even_unchanged() -> None:
    gone = stored(be_alert(), AlertStatus.RESOLVED, auto_resolved=True)
    t = only(reconcile([gone], [be_alert()]))
    assert (t.action, t.to_status) == ("reopen", AlertStatus.OPEN)


@pytest.mark.parametrize("status", list(AlertStatus))
def test_fingerprint_of_another_version_is_refreshed_never_reopened(status: AlertStatus) -> None:
    old = StoredAlert(key=be_alert().key, fingerprint="fp0:abc", status=status,
                      outcome=None if status.is_active else FALSE_POSITIVE)
    t = only(reconcile([old], [be_alert("45 %")]))
    assert (t.action, t.to_status) == ("update", status)
    after = apply_transition(old, t)
    assert after == StoredAlert(key=old.key, fingerprint=fingerprint(be_alert("45 %")),
                                status=status, outcome=old.outcome)
    assert only(reconcile([after], [be_alert("45 %")])).action == "keep"


# --- reconcile: not raised -------------------------------------------------------------------


@pytest.mark.parametrize("status", [AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED])
def test_active_not_raised_is_auto_resolved(status: AlertStatus) -> None:
    current = stored(be_alert(), status, snoozed_until=date(2027, 1, 1))
    t = only(reconcile([current], []))
    assert (t.action, t.to_status, t.alert) == ("auto_resolve", AlertStatus.RESOLVED, None)
    assert t.reason.startswith("Le fait n'est plus constaté")
    assert apply_transition(current, t) == StoredAlert(
        key=current.key, fingerprint=current.fingerprint, status=AlertStatus.RESOLVED,
        auto_resolved=True)


@pytest.mark.parametrize("current", [
    stored(be_alert(), AlertStatus.RESOLVED),
    stored(be_alert(), AlertStatus.DISMISSED, outcome=FALSE_POSITIVE),
    stored(be_alert(), AlertStatus.RESOLVED, auto_resolved=True),
])
def test_closed_not_raised_is_kept(current: StoredAlert) -> None:
    t = only(reconcile([current], []))
    assert (t.action, t.to_status, t.alert) == ("keep", current.status, None)


def test_order_is_raised_then_stored_not_raised() -> None:
    a, b, c = (be_alert(key=k) for k in ("a", "b", "c"))
    out = reconcile([stored(c), stored(a)], [b, a])
    assert [(t.key, t.action) for t in out] == [("b", "open"), ("a", "keep"),
                                                ("c", "auto_resolve")]


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(InvalidInput):
        reconcile([], [be_alert(), be_alert()])
    with pytest.raises(InvalidInput):
        reconcile([stored(be_alert()), stored(be_alert())], [])


# --- apply_transition ------------------------------------------------------------------------


def test_update_refreshes_the_fingerprint_keeps_the_status_and_lifts_the_snooze() -> None:
    current = stored(be_alert(), AlertStatus.OPEN, snoozed_until=date(2027, 1, 1))
    new = be_alert("45 %")
    after = apply_transition(current, only(reconcile([current], [new])))
    assert after == StoredAlert(key=new.key, fingerprint=fingerprint(new),
                                status=AlertStatus.OPEN)


def test_reopen_forgets_the_outcome() -> None:
    current = stored(be_alert(), AlertStatus.DISMISSED, outcome=FALSE_POSITIVE)
    after = apply_transition(current, only(reconcile([current], [be_alert("45 %")])))
    assert after is not None
    assert (after.status, after.outcome, after.auto_resolved) == (AlertStatus.OPEN, None, False)


def test_keep_of_an_unknown_alert_stores_nothing() -> None:
    assert apply_transition(None, Transition("k", "keep", AlertStatus.OPEN, "", None)) is None


# --- apply_action ----------------------------------------------------------------------------

OPEN = stored(be_alert())
ACK = stored(be_alert(), AlertStatus.ACKNOWLEDGED)
RESOLVED = stored(be_alert(), AlertStatus.RESOLVED, outcome="declaration_corrected")
DISMISSED = stored(be_alert(), AlertStatus.DISMISSED, outcome=FALSE_POSITIVE)


@pytest.mark.parametrize(("current", "action", "to"), [
    (OPEN, "acknowledge", AlertStatus.ACKNOWLEDGED),
    (OPEN, "resolve", AlertStatus.RESOLVED),
    (OPEN, "dismiss", AlertStatus.DISMISSED),
    (ACK, "resolve", AlertStatus.RESOLVED),
    (ACK, "dismiss", AlertStatus.DISMISSED),
    (RESOLVED, "reopen", AlertStatus.OPEN),
    (DISMISSED, "reopen", AlertStatus.OPEN),
])
def test_allowed_actions(current: StoredAlert, action, to: AlertStatus) -> None:  # type: ignore[no-untyped-def]
    after = apply_action(current, action, justification="Vérifié avec le client.")
    assert after.status is to
    assert after.key == current.key and after.fingerprint == current.fingerprint


@pytest.mark.parametrize(("current", "action"), [
    (ACK, "acknowledge"), (RESOLVED, "acknowledge"), (DISMISSED, "acknowledge"),
    (RESOLVED, "resolve"), (DISMISSED, "resolve"),
    (RESOLVED, "dismiss"), (DISMISSED, "dismiss"),
    (OPEN, "reopen"), (ACK, "reopen"),
    (ACK, "snooze"), (RESOLVED, "snooze"), (DISMISSED, "snooze"),
])
def test_invalid_transitions_are_refused(current: StoredAlert, action) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=f"cannot {action}"):
        apply_action(current, action, justification="x", until=date(2027, 1, 1)
                     if action == "snooze" else None)


@pytest.mark.parametrize("action", ["resolve", "dismiss"])
@pytest.mark.parametrize("justification", [None, "", "   "])
def test_closing_needs_a_justification(action, justification: str | None) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="justification is required"):
        apply_action(OPEN, action, justification=justification)


def test_dismiss_as_false_positive_records_the_outcome_and_lifts_the_snooze() -> None:
    snoozed = apply_action(OPEN, "snooze", until=date(2027, 1, 1))
    after = apply_action(snoozed, "dismiss", justification="Homonyme, né en 1950.",
                         outcome=FALSE_POSITIVE)
    assert (after.status, after.outcome, after.snoozed_until) == (
        AlertStatus.DISMISSED, FALSE_POSITIVE, None)


def test_reopen_clears_outcome_and_auto_resolution() -> None:
    auto = stored(be_alert(), AlertStatus.RESOLVED, auto_resolved=True)
    assert apply_action(auto, "reopen") == OPEN
    assert apply_action(DISMISSED, "reopen") == OPEN


def test_snooze_hides_until_the_day_and_stays_open() -> None:
    snoozed = apply_action(OPEN, "snooze", until=date(2027, 1, 10))
    assert snoozed.status is AlertStatus.OPEN
    assert is_hidden(snoozed, date(2027, 1, 9))
    assert not is_hidden(snoozed, date(2027, 1, 10))
    assert not is_hidden(OPEN, date(2027, 1, 9))


def test_acknowledge_lifts_the_snooze() -> None:
    snoozed = apply_action(OPEN, "snooze", until=date(2027, 1, 10))
    assert apply_action(snoozed, "acknowledge").snoozed_until is None


@pytest.mark.parametrize(("action", "kwargs", "message"), [
    ("snooze", {}, "snooze needs 'until'"),
    ("acknowledge", {"until": date(2027, 1, 1)}, "only for snooze"),
    ("snooze", {"until": date(2027, 1, 1), "outcome": FALSE_POSITIVE}, "outcome is recorded"),
    ("dismiss", {"justification": "ok", "outcome": " "}, "outcome is empty"),
    ("archive", {}, "unknown alert action"),
])
def test_bad_arguments_are_refused(action, kwargs, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=message):
        apply_action(OPEN, action, **kwargs)


# --- due_date --------------------------------------------------------------------------------


@pytest.mark.parametrize(("severity", "due"), [
    (Severity.HIGH, date(2026, 12, 3)),
    (Severity.MEDIUM, date(2026, 12, 26)),
    (Severity.LOW, date(2027, 2, 24)),
])
def test_due_date_defaults(severity: Severity, due: date) -> None:
    assert due_date(severity, date(2026, 11, 26)) == due


def test_due_date_firm_settings_and_fallback() -> None:
    assert due_date(Severity.HIGH, date(2026, 11, 26), {Severity.HIGH: 2}) == date(2026, 11, 28)
    assert due_date(Severity.LOW, date(2026, 11, 26), {Severity.HIGH: 2}) == date(2027, 2, 24)
    with pytest.raises(InvalidInput):
        due_date(Severity.HIGH, date(2026, 11, 26), {Severity.HIGH: -1})
    assert set(DEFAULT_SLA_DAYS) == set(Severity)


# --- with the real check -------------------------------------------------------------------


def test_a_dossier_re_checked_through_its_life() -> None:
    """GIVEN a declaration that understates Jean's shares, WHEN the dossier is re-checked as
    the declaration changes, THEN the same fact is kept, a changed figure updates it and the
    corrected declaration resolves it."""
    def check(jean_pct: float) -> list[Alert]:
        owners = [declared_owner(JEAN, jean_pct), declared_owner(CLAIRE, 40.0)]
        return list(check_dossier(clean_documents(), declared(owners, [PRESIDENT]),
                                  AS_OF).alerts)

    def store(current: list[StoredAlert], raised: list[Alert]) -> list[StoredAlert]:
        by_key = {s.key: s for s in current}
        out = [apply_transition(by_key.get(t.key), t) for t in reconcile(current, raised)]
        return [s for s in out if s is not None]

    first = check(50.0)
    assert [a.type for a in first] == [AlertType.BE_SHARE_MISMATCH]
    state = store([], first)
    assert only(reconcile(state, check(50.0))).action == "keep"
    assert only(reconcile(state, check(45.0))).action == "update"
    state = store(state, check(45.0))
    fixed = only(reconcile(state, check(60.0)))
    assert (fixed.action, fixed.to_status) == ("auto_resolve", AlertStatus.RESOLVED)
