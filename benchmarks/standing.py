"""What a standing call-out costs the worker: one changed company checked against N open
call-outs, against the baseline of one match (what `POST /v1/match` does), measured in the
same run on the same database.

A SQLite database in a temporary folder gets the demo companies (182) repeated to `--companies`
and `--callouts` published call-outs (packaging near ten towns); then, `--rounds` times, one
company's profile changes (its capacity) and `invite_late_companies` runs.

    .venv/bin/python -m benchmarks.standing --companies 2000 --callouts 100
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

from sqlalchemy import func, select

from app.accounts.principal import Principal, Role
from app.callouts.service import publish
from app.callouts.standing import invite_late_companies
from app.companies.schemas import CompanyCreate
from app.companies.service import create_company, record_profile_change
from app.config import Settings
from app.db import create_db_engine, create_session_factory
from app.demo import demo_companies
from app.models import Capability, StandingCheck, utcnow
from app.requests.schemas import RequestCreate
from app.requests.service import create_request
from app.search.catalogue import CatalogueCache
from app.search.schemas import MatchCriteria
from app.search.service import search

TOWNS = ["Tilburg", "Breda", "Utrecht", "Amsterdam", "Groningen", "Eindhoven", "Zwolle",
         "Arnhem", "Rotterdam", "Den Haag"]
ADMIN = Principal(key_id=uuid.uuid4(), role=Role.admin, name="benchmark")


def _profiles(count: int) -> list[dict[str, object]]:
    templates = [p for p in demo_companies() if p["status"] == "active"]
    out = []
    for i in range(count):
        profile = dict(templates[i % len(templates)])
        profile["name"] = f"{profile['name']} {i}"
        profile["registration"] = {"country": "NL", "number": f"{70000000 + i:08d}"}
        out.append(profile)
    return out


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--callouts", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loket-standing-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    env = {**os.environ, "LOKET_DATABASE_URL": url, "LOKET_ENV": "test",
           "LOKET_SECRET_KEY": "bench-Zq8vK2mP9xR4tY7wB1nC5hJ3gF6dS0aLqWe"}
    subprocess.run([str(Path(sys.executable).parent / "loket"), "db", "upgrade"], env=env,
                   check=True, capture_output=True)
    settings = Settings(database_url=url, env="test", secret_key=env["LOKET_SECRET_KEY"],
                        email_dir=str(folder / "mail"))
    factory = create_session_factory(create_db_engine(settings))
    cache = CatalogueCache()
    with factory.begin() as session:
        companies = [create_company(session, CompanyCreate.model_validate(p), ADMIN).id
                     for p in _profiles(args.companies)]
    owner = Principal(key_id=uuid.uuid4(), role=Role.entrepreneur, name="bench")
    criteria = []
    with factory.begin() as session:
        for i in range(args.callouts):
            body = {"title": f"Verpakken {i}", "contact": {"name": "Bench",
                    "email": "bench@example.org"},
                    "criteria": {"work_kinds": ["packaging"], "workers_needed": 5,
                                 "location": {"place": TOWNS[i % len(TOWNS)], "country": "NL"},
                                 "max_distance_km": 30}}
            request = create_request(session, RequestCreate.model_validate(body), owner, settings)
            criteria.append(MatchCriteria.model_validate(body["criteria"]))
            publish(session, cache, settings, request.id, owner, lang="nl")
    while True:  # the checks the loading left behind, batch by batch
        with factory.begin() as session:
            invite_late_companies(session, cache, settings, utcnow())
            left = session.scalar(select(func.count()).select_from(StandingCheck)
                                  .where(StandingCheck.done_at.is_(None)))
        if not left:
            break

    match_times, job_times = [], []
    for r in range(args.rounds):
        with factory.begin() as session:
            started = time.perf_counter()
            search(session, cache, settings, criteria[r % len(criteria)])
            match_times.append(time.perf_counter() - started)
        with factory.begin() as session:
            company_id = companies[r * 7 % len(companies)]
            cap = session.query(Capability).filter_by(company_id=company_id).first()
            if cap is not None:
                cap.capacity_workers += 1
            record_profile_change(session, [company_id])
        with factory.begin() as session:
            cache.get(session)  # the rebuild a profile change causes, outside the timing
        with factory.begin() as session:
            started = time.perf_counter()
            invite_late_companies(session, cache, settings, utcnow())
            job_times.append(time.perf_counter() - started)
    match, job = statistics.median(match_times), statistics.median(job_times)
    print(f"companies {args.companies}, open call-outs {args.callouts}, rounds {args.rounds}")
    print(f"one match (baseline):                     {_ms(match_times)}")
    print(f"one changed company vs all open call-outs: {_ms(job_times)}")
    print(f"ratio job/match: {job / match:.1f}x; per open call-out: "
          f"{job / match / args.callouts:.2f} matches")


if __name__ == "__main__":
    main()
