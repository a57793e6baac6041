from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from kanta_docs.store.repositories import AlertChange
from kanta_docs.store.tables import AlertOutcome, AlertStatus, UserRole
from kanta_docs.vocab import Severity

from .helpers import NOW, firm_with_dossier, raised

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def test_new_alert_is_assigned_and_due_per_the_firm_sla(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    bob = a.add_user("bob@a.fr", "Bob", UserRole.COLLABORATOR)
    a.upsert_dossier(dossier.siren, dossier.name, collaborator_id=bob.id, now=NOW)
    high, change = a.record_alert(dossier.id, raised("k1"), now=NOW)
    low, _ = a.record_alert(dossier.id, raised("k2", severity=Severity.LOW), now=NOW)
    session.commit()
    assert change is AlertChange.CREATED
    assert high.status is AlertStatus.OPEN and high.assignee_id == bob.id
    assert high.due_date == NOW.date() + timedelta(days=1)  # firm setting for high
    assert low.due_date == NOW.date() + timedelta(days=30)  # default for low
    assert [(e.from_status, e.to_status) for e in a.alert_history(high.id)] == [(None, "open")]
    assert set(a.alerts_of_dossier(dossier.id)) == {"k1", "k2"}


def test_same_fact_again_is_unchanged_and_a_changed_fact_updates(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    alert, _ = a.record_alert(dossier.id, raised(), now=NOW)
    assert a.record_alert(dossier.id, raised(), now=NOW)[1] is AlertChange.UNCHANGED
    # Reworded message: same fingerprint, message refreshed.
    _, change = a.record_alert(dossier.id, raised(message="Autre formulation"), now=NOW)
    assert change is AlertChange.UPDATED and alert.message == "Autre formulation"
    fp = alert.fingerprint
    assert a.record_alert(dossier.id, raised(text="Jean DUPOND"), now=NOW)[1] is (
        AlertChange.UPDATED)
    assert alert.fingerprint != fp


def test_false_positive_is_remembered_until_the_fact_changes(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    alert, _ = a.record_alert(dossier.id, raised(), now=NOW)
    with pytest.raises(ValueError, match="justification"):
        a.transition_alert(alert.id, AlertStatus.DISMISSED, "cc@a.fr", "")
    assert a.transition_alert(alert.id, AlertStatus.DISMISSED, "cc@a.fr",
                              "Homonyme : ce n'est pas la même personne",
                              outcome=AlertOutcome.FALSE_POSITIVE, now=NOW)
    later = NOW + timedelta(days=1)
    assert a.record_alert(dossier.id, raised(), now=later)[1] is AlertChange.SUPPRESSED
    assert alert.status is AlertStatus.DISMISSED
    # The register now shows another fact under the same key: reopen.
    _, change = a.record_alert(dossier.id, raised(text="Jean DUPONT, né en 1980"), now=later)
    assert change is AlertChange.REOPENED
    assert alert.status is AlertStatus.OPEN and alert.outcome is None
    session.commit()
    history = [(e.from_status, e.to_status, e.actor) for e in a.alert_history(alert.id)]
    assert history == [(None, "open", "system"), ("open", "dismissed", "cc@a.fr"),
                       ("dismissed", "open", "system")]
    [audit] = a.audit_events()
    assert audit.action == "alert.dismissed" and audit.details["outcome"] == "false_positive"


def test_resolved_alert_stays_closed_until_the_fact_changes(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    alert, _ = a.record_alert(dossier.id, raised(), now=NOW)
    assert a.transition_alert(alert.id, AlertStatus.ACKNOWLEDGED, "u", "vu", now=NOW)
    assert not a.transition_alert(alert.id, AlertStatus.ACKNOWLEDGED, "u", "again")
    assert a.transition_alert(alert.id, AlertStatus.RESOLVED, "u", "RBE mis à jour", now=NOW)
    assert (alert.outcome, alert.resolved_by, alert.resolved_at) == (AlertOutcome.FIXED, "u", NOW)
    # A person resolved it: the same fact raised again does not reopen it ...
    assert a.record_alert(dossier.id, raised(), now=NOW)[1] is AlertChange.SUPPRESSED
    # ... a changed fact does.
    assert a.record_alert(dossier.id, raised(text="Jean DUPONT 40 %"), now=NOW)[1] \
        is AlertChange.REOPENED


def test_absent_facts_auto_resolve_and_come_back(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    keep, _ = a.record_alert(dossier.id, raised("keep"), now=NOW)
    gone, _ = a.record_alert(dossier.id, raised("gone"), now=NOW)
    closed = a.resolve_absent_alerts(dossier.id, {"keep"}, "le nouveau RBE le mentionne",
                                     now=NOW)
    assert [c.id for c in closed] == [gone.id]
    assert gone.status is AlertStatus.RESOLVED and gone.auto_resolved_reason
    assert keep.status is AlertStatus.OPEN
    assert a.record_alert(dossier.id, raised("gone"), now=NOW)[1] is AlertChange.REOPENED


def test_snooze_and_assign(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    alice = a.add_user("alice@a.fr", "Alice", UserRole.COMPLIANCE_OFFICER)
    alert, _ = a.record_alert(dossier.id, raised(), now=NOW)
    assert a.assign_alert(alert.id, alice.id, "admin@a.fr", now=NOW)
    assert a.snooze_alert(alert.id, date(2026, 12, 10), "alice@a.fr", now=NOW)
    session.commit()
    assert a.open_alerts(assignee_id=alice.id, as_of=date(2026, 12, 1)) == []
    assert [x.id for x in a.open_alerts(assignee_id=alice.id, as_of=date(2026, 12, 10))] == [
        alert.id]
    assert len(a.alert_history(alert.id)) == 3
