"""How fast `loket import` lands profiles.

Writes N fictional profiles (the demo companies, repeated with fresh registration numbers) to
a JSON Lines file, imports them into an empty database, and prints profiles per second.

    .venv/bin/python -m benchmarks.import_rate --profiles 100000 --database sqlite
    .venv/bin/python -m benchmarks.import_rate --profiles 100000 --database postgresql
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from app.demo import demo_companies

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def be_enterprise_number(base: int) -> str:
    # Belgian enterprise numbers: 8 digits, then 97 - (those 8 digits mod 97).
    return f"{base:08d}{97 - base % 97:02d}"


def write_profiles(path: Path, count: int) -> None:
    templates = demo_companies()
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            profile = dict(templates[i % len(templates)])
            profile["name"] = f"{profile['name']} {i}"
            if profile["registration"]["country"] == "NL":
                number = f"{20_000_000 + i:08d}"
            else:
                number = be_enterprise_number(2_000_000 + i)
            profile["registration"] = {"country": profile["registration"]["country"],
                                       "number": number}
            handle.write(json.dumps(profile) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "profiles.jsonl"
        write_profiles(source, args.profiles)
        admin = None
        name = f"loket_import_{uuid.uuid4().hex[:8]}"
        if args.database == "postgresql":
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        else:
            url = f"sqlite:///{Path(tmp) / 'import.db'}"
        env = {**os.environ, "LOKET_DATABASE_URL": url}
        loket = str(Path(sys.executable).with_name("loket"))
        try:
            subprocess.run([loket, "db", "upgrade"], env=env, check=True, capture_output=True)
            started = time.perf_counter()
            done = subprocess.run([loket, "import", str(source)], env=env, capture_output=True,
                                  text=True, check=False)
            elapsed = time.perf_counter() - started
        finally:
            if admin is not None:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:])
    print(f"{args.database}: {args.profiles} profiles in {elapsed:.1f} s wall "
          f"= {args.profiles / elapsed:.0f} profiles/s (exit {done.returncode})")


if __name__ == "__main__":
    main()
