"""Export fixtures: a migrated SQLite store per test, copied from the store tests' template."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from kanta_docs.store.db import make_engine, session_factory
from tests.integration.store.conftest import sqlite_template

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

__all__ = ["sqlite_template"]  # re-exported: pytest finds fixtures by name in this module


@pytest.fixture
def engine(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "kanta.sqlite3"
    shutil.copyfile(sqlite_template, path)
    eng = make_engine(f"sqlite:///{path}")
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as s:
        yield s
