"""HTTP under load: Loket's `POST /v1/match` against the SQL-backed endpoint and a trivial one.

    .venv/bin/python -m benchmarks.http_load --size 100k --duration 20

1. Generate the rows (same seed as `benchmarks.run`), create a `loket_bench_http_*` database,
   build the Loket schema with `loket db upgrade`, COPY the rows straight into the Loket tables
   and bump `catalogue_state.version` once; load `bench_site` (the SQL baseline) into the same
   database.
2. For each target, one at a time: start it with 2 uvicorn workers on 127.0.0.1, warm it
   (every worker answers and opens its pool; `loket serve` loads the catalogue before it
   starts them), check its answers against the
   in-process engine for the first criteria, then drive it with wrk (one thread, a Lua script
   cycling through the criteria as JSON bodies) at 1 and 16 connections for a fixed duration.
   Targets: `loket serve --workers 2` (LOKET_ENV=production, LOKET_LOG_LEVEL=WARNING, the
   anonymous rate limit raised out of reach), the same app with its engine step replaced by a
   kept answer (`benchmarks.floor_service`, Loket's floor), `benchmarks.sql_service` and
   `benchmarks.trivial_service`.
3. Report req/s, p50 and p99 per target and connection count, and the ratios.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psycopg

from app.matching import Ranking
from benchmarks import engine_adapter, load_postgis, report
from benchmarks.generate import (
    DEFAULT_SEED,
    STATUSES,
    Dataset,
    format_size,
    generate,
    generate_criteria,
    parse_size,
    uuids,
)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONNECTIONS = (1, 16)
WARM_REQUESTS = 64
WARM_ATTEMPTS = 5
# uvicorn's supervisor kills a worker that does not answer its health check (a ping over a pipe,
# answered by a thread that needs the GIL) within 5 s; a long GIL-holding catalogue build at 1M
# sites trips it. `--loket-server uvicorn` runs the same app with this timeout instead.
HEALTHCHECK_S = 300
CHECKED = 50  # answers compared with the in-process engine, per target
UPDATED_AT = "2026-11-01 00:00:00+00"

LUA = """
local bodies = {
%s
}
local requests = {}
local n = 0
function init(args)
  local headers = {["Content-Type"] = "application/json"}
  %s
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", nil, headers, body)
  end
end
function request()
  n = n %% #requests + 1
  return requests[n]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "non_2xx": %%d, "socket_errors": %%d, ' ..
    '"p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "mean_us": %%.1f, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    latency.max))
end
"""


# --- loading the Loket schema --------------------------------------------------------------


def _copy(conn: psycopg.Connection[Any], table: str, columns: str, lines: Iterator[str]) -> None:
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for i, line in enumerate(lines, 1):
            buffer.write(line)
            if i % 50_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def load_loket(url: str, ds: Dataset) -> float:
    """`loket db upgrade`, then COPY the rows into the Loket tables; returns seconds."""
    t0 = time.perf_counter()
    env = {**os.environ, "LOKET_DATABASE_URL": url.replace("postgresql://",
                                                           "postgresql+psycopg://", 1)}
    subprocess.run([str(BIN / "loket"), "db", "upgrade"], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tax = ds.taxonomy
    towns = ds.towns
    first = ds.company_first_site
    cap_ids = uuids(np.random.default_rng([ds.seed, ds.n_sites, 5]), len(ds.cap_kind))
    avail = ds.company_available.astype(np.int64)
    days = np.where(avail > 0, avail - 719163, 0).astype("datetime64[D]").astype(str)
    when = np.where(avail > 0, days, r"\N").tolist()
    home = ds.site_town[first[:-1]].tolist()
    with psycopg.connect(url) as conn:
        # The rows are consistent by construction: skip the per-row foreign-key triggers.
        conn.execute("SET session_replication_role = replica")
        _copy(conn, "companies", "id, name, registration_country, registration_number, "
              "description, website, email, phone, status, available_from, version, "
              "created_at, updated_at", (
                  f"{ds.company_id[c]}\tWerkbedrijf {towns[home[c]].name} {c}\t"
                  f"{towns[home[c]].country}\t{c:08d}\t\t\\N\tinfo{c}@example.org\t\\N\t"
                  f"{STATUSES[ds.company_status[c]]}\t{when[c]}\t1\t{UPDATED_AT}\t"
                  f"{UPDATED_AT}\n" for c in range(ds.n_companies)))
        town = ds.site_town.tolist()
        company = ds.site_company.tolist()
        lat, lon, radius = ds.site_lat.tolist(), ds.site_lon.tolist(), ds.site_radius.tolist()
        _copy(conn, "sites", "id, company_id, position, name, city, country, lat, lon, "
              "location_source, service_radius_km", (
                  f"{ds.site_id[s]}\t{ds.company_id[company[s]]}\t{s - first[company[s]]}\t"
                  f"Vestiging {s - first[company[s]] + 1}\t{towns[town[s]].name}\t"
                  f"{towns[town[s]].country}\t{lat[s]!r}\t{lon[s]!r}\tgiven\t{radius[s]!r}\n"
                  for s in range(ds.n_sites)))
        cap_company = ds.cap_company.tolist()
        cap_kind = ds.cap_kind.tolist()
        capacity = ds.cap_capacity.tolist()
        _copy(conn, "capabilities", "id, company_id, work_kind_code, capacity_workers, "
              "capacity_updated_at", (
                  f"{cap_ids[p]}\t{ds.company_id[cap_company[p]]}\t{tax.kinds[cap_kind[p]]}\t"
                  f"{capacity[p]}\t{UPDATED_AT}\n" for p in range(len(cap_kind))))
        mask = ds.cap_sites.tolist()
        _copy(conn, "capability_sites", "capability_id, site_id", (
            f"{cap_ids[p]}\t{ds.site_id[int(first[cap_company[p]]) + j]}\n"
            for p in np.flatnonzero(ds.cap_sites).tolist() for j in range(8) if mask[p] >> j & 1))
        certs = ds.company_certs.tolist()
        _copy(conn, "company_certifications", "company_id, certification_code", (
            f"{ds.company_id[c]}\t{code}\n" for c in range(ds.n_companies)
            for i, code in enumerate(tax.cert_codes) if certs[c] >> i & 1))
        conn.execute("UPDATE catalogue_state SET version = version + 1, changed_at = now()")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - t0


# --- servers and wrk -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def cpu_seconds(group: int | None = None, command: str | None = None) -> float:
    """CPU time (user + system) the live processes of a process group, or those running a
    command of this name (`postgres`), have spent so far, from /proc."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state) on
        if (group is not None and int(fields[2]) == group) or name == command:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * _TICK_S


@contextmanager
def serve(name: str, command: list[str], env: dict[str, str], port: int, log: Path
          ) -> Iterator[tuple[str, int]]:
    """Run a server in its own process group; yield its base URL and the group; stop the group
    at the end."""
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {log}")
            try:
                if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start within 120 s; see {log}")
            time.sleep(0.5)
        yield base, proc.pid
    except BaseException:
        lines = log.read_text(errors="replace").splitlines()[-30:]
        print(f"  {name} failed; the end of its log ({log}):", *lines, sep="\n    ")
        raise
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def restarts(log: Path) -> int:
    """Workers the supervisor found dead (or hung) and replaced, per the server log."""
    return sum(1 for line in log.read_text(errors="replace").splitlines()
               if line.rstrip().endswith("died")  # uvicorn's supervisor
               or line.rstrip().endswith("starting another."))  # `loket serve`'s


def warm(base: str, bodies: list[dict[str, Any]]) -> tuple[float, list[dict[str, Any]]]:
    """Send WARM_REQUESTS requests over fresh connections (so both workers get some), 4 at a
    time; returns the slowest one's seconds (the catalogue build) and the answers to the
    first CHECKED bodies."""

    def post(body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        t0 = time.perf_counter()
        for attempt in range(WARM_ATTEMPTS):
            try:
                response = httpx.post(f"{base}/v1/match", json=body, timeout=1800)
                break
            except httpx.TransportError:  # e.g. a worker restarted under us
                if attempt + 1 == WARM_ATTEMPTS:
                    raise
                time.sleep(1)
        response.raise_for_status()
        return time.perf_counter() - t0, response.json()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(post, bodies[:max(WARM_REQUESTS, CHECKED)]))
    return max(t for t, _ in results), [answer for _, answer in results[:CHECKED]]


def check(answers: list[dict[str, Any]],
          expected: Sequence[engine_adapter.Answer | Ranking]) -> int:
    """How many answers differ from the in-process engine (company ids, scores)."""
    bad = 0
    for got, want in zip(answers, expected, strict=False):
        ids = [m["company"]["id"] if "company" in m else m["company_id"] for m in got["matches"]]
        scores = [m["score"] for m in got["matches"]]
        if ids != [e.company_id for e in want.entries] or scores != [
                e.score for e in want.entries]:
            bad += 1
    return bad


def wrk(base: str, script: Path, connections: int, duration: int, group: int
        ) -> dict[str, float]:
    """A wrk run's figures, with the CPU the server's processes and PostgreSQL's spent per
    request meanwhile (wrk's own is not counted)."""
    server_before, postgres_before = cpu_seconds(group=group), cpu_seconds(command="postgres")
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "60s", "-s",
         str(script), f"{base}/v1/match"],
        check=True, capture_output=True, text=True, timeout=duration + 120,
    ).stdout
    server_s = cpu_seconds(group=group) - server_before
    postgres_s = cpu_seconds(command="postgres") - postgres_before
    raw = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))
    per_request_ms = 1000 / max(1, raw["requests"])
    return {
        "server_cpu_ms": server_s * per_request_ms,
        "postgres_cpu_ms": postgres_s * per_request_ms,
        "req_per_s": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000, "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000, "mean_ms": raw["mean_us"] / 1000,
        "requests": raw["requests"], "non_2xx": raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
    }


def run(n_sites: int, *, seed: int = DEFAULT_SEED, queries: int = 1000, duration: int = 20,
        pg_url: str = load_postgis.DEFAULT_ADMIN_URL, keep: bool = False,
        loket_server: str = "serve") -> dict[str, Any]:
    """`loket_server`: "serve" (`loket serve --workers 2`) or "uvicorn" (the same app under
    uvicorn with a longer worker health check, see HEALTHCHECK_S)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    label = format_size(n_sites)
    print(f"\n== HTTP load at {label} sites, {duration} s per run, connections {CONNECTIONS}")
    ds = generate(n_sites, seed)
    bodies = generate_criteria(queries, seed)
    catalogue = engine_adapter.build_catalogue(ds)
    expected = [engine_adapter.run(catalogue, engine_adapter.criteria(b))
                for b in bodies[:CHECKED]]
    del catalogue
    url = load_postgis.create_database(pg_url, f"http_{label}")
    work = Path(tempfile.mkdtemp(prefix="loket-bench-http-"))
    results: dict[str, Any] = {"size": label, "n_sites": n_sites, "duration_s": duration}
    try:
        results["loket_load_s"] = load_loket(url, ds)
        print(f"  Loket tables loaded with COPY in {results['loket_load_s']:.1f} s")
        results["sql_load_s"] = load_postgis.load_sites(url, ds)
        print(f"  bench_site loaded in {results['sql_load_s']:.1f} s ({url.rpartition('/')[2]})")
        script = work / "match.lua"
        lua_bodies = ",\n".join(
            f"[==[{json.dumps(b, separators=(',', ':'))}]==]" for b in bodies)
        script.write_text(LUA % (lua_bodies, ""))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        loket = ([str(BIN / "loket"), "serve", "--workers", "2"] if loket_server == "serve" else
                 # The same app as `loket serve` (proxy headers on, no access log), with the
                 # worker health-check timeout raised from uvicorn's 5 s default.
                 [str(BIN / "uvicorn"), "app.main:create_app", "--factory", "--workers", "2",
                  "--proxy-headers", "--no-access-log", "--timeout-worker-healthcheck",
                  str(HEALTHCHECK_S)])
        results["loket_server"] = " ".join(Path(loket[0]).name if i == 0 else a
                                           for i, a in enumerate(loket))
        targets = {
            "loket": loket,
            # Loket with its engine step replaced by a kept answer (benchmarks.floor_service):
            # what the service around the engine costs.
            "floor": [sys.executable, "-m", "benchmarks.floor_service", "--workers", "2"],
            "sql": [str(BIN / "uvicorn"), "benchmarks.sql_service:create_app", "--factory",
                    "--workers", "2", "--no-access-log", "--log-level", "warning"],
            "trivial": [str(BIN / "uvicorn"), "benchmarks.trivial_service:create_app",
                        "--factory", "--workers", "2", "--no-access-log", "--log-level",
                        "warning"],
        }
        target_env = {
            "loket": {"LOKET_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://",
                                                        1),
                      "LOKET_ENV": "production", "LOKET_SECRET_KEY": secrets.token_urlsafe(48),
                      "LOKET_LOG_LEVEL": "WARNING",
                      # Rate limiting stays on (its cost is measured), with a budget the load
                      # test cannot exhaust.
                      "LOKET_RATE_LIMITS__ANONYMOUS": "1000000000/minute"},
            "floor": {},  # Loket's, below
            "sql": {"LOKET_BENCH_SQL_URL": url},
            "trivial": {},
        }
        # Loket again with a partner key on every call, as a partner's embed searches: the
        # key is read and checked per call.
        target_env["loket"]["LOKET_RATE_LIMITS__PARTNER"] = "1000000000/minute"
        target_env["floor"] = target_env["loket"]
        partner_key = subprocess.run(
            [str(BIN / "loket"), "apikey", "create", "--role", "partner", "--name", "bench"],
            check=True, capture_output=True, text=True, cwd=ROOT,
            env={**env, **target_env["loket"]},
        ).stdout.strip().splitlines()[-1]
        keyed_script = work / "match-keyed.lua"
        keyed_script.write_text(
            LUA % (lua_bodies, f'headers["Authorization"] = "Bearer {partner_key}"'))
        for name, command in targets.items():
            port = free_port()
            with serve(name, [*command, "--host", "127.0.0.1", "--port", str(port)],
                       {**env, **target_env[name]}, port, work / f"{name}.log") as (base, group):
                slowest, answers = warm(base, bodies)
                row: dict[str, Any] = {"warm_slowest_s": slowest}
                if name in ("loket", "sql"):
                    row["checked"] = len(answers)
                    row["differences"] = check(answers, expected)
                print(f"  {name}: warm (slowest warm-up request {slowest:.2f} s)"
                      + (f", {row['differences']} of {len(answers)} answers differ from the "
                         "engine" if "differences" in row else ""), flush=True)
                row["worker_restarts_while_warming"] = restarts(work / f"{name}.log")
                if row["worker_restarts_while_warming"]:
                    print(f"  {name}: {row['worker_restarts_while_warming']} worker(s) died "
                          "while warming (uvicorn kills a worker that misses its 5 s health "
                          "check)", flush=True)
                for c in CONNECTIONS:
                    load = os.getloadavg()[0]
                    row[f"c{c}"] = figures = wrk(base, script, c, duration, group)
                    figures["load_before"] = load
                    print(f"    {c:>2} connections: {figures['req_per_s']:8.1f} req/s, "
                          f"p50 {figures['p50_ms']:.2f} ms, p99 {figures['p99_ms']:.2f} ms, "
                          f"non-2xx {figures['non_2xx']}, socket errors "
                          f"{figures['socket_errors']}, CPU per request: server "
                          f"{figures['server_cpu_ms']:.3f} ms, PostgreSQL "
                          f"{figures['postgres_cpu_ms']:.3f} ms (load average before "
                          f"{load:.2f})", flush=True)
                if name == "loket":
                    for c in CONNECTIONS:
                        row[f"keyed_c{c}"] = figures = wrk(base, keyed_script, c, duration,
                                                           group)
                        print(f"    {c:>2} connections, partner key: "
                              f"{figures['req_per_s']:8.1f} req/s, p50 {figures['p50_ms']:.2f} "
                              f"ms, p99 {figures['p99_ms']:.2f} ms, non-2xx "
                              f"{figures['non_2xx']}, CPU per request: server "
                              f"{figures['server_cpu_ms']:.3f} ms, PostgreSQL "
                              f"{figures['postgres_cpu_ms']:.3f} ms", flush=True)
                row["worker_restarts"] = restarts(work / f"{name}.log")
                results[name] = row
    finally:
        if keep:
            print(f"  kept database {url} and {work}")
        else:
            load_postgis.drop_database(pg_url, url)
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n### HTTP, {label} sites\n\n{report.http_table(results)}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.http_load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="100k", help="sites (default: %(default)s)")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--pg-url", default=load_postgis.DEFAULT_ADMIN_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--loket-server", choices=("serve", "uvicorn"), default="serve",
                        help="serve: `loket serve --workers 2`; uvicorn: the same app with a "
                        f"{HEALTHCHECK_S} s worker health check (default: %(default)s)")
    args = parser.parse_args(argv)
    load_postgis.ensure_postgis(args.pg_url)
    results = run(parse_size(args.size), seed=args.seed, queries=args.queries,
                  duration=args.duration, pg_url=args.pg_url, keep=args.keep,
                  loket_server=args.loket_server)
    results["at"] = datetime.now(UTC).isoformat()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    differences = sum(results[n].get("differences", 0) for n in ("loket", "sql"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
