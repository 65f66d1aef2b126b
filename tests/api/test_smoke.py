from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from tests.factories import create_company


def test_health(client: httpx.Client) -> None:
    assert client.get("/health/live").json() == {"status": "ok"}
    assert client.get("/health/ready").status_code == 200


def test_match_sees_factory_company(client: httpx.Client, session: Session) -> None:
    company = create_company(session, "Werkbedrijf Tilburg", town="Tilburg")
    r = client.post("/v1/match", json={"work_kinds": ["packaging"],
                                        "location": {"place": "Breda", "country": "NL"}})
    assert r.status_code == 200, r.text
    assert [m["company"]["id"] for m in r.json()["matches"]] == [str(company.id)]
