"""Organisations, two-way profiles, partnerships, local networks, the reverse search and the
map near a place."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from app.accounts.dependencies import OPTIONAL_AUTH, CurrentPrincipal, OptionalPrincipal
from app.accounts.idempotency import IdempotentRoute
from app.common.http import ERROR_RESPONSES, PageParams, no_store, preferred_language
from app.db import DbSession
from app.partners import service
from app.partners.schemas import (
    CompanyExchangeOut,
    Exchange,
    MemberIn,
    MemberOut,
    NearbyOut,
    NetworkCreate,
    NetworkList,
    NetworkOut,
    NetworkUpdate,
    OrganisationCreate,
    OrganisationKind,
    OrganisationList,
    OrganisationOut,
    OrganisationUpdate,
    PartnershipCreate,
    PartnershipList,
    PartnershipOut,
    PartnershipStatus,
    ReverseMatchIn,
    ReverseMatchOut,
)

router = APIRouter(prefix="/v1", responses=ERROR_RESPONSES, route_class=IdempotentRoute)

Query200 = Annotated[str | None, Query(max_length=200, description="Part of the name.")]


# --- two-way company profiles ----------------------------------------------------------------


@router.get("/companies/{company_id}/exchange", response_model=CompanyExchangeOut,
            tags=["companies"], openapi_extra=OPTIONAL_AUTH)
def get_company_exchange(
    company_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal, response: Response
) -> CompanyExchangeOut:
    """What a company offers beyond its kinds of work (expertise, materials, kinds of
    partnership) and what it seeks, with its confirmed partners and its networks. Public for
    active companies."""
    no_store(response)
    return service.company_exchange(session, company_id, principal)


@router.put("/companies/{company_id}/exchange", response_model=CompanyExchangeOut,
            tags=["companies"])
def put_company_exchange(
    company_id: uuid.UUID, body: Exchange, session: DbSession, principal: CurrentPrincipal
) -> CompanyExchangeOut:
    """Replace what the company offers and seeks (the company's members and keys, operators).
    Unknown kinds of work are a 422 (`unknown_work_kind`); duplicates are kept once."""
    return service.set_company_exchange(session, company_id, body, principal)


# --- organisations ---------------------------------------------------------------------------


@router.get("/organisations", response_model=OrganisationList, tags=["organisations"],
            openapi_extra=OPTIONAL_AUTH)
def list_organisations(
    session: DbSession, principal: OptionalPrincipal, page: PageParams, response: Response,
    q: Query200 = None, kind: OrganisationKind | None = None,
) -> OrganisationList:
    """Public profiles of organisations that are not sheltered-work companies: employers,
    care institutions, startups, municipalities, ... by name."""
    rows, total = service.list_organisations(session, q=q, kind=kind, limit=page.limit,
                                             offset=page.offset)
    no_store(response)
    return OrganisationList(items=service.organisations_out(session, rows, principal),
                            total=total, limit=page.limit, offset=page.offset)


@router.post("/organisations", status_code=status.HTTP_201_CREATED,
             response_model=OrganisationOut, tags=["organisations"])
def create_organisation(
    body: OrganisationCreate, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response,
) -> OrganisationOut:
    """Make an organisation's light public profile (signed-in entrepreneurs and their keys,
    operators). The caller's account becomes its first member and manages it. The location
    is geocoded offline: an unknown or ambiguous place is a 422 as in `POST /v1/match`, as
    is an unknown kind of work in `offers` or `seeks`."""
    o = service.create_organisation(session, body, principal)
    response.headers["Location"] = str(request.url_for("get_organisation",
                                                       organisation_id=o.id))
    return service.organisation_out(session, o, principal)


@router.get("/organisations/{organisation_id}", response_model=OrganisationOut,
            tags=["organisations"], openapi_extra=OPTIONAL_AUTH)
def get_organisation(
    organisation_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal,
    response: Response,
) -> OrganisationOut:
    """An organisation's public profile: what it offers and seeks, its confirmed partners
    and its networks."""
    no_store(response)
    return service.organisation_out(session, service.get_organisation(session, organisation_id),
                                    principal)


@router.patch("/organisations/{organisation_id}", response_model=OrganisationOut,
              tags=["organisations"])
def update_organisation(
    organisation_id: uuid.UUID, body: OrganisationUpdate, session: DbSession,
    principal: CurrentPrincipal,
) -> OrganisationOut:
    """Change the fields given (its members and operators; anyone else's is 404).
    `offers` and `seeks` are replaced as a whole."""
    o = service.update_organisation(session, organisation_id, body, principal)
    return service.organisation_out(session, o, principal)


@router.delete("/organisations/{organisation_id}", status_code=status.HTTP_204_NO_CONTENT,
               tags=["organisations"])
def delete_organisation(
    organisation_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Remove the profile, its partnerships and network memberships (members, operators)."""
    service.delete_organisation(session, organisation_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- partnerships ----------------------------------------------------------------------------


@router.get("/partnerships", response_model=PartnershipList, tags=["partnerships"],
            openapi_extra=OPTIONAL_AUTH)
def list_partnerships(
    session: DbSession, principal: OptionalPrincipal, page: PageParams, response: Response,
    company_id: uuid.UUID | None = None, organisation_id: uuid.UUID | None = None,
    status_: Annotated[PartnershipStatus | None, Query(alias="status")] = None,
) -> PartnershipList:
    """Active partnerships (both sides confirmed, not ended) for everybody; a side also sees
    its own proposed and ended ones, operators all. Filter by company or organisation."""
    rows, total = service.list_partnerships(
        session, principal, company_id=company_id, organisation_id=organisation_id,
        status=status_, limit=page.limit, offset=page.offset,
    )
    no_store(response)
    return PartnershipList(items=service.partnerships_out(session, rows, principal),
                           total=total, limit=page.limit, offset=page.offset)


@router.post("/partnerships", status_code=status.HTTP_201_CREATED,
             response_model=PartnershipOut, tags=["partnerships"])
def propose_partnership(
    body: PartnershipCreate, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response,
) -> PartnershipOut:
    """Propose a partnership between an organisation and a company, for one of your own
    (company keys and members for their company; an organisation's members for it). Your
    side is confirmed by proposing; it becomes public (`active`, webhook
    `partnership.confirmed`) when the other side confirms. An operator acts for both sides.

    Give `request_id` to turn a recorded outcome into a partnership: the company must have
    been chosen in that request's outcome (`not_chosen`). Unknown company or organisation ids
    are a 422 (`unknown_company`, `unknown_organisation`), as are unknown codes in the flows
    (`unknown_flow`); a full partnership needs flows both ways (`needs_both_directions`).
    A second open partnership between the same two is 409.
    """
    p = service.propose_partnership(session, body, principal)
    response.headers["Location"] = str(request.url_for("get_partnership", partnership_id=p.id))
    return service.partnership_out(session, p, principal)


@router.get("/partnerships/{partnership_id}", response_model=PartnershipOut,
            tags=["partnerships"], openapi_extra=OPTIONAL_AUTH)
def get_partnership(
    partnership_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal,
    response: Response,
) -> PartnershipOut:
    """An active partnership (anyone), or one of your own in any state; otherwise 404."""
    no_store(response)
    p = service.get_partnership(session, partnership_id, principal)
    return service.partnership_out(session, p, principal)


@router.post("/partnerships/{partnership_id}/confirm", response_model=PartnershipOut,
             tags=["partnerships"])
def confirm_partnership(
    partnership_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal
) -> PartnershipOut:
    """Confirm your side(s). When both sides have confirmed, the partnership is `active`,
    shows on both profiles and partners hear `partnership.confirmed`. Confirming again
    changes nothing; an ended partnership is 409."""
    p = service.confirm_partnership(session, partnership_id, principal)
    return service.partnership_out(session, p, principal)


@router.post("/partnerships/{partnership_id}/end", response_model=PartnershipOut,
             tags=["partnerships"])
def end_partnership(
    partnership_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal
) -> PartnershipOut:
    """Either side ends it (or withdraws a proposal): it disappears from the profiles."""
    p = service.end_partnership(session, partnership_id, principal)
    return service.partnership_out(session, p, principal)


# --- networks --------------------------------------------------------------------------------


@router.get("/networks", response_model=NetworkList, tags=["networks"],
            openapi_extra=OPTIONAL_AUTH)
def list_networks(
    session: DbSession, principal: OptionalPrincipal, page: PageParams, response: Response,
    q: Query200 = None, company_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
) -> NetworkList:
    """Local networks, by name or by a member."""
    rows, total = service.list_networks(session, q=q, company_id=company_id,
                                        organisation_id=organisation_id, limit=page.limit,
                                        offset=page.offset)
    no_store(response)
    return NetworkList(items=service.networks_out(session, rows, principal), total=total,
                       limit=page.limit, offset=page.offset)


@router.post("/networks", status_code=status.HTTP_201_CREATED, response_model=NetworkOut,
             tags=["networks"])
def create_network(
    body: NetworkCreate, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> NetworkOut:
    """Start a local network (companies, entrepreneurs, operators). The caller's account
    manages it; a company that starts one is its coordinator. Unknown member ids are a 422
    (`unknown_company`, `unknown_organisation`); a member named twice is 409."""
    n = service.create_network(session, body, principal)
    response.headers["Location"] = str(request.url_for("get_network", network_id=n.id))
    return service.networks_out(session, [n], principal)[0]


@router.get("/networks/{network_id}", response_model=NetworkOut, tags=["networks"],
            openapi_extra=OPTIONAL_AUTH)
def get_network(
    network_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal, response: Response
) -> NetworkOut:
    """A network with its members and their roles."""
    no_store(response)
    return service.networks_out(session, [service.get_network(session, network_id)],
                                principal)[0]


@router.patch("/networks/{network_id}", response_model=NetworkOut, tags=["networks"])
def update_network(
    network_id: uuid.UUID, body: NetworkUpdate, session: DbSession, principal: CurrentPrincipal
) -> NetworkOut:
    """Change the fields given (its manager and operators; anyone else's is 404)."""
    n = service.update_network(session, network_id, body, principal)
    return service.networks_out(session, [n], principal)[0]


@router.delete("/networks/{network_id}", status_code=status.HTTP_204_NO_CONTENT,
               tags=["networks"])
def delete_network(
    network_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Remove the network (its manager and operators)."""
    service.delete_network(session, network_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/networks/{network_id}/members", status_code=status.HTTP_201_CREATED,
             response_model=MemberOut, tags=["networks"])
def add_network_member(
    network_id: uuid.UUID, body: MemberIn, session: DbSession, principal: CurrentPrincipal
) -> MemberOut:
    """Add a company or an organisation with its role (the network's manager, operators).
    Unknown ids are a 422; a member already there is 409."""
    return service.add_network_member(session, network_id, body, principal)


@router.delete("/networks/{network_id}/members/{member_id}",
               status_code=status.HTTP_204_NO_CONTENT, tags=["networks"])
def remove_network_member(
    network_id: uuid.UUID, member_id: uuid.UUID, session: DbSession,
    principal: CurrentPrincipal,
) -> Response:
    """Remove a member (the network's manager, operators)."""
    service.remove_network_member(session, network_id, member_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- reverse search and near a place ---------------------------------------------------------


@router.post("/reverse-match", response_model=ReverseMatchOut, tags=["search"],
             openapi_extra=OPTIONAL_AUTH)
def reverse_match(
    body: ReverseMatchIn, session: DbSession, principal: OptionalPrincipal, request: Request,
    response: Response,
) -> ReverseMatchOut:
    """Which companies (and organisations) seek what I offer? Ranked by how much of what
    each seeks in every offered facet the offer covers, and by distance to `location`
    (nearest site), with a reason per criterion in the language asked for (`Accept-Language`:
    nl, en, fr; `codes` name the offered things it seeks). `max_distance_km` cuts off; without it
    nearer still ranks higher. Unknown kinds of work or places are a 422 as in
    `POST /v1/match`; an offer of nothing is a 422 (`offer_required`)."""
    no_store(response)
    return service.reverse_match(session, body, preferred_language(request))


@router.get("/nearby", response_model=NearbyOut, tags=["search"], openapi_extra=OPTIONAL_AUTH)
def nearby(
    session: DbSession,
    principal: OptionalPrincipal,
    place: Annotated[str, Query(min_length=1, max_length=120,
                                description="A place name or a postcode.")],
    country: Annotated[Literal["NL", "BE"] | None, Query()] = None,
    radius_km: Annotated[float, Query(gt=0, le=300)] = 30,
) -> NearbyOut:
    """Companies near a place (nearest site), with their confirmed partners and networks;
    organisations and networks there too. An unknown or ambiguous place is a 422."""
    return service.nearby(session, place, country, radius_km)
