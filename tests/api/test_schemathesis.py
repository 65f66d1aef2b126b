"""The OpenAPI document against the running server, with Schemathesis' own runner: every check
it has (`--checks all`: server errors, status codes, content types, headers and bodies as
documented, schema-invalid input refused, schema-valid input accepted, auth not ignored, a
deleted resource gone, a created one there, ...) over all its phases (examples, coverage,
fuzzing, and the stateful phase that chains calls through the document's links and the
resources it saw), as an anonymous caller and with a key of each role.

`loket serve` runs on this session's database (SQLite or PostgreSQL, as the suite). The seed
is fixed (deterministic generation) and each role has a time budget
(LOKET_SCHEMATHESIS_SECONDS, default 30 s), so a run stays under four minutes per database.
Rules JSON Schema cannot state are listed in tests/api/schemathesis.toml, with why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.accounts.service import create_api_key
from app.models import Company
from tests.conftest import TEST_SECRET_KEY, migrated_database
from tests.test_serve import _free_port

pytestmark = pytest.mark.slow

LOKET = Path(sys.executable).parent / "loket"
SCHEMATHESIS = Path(sys.executable).parent / "st"
CONFIG = Path(__file__).with_name("schemathesis.toml")
SECONDS = int(os.environ.get("LOKET_SCHEMATHESIS_SECONDS", "30"))
ROLES = ["anonymous", "admin", "company", "entrepreneur", "partner"]


class Served:
    def __init__(self, base_url: str, database_url: str, env: dict[str, str]) -> None:
        self.base_url = base_url
        self.database_url = database_url
        self.env = env

    def new_key(self, role: str) -> str:
        """A fresh key for each run: an operator's run may have revoked the earlier ones."""
        engine = create_engine(self.database_url)
        try:
            with Session(engine) as session:
                company_id = None
                if role == "company":
                    company_id = session.scalars(
                        select(Company.id).where(Company.status == "active").limit(1)
                    ).one()
                created = create_api_key(
                    session, secret_key=TEST_SECRET_KEY, name=f"schemathesis {role}",
                    role=Role(role), company_id=company_id,
                )
                session.commit()
                return created.secret
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`loket serve` on a database of this session's backend, with the demo companies."""
    directory = tmp_path_factory.mktemp("schemathesis")
    with migrated_database(f"st_{uuid.uuid4().hex[:6]}", directory) as url:
        env = {**os.environ, "LOKET_DATABASE_URL": url, "LOKET_SECRET_KEY": TEST_SECRET_KEY,
               "LOKET_ENV": "test", "LOKET_LOG_LEVEL": "WARNING",
               "LOKET_EMAIL_DIR": str(directory / "mail")}
        # Schemathesis calls far faster than any client may: no budget runs out mid-run.
        env.update({f"LOKET_RATE_LIMITS__{role.upper()}": "1000000/minute" for role in ROLES})
        subprocess.run([str(LOKET), "demo", "load"], env=env, check=True, capture_output=True)
        port = _free_port()
        log = (directory / "server.log").open("wb")
        process = subprocess.Popen(
            [str(LOKET), "serve", "--port", str(port)], env=env, stdout=log, stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/health/ready", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("loket serve did not start")
                time.sleep(0.2)
            yield Served(base, url, env)
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()


# Calls that end the caller's own key (found through `GET /v1/api-keys`): run last, in a run
# of their own, so that they do not end the main run's key halfway.
KEY_ENDING = ["POST /v1/api-keys/{key_id}/rotate", "DELETE /v1/api-keys/{key_id}"]


def _schemathesis(
    served: Served, role: str, report: Path, seconds: int, selection: list[str],
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", f"{served.base_url}/openapi.json",
        *selection,
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--generation-deterministic",
        "--max-time", str(seconds),
        "--request-timeout", "30",
        "--workers", "1",
        "--no-color",
        "--report", "json", "--report-json-path", str(report),
    ]
    if role != "anonymous":
        command += ["--header", f"Authorization: Bearer {served.new_key(role)}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds * 4 + 120,
                          cwd=report.parent)
    return done, json.loads(report.read_text())


@pytest.mark.parametrize("role", ROLES)
def test_the_server_keeps_the_openapi_contract(
    served: Served, role: str, tmp_path: Path, record_property: pytest.RecordProperty,
) -> None:
    started = time.monotonic()
    cases = 0
    excluded = [arg for name in KEY_ENDING for arg in ("--exclude-name", name)]
    included = [arg for name in KEY_ENDING for arg in ("--include-name", name)]
    for part, seconds, selection in (
        ("main", SECONDS * 4 // 5, excluded), ("key-ending", SECONDS // 5, included),
    ):
        done, summary = _schemathesis(
            served, role, tmp_path / f"{part}.json", max(seconds, 1), selection
        )
        cases += summary["test_cases"]["generated"]
        assert done.returncode == 0, done.stdout[-20000:] + done.stderr[-5000:]
        assert not summary["failures"] and not summary["errors"]
    elapsed = time.monotonic() - started
    record_property("schemathesis_cases", cases)
    record_property("schemathesis_seconds", round(elapsed, 1))
    print(f"schemathesis {role}: {cases} cases in {elapsed:.0f} s")  # shown with -rP / -s
    assert cases > 0  # it tested something (how much in its time depends on the machine)
