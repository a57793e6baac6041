"""Store fixtures: every test runs once on SQLite and once on PostgreSQL.

Fixture strategy (safe under pytest-xdist):
- SQLite: the migrations run once per worker into a template file; each test gets its own copy
  (a file copy is ~1 ms, a migration ~100 ms).
- PostgreSQL: one schema per pytest worker and run (`kanta_t_<run>_<worker>_<n>`, reached through
  the connection's search_path), migrated once; each test starts by emptying every table. The
  schema is dropped at the end, and a failed drop fails the run. Tests that need an empty
  database (migrations) get a schema of their own, dropped after the test.
- Where PostgreSQL is absent the PG leg skips with the reason; with KANTA_TEST_REQUIRE=postgres
  it fails (tests/conftest.py `postgres_url`).
"""

from __future__ import annotations

import os
import shutil
import uuid
from typing import TYPE_CHECKING
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import Engine, text

from kanta_docs.store.db import make_engine, session_factory, upgrade
from kanta_docs.store.tables import Base

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from sqlalchemy.orm import Session

RUN_ID = uuid.uuid4().hex[:8]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def schema_url(base_url: str, schema: str) -> str:
    """The PostgreSQL URL whose connections use `schema` first."""
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def create_schema(base_url: str, name: str) -> str:
    with psycopg.connect(_psycopg_url(base_url), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    return schema_url(base_url, name)


def drop_schema(base_url: str, name: str) -> None:
    with psycopg.connect(_psycopg_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:  # fold the WAL into the file so a plain copy is complete
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_engine(postgres_url: str) -> Iterator[Engine]:
    # A suffix of its own: other test folders re-use this fixture from their conftest, which
    # makes another session fixture in the same worker.
    name = f"kanta_t_{RUN_ID}_{WORKER}_{uuid.uuid4().hex[:6]}"
    engine = make_engine(create_schema(postgres_url, name))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        drop_schema(postgres_url, name)  # raises, failing the run, if it cannot


def _empty_pg(engine: Engine) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        # replica: the audit log's append-only triggers do not fire (superuser in tests only).
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "kanta.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        eng = make_engine(f"sqlite:///{path}")
        yield eng
        eng.dispose()
    else:
        eng = request.getfixturevalue("pg_schema_engine")
        _empty_pg(eng)
        yield eng


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (never migrated), on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        base = request.getfixturevalue("postgres_url")
        name = f"kanta_e_{RUN_ID}_{WORKER}_{uuid.uuid4().hex[:6]}"
        url = create_schema(base, name)
        try:
            yield url
        finally:
            drop_schema(base, name)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as s:
        yield s


def is_pg(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
