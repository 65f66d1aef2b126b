"""The reads every match and every keyed call make as the service runs them - the catalogue
version and the caller's key, each one autocommit read on a probe engine of its own - against
a database of its own with real commits, seen by two app instances (two worker processes, as
far as the database can tell)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from app.accounts.keys import parse_key
from app.accounts.principal import Role
from app.accounts.repository import key_row_by_prefix, key_row_by_prefix_on_loop
from app.config import Settings
from app.db import (
    LoopProbe,
    create_db_engine,
    create_loop_probe,
    create_probe_engine,
    create_session_factory,
)
from app.main import create_app
from app.models import ApiKey
from app.search.repository import probe_catalogue_version, probe_catalogue_version_on_loop
from tests.conftest import (
    TEST_SECRET_KEY,
    LiveServer,
    backend,
    fresh_database,
    make_key,
    migrated_database,
)
from tests.factories import create_company

TILBURG = {"lat": 51.5555, "lon": 5.0913}


@pytest.fixture
def empty_settings(tmp_path: Path, settings: Settings) -> Iterator[Settings]:
    """Settings for a database of its own, without the schema yet."""
    with fresh_database("probe", tmp_path) as url:
        yield settings.model_copy(update={"database_url": url, "secret_key": TEST_SECRET_KEY})


@pytest.fixture
def own_settings(tmp_path: Path, settings: Settings) -> Iterator[Settings]:
    with migrated_database("probe", tmp_path) as url:
        yield settings.model_copy(update={"database_url": url, "secret_key": TEST_SECRET_KEY})


@pytest.fixture
def own_engine(own_settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(own_settings)
    yield engine
    engine.dispose()


def _names(server: LiveServer) -> list[str]:
    answer = httpx.post(f"{server.url}/v1/match", timeout=30,
                        json={"work_kinds": ["packaging"], "location": TILBURG})
    assert answer.status_code == 200, answer.text
    return [m["company"]["name"] for m in answer.json()["matches"]]


def test_a_change_through_one_worker_is_in_the_next_match_of_another(
    own_settings: Settings, own_engine: Engine
) -> None:
    factory = create_session_factory(own_engine)
    with factory() as session:
        company = create_company(session, "Oude Naam", town="Tilburg", kinds={"packaging": 5})
        admin = {"Authorization": f"Bearer {make_key(session, Role.admin)}"}
    servers = [LiveServer(create_app(own_settings)) for _ in range(2)]
    try:
        for server in servers:
            server.start()
        assert [_names(s) for s in servers] == [["Oude Naam"], ["Oude Naam"]]  # both warm

        writer, reader = servers
        current = httpx.get(f"{writer.url}/v1/companies/{company.id}", headers=admin)
        renamed = httpx.patch(f"{writer.url}/v1/companies/{company.id}",
                              json={"name": "Nieuwe Naam"},
                              headers={**admin, "If-Match": current.headers["etag"]})
        assert renamed.status_code == 200, renamed.text

        assert _names(reader) == ["Nieuwe Naam"]
        assert _names(writer) == ["Nieuwe Naam"]
    finally:
        for server in servers:
            server.stop()


def test_a_keyed_call_reads_its_key_per_call_and_a_revocation_holds_at_once(
    own_settings: Settings, own_engine: Engine
) -> None:
    factory = create_session_factory(own_engine)
    with factory() as session:
        create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 5})
        partner = {"Authorization": f"Bearer {make_key(session, Role.partner)}"}
        admin = {"Authorization": f"Bearer {make_key(session, Role.admin)}"}
    servers = [LiveServer(create_app(own_settings)) for _ in range(2)]
    try:
        for server in servers:
            server.start()
        searcher, operator = servers
        body = {"work_kinds": ["packaging"], "location": TILBURG}
        assert httpx.post(f"{searcher.url}/v1/match", json=body, headers=partner).status_code == 200
        with factory() as session:
            key = session.scalars(select(ApiKey).where(ApiKey.role == "partner")).one()
        assert key.last_used_at is not None  # its first use is recorded

        revoked = httpx.delete(f"{operator.url}/v1/api-keys/{key.id}", headers=admin)
        assert revoked.status_code == 204, revoked.text
        refused = httpx.post(f"{searcher.url}/v1/match", json=body, headers=partner)
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
    finally:
        for server in servers:
            server.stop()


@contextmanager
def _probe(settings: Settings) -> Iterator[Engine]:
    probe = create_probe_engine(settings)
    try:
        yield probe
    finally:
        probe.dispose()


@pytest.mark.skipif(backend() != "postgresql", reason="needs a server that can drop connections")
def test_a_probe_survives_the_server_dropping_its_connections(
    own_settings: Settings, own_engine: Engine
) -> None:
    with _probe(own_settings) as probe:
        before = probe_catalogue_version(probe)
        with probe.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with own_engine.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        assert probe_catalogue_version(probe) == before  # retried on a fresh connection


@pytest.mark.skipif(backend() != "postgresql", reason="needs a server that can drop connections")
def test_a_key_read_survives_the_server_dropping_its_connection(
    own_settings: Settings, own_engine: Engine
) -> None:
    with create_session_factory(own_engine)() as session:
        secret = make_key(session, Role.partner)
    prefix = parse_key(secret).prefix  # type: ignore[union-attr]
    with _probe(own_settings) as probe:
        with probe.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with own_engine.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        row = key_row_by_prefix(probe, prefix)  # retried on a fresh connection
        assert row is not None and row.role == "partner"


@pytest.mark.skipif(backend() != "postgresql", reason="PostgreSQL's own timeouts")
def test_a_probe_gives_up_on_a_hanging_server_quickly(own_settings: Settings) -> None:
    # Probes run on the event loop; a stuck statement must not hold a worker for long.
    with _probe(own_settings) as probe, probe.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "2s"
        with pytest.raises(OperationalError):
            connection.execute(text("SELECT pg_sleep(5)"))


def test_probe_errors_come_out_as_sqlalchemy_errors(empty_settings: Settings) -> None:
    # No schema yet: the driver's error, wrapped as SQLAlchemy wraps every other one.
    with _probe(empty_settings) as probe, pytest.raises(DBAPIError):
        probe_catalogue_version(probe)
    if backend() == "postgresql":  # a server that is not there: 503 material
        gone = empty_settings.model_copy(update={
            "database_url": "postgresql+psycopg://postgres@127.0.0.1:9/loket"})
        with _probe(gone) as probe, pytest.raises(OperationalError):
            probe_catalogue_version(probe)


def _on_loop(settings: Settings, *reads: Any) -> list[Any]:
    """Each `read(loop_probe)` in turn, in one event loop, with the loop probe next to a probe
    engine for `settings`; an exception is returned in place of its result."""
    async def run(probe: LoopProbe) -> list[Any]:
        out: list[Any] = []
        try:
            for read in reads:
                try:
                    out.append(await read(probe))
                except Exception as exc:
                    out.append(exc)
        finally:
            await probe.close()
        return out

    with _probe(settings) as engine:
        loop_probe = create_loop_probe(engine)
        assert loop_probe is not None
        return asyncio.run(run(loop_probe))


needs_postgresql = pytest.mark.skipif(
    backend() != "postgresql", reason="the loop probe is PostgreSQL's (SQLite blocks briefly)")


def test_sqlite_has_no_loop_probe(settings: Settings) -> None:
    if backend() == "postgresql":
        pytest.skip("SQLite only")
    with _probe(settings) as engine:
        assert create_loop_probe(engine) is None


@needs_postgresql
def test_the_loop_probe_reads_what_the_probe_reads_and_sees_each_commit(
    own_settings: Settings, own_engine: Engine
) -> None:
    with _probe(own_settings) as probe:
        before = probe_catalogue_version(probe)
    factory = create_session_factory(own_engine)

    async def add_company(_: LoopProbe) -> None:
        with factory() as session:
            create_company(session, "Nieuw", town="Tilburg", kinds={"packaging": 5})

    first, _, second = _on_loop(
        own_settings, probe_catalogue_version_on_loop, add_company,
        probe_catalogue_version_on_loop,
    )
    assert first == before
    assert second[0] == before[0] and second[1] > before[1]


@needs_postgresql
def test_the_loop_probe_makes_one_connection_for_callers_that_come_at_once(
    own_settings: Settings,
) -> None:
    async def at_once(probe: LoopProbe) -> set[Any]:
        rows = await asyncio.gather(
            *(probe.row(text("SELECT pg_backend_pid()")) for _ in range(6)))
        return {row[0] for row in rows}

    (pids,) = _on_loop(own_settings, at_once)
    assert len(pids) == 1


@needs_postgresql
def test_the_loop_probe_survives_the_server_dropping_its_connection(
    own_settings: Settings, own_engine: Engine
) -> None:
    async def kill_own_connection(probe: LoopProbe) -> bool:
        pid = (await probe.row(text("SELECT pg_backend_pid()")))[0]
        with own_engine.connect() as admin:
            return bool(
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar())

    first, killed, again = _on_loop(
        own_settings, probe_catalogue_version_on_loop, kill_own_connection,
        probe_catalogue_version_on_loop,
    )
    assert killed is True
    assert again == first  # retried on a new connection


@needs_postgresql
def test_the_loop_probe_gives_up_quickly_and_its_errors_are_sqlalchemy_errors(
    own_settings: Settings, empty_settings: Settings
) -> None:
    async def timeout(probe: LoopProbe) -> Any:
        return await probe.row(text("SHOW statement_timeout"))

    async def hang(probe: LoopProbe) -> Any:
        return await probe.row(text("SELECT pg_sleep(5)"))

    shown, hung = _on_loop(own_settings, timeout, hang)
    assert shown == ("2s",)
    assert isinstance(hung, OperationalError)  # a 503, as everywhere else

    # No schema yet: the driver's error, wrapped as SQLAlchemy wraps every other one.
    (missing,) = _on_loop(empty_settings, probe_catalogue_version_on_loop)
    assert isinstance(missing, DBAPIError)
    gone = empty_settings.model_copy(update={
        "database_url": "postgresql+psycopg://postgres@127.0.0.1:9/loket"})
    (unreachable,) = _on_loop(gone, probe_catalogue_version_on_loop)
    assert isinstance(unreachable, OperationalError)


@needs_postgresql
def test_a_key_read_on_the_loop_gives_what_the_blocking_read_gives(
    own_settings: Settings, own_engine: Engine
) -> None:
    factory = create_session_factory(own_engine)
    with factory() as session:
        company = create_company(session, "Werkbedrijf", town="Tilburg", kinds={"packaging": 5})
        bound = make_key(session, Role.company, company_id=company.id)
        full = make_key(session, Role.partner, publishable=True,
                        allowed_origins=["https://partner.example", "https://b.example"])
        prefix = parse_key(full).prefix  # type: ignore[union-attr]
        key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one()
        # Every nullable column filled, times in another zone than UTC.
        key.expires_at = datetime(2031, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=2)))
        key.revoked_at = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
        key.last_used_at = datetime(2029, 12, 31, 23, 0, tzinfo=UTC)
        session.commit()
    prefixes = [parse_key(secret).prefix for secret in (bound, full)]  # type: ignore[union-attr]

    def read_on_loop(prefix: str) -> Any:
        async def read(probe: LoopProbe) -> Any:
            return await key_row_by_prefix_on_loop(probe, prefix)
        return read

    on_loop = _on_loop(own_settings, *(read_on_loop(p) for p in [*prefixes, "nosuchkey"]))
    with _probe(own_settings) as probe:
        blocking = [key_row_by_prefix(probe, p) for p in [*prefixes, "nosuchkey"]]
    assert on_loop[2] is None and blocking[2] is None
    for got, want in zip(on_loop[:2], blocking[:2], strict=True):
        assert tuple(got) == tuple(want)
        assert [type(v) for v in got] == [type(v) for v in want]
    assert on_loop[0].company_id == company.id
    assert on_loop[1].allowed_origins == ["https://partner.example", "https://b.example"]
    assert on_loop[1].expires_at == datetime(2031, 5, 6, 5, 8, 9, tzinfo=UTC)
    assert on_loop[1].expires_at.utcoffset() == timedelta(0)
