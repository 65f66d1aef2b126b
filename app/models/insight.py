from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

INSIGHT_SOURCES = ("search", "request", "callout", "thin_callout")
_SOURCE_CHECK = "source IN ('search', 'request', 'callout', 'thin_callout')"


class InsightEvent(Base):
    """One unit of demand waiting to be rolled up (a search, a stored request, a published
    call-out, a call-out that closed with fewer than 3 interested companies), one row per asked
    kind of work. The worker folds these into `insight_cells` and deletes them: nothing here
    outlives the next refresh, and no row holds an address or the searcher's identity, only a
    keyed hash (see app/insights/service.py)."""

    __tablename__ = "insight_events"
    __table_args__ = (CheckConstraint(_SOURCE_CHECK, name="source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))  # "2026-12", in the loket's time zone
    work_kind: Mapped[str] = mapped_column(String(64))  # a kind or a group code
    municipality_id: Mapped[str] = mapped_column(String(160), default="")  # "" = no place
    requester: Mapped[str] = mapped_column(String(16))  # 16 hex digits of a keyed hash
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InsightCell(Base):
    """The finest pre-aggregate: per source, month, asked kind of work (or group) and
    municipality, how many units of demand and a bottom-k sketch of the distinct requesters
    (the k smallest requester hashes; exact below k, which is all the threshold needs)."""

    __tablename__ = "insight_cells"
    __table_args__ = (CheckConstraint(_SOURCE_CHECK, name="source"),)

    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    work_kind: Mapped[str] = mapped_column(String(64), primary_key=True)
    municipality_id: Mapped[str] = mapped_column(String(160), primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    sketch: Mapped[str] = mapped_column(Text)


class InsightAtom(Base):
    """What may be shown: the cells of one source and month folded until each has at least
    the threshold of distinct requesters (app/insights/cells.py). Every figure an insights
    query answers is a sum of whole atoms. Columns are "" where the atom is not specific."""

    __tablename__ = "insight_atoms"
    __table_args__ = (
        CheckConstraint(_SOURCE_CHECK, name="source"),
        Index("ix_insight_atoms_source_month", "source", "month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))
    work_kind: Mapped[str] = mapped_column(String(64))
    work_group: Mapped[str] = mapped_column(String(64))
    country: Mapped[str] = mapped_column(String(2))
    province_id: Mapped[str] = mapped_column(String(120))
    municipality_id: Mapped[str] = mapped_column(String(160))
    events: Mapped[int] = mapped_column(Integer)


class InsightSum(Base):
    """The atoms of one source and month summed per value of one dimension (`work_kind`,
    `work_group`, `country`, `province`, `municipality`; key "" for atoms not that specific):
    what an unfiltered query reads, ~20 times fewer rows than the atoms. Sums of whole atoms,
    so they show nothing the atoms do not."""

    __tablename__ = "insight_sums"
    __table_args__ = (CheckConstraint(_SOURCE_CHECK, name="source"),)

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    source: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    events: Mapped[int] = mapped_column(Integer)


class InsightSalt(Base):
    """The secret that keys anonymous searchers' hashes for one month. Deleted by the worker
    once the month is over, after which no hash of that month can be linked to an address."""

    __tablename__ = "insight_salts"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class InsightState(Base):
    """One row: when the atoms were last refreshed (and a row to lock while refreshing)."""

    __tablename__ = "insight_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
