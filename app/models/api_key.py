from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow


class ApiKey(UUIDPrimaryKey, Base):
    """A bearer key. Only an HMAC of the secret is stored; the secret is shown once."""

    __tablename__ = "api_keys"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'company', 'entrepreneur', 'partner')", name="role"
        ),
        CheckConstraint("role <> 'company' OR company_id IS NOT NULL", name="company_bound"),
    )

    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    # The account the key acts for: shared by a key and its rotations (and by every key of one
    # entrepreneur or partner), so what a caller owns survives key rotation. For company keys
    # it is the company id.
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # The key this one replaced on rotation; plain column so history outlives deletions.
    rotated_from_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Public, non-secret part of the key, used to find the row before comparing the HMAC.
    prefix: Mapped[str] = mapped_column(String(40), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    allowed_origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    publishable: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # May lie in the future: a rotated key keeps working until its grace period ends.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
