from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

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

CATALOGUE_ROW = 1


def touch_catalogue(session: Session, company_ids: Iterable[uuid.UUID]) -> int:
    """Record, in the caller's transaction, that these companies changed for matching.

    The UPDATE takes the state row's lock until commit, so versions commit in order and a
    worker that has seen version N has seen every change up to N.
    """
    version = session.execute(
        update(CatalogueState)
        .where(CatalogueState.id == CATALOGUE_ROW)
        .values(version=CatalogueState.version + 1, changed_at=utcnow())
        .returning(CatalogueState.version)
    ).scalar_one()
    now = utcnow()
    session.execute(
        insert(CatalogueChange),
        [{"version": version, "company_id": cid, "changed_at": now} for cid in set(company_ids)],
    )
    return version


def catalogue_version(session: Session) -> tuple[str, int]:
    row = session.execute(
        select(CatalogueState.epoch, CatalogueState.version).where(
            CatalogueState.id == CATALOGUE_ROW
        )
    ).one()
    return row.epoch, row.version


def changed_company_ids(session: Session, after: int, upto: int) -> set[uuid.UUID]:
    return set(
        session.scalars(
            select(CatalogueChange.company_id).where(
                CatalogueChange.version > after, CatalogueChange.version <= upto
            )
        )
    )


def all_work_kinds(session: Session) -> list[WorkKind]:
    return list(session.scalars(select(WorkKind).order_by(WorkKind.position)))


def companies_for_matching(
    session: Session, company_ids: Iterable[uuid.UUID] | None = None
) -> list[Company]:
    """Companies with what matching needs; all of them when no ids are given."""
    stmt = select(Company)
    if company_ids is not None:
        stmt = stmt.where(Company.id.in_(list(company_ids)))
    return list(
        session.scalars(
            stmt.options(
                selectinload(Company.sites),
                selectinload(Company.capabilities).selectinload(Capability.sites),
                selectinload(Company.certifications),
            )
        )
    )


def certification_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Certification.code)))


def cards_for(
    session: Session, company_ids: Iterable[uuid.UUID], site_ids: Iterable[uuid.UUID]
) -> tuple[dict[uuid.UUID, Company], dict[uuid.UUID, Site]]:
    """What a match answer shows of its top companies and sites, in two small queries."""
    companies = session.scalars(select(Company).where(Company.id.in_(list(company_ids))))
    sites = session.scalars(select(Site).where(Site.id.in_(list(site_ids))))
    return {c.id: c for c in companies}, {s.id: s for s in sites}
