from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, inspect

from kanta_docs.store.db import current_revision, downgrade, make_engine, upgrade
from kanta_docs.store.tables import Base

TABLES = {t.name for t in Base.metadata.sorted_tables}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _drift(url: str, metadata: MetaData) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
            return list(compare_metadata(ctx, metadata))
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_on_an_empty_database(empty_url: str) -> None:
    assert _tables(empty_url) == set()
    upgrade(empty_url)
    assert _tables(empty_url) == TABLES
    engine = make_engine(empty_url)
    assert current_revision(engine) == "0004"
    engine.dispose()
    downgrade(empty_url)
    assert _tables(empty_url) == set()
    upgrade(empty_url)
    assert _tables(empty_url) == TABLES


def test_tables_and_migration_do_not_drift(empty_url: str) -> None:
    upgrade(empty_url)
    assert _drift(empty_url, Base.metadata) == []


def test_drift_check_sees_a_difference(empty_url: str) -> None:
    # Guards the test above against comparing nothing: an empty model shows every table removed.
    upgrade(empty_url)
    removed = {d[1].name for d in _drift(empty_url, MetaData())
               if isinstance(d, tuple) and d[0] == "remove_table"}
    assert removed == TABLES


def test_downgrade_removes_the_audit_triggers(empty_url: str) -> None:
    upgrade(empty_url)
    downgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            n = conn.exec_driver_sql(
                "select count(*) from pg_proc where proname = 'audit_events_append_only' "
                "and pronamespace = current_schema()::regnamespace").scalar()
        else:
            n = conn.exec_driver_sql(
                "select count(*) from sqlite_master where type = 'trigger'").scalar()
    engine.dispose()
    assert n == 0
