"""Users given a password by someone else (an administrator) must change it before anything else.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `users.password_must_change`, false for every existing user."""
    op.add_column("users", sa.Column("password_must_change", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("users") as batch:  # SQLite drops columns by recreating the table
        batch.drop_column("password_must_change")
