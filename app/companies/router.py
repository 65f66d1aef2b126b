from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request, Response, status

from app.accounts.dependencies import OPTIONAL_AUTH, CurrentPrincipal, OptionalPrincipal
from app.accounts.idempotency import IdempotentRoute
from app.audit import service as audit
from app.audit.schemas import CompanyHistory
from app.common.http import ERROR_RESPONSES, PageParams, no_store
from app.companies import service
from app.companies.repository import CompanyFilters
from app.companies.schemas import (
    CompanyCreate,
    CompanyList,
    CompanyListItem,
    CompanyPublic,
    CompanyUpdate,
)
from app.db import DbSession
from app.errors import FieldError, Forbidden, Unprocessable

router = APIRouter(
    prefix="/v1/companies",
    tags=["companies"],
    responses=ERROR_RESPONSES,
    route_class=IdempotentRoute,
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CompanyPublic)
def create_company(
    body: CompanyCreate, session: DbSession, principal: CurrentPrincipal, response: Response
) -> CompanyPublic:
    """Register a sheltered-work company (operators only).

    Sites without `lat`/`lon` are geocoded offline from their postcode, or else their city
    (NL and BE). New companies start as `pending` unless the operator sets `status`.

    Besides what the schema says, a profile is refused (422, naming the field) when: a Belgian
    enterprise number fails its mod-97 check digits; two sites share a name; a `work_kind`
    appears twice in `capabilities`, is unknown or is a group rather than a kind; a
    capability's `sites` names a site the profile lacks; `batch_min` exceeds `batch_max`; a
    certification code is unknown; or a site's postcode or city cannot be geocoded. A
    registration another company has is 409.
    """
    company = service.create_company(session, body, principal)
    response.headers["Location"] = f"/v1/companies/{company.id}"
    response.headers["ETag"] = service.etag(company)
    no_store(response)
    return service.to_public(company, include_contacts=True)


@router.get(
    "",
    response_model=CompanyList,
    response_model_exclude_unset=True,
    openapi_extra=OPTIONAL_AUTH,
)
def list_companies(
    session: DbSession,
    principal: OptionalPrincipal,
    page: PageParams,
    work_kind: Annotated[
        list[str] | None,
        Query(max_length=20, description="Kind or group codes; repeat for several (any of)."),
    ] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="Has a site in this country.")
    ] = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Text in name, description or city."),
    ] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_km: Annotated[
        float, Query(gt=0, le=2000, description="With lat/lon: a site within this distance.")
    ] = 50,
    status_filter: Annotated[
        list[Literal["pending", "active", "inactive"]] | None,
        Query(
            alias="status",
            max_length=3,
            description="Default active; pending and inactive are for operators only.",
        ),
    ] = None,
) -> CompanyList:
    """Public company profiles, filtered and paginated.

    With `lat` and `lon` the list holds companies with a site within `radius_km`, nearest
    first, and each item carries `distance_km`; otherwise it is sorted by name. `lat` and
    `lon` come together (422 otherwise); without them `radius_km` is ignored.
    """
    if (lat is None) != (lon is None):
        raise Unprocessable("Give both lat and lon.", errors=[FieldError(
            field="lat", location="query", message="give both lat and lon", type="missing",
            code="lat_lon_together")])
    statuses: list[str] = ["active"]
    if status_filter:
        if set(status_filter) != {"active"} and not (principal and principal.is_admin):
            # Asking for what you may not see is refused, not quietly narrowed.
            raise Forbidden("Only operators list pending or inactive companies.")
        statuses = list(status_filter)
    filters = CompanyFilters(
        work_kinds=service.expand_work_kinds(session, work_kind) if work_kind else (),
        country=country.upper() if country else None,
        q=q,
        statuses=statuses,
        near=(lat, lon, radius_km) if lat is not None and lon is not None else None,
    )
    result = service.list_companies(session, filters, limit=page.limit, offset=page.offset)
    items = [
        CompanyListItem(
            **service.to_public(
                company, include_contacts=service.can_see_contacts(principal, company.id)
            ).model_dump(exclude_unset=True),
            distance_km=distance,
        )
        for company, distance in result.items
    ]
    return CompanyList(items=items, total=result.total, limit=page.limit, offset=page.offset)


@router.get(
    "/{company_id}",
    response_model=CompanyPublic,
    response_model_exclude_unset=True,
    openapi_extra=OPTIONAL_AUTH,
)
def get_company(
    company_id: uuid.UUID,
    session: DbSession,
    principal: OptionalPrincipal,
    request: Request,
    response: Response,
) -> CompanyPublic | Response:
    """One public profile. Contact persons are included only for operators and the company."""
    company = service.get_visible_company(session, company_id, principal)
    tag = service.etag(company)
    include_contacts = service.can_see_contacts(principal, company.id)
    if include_contacts:
        no_store(response)
    else:
        # Public data: caches may keep it but must revalidate with the ETag.
        response.headers["Cache-Control"] = "no-cache"
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return service.to_public(company, include_contacts=include_contacts)


@router.patch("/{company_id}", response_model=CompanyPublic)
def update_company(
    company_id: uuid.UUID,
    body: CompanyUpdate,
    session: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    if_match: Annotated[
        str | None, Header(description="The ETag of your last read; required.")
    ] = None,
) -> CompanyPublic:
    """Partial update by an operator or the company itself.

    Send `If-Match` with the `ETag` from your last read: 428 without it, 412 when the profile
    changed since. Lists (`sites`, `capabilities`, `contacts`, `certifications`) replace the
    whole list; sites keep their id when their name stays. A capability whose values
    (`capacity_workers`, batch range, notes, sites) changed gets a new
    `capacity_updated_at`; rows sent unchanged keep theirs, so a stale figure stays visible.

    The rules of `POST /v1/companies` hold for what is sent; besides, new `sites` may not drop
    a site that a stored capability names (422 on `sites`). Only operators may change
    `status` and `registration` (403).
    """
    company = service.update_company(session, company_id, body, principal, if_match=if_match)
    response.headers["ETag"] = service.etag(company)
    no_store(response)
    return service.to_public(company, include_contacts=True)



@router.get("/{company_id}/history", response_model=CompanyHistory)
def company_history(
    company_id: uuid.UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageParams,
    response: Response,
) -> CompanyHistory:
    """Every change to the profile, newest first: who (key id, name, role), what (each
    changed field's value before and after) and when. Contact persons' data is never shown
    here, only `[redacted]`. For operators and the company itself."""
    service.check_history_access(session, company_id, principal)
    rows, total = audit.list_history(session, company_id, limit=page.limit, offset=page.offset)
    no_store(response)
    return CompanyHistory(
        items=[audit.to_out(r) for r in rows], total=total, limit=page.limit, offset=page.offset
    )
