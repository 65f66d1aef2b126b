"""The matching benchmark in one command: engine vs. PostgreSQL/PostGIS, same rows, same run.

    .venv/bin/python -m benchmarks.run --sizes 10k,100k,1m --queries 1000 --http-size 100k

For each size: generate the rows (fixed seed), build the engine's catalogue (time, memory),
load the same rows into a fresh `loket_bench_*` PostGIS database (COPY, indexes), then answer
every criteria with both - the general mix (`--queries`) and the targeted mix of the table in
docs/performance.md (`--targeted`: top-20 within 150 km, 3-5 kinds, 2 required
certifications) - compare every top-k, and report latency percentiles. Exits 1 when any
answer differs. With `--http-size` the HTTP load test (`benchmarks.http_load`) runs
afterwards at that size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import psycopg

from benchmarks import engine_adapter, load_postgis, report
from benchmarks.generate import (
    DEFAULT_SEED,
    format_size,
    generate,
    generate_criteria,
    parse_size,
)
from benchmarks.sql_reference import SqlReference, compare

WARMUP = 20


@dataclass
class Latencies:
    engine_ms: list[float] = field(default_factory=list)
    explained_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        e, q = np.array(self.engine_ms), np.array(self.sql_ms)
        out: dict[str, float] = {}
        for p in (50, 95, 99):
            out[f"engine_p{p}"] = float(np.percentile(e, p))
            out[f"sql_p{p}"] = float(np.percentile(q, p))
            out[f"ratio_p{p}"] = out[f"sql_p{p}"] / out[f"engine_p{p}"]
        x = np.array(self.explained_ms)
        for p in (50, 95, 99):
            out[f"explained_p{p}"] = float(np.percentile(x, p))
        out["engine_mean"], out["sql_mean"] = float(e.mean()), float(q.mean())
        out["explained_mean"] = float(x.mean())
        out["candidates_p50"] = float(np.median(self.candidates))
        return out


@dataclass
class SizeResult:
    size: str
    n_sites: int
    n_companies: int
    builder: str
    generate_s: float
    build_s: float
    memory_kept_bytes: int | None
    memory_peak_bytes: int | None
    numpy_bytes: int
    pg_load_s: float
    mixes: dict[str, dict[str, float]]
    queries: dict[str, int]
    mismatches: list[str]
    load_before: tuple[float, float, float]


def machine() -> dict[str, str]:
    with psycopg.connect(load_postgis.psycopg_url(load_postgis.DEFAULT_ADMIN_URL)) as conn:
        pg = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"python": platform.python_version(), "numpy": np.__version__, "postgresql": pg,
            "cpu": cpu, "platform": platform.platform()}


def run_mix(catalogue: Any, ref: SqlReference, conn: psycopg.Connection[Any],
            bodies: list[dict[str, Any]], label: str, mismatches: list[str]) -> Latencies:
    crits = [engine_adapter.criteria(b) for b in bodies]
    for crit, body in list(zip(crits, bodies, strict=True))[:WARMUP]:
        engine_adapter.run(catalogue, crit)
        engine_adapter.run_explained(catalogue, crit)
        ref.run(conn, body)
    lat = Latencies()
    answers = []
    for crit in crits:
        t0 = time.perf_counter()
        answers.append(engine_adapter.run(catalogue, crit))
        lat.engine_ms.append((time.perf_counter() - t0) * 1000)
    for crit in crits:
        t0 = time.perf_counter()
        engine_adapter.run_explained(catalogue, crit)
        lat.explained_ms.append((time.perf_counter() - t0) * 1000)
    for i, body in enumerate(bodies):
        sql_answer, seconds = ref.timed(conn, body)
        lat.sql_ms.append(seconds * 1000)
        diff = compare(answers[i], sql_answer, body.get("limit", 20))
        if diff is not None:
            mismatches.append(f"{label} #{i}: {diff} | {json.dumps(body)}")
    lat.candidates = [a.total_candidates for a in answers]
    print(f"  {label}: {len(bodies)} queries, median {np.median(lat.candidates):.0f} candidate "
          f"companies, engine mean {np.mean(lat.engine_ms):.2f} ms, SQL mean "
          f"{np.mean(lat.sql_ms):.2f} ms", flush=True)
    return lat


def run_size(n_sites: int, args: argparse.Namespace, general: list[dict[str, Any]],
             targeted: list[dict[str, Any]]) -> SizeResult:
    label = format_size(n_sites)
    load = os.getloadavg()
    print(f"\n== {label} sites (load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})",
          flush=True)
    t0 = time.perf_counter()
    ds = generate(n_sites, args.seed)
    gen_s = time.perf_counter() - t0
    print(f"  generated {ds.n_companies:,} companies, {ds.n_sites:,} sites in {gen_s:.1f} s")

    builder = args.builder
    if builder == "auto":
        builder = "columns" if engine_adapter.bulk_builder_available() else "records"
    kept = peak = None
    if not args.no_memory:
        kept, peak = engine_adapter.measure_memory(ds, builder)
    t0 = time.perf_counter()
    catalogue = engine_adapter.build_catalogue(ds, builder)
    build_s = time.perf_counter() - t0
    nbytes = engine_adapter.numpy_bytes(catalogue)
    memory = "" if kept is None else f", keeps {kept / n_sites:.0f} B/site (tracemalloc)"
    print(f"  engine catalogue ({builder}) built in {build_s:.2f} s{memory}, "
          f"numpy {nbytes / n_sites:.0f} B/site")

    url = load_postgis.create_database(args.pg_url, label)
    try:
        pg_load_s = load_postgis.load_sites(url, ds)
        print(f"  PostGIS database {url.rpartition('/')[2]} loaded in {pg_load_s:.1f} s")
        mismatches: list[str] = []
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET statement_timeout = '120s'")
            ref = SqlReference(ds.taxonomy, engine_adapter.scoring(),
                               SqlReference.largest_radius(conn))
            mixes = {
                "general": run_mix(catalogue, ref, conn, general, "general", mismatches),
                "targeted": run_mix(catalogue, ref, conn, targeted, "targeted", mismatches),
            }
    finally:
        if args.keep:
            print(f"  kept database: {url}")
        else:
            load_postgis.drop_database(args.pg_url, url)
    for line in mismatches[:10]:
        print(f"  MISMATCH {line}")
    return SizeResult(
        size=label, n_sites=ds.n_sites, n_companies=ds.n_companies, builder=builder,
        generate_s=gen_s, build_s=build_s, memory_kept_bytes=kept, memory_peak_bytes=peak,
        numpy_bytes=nbytes, pg_load_s=pg_load_s,
        mixes={name: lat.summary() for name, lat in mixes.items()},
        queries={"general": len(general), "targeted": len(targeted)},
        mismatches=mismatches, load_before=load,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1m", help="site counts (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=1000, help="general criteria per size")
    parser.add_argument("--targeted", type=int, default=200,
                        help="criteria of the targeted mix per size (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--builder", choices=("auto", "columns", "records"), default="auto",
                        help="engine catalogue builder (auto: from_columns when present)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc build")
    parser.add_argument("--keep", action="store_true", help="keep the loket_bench_* databases")
    parser.add_argument("--pg-url", default=load_postgis.DEFAULT_ADMIN_URL,
                        help="maintenance database URL (env LOKET_BENCH_POSTGRES_URL)")
    parser.add_argument("--no-install", action="store_true",
                        help="fail instead of installing PostGIS with apt-get")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--http-size", help="then run the HTTP load test at this size")
    parser.add_argument("--http-duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--http-loket-server", choices=("serve", "uvicorn"), default="serve",
                        help="how to start Loket for the HTTP test (see benchmarks.http_load)")
    args = parser.parse_args(argv)

    postgis = load_postgis.ensure_postgis(args.pg_url, install=not args.no_install)
    info = {**machine(), "postgis": postgis}
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    general = generate_criteria(args.queries, args.seed)
    targeted = generate_criteria(args.targeted, args.seed, targeted=True)
    results = [run_size(parse_size(s), args, general, targeted) for s in args.sizes.split(",")]

    http: dict[str, Any] | None = None
    if args.http_size:
        from benchmarks import http_load

        http = http_load.run(parse_size(args.http_size), seed=args.seed, queries=args.queries,
                             duration=args.http_duration, pg_url=args.pg_url, keep=args.keep,
                             loket_server=args.http_loket_server)
    data = {"machine": info, "seed": args.seed, "command": " ".join(sys.argv),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sizes": [asdict(r) for r in results], "http": http}
    print("\n" + report.render(data))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2))
    failed = sum(len(r.mismatches) for r in results)
    if failed:
        print(f"\nFAILED: {failed} answers differ between the engine and the SQL reference")
        return 1
    print("\nAll answers agree (engine top-k == SQL reference top-k).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
