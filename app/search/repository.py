from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from app.models import Capability, CatalogueState, Certification, Company, WorkKind, utcnow

CATALOGUE_ROW = 1


def touch_catalogue(session: Session) -> None:
    """Mark what matching sees as changed, in the caller's transaction: every worker process
    compares this token before a match and rebuilds its catalogue when it differs."""
    session.execute(
        update(CatalogueState)
        .where(CatalogueState.id == CATALOGUE_ROW)
        .values(token=uuid.uuid4().hex, changed_at=utcnow())
    )


def catalogue_token(session: Session) -> str:
    token = session.scalar(select(CatalogueState.token).where(CatalogueState.id == CATALOGUE_ROW))
    return token or ""


def all_work_kinds(session: Session) -> list[WorkKind]:
    return list(session.scalars(select(WorkKind).order_by(WorkKind.position)))


def all_companies_for_matching(session: Session) -> list[Company]:
    return list(
        session.scalars(
            select(Company).options(
                selectinload(Company.sites),
                selectinload(Company.capabilities).selectinload(Capability.sites),
                selectinload(Company.certifications),
            )
        )
    )


def certification_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Certification.code)))
