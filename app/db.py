"""Engine and session. One session per HTTP request; it commits once, when the handler succeeded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings

# How long a write transaction waits for SQLite's single write lock before the call is a 503.
# Writers take turns (BEGIN IMMEDIATE), but SQLite's busy handler polls rather than queues: on
# a loaded machine with 8 writers, a waiter starved past 5 s now and then (benchmarks/faults.py).
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option: this transaction only reads (SQLite then begins it deferred, see below).
READ_ONLY = "loket_read_only"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Calls that only read although they POST (the criteria travel in the body).
_READING_POSTS = frozenset({"/v1/match"})


def create_db_engine(settings: Settings) -> Engine:
    # hide_parameters: a failing statement's values (secrets, emails) never reach a log line.
    url = settings.database_url
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=settings.database_echo, hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        echo=settings.database_echo,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )


def _configure_sqlite(engine: Engine) -> None:
    # WAL lets readers run beside one writer (several worker processes share the file).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # A transaction takes the write lock at its start unless it only reads. A deferred one
    # that reads first and then writes cannot wait for another writer (SQLite answers
    # "database is locked" at once, ignoring the busy timeout, since waiting could deadlock);
    # an immediate one waits its turn. Reads stay deferred: in WAL mode they wait for nobody.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def get_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: commit when the handler returned, roll back when it raised.
    A GET or a match only reads: on SQLite it begins deferred, so it never queues for the
    write lock behind the writers (a keyed call's occasional record of its key's last use is
    written in a savepoint that may give up, see accounts.service.authenticate)."""
    session: Session = request.app.state.session_factory()
    reads = request.method in _SAFE_METHODS or (
        request.method == "POST" and request.url.path in _READING_POSTS
    )
    # A signed-in person's call (cookie) may record its session's last use as is: it begins
    # immediate. So does opening an invitation, which records that it was seen.
    if (reads and "loket_session" not in request.cookies
            and "token" not in request.query_params
            and not request.url.path.startswith("/v1/invitations/")
            and session.get_bind().dialect.name == "sqlite"):
        session.connection(execution_options={READ_ONLY: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so a failed commit is never
# reported to the client as a success.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
