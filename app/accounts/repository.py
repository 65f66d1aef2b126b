from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ApiKey, User, UserSession


def get_by_prefix(session: Session, prefix: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).one_or_none()


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


def get_user_session(session: Session, token_hash: str) -> tuple[UserSession, User] | None:
    row = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash)
    ).one_or_none()
    return (row[0], row[1]) if row is not None else None


def user_exists(session: Session, user_id: uuid.UUID, role: str) -> bool:
    stmt = select(User.id).where(User.id == user_id, User.role == role)
    return session.scalar(stmt) is not None
