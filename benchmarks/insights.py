"""Insights at scale: an insights query over N stored requests against the plain GROUP BY over
the requests table, and how long a new request takes to show (issue 17's targets).

    .venv/bin/python -m benchmarks.insights --size 1000000 --db sqlite
    .venv/bin/python -m benchmarks.insights --size 1000000 --db postgresql

Per database: a fresh database built by the migrations; N requests (18 months, 50k
entrepreneurs, 1-3 kinds each, a real postcode each) inserted with their demand events (what
`POST /v1/requests` records); one refresh (the worker's job) folds them; then, in the same
run, p95 of:
- the baseline: `SELECT first asked kind, month, count(*) FROM requests GROUP BY 1, 2` over the
  last 12 months (the JSON criteria, as stored);
- the insights query: `GET /v1/insights/demand`'s service call, by kind of work and by
  province, over the last 12 months.
Then one more request is stored and committed, and the time until the insights answer shows
it is measured: the refresh (run by the worker at most every `insights_refresh_seconds`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from app.config import Settings
from app.geo import region_of_postcode
from app.geo.geocoder import _postcodes
from app.insights import service
from app.models import Request

PG_URL = os.environ.get("LOKET_BENCH_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
KINDS = ["packaging", "assembly", "cleaning", "green-maintenance", "order-fulfilment",
         "document-digitization", "catering", "warehousing", "textile-recycling",
         "sorting-inspection", "bicycle-repair", "woodworking", "mail-handling", "laundry",
         "electronics-recycling", "furniture-refurbishing", "customer-contact", "painting"]
CHUNK = 20_000


def _database(kind: str) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        path = f"/tmp/loket-bench-insights-{uuid.uuid4().hex[:6]}.db"

        def remove() -> None:
            if os.path.exists(path):
                os.remove(path)

        return f"sqlite:///{path}", remove
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"loket_bench_insights_{uuid.uuid4().hex[:6]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False), drop


def _migrate(url: str) -> None:
    from alembic import command

    from app.cli import alembic_config

    os.environ["LOKET_DATABASE_URL"] = url
    command.upgrade(alembic_config(), "head")


def _fill(engine: Engine, settings: Settings, size: int, seed: int) -> float:
    rng = random.Random(seed)
    postcodes = sorted(_postcodes())
    regions = {pc: region_of_postcode(*pc) for pc in postcodes}
    owners = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(50_000)]
    now = datetime.now(UTC)
    requests_table = Request.__table__
    started = time.perf_counter()
    with engine.begin() as c:
        for start in range(0, size, CHUNK):
            rows: list[dict[str, Any]] = []
            events: list[dict[str, Any]] = []
            for _ in range(min(CHUNK, size - start)):
                owner = owners[int(rng.paretovariate(1.2)) % len(owners)]
                country, postcode = postcodes[int(rng.random() ** 2 * len(postcodes))]
                kinds = rng.sample(KINDS[: rng.randint(3, len(KINDS))], rng.randint(1, 3))
                when = now - timedelta(seconds=rng.randrange(18 * 30 * 86400))
                rid = uuid.UUID(int=rng.getrandbits(128))
                rows.append({
                    "id": rid, "owner_id": owner, "title": "Benchmark", "description": "",
                    "criteria": {"work_kinds": kinds,
                                 "location": {"postcode": postcode, "country": country}},
                    "status": "draft", "version": 1, "created_at": when, "updated_at": when,
                })
                events += service.event_rows(
                    settings, "request", kinds, regions[(country, postcode)],
                    service.owner_requester(settings, owner), when)
            c.execute(requests_table.insert(), rows)  # type: ignore[attr-defined]
            c.execute(service.repository.EVENTS.insert(), events)
    return time.perf_counter() - started


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _time(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def run(db: str, size: int, seed: int, repeat: int) -> dict[str, Any]:
    url, drop = _database(db)
    try:
        _migrate(url)
        settings = Settings(database_url=url)
        engine = create_engine(url)
        fill_s = _fill(engine, settings, size, seed)
        with Session(engine) as s:
            t = time.perf_counter()
            service.refresh(s, settings, force=True)
            s.commit()
            first_refresh_s = time.perf_counter() - t
        since = (datetime.now(UTC) - timedelta(days=365)).isoformat()
        if db == "sqlite":
            baseline_sql = ("SELECT json_extract(criteria, '$.work_kinds[0]') AS kind, "
                            "strftime('%Y-%m', created_at) AS month, count(*) FROM requests "
                            "WHERE created_at >= :since GROUP BY kind, month")
        else:
            baseline_sql = ("SELECT criteria->'work_kinds'->>0 AS kind, "
                            "to_char(created_at, 'YYYY-MM') AS month, count(*) FROM requests "
                            "WHERE created_at >= :since GROUP BY kind, month")
        with engine.connect() as c:
            c.execute(text("ANALYZE"))
            baseline = _time(lambda: c.execute(text(baseline_sql), {"since": since}).all(),
                             max(3, repeat // 10))
        with Session(engine) as s:
            def ask(group_by: str) -> Any:
                return service.demand(s, settings, group_by=group_by, period=None,
                                      work_kind=None, region=None, source="all", lang="nl")
            ask("work_kind")  # warm the taxonomy and the region tables
            by_kind = _time(lambda: ask("work_kind"), repeat)
            by_province = _time(lambda: ask("province"), repeat)
            shown_before = ask("work_kind").total.total
        # A new request, committed as POST /v1/requests commits it; then the refresh.
        with Session(engine) as s:
            owners = [uuid.uuid4() for _ in range(settings.insights_min_requesters)]
            for owner in owners:  # enough distinct requesters for a cell of its own
                service.record(s, settings, "request", ["laundry"],
                               region_of_postcode("NL", "5038"),
                               service.owner_requester(settings, owner))
            s.commit()
            t = time.perf_counter()
            service.refresh(s, settings, force=True)
            s.commit()
            refresh_s = time.perf_counter() - t
            shown_after = service.demand(s, settings, group_by="work_kind", period=None,
                                         work_kind=None, region=None, source="all",
                                         lang="nl").total.total
        with engine.connect() as c:
            atoms = c.execute(text("SELECT count(*) FROM insight_atoms")).scalar_one()
            cells = c.execute(text("SELECT count(*) FROM insight_cells")).scalar_one()
        engine.dispose()
        base = _p95(baseline)
        return {
            "db": db, "size": size, "fill_s": round(fill_s, 1),
            "first_refresh_s": round(first_refresh_s, 1), "cells": cells, "atoms": atoms,
            "baseline_p95_ms": round(base, 1),
            "insights_by_kind_p95_ms": round(_p95(by_kind), 2),
            "insights_by_province_p95_ms": round(_p95(by_province), 2),
            "ratio_by_kind": round(_p95(by_kind) / base, 4),
            "ratio_by_province": round(_p95(by_province) / base, 4),
            "new_request_refresh_s": round(refresh_s, 2),
            "new_request_shown": shown_after - shown_before,
            "refresh_every_s": settings.insights_refresh_seconds,
        }
    finally:
        drop()


def overhead(url: str, repeat: int) -> dict[str, Any]:
    """What recording adds to `POST /v1/match`: the service's search alone, then search plus
    `record_search` and the flush of its INSERT, interleaved, each in a rolled-back session
    of a database with companies (e.g. the demo's, from `make run`)."""
    from app.search.catalogue import CatalogueCache
    from app.search.schemas import MatchCriteria
    from app.search.service import search

    settings = Settings(database_url=url)
    engine = create_engine(url)
    cache = CatalogueCache()
    criteria = MatchCriteria.model_validate({
        "work_kinds": ["packaging", "assembly"],
        "location": {"postcode": "5038", "country": "NL"}, "limit": 20})
    plain: list[float] = []
    recorded: list[float] = []
    for i in range(repeat + 5):
        with Session(engine) as s:
            t = time.perf_counter()
            result = search(s, cache, settings, criteria)
            searched = time.perf_counter()
            where = result.location.resolved if result.location else None
            assert where is not None
            service.record_search(s, settings, work_kinds=criteria.work_kinds, lat=where.lat,
                                  lon=where.lon, country=where.country,
                                  postcode=where.postcode, principal=None,
                                  address=f"192.0.2.{i % 250}")
            s.flush()
            done = time.perf_counter()
            s.rollback()
        if i >= 5:  # warm-up: the catalogue and the geo tables
            plain.append((searched - t) * 1000)
            recorded.append((done - t) * 1000)
    engine.dispose()
    return {
        "overhead_search_p50_ms": round(statistics.median(plain), 2),
        "overhead_with_recording_p50_ms": round(statistics.median(recorded), 2),
        "overhead_search_p95_ms": round(_p95(plain), 2),
        "overhead_with_recording_p95_ms": round(_p95(recorded), 2),
        "overhead_recording_p50_ms": round(statistics.median(
            r - p for r, p in zip(recorded, plain, strict=True)), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--overhead-db", help="measure only what recording adds to a search, "
                        "on this database URL (one with companies, e.g. make run's)")
    args = parser.parse_args()
    if args.overhead_db:
        print(json.dumps(overhead(args.overhead_db, args.repeat * 5)), flush=True)
        return
    for db in args.db or ["sqlite", "postgresql"]:
        print(json.dumps(run(db, args.size, args.seed, args.repeat)), flush=True)


if __name__ == "__main__":
    main()
