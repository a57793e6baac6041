"""Alembic environment: runs on the connection `kanta_docs.store.db` hands over (or a URL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import context

from kanta_docs.store.tables import Base

if TYPE_CHECKING:
    from sqlalchemy import Connection

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over the given connection, else over an engine made from `sqlalchemy.url`."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from kanta_docs.store.db import make_engine

    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
