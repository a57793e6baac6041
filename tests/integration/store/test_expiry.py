from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, insert, text

from kanta_docs.store.db import session_factory
from kanta_docs.store.repositories import (
    FirmScope,
    all_firms_expiring_dossiers,
    all_firms_outdated_kbis_dossiers,
)
from kanta_docs.store.tables import DocState, Document

from .conftest import is_pg
from .helpers import NOW, add_doc, firm_with_dossier, sha

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def _set(session: Session, doc: Document, **values: object) -> None:
    for k, v in values.items():
        setattr(doc, k, v)
    session.flush()


def test_expiring_dossiers_in_a_window_across_firms(session: Session) -> None:
    a, da = firm_with_dossier(session, "A")
    b, db = firm_with_dossier(session, "B")
    db2, _ = b.upsert_dossier("222222222", "B2", now=NOW)
    _set(session, add_doc(a, da.id, 1), effective_expiry_date=date(2027, 1, 10))
    _set(session, add_doc(b, db.id, 2), effective_expiry_date=date(2027, 1, 31))
    _set(session, add_doc(b, db2.id, 3), effective_expiry_date=date(2027, 2, 1))
    _set(session, add_doc(b, db2.id, 4), effective_expiry_date=None)
    session.commit()
    window = (date(2027, 1, 1), date(2027, 1, 31))
    assert a.expiring_dossiers(*window) == [da.id]
    assert b.expiring_dossiers(*window) == [db.id]
    assert set(all_firms_expiring_dossiers(session, *window)) == {(a.firm_id, da.id),
                                                                 (b.firm_id, db.id)}


def test_outdated_kbis_uses_the_newest_kbis_of_each_dossier(session: Session) -> None:
    a, fresh = firm_with_dossier(session, "A", "100000001")
    stale, _ = a.upsert_dossier("100000002", "Stale", now=NOW)
    cutoff = date(2026, 8, 26)
    _set(session, add_doc(a, fresh.id, 1), doc_type="kbis", document_date=date(2025, 1, 1))
    _set(session, add_doc(a, fresh.id, 2), doc_type="kbis", document_date=date(2026, 10, 1))
    _set(session, add_doc(a, stale.id, 3), doc_type="kbis", document_date=date(2026, 5, 1))
    _set(session, add_doc(a, stale.id, 4), doc_type="rbe", document_date=date(2026, 11, 1))
    session.commit()
    assert a.outdated_kbis_dossiers(cutoff) == [stale.id]
    assert a.outdated_kbis_dossiers(cutoff, since=date(2026, 6, 1)) == []
    assert all_firms_outdated_kbis_dossiers(session, cutoff) == [(a.firm_id, stale.id)]


def _fill(engine: Engine, rows: int) -> FirmScope:
    make = session_factory(engine)
    with make() as s:
        scopes = [firm_with_dossier(s, f"F{i}", f"30000000{i}") for i in range(4)]
        s.commit()
        values = []
        for n in range(rows):
            scope, dossier = scopes[n % 4]
            values.append({
                "id": uuid.uuid4(), "firm_id": scope.firm_id, "dossier_id": dossier.id,
                "sha256": sha(n), "file_name": "f.pdf", "size": 1, "content_type": "x",
                "state": DocState.PROCESSED, "state_since": NOW, "attempts": 1,
                "doc_type": "kbis" if n % 3 == 0 else "id_card",
                "document_date": date(2020, 1, 1) + timedelta(days=n % 2000),
                "effective_expiry_date": date(2027, 1, 1) + timedelta(days=n % 3650),
                "created_at": NOW})
        s.execute(insert(Document), values)
        s.commit()
        firm_id = scopes[0][0].firm_id
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return FirmScope(make(), firm_id)


def _plan(engine: Engine, scope: FirmScope, query: object) -> str:
    sql = str(query.compile(dialect=engine.dialect,  # type: ignore[attr-defined]
                            compile_kwargs={"literal_binds": True}))
    prefix = "EXPLAIN " if is_pg(engine) else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        return "\n".join(str(r[-1]) for r in conn.exec_driver_sql(prefix + sql))


def test_expiry_queries_use_their_indexes(engine: Engine) -> None:
    scope = _fill(engine, 8000)
    expiring = _plan(engine, scope, scope.expiring_dossiers_query(date(2027, 3, 1),
                                                                    date(2027, 3, 31)))
    kbis = _plan(engine, scope, scope.outdated_kbis_query(date(2024, 1, 1)))
    assert "ix_documents_firm_effective_expiry" in expiring, expiring
    assert "ix_documents_firm_type_date" in kbis, kbis
    for plan in (expiring, kbis):  # neither reads the whole table (nor a whole index)
        assert "Seq Scan" not in plan and "SCAN documents" not in plan, plan
    scope.session.close()
