"""consortia_for: from stored profiles through the engine to the answer's `consortia`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.config import MatchWeights, Settings
from app.consortia import service as consortia_service
from app.consortia.proposer import MAX_CANDIDATES
from app.consortia.service import consortia_for
from app.matching import Criteria, MatchResult, match
from app.search import service as search_service
from app.search.catalogue_cache import CatalogueCache
from app.search.inputs import engine_criteria, engine_params, engine_weights, resolve_location
from app.search.schemas import MatchCriteria
from tests.factories import create_company


def test_companies_together_cover_what_none_can_alone(
    session: Session, settings: Settings
) -> None:
    create_company(session, "Tilburg", town="Tilburg", kinds={"packaging": 12, "assembly": 4})
    create_company(session, "Breda", town="Breda", kinds={"packaging": 9})
    create_company(session, "Groningen", town="Groningen", kinds={"packaging": 40}, radius=400)
    criteria = MatchCriteria.model_validate({
        "work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"},
        "max_distance_km": 60, "workers_needed": 20,
    })
    (only,) = consortia_for(session, CatalogueCache(), settings, criteria, lang="en")
    assert [m.name for m in only.members] == ["Tilburg", "Breda"]
    assert only.total_capacity == 21 and only.workers_needed == 20
    assert only.shared_kinds == ["packaging"]
    assert only.largest_distance_km is not None and 20 < only.largest_distance_km < 30
    assert "together offer 21" in only.explanation

    # Without the distance limit Groningen alone suffices: no consortia.
    wide = criteria.model_copy(update={"max_distance_km": None})
    assert consortia_for(session, CatalogueCache(), settings, wide, lang="en") == []
    no_need = criteria.model_copy(update={"workers_needed": None})
    assert consortia_for(session, CatalogueCache(), settings, no_need, lang="en") == []


def test_match_answers_carry_consortia(client: httpx.Client, session: Session) -> None:
    create_company(session, "Tilburg", town="Tilburg", kinds={"packaging": 12})
    create_company(session, "Breda", town="Breda", kinds={"packaging": 9})
    body = {"work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"},
            "max_distance_km": 60, "workers_needed": 20}
    answer = client.post("/v1/match", json=body).json()
    assert len(answer["matches"]) == 2
    (consortium,) = answer["consortia"]
    assert [m["name"] for m in consortium["members"]] == ["Tilburg", "Breda"]
    assert consortium["total_capacity"] == 21
    body["workers_needed"] = 5
    assert client.post("/v1/match", json=body).json()["consortia"] == []


def _count_engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The limit of every engine run `run_match` makes, itself or for the consortia (the real
    engine still answers)."""
    limits: list[int] = []

    def counted(catalogue: Any, criteria: Criteria, *args: Any, **kwargs: Any) -> MatchResult:
        limits.append(criteria.limit)
        return match(catalogue, criteria, *args, **kwargs)

    monkeypatch.setattr(search_service, "match", counted)
    monkeypatch.setattr(consortia_service, "match", counted)
    return limits


@pytest.mark.parametrize("capacity_weight", [0.2, 0.0])
def test_the_answer_and_its_consortia_share_one_engine_run(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch, capacity_weight: float
) -> None:
    for town, workers in [("Tilburg", 12), ("Breda", 9), ("Eindhoven", 8), ("Utrecht", 7)]:
        create_company(session, town, town=town, kinds={"packaging": workers}, radius=200)
    settings = settings.model_copy(
        update={"match_weights": MatchWeights(capacity=capacity_weight)}
    )
    criteria = MatchCriteria.model_validate({
        "work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"},
        "workers_needed": 20, "limit": 2,
    })
    cache = CatalogueCache()
    runs = _count_engine_runs(monkeypatch)
    answer = search_service.run_match(session, cache, settings, criteria, lang="en")

    # With capacity weighed, the answer's weights are the consortia's: one wider run serves
    # both. Capacity at weight 0 must still be scored for the consortia: a second run.
    assert runs == ([MAX_CANDIDATES] if capacity_weight else [2, MAX_CANDIDATES])
    assert criteria.location is not None
    top = match(
        cache.get(session).catalogue,
        engine_criteria(criteria, resolve_location(criteria.location), limit=2),
        engine_weights(settings),
        engine_params(settings),
    )
    assert [str(m.company.id) for m in answer.matches] == [m.company_id for m in top.matches]
    assert [m.score for m in answer.matches] == [m.score for m in top.matches]
    assert answer.consortia
    assert answer.consortia == consortia_for(session, cache, settings, criteria, lang="en")


def test_a_company_past_the_consortium_pool_does_not_hide_the_consortia(
    session: Session, settings: Settings
) -> None:
    # The consortia choose among the first MAX_CANDIDATES matches. With a longer answer, a
    # company further down that alone has the capacity must not take them away.
    for i in range(MAX_CANDIDATES + 2):
        create_company(session, f"Klein {i:02d}", town="Tilburg", kinds={"packaging": 3})
    create_company(session, "Groot", town="Groningen", kinds={"packaging": 100}, radius=400)
    criteria = MatchCriteria.model_validate({
        "work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"},
        "workers_needed": 5, "limit": 60,
    })
    answer = search_service.run_match(session, CatalogueCache(), settings, criteria, lang="en")
    names = [m.company.name for m in answer.matches]
    assert names.index("Groot") >= MAX_CANDIDATES  # in the answer, past the pool
    assert answer.consortia
    pool = set(names[:MAX_CANDIDATES])
    assert all(m.name in pool for c in answer.consortia for m in c.members)
