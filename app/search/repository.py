"""The queries of search: the catalogue version, every row matching needs, and the cards of
the matched sites."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.matching.catalogue import NO_DATE, CatalogueColumns
from app.matching.types import Taxonomy, WorkKindNode
from app.models import (
    Capability,
    Case,
    CaseCompany,
    CaseWorkKind,
    CatalogueState,
    Certification,
    Company,
    CompanyCertification,
    CompanyStatus,
    Site,
    WorkKind,
)
from app.models.catalogue import CATALOGUE_ROW
from app.models.company import capability_sites


def catalogue_version(session: Session) -> tuple[str, int]:
    """The epoch and version of the profiles (moved by every profile change, see
    app/companies/service.py: record_profile_change)."""
    epoch, version = session.execute(
        select(CatalogueState.epoch, CatalogueState.version).where(
            CatalogueState.id == CATALOGUE_ROW
        )
    ).one()
    return epoch, version


def taxonomy(session: Session) -> Taxonomy:
    return Taxonomy(
        nodes=tuple(
            WorkKindNode(code=k.code, parent=k.parent_code, label_nl=k.label_nl,
                         label_en=k.label_en, label_fr=k.label_fr)
            for k in session.scalars(select(WorkKind).order_by(WorkKind.position))
        )
    )


def certification_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Certification.code)))


def catalogue_columns(session: Session) -> CatalogueColumns:
    """Every row matching needs, in this transaction (the version read before belongs to them);
    Core columns, as their rows come back about twice as fast as ORM attributes'."""
    companies, sites = Company.__table__, Site.__table__
    certs, caps = CompanyCertification.__table__, Capability.__table__
    company_rows = session.execute(
        select(companies.c.id, companies.c.status, companies.c.available_from,
               companies.c.pso_level, companies.c.pso_certified_on,
               companies.c.target_group_share, companies.c.target_group_share_stated_on)
    ).all()
    company_at = {row[0]: i for i, row in enumerate(company_rows)}
    cert_rows = session.execute(
        select(certs.c.company_id, certs.c.certification_code)
    ).all()
    site_rows = session.execute(
        select(sites.c.id, sites.c.company_id, sites.c.lat, sites.c.lon,
               sites.c.service_radius_km)
    ).all()
    site_at = {row[0]: i for i, row in enumerate(site_rows)}
    cap_rows = session.execute(
        select(caps.c.id, caps.c.company_id, caps.c.work_kind_code, caps.c.capacity_workers,
               caps.c.capacity_updated_at)
    ).all()
    cap_at = {row[0]: i for i, row in enumerate(cap_rows)}
    limits = session.execute(
        select(capability_sites.c.capability_id, capability_sites.c.site_id)
    ).all()
    return CatalogueColumns(
        company_ids=[str(row[0]) for row in company_rows],
        company_active=[row[1] == CompanyStatus.active for row in company_rows],
        company_available=[row[2].toordinal() if row[2] else NO_DATE for row in company_rows],
        cert_company=[company_at[row[0]] for row in cert_rows],
        cert_code=[row[1] for row in cert_rows],
        site_ids=[str(row[0]) for row in site_rows],
        site_company=[company_at[row[1]] for row in site_rows],
        site_lat=[row[2] for row in site_rows],
        site_lon=[row[3] for row in site_rows],
        site_radius_km=[row[4] for row in site_rows],
        cap_company=[company_at[row[1]] for row in cap_rows],
        cap_kind=[row[2] for row in cap_rows],
        cap_workers=[row[3] for row in cap_rows],
        cap_updated_at=[row[4] for row in cap_rows],
        restrict_cap=[cap_at[row[0]] for row in limits],
        restrict_site=[site_at[row[1]] for row in limits],
        company_pso_level=[row[3] for row in company_rows],
        company_pso_date=[row[4].toordinal() if row[4] else NO_DATE for row in company_rows],
        company_target_share=[row[5] for row in company_rows],
        company_share_date=[row[6].toordinal() if row[6] else NO_DATE for row in company_rows],
    )


class Card(NamedTuple):
    """What an answer shows of a matched site and its company."""

    site_id: uuid.UUID
    site_name: str
    city: str | None
    country: str
    lat: float
    lon: float
    company_id: uuid.UUID
    company_name: str
    email: str | None
    phone: str | None
    website: str | None


def cards(session: Session, site_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Card]:
    """Cards by site id, in one query."""
    rows = session.execute(
        select(Site.id, Site.name, Site.city, Site.country, Site.lat, Site.lon, Company.id,
               Company.name, Company.email, Company.phone, Company.website)
        .join(Company, Company.id == Site.company_id)
        .where(Site.id.in_(list(site_ids)))
    )
    return {row[0]: Card._make(row) for row in rows}


def published_case_kinds(
    session: Session, company_ids: Iterable[uuid.UUID], kinds: Iterable[str]
) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    """(company, case, kind) for the published cases that name these companies (confirmed)
    and are about these kinds: one query for a whole answer, not one per match."""
    companies, codes = list(company_ids), list(kinds)
    if not companies or not codes:
        return []
    rows = session.execute(
        select(CaseCompany.company_id, Case.id, CaseWorkKind.work_kind)
        .join(Case, Case.id == CaseCompany.case_id)
        .join(CaseWorkKind, CaseWorkKind.case_id == Case.id)
        .where(CaseCompany.company_id.in_(companies), CaseCompany.confirmed_at.is_not(None),
               Case.status == "published", CaseWorkKind.work_kind.in_(codes))
    )
    return [(company, case, kind) for company, case, kind in rows]
