from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from app.consortia.proposer import Proposal, explain


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

    @classmethod
    def of(
        cls, rank: int, p: Proposal, needed: int, lang: str, labels: dict[str, str]
    ) -> ConsortiumOut:
        return cls(
            rank=rank,
            members=[
                ConsortiumMember(
                    company_id=uuid.UUID(m.company_id),
                    name=m.name,
                    site=m.site_name,
                    city=m.city,
                    distance_km=None if m.distance_km is None else round(m.distance_km, 1),
                    capacity_workers=m.capacity_workers,
                    work_kinds=sorted(m.kinds),
                )
                for m in p.members
            ],
            total_capacity=p.total_capacity,
            workers_needed=needed,
            shared_kinds=list(p.shared_kinds),
            covered_kinds=list(p.covered_kinds),
            largest_distance_km=p.largest_distance_km,
            explanation=explain(p, needed, lang, labels),
        )
