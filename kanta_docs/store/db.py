"""Engines, sessions and migrations: the store's adapter to SQLAlchemy and Alembic.

SQLite (the embedded default) runs in WAL mode so readers do not block the writer, with foreign
keys on (off by default there) and a busy timeout so two writers wait instead of failing at once.
PostgreSQL gets `pool_pre_ping`, so a worker survives a server restart between two tasks.
Migrations run programmatically from the package (no alembic.ini to ship or find).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from kanta_docs.config import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# How long an SQLite writer waits for another's lock before "database is locked", in ms.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def database_url(settings: Settings) -> str:
    """The store URL: `KANTA_DATABASE_URL`, or the SQLite file under `KANTA_HOME` when empty."""
    return settings.resolved_database_url


def _normalise(url: str) -> str:
    # "postgresql://" means psycopg2 to SQLAlchemy; we ship psycopg 3.
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # In WAL mode NORMAL loses at most the last transactions on power loss, never corrupts.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for an SQLite or PostgreSQL URL, configured for the store."""
    url = _normalise(url)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to `engine`; objects stay readable after commit (no lazy reload)."""
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _run(engine_or_url: Engine | str, revision: str, *, up: bool) -> None:
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    cfg = _alembic_config()
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            if up:
                command.upgrade(cfg, revision)
            else:
                command.downgrade(cfg, revision)
    finally:
        if isinstance(engine_or_url, str):
            engine.dispose()


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Migrate the database to `revision` (default: the latest)."""
    _run(engine_or_url, revision, up=True)


def downgrade(engine_or_url: Engine | str, revision: str = "base") -> None:
    """Migrate the database down to `revision` (default: empty)."""
    _run(engine_or_url, revision, up=False)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
