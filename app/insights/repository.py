"""Queries of the insights: the demand queue, cells, atoms, salts, and the supply read from
the companies' tables."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.insights.cells import Atom, Tally, format_sketch, parse_sketch
from app.models import (
    Capability,
    Company,
    CompanyStatus,
    InsightAtom,
    InsightCell,
    InsightEvent,
    InsightSalt,
    InsightState,
    InsightSum,
    Site,
    WorkKind,
)

CellKey = tuple[str, str]  # (work_kind code, municipality_id)


EVENTS: Table = InsightEvent.__table__  # type: ignore[assignment]
ATOMS: Table = InsightAtom.__table__  # type: ignore[assignment]
CELLS: Table = InsightCell.__table__  # type: ignore[assignment]
SUMS: Table = InsightSum.__table__  # type: ignore[assignment]
# The dimensions an unfiltered query groups by, and the atom's value for each.
DIMENSIONS = {
    "work_kind": lambda a: a.work_kind,
    "work_group": lambda a: a.work_group,
    "country": lambda a: a.country,
    "province": lambda a: a.province_id,
    "municipality": lambda a: a.municipality_id,
}


def add_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """One Core INSERT (executemany): the cheapest write, it runs inside every search."""
    if rows:
        session.execute(EVENTS.insert(), list(rows))


def salt(session: Session, month: str) -> str | None:
    return session.scalar(select(InsightSalt.salt).where(InsightSalt.month == month))


def add_salt(session: Session, month: str, value: str) -> str:
    """Store `value` as the month's salt unless another process stored one first (its
    savepoint keeps our transaction usable); the stored one is returned."""
    try:
        with session.begin_nested():
            session.add(InsightSalt(month=month, salt=value))
    except IntegrityError:
        pass  # another process's salt won the race: use it
    stored = salt(session, month)
    assert stored is not None
    return stored


def delete_salts_before(session: Session, month: str) -> int:
    result = session.execute(delete(InsightSalt).where(InsightSalt.month < month))
    return int(getattr(result, "rowcount", 0) or 0)


def lock_state(session: Session) -> InsightState | None:
    """The refresh state row, locked; None while another worker holds it (PostgreSQL)."""
    return session.scalar(
        select(InsightState).where(InsightState.id == 1).with_for_update(skip_locked=True)
    )


@dataclass(frozen=True, slots=True)
class QueuedEvent:
    id: int
    source: str
    month: str
    work_kind: str
    municipality_id: str
    requester: str


def claim_events(session: Session, limit: int) -> list[QueuedEvent]:
    c = EVENTS.c
    rows = session.execute(
        select(c.id, c.source, c.month, c.work_kind, c.municipality_id, c.requester)
        .order_by(c.id).limit(limit).with_for_update(skip_locked=True)
    )
    return [QueuedEvent(*r) for r in rows]


def delete_events(session: Session, ids: Sequence[int]) -> None:
    for i in range(0, len(ids), 5000):
        session.execute(EVENTS.delete().where(EVENTS.c.id.in_(ids[i : i + 5000])))


def pending_events(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(InsightEvent)) or 0)


def load_cells(session: Session, source: str, month: str) -> dict[CellKey, InsightCell]:
    rows = session.scalars(
        select(InsightCell).where(InsightCell.source == source, InsightCell.month == month)
    )
    return {(c.work_kind, c.municipality_id): c for c in rows}


def save_cells(
    session: Session, source: str, month: str, cells: Mapping[CellKey, InsightCell],
    merged: Mapping[CellKey, Tally],
) -> None:
    new = []
    for key, tally in merged.items():
        cell = cells.get(key)
        if cell is None:
            new.append({"source": source, "month": month, "work_kind": key[0],
                        "municipality_id": key[1], "events": tally.events,
                        "sketch": format_sketch(tally.sketch)})
        else:
            cell.events = tally.events
            cell.sketch = format_sketch(tally.sketch)
    if new:
        session.execute(CELLS.insert(), new)
    session.flush()


def tally(cell: InsightCell) -> Tally:
    return Tally(cell.events, parse_sketch(cell.sketch))


def replace_atoms(session: Session, source: str, month: str, atoms: Sequence[Atom]) -> None:
    session.execute(ATOMS.delete().where(ATOMS.c.source == source, ATOMS.c.month == month))
    rows = [
        {"source": source, "month": month, "work_kind": a.work_kind, "work_group": a.work_group,
         "country": a.country, "province_id": a.province_id,
         "municipality_id": a.municipality_id, "events": a.events}
        for a in atoms
    ]
    if rows:
        session.execute(ATOMS.insert(), rows)
    totals: dict[tuple[str, str], int] = {}
    for a in atoms:
        for dimension, value in DIMENSIONS.items():
            key = (dimension, value(a))
            totals[key] = totals.get(key, 0) + a.events
    session.execute(SUMS.delete().where(SUMS.c.source == source, SUMS.c.month == month))
    if totals:
        session.execute(SUMS.insert(), [
            {"dimension": d, "source": source, "month": month, "key": k, "events": n}
            for (d, k), n in sorted(totals.items())
        ])


def mark_refreshed(session: Session, when: Any) -> None:
    session.execute(update(InsightState).where(InsightState.id == 1).values(refreshed_at=when))


def work_kinds(session: Session) -> list[WorkKind]:
    return list(session.scalars(select(WorkKind).order_by(WorkKind.position, WorkKind.code)))


# --------------------------------------------------------------------------- queries

GROUP_COLUMNS = {
    "work_kind": InsightAtom.work_kind,
    "work_group": InsightAtom.work_group,
    "country": InsightAtom.country,
    "province": InsightAtom.province_id,
    "municipality": InsightAtom.municipality_id,
    "month": InsightAtom.month,
}


@dataclass(frozen=True, slots=True)
class AtomFilter:
    sources: tuple[str, ...]
    start: str
    end: str
    work_kind: str | None = None  # a kind code
    work_group: str | None = None  # a group code
    region_level: str | None = None  # "country" | "province" | "municipality"
    region: str | None = None


def _where(f: AtomFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [
        InsightAtom.source.in_(f.sources),
        InsightAtom.month >= f.start,
        InsightAtom.month <= f.end,
    ]
    if f.work_kind is not None:
        clauses.append(InsightAtom.work_kind == f.work_kind)
    if f.work_group is not None:
        clauses.append(InsightAtom.work_group == f.work_group)
    if f.region is not None and f.region_level is not None:
        clauses.append(GROUP_COLUMNS[f.region_level] == f.region)
    return clauses


def sums(session: Session, group_by: str, f: AtomFilter) -> list[tuple[str, str, int]]:
    """(source, group key or "" for atoms not specific enough, summed events). Without a kind
    or region filter from the per-dimension sums, else from the atoms."""
    unfiltered = f.work_kind is None and f.work_group is None and f.region is None
    if unfiltered and group_by in DIMENSIONS:
        c = SUMS.c
        rows = session.execute(
            select(c.source, c.key, func.sum(c.events))
            .where(c.dimension == group_by, c.source.in_(f.sources), c.month >= f.start,
                   c.month <= f.end)
            .group_by(c.source, c.key)
        )
        return [(s, k, int(n)) for s, k, n in rows]
    column = GROUP_COLUMNS[group_by]
    stmt = (
        select(InsightAtom.source, column, func.sum(InsightAtom.events))
        .where(and_(*_where(f)))
        .group_by(InsightAtom.source, column)
    )
    return [(s, k, int(n)) for s, k, n in session.execute(stmt)]


def atoms_in(session: Session, f: AtomFilter) -> list[InsightAtom]:
    return list(session.scalars(select(InsightAtom).where(and_(*_where(f)))))


# --------------------------------------------------------------------------- supply


@dataclass(frozen=True, slots=True)
class SupplySite:
    company_id: uuid.UUID
    site_id: uuid.UUID
    country: str
    lat: float
    lon: float
    radius_km: float


@dataclass(frozen=True, slots=True)
class SupplyCapability:
    company_id: uuid.UUID
    work_kind: str
    capacity_workers: int


def supply(
    session: Session, company_id: uuid.UUID | None = None
) -> tuple[list[SupplySite], list[SupplyCapability]]:
    """Sites and capabilities of active companies (of one company when given)."""
    active = select(Company.id).where(Company.status == CompanyStatus.active.value)
    if company_id is not None:
        active = select(Company.id).where(Company.id == company_id)
    sites = [
        SupplySite(r.company_id, r.id, r.country, r.lat, r.lon, r.service_radius_km)
        for r in session.execute(
            select(Site.company_id, Site.id, Site.country, Site.lat, Site.lon,
                   Site.service_radius_km).where(Site.company_id.in_(active))
        )
    ]
    caps = [
        SupplyCapability(r.company_id, r.work_kind_code, int(r.capacity_workers or 0))
        for r in session.execute(
            select(Capability.company_id, Capability.work_kind_code,
                   Capability.capacity_workers).where(Capability.company_id.in_(active))
        )
    ]
    return sites, caps


def company_exists(session: Session, company_id: uuid.UUID) -> bool:
    return session.get(Company, company_id) is not None
