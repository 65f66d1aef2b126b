"""procurement facts on companies: PSO level with its certificate date, and the share of
target-group workers with the day it was stated (eligibility for reserved contracts is
derived from the share, not stored)

Revision ID: 0320
Revises: 0340
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0320"
down_revision: str | None = "0340"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The PSO ladder's codes as they stand today (app/matching/procurement.py: PSO_CODES).
PSO_LEVELS = ("aspirant", "basistrede", "trede-1", "trede-2", "trede-3", "30-plus")


def upgrade() -> None:
    levels = ", ".join(f"'{code}'" for code in PSO_LEVELS)
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("pso_level", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("pso_certified_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("target_group_share", sa.Float(), nullable=True))
        batch.add_column(sa.Column("target_group_share_stated_on", sa.Date(), nullable=True))
        batch.create_check_constraint(
            batch.f("ck_companies_pso_level"), f"pso_level IN ({levels})"
        )
        batch.create_check_constraint(
            batch.f("ck_companies_target_group_share"), "target_group_share BETWEEN 0 AND 100"
        )


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.drop_constraint(batch.f("ck_companies_target_group_share"), type_="check")
        batch.drop_constraint(batch.f("ck_companies_pso_level"), type_="check")
        batch.drop_column("target_group_share_stated_on")
        batch.drop_column("target_group_share")
        batch.drop_column("pso_certified_on")
        batch.drop_column("pso_level")
