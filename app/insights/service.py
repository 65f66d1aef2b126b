"""Demand insights: recording demand, rolling it up, and answering with protected figures.

Recording (same transaction as the request that causes it, one INSERT):
- a search on `POST /v1/match`, a stored request, a published call-out, a call-out closed with
  fewer than 3 interested companies: one `insight_events` row per asked kind of work, with
  the month, the municipality (from the geo core, offline) and a requester hash.
- Requester hash: for a caller with a key or a signed-in person, HMAC(secret key, account id);
  for an anonymous searcher, HMAC(this month's salt, the address's network: /24 for IPv4,
  /48 for IPv6). The address itself is never stored; the salt is random, kept in
  `insight_salts` for its month only and deleted by the worker after it, so a hash of a past
  month cannot be linked to an address by anyone, us included. A network shared by several
  people counts once (fewer requesters, the safe side); one person on several networks counts
  more than once.

Refreshing (the worker, at most every `insights_refresh_seconds`): the queued events are
folded into `insight_cells` (count + bottom-k requester sketch) and deleted; the atoms of
every touched source and month are recomputed (app/insights/cells.py) and replace the old.

Answering: every figure is a sum of whole atoms, each with at least
`insights_min_requesters` distinct requesters.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.config import Settings
from app.errors import FieldError, Forbidden, NotFound, Unprocessable, field_error
from app.geo import (
    AmbiguousLocation,
    Region,
    UnknownLocation,
    haversine_km,
    region_of_point,
    region_of_postcode,
    regions,
    resolve,
)
from app.insights import repository
from app.insights.cells import AtomKey, Tally, cell_key, fold, merge_sketches
from app.insights.repository import AtomFilter, CellKey
from app.insights.schemas import (
    DemandAnswer,
    DemandCounts,
    DemandRow,
    GapRow,
    GapsAnswer,
    GapTotals,
    MissedDemand,
    MissedKind,
    Period,
)
from app.models import InsightCell, InsightState, Request, utcnow
from app.words.languages import label_in

log = structlog.get_logger(__name__)

DEMAND_SOURCES = ("search", "request", "callout")
THIN_INTEREST = 3  # a call-out with fewer interested companies than this is "thin"
MAX_PERIOD_MONTHS = 120
CLAIM_BATCH = 20_000

# Salts this process has read from the database, by month.
_salts: dict[str, str] = {}


# --------------------------------------------------------------------------- recording


def local_month(settings: Settings, when: datetime | None = None) -> str:
    moment = (when or utcnow()).astimezone(ZoneInfo(settings.callout_timezone))
    return f"{moment.year:04d}-{moment.month:02d}"


def _digest(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), sha256).hexdigest()[:16]


def owner_requester(settings: Settings, owner: uuid.UUID) -> str:
    return _digest(settings.secret_key.encode(), f"insights-owner:{owner}")


def _network(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def address_requester(session: Session, month: str, address: str) -> str:
    value = _salts.get(month)
    if value is None:
        value = repository.salt(session, month)
        if value is None:
            # Not cached: if this transaction rolls back, the next call reads the winner.
            value = repository.add_salt(session, month, secrets.token_hex(32))
        else:
            _salts[month] = value
    return _digest(bytes.fromhex(value), f"insights-address:{_network(address)}")


def region_of_location(
    *, lat: float | None = None, lon: float | None = None, country: str | None = None,
    postcode: str | None = None,
) -> Region | None:
    if postcode and country:
        found = region_of_postcode(country, postcode)
        if found is not None:
            return found
    if lat is not None and lon is not None:
        return region_of_point(lat, lon, country)
    return None


def _region_of_criteria(location: Mapping[str, Any] | None) -> Region | None:
    if not location:
        return None
    if location.get("lat") is not None and location.get("lon") is not None:
        return region_of_point(location["lat"], location["lon"], location.get("country"))
    try:
        found = resolve(postcode=location.get("postcode"), place=location.get("place"),
                        country=location.get("country"))
    except (UnknownLocation, AmbiguousLocation, ValueError):
        return None
    return region_of_location(lat=found.lat, lon=found.lon, country=found.country,
                              postcode=found.postcode)


def event_rows(
    settings: Settings, source: str, work_kinds: Iterable[str], region: Region | None,
    requester: str, when: datetime | None = None,
) -> list[dict[str, Any]]:
    """One unit of demand per asked code (kinds and groups; duplicates once)."""
    when = when or utcnow()
    month = local_month(settings, when)
    municipality = region.municipality_id if region else ""
    return [
        {"source": source, "month": month, "work_kind": code, "municipality_id": municipality,
         "requester": requester, "created_at": when}
        for code in dict.fromkeys(work_kinds)
    ]


def add_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Queue demand in bulk (demo data, benchmarks)."""
    repository.add_events(session, rows)


def record(
    session: Session, settings: Settings, source: str, work_kinds: Iterable[str],
    region: Region | None, requester: str, when: datetime | None = None,
) -> None:
    """Queue one unit of demand per asked code, in the caller's transaction."""
    repository.add_events(session, event_rows(settings, source, work_kinds, region, requester,
                                              when))


def record_search(
    session: Session, settings: Settings, *, work_kinds: Sequence[str],
    lat: float | None, lon: float | None, country: str | None, postcode: str | None,
    principal: Principal | None, address: str,
) -> None:
    """A search on the public endpoint: one small INSERT in the search's own transaction, in a
    savepoint that gives up rather than fail the search. On SQLite a search begins deferred; when
    another process wrote since it read, it cannot take the write lock, and the count is lost
    rather than the answer (a 503). PostgreSQL never gives up here."""
    if not work_kinds:
        return
    region = region_of_location(lat=lat, lon=lon, country=country, postcode=postcode)
    try:
        with session.begin_nested():
            if principal is not None:
                requester = owner_requester(settings, principal.owner)
            else:
                requester = address_requester(session, local_month(settings), address)
            record(session, settings, "search", work_kinds, region, requester)
    except OperationalError as exc:
        log.info("search_not_counted", error=exc.orig.__class__.__name__)


def record_request(
    session: Session, settings: Settings, request: Request, source: str = "request",
    when: datetime | None = None,
) -> None:
    """A stored request (`request`), its published call-out (`callout`), or its call-out
    closing with fewer than 3 interested companies (`thin_callout`)."""
    criteria = request.criteria or {}
    requester = owner_requester(settings, request.owner_id or request.id)
    region = _region_of_criteria(criteria.get("location"))
    record(session, settings, source, criteria.get("work_kinds") or (), region, requester,
           when)


# --------------------------------------------------------------------------- refreshing


def refresh(
    session: Session, settings: Settings, now: datetime | None = None, *, force: bool = False
) -> int:
    """Fold the queued demand into the cells and recompute the touched atoms. Runs at most
    every `insights_refresh_seconds` unless forced; another worker refreshing makes it skip.
    Returns the number of events handled."""
    now = now or utcnow()
    state = repository.lock_state(session)
    if state is None:
        if session.get(InsightState, 1) is not None:
            return 0  # another worker holds it
        state = InsightState(id=1, refreshed_at=None)
        session.add(state)
        session.flush()
    due = state.refreshed_at is None or now - state.refreshed_at >= timedelta(
        seconds=settings.insights_refresh_seconds
    )
    if not (due or force):
        return 0
    handled = 0
    stored: dict[tuple[str, str], dict[CellKey, InsightCell]] = {}
    merged: dict[tuple[str, str], dict[CellKey, Tally]] = {}
    while True:
        events = repository.claim_events(session, CLAIM_BATCH)
        if not events:
            break
        batch: dict[tuple[str, str], dict[CellKey, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for e in events:
            batch[(e.source, e.month)][(e.work_kind, e.municipality_id)].append(
                int(e.requester, 16)
            )
        for part, keys in batch.items():
            if part not in stored:
                stored[part] = repository.load_cells(session, *part)
                merged[part] = {}
            for key, requesters in keys.items():
                tally = merged[part].get(key)
                if tally is None:
                    cell = stored[part].get(key)
                    tally = repository.tally(cell) if cell else Tally(0, [])
                    merged[part][key] = tally
                tally.events += len(requesters)
                tally.sketch = merge_sketches(tally.sketch, requesters)
        repository.delete_events(session, [e.id for e in events])
        handled += len(events)
    if merged:
        groups = {k.code: k.parent_code for k in repository.work_kinds(session)}
        for (source, month), changed in sorted(merged.items()):
            repository.save_cells(session, source, month, stored[(source, month)], changed)
            cells: dict[AtomKey, Tally] = {}
            for (code, municipality), cell in stored[(source, month)].items():
                cells[cell_key(code, municipality, groups)] = repository.tally(cell)
            for (code, municipality), tally in changed.items():
                cells[cell_key(code, municipality, groups)] = tally
            atoms = fold(cells, settings.insights_min_requesters)
            repository.replace_atoms(session, source, month, atoms)
    repository.delete_salts_before(session, local_month(settings, now))
    repository.mark_refreshed(session, now)
    return handled


def refresh_job(settings: Settings) -> Any:
    def refresh_insights(session: Session, now: datetime) -> int:
        return refresh(session, settings, now)

    return refresh_insights


# --------------------------------------------------------------------------- answering


def _month_index(text: str) -> int:
    year, month = int(text[:4]), int(text[5:7])
    return year * 12 + month - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_period(settings: Settings, period: str | None) -> Period:
    """`YYYY`, `YYYY-MM`, or `START/END` of those; default the last 12 months."""
    if not period:
        end = _month_index(local_month(settings))
        return Period(start=_month_text(end - 11), end=_month_text(end))

    def bounds(part: str) -> tuple[int, int]:
        year = int(part[:4])
        if not 2000 <= year <= 2100:
            raise _bad("period", "date_out_of_range", "The period must lie within 2000-2100.")
        if len(part) == 4:
            return year * 12, year * 12 + 11
        month = int(part[5:7])
        if not 1 <= month <= 12:
            raise _bad("period", "bad_format", "A month is 01 to 12.")
        return year * 12 + month - 1, year * 12 + month - 1

    first, _, last = period.partition("/")
    start = bounds(first)[0]
    end = bounds(last or first)[1]
    if end < start:
        raise _bad("period", "min_above_max", "The period ends before it starts.")
    if end - start + 1 > MAX_PERIOD_MONTHS:
        raise _bad("period", "too_large", "A period spans at most 120 months.",
                   max=MAX_PERIOD_MONTHS)
    return Period(start=_month_text(start), end=_month_text(end))


def _bad(name: str, code: str, message: str, **params: Any) -> Unprocessable:
    errors: list[FieldError] = [
        field_error(name, message, code, location="query", **params)
    ]
    return Unprocessable(f"Invalid query parameter: {name}", errors=errors)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    groups: Mapping[str, str | None]  # code -> group (None for a group)
    labels: Mapping[str, str]


def taxonomy(session: Session, lang: str) -> Taxonomy:
    kinds = repository.work_kinds(session)
    return Taxonomy(
        groups={k.code: k.parent_code for k in kinds},
        labels={k.code: label_in(lang, k.label_nl, k.label_en, k.label_fr) for k in kinds},
    )


def _filter(
    session: Session, tax: Taxonomy, sources: tuple[str, ...], period: Period,
    work_kind: str | None, region: str | None,
) -> AtomFilter:
    kind = group = level = None
    if work_kind is not None:
        if work_kind not in tax.groups:
            raise _bad("work_kind", "unknown_work_kind",
                       f"We do not know this kind of work: '{work_kind}'.", value=work_kind)
        if tax.groups[work_kind] is None:
            group = work_kind
        else:
            kind = work_kind
    if region is not None:
        info = regions().get(region)
        if info is None:
            raise _bad("region", "unknown_region_id", f"We do not know this region: '{region}'.",
                       value=region)
        level = info.level
    return AtomFilter(sources, period.start, period.end, kind, group, level, region)


def _label(group_by: str, key: str, tax: Taxonomy) -> str:
    if group_by in ("work_kind", "work_group"):
        return tax.labels.get(key, key)
    if group_by == "month":
        return key
    info = regions().get(key)
    return info.name if info else key


def _counts(by_source: Mapping[str, int]) -> DemandCounts:
    s, r, c = (by_source.get(x, 0) for x in DEMAND_SOURCES)
    return DemandCounts(searches=s, requests=r, callouts=c, total=s + r + c)


def demand(
    session: Session, settings: Settings, *, group_by: str, period: str | None,
    work_kind: str | None, region: str | None, source: str, lang: str,
) -> DemandAnswer:
    tax = taxonomy(session, lang)
    span = parse_period(settings, period)
    sources = DEMAND_SOURCES if source == "all" else (source,)
    f = _filter(session, tax, sources, span, work_kind, region)
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for src, key, events in repository.sums(session, group_by, f):
        table[key][src] += events
    other = table.pop("", {})
    info = regions()
    rows = []
    for key, by_source in table.items():
        centre = info.get(key) if group_by in ("country", "province", "municipality") else None
        rows.append(DemandRow(
            key=key, label=_label(group_by, key, tax), demand=_counts(by_source),
            lat=round(centre.lat, 4) if centre else None,
            lon=round(centre.lon, 4) if centre else None,
        ))
    if group_by == "month":
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: (-r.demand.total, r.key))
    totals: dict[str, int] = defaultdict(int)
    for by_source in (*table.values(), other):
        for src, n in by_source.items():
            totals[src] += n
    return DemandAnswer(
        group_by=group_by,
        period=span, source=source,
        threshold=settings.insights_min_requesters,
        rows=rows, other=_counts(other), total=_counts(totals),
    )


def _supply_keys(
    group_by: str, tax: Taxonomy, f: AtomFilter, company_regions: Mapping[uuid.UUID, set[str]],
    site_region: Mapping[uuid.UUID, Region | None],
    sites_by_company: Mapping[uuid.UUID, list[uuid.UUID]],
    caps: Sequence[repository.SupplyCapability],
) -> dict[str, tuple[set[uuid.UUID], set[uuid.UUID], int]]:
    """key -> (companies, sites, capacity) for the supply side of the gaps."""
    out: dict[str, tuple[set[uuid.UUID], set[uuid.UUID], int]] = {}

    def inside(site: uuid.UUID) -> bool:
        if f.region is None:
            return True
        r = site_region.get(site)
        if r is None:
            return False
        ids = {"country": r.country, "province": r.province_id,
               "municipality": r.municipality_id}
        return ids.get(f.region_level or "") == f.region

    for cap in caps:
        group = tax.groups.get(cap.work_kind)
        if f.work_kind is not None and cap.work_kind != f.work_kind:
            continue
        if f.work_group is not None and group != f.work_group:
            continue
        sites = [s for s in sites_by_company.get(cap.company_id, []) if inside(s)]
        if not sites:
            continue
        if group_by in ("work_kind", "work_group"):
            keys_sites = {(cap.work_kind if group_by == "work_kind" else group or ""): sites}
        else:
            keys_sites = defaultdict(list)
            for s in sites:
                r = site_region.get(s)
                if r is None:
                    continue
                key = {"country": r.country, "province": r.province_id,
                       "municipality": r.municipality_id}[group_by]
                keys_sites[key].append(s)
        for key, where in keys_sites.items():
            companies, site_ids, capacity = out.get(key, (set(), set(), 0))
            companies.add(cap.company_id)
            site_ids.update(where)
            out[key] = (companies, site_ids, capacity + cap.capacity_workers)
    return out


def gaps(
    session: Session, settings: Settings, *, group_by: str, period: str | None,
    work_kind: str | None, region: str | None, lang: str,
) -> GapsAnswer:
    tax = taxonomy(session, lang)
    span = parse_period(settings, period)
    f = _filter(session, tax, (*DEMAND_SOURCES, "thin_callout"), span, work_kind, region)
    wanted: dict[str, int] = defaultdict(int)
    thin: dict[str, int] = defaultdict(int)
    for src, key, events in repository.sums(session, group_by, f):
        (thin if src == "thin_callout" else wanted)[key] += events
    sites, caps = repository.supply(session)
    site_region = {s.site_id: region_of_point(s.lat, s.lon, s.country) for s in sites}
    by_company: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for s in sites:
        by_company[s.company_id].append(s.site_id)
    offered = _supply_keys(group_by, tax, f, {}, site_region, by_company, caps)
    keys = (set(wanted) | set(thin) | set(offered)) - {""}
    rows = []
    for key in keys:
        companies, site_ids, capacity = offered.get(key, (set(), set(), 0))
        rows.append(GapRow(
            key=key, label=_label(group_by, key, tax), demand=wanted.get(key, 0),
            thin_callouts=thin.get(key, 0), companies=len(companies), sites=len(site_ids),
            capacity_workers=capacity,
            demand_per_company=round(wanted.get(key, 0) / len(companies), 2)
            if companies else None,
        ))
    rows.sort(key=lambda r: (-(r.demand_per_company if r.demand_per_company is not None
                               else r.demand + 1e9), -r.demand, r.key))
    return GapsAnswer(
        group_by=group_by,
        period=span, threshold=settings.insights_min_requesters, rows=rows,
        other=GapTotals(demand=wanted.get("", 0), thin_callouts=thin.get("", 0)),
        total=GapTotals(demand=sum(wanted.values()), thin_callouts=sum(thin.values())),
    )


def missed_demand(
    session: Session, settings: Settings, company_id: uuid.UUID, principal: Principal,
    *, period: str | None, lang: str,
) -> MissedDemand:
    """Kinds of work asked within reach of the company's sites that it does not offer."""
    if not principal.has_role(Role.company):
        raise Forbidden("Missed demand is for operators and the company itself.")
    if not repository.company_exists(session, company_id) or not principal.may_manage_company(
        company_id
    ):
        raise NotFound(f"Company {company_id} does not exist.")
    tax = taxonomy(session, lang)
    span = parse_period(settings, period)
    sites, caps = repository.supply(session, company_id)
    offered = {c.work_kind for c in caps}
    info = regions()
    reach: dict[str, bool] = {}

    def within(region_id: str) -> bool:
        if region_id not in reach:
            r = info.get(region_id)
            reach[region_id] = r is not None and any(
                haversine_km(s.lat, s.lon, r.lat, r.lon) <= s.radius_km for s in sites
            )
        return reach[region_id]

    found: dict[str, tuple[int, set[str]]] = {}
    for atom in repository.atoms_in(
        session, AtomFilter(DEMAND_SOURCES, span.start, span.end)
    ):
        place = atom.municipality_id or atom.province_id
        if not atom.work_kind or atom.work_kind in offered or not place or not within(place):
            continue
        n, where = found.get(atom.work_kind, (0, set()))
        where.add(place)
        found[atom.work_kind] = (n + atom.events, where)
    kinds = [
        MissedKind(work_kind=code, label=tax.labels.get(code, code), demand=n,
                   regions=sorted(where))
        for code, (n, where) in found.items()
    ]
    kinds.sort(key=lambda k: (-k.demand, k.work_kind))
    return MissedDemand(company_id=str(company_id), period=span,
                        threshold=settings.insights_min_requesters, kinds=kinds)
