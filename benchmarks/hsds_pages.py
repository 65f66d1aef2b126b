"""How long the HSDS open-data lists take on the demo data, against `GET /v1/companies`.

Loads the demo companies into a fresh database, then times each call in-process (the app
through Starlette's TestClient: no network, one process) and prints the median and p95 of
`--repeat` calls, each as a ratio to the baseline `GET /v1/companies?limit=50`, measured in the
same run.

    .venv/bin/python -m benchmarks.hsds_pages --database sqlite
    .venv/bin/python -m benchmarks.hsds_pages --database postgresql
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.config import RateLimits, Settings
from app.main import create_app

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SECRET = "benchmark-secret-key-that-is-long-enough-0123456789"
BASELINE = "/v1/companies?limit=50"
CALLS = [
    "/hsds/services?per_page=50",
    "/hsds/services?per_page=500",
    "/hsds/services?per_page=50&page=10",
    "/hsds/services?format=ndjson",
    "/hsds/service_at_locations?per_page=50",
    "/hsds/organizations?per_page=50",
]


def _time(client: TestClient, path: str, repeat: int) -> tuple[float, float, int, int]:
    """Median and p95 in ms, the answer's size in bytes, and its status."""
    times = []
    size = status = 0
    for _ in range(repeat):
        started = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        size, status = len(r.content), r.status_code
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], size, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        admin = None
        name = f"loket_hsds_{uuid.uuid4().hex[:8]}"
        if args.database == "postgresql":
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        else:
            url = f"sqlite:///{Path(tmp) / 'hsds.sqlite'}"
        try:
            env = {**os.environ, "LOKET_DATABASE_URL": url, "LOKET_SECRET_KEY": SECRET,
                   "LOKET_ENV": "test", "LOKET_EMAIL_DIR": str(Path(tmp) / "mail")}
            loket = str(Path(sys.executable).parent / "loket")
            subprocess.run([loket, "db", "upgrade"], env=env, check=True, capture_output=True)
            subprocess.run([loket, "demo", "load"], env=env, check=True, capture_output=True)
            settings = Settings(env="test", database_url=url, secret_key=SECRET,
                                rate_limits=RateLimits(anonymous="1000000/minute"))
            with TestClient(create_app(settings)) as client:
                for path in [BASELINE, *CALLS]:  # warm up: imports, caches, connections
                    client.get(path)
                base, base_p95, base_size, _ = _time(client, BASELINE, args.repeat)
                print(f"{args.database}, demo data, median of {args.repeat} calls (ms); "
                      f"ratio = median / the baseline's median")
                print(f"{'call':45} {'median':>8} {'p95':>8} {'bytes':>9} {'ratio':>6}")
                print(f"{BASELINE + ' (baseline)':45} {base:8.1f} {base_p95:8.1f} "
                      f"{base_size:9d} {1.0:6.2f}")
                for path in CALLS:
                    median, p95, size, status = _time(client, path, args.repeat)
                    assert status == 200, (path, status)
                    print(f"{path:45} {median:8.1f} {p95:8.1f} {size:9d} {median / base:6.2f}")
        finally:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
