"""Two-way profiles, organisations, partnerships, networks, the reverse search and the
map near a place, over HTTP on a real database."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import ApiKey, OutboxMessage, WebhookEndpoint, utcnow
from tests.conftest import auth, make_key
from tests.factories import create_company


def _org(client: httpx.Client, headers: dict[str, str], name: str = "Werkgevers Utrecht",
         place: str = "Utrecht", **extra: Any) -> dict[str, Any]:
    r = client.post("/v1/organisations", headers=headers, json={
        "name": name, "kind": "employers-cooperative",
        "location": {"place": place, "country": "NL"}, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_reverse_search_finds_the_company_that_seeks_engineering(
    client: httpx.Client, session: Session
) -> None:
    near = create_company(session, "Werkbedrijf Amersfoort", town="Amsterdam")
    far = create_company(session, "Werkbedrijf Groningen", town="Groningen")
    other = create_company(session, "Werkbedrijf HR", town="Hilversum")
    for company, expertise in ((near, "engineering"), (far, "engineering"), (other, "hr")):
        key = make_key(session, Role.company, company_id=company.id)
        r = client.put(f"/v1/companies/{company.id}/exchange", headers=auth(key), json={
            "offers": {"expertise": ["hr"]},
            "seeks": {"expertise": [expertise],
                      "materials": [{"code": "textile", "quantity": 2, "unit": "tonnes",
                                     "period": "month"}]}})
        assert r.status_code == 200, r.text
    r = client.post("/v1/reverse-match", json={
        "offers": {"expertise": ["engineering"]},
        "location": {"place": "Utrecht", "country": "NL"}, "max_distance_km": 100})
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [m["id"] for m in body["matches"]]
    assert ids == [str(near.id)]
    match = body["matches"][0]
    assert match["type"] == "company"
    assert {e["criterion"] for e in match["explanation"]} == {"expertise", "distance"}
    assert match["seeks"]["materials"][0] == {"code": "textile", "quantity": 2.0,
                                              "unit": "tonnes", "period": "month",
                                              "note": None}
    # Without the cut-off the far one comes second.
    r = client.post("/v1/reverse-match", json={
        "offers": {"expertise": ["engineering"]}, "location": {"place": "Utrecht"}})
    assert [m["id"] for m in r.json()["matches"]][:2] == [str(near.id), str(far.id)]


def test_an_offer_of_nothing_is_refused(client: httpx.Client) -> None:
    r = client.post("/v1/reverse-match", json={"offers": {}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "offer_required"


def test_an_organisation_profile_is_public_and_managed_by_its_creator(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    org = _org(client, entrepreneur_headers, offers={"expertise": ["engineering"]},
               seeks={"work_kinds": ["packaging"]})
    assert org["place"] == "Utrecht" and org["can_edit"] is True
    assert org["offers"]["expertise"] == ["engineering"]
    public = client.get(f"/v1/organisations/{org['id']}").json()
    assert public["can_edit"] is False and public["seeks"]["work_kinds"] == ["packaging"]
    stranger = auth(make_key(session, Role.entrepreneur))
    r = client.patch(f"/v1/organisations/{org['id']}", headers=stranger, json={"name": "X"})
    assert r.status_code == 404
    r = client.patch(f"/v1/organisations/{org['id']}", headers=entrepreneur_headers,
                     json={"name": "Werkgeverscoöperatie Utrecht"})
    assert r.status_code == 200 and r.json()["name"] == "Werkgeverscoöperatie Utrecht"
    r = client.post("/v1/organisations", headers=entrepreneur_headers, json={
        "name": "Nergens", "kind": "startup", "location": {"place": "Xyzzyville"}})
    assert r.status_code == 422


def _partner_hook(session: Session) -> WebhookEndpoint:
    partner = make_key(session, Role.partner)
    owner = session.scalars(select(ApiKey).where(ApiKey.role == "partner")).all()[-1].owner_id
    endpoint = WebhookEndpoint(id=uuid.uuid4(), owner_id=owner, url="https://8.8.8.8/hook",
                               events=["partnership.confirmed"], secret="s" * 40, active=True,
                               created_at=utcnow())
    session.add(endpoint)
    session.commit()
    assert partner
    return endpoint


def test_a_partnership_is_public_only_once_both_sides_confirmed(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    endpoint = _partner_hook(session)
    partner = auth(make_key(session, Role.partner))
    start = client.get("/v1/changes/relations", headers=partner).json()["next_after"]
    company = create_company(session, "Werkbedrijf Partner", town="Hilversum")
    company_key = auth(make_key(session, Role.company, company_id=company.id))
    org = _org(client, entrepreneur_headers, place="Hilversum")
    r = client.post("/v1/partnerships", headers=entrepreneur_headers, json={
        "organisation_id": org["id"], "company_id": str(company.id),
        "kind": "full-partnership", "since": "2024-03-01",
        "to_company": [{"facet": "expertise", "code": "engineering"}],
        "to_organisation": [{"facet": "work_kind", "code": "green-maintenance"},
                            {"facet": "expertise", "code": "hr", "note": "HR-advies"}]})
    assert r.status_code == 201, r.text
    proposed = r.json()
    assert proposed["status"] == "proposed"
    assert (proposed["organisation_confirmed"], proposed["company_confirmed"]) == (True, False)
    pid = proposed["id"]

    def public_partners() -> tuple[list[str], list[str], list[str]]:
        on_company = client.get(f"/v1/companies/{company.id}/exchange").json()["partners"]
        on_org = client.get(f"/v1/organisations/{org['id']}").json()["partners"]
        listed = client.get("/v1/partnerships", params={"company_id": str(company.id)}).json()
        return ([p["partnership_id"] for p in on_company], [p["partnership_id"] for p in on_org],
                [p["id"] for p in listed["items"]])

    # Confirmed by one side: nowhere to be seen, not even by id.
    assert public_partners() == ([], [], [])
    assert client.get(f"/v1/partnerships/{pid}").status_code == 404
    assert client.get("/v1/changes/relations", headers=partner,
                      params={"after": start}).json()["items"][-1]["subject"] == "organisation"
    # The company sees it and confirms.
    mine = client.get("/v1/partnerships", headers=company_key).json()["items"]
    assert [(p["id"], p["your_side"]) for p in mine] == [(pid, ["company"])]
    r = client.post(f"/v1/partnerships/{pid}/confirm", headers=company_key)
    assert r.status_code == 200 and r.json()["status"] == "active"
    assert public_partners() == ([pid], [pid], [pid])
    shown = client.get(f"/v1/companies/{company.id}/exchange").json()["partners"][0]
    assert shown["partner"]["name"] == "Werkgevers Utrecht"
    assert [f["code"] for f in shown["to_organisation"]] == ["green-maintenance", "hr"]
    assert [f["code"] for f in shown["to_company"]] == ["engineering"]
    # One webhook, one feed entry.
    session.expire_all()
    sent = session.scalars(select(OutboxMessage).where(
        OutboxMessage.endpoint_id == endpoint.id)).all()
    assert [m.event_type for m in sent] == ["partnership.confirmed"]
    assert sent[0].payload["data"]["partnership_id"] == pid
    feed = client.get("/v1/changes/relations", headers=partner, params={"after": start}).json()
    assert [(i["subject"], i["state"]) for i in feed["items"]] == [
        ("organisation", "active"), ("partnership", "active")]
    # Confirming again changes nothing; either side ends it and it is gone.
    assert client.post(f"/v1/partnerships/{pid}/confirm", headers=company_key).status_code == 200
    r = client.post(f"/v1/partnerships/{pid}/end", headers=entrepreneur_headers)
    assert r.status_code == 200 and r.json()["status"] == "ended"
    assert public_partners() == ([], [], [])
    assert client.post(f"/v1/partnerships/{pid}/confirm",
                       headers=company_key).status_code == 409


def test_a_full_partnership_names_both_directions(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    company = create_company(session, "Werkbedrijf Vol")
    org = _org(client, entrepreneur_headers)
    r = client.post("/v1/partnerships", headers=entrepreneur_headers, json={
        "organisation_id": org["id"], "company_id": str(company.id),
        "kind": "full-partnership",
        "to_organisation": [{"facet": "work_kind", "code": "green-maintenance"}]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "needs_both_directions"
    r = client.post("/v1/partnerships", headers=entrepreneur_headers, json={
        "organisation_id": org["id"], "company_id": str(company.id), "kind": "customer",
        "to_company": [{"facet": "material", "code": "unobtainium"}]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "unknown_flow"


def test_a_recorded_outcome_becomes_a_partnership(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    company = create_company(session, "Werkbedrijf Gekozen", town="Breda")
    r = client.post("/v1/requests", headers=entrepreneur_headers, json={
        "title": "Inpakken", "contact": {"name": "Sanne", "email": "sanne@example.org"},
        "criteria": {"work_kinds": ["packaging"], "location": {"place": "Breda"}}})
    request_id = r.json()["id"]
    assert client.post(f"/v1/requests/{request_id}/publish",
                       headers=entrepreneur_headers).status_code == 200
    org = _org(client, entrepreneur_headers, place="Breda")
    body = {"organisation_id": org["id"], "company_id": str(company.id), "kind": "customer",
            "request_id": request_id}
    r = client.post("/v1/partnerships", headers=entrepreneur_headers, json=body)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "not_chosen"
    r = client.post(f"/v1/requests/{request_id}/outcome", headers=entrepreneur_headers,
                    json={"company_ids": [str(company.id)]})
    assert r.status_code == 200, r.text
    r = client.post("/v1/partnerships", headers=entrepreneur_headers, json=body)
    assert r.status_code == 201 and r.json()["request_id"] == request_id
    assert client.post("/v1/partnerships", headers=entrepreneur_headers,
                       json=body).status_code == 409


def test_a_network_near_a_place_shows_on_the_map_with_partners(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    company = create_company(session, "Werkbedrijf Gooi", town="Hilversum")
    company_key = auth(make_key(session, Role.company, company_id=company.id))
    org = _org(client, entrepreneur_headers, name="Coöperatie 35 werkgevers", place="Hilversum")
    r = client.post("/v1/partnerships", headers=admin_headers, json={
        "organisation_id": org["id"], "company_id": str(company.id),
        "kind": "cooperative-member"})
    assert r.status_code == 201 and r.json()["status"] == "active"
    r = client.post("/v1/networks", headers=company_key, json={
        "name": "Lokaal netwerk Gooi", "goal": "Samen werk maken",
        "location": {"place": "Hilversum", "country": "NL"},
        "members": [{"organisation_id": org["id"]}]})
    assert r.status_code == 201, r.text
    network = r.json()
    assert [(m["member"]["name"], m["role"]) for m in network["members"]] == [
        ("Werkbedrijf Gooi", "coordinator"), ("Coöperatie 35 werkgevers", "member")]
    r = client.get("/v1/nearby", params={"place": "Hilversum", "radius_km": 10})
    assert r.status_code == 200, r.text
    near = r.json()
    gooi = next(c for c in near["companies"] if c["id"] == str(company.id))
    assert [p["partner"]["name"] for p in gooi["partners"]] == ["Coöperatie 35 werkgevers"]
    assert [n["name"] for n in gooi["networks"]] == ["Lokaal netwerk Gooi"]
    assert network["id"] in [n["id"] for n in near["networks"]]
    assert org["id"] in [o["id"] for o in near["organisations"]]
    for unknown in ("Xyzzyville", "0" * 100, "0000 AA"):
        r = client.get("/v1/nearby", params={"place": unknown})
        assert r.status_code == 422, (unknown, r.text)
        assert [(e["field"], e["location"]) for e in r.json()["errors"]] == [("place", "query")]
    # Members come and go; a member twice is 409.
    r = client.post(f"/v1/networks/{network['id']}/members", headers=company_key,
                    json={"organisation_id": org["id"]})
    assert r.status_code == 409
    member = network["members"][1]["id"]
    assert client.delete(f"/v1/networks/{network['id']}/members/{member}",
                         headers=company_key).status_code == 204


def test_the_reverse_search_explains_in_the_language_asked_for(
    client: httpx.Client, session: Session
) -> None:
    company = create_company(session, "Werkbedrijf Taal", town="Utrecht")
    key = make_key(session, Role.company, company_id=company.id)
    client.put(f"/v1/companies/{company.id}/exchange", headers=auth(key),
               json={"seeks": {"expertise": ["engineering", "legal"]}})
    body = {"offers": {"expertise": ["engineering"]}, "location": {"place": "Utrecht"}}
    details = {}
    for lang in ("nl", "en", "fr"):
        r = client.post("/v1/reverse-match", json=body, headers={"Accept-Language": lang})
        details[lang] = [e["detail"] for e in r.json()["matches"][0]["explanation"]]
    assert details["nl"][0] == "zoekt engineering; zoekt ook juridische kennis"
    assert details["en"][0] == "seeks engineering; also seeks legal expertise"
    assert details["fr"][0] == "cherche ingénierie ; cherche aussi expertise juridique"
    assert details["nl"][1].endswith("km hiervandaan")
