"""`loket user create` for the first operator, and the demo's people, as an operator runs
them: the installed command, in its own process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Company, User
from tests.conftest import migrated_database
from tests.test_cli import _loket


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    with migrated_database("people_cli", tmp_path) as url:
        yield url


def _users(url: str) -> list[tuple[str, str, str | None]]:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(User.email, User.role, Company.status)
                .outerjoin(Company, Company.id == User.company_id).order_by(User.email)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]
    finally:
        engine.dispose()


def test_the_first_operator_from_the_command_line(database: str) -> None:
    done = _loket(database, "user", "create", "--email", "Olga@Loket.example",
                  "--name", "Olga", "--role", "admin")
    assert done.returncode == 0, done.stderr
    assert "Created admin account" in done.stdout
    assert _users(database) == [("olga@loket.example", "admin", None)]
    again = _loket(database, "user", "create", "--email", "olga@loket.example",
                   "--name", "Olga", "--role", "admin")
    assert again.returncode == 2 and "already has an account" in again.stderr
    bad = _loket(database, "user", "create", "--email", "not-an-address", "--name", "X")
    assert bad.returncode == 2
    member = _loket(database, "user", "create", "--email", "m@example.org", "--name", "M",
                    "--role", "company")
    assert member.returncode == 2 and "company" in member.stderr


def test_the_demo_has_its_people(database: str) -> None:
    done = _loket(database, "demo", "load")
    assert done.returncode == 0, done.stderr
    assert _users(database) == [
        ("bedrijf2@loket.example", "company", "active"),
        ("bedrijf@loket.example", "company", "active"),
        ("ondernemer@loket.example", "entrepreneur", None),
        ("operator@loket.example", "admin", None),
    ]
    again = _loket(database, "demo", "load")
    assert again.returncode == 0 and "0 people added" in again.stdout
    assert len(_users(database)) == 4
