from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DemandGroupBy = Literal["work_kind", "work_group", "country", "province", "municipality", "month"]
GapsGroupBy = Literal["work_kind", "work_group", "country", "province", "municipality"]
DemandSource = Literal["all", "search", "request", "callout"]
OutputFormat = Literal["json", "csv"]

PERIOD_PATTERN = r"^[0-9]{4}(-[0-9]{2})?(/[0-9]{4}(-[0-9]{2})?)?$"
REGION_PATTERN = r"^[A-Z]{2}(\.[a-z0-9-]{1,60}){0,2}$"
CODE_PATTERN = r"^[a-z0-9-]{1,64}$"


class Period(BaseModel):
    start: str = Field(description="First month, YYYY-MM.", examples=["2026-01"])
    end: str = Field(description="Last month, YYYY-MM (inclusive).", examples=["2026-12"])


class DemandCounts(BaseModel):
    searches: int = Field(description="Searches on POST /v1/match (one per asked kind).")
    requests: int = Field(description="Stored requests (one per asked kind).")
    callouts: int = Field(description="Published call-outs (one per asked kind).")
    total: int


class DemandRow(BaseModel):
    key: str = Field(description="Code of the kind or group, region id, or month.")
    label: str
    demand: DemandCounts
    lat: float | None = Field(None, description="A region's centre (rows of regions only).")
    lon: float | None = None


class DemandAnswer(BaseModel):
    group_by: DemandGroupBy
    period: Period
    source: DemandSource
    threshold: int = Field(
        description="Every figure is a sum of groups of at least this many distinct requesters."
    )
    rows: list[DemandRow]
    other: DemandCounts = Field(
        description="Demand that is shown only without this detail (too few requesters to "
        "place it in a row)."
    )
    total: DemandCounts = Field(description="The rows plus other.")


class GapRow(BaseModel):
    key: str
    label: str
    demand: int = Field(description="Searches, stored requests and call-outs together.")
    thin_callouts: int = Field(
        description="Call-outs that closed with fewer than 3 interested companies."
    )
    companies: int = Field(description="Active companies offering this (or with a site here).")
    sites: int
    capacity_workers: int = Field(description="People available for new work, summed.")
    demand_per_company: float | None = Field(
        description="Demand per offering company; null when no company offers it."
    )


class GapTotals(BaseModel):
    demand: int
    thin_callouts: int


class GapsAnswer(BaseModel):
    group_by: GapsGroupBy
    period: Period
    threshold: int
    rows: list[GapRow]
    other: GapTotals
    total: GapTotals


class MissedKind(BaseModel):
    work_kind: str
    label: str
    demand: int = Field(description="Units of demand within reach of the company's sites.")
    regions: list[str] = Field(description="Region ids where it was asked.")


class MissedDemand(BaseModel):
    company_id: str
    period: Period
    threshold: int
    kinds: list[MissedKind]
