from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models import AnswerLink, Callout, Company, Invitation, Request, StandingCheck


def get_callout(session: Session, request_id: uuid.UUID) -> Callout | None:
    return session.get(Callout, request_id)


def invited_company_ids(session: Session, request_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        session.scalars(select(Invitation.company_id).where(Invitation.request_id == request_id))
    )


def invitations_of_request(session: Session, request_id: uuid.UUID) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation).where(Invitation.request_id == request_id)
            .order_by(Invitation.rank, Invitation.id)
        )
    )


def companies_with_contacts(
    session: Session, company_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Company]:
    rows = session.scalars(
        select(Company).where(Company.id.in_(list(company_ids)))
        .options(selectinload(Company.contacts))
    )
    return {c.id: c for c in rows}


def list_invitations(
    session: Session, company_id: uuid.UUID | None, status: str | None, *, limit: int,
    offset: int,
) -> tuple[list[Invitation], int]:
    stmt = select(Invitation)
    if company_id is not None:
        stmt = stmt.where(Invitation.company_id == company_id)
    if status is not None:
        stmt = stmt.where(Invitation.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Invitation.created_at.desc(), Invitation.id).limit(limit).offset(offset)
    )
    return list(rows), total


def requests_by_id(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Request]:
    return {r.id: r for r in session.scalars(select(Request).where(Request.id.in_(list(ids))))}


def callouts_by_id(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Callout]:
    return {
        c.request_id: c
        for c in session.scalars(select(Callout).where(Callout.request_id.in_(list(ids))))
    }


def due_callouts(session: Session, now: datetime, limit: int = 100) -> list[Callout]:
    stmt = (
        select(Callout).where(Callout.closed_at.is_(None), Callout.closes_at <= now)
        .order_by(Callout.closes_at).limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Workers split the due call-outs between them instead of waiting on each other.
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


def answer_link(session: Session, invitation_id: uuid.UUID, nonce: str) -> AnswerLink | None:
    return session.scalars(
        select(AnswerLink).where(AnswerLink.invitation_id == invitation_id,
                                 AnswerLink.nonce == nonce)
    ).one_or_none()


def _lock(session: Session, stmt: Any, *, skip_locked: bool = False) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return stmt.with_for_update(skip_locked=skip_locked)
    return stmt  # SQLite: writers take turns anyway


def pending_checks(session: Session, limit: int = 200) -> list[StandingCheck]:
    """Companies left to check against the open call-outs, oldest first (on PostgreSQL,
    workers split them: rows another worker holds are skipped)."""
    stmt = (
        select(StandingCheck).where(StandingCheck.done_at.is_(None))
        .order_by(StandingCheck.created_at, StandingCheck.id).limit(limit)
    )
    return list(session.scalars(_lock(session, stmt, skip_locked=True)))


def open_callouts(session: Session, now: datetime) -> list[Callout]:
    """Call-outs still taking answers, locked (in id order) so that two workers, or a worker
    and a widening entrepreneur, invite for one call-out in turn."""
    stmt = (
        select(Callout).where(Callout.closed_at.is_(None), Callout.closes_at > now)
        .order_by(Callout.request_id)
    )
    return list(session.scalars(_lock(session, stmt)))


def lock_callout(session: Session, request_id: uuid.UUID) -> Callout | None:
    stmt = select(Callout).where(Callout.request_id == request_id)
    return session.scalars(_lock(session, stmt)).one_or_none()


def last_rank(session: Session, request_id: uuid.UUID) -> int:
    return session.scalar(
        select(func.max(Invitation.rank)).where(Invitation.request_id == request_id)
    ) or 0
