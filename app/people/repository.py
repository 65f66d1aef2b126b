from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import Company, ContactPerson, SignInToken, User, UserSession


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).one_or_none()


def company_of_contact(session: Session, email: str) -> Company | None:
    """The active company that names this address as a contact person (the oldest if
    several do)."""
    return session.scalars(
        select(Company)
        .join(ContactPerson, ContactPerson.company_id == Company.id)
        .where(func.lower(ContactPerson.email) == email, Company.status == "active")
        .order_by(Company.created_at, Company.id)
        .limit(1)
    ).first()


def contact_name(session: Session, company_id: uuid.UUID, email: str) -> str | None:
    return session.scalars(
        select(ContactPerson.name).where(
            ContactPerson.company_id == company_id, func.lower(ContactPerson.email) == email
        ).limit(1)
    ).first()


def token_by_hash(session: Session, token_hash: str) -> SignInToken | None:
    return session.scalars(
        select(SignInToken).where(SignInToken.token_hash == token_hash)
    ).one_or_none()


def use_token(session: Session, token_id: uuid.UUID, now: datetime) -> bool:
    """Mark a token used, unless another call did first: exactly one call wins it."""
    result = session.execute(
        update(SignInToken)
        .where(SignInToken.id == token_id, SignInToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def sessions_of(session: Session, user_id: uuid.UUID) -> list[UserSession]:
    return list(session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id)
    ))


def company_status(session: Session, company_id: uuid.UUID | None) -> str | None:
    if company_id is None:
        return None
    return session.scalar(select(Company.status).where(Company.id == company_id))


def members_of(session: Session, company_id: uuid.UUID) -> list[User]:
    return list(session.scalars(
        select(User).where(User.company_id == company_id, User.role == "company")
        .order_by(User.created_at, User.id)
    ))
