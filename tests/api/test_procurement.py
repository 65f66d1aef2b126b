"""Procurement over HTTP: PSO level and target-group share on the profile (eligibility derived,
never set), reserved contracts and a minimum PSO level in criteria, and social return in the
answer of a match and a stored request."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.matching.procurement import rules
from tests.conftest import auth, make_key
from tests.factories import company_profile, create_company

PROBLEM = "application/problem+json"
PSO = {"level": "trede-2", "certified_on": "2026-03-01"}
SHARE = {"share_percent": 42.5, "stated_on": "2026-11-01"}
TILBURG = {"place": "Tilburg", "country": "NL"}
PER_WORKER = rules().default.annual_value_per_worker_eur


def errors(r: httpx.Response) -> list[tuple[str, str]]:
    assert r.headers["content-type"].startswith(PROBLEM), r.text
    return [(e["field"], e["code"]) for e in r.json()["errors"]]


def match(client: httpx.Client, language: str = "en", **criteria: Any) -> dict[str, Any]:
    criteria.setdefault("work_kinds", ["packaging"])
    criteria.setdefault("location", TILBURG)
    r = client.post("/v1/match", json=criteria, headers={"Accept-Language": language})
    assert r.status_code == 200, r.text
    return r.json()


def names(answer: dict[str, Any]) -> list[str]:
    return [m["company"]["name"] for m in answer["matches"]]


def cast(session: Session) -> None:
    """Eligible (PSO step 2, 45%), exactly 30% without PSO, PSO 30+ at 29.9%, nothing stated."""
    create_company(session, "Eligible", kinds={"packaging": 2},
                   pso=PSO, target_group={"share_percent": 45, "stated_on": "2026-11-01"})
    create_company(session, "Exactly thirty", town="Breda", kinds={"packaging": 3},
                   target_group={"share_percent": 30, "stated_on": "2026-10-01"})
    create_company(session, "Just below", town="Eindhoven", kinds={"packaging": 50},
                   pso={"level": "30-plus", "certified_on": "2025-06-30"},
                   target_group={"share_percent": 29.9, "stated_on": "2026-10-01"})
    create_company(session, "Nothing stated", town="Utrecht")


# --- the profile -------------------------------------------------------------------------------


def test_a_profile_carries_pso_and_share_and_derives_eligibility(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    r = client.post("/v1/companies", headers=admin_headers,
                    json=company_profile("Werkbedrijf PSO", pso=PSO, target_group=SHARE))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["pso"] == PSO
    assert body["target_group"] == SHARE
    assert body["reserved_contract_eligible"] is True
    read = client.get(f"/v1/companies/{body['id']}")
    assert read.status_code == 200
    assert {k: read.json()[k] for k in ("pso", "target_group", "reserved_contract_eligible")} == {
        "pso": PSO, "target_group": SHARE, "reserved_contract_eligible": True}

    plain = client.post("/v1/companies", headers=admin_headers,
                        json=company_profile("Werkbedrijf Zonder")).json()
    assert (plain["pso"], plain["target_group"], plain["reserved_contract_eligible"]) == (
        None, None, False)


def test_a_company_changes_its_own_facts_and_eligibility_follows(
    client: httpx.Client, session: Session
) -> None:
    company = create_company(session, "Werkbedrijf", target_group=SHARE)
    headers = auth(make_key(session, Role.company, company_id=company.id))
    before = client.get(f"/v1/companies/{company.id}", headers=headers)
    assert before.json()["reserved_contract_eligible"] is True

    r = client.patch(f"/v1/companies/{company.id}", headers={
        **headers, "If-Match": before.headers["etag"]},
        json={"target_group": {"share_percent": 12, "stated_on": "2026-12-01"}, "pso": PSO})
    assert r.status_code == 200, r.text
    assert r.json()["reserved_contract_eligible"] is False
    assert r.json()["pso"] == PSO

    cleared = client.patch(f"/v1/companies/{company.id}", headers={
        **headers, "If-Match": r.headers["etag"]}, json={"pso": None, "target_group": None})
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["pso"], cleared.json()["target_group"]) == (None, None)
    assert cleared.json()["reserved_contract_eligible"] is False


def test_eligibility_is_never_set_by_a_client(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    r = client.post("/v1/companies", headers=admin_headers, json=company_profile(
        "Werkbedrijf", reserved_contract_eligible=True))
    assert r.status_code == 422
    assert errors(r) == [("reserved_contract_eligible", "unknown_field")]
    company = create_company(session)
    before = client.get(f"/v1/companies/{company.id}", headers=admin_headers)
    r = client.patch(f"/v1/companies/{company.id}", headers={
        **admin_headers, "If-Match": before.headers["etag"]},
        json={"reserved_contract_eligible": True})
    assert r.status_code == 422
    assert errors(r) == [("reserved_contract_eligible", "unknown_field")]


@pytest.mark.parametrize(("facts", "expected"), [
    ({"pso": {"level": "trede-4", "certified_on": "2026-01-01"}}, [("pso.level", "not_allowed")]),
    ({"pso": {"level": "trede-1"}}, [("pso.certified_on", "required")]),
    ({"target_group": {"share_percent": 101, "stated_on": "2026-01-01"}},
     [("target_group.share_percent", "too_large")]),
    ({"target_group": {"share_percent": -1, "stated_on": "2026-01-01"}},
     [("target_group.share_percent", "too_small")]),
    ({"target_group": {"share_percent": True, "stated_on": "2026-01-01"}},
     [("target_group.share_percent", "not_number")]),
    ({"target_group": {"share_percent": 40}}, [("target_group.stated_on", "required")]),
])
def test_invalid_facts_are_refused_by_field(
    client: httpx.Client, admin_headers: dict[str, str], facts: dict[str, Any],
    expected: list[tuple[str, str]],
) -> None:
    r = client.post("/v1/companies", headers=admin_headers,
                    json=company_profile("Werkbedrijf", **facts))
    assert r.status_code == 422
    assert errors(r) == expected


# --- criteria ----------------------------------------------------------------------------------


def test_a_reserved_contract_matches_only_eligible_companies(
    client: httpx.Client, session: Session
) -> None:
    cast(session)
    assert sorted(names(match(client))) == [
        "Eligible", "Exactly thirty", "Just below", "Nothing stated"]
    answer = match(client, reserved_contract=True)
    assert names(answer) == ["Eligible", "Exactly thirty"]
    assert answer["total_candidates"] == 2
    first = answer["matches"][0]
    assert first["reserved_contract_eligible"] is True and first["pso_level"] == "trede-2"
    (why,) = [e for e in first["explanation"] if e["criterion"] == "reserved_contract"]
    assert why["weight"] == 0 and why["detail"] == (
        "May take part in a reserved contract (res-ws): 45% target-group workers "
        "(stated on 1 November 2026), 30% or more needed.")
    dutch = match(client, "nl", reserved_contract=True)["matches"][0]
    (waarom,) = [e for e in dutch["explanation"] if e["criterion"] == "reserved_contract"]
    assert waarom["detail"].startswith("Mag meedoen aan een voorbehouden opdracht (res-ws)")


def test_a_minimum_pso_level_matches_that_level_and_above(
    client: httpx.Client, session: Session
) -> None:
    cast(session)
    answer = match(client, min_pso_level="trede-2")
    assert sorted(names(answer)) == ["Eligible", "Just below"]
    just_below = next(m for m in answer["matches"] if m["company"]["name"] == "Just below")
    (why,) = [e for e in just_below["explanation"] if e["criterion"] == "pso_level"]
    assert why["detail"] == "PSO 30+, certified on 30 June 2025; at least PSO step 2 asked."
    assert names(match(client, min_pso_level="30-plus")) == ["Just below"]
    r = client.post("/v1/match", json={"work_kinds": ["packaging"], "min_pso_level": "gold"})
    assert r.status_code == 422
    assert errors(r) == [("min_pso_level", "not_allowed")]


def test_a_profile_change_is_seen_by_the_next_reserved_match(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, "Groeiend")
    assert names(match(client, reserved_contract=True)) == []
    before = client.get(f"/v1/companies/{company.id}", headers=admin_headers)
    client.patch(f"/v1/companies/{company.id}", headers={
        **admin_headers, "If-Match": before.headers["etag"]}, json={"target_group": SHARE})
    assert names(match(client, reserved_contract=True)) == ["Groeiend"]


# --- social return -----------------------------------------------------------------------------


def test_two_million_at_five_percent_states_100000_and_what_each_could_cover(
    client: httpx.Client, session: Session
) -> None:
    cast(session)
    answer = match(client, social_return={"contract_value_eur": 2_000_000, "percentage": 5})
    stake = answer["social_return"]
    assert stake["amount_at_stake_eur"] == 100_000
    assert (stake["contract_value_eur"], stake["percentage"]) == (2_000_000, 5)
    assert stake["region"] == "default" and stake["rules_verified"] is False
    assert stake["explanation"] == (
        "€100,000 of social return at stake: 5% of a contract value of €2,000,000 "
        "(counting rules: National default (building blocks)).")
    covers = {m["company"]["name"]: m["social_return"] for m in answer["matches"]}
    eligible = covers["Eligible"]  # 2 people for packaging
    assert eligible["could_cover_eur"] == 2 * PER_WORKER
    assert eligible["workers"] == 2
    assert eligible["counting_rule"] == "sheltered-work" and eligible["counted_percent"] == 100
    assert eligible["share_of_obligation"] == round(2 * PER_WORKER / 100_000, 4)
    assert eligible["detail"].startswith(f"Could cover an estimated €{2 * PER_WORKER:,.0f} "
                                         "of the €100,000: 2 workers")
    assert covers["Just below"]["could_cover_eur"] == 100_000  # 50 people: capped
    assert covers["Just below"]["share_of_obligation"] == 1.0

    dutch = match(client, "nl", social_return={"contract_value_eur": 2_000_000, "percentage": 5})
    assert dutch["social_return"]["explanation"].startswith(
        "€ 100.000 aan social return staat op het spel: 5% van een opdrachtwaarde van "
        "€ 2.000.000")
    assert dutch["matches"][0]["social_return"]["detail"].startswith("Kan naar schatting")


def test_workers_needed_caps_the_estimate_and_consortia_cover_together(
    client: httpx.Client, session: Session
) -> None:
    create_company(session, "Klein A", kinds={"packaging": 3})
    create_company(session, "Klein B", town="Breda", kinds={"packaging": 4})
    answer = match(client, workers_needed=6, social_return={"amount_eur": 1_000_000})
    assert answer["social_return"]["amount_at_stake_eur"] == 1_000_000
    assert answer["social_return"]["contract_value_eur"] is None
    assert {m["social_return"]["workers"] for m in answer["matches"]} == {3, 4}
    (pair,) = answer["consortia"]
    together = pair["social_return"]
    assert together["workers"] == 6  # counted until the need is met
    assert together["could_cover_eur"] == 6 * PER_WORKER
    assert together["counting_rule"] == "sheltered-work"
    assert together["detail"].startswith("Could cover an estimated")


def test_the_region_follows_the_place_or_is_named(
    client: httpx.Client, session: Session
) -> None:
    create_company(session, "Rijnmond", town="Breda", kinds={"packaging": 1},
                   pso={"level": "trede-3", "certified_on": "2026-01-01"})
    create_company(session, "Zonder PSO", town="Breda", kinds={"packaging": 1})
    asked = {"contract_value_eur": 500_000, "percentage": 5, "region": "rotterdam"}
    answer = match(client, location={"place": "Breda", "country": "NL"}, social_return=asked)
    assert answer["social_return"]["region"] == "rotterdam"
    covers = {m["company"]["name"]: m["social_return"] for m in answer["matches"]}
    assert covers["Rijnmond"]["counting_rule"] == "pso"
    assert covers["Rijnmond"]["pso_level"] == "trede-3"
    assert covers["Zonder PSO"]["counted_percent"] == 70
    assert covers["Zonder PSO"]["could_cover_eur"] == round(PER_WORKER * 0.7, 2)
    by_place = match(client, location={"place": "Rotterdam", "country": "NL"},
                     social_return={"amount_eur": 10_000})
    assert by_place["social_return"]["region"] == "rotterdam"


@pytest.mark.parametrize(("social_return", "expected"), [
    ({"contract_value_eur": 2_000_000}, [("social_return", "social_return_form")]),
    ({"percentage": 5}, [("social_return", "social_return_form")]),
    ({}, [("social_return", "social_return_form")]),
    ({"contract_value_eur": 1, "percentage": 5, "amount_eur": 5},
     [("social_return", "social_return_form")]),
    ({"amount_eur": 0}, [("social_return.amount_eur", "must_be_above")]),
    ({"contract_value_eur": 100, "percentage": 101},
     [("social_return.percentage", "too_large")]),
    ({"amount_eur": 10, "region": "atlantis"}, [("social_return.region", "unknown_region")]),
    ({"amount_eur": 10, "share": 5}, [("social_return.share", "unknown_field")]),
])
def test_an_invalid_obligation_is_refused_by_field(
    client: httpx.Client, social_return: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    r = client.post("/v1/match", json={"work_kinds": ["packaging"],
                                       "social_return": social_return})
    assert r.status_code == 422
    assert errors(r) == expected


def test_a_stored_request_keeps_the_procurement_criteria(
    client: httpx.Client, session: Session
) -> None:
    cast(session)
    owner = make_key(session, Role.entrepreneur)
    criteria = {"work_kinds": ["packaging"], "location": TILBURG, "reserved_contract": True,
                "min_pso_level": "trede-1",
                "social_return": {"contract_value_eur": 2_000_000, "percentage": 5}}
    r = client.post("/v1/requests", headers=auth(owner), json={
        "title": "Inpakken voor de gemeente", "criteria": criteria})
    assert r.status_code == 201, r.text
    stored = r.json()["criteria"]
    assert (stored["reserved_contract"], stored["min_pso_level"]) == (True, "trede-1")
    assert stored["social_return"]["contract_value_eur"] == 2_000_000
    found = client.get(f"/v1/requests/{r.json()['id']}/matches", headers=auth(owner))
    assert found.status_code == 200, found.text
    assert names(found.json()) == ["Eligible"]
    assert found.json()["social_return"]["amount_at_stake_eur"] == 100_000
    bad = client.post("/v1/requests", headers=auth(owner), json={
        "title": "x", "criteria": {**criteria, "social_return": {"percentage": 5}}})
    assert bad.status_code == 422
    assert errors(bad) == [("criteria.social_return", "social_return_form")]
