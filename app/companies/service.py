"""The rules for company profiles. Services flush when they need ids and never commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.audit import service as audit
from app.common.places import resolve_or_refuse
from app.common.versions import check_if_match, etag_of
from app.companies import repository
from app.companies.repository import CompanyFilters
from app.companies.schemas import (
    CapabilityIn,
    CapabilityOut,
    CompanyCreate,
    CompanyPublic,
    CompanyUpdate,
    ContactIn,
    ContactOut,
    PsoOut,
    RegistrationOut,
    SiteIn,
    SiteOut,
    TargetGroupOut,
)
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
from app.matching.procurement import reserved_eligible
from app.models import (
    Capability,
    Company,
    CompanyCertification,
    CompanyStatus,
    ContactPerson,
    Site,
    StandingCheck,
    utcnow,
)
from app.notifications.outbox import emit_event

ADMIN_ONLY_FIELDS = ("status", "registration")


def etag(company: Company) -> str:
    return etag_of(company.version)


def can_see_contacts(principal: Principal | None, company_id: uuid.UUID) -> bool:
    return principal is not None and principal.may_manage_company(company_id)


def get_visible_company(
    session: Session, company_id: uuid.UUID, principal: Principal | None
) -> Company:
    company = repository.get_company(session, company_id)
    # Pending and inactive profiles are not public: they look absent to outsiders.
    if company is None or (
        company.status != CompanyStatus.active and not can_see_contacts(principal, company.id)
    ):
        raise NotFound(f"Company {company_id} does not exist.")
    return company


def create_company(session: Session, data: CompanyCreate, principal: Principal) -> Company:
    if not principal.is_admin:
        raise Forbidden("Only operators register companies.")
    return _create_company(session, data, principal)


def register_company(session: Session, data: CompanyCreate, registrant: Principal) -> Company:
    """A company registering itself: stored `pending` whatever it asked, so it stays out of
    matches, public lists and call-outs until an operator verifies it."""
    return _create_company(
        session, data.model_copy(update={"status": CompanyStatus.pending.value}), registrant
    )


def verify_company(session: Session, company_id: uuid.UUID, principal: Principal) -> Company:
    """An operator verifies a pending company: it becomes `active` (visible to matching at
    once). Verifying an active company changes nothing."""
    if not principal.is_admin:
        raise Forbidden("Only operators verify companies.")
    company = repository.get_company(session, company_id)
    if company is None:
        raise NotFound(f"Company {company_id} does not exist.")
    if company.status == CompanyStatus.active.value:
        return company
    before = snapshot(company)
    company.status = CompanyStatus.active.value
    company.updated_at = utcnow()
    session.flush()
    audit.record(session, company_id=company.id, principal=principal, action="verified",
                 changes=audit.diff(before, snapshot(company)), subjects=())
    record_profile_change(session, [company.id])
    return company


def _create_company(session: Session, data: CompanyCreate, principal: Principal) -> Company:
    existing = repository.find_by_registration(
        session, data.registration.country, data.registration.number
    )
    if existing is not None:
        raise Conflict(
            f"A company with registration {data.registration.country} "
            f"{data.registration.number} already exists.",
            existing_id=str(existing.id),
        )
    company = Company(
        name=data.name,
        registration_country=data.registration.country,
        registration_number=data.registration.number,
        description=data.description,
        website=data.website,
        email=data.email,
        phone=data.phone,
        status=data.status,
        available_from=data.available_from,
        sites=[],
        capabilities=[],
        contacts=[],
        certifications=[],
    )
    _apply_procurement(company, data, set(CompanyCreate.model_fields))
    _apply_lists(session, company, data, fields=set(CompanyCreate.model_fields))
    session.add(company)
    session.flush()
    audit.record(
        session,
        company_id=company.id,
        principal=principal,
        action="created",
        changes=audit.diff(None, snapshot(company)),
        subjects=[c.email for c in company.contacts if c.email],
    )
    record_profile_change(session, [company.id])
    return company


def update_company(
    session: Session,
    company_id: uuid.UUID,
    data: CompanyUpdate,
    principal: Principal,
    *,
    if_match: str | None,
) -> Company:
    if not principal.has_role(Role.company):
        raise Forbidden("Profiles are changed by operators and by the company itself.")
    company = repository.get_company(session, company_id)
    if company is None or not principal.may_manage_company(company_id):
        # A key for another company learns nothing about this one.
        raise NotFound(f"Company {company_id} does not exist.")
    # Optimistic concurrency: a change names the version it was based on.
    check_if_match(if_match, etag(company), "company")
    before = snapshot(company)
    people_before = {c.email for c in company.contacts if c.email}
    fields = set(data.model_fields_set)
    if not principal.is_admin:
        forbidden = sorted(fields.intersection(ADMIN_ONLY_FIELDS))
        if forbidden:
            raise Forbidden(f"Only operators may change: {', '.join(forbidden)}.")
    if "registration" in fields and data.registration is not None:
        other = repository.find_by_registration(
            session, data.registration.country, data.registration.number
        )
        if other is not None and other.id != company.id:
            raise Conflict("Another company has this registration.", existing_id=str(other.id))
        company.registration_country = data.registration.country
        company.registration_number = data.registration.number
    for name in ("name", "description", "website", "email", "phone", "available_from", "status"):
        if name in fields:
            setattr(company, name, getattr(data, name) if name != "description" else
                    (data.description or ""))
    _apply_procurement(company, data, fields)
    _apply_lists(session, company, data, fields=fields)
    company.updated_at = utcnow()
    session.flush()
    changes = audit.diff(before, snapshot(company))
    people_after = {c.email for c in company.contacts if c.email}
    audit.record(
        session,
        company_id=company.id,
        principal=principal,
        action="updated",
        changes=changes,
        # Everyone added, removed or kept when the contacts changed: each may ask for it.
        subjects=people_before | people_after
        if any(c["field"] in audit.PERSONAL_FIELDS for c in changes) else (),
    )
    record_profile_change(session, [company.id])
    return company


def record_profile_change(session: Session, company_ids: Iterable[uuid.UUID]) -> int:
    """Record, in the caller's transaction, that these companies' profiles changed (created,
    edited, erased from): the catalogue version moves on, so every worker rebuilds its
    matching catalogue before its next match; the change log gains a row per company (the
    partners' change feed); partners subscribed to `company.updated` hear of each; the worker
    is left a check of each against the open call-outs. Every
    change to what matching sees goes through here. Returns the new catalogue version."""
    changed = sorted(set(company_ids), key=str)
    version = repository.bump_catalogue_version(session, changed)
    # Open call-outs keep inviting: the worker checks each changed company against them
    # (app/callouts/standing.py) once this transaction commits.
    now = utcnow()
    session.add_all(StandingCheck(company_id=c, created_at=now) for c in changed)
    for company_id in changed:
        emit_event(
            session,
            "company.updated",
            {"company_id": str(company_id), "catalogue_version": version},
            owner_ids=None,
        )
    return version


def snapshot(company: Company) -> dict[str, Any]:
    """The profile as plain JSON values, for the change history."""
    return to_public(company, include_contacts=True).model_dump(mode="json")


def check_history_access(session: Session, company_id: uuid.UUID, principal: Principal) -> None:
    """The history is for operators and the company itself."""
    if not principal.has_role(Role.company):
        raise Forbidden("The change history is for operators and the company itself.")
    if session.get(Company, company_id) is None or not principal.may_manage_company(company_id):
        raise NotFound(f"Company {company_id} does not exist.")


@dataclass(frozen=True, slots=True)
class References:
    """The codes a profile may refer to."""

    certifications: frozenset[str]
    work_kind_parents: Mapping[str, str | None]

    @classmethod
    def load(cls, session: Session) -> References:
        return cls(
            certifications=frozenset(repository.known_certification_codes(session)),
            work_kind_parents=repository.work_kind_parents(session),
        )


def reference_errors(
    data: CompanyCreate | CompanyUpdate,
    refs: References,
    *,
    fields: set[str],
    stored_site_names: Sequence[str] = (),
    stored_capability_sites: Sequence[tuple[str, str]] = (),
) -> list[FieldError]:
    """What a profile names that does not exist: codes, kinds, groups used as kinds, sites."""
    errors: list[FieldError] = []
    if "certifications" in fields and data.certifications is not None:
        for i, code in enumerate(data.certifications):
            if code not in refs.certifications:
                known = ", ".join(sorted(refs.certifications))
                errors.append(field_error(
                    f"certifications.{i}", f"unknown certification '{code}'; known: {known}",
                    code="unknown_certification", value=code,
                ))
    capabilities = (
        data.capabilities if "capabilities" in fields and data.capabilities is not None
        else None
    )
    site_names = (
        [s.name for s in data.sites] if "sites" in fields and data.sites is not None
        else list(stored_site_names)
    )
    if capabilities is not None:
        parents = refs.work_kind_parents
        for i, cap_in in enumerate(capabilities):
            if cap_in.work_kind not in parents:
                errors.append(field_error(
                    f"capabilities.{i}.work_kind", f"unknown work kind '{cap_in.work_kind}'",
                    code="unknown_work_kind", value=cap_in.work_kind,
                ))
            elif parents[cap_in.work_kind] is None:
                errors.append(field_error(
                    f"capabilities.{i}.work_kind",
                    f"'{cap_in.work_kind}' is a group; name the kinds of work in it",
                    code="work_kind_is_group", value=cap_in.work_kind,
                ))
            for j, site_name in enumerate(cap_in.sites or []):
                if site_name not in site_names:
                    errors.append(field_error(
                        f"capabilities.{i}.sites.{j}", f"no site named '{site_name}'",
                        code="unknown_site", value=site_name,
                    ))
    elif "sites" in fields:
        for work_kind, site_name in stored_capability_sites:
            if site_name not in site_names:
                errors.append(field_error(
                    "sites",
                    f"capability '{work_kind}' is offered at site '{site_name}', "
                    "which this change removes",
                    code="site_in_use", work_kind=work_kind, site=site_name,
                ))
    return errors


def _apply_lists(
    session: Session, company: Company, data: CompanyCreate | CompanyUpdate, *, fields: set[str]
) -> None:
    errors = reference_errors(
        data,
        References.load(session),
        fields=fields,
        stored_site_names=[s.name for s in company.sites],
        stored_capability_sites=[
            (cap.work_kind_code, site.name) for cap in company.capabilities for site in cap.sites
        ],
    )
    if errors:
        raise Unprocessable("The profile refers to unknown codes or sites.", errors=errors)
    capabilities = (
        data.capabilities if "capabilities" in fields and data.capabilities is not None
        else None
    )

    if "sites" in fields and data.sites is not None:
        _replace_sites(company, data.sites)
    if "contacts" in fields and data.contacts is not None:
        company.contacts = [_contact(i, c) for i, c in enumerate(data.contacts)]
    if "certifications" in fields and data.certifications is not None:
        company.certifications = [
            CompanyCertification(certification_code=code)
            for code in sorted(set(data.certifications))
        ]
    if capabilities is not None:
        _replace_capabilities(company, capabilities)


def _apply_procurement(
    company: Company, data: CompanyCreate | CompanyUpdate, fields: set[str]
) -> None:
    """The PSO level and the target-group share, each replaced (or cleared by null) whole."""
    if "pso" in fields:
        company.pso_level = data.pso.level if data.pso else None
        company.pso_certified_on = data.pso.certified_on if data.pso else None
    if "target_group" in fields:
        group = data.target_group
        company.target_group_share = group.share_percent if group else None
        company.target_group_share_stated_on = group.stated_on if group else None


def _contact(position: int, contact: ContactIn) -> ContactPerson:
    return ContactPerson(
        position=position,
        name=contact.name,
        role=contact.role,
        email=contact.email,
        phone=contact.phone,
    )


def _replace_sites(company: Company, sites: Sequence[SiteIn]) -> None:
    # Sites keep their ids across updates when their name stays, so links from capabilities
    # and anything a partner stored about a site survive an edit of its address.
    existing = {site.name: site for site in company.sites}
    located = [locate_site(i, site) for i, site in enumerate(sites)]
    result: list[Site] = []
    for position, (site_in, (lat, lon, source, country)) in enumerate(
        zip(sites, located, strict=True)
    ):
        site = existing.get(site_in.name) or Site(name=site_in.name)
        site.position = position
        site.address = site_in.address
        site.postcode = site_in.postcode
        site.city = site_in.city
        site.country = country
        site.lat, site.lon, site.location_source = lat, lon, source
        site.service_radius_km = site_in.service_radius_km
        result.append(site)
    company.sites = result


def locate_site(index: int, site: SiteIn) -> tuple[float, float, str, str]:
    """(lat, lon, how they were found, country). The country, when not given, is the one of
    the postcode, else of the city, else of the nearest postcode area to the coordinates."""
    field = f"sites.{index}"
    country = site.country
    if country is None and site.lat is not None and site.lon is not None:
        country = nearest_country(site.lat, site.lon)
    if country is None and site.lat is not None and (site.postcode or site.city):
        country = _site_place(field, site, None)[3]
    if site.lat is not None and site.lon is not None:
        if country is None:
            raise Unprocessable("Give the site's country.", errors=[field_error(
                f"{field}.country", "give the country (NL or BE)", code="required")])
        return site.lat, site.lon, "given", country
    return _site_place(field, site, country)


def _site_place(
    field: str, site: SiteIn, country: str | None
) -> tuple[float, float, str, str]:
    """Geocode a site by its postcode, or else its city. A misspelt city is refused naming
    the place meant: a profile stores no guess."""
    by_postcode = bool(site.postcode)
    found = resolve_or_refuse(
        postcode=site.postcode if by_postcode else None,
        place=None if by_postcode else site.city or "",
        country=country, field=field, place_field="city",
    )
    if found.near_miss:
        raise UnknownLocationError(
            f"Unknown place '{site.city}'; did you mean {found.place} ({found.country})?",
            errors=[field_error(
                f"{field}.city", f"unknown place '{site.city}'; did you mean {found.place}?",
                "unknown_location", code="unknown_place", value=site.city,
                country=country, alternatives=[{
                    "place": found.place, "country": found.country,
                    "lat": found.lat, "lon": found.lon}],
            )],
        )
    assert found.country is not None
    return found.lat, found.lon, "postcode" if by_postcode else "place", found.country


def _replace_capabilities(company: Company, capabilities: Sequence[CapabilityIn]) -> None:
    existing = {cap.work_kind_code: cap for cap in company.capabilities}
    sites_by_name = {site.name: site for site in company.sites}
    now = utcnow()
    result: list[Capability] = []
    for cap_in in capabilities:
        cap = existing.get(cap_in.work_kind)
        sites = [sites_by_name[name] for name in cap_in.sites] if cap_in.sites else []
        values = (cap_in.capacity_workers, cap_in.batch_min, cap_in.batch_max, cap_in.notes,
                  sorted(s.name for s in sites))
        if cap is None or _capability_values(cap) != values:
            # Only a row whose figures changed gets a new date: a page saving every row
            # unchanged must not make stale figures look current.
            cap = cap or Capability(work_kind_code=cap_in.work_kind)
            cap.capacity_updated_at = now
        cap.capacity_workers = cap_in.capacity_workers
        cap.batch_min = cap_in.batch_min
        cap.batch_max = cap_in.batch_max
        cap.notes = cap_in.notes
        cap.sites = sites
        result.append(cap)
    # In the order reads load them (by work kind), so POST, PATCH and GET answer alike.
    company.capabilities = sorted(result, key=lambda c: c.work_kind_code)


def _capability_values(cap: Capability) -> tuple[Any, ...]:
    return (cap.capacity_workers, cap.batch_min, cap.batch_max, cap.notes,
            sorted(s.name for s in cap.sites))


def expand_work_kinds(session: Session, codes: Sequence[str]) -> list[str]:
    parents = repository.work_kind_parents(session)
    unknown = [code for code in codes if code not in parents]
    if unknown:
        raise Unprocessable(
            f"Unknown work kind: {', '.join(unknown)}",
            errors=[
                field_error("work_kind", f"unknown '{code}'", "unknown_work_kind",
                            location="query", value=code)
                for code in unknown
            ],
        )
    kinds: set[str] = set()
    for code in codes:
        if parents[code] is None:
            kinds.update(kind for kind, parent in parents.items() if parent == code)
        else:
            kinds.add(code)
    return sorted(kinds)


@dataclass(frozen=True, slots=True)
class CompanyPage:
    items: list[tuple[Company, float | None]]
    total: int


def list_companies(
    session: Session,
    filters: CompanyFilters,
    *,
    limit: int,
    offset: int,
) -> CompanyPage:
    if filters.near is None:
        companies, total = repository.list_companies(session, filters, limit=limit, offset=offset)
        return CompanyPage(items=[(c, None) for c in companies], total=total)
    # Near a point: exact great-circle distances after the SQL bounding box, nearest first.
    lat, lon, radius = filters.near
    ranked: list[tuple[float, str, Company]] = []
    for company in repository.list_all_candidates(session, filters):
        nearest = min(haversine_km(lat, lon, s.lat, s.lon) for s in company.sites)
        if nearest <= radius:
            ranked.append((nearest, str(company.id), company))
    ranked.sort(key=lambda item: (item[0], item[1]))
    page = ranked[offset : offset + limit]
    return CompanyPage(items=[(c, round(d, 2)) for d, _, c in page], total=len(ranked))


def to_public(company: Company, *, include_contacts: bool) -> CompanyPublic:
    """The profile as a caller may see it. Without contacts the field is left unset, so the
    routes (response_model_exclude_unset) leave it out instead of sending null."""
    extra: dict[str, list[ContactOut]] = {}
    if include_contacts:
        extra["contacts"] = [
            ContactOut(name=p.name, role=p.role, email=p.email, phone=p.phone)
            for p in company.contacts
        ]
    return CompanyPublic(
        id=company.id,
        name=company.name,
        registration=RegistrationOut(
            country=company.registration_country, number=company.registration_number
        ),
        description=company.description,
        website=company.website,
        email=company.email,
        phone=company.phone,
        certifications=[c.certification_code for c in company.certifications],
        sites=[
            SiteOut(
                id=s.id,
                name=s.name,
                address=s.address,
                postcode=s.postcode,
                city=s.city,
                country=s.country,
                lat=s.lat,
                lon=s.lon,
                location_source=s.location_source,
                service_radius_km=s.service_radius_km,
            )
            for s in company.sites
        ],
        capabilities=[
            CapabilityOut(
                work_kind=c.work_kind_code,
                capacity_workers=c.capacity_workers,
                batch_min=c.batch_min,
                batch_max=c.batch_max,
                notes=c.notes,
                sites=[s.name for s in c.sites] or None,
                capacity_updated_at=c.capacity_updated_at,
            )
            for c in company.capabilities
        ],
        available_from=company.available_from,
        pso=PsoOut(level=company.pso_level, certified_on=company.pso_certified_on)
        if company.pso_level and company.pso_certified_on else None,
        target_group=TargetGroupOut(share_percent=company.target_group_share,
                                    stated_on=company.target_group_share_stated_on)
        if company.target_group_share is not None and company.target_group_share_stated_on
        else None,
        reserved_contract_eligible=reserved_eligible(company.target_group_share),
        status=CompanyStatus(company.status),
        version=company.version,
        created_at=company.created_at,
        updated_at=company.updated_at,
        **extra,
    )
