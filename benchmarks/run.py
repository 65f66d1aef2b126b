"""Every figure of docs/performance.md in one command, all ratios from the same run:

    .venv/bin/python -m benchmarks.run --json benchmarks/results/latest.json

1. Engine against PostgreSQL + PostGIS (`--sizes`, default 10k and 1m): generate the rows
   (fixed seed), build the engine's catalogue (time; memory kept, by tracemalloc), load the
   same rows into a fresh `loket_bench_*` PostGIS database, answer the general mix
   (`--queries`) and the targeted mix (`--targeted`: top-20 within 150 km, 3-5 kinds, 2
   required certifications) with both, compare every top-k and report latency percentiles.
2. Full catalogue rebuild as a worker does it (`--rebuild-sizes`): the rows loaded into the
   Loket tables of a fresh database, then `CatalogueCache.get` on a new cache: read the rows,
   build the catalogue.
3. HTTP (`--http-size`, in the database of step 2 at that size): `loket serve --workers 2`
   against the SQL-backed endpoint, 16 connections (`benchmarks.http_load`).
4. Cold start: a fresh SQLite database with the demo data, `loket serve` started, the time
   until its first answer to `POST /v1/match`.

Exits 1 when any answer differs from the SQL reference.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

import httpx
import numpy as np
import psycopg
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.matching.catalogue import Catalogue
from app.search import repository
from benchmarks import engine_adapter, http_load, load_postgis, report
from benchmarks.generate import (
    DEFAULT_SEED,
    format_size,
    generate,
    generate_criteria,
    parse_size,
)
from benchmarks.sql_reference import SqlReference, compare

WARMUP = 20
REBUILDS = 3  # full rebuilds timed per size (the median is reported); 1 from 1M sites on
COLD_START_CRITERIA = {"work_kinds": ["packaging"], "location": {"lat": 51.5555, "lon": 5.0913}}


@dataclass
class Latencies:
    engine_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        e, q = np.array(self.engine_ms), np.array(self.sql_ms)
        out = {"candidates_p50": float(np.median(self.candidates))}
        for p in (50, 95, 99):
            out[f"engine_p{p}"] = float(np.percentile(e, p))
            out[f"sql_p{p}"] = float(np.percentile(q, p))
            out[f"ratio_p{p}"] = out[f"sql_p{p}"] / out[f"engine_p{p}"]
        return out


def machine() -> dict[str, str]:
    with psycopg.connect(load_postgis.psycopg_url(load_postgis.DEFAULT_ADMIN_URL)) as conn:
        pg = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    return {"python": platform.python_version(), "numpy": np.__version__, "postgresql": pg,
            "cpu": cpu, "cores": str(os.cpu_count()), "platform": platform.platform()}


def run_mix(catalogue: Catalogue, ref: SqlReference, conn: psycopg.Connection[Any],
            bodies: list[dict[str, Any]], label: str, mismatches: list[str]) -> Latencies:
    crits = [engine_adapter.criteria(b) for b in bodies]
    for crit, body in list(zip(crits, bodies, strict=True))[:WARMUP]:
        engine_adapter.run(catalogue, crit)
        ref.run(conn, body)
    lat = Latencies()
    answers = []
    for crit in crits:
        t0 = time.perf_counter()
        answers.append(engine_adapter.run(catalogue, crit))
        lat.engine_ms.append((time.perf_counter() - t0) * 1000)
    for i, body in enumerate(bodies):
        sql_answer, seconds = ref.timed(conn, body)
        lat.sql_ms.append(seconds * 1000)
        diff = compare(answers[i], sql_answer, body.get("limit", 20))
        if diff is not None:
            mismatches.append(f"{label} #{i}: {diff} | {json.dumps(body)}")
    lat.candidates = [a.total_candidates for a in answers]
    print(f"  {label}: {len(bodies)} queries, engine p95 "
          f"{np.percentile(lat.engine_ms, 95):.2f} ms, SQL p95 "
          f"{np.percentile(lat.sql_ms, 95):.2f} ms", flush=True)
    return lat


def engine_vs_postgis(n_sites: int, args: argparse.Namespace, general: list[dict[str, Any]],
                      targeted: list[dict[str, Any]]) -> dict[str, Any]:
    label = format_size(n_sites)
    print(f"\n== engine vs PostGIS, {label} sites", flush=True)
    ds = generate(n_sites, args.seed)
    kept = engine_adapter.measure_memory(ds)
    t0 = time.perf_counter()
    catalogue = engine_adapter.build_catalogue(ds)
    build_s = time.perf_counter() - t0
    print(f"  {ds.n_companies:,} companies; catalogue built in {build_s:.2f} s, keeps "
          f"{kept / n_sites:.0f} B/site")
    url = load_postgis.create_database(args.pg_url, label)
    try:
        pg_load_s = load_postgis.load_sites(url, ds)
        mismatches: list[str] = []
        with psycopg.connect(url, autocommit=True) as conn:
            ref = SqlReference(ds.taxonomy, engine_adapter.scoring(),
                               SqlReference.largest_radius(conn))
            mixes = {name: run_mix(catalogue, ref, conn, bodies, name, mismatches).summary()
                     for name, bodies in (("general", general), ("targeted", targeted))}
    finally:
        load_postgis.drop_database(args.pg_url, url)
    for line in mismatches[:10]:
        print(f"  MISMATCH {line}")
    return {"size": label, "n_sites": n_sites, "n_companies": ds.n_companies,
            "build_s": build_s, "memory_kept_bytes": kept, "pg_load_s": pg_load_s,
            "mixes": mixes, "queries": {"general": len(general), "targeted": len(targeted)},
            "mismatches": mismatches}


def rebuild_times(url: str, repeats: int) -> dict[str, float]:
    """Seconds of the rebuild a worker does when the version moved: read, then build."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    reads, builds = [], []
    try:
        for _ in range(repeats):
            with Session(engine) as session:
                t0 = time.perf_counter()
                taxonomy = repository.taxonomy(session)
                columns = repository.catalogue_columns(session)
                t1 = time.perf_counter()
                Catalogue.from_columns(taxonomy, columns)
                builds.append(time.perf_counter() - t1)
                reads.append(t1 - t0)
    finally:
        engine.dispose()
    read_s, build_s = median(reads), median(builds)
    return {"read_s": read_s, "build_s": build_s, "total_s": read_s + build_s}


def rebuild_and_http(args: argparse.Namespace, general: list[dict[str, Any]]
                     ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    rebuilds, http = [], None
    sizes = [parse_size(s) for s in args.rebuild_sizes.split(",") if s]
    http_size = parse_size(args.http_size) if args.http_size else None
    for n_sites in sorted({*sizes, *([http_size] if http_size else [])}):
        label = format_size(n_sites)
        print(f"\n== Loket tables, {label} sites", flush=True)
        ds = generate(n_sites, args.seed)
        url = load_postgis.create_database(args.pg_url, f"loket_{label}")
        try:
            load_s = http_load.load_loket(url, ds)
            print(f"  loaded in {load_s:.1f} s", flush=True)
            if n_sites in sizes:
                times = rebuild_times(url, REBUILDS if n_sites < 1_000_000 else 1)
                rebuilds.append({"size": label, "n_sites": n_sites,
                                 "n_companies": ds.n_companies, **times})
                print(f"  full rebuild: read {times['read_s']:.2f} s + build "
                      f"{times['build_s']:.2f} s", flush=True)
            if n_sites == http_size:
                load_postgis.load_sites(url, ds)
                catalogue = engine_adapter.build_catalogue(ds)
                expected = [engine_adapter.run(catalogue, engine_adapter.criteria(b))
                            for b in general[:http_load.CHECKED]]
                del catalogue
                print(f"== HTTP, {label} sites, {http_load.CONNECTIONS} connections, "
                      f"{args.http_duration} s per endpoint", flush=True)
                try:
                    http = {"size": label, **http_load.run(url, general, expected,
                                                           args.http_duration)}
                except Exception as exc:  # reported; the other figures stand
                    print(f"  HTTP failed: {exc!r}", flush=True)
                    http = {"size": label, "error": repr(exc)}
        finally:
            load_postgis.drop_database(args.pg_url, url)
    return rebuilds, http


def cold_start() -> dict[str, Any]:
    """Seconds from starting `loket serve` (fresh SQLite database, demo data loaded) to the
    first answer of `POST /v1/match`: with the bytecode as pip leaves it, and with none."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="loket-bench-cold-") as tmp:
        env = {**os.environ, "LOKET_DATABASE_URL": f"sqlite:///{tmp}/loket.db",
               "LOKET_LOG_LEVEL": "WARNING"}
        loket = str(http_load.BIN / "loket")
        for step in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run([loket, *step], env=env, check=True, capture_output=True)
        for name, extra in (("seconds", {}), ("seconds_no_bytecode",
                                              {"PYTHONPYCACHEPREFIX": f"{tmp}/pycache"})):
            port = http_load.free_port()
            t0 = time.perf_counter()
            with http_load.serve_bare([loket, "serve", "--port", str(port)], {**env, **extra},
                                      Path(tmp) / f"{name}.log"):
                while True:
                    try:
                        response = httpx.post(f"http://127.0.0.1:{port}/v1/match",
                                              json=COLD_START_CRITERIA, timeout=30)
                        break
                    except httpx.TransportError:
                        time.sleep(0.01)
                out[name] = time.perf_counter() - t0
                response.raise_for_status()
                out["matches"] = len(response.json()["matches"])
    print(f"\n== cold start: first match answered {out['seconds']:.2f} s after `loket serve` "
          f"started ({out['seconds_no_bytecode']:.2f} s with no bytecode cached), "
          f"{out['matches']} matches", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,1m", help="engine vs PostGIS; '' to skip")
    parser.add_argument("--queries", type=int, default=1000, help="general criteria per size")
    parser.add_argument("--targeted", type=int, default=200, help="targeted criteria per size")
    parser.add_argument("--rebuild-sizes", default="2k,20k,100k,1m", help="(%(default)s)")
    parser.add_argument("--http-size", default="1m", help="'' to skip (default: %(default)s)")
    parser.add_argument("--http-duration", type=int, default=20, help="seconds per endpoint")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--pg-url", default=load_postgis.DEFAULT_ADMIN_URL,
                        help="maintenance database URL (env LOKET_BENCH_POSTGRES_URL)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    info = {**machine(), "postgis": load_postgis.ensure_postgis(args.pg_url)}
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    general = generate_criteria(args.queries, args.seed)
    targeted = generate_criteria(args.targeted, args.seed, targeted=True)
    started = datetime.now(UTC)
    data: dict[str, Any] = {"machine": info, "command": " ".join(["python -m benchmarks.run",
                                                                  *sys.argv[1:]]),
                            "at": started.isoformat(timespec="seconds"),
                            "load_average_before": os.getloadavg()}

    def save() -> None:  # after each step, so a failure later keeps what was measured
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(data, indent=1) + "\n")

    data["cold_start"] = cold_start()
    data["sizes"] = []
    for size in filter(None, args.sizes.split(",")):
        data["sizes"].append(engine_vs_postgis(parse_size(size), args, general, targeted))
        save()
    data["rebuilds"], data["http"] = rebuild_and_http(args, general)
    data["minutes"] = (datetime.now(UTC) - started).total_seconds() / 60
    data["load_average_after"] = os.getloadavg()
    save()
    print("\n" + report.render(data))
    failed = sum(len(r["mismatches"]) for r in data["sizes"])
    if failed:
        print(f"\nFAILED: {failed} answers differ between the engine and the SQL reference")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
