from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from app.consortia.proposer import Proposal, explain


class SocialReturnCover(BaseModel):
    """How much of a social-return obligation a company's (or a consortium's) work could
    cover: an estimate (docs/procurement.md), at most the amount at stake."""

    could_cover_eur: float
    share_of_obligation: float = Field(ge=0, le=1)
    counting_rule: Literal["sheltered-work", "pso", "mixed"] = Field(
        description="sheltered-work: buying from a sheltered-work company counts at a share "
        "of the invoice value excl. VAT; pso: the company's PSO level counts for more; mixed: "
        "consortium members count by different rules."
    )
    counted_percent: float = Field(description="The share of the invoice value that counts.")
    pso_level: str | None
    workers: int = Field(description="People whose year of work the estimate assumes.")
    detail: str = Field(description="A sentence in the language asked for.")


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
    social_return: SocialReturnCover | None = Field(
        None, description="With a social-return obligation: what the members together could "
        "cover."
    )

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
