from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.common.validators import Email


class PersonRef(BaseModel):
    """Who the request is about. In the body, not the URL, so the address stays out of
    access logs and proxies."""

    model_config = ConfigDict(extra="forbid")

    email: Email


class ContactRecord(BaseModel):
    company_id: uuid.UUID
    company_name: str
    name: str
    role: str | None
    email: str | None
    phone: str | None


class RequestContactRecord(BaseModel):
    request_id: uuid.UUID
    title: str
    organisation: str | None
    name: str | None
    email: str | None
    phone: str | None


class HistoryMention(BaseModel):
    change_id: uuid.UUID
    company_id: uuid.UUID
    changed_at: datetime
    action: str
    fields: list[str] = Field(description="The personal fields that change touched.")


class PersonExport(BaseModel):
    email: str
    contacts: list[ContactRecord] = Field(description="Contact-person entries of companies.")
    requests: list[RequestContactRecord] = Field(
        description="Requests naming the person as contact (operators only)."
    )
    history: list[HistoryMention] = Field(
        description="Change-history entries that touched the person (values are never kept)."
    )


class ErasureReport(BaseModel):
    erased: dict[str, int] = Field(
        description="What was erased, per kind of record (contacts, requests, history entries, "
        "stored idempotent replays, ...)."
    )
