from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from kanta_docs.assessment import RiskAssessment
from kanta_docs.declared import Declared, DeclaredClient
from kanta_docs.store.repositories import FirmScope, create_firm, get_firm
from kanta_docs.store.tables import UserRole
from kanta_docs.vocab import RiskLevel, Vigilance

from .helpers import NOW, add_doc, firm_with_dossier, raised

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def test_firm_a_cannot_read_firm_b_objects(session: Session) -> None:
    a, dossier_a = firm_with_dossier(session, "A")
    b, dossier_b = firm_with_dossier(session, "B")  # same SIREN in another firm is allowed
    doc_b = add_doc(b, dossier_b.id)
    alert_b, _ = b.record_alert(dossier_b.id, raised(), now=NOW)
    b.add_risk(dossier_b.id, RiskAssessment(level=RiskLevel.LOW,
                                            vigilance=Vigilance.SIMPLIFIED, score=1), now=NOW)
    b.add_declared_version(dossier_b.id, Declared(), "x@b.fr", now=NOW)
    b.append_audit("x@b.fr", "login", now=NOW)
    session.commit()

    assert a.get_dossier(dossier_b.id) is None
    assert a.get_document(doc_b.id) is None
    assert a.get_alert(alert_b.id) is None
    assert a.alert_history(alert_b.id) == []
    assert a.alerts_of_dossier(dossier_b.id) == {}
    assert a.documents_of_dossier(dossier_b.id) == []
    assert a.latest_risk(dossier_b.id) is None
    assert a.latest_declared(dossier_b.id) is None
    assert a.audit_events() == []
    assert [d.id for d in a.list_dossiers()] == [dossier_a.id]
    # Writes through another firm's ids do nothing either.
    assert a.transition_alert(alert_b.id, alert_b.status.__class__("acknowledged"), "x",
                              "n") is False
    assert a.delete_document(doc_b.id, "x", "because") is None
    assert a.get_document(doc_b.id) is None and b.get_document(doc_b.id) is not None
    # And the owner sees them.
    assert b.get_dossier(dossier_b.id) is not None
    assert b.get_alert(alert_b.id) is not None


def test_unknown_firm_scope_sees_nothing(session: Session) -> None:
    _, dossier = firm_with_dossier(session)
    ghost = FirmScope(session, uuid.uuid4())
    assert ghost.firm() is None
    assert ghost.get_dossier(dossier.id) is None
    assert get_firm(session, uuid.uuid4()) is None


def test_upsert_dossier_by_siren_and_collaborator_of_the_same_firm(session: Session) -> None:
    a, dossier = firm_with_dossier(session, "A")
    again, created = a.upsert_dossier(dossier.siren, "Renamed", now=NOW)
    assert (again.id, created, again.name) == (dossier.id, False, "Renamed")
    other = FirmScope(session, create_firm(session, "B").id)
    stranger = other.add_user("c@b.fr", "C", UserRole.COLLABORATOR)
    try:
        a.upsert_dossier(dossier.siren, "x", collaborator_id=stranger.id)
        raise AssertionError("a collaborator of another firm was accepted")
    except ValueError:
        pass


def test_declared_versions_are_numbered_and_kept(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    v1 = a.add_declared_version(dossier.id, Declared(client=DeclaredClient(name="X")), "u@a.fr",
                                "first", now=NOW)
    v2 = a.add_declared_version(dossier.id, Declared(client=DeclaredClient(name="Y")), "v@a.fr",
                                "rename", now=NOW)
    session.commit()
    assert (v1, v2) == (1, 2)
    latest = a.latest_declared(dossier.id)
    assert latest is not None
    assert Declared.model_validate(latest.data).client.name == "Y"
    assert [(h.version, h.changed_by, h.change_note) for h in a.declared_history(dossier.id)] == [
        (1, "u@a.fr", "first"), (2, "v@a.fr", "rename")]
    assert latest.changed_at == NOW
