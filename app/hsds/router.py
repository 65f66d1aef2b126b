"""Open data: Loket's active companies as HSDS 3.1 (Open Referral), read-only, for anyone.

docs/hsds.md maps our data onto HSDS and says what is (not) exported: contact persons never.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.common.http import ERROR_RESPONSES, preferred_language
from app.db import DbSession
from app.hsds import service
from app.hsds.repository import ServiceFilters
from app.hsds.schemas import (
    HSDS_VERSION,
    ApiMeta,
    OrganizationOut,
    OrganizationPage,
    Page,
    Publisher,
    ServiceAtLocationOut,
    ServiceAtLocationPage,
    ServiceOut,
    ServicePage,
    TaxonomyOut,
    TaxonomyPage,
    TaxonomyTermOut,
    TaxonomyTermPage,
)
from app.hsds.service import (
    DATE_TIME_PATTERN,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    Paging,
    Taxonomy,
)

router = APIRouter(prefix="/hsds", tags=["open data (HSDS)"], responses=ERROR_RESPONSES)

NDJSON = "application/x-ndjson"

Search = Annotated[str | None, Query(
    max_length=200, description="Text in the entries' names and descriptions (any case).",
)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(
    ge=1, le=PER_PAGE_MAX, description=f"Entries per page (at most {PER_PAGE_MAX}).",
)]
Format = Annotated[Literal["json", "ndjson"], Query(
    description="`json` (a page) or `ndjson`: every entry, one JSON object a line, streamed "
                f"as `{NDJSON}` without pagination (`page` and `per_page` are ignored).",
)]
TermId = Annotated[uuid.UUID | None, Query(
    description="Entries with this taxonomy term (a kind of work, a group of kinds, or a NACE "
                "class): see `/hsds/taxonomy_terms`. An unknown term finds nothing.",
)]
TaxonomyId = Annotated[uuid.UUID | None, Query(
    description="Entries with any term of this taxonomy: see `/hsds/taxonomies`.",
)]
OrganizationId = Annotated[uuid.UUID | None, Query(
    description="Entries of this organization only.",
)]
ModifiedAfter = Annotated[str | None, Query(
    max_length=64, pattern=DATE_TIME_PATTERN, json_schema_extra={"format": "date-time"},
    description="Entries changed on or after this RFC 3339 date-time, with its offset (the "
                "company's profile or the service's capacity). One that names no real "
                "instant (month 13, a leap second, year 0) is 422.",
)]


def _list_responses(item: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {NDJSON: {"schema": {
        "type": "string",
        "description": f"With `format=ndjson`: one `{item.__name__}` JSON object a line.",
    }}}}}


def _headers(response: Response, lang: str) -> None:
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    response.headers["Cache-Control"] = "public, max-age=60"


def _ndjson(items: Sequence[BaseModel], lang: str) -> StreamingResponse:
    def lines() -> Iterator[bytes]:
        for item in items:
            yield item.model_dump_json(exclude_none=True).encode() + b"\n"

    response = StreamingResponse(lines(), media_type=NDJSON)
    _headers(response, lang)
    return response


def _paging(fmt: str, page: int, per_page: int) -> Paging:
    return Paging(page=1, per_page=None) if fmt == "ndjson" else Paging(page, per_page)


def _search(text: str | None) -> str | None:
    return text.strip() or None if text else None


@dataclass(frozen=True, slots=True)
class ListParams:
    """What every list takes: `search`, the page and the format."""

    search: str | None
    paging: Paging
    format: str


def list_params(
    search: Search = None, page: PageNumber = 1, per_page: PerPage = PER_PAGE_DEFAULT,
    format: Format = "json",
) -> ListParams:
    return ListParams(_search(search), _paging(format, page, per_page), format)


Lists = Annotated[ListParams, Depends(list_params)]


def _answer(
    page_class: type[Page], found: tuple[Sequence[BaseModel], int], paging: Paging, fmt: str,
    lang: str, response: Response,
) -> Any:
    """A page of HSDS's shape, or with `format=ndjson` every entry as a stream."""
    items, total = found
    if fmt == "ndjson":
        return _ndjson(items, lang)
    _headers(response, lang)
    return page_class(**service.page_fields(total, len(items), paging), contents=items)


def _slice(items: Sequence[BaseModel], paging: Paging) -> tuple[Sequence[BaseModel], int]:
    end = None if paging.per_page is None else paging.offset + paging.per_page
    return items[paging.offset:end], len(items)


@router.get("/", response_model=ApiMeta, response_model_exclude_none=True)
def api_meta(request: Request, response: Response) -> ApiMeta:
    """About this API: the HSDS version it speaks (3.1) and where its OpenAPI document is.

    Every `/hsds/` answer is open data about Loket's active sheltered-work companies; contact
    persons are never in it. docs/hsds.md documents the mapping.
    """
    _headers(response, "en")
    base = str(request.base_url)
    return ApiMeta(
        version=HSDS_VERSION,
        profile=f"https://github.com/openreferral/specification/tree/{HSDS_VERSION}",
        openapi_url=f"{base}{(request.app.openapi_url or '/openapi.json').lstrip('/')}",
        description="Loket: sheltered-work companies in the Netherlands and Belgium (SW-"
                    "bedrijven, maatwerkbedrijven), what they do and where, as HSDS 3.1.",
        publisher=Publisher(name="Loket", website=base),
    )


@dataclass(frozen=True, slots=True)
class ServiceListQuery:
    """The parameters of the services and service_at_locations lists, read and checked."""

    taxonomy: Taxonomy
    filters: ServiceFilters
    paging: Paging
    format: str
    lang: str


def service_list_query(
    session: DbSession, request: Request, params: Lists,
    taxonomy_term_id: TermId = None, taxonomy_id: TaxonomyId = None,
    organization_id: OrganizationId = None, modified_after: ModifiedAfter = None,
) -> ServiceListQuery:
    lang = preferred_language(request)
    taxonomy = Taxonomy.load(session, lang)
    filters = service.service_filters(
        taxonomy, search=params.search, taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id, organization_id=organization_id, modified_after=modified_after,
    )
    return ServiceListQuery(taxonomy, filters, params.paging, params.format, lang)


ServiceQuery = Annotated[ServiceListQuery, Depends(service_list_query)]


@router.get("/services", response_model=ServicePage, response_model_exclude_none=True,
            responses=_list_responses(ServiceOut))
def list_services(session: DbSession, response: Response, query: ServiceQuery) -> Any:
    """Services: what each active company does (one per kind of work), with the people it has
    available for new work as `capacities` (unit `workers`) and its terms as `attributes`.

    The list has the one-to-one fields; `/hsds/services/{service_id}` adds the service areas,
    locations and organization.
    """
    found = service.list_services(session, query.taxonomy, query.filters, query.paging)
    return _answer(ServicePage, found, query.paging, query.format, query.lang, response)


@router.get("/services/{service_id}", response_model=ServiceOut,
            response_model_exclude_none=True)
def get_service(
    session: DbSession, request: Request, response: Response, service_id: uuid.UUID
) -> ServiceOut:
    """One service, fully nested: capacity, terms, service areas (the site's radius, with a
    GeoJSON extent), service_at_locations with their locations, and the organization.

    404 when there is no such service or its company is not active.
    """
    lang = preferred_language(request)
    _headers(response, lang)
    return service.get_service(session, Taxonomy.load(session, lang), service_id)


@router.get("/organizations", response_model=OrganizationPage,
            response_model_exclude_none=True, responses=_list_responses(OrganizationOut))
def list_organizations(
    session: DbSession, request: Request, response: Response, params: Lists,
    taxonomy_term_id: TermId = None, taxonomy_id: TaxonomyId = None,
) -> Any:
    """Organizations: the active sheltered-work companies, with their registration (KvK or
    KBO number) as `organization_identifiers` and their general phone number.
    """
    lang = preferred_language(request)
    taxonomy = Taxonomy.load(session, lang)
    found = service.list_organizations(
        session, search=params.search, kinds=taxonomy.kinds_for(taxonomy_term_id, taxonomy_id),
        paging=params.paging, lang=lang,
    )
    return _answer(OrganizationPage, found, params.paging, params.format, lang, response)


@router.get("/organizations/{organization_id}", response_model=OrganizationOut,
            response_model_exclude_none=True)
def get_organization(
    session: DbSession, request: Request, response: Response, organization_id: uuid.UUID
) -> OrganizationOut:
    """One organization with its locations (sites) and services.

    404 when there is no such organization or it is not active.
    """
    lang = preferred_language(request)
    _headers(response, lang)
    return service.get_organization(session, Taxonomy.load(session, lang), organization_id)


@router.get("/service_at_locations", response_model=ServiceAtLocationPage,
            response_model_exclude_none=True, responses=_list_responses(ServiceAtLocationOut))
def list_service_at_locations(session: DbSession, response: Response, query: ServiceQuery) -> Any:
    """Each service at each site it is offered from (a capability limited to some sites is at
    those), with the location and the site's service radius as the service area.

    `search` also finds the place (city) of the site.
    """
    found = service.list_service_at_locations(
        session, query.taxonomy, query.filters, query.paging
    )
    return _answer(ServiceAtLocationPage, found, query.paging, query.format, query.lang,
                   response)


@router.get("/taxonomies", response_model=TaxonomyPage, response_model_exclude_none=True,
            responses=_list_responses(TaxonomyOut))
def list_taxonomies(response: Response, params: Lists) -> Any:
    """The two taxonomies: `loket-work-kinds` (groups and kinds of work) and `nace-rev2` (the
    NACE Rev. 2 classes of those kinds)."""
    found = _slice(service.taxonomies(params.search), params.paging)
    return _answer(TaxonomyPage, found, params.paging, params.format, "en", response)


@router.get("/taxonomy_terms", response_model=TaxonomyTermPage,
            response_model_exclude_none=True, responses=_list_responses(TaxonomyTermOut))
def list_taxonomy_terms(
    session: DbSession, request: Request, response: Response, params: Lists,
    taxonomy_id: TaxonomyId = None,
    parent_id: Annotated[uuid.UUID | None, Query(
        description="Terms whose parent is this term (the kinds of a group).",
    )] = None,
) -> Any:
    """The terms: every group and kind of work (code, label in the caller's language, parent
    group) and every NACE Rev. 2 class a kind falls in."""
    lang = preferred_language(request)
    every = service.taxonomy_terms(
        Taxonomy.load(session, lang), search=params.search, taxonomy_id=taxonomy_id,
        parent_id=parent_id,
    )
    found = _slice(every, params.paging)
    return _answer(TaxonomyTermPage, found, params.paging, params.format, lang, response)
