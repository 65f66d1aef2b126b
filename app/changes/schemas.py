from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class ChangeOut(BaseModel):
    company_id: uuid.UUID
    version: int = Field(description="The catalogue version of this change (increasing).")
    changed_at: datetime
    state: Literal["active", "pending", "inactive", "deleted"] = Field(
        description="The company's state now: fetch active profiles, drop the others."
    )


class ChangeFeed(BaseModel):
    items: list[ChangeOut]
    next_cursor: str = Field(description="Pass as `since` to continue after the last item.")
    has_more: bool


class RelationChangeOut(BaseModel):
    seq: int = Field(description="The position of this change in the feed (increasing).")
    subject: Literal["organisation", "partnership", "network"]
    id: uuid.UUID
    state: Literal["active", "ended", "deleted"] = Field(
        description="Its state after this change: fetch active ones, drop the others."
    )
    changed_at: datetime


class RelationFeed(BaseModel):
    items: list[RelationChangeOut]
    next_after: int = Field(description="Pass as `after` to continue after the last item.")
    has_more: bool
