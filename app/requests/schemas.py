from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.common.validators import BusinessDate, Email, LongText, Phone, ShortText, Text200
from app.search.schemas import MatchCriteria


class RequestContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    email: Email | None = None
    phone: Phone | None = None


class RequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Text200
    description: LongText = ""
    organisation: ShortText | None = None
    contact: RequestContact | None = None
    criteria: MatchCriteria
    deadline: BusinessDate | None = Field(None, description="Last day for companies to respond.")


class RequestOut(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    organisation: str | None
    contact: RequestContact | None
    criteria: MatchCriteria
    deadline: date | None
    status: Literal["draft", "published", "closed"]
    created_at: datetime
    updated_at: datetime


class RequestList(BaseModel):
    items: list[RequestOut]
    total: int
    limit: int
    offset: int
