"""Builders shared by the matching tests: the starting taxonomy, real towns, and companies as
readable records that `build` turns into the columns the engine takes."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.matching.catalogue import NO_DATE, Catalogue, CatalogueColumns
from app.matching.types import Taxonomy, WorkKindNode


@dataclass(frozen=True, slots=True)
class SiteRecord:
    site_id: str
    lat: float
    lon: float
    service_radius_km: float


@dataclass(frozen=True, slots=True)
class CapabilityRecord:
    work_kind: str
    capacity_workers: int
    capacity_updated_at: datetime | None
    site_ids: tuple[str, ...] | None  # None: offered at every site of the company


@dataclass(frozen=True, slots=True)
class CompanyRecord:
    company_id: str
    active: bool
    certifications: frozenset[str]
    available_from: date | None
    sites: tuple[SiteRecord, ...]
    capabilities: tuple[CapabilityRecord, ...]


def build(companies: Iterable[CompanyRecord], taxonomy: Taxonomy) -> Catalogue:
    return Catalogue.from_columns(taxonomy, columns_from_records(companies))


def columns_from_records(companies: Iterable[CompanyRecord]) -> CatalogueColumns:
    comps = list(companies)
    site_position: dict[str, int] = {}
    certs: list[tuple[int, str]] = []
    sites: list[tuple[str, int, float, float, float]] = []
    caps: list[tuple[int, str, int, datetime | None]] = []
    restrict: list[tuple[int, int]] = []
    for ci, comp in enumerate(comps):
        certs += [(ci, code) for code in sorted(comp.certifications)]
        own = {}
        for s in comp.sites:
            own[s.site_id] = site_position.setdefault(s.site_id, len(sites))
            sites.append((s.site_id, ci, s.lat, s.lon, s.service_radius_km))
        for cap in comp.capabilities:
            if cap.site_ids is not None:
                restrict += [(len(caps), own[s]) for s in cap.site_ids if s in own]
            caps.append((ci, cap.work_kind, cap.capacity_workers, cap.capacity_updated_at))
            if cap.site_ids is not None and not any(s in own for s in cap.site_ids):
                restrict.append((len(caps) - 1, -1))  # limited to no site of its own
    return CatalogueColumns(
        company_ids=[c.company_id for c in comps],
        company_active=[c.active for c in comps],
        company_available=[
            NO_DATE if c.available_from is None else c.available_from.toordinal() for c in comps
        ],
        cert_company=[ci for ci, _ in certs],
        cert_code=[code for _, code in certs],
        site_ids=[s[0] for s in sites],
        site_company=[s[1] for s in sites],
        site_lat=[s[2] for s in sites],
        site_lon=[s[3] for s in sites],
        site_radius_km=[s[4] for s in sites],
        cap_company=[c[0] for c in caps],
        cap_kind=[c[1] for c in caps],
        cap_workers=[c[2] for c in caps],
        cap_updated_at=[c[3] for c in caps],
        restrict_cap=[r[0] for r in restrict],
        restrict_site=[r[1] for r in restrict],
    )




TOWNS: dict[str, tuple[float, float]] = {
    "Tilburg": (51.5555, 5.0913),
    "Breda": (51.5866, 4.7760),
    "Eindhoven": (51.4416, 5.4697),
    "Utrecht": (52.0907, 5.1214),
    "Amsterdam": (52.3676, 4.9041),
    "Antwerpen": (51.2194, 4.4025),
    "Gent": (51.0543, 3.7174),
    "Groningen": (53.2194, 6.5665),
}

_GROUPS: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "production",
        "Productie",
        "Production",
        (
            ("assembly", "Assemblage & montage", "Assembly & mounting"),
            ("packaging", "Verpakken", "Packaging"),
            ("small-series-production", "Kleinschalige serieproductie", "Small-series production"),
            ("woodworking", "Houtbewerking", "Woodworking"),
            ("metalworking", "Metaalbewerking", "Metalworking"),
            ("textile-sewing", "Naaiatelier", "Sewing workshop"),
            ("printing-binding", "Drukwerk & binderij", "Printing & binding"),
            ("electronics-assembly", "Elektronica-assemblage", "Electronics assembly"),
            ("food-processing", "Voedselverwerking", "Food processing"),
            ("sorting-inspection", "Sorteren & controleren", "Sorting & inspection"),
        ),
    ),
    (
        "facility",
        "Facilitaire diensten",
        "Facility services",
        (
            ("cleaning", "Schoonmaak", "Cleaning"),
            ("green-maintenance", "Groenonderhoud", "Green maintenance"),
            ("catering", "Catering", "Catering"),
            ("laundry", "Wasserij", "Laundry"),
            ("reception", "Receptie & toezicht", "Reception & security"),
        ),
    ),
    (
        "logistics",
        "Logistiek",
        "Logistics",
        (
            ("warehousing", "Opslag", "Warehousing"),
            ("order-fulfilment", "Orderverwerking & fulfilment", "Order fulfilment"),
            ("mail-handling", "Postverwerking", "Mail handling"),
            ("transport", "Transport & koeriersdienst", "Transport & courier"),
            ("moving", "Verhuizingen", "Moving"),
        ),
    ),
    (
        "circular",
        "Circulair & hergebruik",
        "Circular & reuse",
        (
            ("textile-recycling", "Textielrecycling", "Textile recycling"),
            ("electronics-recycling", "Elektronica-demontage", "Electronics dismantling"),
            ("reuse-shop", "Kringloop", "Reuse shop"),
            ("bicycle-repair", "Fietsherstel", "Bicycle repair"),
            ("furniture-refurbishing", "Meubelrenovatie", "Furniture refurbishing"),
            ("waste-sorting", "Afvalsortering", "Waste sorting"),
        ),
    ),
)

TAXONOMY = Taxonomy(
    nodes=tuple(
        itertools.chain.from_iterable(
            (
                WorkKindNode(group, None, nl, en),
                *(WorkKindNode(code, group, knl, ken) for code, knl, ken in kinds),
            )
            for group, nl, en, kinds in _GROUPS
        )
    )
)


def site(
    site_id: str,
    town: str = "Tilburg",
    radius_km: float = 500.0,
    *,
    at: tuple[float, float] | None = None,
) -> SiteRecord:
    lat, lon = at if at is not None else TOWNS[town]
    return SiteRecord(
        site_id=site_id,
        lat=lat,
        lon=lon,
        service_radius_km=radius_km,
    )


def cap(
    kind: str,
    workers: int = 10,
    *,
    site_ids: Iterable[str] | None = None,
    updated: datetime | None = None,
) -> CapabilityRecord:
    return CapabilityRecord(
        work_kind=kind,
        capacity_workers=workers,
        capacity_updated_at=updated,
        site_ids=None if site_ids is None else tuple(site_ids),
    )


def company(
    company_id: str,
    kinds: Iterable[str | CapabilityRecord] = ("packaging",),
    town: str = "Tilburg",
    *,
    sites: Iterable[SiteRecord] | None = None,
    radius_km: float = 500.0,
    certs: Iterable[str] = (),
    active: bool = True,
    available_from: date | None = None,
) -> CompanyRecord:
    """A company; plain kind codes become capabilities of 10 workers at every site."""
    return CompanyRecord(
        company_id=company_id,
        active=active,
        certifications=frozenset(certs),
        available_from=available_from,
        sites=tuple(sites) if sites is not None else (site(f"{company_id}-s1", town, radius_km),),
        capabilities=tuple(k if isinstance(k, CapabilityRecord) else cap(k) for k in kinds),
    )
