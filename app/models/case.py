from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from app.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow

# The full-text document: a `tsvector` (Dutch and English stems) on PostgreSQL. SQLite keeps
# its text index in the FTS5 table `cases_fts` instead (see FTS_TABLE), so there the column
# stays empty.
SEARCH_VECTOR: TypeEngine[Any] = TSVECTOR().with_variant(Text(), "sqlite")
# SQLite's FTS5 virtual table and its shadow tables: made by the migration, not by the models.
FTS_TABLE = "cases_fts"


class CaseStatus(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"
    published = "published"


class Case(UUIDPrimaryKey, Timestamps, Base):
    """A good practice (case): one collaboration told for others to learn from. Shaped after
    the Interreg Europe good-practice template: location (place, region), description
    (summary, story), resources, evidence of success (results), potential for transfer
    (transfer, lessons)."""

    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted', 'published')", name="status"),
        Index("ix_cases_search_vector", "search_vector", postgresql_using="gin"),
    )

    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.draft.value, index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Markdown, rendered to sanitised HTML when shown.
    story: Mapped[str] = mapped_column(Text, default="")
    resources: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    transfer: Mapped[str] = mapped_column(Text, default="")
    target_group_jobs: Mapped[int | None] = mapped_column(Integer)
    volume: Mapped[int | None] = mapped_column(Integer)
    volume_unit: Mapped[str | None] = mapped_column(String(60))
    duration_months: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # ISO 3166-2 code of the province (NL-NB, BE-VAN, ...).
    region: Mapped[str | None] = mapped_column(String(6), index=True)
    year_started: Mapped[int | None] = mapped_column(Integer, index=True)
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_role: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    # The contact agreed to be named publicly; without it the contact is never shown.
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who wrote it: the account (ApiKey.owner_id / user id), its role and company.
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    author_name: Mapped[str] = mapped_column(String(200))
    author_role: Mapped[str] = mapped_column(String(16))
    author_company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), index=True
    )
    # Born from this call-out's request.
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("requests.id", ondelete="SET NULL"), index=True
    )
    # The operator's word when sending it back.
    review_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    search_vector: Mapped[Any] = mapped_column(SEARCH_VECTOR, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CaseWorkKind(Base):
    """A kind of work a case is about (kinds only, not groups)."""

    __tablename__ = "case_work_kinds"
    __table_args__ = (Index("ix_case_work_kinds_work_kind_case_id", "work_kind", "case_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    work_kind: Mapped[str] = mapped_column(
        ForeignKey("work_kinds.code", ondelete="RESTRICT"), primary_key=True
    )


class CaseCompany(Base):
    """A sheltered-work company involved in a case. It is named publicly only once a member
    of it confirmed (or it wrote the case itself, or an operator did)."""

    __tablename__ = "case_companies"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CaseRevision(UUIDPrimaryKey, Base):
    """Every change to a case: who, when, what it did, and the case's content after it."""

    __tablename__ = "case_revisions"

    case_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    # created, edited, submitted, published, sent_back, confirmed
    action: Mapped[str] = mapped_column(String(16))
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    author_name: Mapped[str] = mapped_column(String(200))
    author_role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    changed: Mapped[list[str]] = mapped_column(JSON, default=list)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """For alembic's comparison: SQLite's FTS5 table (and its shadow tables) are made by the
    migration on purpose and have no model."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))
