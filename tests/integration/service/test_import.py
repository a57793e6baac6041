"""`kanta-docs import`: a firm's portfolio into dossiers, re-imports update and never duplicate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from kanta_docs.config import Settings
from kanta_docs.ingest import import_portfolio
from kanta_docs.store.db import upgrade
from kanta_docs.store.repositories import FirmScope
from kanta_docs.store.tables import DeclaredVersion, Dossier
from kanta_docs.tasks import build_runtime

if TYPE_CHECKING:
    from pathlib import Path

CSV = ("siren;name;legal_form;naf;mission;owner1_last_name;owner1_first_names;"
       "owner1_capital_pct\n"
       "889924320;KANTA;SAS;6920Z;tenue_comptable;DUPONT;Jean;{pct}\n"
       "12345;MAUVAIS SIREN;SAS;6920Z;conseil;;;\n")


def test_reimport_updates_and_never_duplicates(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    upgrade(database)
    rt = build_runtime(Settings(home=tmp_path, database_url=database, broker_url="memory"))
    first = import_portfolio(rt, CSV.format(pct="60,5").encode(), "clients.csv", "Cabinet")
    assert (first.created, first.updated) == (1, 0)
    assert [(e.row_number, e.field) for e in first.rejected] == [(3, "siren")]
    again = import_portfolio(rt, CSV.format(pct="60,5").encode(), "clients.csv", "Cabinet")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = import_portfolio(rt, CSV.format(pct="70").encode(), "clients.csv", "Cabinet")
    assert (changed.created, changed.updated) == (0, 1)
    rt.queue.join()
    with rt.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 1
        dossier = session.scalars(select(Dossier)).one()
        versions = FirmScope(session, dossier.firm_id).declared_history(dossier.id)
        assert [v.version for v in versions] == [1, 2]
        assert versions[-1].data["beneficial_owners"][0]["capital_pct"] == 70.0
        assert session.scalar(select(func.count()).select_from(DeclaredVersion)) == 2
