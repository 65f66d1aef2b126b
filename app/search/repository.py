from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.models import (
    Capability,
    CatalogueChange,
    CatalogueState,
    Certification,
    Company,
    CompanyCertification,
    CompanyStatus,
    Site,
    WorkKind,
    utcnow,
)
from app.models.company import capability_sites
from app.notifications.outbox import emit_event

CATALOGUE_ROW = 1


def touch_catalogue(session: Session, company_ids: Iterable[uuid.UUID]) -> int:
    """Record, in the caller's transaction, that these companies changed: for matching (the
    catalogue version and change log) and for partners (a `company.updated` event).

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
    changed = sorted(set(company_ids), key=str)
    session.execute(
        insert(CatalogueChange),
        [{"version": version, "company_id": cid, "changed_at": now} for cid in changed],
    )
    # Partners hear of it through the outbox, in this same transaction: a rolled-back
    # change announces nothing.
    for company_id in changed:
        emit_event(
            session,
            "company.updated",
            {"company_id": str(company_id), "catalogue_version": version},
            owner_ids=None,
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


@dataclass(frozen=True, slots=True)
class CatalogueColumns:
    """Everything matching needs, as flat columns: one bulk query per table, no ORM objects,
    so a catalogue of a million sites loads in seconds."""

    company_ids: list[uuid.UUID]
    company_active: np.ndarray
    company_available_from: np.ndarray  # date ordinals, 0 = no date
    cert_company: np.ndarray
    cert_code: np.ndarray
    cert_vocabulary: list[str]
    site_ids: list[uuid.UUID]
    site_company: np.ndarray
    site_lat: np.ndarray
    site_lon: np.ndarray
    site_radius_km: np.ndarray
    cap_company: np.ndarray
    cap_kind: np.ndarray  # position in the taxonomy's kinds, -1 for an unknown code
    cap_workers: np.ndarray
    cap_updated_at: np.ndarray
    restrict_cap: np.ndarray
    restrict_site: np.ndarray


def catalogue_columns(session: Session, kinds: Sequence[str]) -> CatalogueColumns:
    company_rows = session.execute(
        select(Company.id, Company.status, Company.available_from).order_by(Company.id)
    ).all()
    company_ids = [row[0] for row in company_rows]
    company_row = {cid: i for i, cid in enumerate(company_ids)}

    cert_vocabulary = sorted(certification_codes(session))
    cert_position = {code: i for i, code in enumerate(cert_vocabulary)}
    cert_rows = session.execute(
        select(CompanyCertification.company_id, CompanyCertification.certification_code)
    ).all()

    site_rows = session.execute(
        select(Site.id, Site.company_id, Site.lat, Site.lon, Site.service_radius_km)
    ).all()
    site_row = {row[0]: i for i, row in enumerate(site_rows)}

    kind_position = {code: i for i, code in enumerate(kinds)}
    cap_rows = session.execute(
        select(
            Capability.id,
            Capability.company_id,
            Capability.work_kind_code,
            Capability.capacity_workers,
            Capability.capacity_updated_at,
        ).order_by(Capability.company_id, Capability.work_kind_code)
    ).all()
    cap_row = {row[0]: i for i, row in enumerate(cap_rows)}
    restrictions = session.execute(
        select(capability_sites.c.capability_id, capability_sites.c.site_id)
    ).all()

    return CatalogueColumns(
        company_ids=company_ids,
        company_active=np.fromiter(
            (row[1] == CompanyStatus.active for row in company_rows), bool, len(company_rows)
        ),
        company_available_from=np.fromiter(
            (row[2].toordinal() if row[2] else 0 for row in company_rows),
            np.int64,
            len(company_rows),
        ),
        cert_company=np.fromiter(
            (company_row[row[0]] for row in cert_rows), np.int64, len(cert_rows)
        ),
        cert_code=np.fromiter(
            (cert_position[row[1]] for row in cert_rows), np.int64, len(cert_rows)
        ),
        cert_vocabulary=cert_vocabulary,
        site_ids=[row[0] for row in site_rows],
        site_company=np.fromiter(
            (company_row[row[1]] for row in site_rows), np.int64, len(site_rows)
        ),
        site_lat=np.fromiter((row[2] for row in site_rows), np.float64, len(site_rows)),
        site_lon=np.fromiter((row[3] for row in site_rows), np.float64, len(site_rows)),
        site_radius_km=np.fromiter((row[4] for row in site_rows), np.float64, len(site_rows)),
        cap_company=np.fromiter(
            (company_row[row[1]] for row in cap_rows), np.int64, len(cap_rows)
        ),
        cap_kind=np.fromiter(
            (kind_position.get(row[2], -1) for row in cap_rows), np.int64, len(cap_rows)
        ),
        cap_workers=np.fromiter((row[3] for row in cap_rows), np.int64, len(cap_rows)),
        cap_updated_at=np.array(
            [row[4].replace(tzinfo=None) if row[4] else None for row in cap_rows],
            dtype="datetime64[us]",
        ),
        restrict_cap=np.fromiter(
            (cap_row[row[0]] for row in restrictions), np.int64, len(restrictions)
        ),
        restrict_site=np.fromiter(
            (site_row[row[1]] for row in restrictions), np.int64, len(restrictions)
        ),
    )
