from __future__ import annotations

import uuid
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import JsonDict, JsonValue
from pydantic_core import PydanticCustomError

from app.common.validators import NOT_BOOL, BusinessDate, Code, CountryCode
from app.consortia.schemas import ConsortiumOut, SocialReturnCover
from app.matching.procurement import PSO_CODES, RESERVED_CODE, rules

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


PsoLevel = Literal["aspirant", "basistrede", "trede-1", "trede-2", "trede-3", "30-plus"]
assert get_args(PsoLevel) == PSO_CODES  # one ladder: the core's

_NUMBER: JsonDict = {"not": {"type": "null"}}
SOCIAL_RETURN_FORMS: JsonDict = {
    "oneOf": [
        {"title": "contract value and percentage",
         "required": ["contract_value_eur", "percentage"],
         "properties": {"contract_value_eur": _NUMBER, "percentage": _NUMBER,
                        "amount_eur": _ABSENT}},
        {"title": "amount", "required": ["amount_eur"],
         "properties": {"amount_eur": _NUMBER, "contract_value_eur": _ABSENT,
                        "percentage": _ABSENT}},
    ]
}


_REGIONS: JsonDict = {"enum": list[JsonValue](sorted(rules().regions))}


class SocialReturn(BaseModel):
    """A social-return obligation (social return / SROI): the contract value with the share
    to spend on it (usually 5%), or the amount itself. `region` picks counting rules from the
    rules file (docs/procurement.md); without it, the asked location's place decides, else
    the national default."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=SOCIAL_RETURN_FORMS)

    contract_value_eur: Annotated[float, Field(gt=0, le=1e12), NOT_BOOL] | None = Field(
        None, description="The contract's value in euros, excluding VAT.",
        examples=[2_000_000],
    )
    percentage: Annotated[float, Field(gt=0, le=100), NOT_BOOL] | None = Field(
        None, description="The share of the contract value to spend on social return.",
        examples=[5],
    )
    amount_eur: Annotated[float, Field(gt=0, le=1e12), NOT_BOOL] | None = Field(
        None, description="The obligation in euros, when known as an amount."
    )
    region: Annotated[str, Field(max_length=64, examples=["rotterdam"],
                                 json_schema_extra=_REGIONS)] | None = Field(
        None, description="A region of the counting rules (docs/procurement.md)."
    )

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str | None) -> str | None:
        if value is not None and value not in rules().regions:
            raise PydanticCustomError(
                "unknown_region", "no counting rules for region '{value}'", {"value": value}
            )
        return value

    @model_validator(mode="after")
    def _one_form(self) -> SocialReturn:
        pair = self.contract_value_eur is not None and self.percentage is not None
        partial = (self.contract_value_eur is None) != (self.percentage is None)
        if partial or pair == (self.amount_eur is not None):
            raise PydanticCustomError(
                "social_return_form",
                "give contract_value_eur with percentage, or amount_eur",
            )
        return self


# The rule of MatchCriteria._distance_needs_location in JSON Schema: no distance cut-off
# (absent or null), or a location.
DISTANCE_NEEDS_LOCATION: JsonDict = {
    "anyOf": [
        {"title": "no distance cut-off", "properties": {"max_distance_km": {"type": "null"}}},
        {"title": "a location", "required": ["location"],
         "properties": {"location": {"not": {"type": "null"}}}},
    ]
}


class MatchCriteria(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=DISTANCE_NEEDS_LOCATION)

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
    reserved_contract: bool = Field(
        False, description="A contract reserved for sheltered workshops (eForms BT-71 "
        f"`{RESERVED_CODE}`; Art. 20 Directive 2014/24/EU): only companies with a stated "
        "target-group share of 30% or more match, and only they are invited."
    )
    min_pso_level: PsoLevel | None = Field(
        None, description="Only companies at this PSO level or higher (aspirant < basistrede "
        "< trede-1 < trede-2 < trede-3 < 30-plus)."
    )
    social_return: SocialReturn | None = Field(
        None, description="The social-return obligation: the answer says what is at stake and "
        "how much each match and consortium could cover."
    )

    @model_validator(mode="after")
    def _distance_needs_location(self) -> MatchCriteria:
        if self.max_distance_km is not None and self.location is None:
            raise PydanticCustomError("needs_location", "max_distance_km needs a location")
        return self


class ExplanationItem(BaseModel):
    criterion: str = Field(
        description="work_kinds, distance, capacity, availability or certifications; "
        "reserved_contract and pso_level (hard filters, weight 0) say why a company may take "
        "part"
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


class CaseCount(BaseModel):
    work_kind: str = Field(description="An asked kind or group code.")
    count: int = Field(ge=1)
    detail: str = Field(description="Said in the asked language: '2 cases in packaging'.")


class MatchItem(BaseModel):
    company: MatchCompany
    site: MatchSite
    distance_km: float | None = Field(description="Great-circle km; null without a location.")
    score: float = Field(ge=0, le=100)
    explanation: list[ExplanationItem]
    pso_level: str | None = Field(None, description="The company's PSO level, if any.")
    reserved_contract_eligible: bool = Field(
        False, description="A stated target-group share of 30% or more."
    )
    social_return: SocialReturnCover | None = Field(
        None, description="With a social-return obligation: how much this company's work "
        "could cover, and by which counting rule."
    )
    cases: list[CaseCount] = Field(
        default_factory=list,
        description="The company's published cases per asked kind of work (only kinds it has "
        "cases in); read them with `GET /v1/cases?company=...&work_kind=...`.",
    )


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


class SocialReturnAtStake(BaseModel):
    """The obligation of the asked contract, and the counting rules that apply."""

    amount_at_stake_eur: float
    contract_value_eur: float | None
    percentage: float | None
    region: str = Field(description="`default` or a region code of the rules file.")
    region_label: str
    annual_value_per_worker_eur: float = Field(
        description="The estimate of one worker's year of invoiced work that 'could cover' "
        "figures use."
    )
    rules_source: str
    rules_verified: bool = Field(description="False: example figures, not checked.")
    explanation: str = Field(description="A sentence in the language asked for.")


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
    social_return: SocialReturnAtStake | None = Field(
        None, description="With a social-return obligation in the criteria: what is at stake."
    )
