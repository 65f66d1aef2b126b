from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.search.schemas import MatchCriteria

Frequency = Literal["instant", "daily", "weekly"]
FREQUENCY_DESCRIPTION = (
    "`instant`: soon after a company comes to fit; `daily`: at 08:00 Europe/Amsterdam; "
    "`weekly`: Mondays at 08:00 Europe/Amsterdam. Only companies not shown before are listed."
)


class SavedSearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)]
    criteria: MatchCriteria
    frequency: Frequency = Field(description=FREQUENCY_DESCRIPTION)


class SavedSearchUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    criteria: MatchCriteria | None = None
    frequency: Frequency | None = Field(None, description=FREQUENCY_DESCRIPTION)
    active: bool | None = Field(
        None, description="false stops the alerts (as unsubscribing does); true resumes them."
    )


class SavedSearchOut(BaseModel):
    id: uuid.UUID
    name: str
    criteria: dict[str, object]
    frequency: Frequency
    channel: Literal["email", "webhook"] = Field(
        description="`email` for a signed-in person, `webhook` (`alert.matched`) for a key."
    )
    active: bool = Field(description="false once unsubscribed.")
    created_at: datetime
    updated_at: datetime
    last_alert_at: datetime | None


class SavedSearchList(BaseModel):
    items: list[SavedSearchOut]
    total: int
    limit: int
    offset: int


class Unsubscribed(BaseModel):
    status: Literal["unsubscribed", "already_unsubscribed"]
    name: str | None = Field(None, description="The saved search's name, when it still exists.")


class AlertCompany(BaseModel):
    company_id: uuid.UUID
    name: str
    city: str | None
    score: float
    distance_km: float | None
    reasons: list[str]
