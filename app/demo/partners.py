"""Demo organisations, two-way profiles, partnerships and a local network (issue 18), after the
seeds: a cooperative of 35 employers, a thrift shop, a design studio and a ministry whose
discarded clothing is recycled around sheltered-work companies; a care group in a full
partnership with services both ways; companies that seek expertise (one seeks engineering).

Loaded through the services as the demo's people would, so the change feed and the rules see
it. Running it again adds nothing twice (an organisation of the same name means: loaded)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.geo import haversine_km
from app.models import Company, Organisation, Site, User
from app.partners import service
from app.partners.schemas import (
    Exchange,
    MemberIn,
    NetworkCreate,
    OrganisationCreate,
    PartnershipCreate,
)

ADMIN = Principal(key_id=uuid.UUID(int=0), role=Role.admin, name="demo loader")
ENTREPRENEUR_EMAIL = "ondernemer@loket.example"

TOWNS = {
    "Hilversum": (52.22333, 5.17639),
    "Utrecht": (52.09083, 5.12222),
    "Den Haag": (52.07667, 4.29861),
    "Eindhoven": (51.44083, 5.47778),
}

ORGANISATIONS: list[dict[str, Any]] = [
    {"key": "cooperative", "name": "Werkgeverscoöperatie Gooi & Vecht",
     "kind": "employers-cooperative", "place": "Hilversum",
     "website": "https://werkgevers-gooi.example.org",
     "description": "Coöperatie van 35 werkgevers in 't Gooi die samen met het sociaal "
                    "werkbedrijf werk maken voor mensen met afstand tot de arbeidsmarkt.",
     "offers": {"expertise": ["engineering", "hr", "finance"],
                "partnership_kinds": ["cooperative-member", "customer"]},
     "seeks": {"work_kinds": ["green-maintenance", "packaging", "administration"]}},
    {"key": "thrift", "name": "Kringloopwinkel De Tweede Ronde", "kind": "shop",
     "place": "Hilversum",
     "description": "Kringloopwinkel met een werkplaats voor meubels en fietsen.",
     "offers": {"materials": [{"code": "furniture", "quantity": 40, "unit": "pieces",
                               "period": "week"}]},
     "seeks": {"work_kinds": ["furniture-refurbishing", "bicycle-repair"],
               "partnership_kinds": ["supplier"]}},
    {"key": "studio", "name": "Studio Vlechtwerk", "kind": "design-studio", "place": "Utrecht",
     "description": "Ontwerpstudio die van afgedankt textiel nieuwe producten maakt, in "
                    "kleine series bij sociale werkbedrijven.",
     "offers": {"expertise": ["design", "marketing"]},
     "seeks": {"work_kinds": ["textile-sewing", "small-series-production"],
               "materials": [{"code": "textile", "quantity": 500, "unit": "kg",
                              "period": "month"}]}},
    {"key": "ministry", "name": "Ministerie van Binnenlandse Zaken — textiel uit de rijksdienst",
     "kind": "government", "place": "Den Haag",
     "description": "Afgedankte bedrijfskleding en uniformen van de rijksoverheid worden "
                    "gesorteerd en gerecycled door sociale werkbedrijven.",
     "offers": {"materials": [{"code": "textile", "quantity": 12, "unit": "tonnes",
                               "period": "year", "note": "bedrijfskleding en uniformen"}],
                "partnership_kinds": ["customer"]},
     "seeks": {"work_kinds": ["textile-recycling", "sorting-inspection"]}},
    {"key": "care", "name": "Zorggroep De Linde", "kind": "care-institution", "place": "Utrecht",
     "description": "Zorggroep met een volwaardig partnerschap: wij leveren zorgexpertise en "
                    "HR-advies, het werkbedrijf groenonderhoud en schoonmaak.",
     "offers": {"expertise": ["care-expertise", "hr"]},
     "seeks": {"work_kinds": ["green-maintenance", "cleaning"],
               "partnership_kinds": ["full-partnership"]}},
    {"key": "startup", "name": "Knoopwerk", "kind": "startup", "place": "Eindhoven",
     "description": "Startup die een sociaal werkbedrijf als flexibele productiepartner "
                    "gebruikt, op half-kleine en half-grote schaal.",
     "offers": {"expertise": ["design", "ict"]},
     "seeks": {"work_kinds": ["assembly", "small-series-production"],
               "partnership_kinds": ["supplier"]}},
]


@dataclass(frozen=True)
class _Near:
    id: uuid.UUID
    name: str


def _nearest_companies(session: Session, town: str, count: int) -> list[_Near]:
    lat, lon = TOWNS[town]
    best: dict[uuid.UUID, tuple[float, str]] = {}
    rows = session.execute(
        select(Site.company_id, Site.lat, Site.lon, Company.name)
        .join(Company, Company.id == Site.company_id).where(Company.status == "active")
    ).all()
    for company_id, s_lat, s_lon, name in rows:
        d = haversine_km(lat, lon, s_lat, s_lon)
        if company_id not in best or d < best[company_id][0]:
            best[company_id] = (d, name)
    order = sorted(best, key=lambda c: (best[c][0], str(c)))[:count]
    return [_Near(c, best[c][1]) for c in order]


def load_demo_partners(session: Session, active: list[uuid.UUID]) -> int:
    """Load it all once; returns how many organisations were added (0 when loaded before)."""
    names = [o["name"] for o in ORGANISATIONS]
    if session.scalars(select(Organisation.id).where(Organisation.name.in_(names))).first():
        return 0
    hilversum = _nearest_companies(session, "Hilversum", 2)
    utrecht = _nearest_companies(session, "Utrecht", 2)
    den_haag = _nearest_companies(session, "Den Haag", 1)
    eindhoven = _nearest_companies(session, "Eindhoven", 1)
    if not (hilversum and utrecht and den_haag and eindhoven and active):
        return 0
    person = session.scalars(select(User).where(User.email == ENTREPRENEUR_EMAIL)).first()
    entrepreneur = ADMIN if person is None else Principal(
        key_id=person.id, role=Role.entrepreneur, name=person.name, owner_id=person.id
    )
    orgs: dict[str, uuid.UUID] = {}
    for spec in ORGANISATIONS:
        body = {k: v for k, v in spec.items() if k not in {"key", "place"}}
        body["location"] = {"place": spec["place"], "country": "NL"}
        # The demo entrepreneur manages the design studio and the startup.
        who = entrepreneur if spec["key"] in {"studio", "startup"} else ADMIN
        orgs[spec["key"]] = service.create_organisation(
            session, OrganisationCreate.model_validate(body), who).id

    # Companies that seek expertise; one seeks engineering near Utrecht and Hilversum.
    seeking: list[tuple[uuid.UUID, dict[str, dict[str, list[Any]]]]] = [
        (hilversum[0].id, {"offers": {"expertise": ["hr"],
                                      "partnership_kinds": ["full-partnership"]},
                           "seeks": {"expertise": ["engineering", "ict"],
                                     "partnership_kinds": ["cooperative-member"]}}),
        (utrecht[0].id, {"offers": {"expertise": ["hr"]},
                         "seeks": {"expertise": ["care-expertise", "engineering"],
                                   "partnership_kinds": ["full-partnership"]}}),
        (den_haag[0].id, {"seeks": {"materials": [{"code": "textile", "quantity": 20,
                                                   "unit": "tonnes", "period": "year"}]}}),
        (active[0], {"seeks": {"expertise": ["marketing", "design"]}}),
    ]
    # One company may be nearest to two towns (a small database): its wishes add up.
    merged: dict[uuid.UUID, dict[str, dict[str, list[Any]]]] = {}
    for company_id, exchange in seeking:
        into = merged.setdefault(company_id, {"offers": {}, "seeks": {}})
        for direction, facets in exchange.items():
            for facet, values in facets.items():
                into[direction].setdefault(facet, []).extend(values)
    for company_id, exchange in merged.items():
        service.set_company_exchange(session, company_id, Exchange.model_validate(exchange), ADMIN)

    partnerships: list[tuple[Principal, dict[str, Any]]] = [
        # A full partnership: services both ways.
        (ADMIN, {"organisation_id": orgs["care"], "company_id": utrecht[0].id,
                 "kind": "full-partnership", "since": date(2024, 3, 1),
                 "description": "Meer dan klant en leverancier: samen antwoorden op de krapte "
                                "op de arbeidsmarkt.",
                 "to_organisation": [{"facet": "work_kind", "code": "green-maintenance"},
                                     {"facet": "work_kind", "code": "cleaning"}],
                 "to_company": [{"facet": "expertise", "code": "care-expertise"},
                                {"facet": "expertise", "code": "hr",
                                 "note": "HR-advies en opleiding"}]}),
        (ADMIN, {"organisation_id": orgs["cooperative"], "company_id": hilversum[0].id,
                 "kind": "cooperative-member", "since": date(2023, 9, 1),
                 "to_organisation": [{"facet": "work_kind", "code": "green-maintenance"}],
                 "to_company": [{"facet": "expertise", "code": "engineering"}]}),
        (ADMIN, {"organisation_id": orgs["ministry"], "company_id": den_haag[0].id,
                 "kind": "customer", "since": date(2025, 1, 1),
                 "to_organisation": [{"facet": "work_kind", "code": "textile-recycling"}],
                 "to_company": [{"facet": "material", "code": "textile",
                                 "note": "12 ton per jaar"}]}),
        (ADMIN, {"organisation_id": orgs["thrift"], "company_id": hilversum[-1].id,
                 "kind": "supplier", "since": date(2022, 5, 1),
                 "to_organisation": [{"facet": "work_kind", "code": "furniture-refurbishing"}]}),
        (ADMIN, {"organisation_id": orgs["startup"], "company_id": eindhoven[0].id,
                 "kind": "supplier", "since": date(2021, 6, 1),
                 "to_organisation": [{"facet": "work_kind", "code": "small-series-production"}],
                 "to_company": [{"facet": "expertise", "code": "design"}]}),
        # Proposed by the studio only: public nowhere until the company confirms it.
        (entrepreneur, {"organisation_id": orgs["studio"], "company_id": active[0],
                        "kind": "customer",
                        "to_organisation": [{"facet": "work_kind", "code": "textile-sewing"}],
                        "to_company": [{"facet": "expertise", "code": "design"}]}),
    ]
    for who, body in partnerships:
        service.propose_partnership(session, PartnershipCreate.model_validate(body), who)

    coordinator = hilversum[0].id
    network = NetworkCreate(
        name="Lokaal netwerk Gooi", location={"place": "Hilversum", "country": "NL"},
        goal="Werkgevers, winkels en ontwerpers rond het sociaal werkbedrijf maken samen werk "
             "voor mensen met afstand tot de arbeidsmarkt.",
        members=[MemberIn(organisation_id=orgs["cooperative"]),
                 MemberIn(organisation_id=orgs["thrift"], role="supporter"),
                 MemberIn(organisation_id=orgs["studio"], role="supporter")]
        + ([MemberIn(company_id=hilversum[1].id)] if len(hilversum) > 1 else []),
    )
    service.create_network(session, network, Principal(
        key_id=uuid.UUID(int=0), role=Role.company, name="demo loader",
        company_id=coordinator, owner_id=coordinator))
    return len(orgs)
