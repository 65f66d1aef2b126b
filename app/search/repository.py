from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from sqlalchemy import bindparam, insert, select, update
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


# Statements run on every match are built once, on the tables (no ORM layer): plain Core.
_state = CatalogueState.__table__
_VERSION = select(_state.c.epoch, _state.c.version).where(_state.c.id == CATALOGUE_ROW)


def catalogue_version(session: Session) -> tuple[str, int]:
    epoch, version = session.execute(_VERSION).one()
    return epoch, version


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


_sites, _companies = Site.__table__, Company.__table__
_CARDS = (
    select(
        _sites.c.id, _sites.c.name, _sites.c.city, _sites.c.country, _sites.c.lat, _sites.c.lon,
        _companies.c.id, _companies.c.name, _companies.c.email, _companies.c.phone,
        _companies.c.website,
    )
    .join_from(_sites, _companies, _companies.c.id == _sites.c.company_id)
    .where(_sites.c.id.in_(bindparam("site_ids", expanding=True)))
)


def cards_for(session: Session, site_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Card]:
    """Cards by site id, in one lean query (plain rows, no ORM entities)."""
    rows = session.execute(_CARDS, {"site_ids": list(site_ids)})
    return {row[0]: Card._make(row) for row in rows}


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
