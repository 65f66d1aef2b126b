"""Engine and session. One session per HTTP request; it commits once, when the handler succeeded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from functools import lru_cache
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, Dialect, Engine, Executable, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import ClauseElement

from app.config import Settings

SQLITE_BUSY_TIMEOUT_MS = 5000
_T = TypeVar("_T")
_SQLITE_CONNECT_ARGS = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
# Probes read one statement at a time, briefly: a few connections serve a worker's threads.
PROBE_POOL_SIZE = 4
PROBE_CONNECT_TIMEOUT_S = 3
PROBE_STATEMENT_TIMEOUT_MS = 2000


def create_db_engine(settings: Settings) -> Engine:
    url = settings.database_url
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=settings.database_echo, connect_args=_SQLITE_CONNECT_ARGS,
                               hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        echo=settings.database_echo,
        # An error's message (and so its logged traceback) must not carry the statement's
        # values: they can be secrets (a webhook's, a key's hash) or personal data.
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )


def create_probe_engine(settings: Settings) -> Engine:
    """An engine for single-statement reads outside any transaction (autocommit), such as the
    catalogue version every match checks: one round trip each, where a session costs four
    (pre-ping, BEGIN, the read, COMMIT). It has no pre-ping, so a connection the server has
    dropped fails its statement; `run_probe` then runs it once more."""
    url = settings.database_url
    if url.startswith("sqlite"):
        return create_engine(
            url, echo=settings.database_echo, connect_args=_SQLITE_CONNECT_ARGS,
            isolation_level="AUTOCOMMIT",
        )
    return create_engine(
        url, echo=settings.database_echo, isolation_level="AUTOCOMMIT",
        pool_size=PROBE_POOL_SIZE, max_overflow=PROBE_POOL_SIZE,
        # Probes run on the event loop: a server that hangs must not stall a worker for long.
        connect_args={
            "connect_timeout": PROBE_CONNECT_TIMEOUT_S,
            "options": f"-c statement_timeout={PROBE_STATEMENT_TIMEOUT_MS}",
        },
    )


def run_probe(engine: Engine, statement: Executable) -> tuple[Any, ...]:
    """The one row of `statement` on a probe engine, through the driver's own cursor: for a
    one-row read, SQLAlchemy's result layer costs more CPU than the round trip. A statement
    that failed because its connection was dropped (a database restart) is run once more, on
    a fresh pool: the other idle connections are as old, so as dead. Errors come out as
    SQLAlchemy's (an OperationalError is a 503 like anywhere else)."""
    sql = _driver_sql(engine.dialect, statement)
    dbapi_error = engine.dialect.loaded_dbapi.Error
    for attempt in range(2):
        connection = cursor = None
        try:
            connection = engine.raw_connection()
            cursor = connection.cursor()
            cursor.execute(sql)
            row = cursor.fetchone()
            cursor.close()
            if row is None:
                raise LookupError(f"no row from: {sql}")
            return tuple(row)
        except dbapi_error as exc:
            dropped = False
            if connection is not None and engine.dialect.is_disconnect(
                exc, connection.dbapi_connection, cursor
            ):
                dropped = True
                connection.invalidate(exc)
                engine.dispose()
            if attempt or not dropped:
                raise DBAPIError.instance(
                    sql, None, exc, dbapi_error, connection_invalidated=dropped,
                    dialect=engine.dialect,
                ) from exc
        finally:
            if connection is not None:
                connection.close()
    raise AssertionError("unreachable")


class LoopProbe:
    """Probe reads (see `create_probe_engine`) that wait on the event loop instead of blocking
    it: one autocommit connection of psycopg's async driver, made on first use in the running
    loop with the probe engine's address and limits. PostgreSQL only (`create_loop_probe`);
    like `run_probe`, a statement whose connection the server had dropped runs once more on
    a new one, and errors come out as SQLAlchemy's."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connecting: asyncio.Lock | None = None  # one connect at a time, in `_loop`

    @property
    def dialect(self) -> Dialect:
        return self._engine.dialect

    async def row(self, statement: Executable) -> tuple[Any, ...]:
        """The one row of `statement`, whose parameters are constants."""
        row = await self.first(statement)
        if row is None:
            raise LookupError(f"no row from: {statement}")
        return row

    async def first(
        self, statement: Executable, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, ...] | None:
        """The first row of `statement` as the driver gives it, or None; `params`: the values
        of its bound parameters (sent apart from the SQL text), else they are constants."""
        import psycopg

        dialect = self._engine.dialect
        sql = _driver_sql(dialect, statement) if params is None else _param_sql(dialect, statement)
        for attempt in range(2):
            connection = await self._connected()
            try:
                cursor = await connection.execute(sql, params)
                row = await cursor.fetchone()
            except psycopg.Error as exc:
                dropped = bool(connection.closed or connection.broken)
                if dropped:
                    self._connection = None
                if attempt or not dropped:
                    raise DBAPIError.instance(
                        sql, params, exc, psycopg.Error, connection_invalidated=dropped,
                        dialect=dialect,
                    ) from exc
                continue
            return None if row is None else tuple(row)
        raise AssertionError("unreachable")

    async def _connected(self) -> Any:
        import psycopg

        loop = asyncio.get_running_loop()
        connection = self._connection
        if self._loop is loop and connection is not None and not connection.closed:
            return connection
        if self._loop is not loop:
            # (a connection made in another loop, a test's say, is left to the garbage
            # collector: it cannot be closed from this one)
            self._loop, self._connection, self._connecting = loop, None, asyncio.Lock()
        assert self._connecting is not None
        async with self._connecting:  # callers that find no connection wait for one connect
            if self._connection is not None and not self._connection.closed:
                return self._connection
            _, params = self._engine.dialect.create_connect_args(self._engine.url)
            params.pop("context", None)
            try:
                self._connection = await psycopg.AsyncConnection.connect(
                    **params, autocommit=True, connect_timeout=PROBE_CONNECT_TIMEOUT_S,
                    options=f"-c statement_timeout={PROBE_STATEMENT_TIMEOUT_MS}",
                )
            except psycopg.Error as exc:
                raise DBAPIError.instance(
                    "connect", None, exc, psycopg.Error, dialect=self._engine.dialect
                ) from exc
            return self._connection

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and self._loop is asyncio.get_running_loop():
            await connection.close()


def create_loop_probe(probe: Engine) -> LoopProbe | None:
    """A `LoopProbe` next to this probe engine on PostgreSQL through psycopg; None otherwise
    (the blocking probe serves: on SQLite a read is a local file access of microseconds)."""
    dialect = probe.dialect
    return LoopProbe(probe) if (dialect.name, dialect.driver) == ("postgresql", "psycopg") else None


class SharedRead(Generic[_T]):
    """One read shared by every caller waiting when it starts. A caller always waits for a read
    that starts after it called, so it sees every commit made before its call; callers that
    come while a read is in flight wait together for the next one. Under load, a worker with
    many matches in flight reads the catalogue version once per batch of them instead of once
    per match; a caller alone reads at once."""

    def __init__(self, read: Callable[[], Awaitable[_T]]) -> None:
        self._read = read
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Future[_T] | None = None  # for the callers of the next read
        self._running: asyncio.Task[None] | None = None

    async def __call__(self) -> _T:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # futures belong to one loop (tests start several)
            self._loop, self._next, self._running = loop, None, None
        waiting = self._next
        if waiting is None:
            waiting = self._next = loop.create_future()
            if self._running is None:
                self._running = loop.create_task(self._run())
        # shield: a caller that gives up (its client went away) leaves the read to the others
        return await asyncio.shield(waiting)

    async def _run(self) -> None:
        while (waiting := self._next) is not None:
            self._next = None  # from here on, callers wait for the next read
            try:
                result = await self._read()
            except asyncio.CancelledError:
                waiting.cancel()
                if self._next is not None:
                    self._next.cancel()
                    self._next = None
                self._running = None
                raise
            except Exception as exc:
                waiting.set_exception(exc)
            else:
                waiting.set_result(result)
        self._running = None


def read_on_probe(engine: Engine, read: Callable[[Connection], _T]) -> _T:
    """`read(connection)` on a probe engine, run once more on a fresh connection when the
    server had dropped the first (SQLAlchemy then discards every connection as old)."""
    for attempt in range(2):
        try:
            with engine.connect() as connection:
                return read(connection)
        except DBAPIError as exc:
            if attempt or not exc.connection_invalidated:
                raise
    raise AssertionError("unreachable")


@lru_cache(maxsize=16)
def _driver_sql(dialect: Dialect, statement: Executable) -> str:
    """`statement` as this dialect's SQL text, its parameters inlined (constants only)."""
    assert isinstance(statement, ClauseElement)
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


@lru_cache(maxsize=16)
def _param_sql(dialect: Dialect, statement: Executable) -> str:
    """`statement` as this dialect's SQL text, with placeholders for its parameters."""
    assert isinstance(statement, ClauseElement)
    return str(statement.compile(dialect=dialect))


def _configure_sqlite(engine: Engine) -> None:
    # WAL lets readers run beside one writer (several uvicorn workers share the file);
    # the busy timeout makes a second writer wait instead of failing at once.
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

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: commit when the handler returned, roll back when it raised.

    Async so that a request pays a trip through the thread pool (where the database work
    runs) only when the session holds a transaction at the end: a call that read nothing,
    or ended its read itself, finishes on the event loop."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


# scope="function": commit before the response is sent, so a failed commit is never
# reported to the client as a success.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
