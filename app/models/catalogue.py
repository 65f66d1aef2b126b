from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

# The id of the one catalogue_state row (made by the taxonomy migration).
CATALOGUE_ROW = 1


class CatalogueState(Base):
    """One row: what version of the profiles matching must see.

    Every transaction that changes what matching sees increments `version` on this row and
    records the companies it touched in `catalogue_changes`. The row lock serialises those
    transactions, so versions commit in order: a worker that has applied version N knows every
    change up to N is visible to it. `epoch` changes only when the database is recreated.
    """

    __tablename__ = "catalogue_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CatalogueChange(Base):
    """Which company a catalogue version touched (created, changed or removed)."""

    __tablename__ = "catalogue_changes"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # No foreign key: the row must outlive a deleted company so workers learn of the removal.
    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)



