"""Consortia from stored profiles: through the search to the answer's `consortia`."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.orm import Session

from app.config import MatchWeights, Settings
from app.consortia.proposer import MAX_CANDIDATES
from app.matching.engine import match
from app.search.catalogue import CatalogueCache
from app.search.inputs import engine_criteria, engine_params, engine_weights, resolve_location
from app.search.schemas import MatchCriteria
from app.search.service import search
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
    (only,) = search(session, CatalogueCache(), settings, criteria).consortia
    assert [m.name for m in only.members] == ["Tilburg", "Breda"]
    assert only.total_capacity == 21
    assert only.shared_kinds == ("packaging",)
    assert only.largest_distance_km is not None and 20 < only.largest_distance_km < 30

    # Without the distance limit Groningen alone suffices: no consortia.
    wide = criteria.model_copy(update={"max_distance_km": None})
    assert search(session, CatalogueCache(), settings, wide).consortia == []
    no_need = criteria.model_copy(update={"workers_needed": None})
    assert search(session, CatalogueCache(), settings, no_need).consortia == []


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
    assert "together offer 21 of the 20 people asked" in consortium["explanation"]
    body["workers_needed"] = 5
    assert client.post("/v1/match", json=body).json()["consortia"] == []


@pytest.mark.parametrize("capacity_weight", [0.2, 0.0])
def test_the_answer_is_the_plain_match_and_capacity_is_known_to_the_consortia(
    session: Session, settings: Settings, capacity_weight: float
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
    result = search(session, cache, settings, criteria)
    assert criteria.location is not None
    top = match(
        cache.get(session).catalogue,
        engine_criteria(criteria, resolve_location(criteria.location), limit=2),
        engine_weights(settings),
        engine_params(settings),
    )
    assert [f.match for f in result.found] == list(top.matches)
    # Even with capacity not weighed, the consortia know each member's people.
    assert result.consortia
    assert all(m.capacity_workers > 0 for c in result.consortia for m in c.members)


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
    result = search(session, CatalogueCache(), settings, criteria)
    names = [f.card.company_name for f in result.found]
    assert names.index("Groot") >= MAX_CANDIDATES  # in the answer, past the pool
    assert result.consortia
    pool = set(names[:MAX_CANDIDATES])
    assert all(m.name in pool for c in result.consortia for m in c.members)
