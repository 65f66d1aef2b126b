from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, UUIDPrimaryKey


class RequestStatus(enum.StrEnum):
    draft = "draft"
    published = "published"
    closed = "closed"


class Request(UUIDPrimaryKey, Timestamps, Base):
    """An entrepreneur's stored request (hulpvraag): criteria plus who is asking."""

    __tablename__ = "requests"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'closed')", name="status"),
    )

    # The owning account (ApiKey.owner_id): the entrepreneur, or the partner that made it on
    # behalf of its user. Not a key id, so rotating a key keeps the request reachable.
    owner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.draft.value, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
