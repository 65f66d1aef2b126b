from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, cast

from sqlalchemy import Connection, Dialect, Engine, bindparam, func, select, update
from sqlalchemy.orm import Session

from app.db import LoopProbe, read_on_probe
from app.models import ApiKey


def get_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()


class KeyFields(Protocol):
    """What checking a key reads: an `ApiKey`, or the plain row `key_row_by_prefix` gives."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def secret_hash(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def company_id(self) -> uuid.UUID | None: ...
    @property
    def publishable(self) -> bool: ...
    @property
    def owner_id(self) -> uuid.UUID: ...
    @property
    def allowed_origins(self) -> Sequence[str] | None: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def revoked_at(self) -> datetime | None: ...
    @property
    def last_used_at(self) -> datetime | None: ...


_keys = ApiKey.__table__
# What checking a key needs, as one plain row (Core, no ORM object).
_KEY_BY_PREFIX = select(
    _keys.c.id, _keys.c.secret_hash, _keys.c.role, _keys.c.name, _keys.c.company_id,
    _keys.c.publishable, _keys.c.owner_id, _keys.c.allowed_origins, _keys.c.expires_at,
    _keys.c.revoked_at, _keys.c.last_used_at,
).where(_keys.c.prefix == bindparam("prefix"))


def key_row_by_prefix(reader: Engine | Session, prefix: str) -> KeyFields | None:
    """The key with this prefix as a plain row: on a probe engine (`app.db`: autocommit, no
    transaction), or in the session when there is none."""
    def read(on: Session | Connection) -> KeyFields | None:
        return cast(KeyFields | None, on.execute(_KEY_BY_PREFIX, {"prefix": prefix}).one_or_none())

    return read(reader) if isinstance(reader, Session) else read_on_probe(reader, read)


class KeyRow(NamedTuple):
    """`key_row_by_prefix_on_loop`'s row: the columns of _KEY_BY_PREFIX, typed as the
    SQLAlchemy read types them."""

    id: uuid.UUID
    secret_hash: str
    role: str
    name: str
    company_id: uuid.UUID | None
    publishable: bool
    owner_id: uuid.UUID
    allowed_origins: Sequence[str] | None
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


async def key_row_by_prefix_on_loop(probe: LoopProbe, prefix: str) -> KeyFields | None:
    """`key_row_by_prefix` on a loop probe (`app.db`), waiting on the event loop. The driver's
    values go through each column type's result processing for the probe's dialect, as in a
    SQLAlchemy read (times as UTC, say)."""
    row = await probe.first(_KEY_BY_PREFIX, {"prefix": prefix})
    if row is None:
        return None
    processors = _result_processors(probe.dialect)
    return KeyRow(*(
        value if process is None else process(value)
        for process, value in zip(processors, row, strict=True)
    ))


@lru_cache(maxsize=4)
def _result_processors(dialect: Dialect) -> tuple[Callable[[Any], Any] | None, ...]:
    return tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in _KEY_BY_PREFIX.selected_columns
    )


def mark_used(session: Session, key_id: uuid.UUID, when: datetime) -> None:
    session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))


def get_key(session: Session, key_id: uuid.UUID) -> ApiKey | None:
    return session.get(ApiKey, key_id)


def owner_exists(session: Session, owner_id: uuid.UUID, role: str) -> bool:
    stmt = select(ApiKey.id).where(ApiKey.owner_id == owner_id, ApiKey.role == role).limit(1)
    return session.scalar(stmt) is not None


def list_keys(
    session: Session, owner_id: uuid.UUID | None, *, limit: int, offset: int
) -> tuple[Sequence[ApiKey], int]:
    """Keys of one account (all keys when owner_id is None), newest first."""
    stmt = select(ApiKey)
    if owner_id is not None:
        stmt = stmt.where(ApiKey.owner_id == owner_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(ApiKey.created_at.desc(), ApiKey.id).limit(limit).offset(offset)
    ).all()
    return rows, total


def publishable_keys(session: Session) -> Sequence[ApiKey]:
    return session.scalars(select(ApiKey).where(ApiKey.publishable.is_(True))).all()
