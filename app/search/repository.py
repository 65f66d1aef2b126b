from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.orm import Session, selectinload

from app.db import LoopProbe, run_probe
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
    epoch, version = run_probe(probe, _VERSION)
    return str(epoch), int(version)


async def probe_catalogue_version_on_loop(probe: LoopProbe) -> tuple[str, int]:
    """`probe_catalogue_version`, waiting on the event loop."""
    epoch, version = await probe.row(_VERSION)
    return str(epoch), int(version)


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
    """Everything matching needs, as flat columns: one bulk read per table, no ORM objects,
    so a catalogue of a million sites loads in seconds. Ids are (n, 16) uint8 matrices of
    UUID bytes, the engine's compact form. Every table is read in a fixed order."""

    company_ids: np.ndarray  # ordered by id
    company_active: np.ndarray
    company_available_from: np.ndarray  # date ordinals, 0 = no date
    cert_company: np.ndarray
    cert_code: np.ndarray
    cert_vocabulary: list[str]
    site_ids: np.ndarray  # ordered by id
    site_company: np.ndarray
    site_lat: np.ndarray
    site_lon: np.ndarray
    site_radius_km: np.ndarray
    cap_company: np.ndarray  # ordered by company, then kind code (one per kind)
    cap_kind: np.ndarray  # position in the taxonomy's kinds, -1 for an unknown code
    cap_workers: np.ndarray
    cap_updated_at: np.ndarray  # datetime64[us], UTC
    restrict_cap: np.ndarray
    restrict_site: np.ndarray


def catalogue_columns(session: Session, kinds: Sequence[str]) -> CatalogueColumns:
    """Every row matching needs, read in the session's transaction. On PostgreSQL through
    binary COPY straight into numpy (no Python object per row: a million sites in seconds);
    elsewhere through plain Core rows."""
    if session.get_bind().dialect.name == "postgresql":
        return columns_by_copy(session, kinds)
    return columns_by_rows(session, kinds)


_companies, _sites = Company.__table__, Site.__table__
_certs, _caps = CompanyCertification.__table__, Capability.__table__


def columns_by_rows(session: Session, kinds: Sequence[str]) -> CatalogueColumns:
    company_rows = session.execute(
        select(_companies.c.id, _companies.c.status, _companies.c.available_from)
        .order_by(_companies.c.id)
    ).all()
    company_ids = uuid_matrix([row[0] for row in company_rows])
    company_index = _IdIndex(company_ids)

    cert_vocabulary = sorted(certification_codes(session))
    cert_position = {code: i for i, code in enumerate(cert_vocabulary)}
    cert_rows = session.execute(
        select(_certs.c.company_id, _certs.c.certification_code)
        .order_by(_certs.c.company_id, _certs.c.certification_code)
    ).all()

    site_rows = session.execute(
        select(_sites.c.id, _sites.c.company_id, _sites.c.lat, _sites.c.lon,
               _sites.c.service_radius_km).order_by(_sites.c.id)
    ).all()
    site_ids = uuid_matrix([row[0] for row in site_rows])

    kind_position = {code: i for i, code in enumerate(kinds)}
    cap_rows = session.execute(
        select(
            _caps.c.id,
            _caps.c.company_id,
            _caps.c.work_kind_code,
            _caps.c.capacity_workers,
            _caps.c.capacity_updated_at,
        ).order_by(_caps.c.company_id, _caps.c.work_kind_code)
    ).all()
    restrictions = session.execute(
        select(capability_sites.c.capability_id, capability_sites.c.site_id)
        .order_by(capability_sites.c.capability_id, capability_sites.c.site_id)
    ).all()
    restrict_cap = _IdIndex(uuid_matrix([row[0] for row in cap_rows])).positions(
        uuid_matrix([row[0] for row in restrictions])
    )
    restrict_site = _IdIndex(site_ids).positions(uuid_matrix([row[1] for row in restrictions]))

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
        cert_company=company_index.positions(uuid_matrix([row[0] for row in cert_rows])),
        cert_code=np.fromiter(
            (cert_position[row[1]] for row in cert_rows), np.int64, len(cert_rows)
        ),
        cert_vocabulary=cert_vocabulary,
        site_ids=site_ids,
        site_company=company_index.positions(uuid_matrix([row[1] for row in site_rows])),
        site_lat=np.fromiter((row[2] for row in site_rows), np.float64, len(site_rows)),
        site_lon=np.fromiter((row[3] for row in site_rows), np.float64, len(site_rows)),
        site_radius_km=np.fromiter((row[4] for row in site_rows), np.float64, len(site_rows)),
        cap_company=company_index.positions(uuid_matrix([row[1] for row in cap_rows])),
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


# Binary COPY: each row is a field count, then per field its byte length and its bytes
# (big-endian). Every query below yields fixed-width fields and no NULLs, so the whole
# answer reads as one numpy record array.
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00"
_COPY_HEADER_BYTES = len(_COPY_HEADER) + 8  # then flags and the header extension length
_PG_EPOCH_US = np.datetime64("2000-01-01T00:00:00", "us")  # timestamps count microseconds
_BINARY_TYPES = {"uuid": ("u1", (16,)), "bool": "?", "int4": ">i4", "float8": ">f8",
                 "timestamptz": ">i8", "date": ">i4"}


def _copy_records(session: Session, query: str, fields: Sequence[tuple[str, str]],
                  params: Sequence[object] = ()) -> np.ndarray:
    """The rows of `query` (fields named and typed as in `fields`, none NULL) as a record
    array, read with binary COPY in the session's transaction."""
    dbapi = session.connection().connection.driver_connection
    assert dbapi is not None
    columns = ", ".join(name for name, _ in fields)
    # `query` and the names are this module's constants; values go in as `params`.
    statement = f"COPY (SELECT {columns} FROM ({query}) AS q) TO STDOUT (FORMAT BINARY)"  # noqa: S608
    buffer = bytearray()
    with dbapi.cursor() as cursor, cursor.copy(statement, params) as copy:
        for block in copy:
            buffer += block
    if not buffer.startswith(_COPY_HEADER):
        raise RuntimeError("unexpected COPY output")
    dtype = np.dtype([("fields", ">i2")] + [
        item for name, kind in fields
        for item in ((f"{name}_bytes", ">i4"), (name, _BINARY_TYPES[kind]))
    ])
    body = memoryview(buffer)[_COPY_HEADER_BYTES:len(buffer) - 2]  # less the -1 trailer
    records = np.frombuffer(body, dtype=dtype)
    widths = [(name, dtype[name].itemsize) for name, _ in fields]
    if len(body) % dtype.itemsize or (records["fields"] != len(fields)).any() or any(
        (records[f"{name}_bytes"] != width).any() for name, width in widths
    ):
        raise RuntimeError("COPY rows are not the fixed-width rows asked for (a NULL?)")
    return records


def columns_by_copy(session: Session, kinds: Sequence[str]) -> CatalogueColumns:
    """`columns_by_rows` on PostgreSQL, through binary COPY; the same columns, in the same
    order."""
    companies = _copy_records(
        session,
        # Date ordinals as Python counts them (0001-01-01 is 1), 0 for no date.
        "SELECT id, status = 'active' AS active,"
        " COALESCE(available_from - DATE '0001-01-01' + 1, 0) AS available"
        " FROM companies ORDER BY id",
        [("id", "uuid"), ("active", "bool"), ("available", "int4")],
    )
    company_ids = np.ascontiguousarray(companies["id"])
    company_index = _IdIndex(company_ids)
    cert_vocabulary = sorted(certification_codes(session))
    certs = _copy_records(
        session,
        "SELECT company_id, array_position(%s::text[], certification_code) - 1 AS code"
        " FROM company_certifications ORDER BY company_id, certification_code",
        [("company_id", "uuid"), ("code", "int4")],
        [cert_vocabulary],
    )
    sites = _copy_records(
        session,
        "SELECT id, company_id, lat, lon, service_radius_km FROM sites ORDER BY id",
        [("id", "uuid"), ("company_id", "uuid"), ("lat", "float8"), ("lon", "float8"),
         ("service_radius_km", "float8")],
    )
    site_ids = np.ascontiguousarray(sites["id"])
    caps = _copy_records(
        session,
        "SELECT id, company_id, COALESCE(array_position(%s::text[], work_kind_code) - 1, -1)"
        " AS kind, capacity_workers, capacity_updated_at FROM capabilities"
        " ORDER BY company_id, work_kind_code",
        [("id", "uuid"), ("company_id", "uuid"), ("kind", "int4"), ("capacity_workers", "int4"),
         ("capacity_updated_at", "timestamptz")],
        [list(kinds)],
    )
    restrictions = _copy_records(
        session,
        "SELECT capability_id, site_id FROM capability_sites ORDER BY capability_id, site_id",
        [("capability_id", "uuid"), ("site_id", "uuid")],
    )
    return CatalogueColumns(
        company_ids=company_ids,
        company_active=companies["active"].copy(),
        company_available_from=companies["available"].astype(np.int64),
        cert_company=company_index.positions(certs["company_id"]),
        cert_code=certs["code"].astype(np.int64),
        cert_vocabulary=cert_vocabulary,
        site_ids=site_ids,
        site_company=company_index.positions(sites["company_id"]),
        site_lat=sites["lat"].astype(np.float64),
        site_lon=sites["lon"].astype(np.float64),
        site_radius_km=sites["service_radius_km"].astype(np.float64),
        cap_company=company_index.positions(caps["company_id"]),
        cap_kind=caps["kind"].astype(np.int64),
        cap_workers=caps["capacity_workers"].astype(np.int64),
        cap_updated_at=_PG_EPOCH_US + caps["capacity_updated_at"].astype(np.int64).astype(
            "timedelta64[us]"),
        restrict_cap=_IdIndex(caps["id"]).positions(restrictions["capability_id"]),
        restrict_site=_IdIndex(site_ids).positions(restrictions["site_id"]),
    )


class _IdIndex:
    """Positions of UUIDs (an (n, 16) byte matrix) in a list, looked up for many ids at once
    (sorted 128-bit keys and a binary search instead of a dict of UUID objects)."""

    def __init__(self, ids: np.ndarray) -> None:
        keys = _uuid_keys(ids)
        self._order = np.lexsort((keys[:, 1], keys[:, 0]))
        self._keys = keys[self._order]

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Position of each id; every id must be in the list (foreign keys hold)."""
        if not len(ids):
            return np.zeros(0, dtype=np.int64)
        packed = self._keys.view([("hi", "<u8"), ("lo", "<u8")]).ravel()
        asked = _uuid_keys(ids).view([("hi", "<u8"), ("lo", "<u8")]).ravel()
        at = np.searchsorted(packed, asked)
        return self._order[at].astype(np.int64)


def uuid_matrix(ids: Sequence[uuid.UUID]) -> np.ndarray:
    """Ids as an (n, 16) byte matrix: the engine's compact form, no str per row."""
    return np.frombuffer(b"".join(i.bytes for i in ids), dtype=np.uint8).reshape(-1, 16)


def _uuid_keys(ids: np.ndarray) -> np.ndarray:
    """(n, 2) uint64: the high and low halves of each UUID, which sort like the UUIDs."""
    return np.ascontiguousarray(ids, dtype=np.uint8).view(">u8").astype(np.uint64)
