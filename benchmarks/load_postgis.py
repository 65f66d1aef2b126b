"""PostgreSQL side of the benchmark: make sure PostGIS is there, create and drop `loket_bench_*`
databases, and load a generated `Dataset` into the denormalised `bench_site` table with COPY.

One row per site, with what the reference query needs and the proper indexes:

| column | type | index |
| --- | --- | --- |
| site_id, company_id | uuid | primary key (site_id) |
| active | boolean (company status = active) | |
| certs | int[]: certification numbers the company holds | GIN |
| available_from | date (NULL: no date given) | |
| lat, lon | float8 | |
| geog | geography(Point, 4326) | GiST |
| service_radius_km | float8 | btree (for max()) |
| kinds | int[]: leaf kind numbers offered at the site | GIN |
| capacity | smallint[36]: capacity per kind number, 0 where not offered | |
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np
import psycopg

from benchmarks.generate import Dataset

EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()

DEFAULT_ADMIN_URL = os.environ.get(
    "LOKET_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

SCHEMA = """
CREATE TABLE bench_site (
    site_id uuid PRIMARY KEY,
    company_id uuid NOT NULL,
    active boolean NOT NULL,
    certs int[] NOT NULL,
    available_from date,
    lat float8 NOT NULL,
    lon float8 NOT NULL,
    geog geography(Point, 4326) NOT NULL,
    service_radius_km float8 NOT NULL,
    kinds int[] NOT NULL,
    capacity smallint[] NOT NULL
)"""
# Per-database settings an engineer would give this workload: no JIT compilation (it only adds
# latency to short OLTP queries) and enough work_mem for the per-company sort to stay in memory.
DATABASE_SETTINGS = ("jit = off", "work_mem = '64MB'")
INDEXES = (
    "CREATE INDEX bench_site_geog ON bench_site USING gist (geog)",
    "CREATE INDEX bench_site_kinds ON bench_site USING gin (kinds)",
    "CREATE INDEX bench_site_certs ON bench_site USING gin (certs)",
    "CREATE INDEX bench_site_radius ON bench_site (service_radius_km)",
)


def psycopg_url(url: str) -> str:
    """A SQLAlchemy URL (postgresql+psycopg://) as libpq wants it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    base, _, _ = psycopg_url(url).rpartition("/")
    return f"{base}/{name}"


def ensure_postgis(admin_url: str, install: bool = True) -> str:
    """The PostGIS version available to the server; installs the Debian package if missing.

    Installing needs root and apt-get (`postgresql-<major>-postgis-3`); without them, or with
    install=False, a missing PostGIS raises RuntimeError with the command to run.
    """
    with psycopg.connect(psycopg_url(admin_url), autocommit=True) as conn:
        major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000  # type: ignore[index]
        row = conn.execute(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'"
        ).fetchone()
    if row is not None:
        return str(row[0])
    package = f"postgresql-{major}-postgis-3"
    if not install or os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise RuntimeError(f"PostGIS is not installed: run `apt-get install -y {package}`")
    print(f"installing {package} ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", package], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return ensure_postgis(admin_url, install=False)


def create_database(admin_url: str, label: str) -> str:
    """A new empty database `loket_bench_<label>_<random>`; returns its libpq URL."""
    name = f"loket_bench_{label}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(psycopg_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    name = url.rpartition("/")[2]
    with psycopg.connect(psycopg_url(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgis_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return str(conn.execute("SELECT postgis_lib_version()").fetchone()[0])  # type: ignore[index]


def _array(values: Any) -> str:
    return "{" + ",".join(map(str, values)) + "}"


def site_rows(ds: Dataset, chunk: int = 50_000) -> Iterator[str]:
    """COPY text for bench_site, in chunks."""
    n_kinds = len(ds.taxonomy.kinds)
    starts = np.searchsorted(ds.offer_site, np.arange(ds.n_sites + 1))
    cert_lists = [_array(i + 1 for i in range(8) if bits >> i & 1) for bits in range(256)]
    for lo in range(0, ds.n_sites, chunk):
        hi = min(ds.n_sites, lo + chunk)
        out = io.StringIO()
        comp = ds.site_company[lo:hi]
        cap = np.zeros((hi - lo, n_kinds), dtype=np.int32)
        o0, o1 = starts[lo], starts[hi]
        cap[ds.offer_site[o0:o1] - lo, ds.offer_kind[o0:o1]] = ds.offer_capacity[o0:o1]
        kind_no = ds.offer_kind[o0:o1].astype(np.int64) + 1
        active = ds.company_active[comp]
        certs = ds.company_certs[comp]
        avail = ds.company_available[comp].astype(np.int64)
        days = np.where(avail > 0, avail - EPOCH_ORDINAL, 0).astype("datetime64[D]").astype(str)
        when = np.where(avail > 0, days, r"\N").tolist()
        caps = cap.tolist()
        lat, lon = ds.site_lat[lo:hi].tolist(), ds.site_lon[lo:hi].tolist()
        radius = ds.site_radius[lo:hi].tolist()
        for i in range(hi - lo):
            s = lo + i
            kinds = _array(kind_no[starts[s] - o0:starts[s + 1] - o0].tolist())
            out.write(
                f"{ds.site_id[s]}\t{ds.company_id[comp[i]]}\t{'t' if active[i] else 'f'}\t"
                f"{cert_lists[certs[i]]}\t{when[i]}\t{lat[i]!r}\t{lon[i]!r}\t"
                f"SRID=4326;POINT({lon[i]!r} {lat[i]!r})\t{radius[i]!r}\t{kinds}\t"
                f"{_array(caps[i])}\n")
        yield out.getvalue()


def load_sites(url: str, ds: Dataset) -> float:
    """Create the PostGIS extension, the table and its indexes, COPY the sites in, ANALYZE.

    Returns the seconds it took. The server's configuration is left as it is; the database gets
    the per-database settings in DATABASE_SETTINGS.
    """
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        name = url.rpartition("/")[2]
        for setting in DATABASE_SETTINGS:
            conn.execute(f'ALTER DATABASE "{name}" SET {setting}')
        conn.execute(SCHEMA)
        with conn.cursor() as cur, cur.copy(
            "COPY bench_site (site_id, company_id, active, certs, available_from, lat, lon,"
            " geog, service_radius_km, kinds, capacity) FROM STDIN"
        ) as copy:
            for text in site_rows(ds):
                copy.write(text)
        for statement in INDEXES:
            conn.execute(statement)
        conn.execute("VACUUM ANALYZE bench_site")
    return time.perf_counter() - t0
