from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from kanta_docs.facts import DocumentFacts, Value
from kanta_docs.models import ExtractResult, Provenance
from kanta_docs.store import facts_codec
from kanta_docs.store.db import session_factory
from kanta_docs.store.repositories import FirmScope, NewDocument, blob_in_use, stuck_documents
from kanta_docs.store.tables import DocState
from kanta_docs.vocab import DocType

from .helpers import NOW, add_doc, firm_with_dossier, sha

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


def test_same_file_twice_in_a_dossier_is_one_document(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    new = NewDocument(dossier.id, sha(1), "kbis.pdf", 10, "application/pdf")
    first, created1 = a.add_document(new, now=NOW)
    second, created2 = a.add_document(new, now=NOW)
    session.commit()
    assert (created1, created2) == (True, False)
    assert first.id == second.id
    assert len(a.documents_of_dossier(dossier.id)) == 1
    # The same bytes in another dossier are another document (same blob).
    other, _ = a.upsert_dossier("987654321", "Other", now=NOW)
    third, created3 = a.add_document(NewDocument(other.id, sha(1), "k.pdf", 10, "x"), now=NOW)
    assert created3 and third.id != first.id


def test_state_machine_guards(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    doc = add_doc(a, dossier.id)
    assert doc.state is DocState.RECEIVED
    with pytest.raises(ValueError, match="cannot go"):
        a.transition_document(doc.id, DocState.RECEIVED, DocState.PROCESSED)
    with pytest.raises(ValueError, match="reason"):
        a.transition_document(doc.id, DocState.PROCESSING, DocState.FAILED)
    # Wrong expected state: refused without change.
    assert a.transition_document(doc.id, DocState.PROCESSING, DocState.PROCESSED) is False
    assert a.transition_document(doc.id, DocState.RECEIVED, DocState.PROCESSING, stage="read",
                                 now=NOW) is True
    assert (doc.state, doc.attempts, doc.stage) == (DocState.PROCESSING, 1, "read")
    assert a.transition_document(doc.id, DocState.PROCESSING, DocState.FAILED,
                                 failure_reason="PDF chiffré : retirez le mot de passe",
                                 now=NOW) is True
    assert doc.state is DocState.FAILED and doc.failure_reason
    assert a.transition_document(doc.id, DocState.FAILED, DocState.RECEIVED, now=NOW)
    assert doc.failure_reason is None
    session.commit()


def test_store_extraction_keeps_result_facts_and_pages(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    doc = add_doc(a, dossier.id)
    result = ExtractResult(file="f1.pdf", sha256=doc.sha256, doc_type=DocType.ID_CARD, pages=1,
                           expiry_date=date(2030, 1, 2), effective_expiry_date=date(2035, 1, 2))
    facts = DocumentFacts(expiry_date=Value(date(2030, 1, 2), Provenance(1, "02.01.2030",
                                                                         (1.0, 2.0, 3.0, 4.0),
                                                                         0.93)))
    # Not processing yet: refused.
    assert not a.store_extraction(doc.id, result, facts, ["page one"], "p1", now=NOW)
    assert a.transition_document(doc.id, DocState.RECEIVED, DocState.PROCESSING, now=NOW)
    assert a.store_extraction(doc.id, result, facts, ["page one"], "p1", now=NOW)
    session.commit()
    session.expire_all()
    stored = a.get_document(doc.id)
    assert stored is not None
    assert stored.state is DocState.PROCESSED
    assert (stored.doc_type, stored.expiry_date, stored.effective_expiry_date) == (
        "id_card", date(2030, 1, 2), date(2035, 1, 2))
    assert ExtractResult.model_validate(stored.result) == result
    assert stored.facts is not None and facts_codec.from_json(stored.facts) == facts
    assert stored.pages == ["page one"]
    assert stored.state_since == NOW


def test_two_workers_claim_a_document_exactly_one_wins(engine: Engine) -> None:
    make = session_factory(engine)
    with make() as s:
        a, dossier = firm_with_dossier(s)
        doc_id, firm_id = add_doc(a, dossier.id).id, a.firm_id
        s.commit()
    barrier = threading.Barrier(2)
    wins: list[bool] = []
    errors: list[BaseException] = []

    def claim() -> None:
        try:
            with make() as s:
                barrier.wait()
                won = FirmScope(s, firm_id).transition_document(
                    doc_id, DocState.RECEIVED, DocState.PROCESSING)
                s.commit()
                wins.append(won)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(wins) == [False, True]
    with make() as s:
        doc = FirmScope(s, firm_id).get_document(doc_id)
        assert doc is not None and doc.attempts == 1


def test_stuck_documents_are_found_and_handed_back(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    old, fresh = add_doc(a, dossier.id, 1), add_doc(a, dossier.id, 2)
    a.transition_document(old.id, DocState.RECEIVED, DocState.PROCESSING,
                          now=NOW - timedelta(hours=2))
    a.transition_document(fresh.id, DocState.RECEIVED, DocState.PROCESSING, now=NOW)
    session.commit()
    limit = NOW - timedelta(minutes=30)
    assert [d.id for d in stuck_documents(session, limit)] == [old.id]
    assert [d.id for d in a.stuck_documents(limit)] == [old.id]
    assert a.transition_document(old.id, DocState.PROCESSING, DocState.RECEIVED, now=NOW)


def test_delete_is_explicit_and_audited(session: Session) -> None:
    a, dossier = firm_with_dossier(session)
    doc = add_doc(a, dossier.id)
    with pytest.raises(ValueError, match="reason"):
        a.delete_document(doc.id, "u@a.fr", " ")
    assert a.delete_document(doc.id, "u@a.fr", "uploaded by mistake",
                             address="10.0.0.1", now=NOW) == doc.sha256
    session.commit()
    assert a.get_document(doc.id) is None
    assert not blob_in_use(session, doc.sha256)
    [event] = a.audit_events()
    assert (event.action, event.target_id, event.address, event.details["reason"]) == (
        "document.delete", str(doc.id), "10.0.0.1", "uploaded by mistake")
