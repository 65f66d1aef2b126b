"""standing call-outs and saved searches: companies to check against open call-outs, how an
invitation came, saved searches with their alerts and what each has seen

Revision ID: 0340
Revises: 0330
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0340"
down_revision: str | None = "0330"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standing_checks",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standing_checks")),
    )
    with op.batch_alter_table("standing_checks") as batch:
        batch.create_index(batch.f("ix_standing_checks_company_id"), ["company_id"])
        batch.create_index(batch.f("ix_standing_checks_done_at"), ["done_at"])

    with op.batch_alter_table("invitations") as batch:
        batch.add_column(sa.Column("source", sa.String(length=16), nullable=False,
                                   server_default="publish"))

    op.create_table(
        "saved_searches",
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_alert_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_version", sa.BigInteger(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("frequency IN ('instant', 'daily', 'weekly')",
                           name=op.f("ck_saved_searches_frequency")),
        sa.CheckConstraint("channel IN ('email', 'webhook')",
                           name=op.f("ck_saved_searches_channel")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_searches")),
    )
    with op.batch_alter_table("saved_searches") as batch:
        batch.create_index(batch.f("ix_saved_searches_owner_id"), ["owner_id"])

    op.create_table(
        "alert_runs",
        sa.Column("saved_search_id", sa.Uuid(), nullable=False),
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("companies", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_search_id"], ["saved_searches.id"],
            name=op.f("fk_alert_runs_saved_search_id_saved_searches"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_runs")),
        sa.UniqueConstraint("saved_search_id", "slot",
                            name=op.f("uq_alert_runs_saved_search_id_slot")),
    )
    with op.batch_alter_table("alert_runs") as batch:
        batch.create_index(batch.f("ix_alert_runs_saved_search_id"), ["saved_search_id"])

    op.create_table(
        "alert_seen",
        sa.Column("saved_search_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["saved_search_id"], ["saved_searches.id"],
            name=op.f("fk_alert_seen_saved_search_id_saved_searches"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("saved_search_id", "company_id", name=op.f("pk_alert_seen")),
    )


def downgrade() -> None:
    op.drop_table("alert_seen")
    with op.batch_alter_table("alert_runs") as batch:
        batch.drop_index(batch.f("ix_alert_runs_saved_search_id"))
    op.drop_table("alert_runs")
    with op.batch_alter_table("saved_searches") as batch:
        batch.drop_index(batch.f("ix_saved_searches_owner_id"))
    op.drop_table("saved_searches")
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("standing_checks") as batch:
        batch.drop_index(batch.f("ix_standing_checks_done_at"))
        batch.drop_index(batch.f("ix_standing_checks_company_id"))
    op.drop_table("standing_checks")
