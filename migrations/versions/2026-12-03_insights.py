"""insights: the demand queue, its per-cell roll-up with requester sketches, the released
atoms and their sums per dimension, the monthly salts for anonymous searchers, and the
refresh state

Revision ID: 0310
Revises: 0320
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0310"
down_revision: str | None = "0320"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCE_CHECK = "source IN ('search', 'request', 'callout', 'thin_callout')"


def upgrade() -> None:
    op.create_table(
        "insight_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("work_kind", sa.String(length=64), nullable=False),
        sa.Column("municipality_id", sa.String(length=160), nullable=False),
        sa.Column("requester", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(SOURCE_CHECK, name=op.f("ck_insight_events_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_events")),
    )
    op.create_table(
        "insight_cells",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("work_kind", sa.String(length=64), nullable=False),
        sa.Column("municipality_id", sa.String(length=160), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("sketch", sa.Text(), nullable=False),
        sa.CheckConstraint(SOURCE_CHECK, name=op.f("ck_insight_cells_source")),
        sa.PrimaryKeyConstraint(
            "source", "month", "work_kind", "municipality_id", name=op.f("pk_insight_cells")
        ),
    )
    op.create_table(
        "insight_atoms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("work_kind", sa.String(length=64), nullable=False),
        sa.Column("work_group", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("province_id", sa.String(length=120), nullable=False),
        sa.Column("municipality_id", sa.String(length=160), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.CheckConstraint(SOURCE_CHECK, name=op.f("ck_insight_atoms_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_atoms")),
    )
    op.create_index("ix_insight_atoms_source_month", "insight_atoms", ["source", "month"])
    op.create_table(
        "insight_sums",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.CheckConstraint(SOURCE_CHECK, name=op.f("ck_insight_sums_source")),
        sa.PrimaryKeyConstraint("dimension", "source", "month", "key",
                                name=op.f("pk_insight_sums")),
    )
    op.create_table(
        "insight_salts",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_insight_salts")),
    )
    op.create_table(
        "insight_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_state")),
    )
    state = sa.table(
        "insight_state", sa.column("id", sa.Integer()),
        sa.column("refreshed_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(state, [{"id": 1, "refreshed_at": None}])


def downgrade() -> None:
    op.drop_table("insight_state")
    op.drop_table("insight_salts")
    op.drop_table("insight_sums")
    op.drop_index("ix_insight_atoms_source_month", table_name="insight_atoms")
    op.drop_table("insight_atoms")
    op.drop_table("insight_cells")
    op.drop_table("insight_events")
