from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.db import run_probe
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


def probe_catalogue_version(probe: Engine) -> tuple[str, int]:
    """`catalogue_version` outside any transaction, on a probe engine (`app.db`)."""
    row = run_probe(probe, _VERSION)
    return str(row.epoch), int(row.version)


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
    # Core statements on the tables (no ORM row loading) and vectorised id look-ups: this
    # reads every row of four tables when a worker starts.
    companies, sites = Company.__table__, Site.__table__
    certs, caps = CompanyCertification.__table__, Capability.__table__
    company_rows = session.execute(
        select(companies.c.id, companies.c.status, companies.c.available_from)
        .order_by(companies.c.id)
    ).all()
    company_ids = [row[0] for row in company_rows]
    company_index = _IdIndex(company_ids)

    cert_vocabulary = sorted(certification_codes(session))
    cert_position = {code: i for i, code in enumerate(cert_vocabulary)}
    cert_rows = session.execute(select(certs.c.company_id, certs.c.certification_code)).all()

    site_rows = session.execute(
        select(sites.c.id, sites.c.company_id, sites.c.lat, sites.c.lon,
               sites.c.service_radius_km)
    ).all()
    site_ids = [row[0] for row in site_rows]

    kind_position = {code: i for i, code in enumerate(kinds)}
    cap_rows = session.execute(
        select(
            caps.c.id,
            caps.c.company_id,
            caps.c.work_kind_code,
            caps.c.capacity_workers,
            caps.c.capacity_updated_at,
        ).order_by(caps.c.company_id, caps.c.work_kind_code)
    ).all()
    restrictions = session.execute(
        select(capability_sites.c.capability_id, capability_sites.c.site_id)
    ).all()
    restrict_cap = _IdIndex([row[0] for row in cap_rows]).positions(
        [row[0] for row in restrictions]
    )
    restrict_site = _IdIndex(site_ids).positions([row[1] for row in restrictions])

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
        cert_company=company_index.positions([row[0] for row in cert_rows]),
        cert_code=np.fromiter(
            (cert_position[row[1]] for row in cert_rows), np.int64, len(cert_rows)
        ),
        cert_vocabulary=cert_vocabulary,
        site_ids=site_ids,
        site_company=company_index.positions([row[1] for row in site_rows]),
        site_lat=np.fromiter((row[2] for row in site_rows), np.float64, len(site_rows)),
        site_lon=np.fromiter((row[3] for row in site_rows), np.float64, len(site_rows)),
        site_radius_km=np.fromiter((row[4] for row in site_rows), np.float64, len(site_rows)),
        cap_company=company_index.positions([row[1] for row in cap_rows]),
        cap_kind=np.fromiter(
            (kind_position.get(row[2], -1) for row in cap_rows), np.int64, len(cap_rows)
        ),
        cap_workers=np.fromiter((row[3] for row in cap_rows), np.int64, len(cap_rows)),
        cap_updated_at=np.array(
            [row[4].replace(tzinfo=None) if row[4] else None for row in cap_rows],
            dtype="datetime64[us]",
        ),
        restrict_cap=restrict_cap,
        restrict_site=restrict_site,
    )


class _IdIndex:
    """Positions of UUIDs in a list, looked up for many ids at once (sorted 128-bit keys and
    a binary search instead of a dict of UUID objects)."""

    def __init__(self, ids: Sequence[uuid.UUID]) -> None:
        keys = _uuid_keys(ids)
        self._order = np.lexsort((keys[:, 1], keys[:, 0]))
        self._keys = keys[self._order]

    def positions(self, ids: Sequence[uuid.UUID]) -> np.ndarray:
        """Position of each id; every id must be in the list (foreign keys hold)."""
        if not ids:
            return np.zeros(0, dtype=np.int64)
        wanted = _uuid_keys(ids)
        packed = self._keys.view([("hi", "<u8"), ("lo", "<u8")]).ravel()
        asked = wanted.view([("hi", "<u8"), ("lo", "<u8")]).ravel()
        at = np.searchsorted(packed, asked)
        return self._order[at].astype(np.int64)


def uuid_matrix(ids: Sequence[uuid.UUID]) -> np.ndarray:
    """Ids as an (n, 16) byte matrix: the engine's compact form, no str per row."""
    return np.frombuffer(b"".join(i.bytes for i in ids), dtype=np.uint8).reshape(-1, 16)


def _uuid_keys(ids: Sequence[uuid.UUID]) -> np.ndarray:
    """(n, 2) uint64: the high and low halves of each UUID, which sort like the UUIDs."""
    return uuid_matrix(ids).view(">u8").astype(np.uint64)
