"""The HSDS feed's reads: active companies, their capabilities and sites, the taxonomy.

Plain queries, one page at a time; every one of them keeps to active companies.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.models import Capability, Company, CompanyStatus, Site, WorkKind
from app.models.company import capability_sites


@dataclass(frozen=True, slots=True)
class ServiceFilters:
    """What narrows services (and service_at_locations); None is no filter."""

    search: str | None = None
    # Kinds of work the term(s) stand for: a set (maybe empty: nothing fits) or None.
    work_kinds: Collection[str] | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime | None = None
    # The kinds of work whose code or label holds `search` (the taxonomy knows them).
    kinds_matching: Sequence[str] = ()


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def work_kinds(session: Session) -> list[WorkKind]:
    return list(session.scalars(select(WorkKind).order_by(WorkKind.position, WorkKind.code)))


# --- organizations -----------------------------------------------------------------------------


def _organizations(search: str | None, kinds: Collection[str] | None) -> Select[Company]:
    stmt = select(Company).where(Company.status == CompanyStatus.active.value)
    if search:
        pattern = _like(search)
        stmt = stmt.where(or_(func.lower(Company.name).like(pattern, escape="\\"),
                              func.lower(Company.description).like(pattern, escape="\\")))
    if kinds is not None:
        stmt = stmt.where(exists().where(Capability.company_id == Company.id,
                                         Capability.work_kind_code.in_(list(kinds))))
    return stmt


def organizations_page(
    session: Session, *, search: str | None, kinds: Collection[str] | None,
    limit: int | None, offset: int,
) -> tuple[list[Company], int]:
    stmt = _organizations(search, kinds)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = stmt.order_by(Company.name, Company.id).offset(offset)
    if limit is not None:
        page = page.limit(limit)
    return list(session.scalars(page)), total


def active_company(session: Session, company_id: uuid.UUID) -> Company | None:
    """An active company with its sites and capabilities (and their sites)."""
    return session.scalars(
        select(Company)
        .where(Company.id == company_id, Company.status == CompanyStatus.active.value)
        .options(selectinload(Company.sites),
                 selectinload(Company.capabilities).options(
                     selectinload(Capability.sites), selectinload(Capability.company)))
    ).one_or_none()


# --- services ----------------------------------------------------------------------------------


def _service_filter(
    stmt: Select,
    filters: ServiceFilters,
    *,
    with_city: bool = False,
) -> Select:
    stmt = stmt.where(Company.status == CompanyStatus.active.value)
    if filters.search:
        pattern = _like(filters.search)
        found = [
            func.lower(Company.name).like(pattern, escape="\\"),
            func.lower(func.coalesce(Capability.notes, "")).like(pattern, escape="\\"),
            Capability.work_kind_code.in_(list(filters.kinds_matching)),
        ]
        if with_city:  # a place name finds the services offered there
            found.append(func.lower(func.coalesce(Site.city, "")).like(pattern, escape="\\"))
        stmt = stmt.where(or_(*found))
    if filters.work_kinds is not None:
        stmt = stmt.where(Capability.work_kind_code.in_(list(filters.work_kinds)))
    if filters.organization_id is not None:
        stmt = stmt.where(Company.id == filters.organization_id)
    if filters.modified_after is not None:
        stmt = stmt.where(or_(Company.updated_at >= filters.modified_after,
                              Capability.capacity_updated_at >= filters.modified_after))
    return stmt


def _capability_loads() -> tuple[ExecutableOption, ...]:
    return (
        selectinload(Capability.company).selectinload(Company.sites),
        selectinload(Capability.sites),
    )


def services_page(
    session: Session, filters: ServiceFilters, *, limit: int | None, offset: int
) -> tuple[list[Capability], int]:
    """Capabilities of active companies (each an HSDS service), with company and sites."""
    base = _service_filter(
        select(Capability.id).join(Company, Company.id == Capability.company_id),
        filters,
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    ids = base.order_by(Company.name, Capability.work_kind_code, Capability.id).offset(offset)
    if limit is not None:
        ids = ids.limit(limit)
    page_ids = list(session.scalars(ids))
    if not page_ids:
        return [], total
    rows = {c.id: c for c in session.scalars(
        select(Capability).where(Capability.id.in_(page_ids)).options(*_capability_loads())
    )}
    return [rows[i] for i in page_ids], total


def active_service(session: Session, service_id: uuid.UUID) -> Capability | None:
    return session.scalars(
        select(Capability)
        .join(Company, Company.id == Capability.company_id)
        .where(Capability.id == service_id, Company.status == CompanyStatus.active.value)
        .options(*_capability_loads())
    ).one_or_none()


# --- service at location -----------------------------------------------------------------------


def service_at_locations_page(
    session: Session, filters: ServiceFilters, *, limit: int | None, offset: int
) -> tuple[list[tuple[Capability, Site]], int]:
    """(capability, site) pairs: the sites a capability is limited to, else all its company's."""
    limited = exists().where(capability_sites.c.capability_id == Capability.id)
    linked = exists().where(capability_sites.c.capability_id == Capability.id,
                            capability_sites.c.site_id == Site.id)
    base = _service_filter(
        select(Capability.id, Site.id)
        .join(Company, Company.id == Capability.company_id)
        .join(Site, Site.company_id == Capability.company_id)
        .where(or_(~limited, linked)),
        filters, with_city=True,
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pairs_stmt = base.order_by(
        Company.name, Capability.work_kind_code, Capability.id, Site.position, Site.id
    ).offset(offset)
    if limit is not None:
        pairs_stmt = pairs_stmt.limit(limit)
    pairs = [(row[0], row[1]) for row in session.execute(pairs_stmt)]
    if not pairs:
        return [], total
    capabilities = {c.id: c for c in session.scalars(
        select(Capability).where(Capability.id.in_({c for c, _ in pairs}))
        .options(selectinload(Capability.company))
    )}
    sites = {s.id: s for s in session.scalars(
        select(Site).where(Site.id.in_({s for _, s in pairs}))
    )}
    return [(capabilities[c], sites[s]) for c, s in pairs], total
