from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from kanta_docs.config import Settings
from kanta_docs.store.db import database_url, make_engine
from kanta_docs.store.repositories import create_firm, get_firm

from .conftest import is_pg

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session


def test_database_url_defaults_to_sqlite_under_home(tmp_path: Path) -> None:
    assert database_url(Settings(home=tmp_path)) == f"sqlite:///{tmp_path}/kanta.sqlite3"
    pg = "postgresql://u@h/db"
    assert database_url(Settings(home=tmp_path, database_url=pg)) == pg


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'k.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


def test_postgres_url_uses_psycopg3(engine: Engine) -> None:
    if is_pg(engine):
        assert engine.dialect.driver == "psycopg"


def test_timestamps_come_back_aware_utc(session: Session) -> None:
    paris = timezone(timedelta(hours=1))
    firm = create_firm(session, "A", now=datetime(2026, 11, 26, 10, 0, tzinfo=paris))
    session.commit()
    session.expire_all()
    loaded = get_firm(session, firm.id)
    assert loaded is not None
    assert loaded.created_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert loaded.created_at.utcoffset() == timedelta(0)
    with pytest.raises(Exception, match="naive"):
        create_firm(session, "B", now=datetime(2026, 11, 26, 10, 0))
