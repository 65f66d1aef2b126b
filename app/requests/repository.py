from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Certification, Request, WorkKind


def get_request(session: Session, request_id: uuid.UUID) -> Request | None:
    return session.get(Request, request_id)


def list_requests(
    session: Session, owner_id: uuid.UUID | None, *, limit: int, offset: int
) -> tuple[list[Request], int]:
    stmt = select(Request)
    if owner_id is not None:
        stmt = stmt.where(Request.owner_id == owner_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Request.created_at.desc(), Request.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def known_work_kinds(session: Session, codes: Collection[str]) -> set[str]:
    """Which of `codes` are kinds of work or groups in the taxonomy."""
    if not codes:
        return set()
    return set(session.scalars(select(WorkKind.code).where(WorkKind.code.in_(set(codes)))))


def known_certifications(session: Session, codes: Collection[str]) -> set[str]:
    if not codes:
        return set()
    return set(
        session.scalars(select(Certification.code).where(Certification.code.in_(set(codes))))
    )
