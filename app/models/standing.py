"""Standing call-outs and saved searches: the work a profile change leaves for the worker,
and the alerts of saved searches (what was sent, what each search has seen)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class StandingCheck(UUIDPrimaryKey, Base):
    """A company whose profile or status changed: the worker checks it against every open
    call-out (and invites it where it now fits). Written in the transaction of the change."""

    __tablename__ = "standing_checks"

    # No foreign key: a removed company's row is simply found fitting nothing.
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class AlertFrequency(enum.StrEnum):
    instant = "instant"
    daily = "daily"
    weekly = "weekly"


class SavedSearch(UUIDPrimaryKey, Base):
    """A person's or partner's saved criteria, alerted by mail (people) or by the webhook
    event `alert.matched` (partner keys) when new companies fit."""

    __tablename__ = "saved_searches"
    __table_args__ = (
        CheckConstraint("frequency IN ('instant', 'daily', 'weekly')", name="frequency"),
        CheckConstraint("channel IN ('email', 'webhook')", name="channel"),
    )

    # The owning account (Principal.owner): a person's user id or a partner's account.
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    frequency: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(8))
    # Where mail goes (people), in which language.
    email: Mapped[str | None] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Alerts stop once unsubscribed (the mail's one-click link, or the API).
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Instant alerts: the catalogue version last looked at; daily and weekly: the send slot.
    checked_version: Mapped[int] = mapped_column(BigInteger, default=0)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AlertRun(UUIDPrimaryKey, Base):
    """One alert of a saved search: unique per (search, slot), so a worker that restarts
    mid-batch never alerts one slot twice (the slot is the scheduled send time, or the
    catalogue version for instant alerts)."""

    __tablename__ = "alert_runs"
    __table_args__ = (UniqueConstraint("saved_search_id", "slot"),)

    saved_search_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), index=True
    )
    slot: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    companies: Mapped[int] = mapped_column(Integer, default=0)


class AlertSeen(Base):
    """A company a saved search has already shown (at saving, or in an alert): an alert lists
    only companies not seen before."""

    __tablename__ = "alert_seen"

    saved_search_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
