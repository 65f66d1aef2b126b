"""The demo's organisations, partnerships and network: loaded once, through the services."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.demo.partners import load_demo_partners
from app.models import Network, Organisation, Partnership
from tests.factories import create_company, create_person


def test_the_demo_shows_a_full_partnership_both_ways_a_network_and_a_seeker_of_engineering(
    client: httpx.Client, session: Session
) -> None:
    companies = [create_company(session, f"Werkbedrijf {town}", town=town)
                 for town in ("Hilversum", "Utrecht", "Eindhoven", "Breda")]
    create_person(session, "ondernemer@loket.example", name="Sanne de Ondernemer")
    assert load_demo_partners(session, [c.id for c in companies]) == 6
    session.commit()
    assert load_demo_partners(session, [c.id for c in companies]) == 0
    assert session.scalar(select(func.count()).select_from(Organisation)) == 6
    assert session.scalar(select(func.count()).select_from(Network)) == 1
    statuses = sorted(session.scalars(select(Partnership.status)))
    assert statuses == ["active"] * 5 + ["proposed"]

    public = client.get("/v1/partnerships", params={"limit": 100}).json()["items"]
    full = [p for p in public if p["kind"] == "full-partnership"]
    assert len(full) == 1 and full[0]["to_company"] and full[0]["to_organisation"]
    assert len(public) == 5
    r = client.post("/v1/reverse-match", json={"offers": {"expertise": ["engineering"]},
                                               "location": {"place": "Utrecht"}})
    assert r.json()["matches"], r.text
    names = {o["name"] for o in client.get("/v1/organisations").json()["items"]}
    assert any("35 werkgevers" in o["description"] for o in
               client.get("/v1/organisations").json()["items"])
    assert "Kringloopwinkel De Tweede Ronde" in names
