"""The rules of two-way profiles, organisations, partnerships and local networks.

Who manages what: a company is managed by its members and keys (and operators); an
organisation by the accounts in `organisation_members` (its creator first) and operators; a
network by the account that made it (a company for company members and keys) and operators.
Someone else's object that is not public looks exactly like a missing one (404)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role, require_roles
from app.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    UnknownLocationError,
    Unprocessable,
    field_error,
)
from app.geo import haversine_km, nearest_country
from app.matching.reverse import Offer, Seeker, rank_seekers
from app.models import (
    Company,
    Network,
    NetworkMember,
    Organisation,
    Partnership,
    ProfileItem,
    utcnow,
)
from app.notifications.outbox import emit_event
from app.partners import repository
from app.partners.schemas import (
    EXPERTISE,
    MATERIALS,
    CompanyExchangeOut,
    Exchange,
    Flow,
    MaterialAmount,
    MemberIn,
    MemberOut,
    NearbyCompany,
    NearbyNetwork,
    NearbyOrganisation,
    NearbyOut,
    NetworkCreate,
    NetworkOut,
    NetworkRef,
    NetworkUpdate,
    OrganisationCreate,
    OrganisationOut,
    OrganisationUpdate,
    PartnerOut,
    PartnershipCreate,
    PartnershipOut,
    PartyRef,
    ReverseMatchIn,
    ReverseMatchItem,
    ReverseMatchOut,
    ReverseReason,
    Wishes,
)
from app.requests.service import get_owned_request
from app.search.inputs import resolve_location
from app.search.schemas import Location, ResolvedLocation
from app.words.partners import distance_detail, need_detail

# --- who manages what ------------------------------------------------------------------------


def _managed_organisations(session: Session, principal: Principal | None) -> set[uuid.UUID]:
    if principal is None or principal.publishable:
        return set()
    return repository.managed_organisations(session, principal.owner)


def may_manage_organisation(
    session: Session, principal: Principal | None, organisation_id: uuid.UUID
) -> bool:
    if principal is None or principal.publishable:
        return False
    return principal.is_admin or organisation_id in _managed_organisations(session, principal)


def _may_manage_company(principal: Principal | None, company_id: uuid.UUID) -> bool:
    return (principal is not None and not principal.publishable
            and principal.may_manage_company(company_id))


def _where(location: Location, field: str) -> tuple[ResolvedLocation, str, str]:
    resolved = resolve_location(location, field)
    r = resolved.resolved
    place = (r.place if r is not None and r.place else None) or resolved.label
    country = ((r.country if r is not None and r.country else None) or location.country
               or nearest_country(resolved.lat, resolved.lon, within_km=100) or "NL")
    return resolved, place[:120], country


# --- two-way profiles ------------------------------------------------------------------------


def _check_work_kinds(session: Session, wishes: Wishes, field: str) -> list[FieldError]:
    known = repository.known_work_kinds(session, wishes.work_kinds)
    return [
        field_error(f"{field}.work_kinds.{i}", f"unknown work kind '{code}'",
                    "unknown_work_kind", value=code)
        for i, code in enumerate(wishes.work_kinds) if code not in known
    ]


def _check_exchange(session: Session, offers: Wishes | None, seeks: Wishes | None,
                    prefix: str = "") -> None:
    errors: list[FieldError] = []
    if offers is not None:
        errors += _check_work_kinds(session, offers, f"{prefix}offers")
    if seeks is not None:
        errors += _check_work_kinds(session, seeks, f"{prefix}seeks")
    if errors:
        raise Unprocessable("Unknown kinds of work.", errors=errors)


def _store_wishes(
    session: Session, wishes: Wishes, direction: str, *, company_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
) -> None:
    repository.clear_items(session, company_id=company_id, organisation_id=organisation_id,
                           direction=direction)

    def add(facet: str, code: str, **extra: Any) -> None:
        session.add(ProfileItem(id=uuid.uuid4(), company_id=company_id,
                                organisation_id=organisation_id, direction=direction,
                                facet=facet, code=code, **extra))

    for code in wishes.work_kinds:
        add("work_kind", code)
    for code in wishes.expertise:
        add("expertise", code)
    for m in wishes.materials:
        add("material", m.code, quantity=m.quantity, unit=m.unit, period=m.period, note=m.note)
    for code in wishes.partnership_kinds:
        add("partnership", code)


def _wishes(items: Iterable[ProfileItem], direction: str) -> Wishes:
    data: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        if item.direction != direction:
            continue
        if item.facet == "material":
            data["materials"].append(MaterialAmount(
                code=item.code, quantity=item.quantity, unit=item.unit,
                period=item.period, note=item.note,
            ))
        else:
            key = {"work_kind": "work_kinds", "expertise": "expertise",
                   "partnership": "partnership_kinds"}[item.facet]
            data[key].append(item.code)
    return Wishes.model_validate({k: v for k, v in data.items()})


def _items_by_owner(
    session: Session, *, company_ids: Collection[uuid.UUID] = (),
    organisation_ids: Collection[uuid.UUID] = (),
) -> dict[uuid.UUID, list[ProfileItem]]:
    out: dict[uuid.UUID, list[ProfileItem]] = defaultdict(list)
    for item in repository.items_of(session, company_ids=company_ids,
                                    organisation_ids=organisation_ids):
        owner = item.company_id or item.organisation_id
        assert owner is not None
        out[owner].append(item)
    return out


def _visible_company(session: Session, company_id: uuid.UUID,
                     principal: Principal | None) -> Company:
    company = repository.get_company(session, company_id)
    if company is None or (company.status != "active"
                           and not _may_manage_company(principal, company_id)):
        raise NotFound(f"Company {company_id} does not exist.")
    return company


def company_exchange(
    session: Session, company_id: uuid.UUID, principal: Principal | None
) -> CompanyExchangeOut:
    _visible_company(session, company_id, principal)
    items = repository.items_of(session, company_ids=[company_id])
    partners = _partners_of(session, company_ids=[company_id]).get(company_id, [])
    return CompanyExchangeOut(
        company_id=company_id, offers=_wishes(items, "offers"), seeks=_wishes(items, "seeks"),
        partners=partners, networks=_networks_of(session, company_ids=[company_id])
        .get(company_id, []),
        can_edit=_may_manage_company(principal, company_id),
    )


def set_company_exchange(
    session: Session, company_id: uuid.UUID, data: Exchange, principal: Principal
) -> CompanyExchangeOut:
    require_roles(principal, Role.company)
    if not principal.may_manage_company(company_id) or repository.get_company(
        session, company_id
    ) is None:
        raise NotFound(f"Company {company_id} does not exist.")
    _check_exchange(session, data.offers, data.seeks)
    _store_wishes(session, data.offers, "offers", company_id=company_id)
    _store_wishes(session, data.seeks, "seeks", company_id=company_id)
    session.flush()
    return company_exchange(session, company_id, principal)


# --- organisations ---------------------------------------------------------------------------


def _org_ref(o: Organisation) -> PartyRef:
    return PartyRef(id=o.id, name=o.name, place=o.place, lat=o.lat, lon=o.lon)


def _company_ref(c: Company, sites: dict[uuid.UUID, tuple[str | None, float, float]]) -> PartyRef:
    place, lat, lon = sites.get(c.id, (None, None, None))
    return PartyRef(id=c.id, name=c.name, place=place, lat=lat, lon=lon)


def _main_sites(
    session: Session, company_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[str | None, float, float]]:
    out: dict[uuid.UUID, tuple[str | None, float, float]] = {}
    for site, _ in repository.active_sites(session, company_ids):
        out.setdefault(site.company_id, (site.city, site.lat, site.lon))
    return out


def _flows(raw: list[dict[str, Any]]) -> list[Flow]:
    return [Flow.model_validate(f) for f in raw]


def _partners_of(
    session: Session, *, company_ids: Collection[uuid.UUID] = (),
    organisation_ids: Collection[uuid.UUID] = (),
) -> dict[uuid.UUID, list[PartnerOut]]:
    """Active, confirmed partners of each company and organisation asked about."""
    rows = repository.active_partnerships(session, company_ids=company_ids,
                                          organisation_ids=organisation_ids)
    orgs = repository.organisations_by_id(session, {p.organisation_id for p in rows})
    companies = repository.companies_by_id(session, {p.company_id for p in rows})
    sites = _main_sites(session, companies.keys())
    out: dict[uuid.UUID, list[PartnerOut]] = defaultdict(list)
    for p in rows:
        common: dict[str, Any] = {
            "partnership_id": p.id, "kind": p.kind, "since": p.since,
            "to_company": _flows(p.to_company), "to_organisation": _flows(p.to_organisation),
        }
        if p.company_id in company_ids:
            out[p.company_id].append(PartnerOut(
                **common, partner=_org_ref(orgs[p.organisation_id]),
                partner_type="organisation",
            ))
        if p.organisation_id in organisation_ids:
            out[p.organisation_id].append(PartnerOut(
                **common, partner=_company_ref(companies[p.company_id], sites),
                partner_type="company",
            ))
    return out


def _networks_of(
    session: Session, *, company_ids: Collection[uuid.UUID] = (),
    organisation_ids: Collection[uuid.UUID] = (),
) -> dict[uuid.UUID, list[NetworkRef]]:
    out: dict[uuid.UUID, list[NetworkRef]] = defaultdict(list)
    for member, network in repository.memberships(session, company_ids=company_ids,
                                                  organisation_ids=organisation_ids):
        owner = member.company_id or member.organisation_id
        assert owner is not None
        out[owner].append(NetworkRef(id=network.id, name=network.name,
                                     role=member.role))
    return out


def organisations_out(
    session: Session, rows: list[Organisation], principal: Principal | None
) -> list[OrganisationOut]:
    ids = [o.id for o in rows]
    items = _items_by_owner(session, organisation_ids=ids)
    partners = _partners_of(session, organisation_ids=ids)
    networks = _networks_of(session, organisation_ids=ids)
    managed = _managed_organisations(session, principal)
    admin = principal is not None and principal.is_admin and not principal.publishable
    return [
        OrganisationOut(
            id=o.id, name=o.name, kind=o.kind,
            description=o.description, website=o.website,
            place=o.place, country=o.country, lat=o.lat, lon=o.lon,
            offers=_wishes(items.get(o.id, []), "offers"),
            seeks=_wishes(items.get(o.id, []), "seeks"),
            partners=partners.get(o.id, []), networks=networks.get(o.id, []),
            can_edit=admin or o.id in managed, created_at=o.created_at,
            updated_at=o.updated_at,
        )
        for o in rows
    ]


def organisation_out(
    session: Session, o: Organisation, principal: Principal | None
) -> OrganisationOut:
    return organisations_out(session, [o], principal)[0]


def list_organisations(
    session: Session, *, q: str | None, kind: str | None, limit: int, offset: int
) -> tuple[list[Organisation], int]:
    return repository.list_organisations(session, q=q, kind=kind, limit=limit, offset=offset)


def get_organisation(session: Session, organisation_id: uuid.UUID) -> Organisation:
    o = repository.get_organisation(session, organisation_id)
    if o is None:
        raise NotFound(f"Organisation {organisation_id} does not exist.")
    return o


def _owned_organisation(
    session: Session, organisation_id: uuid.UUID, principal: Principal
) -> Organisation:
    require_roles(principal, Role.entrepreneur)
    o = repository.get_organisation(session, organisation_id)
    if o is None or not may_manage_organisation(session, principal, organisation_id):
        raise NotFound(f"Organisation {organisation_id} does not exist.")
    return o


def create_organisation(
    session: Session, data: OrganisationCreate, principal: Principal
) -> Organisation:
    """Signed-in people (entrepreneurs) and operators; the creator's account manages it."""
    require_roles(principal, Role.entrepreneur)
    _check_exchange(session, data.offers, data.seeks)
    resolved, place, country = _where(data.location, "location")
    o = Organisation(
        id=uuid.uuid4(), name=data.name, kind=data.kind, description=data.description,
        website=str(data.website) if data.website else None, place=place, country=country,
        lat=resolved.lat, lon=resolved.lon,
    )
    session.add(o)
    session.flush()
    if not principal.is_admin:
        repository.add_member(session, o.id, principal.owner)
    _store_wishes(session, data.offers, "offers", organisation_id=o.id)
    _store_wishes(session, data.seeks, "seeks", organisation_id=o.id)
    repository.record_change(session, "organisation", o.id, "active")
    session.flush()
    return o


def update_organisation(
    session: Session, organisation_id: uuid.UUID, data: OrganisationUpdate, principal: Principal
) -> Organisation:
    o = _owned_organisation(session, organisation_id, principal)
    _check_exchange(session, data.offers, data.seeks)
    given = data.model_fields_set
    if "name" in given and data.name is not None:
        o.name = data.name
    if "kind" in given and data.kind is not None:
        o.kind = data.kind
    if "description" in given:
        o.description = data.description or ""
    if "website" in given:
        o.website = str(data.website) if data.website else None
    if "location" in given and data.location is not None:
        resolved, o.place, o.country = _where(data.location, "location")
        o.lat, o.lon = resolved.lat, resolved.lon
    if data.offers is not None:
        _store_wishes(session, data.offers, "offers", organisation_id=o.id)
    if data.seeks is not None:
        _store_wishes(session, data.seeks, "seeks", organisation_id=o.id)
    o.updated_at = utcnow()
    repository.record_change(session, "organisation", o.id, "active")
    session.flush()
    return o


def delete_organisation(
    session: Session, organisation_id: uuid.UUID, principal: Principal
) -> None:
    o = _owned_organisation(session, organisation_id, principal)
    public = [p.id for p in repository.active_partnerships(session, organisation_ids=[o.id])]
    session.delete(o)
    repository.record_change(session, "organisation", organisation_id, "deleted")
    for pid in public:
        repository.record_change(session, "partnership", pid, "deleted")
    session.flush()


# --- partnerships ----------------------------------------------------------------------------


def _sides(session: Session, p: Partnership, principal: Principal | None) -> list[str]:
    sides = []
    if _may_manage_company(principal, p.company_id):
        sides.append("company")
    if may_manage_organisation(session, principal, p.organisation_id):
        sides.append("organisation")
    return sides


def partnerships_out(
    session: Session, rows: list[Partnership], principal: Principal | None
) -> list[PartnershipOut]:
    orgs = repository.organisations_by_id(session, {p.organisation_id for p in rows})
    companies = repository.companies_by_id(session, {p.company_id for p in rows})
    sites = _main_sites(session, companies.keys())
    managed = _managed_organisations(session, principal)
    admin = principal is not None and principal.is_admin and not principal.publishable
    out = []
    for p in rows:
        sides = []
        if _may_manage_company(principal, p.company_id):
            sides.append("company")
        if admin or p.organisation_id in managed:
            sides.append("organisation")
        out.append(PartnershipOut(
            id=p.id, organisation=_org_ref(orgs[p.organisation_id]),
            company=_company_ref(companies[p.company_id], sites),
            kind=p.kind, to_company=_flows(p.to_company),
            to_organisation=_flows(p.to_organisation), description=p.description,
            since=p.since, status=p.status,
            company_confirmed=p.company_confirmed_at is not None,
            organisation_confirmed=p.organisation_confirmed_at is not None,
            ended_at=p.ended_at, request_id=p.request_id,
            your_side=sides,
            created_at=p.created_at,
        ))
    return out


def partnership_out(
    session: Session, p: Partnership, principal: Principal | None
) -> PartnershipOut:
    return partnerships_out(session, [p], principal)[0]


def _check_flows(session: Session, data: PartnershipCreate) -> None:
    errors: list[FieldError] = []
    kinds = repository.known_work_kinds(
        session, [f.code for f in (*data.to_company, *data.to_organisation)
                  if f.facet == "work_kind"]
    )
    known = {"expertise": set(EXPERTISE), "material": set(MATERIALS), "work_kind": kinds}
    for name in ("to_company", "to_organisation"):
        for i, flow in enumerate(getattr(data, name)):
            if flow.code not in known[flow.facet]:
                errors.append(field_error(f"{name}.{i}.code", f"unknown {flow.facet} "
                                          f"'{flow.code}'", "unknown_flow", value=flow.code,
                                          facet=flow.facet))
    if errors:
        raise Unprocessable("Unknown things flow in this partnership.", errors=errors)


def propose_partnership(
    session: Session, data: PartnershipCreate, principal: Principal
) -> Partnership:
    """Either side proposes (and so confirms its own side); the other side confirms. An
    operator acts for both, so what it records is public at once."""
    require_roles(principal, Role.company, Role.entrepreneur)
    company = repository.get_company(session, data.company_id)
    organisation = repository.get_organisation(session, data.organisation_id)
    errors = []
    if company is None:
        errors.append(field_error("company_id", "unknown company", "value_error",
                                  code="unknown_company"))
    if organisation is None:
        errors.append(field_error("organisation_id", "unknown organisation", "value_error",
                                  code="unknown_organisation"))
    if errors:
        raise Unprocessable("Unknown company or organisation.", errors=errors)
    assert company is not None and organisation is not None
    own_company = principal.may_manage_company(company.id)
    own_org = may_manage_organisation(session, principal, organisation.id)
    if not (own_company or own_org):
        raise Forbidden("You may propose partnerships only for your own company or "
                        "organisation.")
    _check_flows(session, data)
    if data.request_id is not None:
        request = get_owned_request(session, data.request_id, principal)
        if not repository.was_chosen(session, request.id, company.id):
            raise Unprocessable("This company was not chosen in the request's outcome.",
                                errors=[field_error("company_id", "not chosen in the outcome",
                                                    "value_error", code="not_chosen")])
    if repository.open_partnership(session, organisation.id, company.id) is not None:
        raise Conflict("These two already have a partnership (proposed or active); end it "
                       "before proposing another.")
    now = utcnow()
    p = Partnership(
        id=uuid.uuid4(), organisation_id=organisation.id, company_id=company.id,
        kind=data.kind, to_company=[f.model_dump() for f in data.to_company],
        to_organisation=[f.model_dump() for f in data.to_organisation],
        description=data.description, since=data.since, status="proposed",
        company_confirmed_at=now if own_company else None,
        organisation_confirmed_at=now if own_org else None, request_id=data.request_id,
    )
    session.add(p)
    session.flush()
    _activate_if_confirmed(session, p)
    return p


def _activate_if_confirmed(session: Session, p: Partnership) -> None:
    if p.status != "proposed" or p.company_confirmed_at is None or (
        p.organisation_confirmed_at is None
    ):
        return
    p.status = "active"
    p.updated_at = utcnow()
    session.flush()
    repository.record_change(session, "partnership", p.id, "active")
    # Public from now on: every partner subscribed hears of it.
    emit_event(session, "partnership.confirmed", {
        "partnership_id": str(p.id), "kind": p.kind,
        "company_id": str(p.company_id), "organisation_id": str(p.organisation_id),
        "since": p.since.isoformat() if p.since else None,
        "to_company": p.to_company, "to_organisation": p.to_organisation,
    }, owner_ids=None)


def get_partnership(
    session: Session, partnership_id: uuid.UUID, principal: Principal | None
) -> Partnership:
    """Active partnerships are public; others only to their sides."""
    p = repository.get_partnership(session, partnership_id)
    if p is None or (p.status != "active" and not _sides(session, p, principal)):
        raise NotFound(f"Partnership {partnership_id} does not exist.")
    return p


def _own_partnership(
    session: Session, partnership_id: uuid.UUID, principal: Principal
) -> tuple[Partnership, list[str]]:
    require_roles(principal, Role.company, Role.entrepreneur)
    p = repository.get_partnership(session, partnership_id)
    sides = _sides(session, p, principal) if p is not None else []
    if p is None or not sides:
        raise NotFound(f"Partnership {partnership_id} does not exist.")
    return p, sides


def confirm_partnership(
    session: Session, partnership_id: uuid.UUID, principal: Principal
) -> Partnership:
    p, sides = _own_partnership(session, partnership_id, principal)
    if p.status == "ended":
        raise Conflict("This partnership has ended; propose a new one.")
    now = utcnow()
    if "company" in sides and p.company_confirmed_at is None:
        p.company_confirmed_at = now
    if "organisation" in sides and p.organisation_confirmed_at is None:
        p.organisation_confirmed_at = now
    p.updated_at = now
    session.flush()
    _activate_if_confirmed(session, p)
    return p


def end_partnership(
    session: Session, partnership_id: uuid.UUID, principal: Principal
) -> Partnership:
    p, _ = _own_partnership(session, partnership_id, principal)
    if p.status == "ended":
        return p
    was_public = p.status == "active"
    p.status = "ended"
    p.ended_at = utcnow()
    p.updated_at = p.ended_at
    session.flush()
    if was_public:
        repository.record_change(session, "partnership", p.id, "ended")
    return p


def list_partnerships(
    session: Session, principal: Principal | None, *, company_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None, status: str | None, limit: int, offset: int,
) -> tuple[list[Partnership], int]:
    everything = principal is not None and principal.is_admin and not principal.publishable
    own_companies = (
        [principal.company_id] if principal is not None and principal.role is Role.company
        and principal.company_id is not None and not principal.publishable else []
    )
    return repository.list_partnerships(
        session, company_id=company_id, organisation_id=organisation_id, status=status,
        everything=everything, own_companies=own_companies,
        own_organisations=_managed_organisations(session, principal), limit=limit,
        offset=offset,
    )


# --- networks --------------------------------------------------------------------------------


def _may_manage_network(principal: Principal | None, n: Network) -> bool:
    return (principal is not None and not principal.publishable
            and (principal.is_admin or n.owner_id == principal.owner))


def networks_out(
    session: Session, rows: list[Network], principal: Principal | None
) -> list[NetworkOut]:
    members = repository.members_of(session, [n.id for n in rows])
    companies = repository.companies_by_id(
        session, {m.company_id for m in members if m.company_id})
    orgs = repository.organisations_by_id(
        session, {m.organisation_id for m in members if m.organisation_id})
    sites = _main_sites(session, companies.keys())
    by_network: dict[uuid.UUID, list[MemberOut]] = defaultdict(list)
    for m in members:
        if m.company_id is not None:
            c = companies[m.company_id]
            if c.status != "active":
                continue
            by_network[m.network_id].append(MemberOut(
                id=m.id, role=m.role, member_type="company",
                member=_company_ref(c, sites)))
        elif m.organisation_id is not None:
            by_network[m.network_id].append(MemberOut(
                id=m.id, role=m.role, member_type="organisation",
                member=_org_ref(orgs[m.organisation_id])))
    return [
        NetworkOut(id=n.id, name=n.name, goal=n.goal, place=n.place, country=n.country,
                   lat=n.lat, lon=n.lon, website=n.website, members=by_network.get(n.id, []),
                   can_edit=_may_manage_network(principal, n), created_at=n.created_at,
                   updated_at=n.updated_at)
        for n in rows
    ]


def list_networks(
    session: Session, *, q: str | None, company_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None, limit: int, offset: int,
) -> tuple[list[Network], int]:
    return repository.list_networks(session, q=q, member_company=company_id,
                                    member_organisation=organisation_id, limit=limit,
                                    offset=offset)


def get_network(session: Session, network_id: uuid.UUID) -> Network:
    n = repository.get_network(session, network_id)
    if n is None:
        raise NotFound(f"Network {network_id} does not exist.")
    return n


def _owned_network(session: Session, network_id: uuid.UUID, principal: Principal) -> Network:
    require_roles(principal, Role.company, Role.entrepreneur)
    n = repository.get_network(session, network_id)
    if n is None or not _may_manage_network(principal, n):
        raise NotFound(f"Network {network_id} does not exist.")
    return n


def _add_member(session: Session, n: Network, data: MemberIn, field: str) -> NetworkMember:
    if data.company_id is not None and repository.get_company(session, data.company_id) is None:
        raise Unprocessable("Unknown company.", errors=[field_error(
            f"{field}company_id", "unknown company", "value_error", code="unknown_company")])
    if data.organisation_id is not None and repository.get_organisation(
        session, data.organisation_id
    ) is None:
        raise Unprocessable("Unknown organisation.", errors=[field_error(
            f"{field}organisation_id", "unknown organisation", "value_error",
            code="unknown_organisation")])
    if repository.find_member(session, n.id, data.company_id, data.organisation_id):
        raise Conflict("Already a member of this network.")
    m = NetworkMember(id=uuid.uuid4(), network_id=n.id, company_id=data.company_id,
                      organisation_id=data.organisation_id, role=data.role, created_at=utcnow())
    session.add(m)
    session.flush()
    return m


def create_network(session: Session, data: NetworkCreate, principal: Principal) -> Network:
    require_roles(principal, Role.company, Role.entrepreneur)
    resolved, place, country = _where(data.location, "location")
    n = Network(id=uuid.uuid4(), name=data.name, goal=data.goal, place=place, country=country,
                lat=resolved.lat, lon=resolved.lon,
                website=str(data.website) if data.website else None, owner_id=principal.owner)
    session.add(n)
    session.flush()
    members = list(data.members)
    if principal.role is Role.company and principal.company_id is not None and not any(
        m.company_id == principal.company_id for m in members
    ):
        members.insert(0, MemberIn(company_id=principal.company_id, role="coordinator"))
    for i, m in enumerate(members):
        _add_member(session, n, m, f"members.{i}.")
    repository.record_change(session, "network", n.id, "active")
    return n


def update_network(
    session: Session, network_id: uuid.UUID, data: NetworkUpdate, principal: Principal
) -> Network:
    n = _owned_network(session, network_id, principal)
    given = data.model_fields_set
    if "name" in given and data.name is not None:
        n.name = data.name
    if "goal" in given:
        n.goal = data.goal or ""
    if "website" in given:
        n.website = str(data.website) if data.website else None
    if "location" in given and data.location is not None:
        resolved, n.place, n.country = _where(data.location, "location")
        n.lat, n.lon = resolved.lat, resolved.lon
    n.updated_at = utcnow()
    repository.record_change(session, "network", n.id, "active")
    session.flush()
    return n


def delete_network(session: Session, network_id: uuid.UUID, principal: Principal) -> None:
    n = _owned_network(session, network_id, principal)
    session.delete(n)
    repository.record_change(session, "network", network_id, "deleted")
    session.flush()


def add_network_member(
    session: Session, network_id: uuid.UUID, data: MemberIn, principal: Principal
) -> MemberOut:
    n = _owned_network(session, network_id, principal)
    m = _add_member(session, n, data, "")
    n.updated_at = utcnow()
    repository.record_change(session, "network", n.id, "active")
    out = networks_out(session, [n], principal)[0]
    found = [x for x in out.members if x.id == m.id]
    if found:
        return found[0]
    # A member that is not public (a pending company) is stored but not shown.
    return MemberOut(id=m.id, role=m.role, member_type="company",
                     member=PartyRef(id=data.company_id or uuid.UUID(int=0), name=""))


def remove_network_member(
    session: Session, network_id: uuid.UUID, member_id: uuid.UUID, principal: Principal
) -> None:
    n = _owned_network(session, network_id, principal)
    m = repository.get_member(session, member_id)
    if m is None or m.network_id != n.id:
        raise NotFound(f"Member {member_id} does not exist in this network.")
    session.delete(m)
    n.updated_at = utcnow()
    repository.record_change(session, "network", n.id, "active")
    session.flush()


# --- reverse search --------------------------------------------------------------------------

_FACET_OF = {"work_kind": "work_kinds", "expertise": "expertise", "material": "materials",
             "partnership": "partnership_kinds"}


def reverse_match(session: Session, data: ReverseMatchIn, lang: str = "en") -> ReverseMatchOut:
    """Who seeks what I offer: companies and organisations ranked by how much of what they
    seek the offer covers, and by distance."""
    errors = _check_work_kinds(session, Wishes(work_kinds=data.offers.work_kinds), "offers")
    if errors:
        raise Unprocessable("Unknown kinds of work.", errors=errors)
    resolved = resolve_location(data.location, "location") if data.location else None
    company_ids, org_ids = repository.seeking_owners(session)
    if "companies" not in data.include:
        company_ids = set()
    if "organisations" not in data.include:
        org_ids = set()
    sites = repository.active_sites(session, company_ids)
    points: dict[uuid.UUID, list[tuple[float, float]]] = defaultdict(list)
    places: dict[uuid.UUID, list[str | None]] = defaultdict(list)
    names: dict[uuid.UUID, str] = {}
    for site, name in sites:
        points[site.company_id].append((site.lat, site.lon))
        places[site.company_id].append(site.city)
        names[site.company_id] = name
    orgs = repository.organisations_by_id(session, org_ids)
    items = _items_by_owner(session, company_ids=names.keys(), organisation_ids=orgs.keys())

    def seeks(owner: uuid.UUID) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for item in items.get(owner, []):
            if item.direction == "seeks":
                out[_FACET_OF[item.facet]].add(item.code)
        return {k: frozenset(v) for k, v in out.items()}

    seekers = [Seeker(str(c), "company", seeks(c), points[c]) for c in names]
    seekers += [Seeker(str(o.id), "organisation", seeks(o.id), [(o.lat, o.lon)])
                for o in orgs.values()]
    offer = Offer(
        offers={"expertise": frozenset(data.offers.expertise),
                "materials": frozenset(data.offers.materials),
                "partnership_kinds": frozenset(data.offers.partnership_kinds),
                "work_kinds": frozenset(data.offers.work_kinds)},
        lat=resolved.lat if resolved else None, lon=resolved.lon if resolved else None,
        max_distance_km=data.max_distance_km, limit=data.limit,
    )
    ranked, total = rank_seekers(offer, seekers)
    kind_labels = repository.work_kind_labels(session, lang, {
        c for m in ranked for r in m.reasons for c in (*r.codes, *r.missing)
        if r.criterion == "work_kinds"})

    def detail(r: Any, distance: float | None) -> str:
        if r.criterion == "distance":
            return distance_detail(lang, distance or 0.0)
        return need_detail(lang, r.criterion, r.codes, r.missing, kind_labels)

    matches = []
    for m in ranked:
        owner = uuid.UUID(m.id)
        if m.kind == "company":
            i = m.point or 0
            name, place = names[owner], places[owner][i]
            lat, lon = points[owner][i]
        else:
            o = orgs[owner]
            name, place, lat, lon = o.name, o.place, o.lat, o.lon
        matches.append(ReverseMatchItem(
            type=m.kind, id=owner, name=name, place=place,
            lat=lat, lon=lon, distance_km=m.distance_km, score=m.score,
            seeks=_wishes(items.get(owner, []), "seeks"),
            explanation=[ReverseReason(criterion=r.criterion, score=r.score, weight=r.weight,
                                       detail=detail(r, m.distance_km), codes=list(r.codes))
                         for r in m.reasons],
        ))
    return ReverseMatchOut(matches=matches, total_candidates=total, location=resolved)


# --- near a place ----------------------------------------------------------------------------

NEARBY_LIMIT = 100


def nearby(session: Session, place: str, country: str | None, radius_km: float) -> NearbyOut:
    """Companies (their nearest site), their partners and networks, organisations and
    networks within `radius_km` of a place (or postcode), nearest first."""
    text = place.strip() or place
    # A postcode starts with its digits (NL 1234 AB, BE 1000); anything else is a place name.
    location = (Location(postcode=text, country=country) if text[:1].isdigit() and len(text) <= 16
                else Location(place=text, country=country))
    try:
        resolved = resolve_location(location, "query")
    except UnknownLocationError as exc:
        # The query has one `place` parameter, whichever form it took.
        for error in exc.errors or []:
            error.field = "place" if error.field.startswith("query.") else error.field
            error.location = "query"
        raise
    lat, lon = resolved.lat, resolved.lon
    best: dict[uuid.UUID, tuple[float, str, str | None, float, float]] = {}
    for site, name in repository.active_sites(session):
        d = haversine_km(lat, lon, site.lat, site.lon)
        if d <= radius_km and (site.company_id not in best or d < best[site.company_id][0]):
            best[site.company_id] = (d, name, site.city, site.lat, site.lon)
    order = sorted(best, key=lambda c: (best[c][0], str(c)))[:NEARBY_LIMIT]
    partners = _partners_of(session, company_ids=order)
    networks = _networks_of(session, company_ids=order)
    companies = [
        NearbyCompany(id=c, name=best[c][1], place=best[c][2], lat=best[c][3], lon=best[c][4],
                      distance_km=round(best[c][0], 1), partners=partners.get(c, []),
                      networks=networks.get(c, []))
        for c in order
    ]
    orgs = []
    for o in repository.all_organisations(session):
        d = haversine_km(lat, lon, o.lat, o.lon)
        if d <= radius_km:
            orgs.append(NearbyOrganisation(id=o.id, name=o.name, kind=o.kind,
                                           place=o.place, lat=o.lat, lon=o.lon,
                                           distance_km=round(d, 1)))
    orgs.sort(key=lambda x: (x.distance_km, str(x.id)))
    near_networks = []
    all_networks = repository.all_networks(session)
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for m in repository.members_of(session, [n.id for n in all_networks]):
        counts[m.network_id] += 1
    for n in all_networks:
        d = haversine_km(lat, lon, n.lat, n.lon)
        if d <= radius_km:
            near_networks.append(NearbyNetwork(id=n.id, name=n.name, goal=n.goal, place=n.place,
                                               lat=n.lat, lon=n.lon, distance_km=round(d, 1),
                                               members=counts[n.id]))
    near_networks.sort(key=lambda x: (x.distance_km, str(x.id)))
    return NearbyOut(location=resolved, radius_km=radius_km, companies=companies,
                     organisations=orgs[:NEARBY_LIMIT], networks=near_networks[:NEARBY_LIMIT])
