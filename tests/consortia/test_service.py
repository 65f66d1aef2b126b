"""consortia_for: from stored profiles through the engine to the answer's `consortia`."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from app.config import Settings
from app.consortia.service import consortia_for
from app.search.catalogue_cache import CatalogueCache
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
