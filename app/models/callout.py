from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class InvitationStatus(enum.StrEnum):
    pending = "pending"
    interested = "interested"
    declined = "declined"
    expired = "expired"


class Callout(Base):
    """The call-out of one request (oproep): when it was published, until when companies may
    answer, when it closed and what the entrepreneur went on with."""

    __tablename__ = "callouts"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True
    )
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    respond_by: Mapped[date] = mapped_column(Date)
    # The end of `respond_by` in the loket's time zone: the worker closes the call-out then.
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_reason: Mapped[str | None] = mapped_column(String(16))
    # Language of the entrepreneur's mails (from Accept-Language at publish time).
    language: Mapped[str] = mapped_column(String(2), default="nl")
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Invitation(UUIDPrimaryKey, Base):
    """A company invited by a call-out, and its answer (one per invitation, changeable until
    the call-out closes)."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("request_id", "company_id"),
        CheckConstraint(
            "status IN ('pending', 'interested', 'declined', 'expired')", name="status"
        ),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(
        String(16), default=InvitationStatus.pending.value, index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    distance_km: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message: Mapped[str | None] = mapped_column(Text)
    capacity_offered: Mapped[int | None] = mapped_column(Integer)
    earliest_start: Mapped[date | None] = mapped_column(Date)
    # The emailed answer link is single-use: its token names this nonce, and using it sets
    # link_used_at.
    link_nonce: Mapped[str] = mapped_column(String(32))
    link_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # First opened by the company (a member, its key or an answer link): state `viewed`.
    viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The entrepreneur went on with this company (the call-out's outcome).
    chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    # How it came: `publish` (the call-out), `standing` (a company that fitted later, while
    # the call-out was open) or `widen` (the entrepreneur widened the criteria).
    source: Mapped[str] = mapped_column(String(16), default="publish", server_default="publish")
