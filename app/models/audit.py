from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class CompanyChange(UUIDPrimaryKey, Base):
    """One change to a company profile: who, when, and each field's before and after.

    Personal data (contact persons) is never stored here, only "[redacted]"; the people a
    change touched are linked through `company_change_subjects` so a GDPR request can find
    and scrub those entries.
    """

    __tablename__ = "company_changes"

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # No foreign key: the trail must outlive the key that made the change.
    actor_key_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_name: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class CompanyChangeSubject(Base):
    """A person a change touched, by a hash of their email (never the address itself); the
    link is dropped when the person is erased."""

    __tablename__ = "company_change_subjects"

    change_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("company_changes.id", ondelete="CASCADE"), primary_key=True
    )
    subject_hash: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
