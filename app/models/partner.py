"""Organisations that are not sheltered-work companies, what companies and organisations offer
and seek, partnerships between them, and local networks (issue 18, parts 3 to 5)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow


class Organisation(UUIDPrimaryKey, Timestamps, Base):
    """A light public profile: an employer, care institution, startup, municipality, ..."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('employer', 'employers-cooperative', 'care-institution', 'startup', "
            "'municipality', 'government', 'shop', 'design-studio', 'other')",
            name="kind",
        ),
    )

    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(2048))
    place: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class OrganisationMember(Base):
    """An account (a signed-in person, or the account a key acts for) that manages an
    organisation's profile. The creator becomes the first."""

    __tablename__ = "organisation_members"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProfileItem(UUIDPrimaryKey, Base):
    """One thing a company or an organisation offers or seeks: a kind of work, expertise, a
    material (with a volume) or a kind of partnership."""

    __tablename__ = "profile_items"
    __table_args__ = (
        CheckConstraint("(company_id IS NULL) <> (organisation_id IS NULL)", name="one_owner"),
        CheckConstraint("direction IN ('offers', 'seeks')", name="direction"),
        CheckConstraint(
            "facet IN ('work_kind', 'expertise', 'material', 'partnership')", name="facet"
        ),
    )

    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(8))
    facet: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(String(200))


class Partnership(UUIDPrimaryKey, Timestamps, Base):
    """A relation between an organisation and a company. Public only once both sides have
    confirmed it and neither has ended it."""

    __tablename__ = "partnerships"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('customer', 'supplier', 'full-partnership', 'cooperative-member')",
            name="kind",
        ),
        CheckConstraint("status IN ('proposed', 'active', 'ended')", name="status"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    # What flows each way: lists of {"facet", "code", "note"}.
    to_company: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    to_organisation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    since: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="proposed", index=True)
    company_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    organisation_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The call-out whose recorded outcome it grew from, if any.
    request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("requests.id", ondelete="SET NULL"), index=True
    )


class Network(UUIDPrimaryKey, Timestamps, Base):
    """A local network of companies and organisations around a shared goal."""

    __tablename__ = "networks"

    name: Mapped[str] = mapped_column(String(200), index=True)
    goal: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    website: Mapped[str | None] = mapped_column(String(2048))
    # The account that manages it: a company (for company members and keys) or a person.
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)


class NetworkMember(UUIDPrimaryKey, Base):
    __tablename__ = "network_members"
    __table_args__ = (
        CheckConstraint("(company_id IS NULL) <> (organisation_id IS NULL)", name="one_member"),
        CheckConstraint("role IN ('coordinator', 'member', 'supporter')", name="role"),
    )

    network_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RelationChange(Base):
    """The change feed of organisations, public partnerships and networks, in commit order of
    `seq` (partners read it with `GET /v1/changes/relations`)."""

    __tablename__ = "relation_changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    state: Mapped[str] = mapped_column(String(16))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
