from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class WorkKind(Base):
    """A group (parent None) or a kind of work. Codes never change once published."""

    __tablename__ = "work_kinds"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("work_kinds.code", ondelete="RESTRICT"), index=True
    )
    label_nl: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    # Empty for a kind added without one: English is shown instead (and a test says so).
    label_fr: Mapped[str] = mapped_column(String(120), server_default="", default="")
    nace_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
