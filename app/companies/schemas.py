from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.be import vat as be_enterprise_number

from app.common.validators import (
    NOT_BOOL,
    BusinessDate,
    Code,
    CountryCode,
    Email,
    LongText,
    NoNul,
    Phone,
    ShortText,
    Text200,
    WebUrl,
)
from app.models import CompanyStatus
from app.search.schemas import PsoLevel

MAX_SITES = 50
MAX_CAPABILITIES = 60
MAX_CONTACTS = 20

StatusLiteral = Literal["pending", "active", "inactive"]


class InputModel(BaseModel):
    # Unknown fields are refused, so a typo never silently drops data.
    model_config = ConfigDict(extra="forbid")


# What may stand between the digits of a registration number: spaces (ECMAScript's \s, spelt
# out so that Python and the OpenAPI pattern agree exactly), dots and dashes.
_SEPARATOR = r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff.\-]"
_SEPARATORS = re.compile(_SEPARATOR)
# The shapes Registration._check_number accepts, per country, for the OpenAPI document (the
# Belgian mod-97 check digits are beyond JSON Schema: the description says them).
_NL_NUMBER = f"^{_SEPARATOR}*(?:[0-9]{_SEPARATOR}*){{8}}$"
_BE_NUMBER = (f"^{_SEPARATOR}*(?:[Bb]{_SEPARATOR}*[Ee]{_SEPARATOR}*)?"
              f"(?:[01]{_SEPARATOR}*)?(?:[0-9]{_SEPARATOR}*){{9}}$")


class Registration(InputModel):
    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"properties": {"country": {"const": "NL"}, "number": {"pattern": _NL_NUMBER}}},
        {"properties": {"country": {"const": "BE"}, "number": {"pattern": _BE_NUMBER}}},
    ]})

    country: Literal["NL", "BE"] = Field(
        description="NL: KvK number (8 digits). BE: enterprise number (KBO/BCE, 10 digits "
        "starting with 0 or 1, or the old 9-digit form; optional BE prefix) whose last two "
        "digits are its mod-97 check. Spaces, dots and dashes between digits are ignored."
    )
    number: Annotated[str, Field(min_length=1, max_length=20, examples=["12345678"])]

    @model_validator(mode="after")
    def _check_number(self) -> Registration:
        raw = _SEPARATORS.sub("", self.number)
        if self.country == "NL":
            if not re.fullmatch(r"[0-9]{8}", raw):
                raise PydanticCustomError(
                    "invalid_registration_number", "a Dutch KvK number has exactly 8 digits",
                    {"country": "NL"},
                )
            self.number = raw
        else:
            candidate = raw.upper().removeprefix("BE")
            if len(candidate) == 9:  # old 9-digit form: a leading zero was dropped
                candidate = "0" + candidate
            if not (re.fullmatch(r"[01][0-9]{9}", candidate) and be_enterprise_number.is_valid(
                candidate
            )):
                raise PydanticCustomError(
                    "invalid_registration_number",
                    "a Belgian enterprise number has 10 digits, starts with 0 or 1 "
                    "and ends in a valid mod-97 check",
                    {"country": "BE"},
                )
            self.number = candidate
        return self


class ContactIn(InputModel):
    name: Text200
    role: ShortText | None = None
    email: Email | None = None
    phone: Phone | None = None


class SiteIn(InputModel):
    # SiteIn._coordinates_together in JSON Schema: lat and lon together, or neither and then a
    # postcode or a city to geocode. (Types are the properties'; this says which are given.)
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"title": "coordinates", "required": ["lat", "lon"],
         "properties": {"lat": {"not": {"type": "null"}}, "lon": {"not": {"type": "null"}}}},
        {"title": "geocoded", "properties": {"lat": {"type": "null"}, "lon": {"type": "null"}},
         "anyOf": [
             {"required": ["postcode"],
              "properties": {"postcode": {"not": {"type": "null"}, "minLength": 1}}},
             {"required": ["city"],
              "properties": {"city": {"not": {"type": "null"}, "minLength": 1}}},
         ]},
    ]})

    name: Text200 = Field(description="Unique within the company; capabilities refer to it.")
    address: ShortText | None = None
    postcode: Annotated[str, Field(max_length=16), NoNul] | None = None
    city: Annotated[str, Field(max_length=120), NoNul] | None = None
    country: CountryCode | None = Field(
        None, description="NL or BE; when left out, inferred from the postcode, the city or "
        "(with coordinates only) the nearest postcode area. Stored as inferred.",
    )
    lat: Annotated[float, Field(ge=-90, le=90), NOT_BOOL] | None = None
    lon: Annotated[float, Field(ge=-180, le=180), NOT_BOOL] | None = None
    service_radius_km: Annotated[float, Field(gt=0, le=1000)] = Field(
        50, description="How far this site will work or deliver."
    )

    @model_validator(mode="after")
    def _coordinates_together(self) -> SiteIn:
        if (self.lat is None) != (self.lon is None):
            raise PydanticCustomError(
                "lat_lon_together", "give both lat and lon, or neither (then we geocode)"
            )
        if self.lat is None and not (self.postcode or self.city):
            raise PydanticCustomError(
                "site_location_required", "a site needs lat/lon, a postcode or a city"
            )
        return self


class CapabilityIn(InputModel):
    """`batch_min` may not exceed `batch_max`; `sites` name sites of the same profile."""

    work_kind: Code = Field(description="A kind of work (not a group) from GET /v1/work-kinds.")
    capacity_workers: Annotated[int, Field(ge=0, le=100_000)] = Field(
        description="People available for new work of this kind."
    )
    batch_min: Annotated[int, Field(ge=0, le=1_000_000_000)] | None = None
    batch_max: Annotated[int, Field(ge=0, le=1_000_000_000)] | None = None
    notes: LongText | None = None
    sites: Annotated[list[Text200], Field(max_length=MAX_SITES)] | None = Field(
        None, description="Names of the sites offering it; omitted means all sites."
    )

    @field_validator("capacity_workers", "batch_min", "batch_max", mode="before")
    @classmethod
    def _no_booleans(cls, value: object) -> object:
        # JSON true is no number of people (Pydantic would read it as 1).
        if isinstance(value, bool):
            raise PydanticCustomError("not_integer", "Input should be a valid integer")
        return value

    @model_validator(mode="after")
    def _batch_range(self) -> CapabilityIn:
        if (
            self.batch_min is not None
            and self.batch_max is not None
            and self.batch_min > self.batch_max
        ):
            raise PydanticCustomError("min_above_max", "batch_min must not exceed batch_max")
        return self


class PsoIn(InputModel):
    """A PSO certificate (Prestatieladder Socialer Ondernemen)."""

    level: PsoLevel = Field(description="Lowest to highest: aspirant, basistrede (base step), "
                            "trede-1, trede-2, trede-3 (steps 1-3), 30-plus (PSO 30+).")
    certified_on: BusinessDate = Field(description="The date on the certificate.")


class TargetGroupIn(InputModel):
    """The share of the workforce from the target group (disabled or disadvantaged workers),
    as the company states it. 30% or more makes it eligible for reserved contracts (Art. 20
    Directive 2014/24/EU, Art. 2.82 Aanbestedingswet; eForms BT-71 `res-ws`)."""

    share_percent: Annotated[float, Field(ge=0, le=100), NOT_BOOL] = Field(
        description="Percent of the workers, 0-100.", examples=[42.5]
    )
    stated_on: BusinessDate = Field(description="The day this share was stated.")


class _ProfileFields(InputModel):
    # Certifications are deduplicated when stored, not here: a validation error must name the
    # position the client sent (certifications.N).

    @model_validator(mode="after")
    def _consistent_lists(self) -> _ProfileFields:
        sites: list[SiteIn] | None = getattr(self, "sites", None)
        capabilities: list[CapabilityIn] | None = getattr(self, "capabilities", None)
        if sites is not None:
            names = [s.name for s in sites]
            if len(set(names)) != len(names):
                raise PydanticCustomError(
                    "duplicate_site_name", "site names must be unique within a company"
                )
        if capabilities is not None:
            kinds = [c.work_kind for c in capabilities]
            if len(set(kinds)) != len(kinds):
                raise PydanticCustomError(
                    "duplicate_work_kind", "each work_kind may appear once in capabilities"
                )
        return self


class CompanyCreate(_ProfileFields):
    name: Text200
    registration: Registration
    description: LongText = ""
    website: WebUrl | None = None
    email: Email | None = None
    phone: Phone | None = None
    contacts: Annotated[list[ContactIn], Field(max_length=MAX_CONTACTS)] = []
    certifications: Annotated[list[Code], Field(max_length=20)] = []
    sites: Annotated[list[SiteIn], Field(min_length=1, max_length=MAX_SITES)]
    capabilities: Annotated[list[CapabilityIn], Field(max_length=MAX_CAPABILITIES)] = []
    available_from: BusinessDate | None = None
    pso: PsoIn | None = Field(None, description="The PSO level, with its certificate date.")
    target_group: TargetGroupIn | None = Field(
        None, description="The share of target-group workers, with the day it was stated."
    )
    status: StatusLiteral = Field(
        "pending", description="Set by operators only; new companies start as pending."
    )


def _not_nullable(*names: str) -> Callable[[dict[str, Any]], None]:
    """For the OpenAPI document: these optional fields may be left out, but not sent as null."""

    def update(schema: dict[str, Any]) -> None:
        for name in names:
            field = schema["properties"][name]
            field.pop("default", None)
            (kind,) = [option for option in field.pop("anyOf") if option != {"type": "null"}]
            field.update(kind)

    return update


_REQUIRED_IN_A_PROFILE = ("name", "registration", "sites", "status")


class CompanyUpdate(_ProfileFields):
    """Partial update: only the fields present change. Lists replace the whole list."""

    model_config = ConfigDict(json_schema_extra=_not_nullable(*_REQUIRED_IN_A_PROFILE))

    name: Text200 | None = None
    registration: Registration | None = None
    description: LongText | None = None
    website: WebUrl | None = None
    email: Email | None = None
    phone: Phone | None = None
    contacts: Annotated[list[ContactIn], Field(max_length=MAX_CONTACTS)] | None = None
    certifications: Annotated[list[Code], Field(max_length=20)] | None = None
    sites: Annotated[list[SiteIn], Field(min_length=1, max_length=MAX_SITES)] | None = None
    capabilities: Annotated[list[CapabilityIn], Field(max_length=MAX_CAPABILITIES)] | None = None
    available_from: BusinessDate | None = None
    pso: PsoIn | None = Field(None, description="Replaces the PSO level; null clears it.")
    target_group: TargetGroupIn | None = Field(
        None, description="Replaces the target-group share; null clears it."
    )
    status: StatusLiteral | None = None

    # A field validator (not a model validator), so the error names the field itself.
    # Validators do not run on defaults, so this only sees an explicit null.
    @field_validator(*_REQUIRED_IN_A_PROFILE)
    @classmethod
    def _no_null_for_required(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            raise PydanticCustomError("required", f"{info.field_name} cannot be null")
        return value


class RegistrationOut(BaseModel):
    country: str
    number: str


class ContactOut(BaseModel):
    name: str
    role: str | None
    email: str | None
    phone: str | None


class SiteOut(BaseModel):
    id: uuid.UUID
    name: str
    address: str | None
    postcode: str | None
    city: str | None
    country: str
    lat: float
    lon: float
    location_source: Literal["given", "postcode", "place"] = Field(
        description="Whether lat/lon were given or geocoded from the postcode or place."
    )
    service_radius_km: float


class CapabilityOut(BaseModel):
    work_kind: str
    capacity_workers: int
    batch_min: int | None
    batch_max: int | None
    notes: str | None
    sites: list[str] | None = Field(description="Site names; null means all sites.")
    capacity_updated_at: datetime = Field(
        description="When this row's values (capacity_workers, batch range, notes, sites) "
        "last changed: tells a live figure from a stale one."
    )


class PsoOut(BaseModel):
    level: str
    certified_on: date


class TargetGroupOut(BaseModel):
    share_percent: float
    stated_on: date


class CompanyPublic(BaseModel):
    id: uuid.UUID
    name: str
    registration: RegistrationOut
    description: str
    website: str | None
    email: str | None
    phone: str | None
    certifications: list[str]
    sites: list[SiteOut]
    capabilities: list[CapabilityOut]
    available_from: date | None
    pso: PsoOut | None
    target_group: TargetGroupOut | None
    reserved_contract_eligible: bool = Field(
        description="Derived, never set: a stated target-group share of 30% or more makes a "
        "company eligible for contracts reserved for sheltered workshops (eForms `res-ws`)."
    )
    status: CompanyStatus
    version: int
    created_at: datetime
    updated_at: datetime
    contacts: list[ContactOut] | None = Field(
        None, description="Contact persons: present only for operators and the company itself."
    )


class CompanyListItem(CompanyPublic):
    distance_km: float | None = Field(
        description="Great-circle distance to the nearest site, when searching near a point."
    )


class CompanyList(BaseModel):
    items: list[CompanyListItem]
    total: int
    limit: int
    offset: int
