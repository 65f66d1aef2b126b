from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import CompanyChange, CompanyChangeSubject


def list_changes(
    session: Session, company_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[Sequence[CompanyChange], int]:
    stmt = select(CompanyChange).where(CompanyChange.company_id == company_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(CompanyChange.changed_at.desc(), CompanyChange.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, total


def changes_mentioning(
    session: Session, subject_hash: str, company_id: uuid.UUID | None = None
) -> Sequence[CompanyChange]:
    stmt = (
        select(CompanyChange)
        .join(CompanyChangeSubject, CompanyChangeSubject.change_id == CompanyChange.id)
        .where(CompanyChangeSubject.subject_hash == subject_hash)
    )
    if company_id is not None:
        stmt = stmt.where(CompanyChange.company_id == company_id)
    return session.scalars(stmt.order_by(CompanyChange.changed_at)).all()


def unlink_subject(session: Session, change_ids: Sequence[uuid.UUID], subject_hash: str) -> None:
    if change_ids:
        session.execute(
            delete(CompanyChangeSubject).where(
                CompanyChangeSubject.subject_hash == subject_hash,
                CompanyChangeSubject.change_id.in_(change_ids),
            )
        )
