from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from app.common.validators import NOT_BOOL, BusinessDate, Code, CountryCode
from app.consortia.schemas import ConsortiumOut

# The rule of Location._one_form in JSON Schema, so the OpenAPI document says it: exactly one
# form, the others absent or null. Country may go with any form (optional: inferred). (Each
# field's type is its property's; the forms only say which are given.)
_ABSENT: JsonDict = {"type": "null"}
_GIVEN: JsonDict = {"not": {"type": "null"}}
LOCATION_FORMS: JsonDict = {
    "oneOf": [
        {"title": "postcode", "required": ["postcode"],
         "properties": {"postcode": _GIVEN, "place": _ABSENT, "lat": _ABSENT, "lon": _ABSENT}},
        {"title": "place", "required": ["place"],
         "properties": {"place": _GIVEN, "postcode": _ABSENT, "lat": _ABSENT, "lon": _ABSENT}},
        {"title": "point", "required": ["lat", "lon"],
         "properties": {"lat": _GIVEN, "lon": _GIVEN, "postcode": _ABSENT, "place": _ABSENT}},
    ]
}


class Location(BaseModel):
    """One of `{postcode}`, `{place}` or `{lat, lon}`, each with an optional `country`: when
    left out, the postcode's shape or the place's name tells it (ambiguous ones are refused
    with `ambiguous_place` and the alternatives)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=LOCATION_FORMS)

    postcode: Annotated[str, Field(min_length=1, max_length=16, examples=["5038 AB"])] | None = (
        None
    )
    place: Annotated[str, Field(min_length=1, max_length=120, examples=["Tilburg"])] | None = None
    country: CountryCode | None = Field(
        None, description="NL or BE; optional: inferred from the postcode or place."
    )
    lat: Annotated[float, Field(ge=-90, le=90), NOT_BOOL] | None = None
    lon: Annotated[float, Field(ge=-180, le=180), NOT_BOOL] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Location:
        has_point = self.lat is not None or self.lon is not None
        forms = sum([self.postcode is not None, self.place is not None, has_point])
        if forms != 1:
            raise PydanticCustomError(
                "location_form", "give exactly one of: postcode, place, or lat and lon"
            )
        if has_point and (self.lat is None or self.lon is None):
            raise PydanticCustomError("lat_lon_together", "give both lat and lon")
        return self


class MatchCriteria(BaseModel):
    model_config = ConfigDict(extra="forbid")

    work_kinds: Annotated[list[Code], Field(min_length=1, max_length=20)] = Field(
        description="Kinds of work or groups (a group means every kind in it).",
        examples=[["packaging", "assembly"]],
    )
    location: Location | None = Field(None, description="Where the work is to be done.")
    max_distance_km: Annotated[float, Field(gt=0, le=2000)] | None = Field(
        None, description="Optional cut-off; without it everything that fits is ranked."
    )
    workers_needed: Annotated[int, Field(ge=1, le=100_000)] | None = None
    start_date: BusinessDate | None = None
    required_certifications: Annotated[list[Code], Field(max_length=20)] = []
    preferred_certifications: Annotated[list[Code], Field(max_length=20)] = []
    limit: Annotated[int, Field(ge=1, le=200)] = 20

    @model_validator(mode="after")
    def _distance_needs_location(self) -> MatchCriteria:
        if self.max_distance_km is not None and self.location is None:
            raise PydanticCustomError("needs_location", "max_distance_km needs a location")
        return self


class ExplanationItem(BaseModel):
    criterion: str = Field(
        description="work_kinds, distance, capacity, availability or certifications"
    )
    score: float = Field(ge=0, le=1, description="This component's score, 0-1.")
    weight: float = Field(ge=0, le=1, description="Its share of the total score.")
    detail: str = Field(description="A sentence in the language asked for (Accept-Language).")


class MatchCompany(BaseModel):
    id: uuid.UUID
    name: str
    email: str | None
    phone: str | None
    website: str | None


class MatchSite(BaseModel):
    name: str
    city: str | None
    country: str
    lat: float
    lon: float


class MatchItem(BaseModel):
    company: MatchCompany
    site: MatchSite
    distance_km: float | None = Field(description="Great-circle km; null without a location.")
    score: float = Field(ge=0, le=100)
    explanation: list[ExplanationItem]


class PlaceResolution(BaseModel):
    """How the asked location was understood; `corrected` when the place found is spelt
    otherwise than asked (a near miss, or another name of it): say it to the person."""

    place: str | None
    postcode: str | None
    country: str | None
    lat: float
    lon: float
    matched: Literal["exact", "corrected"]


class ResolvedLocation(BaseModel):
    lat: float
    lon: float
    label: str
    resolved: PlaceResolution | None = None


class MatchResponse(BaseModel):
    matches: list[MatchItem]
    total_candidates: int = Field(description="Companies passing the hard filters.")
    location: ResolvedLocation | None = Field(
        None, description="Where the asked location was placed."
    )
    consortia: list[ConsortiumOut] = Field(
        default_factory=list,
        description="When no single company covers workers_needed: up to five combinations "
        "of two or three companies that together do, ranked and explained.",
    )
