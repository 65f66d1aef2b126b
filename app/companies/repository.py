from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.models import (
    Capability,
    CatalogueChange,
    CatalogueState,
    Certification,
    Company,
    Site,
    WorkKind,
    utcnow,
)
from app.models.catalogue import CATALOGUE_ROW

KM_PER_DEGREE_LAT = 111.32


def _with_profile(stmt: Select[Company]) -> Select[Company]:
    return stmt.options(
        selectinload(Company.sites),
        selectinload(Company.capabilities).selectinload(Capability.sites),
        selectinload(Company.contacts),
        selectinload(Company.certifications),
    )


def get_company(session: Session, company_id: uuid.UUID) -> Company | None:
    return session.scalars(
        _with_profile(select(Company).where(Company.id == company_id))
    ).one_or_none()


def find_by_registration(session: Session, country: str, number: str) -> Company | None:
    return session.scalars(
        select(Company).where(
            Company.registration_country == country, Company.registration_number == number
        )
    ).one_or_none()


def known_certification_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Certification.code)))


def work_kind_parents(session: Session) -> dict[str, str | None]:
    rows = session.execute(select(WorkKind.code, WorkKind.parent_code))
    return {code: parent for code, parent in rows}


@dataclass(frozen=True, slots=True)
class CompanyFilters:
    work_kinds: Sequence[str] = ()  # kinds only: groups are expanded by the caller
    country: str | None = None
    q: str | None = None
    statuses: Sequence[str] = ("active",)
    near: tuple[float, float, float] | None = None  # lat, lon, radius_km
    company_id: uuid.UUID | None = None


def _bounding_box(lat: float, lon: float, radius_km: float) -> ColumnElement[bool]:
    dlat = radius_km / KM_PER_DEGREE_LAT
    dlon = radius_km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    return exists().where(
        Site.company_id == Company.id,
        Site.lat.between(lat - dlat, lat + dlat),
        Site.lon.between(lon - dlon, lon + dlon),
    )


def _filtered(filters: CompanyFilters) -> Select[Company]:
    stmt = select(Company)
    if filters.statuses:
        stmt = stmt.where(Company.status.in_(filters.statuses))
    if filters.work_kinds:
        stmt = stmt.where(
            exists().where(
                Capability.company_id == Company.id,
                Capability.work_kind_code.in_(filters.work_kinds),
            )
        )
    if filters.country:
        stmt = stmt.where(
            exists().where(Site.company_id == Company.id, Site.country == filters.country)
        )
    if filters.q:
        pattern = f"%{_escape_like(filters.q.lower())}%"
        stmt = stmt.where(
            or_(
                func.lower(Company.name).like(pattern, escape="\\"),
                func.lower(Company.description).like(pattern, escape="\\"),
                exists().where(
                    Site.company_id == Company.id,
                    func.lower(Site.city).like(pattern, escape="\\"),
                ),
            )
        )
    if filters.near is not None:
        stmt = stmt.where(_bounding_box(*filters.near))
    return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_companies(
    session: Session, filters: CompanyFilters, *, limit: int, offset: int
) -> tuple[list[Company], int]:
    stmt = _filtered(filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = session.scalars(
        _with_profile(stmt.order_by(Company.name, Company.id).limit(limit).offset(offset))
    ).all()
    return list(page), total


def list_all_candidates(session: Session, filters: CompanyFilters) -> list[Company]:
    """Every company passing the SQL filters, fully loaded (for exact distance filtering)."""
    return list(session.scalars(_with_profile(_filtered(filters))).all())


def bump_catalogue_version(session: Session, company_ids: Sequence[uuid.UUID]) -> int:
    """Move the catalogue version on and log which companies it touched; the new version.

    The UPDATE takes the state row's lock until commit, so versions commit in order.
    """
    now = utcnow()
    version = session.execute(
        update(CatalogueState)
        .where(CatalogueState.id == CATALOGUE_ROW)
        .values(version=CatalogueState.version + 1, changed_at=now)
        .returning(CatalogueState.version)
    ).scalar_one()
    session.execute(
        insert(CatalogueChange),
        [{"version": version, "company_id": cid, "changed_at": now} for cid in company_ids],
    )
    return int(version)
