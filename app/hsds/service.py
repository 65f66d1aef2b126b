"""Loket's open data as HSDS 3.1: active companies, their capabilities, sites and taxonomy.

The mapping (docs/hsds.md): a company is an organization, a capability (company x kind of
work) a service with its capacity in workers, a site a location, each (capability, site) a
service_at_location with the site's service radius as its service area; kinds of work and
their groups are the terms of the `loket-work-kinds` taxonomy, their NACE Rev. 2 classes the
terms of a second one. Contact persons are never read here, let alone exported.

Ids: companies, capabilities and sites keep their own UUIDs; everything HSDS needs an id for
that we do not store (taxonomies, terms, identifiers, phones, capacities, areas, the
service-at-location links) gets a UUID 5 of a fixed namespace and a stable name, so it is the
same in every answer and after every restart.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.errors import NotFound, Unprocessable, field_error
from app.hsds import repository
from app.hsds.repository import ServiceFilters
from app.hsds.schemas import (
    AttributeOut,
    LocationOut,
    OrganizationIdentifierOut,
    OrganizationOut,
    PhoneOut,
    ServiceAreaOut,
    ServiceAtLocationOut,
    ServiceCapacityOut,
    ServiceOut,
    TaxonomyOut,
    TaxonomyTermOut,
    UnitOut,
)
from app.hsds.texts import text
from app.models import Capability, Company, Site, WorkKind
from app.words.languages import label_in

# Never change: every derived id hangs on it (docs/hsds.md).
NAMESPACE = uuid.UUID("3b0f5c52-4a8e-5d51-9c2e-6c6f6b65742d")

WORK_KINDS_TAXONOMY = "loket-work-kinds"
NACE_TAXONOMY = "nace-rev2"
PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 500
# org-id.guide schemes of the two registers our companies are in.
IDENTIFIER_SCHEMES = {"NL": "NL-KVK", "BE": "BE-BCE_KBO"}
IDENTIFIER_TYPES = {"NL": "KvK-nummer (Kamer van Koophandel)",
                    "BE": "ondernemingsnummer (Kruispuntbank van Ondernemingen)"}


def derived_id(kind: str, *parts: object) -> uuid.UUID:
    """The stable id of something HSDS names and we do not store: uuid5(NAMESPACE, name)."""
    return uuid.uuid5(NAMESPACE, ":".join([kind, *(str(p) for p in parts)]))


def work_kind_term_id(code: str) -> uuid.UUID:
    return derived_id("work-kind", code)


def nace_term_id(code: str) -> uuid.UUID:
    return derived_id("nace", code)


WORK_KINDS_TAXONOMY_ID = derived_id("taxonomy", WORK_KINDS_TAXONOMY)
NACE_TAXONOMY_ID = derived_id("taxonomy", NACE_TAXONOMY)
WORKERS_UNIT = UnitOut(id=derived_id("unit", "workers"), name="workers")


# --- parameters --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paging:
    """`page` and `per_page`; None for all (ndjson streams everything, unpaginated)."""

    page: int = 1
    per_page: int | None = PER_PAGE_DEFAULT

    @property
    def offset(self) -> int:
        return 0 if self.per_page is None else (self.page - 1) * self.per_page


# RFC 3339's date-time (the router states it as the parameter's pattern as well).
DATE_TIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)
_FRACTION = re.compile(r"\.([0-9]{1,9})")


def parse_modified_after(value: str | None) -> datetime | None:
    """An RFC 3339 date-time, as UTC; one that names no real instant (month 13, a leap
    second, year 0) is 422."""
    if value is None:
        return None
    if not re.fullmatch(DATE_TIME_PATTERN, value):
        raise _not_a_date_time()
    # Python reads microseconds: nanoseconds are cut (the stored times have no more).
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value.upper())
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _not_a_date_time() from None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 lies before the first instant we have
        return (datetime.min if parsed.year == 1 else datetime.max).replace(tzinfo=UTC)


def _not_a_date_time() -> Unprocessable:
    return Unprocessable(
        "modified_after is not a date-time",
        errors=[field_error("modified_after", "expected an RFC 3339 date-time, e.g. "
                            "2026-12-01T00:00:00Z", "not_datetime", location="query")],
    )


def page_fields(total: int, size: int, paging: Paging) -> dict[str, Any]:
    per_page = paging.per_page or max(total, 1)
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total, "total_pages": total_pages, "page_number": paging.page,
        "size": size, "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages, "empty": size == 0,
    }


# --- the taxonomy ------------------------------------------------------------------------------


@dataclass(slots=True)
class Taxonomy:
    """The two taxonomies' terms, and which kinds of work each term stands for."""

    lang: str
    kinds: dict[str, WorkKind]
    terms: list[TaxonomyTermOut] = field(default_factory=list)
    kinds_of_term: dict[uuid.UUID, set[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, lang: str) -> Taxonomy:
        kinds = repository.work_kinds(session)
        taxonomy = cls(lang=lang, kinds={k.code: k for k in kinds})
        children: dict[str, set[str]] = {}
        for kind in kinds:
            if kind.parent_code is not None:
                children.setdefault(kind.parent_code, set()).add(kind.code)
        nace: dict[str, set[str]] = {}
        for kind in kinds:
            group = kind.parent_code is None
            parent = taxonomy.kinds.get(kind.parent_code or "")
            description = (
                text(lang, "group", kinds=", ".join(sorted(children.get(kind.code, ()))))
                if group else
                text(lang, "kind", group=parent.code if parent else kind.parent_code)
            )
            if kind.nace_codes:
                description += text(lang, "nace_of_kind", codes=", ".join(kind.nace_codes))
            taxonomy.terms.append(TaxonomyTermOut(
                id=work_kind_term_id(kind.code), code=kind.code, name=taxonomy.label(kind),
                description=description,
                parent_id=None if group else work_kind_term_id(kind.parent_code or ""),
                taxonomy=WORK_KINDS_TAXONOMY, taxonomy_id=WORK_KINDS_TAXONOMY_ID,
                language=lang,
            ))
            taxonomy.kinds_of_term[work_kind_term_id(kind.code)] = (
                {kind.code, *children.get(kind.code, ())}
            )
            for code in kind.nace_codes or []:
                nace.setdefault(code, set()).add(kind.code)
        for code in sorted(nace):
            taxonomy.terms.append(TaxonomyTermOut(
                id=nace_term_id(code), code=code, name=f"NACE {code}",
                description=text(lang, "nace_term", code=code,
                                 kinds=", ".join(sorted(nace[code]))),
                taxonomy=NACE_TAXONOMY, taxonomy_id=NACE_TAXONOMY_ID,
            ))
            taxonomy.kinds_of_term[nace_term_id(code)] = nace[code]
        return taxonomy

    def label(self, kind: WorkKind) -> str:
        return label_in(self.lang, kind.label_nl, kind.label_en, kind.label_fr)

    def kinds_for(
        self, term_id: uuid.UUID | None, taxonomy_id: uuid.UUID | None
    ) -> set[str] | None:
        """The kinds of work the filters leave (None: no filter; empty: nothing fits)."""
        kinds: set[str] | None = None
        if term_id is not None:
            kinds = set(self.kinds_of_term.get(term_id, ()))
        if taxonomy_id is not None:
            in_taxonomy = {
                code
                for term in self.terms if term.taxonomy_id == taxonomy_id
                for code in self.kinds_of_term[term.id]
            }
            kinds = in_taxonomy if kinds is None else kinds & in_taxonomy
        return kinds

    def kinds_matching(self, search: str | None) -> list[str]:
        """Kinds whose code or label (any language) holds the text; a group brings its own."""
        if not search:
            return []
        text = search.lower()
        found: set[str] = set()
        for kind in self.kinds.values():
            labels = (kind.code, kind.label_nl, kind.label_en, kind.label_fr or "")
            if any(text in label.lower() for label in labels):
                found |= self.kinds_of_term[work_kind_term_id(kind.code)]
        return sorted(found)

    def attributes(self, service_id: uuid.UUID, kind_code: str) -> list[AttributeOut]:
        """The service's terms: its kind of work and the NACE classes of that kind."""
        kind = self.kinds.get(kind_code)
        term_ids = [work_kind_term_id(kind_code)]
        term_ids += [nace_term_id(code) for code in (kind.nace_codes if kind else None) or []]
        by_id = {t.id: t for t in self.terms}
        return [
            AttributeOut(id=derived_id("attribute", service_id, term_id), link_id=service_id,
                         taxonomy_term_id=term_id, link_entity="service",
                         taxonomy_term=by_id.get(term_id))
            for term_id in term_ids
        ]


def taxonomies(search: str | None) -> list[TaxonomyOut]:
    every = [
        TaxonomyOut(
            id=WORK_KINDS_TAXONOMY_ID, name=WORK_KINDS_TAXONOMY,
            description="Loket's kinds of work of sheltered-work companies: groups (production, "
                        "facility, logistics, ...) and the kinds in them. Codes never change "
                        "once published.",
            version="1",
        ),
        TaxonomyOut(
            id=NACE_TAXONOMY_ID, name=NACE_TAXONOMY,
            description="NACE Rev. 2, the statistical classification of economic activities "
                        "in the European Community: the classes Loket's kinds of work fall in.",
            uri="https://eur-lex.europa.eu/eli/reg/2006/1893/oj", version="2",
        ),
    ]
    if not search:
        return every
    text = search.lower()
    return [t for t in every if text in t.name.lower() or text in t.description.lower()]


def taxonomy_terms(
    taxonomy: Taxonomy, *, search: str | None, taxonomy_id: uuid.UUID | None,
    parent_id: uuid.UUID | None,
) -> list[TaxonomyTermOut]:
    terms = taxonomy.terms
    if taxonomy_id is not None:
        terms = [t for t in terms if t.taxonomy_id == taxonomy_id]
    if parent_id is not None:
        terms = [t for t in terms if t.parent_id == parent_id]
    if search:
        text = search.lower()
        terms = [t for t in terms
                 if text in t.name.lower() or text in (t.code or "").lower()
                 or text in t.description.lower()]
    return terms


# --- mapping -----------------------------------------------------------------------------------


def location(site: Site) -> LocationOut:
    place = " ".join(p for p in (site.postcode, site.city) if p)
    description = ", ".join(p for p in (site.address, place, site.country) if p)
    return LocationOut(
        id=site.id, location_type="physical", organization_id=site.company_id, name=site.name,
        description=description or None, latitude=site.lat, longitude=site.lon,
    )


def _circle(lat: float, lon: float, radius_km: float, points: int = 32) -> str:
    """A GeoJSON Polygon approximating the circle (lon/lat, WGS84, closed ring)."""
    ring = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        d_lat = radius_km / 111.32 * math.cos(angle)
        d_lon = radius_km / (111.32 * max(math.cos(math.radians(lat)), 0.01)) * math.sin(angle)
        ring.append([round(lon + d_lon, 5), round(max(-90.0, min(90.0, lat + d_lat)), 5)])
    ring.append(ring[0])
    return json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))


def service_area(
    capability: Capability, site: Site, lang: str, *, at_location: bool
) -> ServiceAreaOut:
    radius = f"{site.service_radius_km:g}"
    where = site.city or site.name
    return ServiceAreaOut(
        id=derived_id("service-area", capability.id, site.id),
        service_id=None if at_location else capability.id,
        service_at_location_id=sal_id(capability, site) if at_location else None,
        name=text(lang, "area_name", radius=radius, place=where),
        description=text(lang, "area_description", radius=radius, site=site.name,
                         place=where, country=site.country),
        extent=_circle(site.lat, site.lon, site.service_radius_km), extent_type="geojson",
    )


def sal_id(capability: Capability, site: Site) -> uuid.UUID:
    return derived_id("service-at-location", capability.id, site.id)


def sites_of(capability: Capability, company_sites: Iterable[Site]) -> list[Site]:
    """The sites a capability is limited to, else all of its company's."""
    return list(capability.sites) or list(company_sites)


def service_at_location(
    capability: Capability, site: Site, taxonomy: Taxonomy
) -> ServiceAtLocationOut:
    kind = taxonomy.kinds.get(capability.work_kind_code)
    label = taxonomy.label(kind) if kind else capability.work_kind_code
    return ServiceAtLocationOut(
        id=sal_id(capability, site), service_id=capability.id, location_id=site.id,
        description=text(taxonomy.lang, "service_at_location", label=label, site=site.name),
        location=location(site),
        service_areas=[service_area(capability, site, taxonomy.lang, at_location=True)],
    )


def organization(company: Company, lang: str) -> OrganizationOut:
    """The one-to-one fields with identifiers and the general phone (never contact persons)."""
    country = company.registration_country
    phones = [PhoneOut(id=derived_id("phone", company.id), number=company.phone, type="voice",
                       description=text(lang, "phone"))] if company.phone else []
    return OrganizationOut(
        id=company.id, name=company.name, description=company.description or "",
        email=company.email, website=company.website, phones=phones,
        organization_identifiers=[OrganizationIdentifierOut(
            id=derived_id("organization-identifier", company.id, country,
                          company.registration_number),
            identifier_scheme=IDENTIFIER_SCHEMES.get(country),
            identifier_type=IDENTIFIER_TYPES.get(country, "company registration number"),
            identifier=company.registration_number,
        )],
    )


def service(capability: Capability, taxonomy: Taxonomy, *, full: bool = False) -> ServiceOut:
    company = capability.company
    kind = taxonomy.kinds.get(capability.work_kind_code)
    label = taxonomy.label(kind) if kind else capability.work_kind_code
    out = ServiceOut(
        id=capability.id, organization_id=company.id, name=f"{label} ({company.name})",
        description=capability.notes or None, url=company.website, email=company.email,
        status="active",
        capacities=[ServiceCapacityOut(
            id=derived_id("capacity", capability.id), unit=WORKERS_UNIT,
            available=capability.capacity_workers, updated=capability.capacity_updated_at,
            description=text(taxonomy.lang, "capacity"),
        )],
        attributes=taxonomy.attributes(capability.id, capability.work_kind_code),
    )
    if full:
        sites = sites_of(capability, company.sites)
        out.service_areas = [
            service_area(capability, s, taxonomy.lang, at_location=False) for s in sites
        ]
        out.service_at_locations = [service_at_location(capability, s, taxonomy) for s in sites]
        out.organization = organization(company, taxonomy.lang)
    return out


# --- the reads ---------------------------------------------------------------------------------


def service_filters(
    taxonomy: Taxonomy, *, search: str | None, taxonomy_term_id: uuid.UUID | None,
    taxonomy_id: uuid.UUID | None, organization_id: uuid.UUID | None,
    modified_after: str | None,
) -> ServiceFilters:
    """The filters of the services and service_at_locations lists, checked."""
    return ServiceFilters(
        search=search, work_kinds=taxonomy.kinds_for(taxonomy_term_id, taxonomy_id),
        organization_id=organization_id, modified_after=parse_modified_after(modified_after),
        kinds_matching=taxonomy.kinds_matching(search),
    )


def list_services(
    session: Session, taxonomy: Taxonomy, filters: ServiceFilters, paging: Paging
) -> tuple[list[ServiceOut], int]:
    rows, total = repository.services_page(
        session, filters, limit=paging.per_page, offset=paging.offset
    )
    return [service(c, taxonomy) for c in rows], total


def get_service(session: Session, taxonomy: Taxonomy, service_id: uuid.UUID) -> ServiceOut:
    capability = repository.active_service(session, service_id)
    if capability is None:
        raise NotFound("No such service")
    return service(capability, taxonomy, full=True)


def list_service_at_locations(
    session: Session, taxonomy: Taxonomy, filters: ServiceFilters, paging: Paging
) -> tuple[list[ServiceAtLocationOut], int]:
    rows, total = repository.service_at_locations_page(
        session, filters, limit=paging.per_page, offset=paging.offset
    )
    return [service_at_location(c, s, taxonomy) for c, s in rows], total


def list_organizations(
    session: Session, *, search: str | None, kinds: Collection[str] | None, paging: Paging,
    lang: str,
) -> tuple[list[OrganizationOut], int]:
    rows, total = repository.organizations_page(
        session, search=search, kinds=kinds, limit=paging.per_page, offset=paging.offset
    )
    return [organization(c, lang) for c in rows], total


def get_organization(
    session: Session, taxonomy: Taxonomy, organization_id: uuid.UUID
) -> OrganizationOut:
    company = repository.active_company(session, organization_id)
    if company is None:
        raise NotFound("No such organization")
    out = organization(company, taxonomy.lang)
    out.locations = [location(s) for s in company.sites]
    out.services = [service(c, taxonomy) for c in company.capabilities]
    return out

