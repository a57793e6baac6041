"""The SQL store, source of truth: tables (SQLAlchemy 2), Alembic migrations, firm-scoped
repositories. SQLite by default, PostgreSQL in production; the same code and tests run on both.

Import the submodules (`kanta_docs.store.db`, `.tables`, `.repositories`) directly: this package
stays empty so that importing one does not pull in the others.
"""
