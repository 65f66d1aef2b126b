from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Certification, WorkKind


def list_work_kinds(session: Session) -> list[WorkKind]:
    return list(session.scalars(select(WorkKind).order_by(WorkKind.position)))


def list_certifications(session: Session) -> list[Certification]:
    return list(session.scalars(select(Certification).order_by(Certification.code)))
