"""idempotency records for POSTs, and the company change history

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_records",
        sa.Column("scope", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_headers", sa.JSON(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_idempotency_records_scope_key")),
    )
    with op.batch_alter_table("idempotency_records") as batch:
        batch.create_index(batch.f("ix_idempotency_records_expires_at"), ["expires_at"])

    op.create_table(
        "company_changes",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_key_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("actor_role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"],
            name=op.f("fk_company_changes_company_id_companies"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_changes")),
    )
    with op.batch_alter_table("company_changes") as batch:
        batch.create_index(batch.f("ix_company_changes_company_id"), ["company_id"])
        batch.create_index(batch.f("ix_company_changes_changed_at"), ["changed_at"])

    op.create_table(
        "company_change_subjects",
        sa.Column("change_id", sa.Uuid(), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"], ["company_changes.id"],
            name=op.f("fk_company_change_subjects_change_id_company_changes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "change_id", "subject_hash", name=op.f("pk_company_change_subjects")
        ),
    )
    with op.batch_alter_table("company_change_subjects") as batch:
        batch.create_index(batch.f("ix_company_change_subjects_subject_hash"), ["subject_hash"])


def downgrade() -> None:
    op.drop_table("company_change_subjects")
    op.drop_table("company_changes")
    op.drop_table("idempotency_records")
