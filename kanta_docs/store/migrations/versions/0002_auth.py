"""Authentication and access: users' credentials and MFA, recovery codes, login sessions
(refresh tokens), API keys, dossier assignments, and the firm's contract end date.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
LOG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)

USER_COLUMNS = (
    ("password_hash", sa.String(200)),
    ("password_changed_at", TS),
    ("totp_secret", sa.String(300)),
    ("totp_last_step", sa.BigInteger()),
    ("mfa_enabled_at", TS),
    ("disabled_at", TS),
    ("created_at", TS),
)


def upgrade() -> None:
    """Add the credential columns and the access tables."""
    op.add_column("firms", sa.Column("contract_end_date", sa.Date(), nullable=True))
    for name, type_ in USER_COLUMNS:
        op.add_column("users", sa.Column(name, type_, nullable=True))
    op.create_index("uq_users_email", "users", ["email"], unique=True)
    op.create_table(
        "recovery_codes",
        sa.Column("id", LOG_ID, autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(200), nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_recovery_codes_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_codes"),
    )
    op.create_index("ix_recovery_codes_user_id", "recovery_codes", ["user_id"])
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("address", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_auth_sessions_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_auth_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_auth_sessions_token_hash"),
    )
    op.create_index("ix_auth_sessions_user_id", "auth_sessions", ["user_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("firm_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(20), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("scopes", JSON, nullable=False),
        sa.Column("created_by", sa.String(320), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("last_used_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["firm_id"], ["firms.id"], name="fk_api_keys_firm_id_firms",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
    )
    op.create_table(
        "dossier_assignments",
        sa.Column("dossier_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_at", TS, nullable=False),
        sa.Column("assigned_by", sa.String(320), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"],
                                name="fk_dossier_assignments_dossier_id_dossiers",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name="fk_dossier_assignments_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("dossier_id", "user_id", name="pk_dossier_assignments"),
    )
    op.create_index("ix_dossier_assignments_user_id", "dossier_assignments", ["user_id"])


def downgrade() -> None:
    """Drop the access tables and the added columns."""
    op.drop_index("ix_dossier_assignments_user_id", table_name="dossier_assignments")
    op.drop_table("dossier_assignments")
    op.drop_table("api_keys")
    op.drop_index("ix_auth_sessions_user_id", table_name="auth_sessions")
    op.drop_table("auth_sessions")
    op.drop_index("ix_recovery_codes_user_id", table_name="recovery_codes")
    op.drop_table("recovery_codes")
    op.drop_index("uq_users_email", table_name="users")
    with op.batch_alter_table("users") as batch:  # SQLite drops columns by recreating the table
        for name, _ in reversed(USER_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("firms") as batch:
        batch.drop_column("contract_end_date")
