"""The per-worker catalogue: bulk load, incremental updates from the change log, and the
guarantee that a profile change is seen by the very next match."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.companies.schemas import CompanyUpdate
from app.companies.service import update_company
from app.matching import Criteria, match
from app.models import Site
from app.search import catalogue_cache, repository
from app.search.catalogue_cache import CatalogueCache, build_snapshot
from app.search.repository import Card, catalogue_version
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


# --- cards: names, places and contacts of matched sites, kept per worker ----------------------


def _sites(session: Session) -> dict[str, uuid.UUID]:
    """site id (as the engine spells it) -> company id, of every site."""
    rows = session.execute(select(Site.id, Site.company_id))
    return {str(site_id): company_id for site_id, company_id in rows}


@pytest.fixture
def card_queries(monkeypatch: pytest.MonkeyPatch) -> list[set[uuid.UUID]]:
    """The site ids of every card query the cache makes (the query itself still runs)."""
    asked: list[set[uuid.UUID]] = []
    real = repository.cards_for

    def counted(session: Session, site_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Card]:
        ids = set(site_ids)
        asked.append(ids)
        return real(session, ids)

    monkeypatch.setattr(repository, "cards_for", counted)
    return asked


def test_cards_are_kept_until_their_company_changes(
    session: Session, companies: list[object], card_queries: list[set[uuid.UUID]]
) -> None:
    cache = CatalogueCache()
    sites = _sites(session)
    first = cache.cards(session, cache.get(session), sites)
    assert {c.company_name for c in first.values()} >= {"Werkbedrijf Tilburg", "Groen Gent"}
    assert cache.cards(session, cache.get(session), sites) == first
    assert len(card_queries) == 1  # the second read came from memory

    tilburg = companies[0]
    update_company(session, tilburg.id,  # type: ignore[attr-defined]
                   CompanyUpdate.model_validate({"name": "Werkbedrijf Tilburg-Noord"}),
                   ADMIN, if_match="*")
    session.commit()
    again = cache.cards(session, cache.get(session), sites)

    renamed = [c for c in again.values() if c.company_id == tilburg.id]  # type: ignore[attr-defined]
    assert renamed and all(c.company_name == "Werkbedrijf Tilburg-Noord" for c in renamed)
    # Only the changed company's sites were read again.
    assert card_queries[1] == {uuid.UUID(s) for s, c in sites.items() if c == tilburg.id}  # type: ignore[attr-defined]


def test_cards_read_for_an_older_snapshot_are_not_kept(
    session: Session, companies: list[object], card_queries: list[set[uuid.UUID]]
) -> None:
    cache = CatalogueCache()
    old = cache.get(session)
    update_company(session, companies[1].id,  # type: ignore[attr-defined]
                   CompanyUpdate.model_validate({"name": "Werkbedrijf Breda-Zuid"}),
                   ADMIN, if_match="*")
    session.commit()
    current = cache.get(session)
    sites = _sites(session)

    # A request that read the old version fetches its cards after another moved the cache on:
    # they may predate a change whose cards were already dropped, so they are not kept.
    cache.cards(session, old, sites)
    cache.cards(session, current, sites)
    assert len(card_queries) == 2
    cache.cards(session, current, sites)
    assert len(card_queries) == 2


def test_a_full_card_store_starts_afresh(
    session: Session, companies: list[object], card_queries: list[set[uuid.UUID]]
) -> None:
    cache = CatalogueCache(max_cards=2)
    sites = list(_sites(session))
    snapshot = cache.get(session)
    cache.cards(session, snapshot, sites[:2])
    cache.cards(session, snapshot, sites[2:4])  # over the bound: the first two are forgotten
    cache.cards(session, snapshot, sites[:2])
    assert len(card_queries) == 3
