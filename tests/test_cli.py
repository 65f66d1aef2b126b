"""`loket apikey create` as an operator runs it: the installed command, in its own process,
against a database of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import ApiKey
from tests.conftest import TEST_SECRET_KEY, migrated_database

LOKET = Path(sys.executable).parent / "loket"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    with migrated_database("cli", tmp_path) as url:
        yield url


def _loket(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOKET_DATABASE_URL": url, "LOKET_SECRET_KEY": TEST_SECRET_KEY}
    return subprocess.run([str(LOKET), *args], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _keys(url: str) -> list[ApiKey]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(ApiKey)))
    finally:
        engine.dispose()


def test_a_publishable_partner_key_with_its_origins(database: str) -> None:
    done = _loket(database, "apikey", "create", "--role", "partner", "--name", "Widget",
                  "--publishable", "--origin", "https://partner.example.org",
                  "--origin", "http://localhost:3000")
    assert done.returncode == 0, done.stderr
    secret = done.stdout.strip().splitlines()[-1]
    assert "publishable partner key 'Widget'" in done.stdout
    (key,) = _keys(database)
    assert key.publishable
    assert key.allowed_origins == ["https://partner.example.org", "http://localhost:3000"]
    assert secret.startswith(key.prefix)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "partner", "--publishable"], "needs the origins"),
        (["--role", "partner", "--publishable", "--origin", "https://x.example.org/path"],
         "allowed_origins.0"),
        (["--role", "entrepreneur", "--publishable", "--origin", "https://x.example.org"],
         "Only partner keys can be publishable"),
        (["--role", "partner", "--origin", "https://x.example.org"], "have no origins"),
        (["--role", "company", "--company-id", "not-a-uuid"], "badly formed"),
    ],
)
def test_a_key_the_api_would_refuse_is_refused_and_nothing_is_stored(
    database: str, args: list[str], message: str
) -> None:
    done = _loket(database, "apikey", "create", "--name", "Widget", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stdout == ""
    assert _keys(database) == []
