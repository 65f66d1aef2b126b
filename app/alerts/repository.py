from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AlertSeen, SavedSearch


def get(session: Session, saved_search_id: uuid.UUID) -> SavedSearch | None:
    return session.get(SavedSearch, saved_search_id)


def list_owned(
    session: Session, owner_id: uuid.UUID | None, *, limit: int, offset: int
) -> tuple[list[SavedSearch], int]:
    stmt = select(SavedSearch)
    if owner_id is not None:
        stmt = stmt.where(SavedSearch.owner_id == owner_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(SavedSearch.created_at.desc(), SavedSearch.id).limit(limit).offset(offset)
    )
    return list(rows), total


def active_searches(session: Session, limit: int = 500) -> list[SavedSearch]:
    """Searches still alerting; on PostgreSQL workers split them (held rows are skipped)."""
    stmt: Any = (
        select(SavedSearch).where(SavedSearch.unsubscribed_at.is_(None))
        .order_by(SavedSearch.created_at, SavedSearch.id).limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


def seen_ids(session: Session, saved_search_id: uuid.UUID) -> set[uuid.UUID]:
    return set(session.scalars(
        select(AlertSeen.company_id).where(AlertSeen.saved_search_id == saved_search_id)
    ))
