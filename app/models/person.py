from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class UserRole(enum.StrEnum):
    entrepreneur = "entrepreneur"
    company = "company"
    admin = "admin"


class User(UUIDPrimaryKey, Base):
    """A person who signs in with a mailed link: an entrepreneur, a company's member or an
    operator. Acts exactly like an API key of the same role (and company)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('entrepreneur', 'company', 'admin')", name="role"),
        CheckConstraint("role <> 'company' OR company_id IS NOT NULL", name="company_bound"),
    )

    # Stored lower-cased, so one address is one account whatever its spelling.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    role: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInToken(UUIDPrimaryKey, Base):
    """A mailed single-use sign-in link. Only a SHA-256 of the token is kept."""

    __tablename__ = "sign_in_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # sign-in, invite, registration: why the link was sent.
    purpose: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Where the page goes after signing in: a path on this site.
    next: Mapped[str | None] = mapped_column(String(500))


class UserSession(UUIDPrimaryKey, Base):
    """A signed-in browser: the cookie holds a random token, the row only its SHA-256. The
    CSRF token is derived from the session id with the secret key, so it is not stored."""

    __tablename__ = "user_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(300))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AnswerLink(UUIDPrimaryKey, Base):
    """One contact person's own answer link to an invitation: using it uses up only this one."""

    __tablename__ = "answer_links"

    invitation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
