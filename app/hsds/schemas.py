"""The HSDS 3.1 shapes Loket publishes (a subset of the specification's fields).

Field names, types, formats and enums follow Open Referral's HSDS 3.1 schema files
(`schema/*.json` of openreferral/specification); `docs/hsds.md` maps our data onto them and
`tests/hsds/schema/` holds the checks written down from the specification. Answers leave out
fields without a value (HSDS types them as strings or numbers, never null).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from pydantic.config import JsonDict

HSDS_VERSION = "3.1"

# Formats HSDS gives that Pydantic's plain `str` does not say (output only: the data was
# validated when it was stored).
_EMAIL: JsonDict = {"format": "email"}
_URI: JsonDict = {"format": "uri"}


class Publisher(BaseModel):
    name: str
    website: str | None = Field(default=None, json_schema_extra=_URI)


class ApiMeta(BaseModel):
    """`GET /hsds/`: which HSDS version this API speaks and where its OpenAPI document is."""

    version: str = Field(description="HSDS version of this API.")
    profile: str = Field(json_schema_extra=_URI,
                         description="URL of the information on this API's HSDS profile.")
    openapi_url: str = Field(json_schema_extra=_URI,
                             description="URL of the OpenAPI document that defines this API.")
    description: str
    publisher: Publisher


class TaxonomyOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    uri: str | None = Field(default=None, json_schema_extra=_URI)
    version: str | None = None


class TaxonomyTermOut(BaseModel):
    id: uuid.UUID
    code: str | None = None
    name: str
    description: str
    parent_id: uuid.UUID | None = None
    taxonomy: str | None = None
    taxonomy_id: uuid.UUID | None = None
    language: str | None = None
    taxonomy_detail: TaxonomyOut | None = None


class AttributeOut(BaseModel):
    """Links a service to a taxonomy term (its kind of work, the kind's NACE classes)."""

    id: uuid.UUID
    link_id: uuid.UUID
    taxonomy_term_id: uuid.UUID
    link_entity: str
    taxonomy_term: TaxonomyTermOut | None = None


class OrganizationIdentifierOut(BaseModel):
    id: uuid.UUID
    identifier_scheme: str | None = Field(default=None, description="Per org-id.guide.")
    identifier_type: str
    identifier: str


class PhoneOut(BaseModel):
    id: uuid.UUID
    number: str
    type: str | None = None
    description: str | None = None


class UnitOut(BaseModel):
    id: uuid.UUID
    name: str
    scheme: str | None = None
    identifier: str | None = None


class ServiceCapacityOut(BaseModel):
    id: uuid.UUID
    unit: UnitOut
    available: float = Field(description="People available for new work, as last stated.")
    description: str | None = None
    updated: datetime = Field(description="When the company last stated this figure.")


class ServiceAreaOut(BaseModel):
    id: uuid.UUID
    service_id: uuid.UUID | None = None
    service_at_location_id: uuid.UUID | None = None
    name: str | None = None
    description: str | None = None
    extent: str | None = Field(default=None, description="A GeoJSON Polygon (a 32-gon around "
                               "the site with the service radius), as text.")
    extent_type: Literal["geojson", "topojson", "kml", "text"] | None = None


class LocationOut(BaseModel):
    id: uuid.UUID
    location_type: Literal["physical", "postal", "virtual"]
    organization_id: uuid.UUID | None = None
    name: str | None = None
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class ServiceAtLocationOut(BaseModel):
    id: uuid.UUID
    service_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    description: str | None = None
    service_areas: list[ServiceAreaOut] | None = None
    location: LocationOut | None = None


class OrganizationOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str
    email: str | None = Field(default=None, json_schema_extra=_EMAIL)
    website: str | None = Field(default=None, json_schema_extra=_URI)
    phones: list[PhoneOut] | None = None
    organization_identifiers: list[OrganizationIdentifierOut] | None = None
    locations: list[LocationOut] | None = None
    services: list[ServiceOut] | None = Field(
        default=None, description="The organization's services (their one-to-one fields)."
    )


class ServiceOut(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID | None = None
    name: str
    description: str | None = None
    url: str | None = Field(default=None, json_schema_extra=_URI)
    email: str | None = Field(default=None, json_schema_extra=_EMAIL)
    status: Literal["active", "inactive", "defunct", "temporarily closed"]
    capacities: list[ServiceCapacityOut] | None = None
    attributes: list[AttributeOut] | None = None
    service_areas: list[ServiceAreaOut] | None = None
    service_at_locations: list[ServiceAtLocationOut] | None = None
    organization: OrganizationOut | None = None


OrganizationOut.model_rebuild()


class Page(BaseModel):
    """HSDS's page: counts, where this page stands, and its entries in `contents`."""

    total_items: int = Field(description="Entries over all pages.")
    total_pages: int = Field(description="Pages of `per_page` entries; at least 1.")
    page_number: int
    size: int = Field(description="Entries on this page.")
    first_page: bool
    last_page: bool
    empty: bool = Field(description="True when this page has no entries.")


class ServicePage(Page):
    contents: list[ServiceOut]


class OrganizationPage(Page):
    contents: list[OrganizationOut]


class ServiceAtLocationPage(Page):
    contents: list[ServiceAtLocationOut]


class TaxonomyPage(Page):
    contents: list[TaxonomyOut]


class TaxonomyTermPage(Page):
    contents: list[TaxonomyTermOut]
