from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Actor(BaseModel):
    key_id: uuid.UUID | None
    name: str
    role: str


class FieldChange(BaseModel):
    field: str
    before: Any = Field(description="`[redacted]` for personal data (contact persons).")
    after: Any


class CompanyChangeOut(BaseModel):
    id: uuid.UUID
    changed_at: datetime
    actor: Actor
    action: str = Field(description="`created`, `updated` or `privacy-erasure`.")
    changes: list[FieldChange]


class CompanyHistory(BaseModel):
    items: list[CompanyChangeOut]
    total: int
    limit: int
    offset: int
