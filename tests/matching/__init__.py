"""Builders shared by the matching tests: the starting taxonomy, real towns, small factories."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime

from app.matching import CapabilityRecord, CompanyRecord, SiteRecord, Taxonomy, WorkKindNode

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
