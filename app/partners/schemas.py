from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from app.common.validators import NOT_BOOL, BusinessDate, Code, LongText, ShortText, Text200, WebUrl
from app.search.schemas import Location, ResolvedLocation

# The vocabularies. Codes never change once published; labels live with the pages (i18n.js)
# and in docs/partnerships.md.
Expertise = Literal[
    "engineering", "hr", "care-expertise", "design", "ict", "marketing", "finance", "legal"
]
Material = Literal[
    "textile", "electronics", "furniture", "wood", "metal", "plastics", "paper-cardboard",
    "bicycles", "building-materials", "food", "other",
]
PartnershipKind = Literal["customer", "supplier", "full-partnership", "cooperative-member"]
OrganisationKind = Literal[
    "employer", "employers-cooperative", "care-institution", "startup", "municipality",
    "government", "shop", "design-studio", "other",
]
Unit = Literal["kg", "tonnes", "pieces", "m3"]
Period = Literal["week", "month", "year"]
NetworkRole = Literal["coordinator", "member", "supporter"]
PartnershipStatus = Literal["proposed", "active", "ended"]
FlowFacet = Literal["work_kind", "expertise", "material"]

EXPERTISE: tuple[str, ...] = Expertise.__args__  # type: ignore[attr-defined]
MATERIALS: tuple[str, ...] = Material.__args__  # type: ignore[attr-defined]
PARTNERSHIP_KINDS: tuple[str, ...] = PartnershipKind.__args__  # type: ignore[attr-defined]


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


class MaterialAmount(BaseModel):
    """A material with an optional volume: `quantity` `unit` per `period`."""

    model_config = ConfigDict(extra="forbid")

    code: Material
    quantity: Annotated[float, Field(ge=0, le=1_000_000_000), NOT_BOOL] | None = None
    unit: Unit | None = None
    period: Period | None = None
    note: ShortText | None = None


class Wishes(BaseModel):
    """One direction of a two-way profile: what is offered, or what is sought."""

    model_config = ConfigDict(extra="forbid")

    work_kinds: Annotated[list[Code], Field(max_length=30)] = Field(
        default_factory=list, description="Kinds of work or groups (`GET /v1/work-kinds`)."
    )
    expertise: Annotated[list[Expertise], Field(max_length=8)] = Field(default_factory=list)
    materials: Annotated[list[MaterialAmount], Field(max_length=11)] = Field(
        default_factory=list, description="Materials for circular work, with volumes."
    )
    partnership_kinds: Annotated[list[PartnershipKind], Field(max_length=4)] = Field(
        default_factory=list
    )

    @field_validator("work_kinds", "expertise", "partnership_kinds")
    @classmethod
    def _dedupe(cls, value: list[str]) -> list[str]:
        return _unique(value)

    @field_validator("materials")
    @classmethod
    def _one_per_material(cls, value: list[MaterialAmount]) -> list[MaterialAmount]:
        seen: set[str] = set()
        out = []
        for item in value:
            if item.code not in seen:
                seen.add(item.code)
                out.append(item)
        return out

    def is_empty(self) -> bool:
        return not (self.work_kinds or self.expertise or self.materials
                    or self.partnership_kinds)


class Exchange(BaseModel):
    """What a company or organisation offers and what it seeks."""

    model_config = ConfigDict(extra="forbid")

    offers: Wishes = Field(default_factory=Wishes)
    seeks: Wishes = Field(default_factory=Wishes)


# --- organisations ---------------------------------------------------------------------------


class OrganisationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    kind: OrganisationKind
    description: LongText = ""
    website: WebUrl | None = None
    location: Location = Field(description="Where it is: a place, a postcode or a point.")
    offers: Wishes = Field(default_factory=Wishes)
    seeks: Wishes = Field(default_factory=Wishes)


class OrganisationUpdate(BaseModel):
    """Only the fields given change; `offers` and `seeks` are replaced as a whole."""

    model_config = ConfigDict(extra="forbid")

    name: Text200 | None = None
    kind: OrganisationKind | None = None
    description: LongText | None = None
    website: WebUrl | None = None
    location: Location | None = None
    offers: Wishes | None = None
    seeks: Wishes | None = None


class PartyRef(BaseModel):
    id: uuid.UUID
    name: str
    place: str | None = None
    lat: float | None = None
    lon: float | None = None


class PartnerOut(BaseModel):
    """A confirmed, active partner as shown on a profile."""

    partnership_id: uuid.UUID
    kind: PartnershipKind
    since: date | None
    partner: PartyRef
    partner_type: Literal["company", "organisation"]
    to_company: list[Flow]
    to_organisation: list[Flow]


class NetworkRef(BaseModel):
    id: uuid.UUID
    name: str
    role: NetworkRole


class OrganisationOut(BaseModel):
    id: uuid.UUID
    name: str
    kind: OrganisationKind
    description: str
    website: str | None
    place: str
    country: str
    lat: float
    lon: float
    offers: Wishes
    seeks: Wishes
    partners: list[PartnerOut] = Field(description="Active partnerships both sides confirmed.")
    networks: list[NetworkRef]
    can_edit: bool = Field(description="Whether the caller may change this profile.")
    created_at: datetime
    updated_at: datetime


class OrganisationList(BaseModel):
    items: list[OrganisationOut]
    total: int
    limit: int
    offset: int


class CompanyExchangeOut(Exchange):
    company_id: uuid.UUID
    partners: list[PartnerOut] = Field(description="Active partnerships both sides confirmed.")
    networks: list[NetworkRef]
    can_edit: bool


# --- partnerships ----------------------------------------------------------------------------


class Flow(BaseModel):
    """One thing that flows from one side to the other: a service (a kind of work),
    expertise or a material."""

    model_config = ConfigDict(extra="forbid")

    facet: FlowFacet
    code: Code
    note: ShortText | None = None


# A full partnership has flows both ways; said in the schema as well as checked.
_FULL_BOTH_WAYS: JsonDict = {
    "anyOf": [
        {"title": "not a full partnership",
         "properties": {"kind": {"enum": ["customer", "supplier", "cooperative-member"]}}},
        {"title": "flows both ways", "required": ["to_company", "to_organisation"],
         "properties": {"to_company": {"minItems": 1}, "to_organisation": {"minItems": 1}}},
    ]
}


class PartnershipCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_FULL_BOTH_WAYS)

    organisation_id: uuid.UUID
    company_id: uuid.UUID
    kind: PartnershipKind
    to_company: Annotated[list[Flow], Field(max_length=20)] = Field(
        default_factory=list, description="What the organisation gives the company."
    )
    to_organisation: Annotated[list[Flow], Field(max_length=20)] = Field(
        default_factory=list, description="What the company gives the organisation."
    )
    description: LongText = ""
    since: BusinessDate | None = None
    request_id: uuid.UUID | None = Field(
        None, description="Your request whose recorded outcome chose this company."
    )

    @model_validator(mode="after")
    def _full_both_ways(self) -> PartnershipCreate:
        if self.kind == "full-partnership" and not (self.to_company and self.to_organisation):
            raise PydanticCustomError(
                "needs_both_directions", "a full partnership names what flows both ways"
            )
        return self


class PartnershipOut(BaseModel):
    id: uuid.UUID
    organisation: PartyRef
    company: PartyRef
    kind: PartnershipKind
    to_company: list[Flow]
    to_organisation: list[Flow]
    description: str
    since: date | None
    status: PartnershipStatus
    company_confirmed: bool
    organisation_confirmed: bool
    ended_at: datetime | None
    request_id: uuid.UUID | None
    your_side: list[Literal["company", "organisation"]] = Field(
        description="The sides the caller manages (empty for the public)."
    )
    created_at: datetime


class PartnershipList(BaseModel):
    items: list[PartnershipOut]
    total: int
    limit: int
    offset: int


# --- networks --------------------------------------------------------------------------------


class MemberIn(BaseModel):
    """A company or an organisation (exactly one) and its role."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [
            {"required": ["company_id"], "properties": {"organisation_id": {"type": "null"}}},
            {"required": ["organisation_id"], "properties": {"company_id": {"type": "null"}}},
        ]},
    )

    company_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    role: NetworkRole = "member"

    @model_validator(mode="after")
    def _one(self) -> MemberIn:
        if (self.company_id is None) == (self.organisation_id is None):
            raise PydanticCustomError("one_member", "give exactly one of company_id or "
                                      "organisation_id")
        return self


class NetworkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200
    goal: LongText = ""
    location: Location
    website: WebUrl | None = None
    members: Annotated[list[MemberIn], Field(max_length=100)] = Field(default_factory=list)


class NetworkUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text200 | None = None
    goal: LongText | None = None
    location: Location | None = None
    website: WebUrl | None = None


class MemberOut(BaseModel):
    id: uuid.UUID
    role: NetworkRole
    member_type: Literal["company", "organisation"]
    member: PartyRef


class NetworkOut(BaseModel):
    id: uuid.UUID
    name: str
    goal: str
    place: str
    country: str
    lat: float
    lon: float
    website: str | None
    members: list[MemberOut]
    can_edit: bool
    created_at: datetime
    updated_at: datetime


class NetworkList(BaseModel):
    items: list[NetworkOut]
    total: int
    limit: int
    offset: int


# --- reverse search and nearby ---------------------------------------------------------------


class OfferIn(BaseModel):
    """What you offer, per facet (codes only)."""

    model_config = ConfigDict(extra="forbid")

    expertise: Annotated[list[Expertise], Field(max_length=8)] = Field(default_factory=list)
    materials: Annotated[list[Material], Field(max_length=11)] = Field(default_factory=list)
    partnership_kinds: Annotated[list[PartnershipKind], Field(max_length=4)] = Field(
        default_factory=list
    )
    work_kinds: Annotated[list[Code], Field(max_length=30)] = Field(default_factory=list)


_OFFER_NOT_EMPTY: JsonDict = {
    "properties": {"offers": {"anyOf": [
        {"required": ["expertise"], "properties": {"expertise": {"minItems": 1}}},
        {"required": ["materials"], "properties": {"materials": {"minItems": 1}}},
        {"required": ["partnership_kinds"],
         "properties": {"partnership_kinds": {"minItems": 1}}},
        {"required": ["work_kinds"], "properties": {"work_kinds": {"minItems": 1}}},
    ]}},
    "anyOf": [
        {"title": "no distance cut-off", "properties": {"max_distance_km": {"type": "null"}}},
        {"title": "a location", "required": ["location"],
         "properties": {"location": {"not": {"type": "null"}}}},
    ],
}


class ReverseMatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_OFFER_NOT_EMPTY)

    offers: OfferIn
    location: Location | None = None
    max_distance_km: Annotated[float, Field(gt=0, le=2000), NOT_BOOL] | None = None
    include: Annotated[
        list[Literal["companies", "organisations"]], Field(min_length=1, max_length=2)
    ] = Field(default_factory=lambda: ["companies", "organisations"])  # type: ignore[arg-type]
    limit: Annotated[int, Field(ge=1, le=100)] = 20

    @model_validator(mode="after")
    def _check(self) -> ReverseMatchIn:
        o = self.offers
        if not (o.expertise or o.materials or o.partnership_kinds or o.work_kinds):
            raise PydanticCustomError("offer_required", "offer at least one thing")
        if self.max_distance_km is not None and self.location is None:
            raise PydanticCustomError("needs_location", "max_distance_km needs a location")
        return self


class ReverseReason(BaseModel):
    criterion: str = Field(description="expertise, materials, partnership_kinds, work_kinds "
                                       "or distance")
    score: float = Field(ge=0, le=1)
    weight: float = Field(ge=0, le=1)
    detail: str
    codes: list[str] = Field(description="The offered codes this seeker seeks.")


class ReverseMatchItem(BaseModel):
    type: Literal["company", "organisation"]
    id: uuid.UUID
    name: str
    place: str | None
    lat: float | None
    lon: float | None
    distance_km: float | None
    score: float = Field(ge=0, le=100)
    seeks: Wishes
    explanation: list[ReverseReason]


class ReverseMatchOut(BaseModel):
    matches: list[ReverseMatchItem]
    total_candidates: int
    location: ResolvedLocation | None = None


class NearbyCompany(BaseModel):
    id: uuid.UUID
    name: str
    place: str | None
    lat: float
    lon: float
    distance_km: float
    partners: list[PartnerOut]
    networks: list[NetworkRef]


class NearbyOrganisation(BaseModel):
    id: uuid.UUID
    name: str
    kind: OrganisationKind
    place: str
    lat: float
    lon: float
    distance_km: float


class NearbyNetwork(BaseModel):
    id: uuid.UUID
    name: str
    goal: str
    place: str
    lat: float
    lon: float
    distance_km: float
    members: int


class NearbyOut(BaseModel):
    location: ResolvedLocation
    radius_km: float
    companies: list[NearbyCompany]
    organisations: list[NearbyOrganisation]
    networks: list[NearbyNetwork]


PartnerOut.model_rebuild()
OrganisationOut.model_rebuild()
CompanyExchangeOut.model_rebuild()
NearbyCompany.model_rebuild()
