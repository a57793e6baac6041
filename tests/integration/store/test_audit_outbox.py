from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from kanta_docs.store.db import session_factory
from kanta_docs.store.repositories import (
    FirmScope,
    fetch_due_outbox,
    mark_outbox_failed,
    mark_outbox_processed,
)
from kanta_docs.store.tables import OutboxEvent

from .conftest import is_pg
from .helpers import NOW, firm_with_dossier

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def test_repository_offers_no_way_to_change_the_audit_log() -> None:
    names = {n for n in dir(FirmScope) if "audit" in n}
    assert names == {"append_audit", "audit_events"}


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'x'",
                                       "DELETE FROM audit_events"])
def test_database_refuses_to_change_the_audit_log(engine: Engine, statement: str) -> None:
    make = session_factory(engine)
    with make() as s:
        a, _ = firm_with_dossier(s)
        a.append_audit("u@a.fr", "login", now=NOW)
        s.commit()
    with engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
        conn.execute(text(statement))
    if is_pg(engine):
        with engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text("TRUNCATE audit_events"))
    with make() as s:
        assert [e.action for e in FirmScope(s, a.firm_id).audit_events()] == ["login"]


def test_outbox_event_commits_with_the_change_or_not_at_all(engine: Engine) -> None:
    make = session_factory(engine)
    with make() as s:
        a, dossier = firm_with_dossier(s)
        firm_id = a.firm_id
        s.commit()
    with make() as s:
        scope = FirmScope(s, firm_id)
        scope.upsert_dossier("111111111", "Rolled back", now=NOW)
        scope.add_outbox("dossier.created", {"siren": "111111111"}, now=NOW)
        s.rollback()
    with make() as s:
        scope = FirmScope(s, firm_id)
        assert scope.dossier_by_siren("111111111") is None
        assert fetch_due_outbox(s, now=NOW) == []
        scope.add_outbox("document.stored", {"id": "1"}, now=NOW)
        s.commit()
        [event] = fetch_due_outbox(s, now=NOW)
        assert event.payload == {"id": "1"} and event.firm_id == firm_id


def test_outbox_relay_marks_processed_and_backs_off(session: Session) -> None:
    a, _ = firm_with_dossier(session)
    e1 = a.add_outbox("t", {"n": 1}, now=NOW)
    e2 = a.add_outbox("t", {"n": 2}, now=NOW)
    session.commit()
    assert [e.id for e in fetch_due_outbox(session, now=NOW)] == [e1.id, e2.id]
    mark_outbox_processed(session, [e1.id], now=NOW)
    due_again = mark_outbox_failed(session, e2.id, "index down", now=NOW)
    session.commit()
    assert due_again == NOW + timedelta(seconds=2)
    assert fetch_due_outbox(session, now=NOW) == []
    [retry] = fetch_due_outbox(session, now=due_again)
    assert (retry.id, retry.attempts, retry.last_error) == (e2.id, 1, "index down")
    assert mark_outbox_failed(session, e2.id, "still down", now=NOW) == NOW + timedelta(seconds=4)


def test_two_relays_get_disjoint_events(engine: Engine) -> None:
    if not is_pg(engine):
        pytest.skip("SQLite has no row locks; the embedded deployment runs a single relay")
    make = session_factory(engine)
    with make() as s:
        a, _ = firm_with_dossier(s)
        for n in range(5):
            a.add_outbox("t", {"n": n}, now=NOW)
        s.commit()
    with make() as first, make() as second:
        got1 = {e.id for e in fetch_due_outbox(first, now=NOW, limit=3)}
        got2 = {e.id for e in fetch_due_outbox(second, now=NOW, limit=10)}
        assert len(got1) == 3 and len(got2) == 2
        assert got1.isdisjoint(got2)
        mark_outbox_processed(first, sorted(got1), now=NOW)
        first.commit()
        second.rollback()
    with make() as s:
        assert len(fetch_due_outbox(s, now=NOW)) == 2
        assert s.query(OutboxEvent).count() == 5
