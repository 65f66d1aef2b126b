"""HTTP under load: Loket's `POST /v1/match` against the SQL-backed endpoint, same database.

`load_loket` fills the Loket tables of a database with a generated `Dataset` (COPY); `run`
then starts each endpoint with 2 uvicorn workers on 127.0.0.1 - `loket serve --workers 2`
(production settings, the rate limit out of reach) and `benchmarks.sql_service` (the reference
query of `sql_reference.py` over `bench_site`) - warms it (every worker builds what it keeps),
checks its first answers against the in-process engine, and drives it with wrk (1 thread, a
Lua script cycling through the criteria) at 16 connections. Called by `benchmarks.run`.
"""

from __future__ import annotations

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
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psycopg

from benchmarks.engine_adapter import Answer
from benchmarks.generate import STATUSES, Dataset, uuids

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONNECTIONS = 16
WARM_REQUESTS = 64
CHECKED = 50  # answers compared with the in-process engine, per endpoint
UPDATED_AT = "2026-11-01 00:00:00+00"

LUA = """
local bodies = {
%s
}
local requests = {}
local n = 0
function init(args)
  for i, body in ipairs(bodies) do
    requests[i] = wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
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
    '"p50_us": %%d, "p99_us": %%d}\\n', summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))
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


# --- servers and wrk ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_bare(command: list[str], env: dict[str, str], log: Path
               ) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group; stop the group at the end."""
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@contextmanager
def serve(name: str, command: list[str], env: dict[str, str], port: int, log: Path
          ) -> Iterator[str]:
    """`serve_bare`, yielding its base URL once it answers."""
    base = f"http://127.0.0.1:{port}"
    with serve_bare(command, env, log) as proc:
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
            yield base
        except BaseException:
            lines = log.read_text(errors="replace").splitlines()[-30:]
            print(f"  {name} failed; the end of its log ({log}):", *lines, sep="\n    ")
            raise


def warm(base: str, bodies: list[dict[str, Any]]) -> tuple[float, list[dict[str, Any]]]:
    """WARM_REQUESTS requests, 4 at a time over fresh connections (so both workers get some);
    returns the slowest one's seconds (a worker's catalogue build) and the first answers."""

    def post(body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        t0 = time.perf_counter()
        response = httpx.post(f"{base}/v1/match", json=body, timeout=1800)
        response.raise_for_status()
        return time.perf_counter() - t0, response.json()

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(post, bodies[:max(WARM_REQUESTS, CHECKED)]))
    return max(t for t, _ in results), [answer for _, answer in results[:CHECKED]]


def differences(answers: list[dict[str, Any]], expected: Sequence[Answer]) -> int:
    """How many answers differ from the in-process engine's (company ids, scores)."""
    bad = 0
    for got, want in zip(answers, expected, strict=False):
        ids = [m["company"]["id"] if "company" in m else m["company_id"] for m in got["matches"]]
        scores = [m["score"] for m in got["matches"]]
        bad += ids != [e.company_id for e in want.entries] or scores != [
            e.score for e in want.entries]
    return bad


def wrk(base: str, script: Path, duration: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--timeout", "60s", "-s",
         str(script), f"{base}/v1/match"],
        check=True, capture_output=True, text=True, timeout=duration + 120,
    ).stdout
    raw = json.loads(next(line for line in reversed(out.splitlines()) if line.startswith("{")))
    return {"req_per_s": raw["requests"] / (raw["duration_us"] / 1e6),
            "p50_ms": raw["p50_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "requests": raw["requests"], "non_2xx": raw["non_2xx"],
            "socket_errors": raw["socket_errors"]}


def run(url: str, bodies: list[dict[str, Any]], expected: Sequence[Answer], duration: int
        ) -> dict[str, Any]:
    """Both endpoints against the database at `url` (Loket tables and `bench_site` loaded)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="loket-bench-http-"))
    script = work / "match.lua"
    script.write_text(LUA % ",\n".join(
        f"[==[{json.dumps(b, separators=(',', ':'))}]==]" for b in bodies))
    uvicorn = [str(BIN / "uvicorn"), "--workers", "2", "--no-access-log", "--log-level",
               "warning"]
    targets = {
        "loket": ([str(BIN / "loket"), "serve", "--workers", "2"], {
            "LOKET_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://", 1),
            "LOKET_ENV": "production", "LOKET_SECRET_KEY": secrets.token_urlsafe(48),
            "LOKET_LOG_LEVEL": "WARNING",
            # Rate limiting stays on (its cost counts), with a budget wrk cannot exhaust.
            "LOKET_RATE_LIMITS__ANONYMOUS": "1000000000/minute"}),
        "sql": ([*uvicorn, "benchmarks.sql_service:create_app", "--factory"],
                {"LOKET_BENCH_SQL_URL": url}),
    }
    results: dict[str, Any] = {"connections": CONNECTIONS, "duration_s": duration}
    try:
        for name, (command, env) in targets.items():
            port = free_port()
            with serve(name, [*command, "--host", "127.0.0.1", "--port", str(port)],
                       {**os.environ, "PYTHONPATH": str(ROOT), **env}, port,
                       work / f"{name}.log") as base:
                slowest, answers = warm(base, bodies)
                row = {"warm_slowest_s": slowest, "checked": len(answers),
                       "differences": differences(answers, expected), **wrk(base, script,
                                                                             duration)}
                print(f"  {name}: {row['req_per_s']:.1f} req/s, p50 {row['p50_ms']:.1f} ms, "
                      f"p99 {row['p99_ms']:.1f} ms, non-2xx {row['non_2xx']}, "
                      f"{row['differences']} of {len(answers)} checked answers differ "
                      f"(slowest warm-up request {slowest:.1f} s)", flush=True)
                results[name] = row
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results
