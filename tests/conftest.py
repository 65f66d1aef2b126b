"""Test fixtures: one real database per test session (and per xdist worker), built by the real
migrations; each test runs in a transaction that is rolled back. The app is served by a real
uvicorn server on a loopback port, and tests talk to it with httpx.

LOKET_TEST_DATABASE=sqlite (default) or postgresql picks the backend. With CI=true an
unreachable PostgreSQL fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from alembic import command
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.accounts.service import create_api_key
from app.cli import alembic_config
from app.config import RateLimits, Settings
from app.db import create_db_engine
from app.main import create_app
from app.search.catalogue import CatalogueCache

# Fails any test whose captured logs hold a key, a secret, a token or an email address.
pytest_plugins = ["tests.log_leaks", "pytester"]

TEST_SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
ADMIN = Principal(key_id=uuid.UUID(int=0), role=Role.admin, name="test admin")
PG_ADMIN_URL = os.environ.get(
    "LOKET_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def backend() -> str:
    return os.environ.get("LOKET_TEST_DATABASE", "sqlite")


def _worker_id(config: pytest.Config) -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_admin_engine() -> Engine:
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        message = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return engine


@contextmanager
def fresh_database(label: str, directory: Path) -> Iterator[str]:
    """An empty database of the chosen backend, dropped on exit."""
    if backend() == "postgresql":
        admin = _postgres_admin_engine()
        name = f"loket_test_{label}_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        yield f"sqlite:///{directory / f'loket-{label}-{uuid.uuid4().hex[:8]}.db'}"


@contextmanager
def migrated_database(label: str, directory: Path) -> Iterator[str]:
    """`fresh_database` with the schema in place, for tests that commit for real."""
    with fresh_database(label, directory) as url:
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                upgrade(connection)
        finally:
            engine.dispose()
        yield url


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The session's database (one per xdist worker), built by the migrations below."""
    worker = _worker_id(request.config)
    with fresh_database(worker, tmp_path_factory.mktemp(f"db-{worker}")) as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        # Every line the app can log is written, so tests/log_leaks.py checks them all.
        log_level="DEBUG",
        # The whole suite shares one client IP; rate-limit tests install tighter limits.
        rate_limits=RateLimits(**dict.fromkeys(RateLimits.model_fields, "1000000/minute")),
    )


def upgrade(connection: Connection, revision: str = "heads") -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    config.attributes["configure_logging"] = False
    command.upgrade(config, revision)


def downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    config.attributes["configure_logging"] = False
    command.downgrade(config, revision)


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    with engine.begin() as connection:
        upgrade(connection)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """The test's transaction: everything the test and the server do is rolled back."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


def _session_for(connection: Connection) -> Session:
    return Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        autoflush=False,
    )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    session = _session_for(connection)
    try:
        yield session
    finally:
        session.close()


class LiveServer:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@pytest.fixture(scope="session")
def app(settings: Settings, engine: Engine) -> Any:
    return create_app(settings)


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[LiveServer]:
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bound_app(app: Any, live_server: LiveServer, connection: Connection) -> Any:
    """Point the running app at this test's transaction."""
    app.state.session_factory = lambda: _session_for(connection)
    app.state.catalogue_cache = CatalogueCache()
    return app


@pytest.fixture
def client(bound_app: Any, live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        yield client


def make_key(
    session: Session,
    role: Role,
    *,
    company_id: uuid.UUID | None = None,
    name: str | None = None,
    owner_id: uuid.UUID | None = None,
    publishable: bool = False,
    allowed_origins: list[str] | None = None,
) -> str:
    created = create_api_key(
        session,
        secret_key=TEST_SECRET_KEY,
        name=name or f"test {role.value}",
        role=role,
        company_id=company_id,
        owner_id=owner_id,
        publishable=publishable,
        allowed_origins=allowed_origins,
    )
    session.commit()
    return created.secret


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def admin_headers(session: Session) -> dict[str, str]:
    return auth(make_key(session, Role.admin))


@pytest.fixture
def entrepreneur_headers(session: Session) -> dict[str, str]:
    return auth(make_key(session, Role.entrepreneur))


@contextmanager
def app_settings(bound_app: Any, settings: Settings) -> Iterator[Settings]:
    """The running app uses `settings` for the length of the block, then its own again."""
    previous = bound_app.state.settings
    bound_app.state.settings = settings
    try:
        yield settings
    finally:
        bound_app.state.settings = previous
