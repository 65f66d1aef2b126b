"""The per-worker catalogue: bulk load, incremental updates from the change log, and the
guarantee that a profile change is seen by the very next match."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.companies.schemas import CompanyUpdate
from app.companies.service import update_company
from app.matching import Criteria, match
from app.search import catalogue_cache
from app.search.catalogue_cache import CatalogueCache, build_snapshot
from app.search.repository import catalogue_version
from tests.conftest import ADMIN
from tests.factories import create_company

CRITERIA = [
    Criteria(work_kinds=("packaging",), lat=51.5555, lon=5.0913, workers_needed=10),
    Criteria(work_kinds=("production",), lat=51.0543, lon=3.7174, max_distance_km=150,
             start_date=date(2027, 1, 15)),
    Criteria(work_kinds=("cleaning", "green-maintenance"), limit=50,
             preferred_certifications=frozenset({"pso"})),
]


def _results(snapshot: catalogue_cache.Snapshot) -> list[object]:
    return [match(snapshot.catalogue, c) for c in CRITERIA]


def _fresh(session: Session) -> catalogue_cache.Snapshot:
    epoch, version = catalogue_version(session)
    return build_snapshot(session, epoch, version)


@pytest.fixture
def companies(session: Session) -> list[object]:
    return [
        create_company(session, "Werkbedrijf Tilburg", town="Tilburg",
                       kinds={"packaging": 12, "assembly": 4}, certifications=["pso"]),
        create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 30},
                       extra_sites=["Eindhoven"]),
        create_company(session, "Groen Gent", town="Gent",
                       kinds={"green-maintenance": 9, "cleaning": 3}, available_from="2027-02-01"),
        create_company(session, "Slapend", town="Utrecht", status="pending"),
    ]


def test_an_update_is_applied_incrementally_and_equals_a_full_load(
    session: Session, companies: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = CatalogueCache()
    before = cache.get(session)
    assert len(before.catalogue) == 5

    tilburg = companies[0]
    update_company(
        session, tilburg.id,  # type: ignore[attr-defined]
        CompanyUpdate.model_validate({"capabilities": [{"work_kind": "packaging",
                                                         "capacity_workers": 2}]}),
        ADMIN, if_match="*",
    )
    session.commit()

    full_loads: list[int] = []
    real_build = catalogue_cache.build_snapshot
    monkeypatch.setattr(catalogue_cache, "build_snapshot",
                        lambda *a: full_loads.append(1) or real_build(*a))
    after = cache.get(session)

    assert full_loads == []  # applied as an overlay, not reloaded
    assert after.version == before.version + 1
    assert _results(after) == _results(_fresh(session))
    assert _results(after) != _results(before)


def test_many_changes_fall_back_to_a_full_load(session: Session, companies: list[object]
                                               ) -> None:
    cache = CatalogueCache(full_reload_above=1)
    before = cache.get(session)
    create_company(session, "Nieuw A", town="Hasselt")
    create_company(session, "Nieuw B", town="Antwerpen")
    after = cache.get(session)
    assert after.version == before.version + 2
    assert len(after.catalogue) == len(before.catalogue) + 2
    assert _results(after) == _results(_fresh(session))


def test_the_bulk_load_equals_a_build_from_records(session: Session, companies: list[object]
                                                   ) -> None:
    from app.matching import Catalogue
    from app.search.repository import companies_for_matching

    snapshot = _fresh(session)
    records = [catalogue_cache.to_record(c) for c in companies_for_matching(session)]
    from_records = Catalogue.build(records, snapshot.taxonomy)
    assert [match(from_records, c) for c in CRITERIA] == _results(snapshot)


def test_an_unchanged_version_reuses_the_snapshot(session: Session, companies: list[object]
                                                  ) -> None:
    cache = CatalogueCache()
    assert cache.get(session) is cache.get(session)
