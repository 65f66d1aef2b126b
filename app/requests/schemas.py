from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import MISSING, BaseModel, ConfigDict, Field

from app.common.validators import BusinessDate, Email, LongText, Phone, ShortText, Text200
from app.search.schemas import MatchCriteria


class RequestContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    email: Email | None = None
    phone: Phone | None = None


DEADLINE_DESCRIPTION = (
    "Last day for companies to respond: today or later (in the call-out time zone), at most a "
    "year ahead. Without one, companies get a number of working days (10 unless configured)."
)


class RequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text200
    description: LongText = ""
    organisation: ShortText | None = None
    contact: RequestContact | None = None
    criteria: MatchCriteria
    deadline: BusinessDate | None = Field(None, description=DEADLINE_DESCRIPTION)


class RequestUpdate(BaseModel):
    """Partial update of a draft: only the fields present change; `criteria` and `contact`
    replace the whole object; `organisation`, `contact` and `deadline` may be null to clear."""

    model_config = ConfigDict(extra="forbid")

    # Absent unless sent (MISSING), and never null: the schema says so and null is refused.
    title: Text200 | MISSING = MISSING
    description: LongText | MISSING = MISSING
    organisation: ShortText | None = None
    contact: RequestContact | None = None
    criteria: MatchCriteria | MISSING = Field(
        MISSING, description="Replaces the whole criteria object."
    )
    deadline: BusinessDate | None = Field(None, description=DEADLINE_DESCRIPTION)


class RequestOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    organisation: str | None
    contact: RequestContact | None
    criteria: MatchCriteria
    deadline: date | None
    status: Literal["draft", "published", "closed"]
    version: int = Field(description="Grows with every change; the `ETag` is its quoted form.")
    created_at: datetime
    updated_at: datetime


class RequestList(BaseModel):
    items: list[RequestOut]
    total: int
    limit: int
    offset: int
