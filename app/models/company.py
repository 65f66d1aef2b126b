from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.matching.procurement import PSO_CODES
from app.models.base import Base, Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow

PSO_LEVELS_SQL = ", ".join(f"'{code}'" for code in PSO_CODES)


class CompanyStatus(enum.StrEnum):
    pending = "pending"
    active = "active"
    inactive = "inactive"


class Certification(Base):
    __tablename__ = "certifications"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label_nl: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    label_fr: Mapped[str] = mapped_column(String(120), server_default="", default="")


class CompanyCertification(Base):
    __tablename__ = "company_certifications"

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    certification_code: Mapped[str] = mapped_column(
        ForeignKey("certifications.code", ondelete="RESTRICT"), primary_key=True, index=True
    )


class Company(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "companies"
    __table_args__ = (
        UniqueConstraint("registration_country", "registration_number"),
        CheckConstraint("status IN ('pending', 'active', 'inactive')", name="status"),
        CheckConstraint(f"pso_level IN ({PSO_LEVELS_SQL})", name="pso_level"),
        CheckConstraint("target_group_share BETWEEN 0 AND 100", name="target_group_share"),
    )

    name: Mapped[str] = mapped_column(String(200), index=True)
    registration_country: Mapped[str] = mapped_column(String(2))
    registration_number: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(2048))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=CompanyStatus.pending.value, index=True)
    available_from: Mapped[date | None] = mapped_column(Date)
    # Procurement facts (app/matching/procurement.py): the PSO level with its certificate
    # date, and the share (percent) of target-group workers with the day it was stated.
    # Eligibility for reserved contracts is derived from the share, never stored.
    pso_level: Mapped[str | None] = mapped_column(String(16))
    pso_certified_on: Mapped[date | None] = mapped_column(Date)
    target_group_share: Mapped[float | None] = mapped_column(Float)
    target_group_share_stated_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    sites: Mapped[list[Site]] = relationship(
        back_populates="company",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Site.position",
    )
    capabilities: Mapped[list[Capability]] = relationship(
        back_populates="company",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Capability.work_kind_code",
    )
    contacts: Mapped[list[ContactPerson]] = relationship(
        back_populates="company",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ContactPerson.position",
    )
    certifications: Mapped[list[CompanyCertification]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="CompanyCertification.certification_code",
    )


class ContactPerson(UUIDPrimaryKey, Base):
    """Personal data: shown only to authorised callers."""

    __tablename__ = "contact_persons"

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))

    company: Mapped[Company] = relationship(back_populates="contacts", lazy="raise")


capability_sites = Table(
    "capability_sites",
    Base.metadata,
    Column(
        "capability_id",
        ForeignKey("capabilities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Site(UUIDPrimaryKey, Base):
    __tablename__ = "sites"
    __table_args__ = (
        UniqueConstraint("company_id", "name"),
        CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint("service_radius_km > 0", name="radius_positive"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(16))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    # How the coordinates were obtained: given by the client, or geocoded from postcode/place.
    location_source: Mapped[str] = mapped_column(String(16), default="given")
    service_radius_km: Mapped[float] = mapped_column(Float, default=50.0)

    company: Mapped[Company] = relationship(back_populates="sites", lazy="raise")


class Capability(UUIDPrimaryKey, Base):
    __tablename__ = "capabilities"
    __table_args__ = (
        UniqueConstraint("company_id", "work_kind_code"),
        CheckConstraint("capacity_workers >= 0", name="capacity_non_negative"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    work_kind_code: Mapped[str] = mapped_column(
        ForeignKey("work_kinds.code", ondelete="RESTRICT"), index=True
    )
    capacity_workers: Mapped[int] = mapped_column(Integer, default=0)
    batch_min: Mapped[int | None] = mapped_column(Integer)
    batch_max: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    capacity_updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    company: Mapped[Company] = relationship(back_populates="capabilities", lazy="raise")
    sites: Mapped[list[Site]] = relationship(
        secondary=capability_sites, lazy="raise", order_by="Site.position"
    )
