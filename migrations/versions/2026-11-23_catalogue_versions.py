"""catalogue versions and a change log, so workers update their catalogue incrementally

Replaces the random catalogue token by an epoch plus a version that increases by one per
change transaction, and records which companies each version touched.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalogue_state") as batch:
        batch.alter_column("token", new_column_name="epoch", existing_type=sa.String(32))
        batch.add_column(
            sa.Column("version", sa.BigInteger(), nullable=False, server_default="0")
        )
    op.execute(
        sa.text("UPDATE catalogue_state SET epoch = :epoch").bindparams(epoch=uuid.uuid4().hex)
    )
    op.create_table(
        "catalogue_changes",
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version", "company_id", name=op.f("pk_catalogue_changes")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_changes")
    with op.batch_alter_table("catalogue_state") as batch:
        batch.drop_column("version")
        batch.alter_column("epoch", new_column_name="token", existing_type=sa.String(32))
