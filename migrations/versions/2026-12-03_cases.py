"""cases: good practices with their kinds of work, companies, revisions, and full-text search
(a Dutch+English tsvector with a GIN index on PostgreSQL, an FTS5 table on SQLite)

Revision ID: 0300
Revises: 0310
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0300"
down_revision: str | None = "0310"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("story", sa.Text(), nullable=False),
        sa.Column("resources", sa.Text(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("transfer", sa.Text(), nullable=False),
        sa.Column("target_group_jobs", sa.Integer(), nullable=True),
        sa.Column("volume", sa.Integer(), nullable=True),
        sa.Column("volume_unit", sa.String(length=60), nullable=True),
        sa.Column("duration_months", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("region", sa.String(length=6), nullable=True),
        sa.Column("year_started", sa.Integer(), nullable=True),
        sa.Column("partners", sa.JSON(), nullable=False),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_role", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("contact_consent", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("author_role", sa.String(length=16), nullable=False),
        sa.Column("author_company_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "search_vector", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"),
            nullable=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'published')", name=op.f("ck_cases_status")
        ),
        sa.ForeignKeyConstraint(
            ["author_company_id"], ["companies.id"],
            name=op.f("fk_cases_author_company_id_companies"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name=op.f("fk_cases_request_id_requests"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    with op.batch_alter_table("cases") as batch:
        batch.create_index(batch.f("ix_cases_status"), ["status"])
        batch.create_index(batch.f("ix_cases_region"), ["region"])
        batch.create_index(batch.f("ix_cases_year_started"), ["year_started"])
        batch.create_index(batch.f("ix_cases_author_id"), ["author_id"])
        batch.create_index(batch.f("ix_cases_author_company_id"), ["author_company_id"])
        batch.create_index(batch.f("ix_cases_request_id"), ["request_id"])
        batch.create_index(batch.f("ix_cases_published_at"), ["published_at"])
        batch.create_index(
            "ix_cases_search_vector", ["search_vector"], postgresql_using="gin"
        )

    op.create_table(
        "case_work_kinds",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("work_kind", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_work_kinds_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["work_kind"], ["work_kinds.code"],
            name=op.f("fk_case_work_kinds_work_kind_work_kinds"), ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("case_id", "work_kind", name=op.f("pk_case_work_kinds")),
    )
    with op.batch_alter_table("case_work_kinds") as batch:
        batch.create_index(
            "ix_case_work_kinds_work_kind_case_id", ["work_kind", "case_id"]
        )

    op.create_table(
        "case_companies",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_companies_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"],
            name=op.f("fk_case_companies_company_id_companies"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "company_id", name=op.f("pk_case_companies")),
    )
    with op.batch_alter_table("case_companies") as batch:
        batch.create_index(batch.f("ix_case_companies_company_id"), ["company_id"])

    op.create_table(
        "case_revisions",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("author_role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_revisions_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_revisions")),
    )
    with op.batch_alter_table("case_revisions") as batch:
        batch.create_index(batch.f("ix_case_revisions_case_id"), ["case_id"])

    if op.get_bind().dialect.name == "sqlite":
        # Text already stemmed in Python (Dutch and English Snowball), so the tokenizer only
        # splits and folds; case_id joins back to cases.id.
        op.execute(
            "CREATE VIRTUAL TABLE cases_fts USING fts5("
            "case_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE cases_fts")
    op.drop_table("case_revisions")
    op.drop_table("case_companies")
    op.drop_table("case_work_kinds")
    op.drop_table("cases")
