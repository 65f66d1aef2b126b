"""The per-worker catalogue: built whole from the database, rebuilt when the version moves,
so a profile change is seen by the very next match."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.companies.schemas import CompanyUpdate
from app.companies.service import update_company
from app.matching.engine import match
from app.matching.types import Criteria
from app.models import Capability, Company, CompanyStatus
from app.search.catalogue import CatalogueCache, Snapshot
from tests.conftest import ADMIN
from tests.factories import create_company
from tests.matching import CapabilityRecord, CompanyRecord, SiteRecord, build

CRITERIA = [
    Criteria(work_kinds=("packaging",), lat=51.5555, lon=5.0913, workers_needed=10),
    Criteria(work_kinds=("production",), lat=51.0543, lon=3.7174, max_distance_km=150,
             start_date=date(2027, 1, 15)),
    Criteria(work_kinds=("cleaning", "green-maintenance"), limit=50,
             preferred_certifications=frozenset({"pso"})),
]


def _results(snapshot: Snapshot) -> list[object]:
    return [match(snapshot.catalogue, c) for c in CRITERIA]


@pytest.fixture
def companies(session: Session) -> list[Company]:
    return [
        create_company(session, "Werkbedrijf Tilburg", town="Tilburg",
                       kinds={"packaging": 12, "assembly": 4}, certifications=["pso"]),
        create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 30},
                       extra_sites=["Eindhoven"]),
        create_company(session, "Groen Gent", town="Gent",
                       kinds={"green-maintenance": 9, "cleaning": 3}, available_from="2027-02-01"),
        create_company(session, "Slapend", town="Utrecht", status="pending"),
    ]


def _records(session: Session) -> list[CompanyRecord]:
    """The same profiles read through the ORM, as records: an independent way in."""
    rows = session.scalars(select(Company).options(
        selectinload(Company.sites), selectinload(Company.certifications),
        selectinload(Company.capabilities).selectinload(Capability.sites),
    ))
    return [
        CompanyRecord(
            company_id=str(c.id), active=c.status == CompanyStatus.active,
            certifications=frozenset(x.certification_code for x in c.certifications),
            available_from=c.available_from,
            sites=tuple(SiteRecord(str(s.id), s.lat, s.lon, s.service_radius_km)
                        for s in c.sites),
            capabilities=tuple(
                CapabilityRecord(k.work_kind_code, k.capacity_workers, k.capacity_updated_at,
                                 tuple(str(s.id) for s in k.sites) or None)
                for k in c.capabilities
            ),
        )
        for c in rows
    ]


def test_the_catalogue_from_the_database_equals_one_built_from_records(
    session: Session, companies: list[Company]
) -> None:
    snapshot = CatalogueCache().get(session)
    assert len(snapshot.catalogue) == 5
    from_records = build(_records(session), snapshot.catalogue.taxonomy)
    assert [match(from_records, c) for c in CRITERIA] == _results(snapshot)
    assert any(r.matches for r in _results(snapshot))


def test_an_unchanged_version_reuses_the_snapshot(
    session: Session, companies: list[Company]
) -> None:
    cache = CatalogueCache()
    assert cache.get(session) is cache.get(session)


def test_a_change_is_seen_by_the_very_next_get(
    session: Session, companies: list[Company]
) -> None:
    cache = CatalogueCache()
    before = cache.get(session)
    update_company(
        session, companies[0].id,
        CompanyUpdate.model_validate({"capabilities": [{"work_kind": "packaging",
                                                         "capacity_workers": 2}]}),
        ADMIN, if_match="*",
    )
    session.flush()
    after = cache.get(session)
    assert after.version == before.version + 1
    assert _results(after) != _results(before)
    fresh = build(_records(session), after.catalogue.taxonomy)
    assert _results(after) == [match(fresh, c) for c in CRITERIA]
