from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.common.validators import BusinessDate, Code, LongText


class PublishResult(BaseModel):
    request_id: uuid.UUID
    status: Literal["draft", "published", "closed"]
    published_at: datetime
    respond_by: date = Field(description="Last day companies may answer.")
    invited: int = Field(description="Companies invited by this call-out.")
    newly_invited: int = Field(description="Invited by this call (0 when published before).")


InvitationState = Literal["pending", "viewed", "interested", "declined", "expired", "closed"]
STATE_DESCRIPTION = (
    "Where the invitation stands: `pending` (not opened yet), `viewed` (opened, not answered), "
    "`interested` or `declined` (answered), `expired` (closed without an answer), `closed` "
    "(the answer period ended; closing follows)."
)


class InvitationRequest(BaseModel):
    """What an invited company sees of the request (no entrepreneur contact details)."""

    id: uuid.UUID
    title: str
    description: str
    organisation: str | None
    work_kinds: list[str]
    workers_needed: int | None
    start_date: date | None
    location: dict[str, object] | None = Field(
        description="As asked (place, postcode and/or country, or lat/lon), with `lat` and "
        "`lon` of the point searched from when it is known."
    )
    max_distance_km: float | None = None
    deadline: date | None = Field(None, description="The request's own deadline, if any.")
    required_certifications: list[str] = Field(default_factory=list)
    preferred_certifications: list[str] = Field(default_factory=list)
    reserved_contract: bool = Field(
        False, description="Reserved for sheltered workshops (eForms `res-ws`): only "
        "eligible companies were invited."
    )
    social_return_at_stake_eur: float | None = Field(
        None, description="The social-return obligation of the contract, when stated."
    )


class InvitationOut(BaseModel):
    id: uuid.UUID
    company_id: uuid.UUID
    status: Literal["pending", "interested", "declined", "expired"]
    state: InvitationState = Field(description=STATE_DESCRIPTION)
    respond_by: date
    open: bool = Field(description="Whether an answer can still be given or changed.")
    score: float
    distance_km: float | None
    created_at: datetime
    answered_at: datetime | None
    message: str | None
    capacity_offered: int | None
    earliest_start: date | None
    request: InvitationRequest


class InvitationList(BaseModel):
    items: list[InvitationOut]
    total: int
    limit: int
    offset: int


class InvitationAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["interested", "declined"]
    message: LongText | None = None
    capacity_offered: Annotated[int, Field(ge=0, le=100_000)] | None = None
    earliest_start: BusinessDate | None = None


class ContactOut(BaseModel):
    name: str
    role: str | None
    email: str | None
    phone: str | None


class ResponseCompany(BaseModel):
    id: uuid.UUID
    name: str
    website: str | None
    email: str | None = Field(None, description="Only once the company is interested.")
    phone: str | None = Field(None, description="Only once the company is interested.")
    contacts: list[ContactOut] | None = Field(
        None, description="Only once the company is interested."
    )
    contact: ContactOut | None = Field(
        None, description="The first contact person; only once the company is interested."
    )


class ResponseOut(BaseModel):
    invitation_id: uuid.UUID
    company: ResponseCompany
    status: Literal["pending", "interested", "declined", "expired"]
    state: InvitationState = Field(description=STATE_DESCRIPTION)
    rank: int
    score: float
    distance_km: float | None
    answered_at: datetime | None
    message: str | None
    capacity_offered: int | None
    earliest_start: date | None
    chosen: bool
    source: Literal["publish", "standing", "widen"] = Field(
        "publish", description="How the company came to be invited: by publishing, later while "
        "the call-out was open (`standing`: it registered, was verified or came to fit), or by "
        "widening the call-out."
    )
    invited_at: datetime | None = None


class ResponsesOut(BaseModel):
    request_id: uuid.UUID
    status: Literal["draft", "published", "closed"]
    respond_by: date | None
    closed_at: datetime | None
    counts: dict[str, int]
    outcome_note: str | None
    items: list[ResponseOut]


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    company_ids: Annotated[list[uuid.UUID], Field(max_length=200)] = Field(
        description="The invited companies you went on with (may be empty)."
    )
    note: LongText | None = None


class WidenIn(BaseModel):
    """A wider call-out: a larger `max_distance_km` (null: no limit), and/or `work_kinds`
    that keep every asked kind or name its group instead (`assembly` -> `production`)."""

    model_config = ConfigDict(extra="forbid")

    max_distance_km: Annotated[float, Field(gt=0, le=2000)] | None = None
    work_kinds: Annotated[list[Code], Field(min_length=1, max_length=20)] | None = None


class AddedCompany(BaseModel):
    company_id: uuid.UUID
    name: str
    city: str | None
    score: float
    distance_km: float | None
    reasons: list[str] = Field(description="Why it fits, in the language asked for.")


class WidenOut(BaseModel):
    request_id: uuid.UUID
    dry_run: bool = Field(description="True: a preview; nothing was stored or sent.")
    criteria: dict[str, object] = Field(description="The call-out's criteria once widened.")
    added: list[AddedCompany] = Field(description="Companies the wider call-out adds.")
    invited: int = Field(description="Companies invited by this call (0 in a preview).")
