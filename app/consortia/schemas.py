from __future__ import annotations

import uuid

from pydantic import BaseModel, Field


class ConsortiumMember(BaseModel):
    company_id: uuid.UUID
    name: str
    site: str = Field(description="The member's best site for this request.")
    city: str | None
    distance_km: float | None
    capacity_workers: int = Field(description="People it has for the asked kinds.")
    work_kinds: list[str] = Field(description="Asked kinds (or groups) it covers.")


class ConsortiumOut(BaseModel):
    """Two or three companies that together have the people a request needs."""

    rank: int = Field(ge=1)
    members: list[ConsortiumMember]
    total_capacity: int
    workers_needed: int
    shared_kinds: list[str] = Field(description="Asked kinds every member offers.")
    covered_kinds: list[str] = Field(description="Asked kinds at least one member offers.")
    largest_distance_km: float | None
    explanation: str = Field(description="A sentence in the language asked for.")
