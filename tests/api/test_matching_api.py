"""POST /v1/match and stored requests, on real town coordinates: every property of README.md
"How matching behaves", checked through HTTP."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import auth, make_key
from tests.factories import TOWNS, company_profile, create_company

PROBLEM = "application/problem+json"
IN_TILBURG = {"place": "Tilburg", "country": "NL"}


def match(client: httpx.Client, language: str = "en", **criteria: Any) -> dict[str, Any]:
    criteria.setdefault("work_kinds", ["packaging"])
    r = client.post("/v1/match", json=criteria, headers={"Accept-Language": language})
    assert r.status_code == 200, r.text
    return r.json()


def names(answer: dict[str, Any]) -> list[str]:
    return [m["company"]["name"] for m in answer["matches"]]


def component(entry: dict[str, Any], criterion: str) -> dict[str, Any]:
    (item,) = [e for e in entry["explanation"] if e["criterion"] == criterion]
    return item


def by_name(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["company"]["name"]: m for m in answer["matches"]}


# --- hard filters ------------------------------------------------------------------------------


def test_only_active_companies_are_matched(client: httpx.Client, session: Session) -> None:
    create_company(session, "Actief", status="active")
    create_company(session, "Wachtend", status="pending")
    create_company(session, "Gestopt", status="inactive")

    answer = match(client, location=IN_TILBURG)

    assert names(answer) == ["Actief"]
    assert answer["total_candidates"] == 1


def test_required_certification_is_a_hard_filter(client: httpx.Client, session: Session) -> None:
    create_company(session, "Met HACCP", certifications=["haccp", "pso"])
    create_company(session, "Zonder HACCP", certifications=["pso"])
    create_company(session, "Zonder certificaat")

    assert names(match(client, required_certifications=["haccp"])) == ["Met HACCP"]
    assert names(match(client, required_certifications=["haccp", "pso"])) == ["Met HACCP"]
    nobody = match(client, required_certifications=["brcgs"])
    assert nobody == {"matches": [], "total_candidates": 0, "location": None,
                      "consortia": [], "social_return": None}


def test_max_distance_cuts_off_farther_sites(client: httpx.Client, session: Session) -> None:
    for town in ("Tilburg", "Breda", "Eindhoven", "Utrecht", "Antwerpen"):
        create_company(session, f"Werk {town}", town=town)

    answer = match(client, location=IN_TILBURG, max_distance_km=40)

    assert names(answer) == ["Werk Tilburg", "Werk Breda", "Werk Eindhoven"]
    assert all(m["distance_km"] <= 40 for m in answer["matches"])


def test_the_location_must_lie_within_the_sites_service_radius(
    client: httpx.Client, session: Session
) -> None:
    create_company(session, "Breda dichtbij", town="Breda", radius=15)
    create_company(session, "Breda ver", town="Breda", radius=30)
    create_company(session, "Groningen landelijk", town="Groningen", radius=250)
    create_company(session, "Groningen regionaal", town="Groningen", radius=100)

    answer = match(client, location=IN_TILBURG)

    assert names(answer) == ["Breda ver", "Groningen landelijk"]


def test_a_group_matches_every_kind_in_it(client: httpx.Client, session: Session) -> None:
    create_company(session, "Schoonmaker", kinds={"cleaning": 5})
    create_company(session, "Hovenier", kinds={"green-maintenance": 5})
    create_company(session, "Wasserij", kinds={"laundry": 5})
    create_company(session, "Verpakker", kinds={"packaging": 5})

    answer = match(client, work_kinds=["facility"], location=IN_TILBURG)

    assert sorted(names(answer)) == ["Hovenier", "Schoonmaker", "Wasserij"]
    for entry in answer["matches"]:
        assert component(entry, "work_kinds")["score"] == 1.0


def test_a_sibling_kind_alone_does_not_pass(client: httpx.Client, session: Session) -> None:
    create_company(session, "Assembleerder", kinds={"assembly": 50})
    assert match(client, work_kinds=["packaging"])["matches"] == []


def test_a_sibling_kind_earns_partial_credit_next_to_an_asked_kind(
    client: httpx.Client, session: Session
) -> None:
    create_company(session, "Beide", kinds={"packaging": 10, "cleaning": 10})
    create_company(session, "Verwant", kinds={"assembly": 10, "cleaning": 10})
    create_company(session, "Een van twee", kinds={"cleaning": 10})

    answer = match(client, work_kinds=["packaging", "cleaning"], location=IN_TILBURG)

    assert names(answer) == ["Beide", "Verwant", "Een van twee"]
    scores = [component(m, "work_kinds")["score"] for m in answer["matches"]]
    assert scores[0] == 1.0
    assert scores[2] < scores[1] < 1.0
    assert "Assembly" in component(answer["matches"][1], "work_kinds")["detail"]


# --- ranking, all else equal -------------------------------------------------------------------


def test_nearer_ranks_above_farther(client: httpx.Client, session: Session) -> None:
    for town in ("Eindhoven", "Tilburg", "Breda"):
        create_company(session, f"Werk {town}", town=town)

    answer = match(client, location=IN_TILBURG, max_distance_km=100)

    assert names(answer) == ["Werk Tilburg", "Werk Breda", "Werk Eindhoven"]
    scores = [m["score"] for m in answer["matches"]]
    assert scores[0] > scores[1] > scores[2]
    distance_scores = [component(m, "distance")["score"] for m in answer["matches"]]
    assert distance_scores[0] > distance_scores[1] > distance_scores[2]


def test_more_fitting_capacity_ranks_above_less(client: httpx.Client, session: Session) -> None:
    create_company(session, "Klein", kinds={"packaging": 5})
    create_company(session, "Groot", kinds={"packaging": 20})
    create_company(session, "Middel", kinds={"packaging": 10})

    answer = match(client, location=IN_TILBURG, workers_needed=20)

    assert names(answer) == ["Groot", "Middel", "Klein"]
    capacity = [component(m, "capacity")["score"] for m in answer["matches"]]
    assert capacity == [1.0, 0.5, 0.25]
    assert answer["matches"][0]["score"] > answer["matches"][1]["score"]


def test_capacity_beyond_need_earns_no_extra(client: httpx.Client, session: Session) -> None:
    create_company(session, "Genoeg", kinds={"packaging": 10})
    create_company(session, "Ruim", kinds={"packaging": 500})
    scores = {m["company"]["name"]: m["score"]
              for m in match(client, location=IN_TILBURG, workers_needed=10)["matches"]}
    assert scores["Genoeg"] == scores["Ruim"]


def test_more_asked_kinds_covered_ranks_above_fewer(
    client: httpx.Client, session: Session
) -> None:
    create_company(session, "Een soort", kinds={"packaging": 10})
    create_company(session, "Drie soorten",
                   kinds={"packaging": 10, "cleaning": 10, "warehousing": 10})
    create_company(session, "Twee soorten", kinds={"packaging": 10, "cleaning": 10})

    answer = match(client, work_kinds=["packaging", "cleaning", "warehousing"],
                   location=IN_TILBURG)

    assert names(answer) == ["Drie soorten", "Twee soorten", "Een soort"]


def test_availability_by_start_date(client: httpx.Client, session: Session) -> None:
    create_company(session, "Later vrij", available_from="2027-03-01")
    create_company(session, "Op tijd", available_from="2027-01-01")
    create_company(session, "Veel later", available_from="2028-01-01")

    answer = match(client, location=IN_TILBURG, start_date="2027-01-15")

    assert names(answer) == ["Op tijd", "Later vrij", "Veel later"]
    availability = [component(m, "availability")["score"] for m in answer["matches"]]
    assert availability[0] == 1.0
    assert availability[0] > availability[1] > availability[2]


def test_preferred_certifications_rank_but_do_not_filter(
    client: httpx.Client, session: Session
) -> None:
    create_company(session, "Zonder")
    create_company(session, "Met PSO", certifications=["pso"])

    answer = match(client, location=IN_TILBURG, preferred_certifications=["pso"])

    assert names(answer) == ["Met PSO", "Zonder"]
    assert component(answer["matches"][0], "certifications")["score"] == 1.0
    assert component(answer["matches"][1], "certifications")["score"] == 0.0


# --- order, one entry per company, distances ----------------------------------------------------


def test_same_request_twice_gives_identical_json(client: httpx.Client, session: Session) -> None:
    for i, town in enumerate(("Tilburg", "Breda", "Tilburg", "Eindhoven", "Utrecht")):
        create_company(session, f"Werk {i}", town=town, kinds={"packaging": 5 + i})
    criteria = {"work_kinds": ["packaging", "assembly"], "location": IN_TILBURG,
                "workers_needed": 8, "start_date": "2027-02-01"}

    first = client.post("/v1/match", json=criteria)
    second = client.post("/v1/match", json=criteria)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content


def test_ties_are_broken_by_company_id(client: httpx.Client, session: Session) -> None:
    ids = [str(create_company(session, "Tweeling").id) for _ in range(4)]
    answer = match(client, location=IN_TILBURG, workers_needed=10)
    assert [m["company"]["id"] for m in answer["matches"]] == sorted(ids)
    assert len({m["score"] for m in answer["matches"]}) == 1


def test_a_company_appears_once_with_its_nearest_site(
    client: httpx.Client, session: Session
) -> None:
    create_company(session, "Drie vestigingen", town="Eindhoven", extra_sites=["Breda", "Tilburg"])

    answer = match(client, location={"place": "Breda", "country": "NL"})

    assert answer["total_candidates"] == 1
    (entry,) = answer["matches"]
    assert entry["site"]["city"] == "Breda"
    assert entry["site"]["name"] == "Vestiging Breda"
    assert entry["distance_km"] == pytest.approx(0, abs=0.5)


def test_best_site_must_offer_the_asked_kind(client: httpx.Client, session: Session) -> None:
    create_company(session, "Gespreid", town="Groningen", extra_sites=["Breda"], radius=300,
                   capabilities=[
                       {"work_kind": "packaging", "capacity_workers": 5,
                        "sites": ["Hoofdvestiging"]},
                       {"work_kind": "cleaning", "capacity_workers": 5,
                        "sites": ["Vestiging Breda"]},
                   ])

    packaging = match(client, work_kinds=["packaging"], location=IN_TILBURG)["matches"]
    cleaning = match(client, work_kinds=["cleaning"], location=IN_TILBURG)["matches"]

    assert [m["site"]["city"] for m in packaging] == ["Groningen"]
    assert [m["site"]["city"] for m in cleaning] == ["Breda"]
    assert packaging[0]["distance_km"] == pytest.approx(210, abs=5)


@pytest.mark.parametrize(
    ("origin", "town", "km"),
    [("Tilburg", "Breda", 22), ("Tilburg", "Eindhoven", 29), ("Utrecht", "Amsterdam", 35),
     ("Antwerpen", "Gent", 50)],
)
def test_distance_is_great_circle_km(
    client: httpx.Client, session: Session, origin: str, town: str, km: float
) -> None:
    create_company(session, f"Werk {town}", town=town)
    lat, lon, _ = TOWNS[origin]
    (entry,) = match(client, location={"lat": lat, "lon": lon})["matches"]
    assert entry["distance_km"] == pytest.approx(km, abs=2)
    assert entry["site"]["lat"] == TOWNS[town][0]


def test_limit_caps_the_list_and_total_counts_every_candidate(
    client: httpx.Client, session: Session
) -> None:
    for town in ("Tilburg", "Breda", "Eindhoven", "Utrecht", "Antwerpen"):
        create_company(session, f"Werk {town}", town=town)

    answer = match(client, location=IN_TILBURG, limit=2)

    assert names(answer) == ["Werk Tilburg", "Werk Breda"]
    assert answer["total_candidates"] == 5


def test_without_max_distance_far_companies_appear_nearer_first(
    client: httpx.Client, session: Session
) -> None:
    for town in ("Groningen", "Gent", "Breda", "Amsterdam"):
        create_company(session, f"Werk {town}", town=town, radius=300)

    answer = match(client, location=IN_TILBURG)

    assert names(answer) == ["Werk Breda", "Werk Amsterdam", "Werk Gent", "Werk Groningen"]
    distances = [m["distance_km"] for m in answer["matches"]]
    assert distances == sorted(distances)
    assert distances[-1] > 200


def test_without_a_location_there_is_no_distance(client: httpx.Client, session: Session) -> None:
    create_company(session, "Ergens", town="Groningen")
    answer = match(client)
    (entry,) = answer["matches"]
    assert entry["distance_km"] is None
    assert answer["location"] is None
    assert [e["criterion"] for e in entry["explanation"]] == ["work_kinds"]


def test_match_shows_no_contact_persons(client: httpx.Client, session: Session) -> None:
    company = create_company(session, "Openbaar")
    (entry,) = match(client)["matches"]
    assert entry["company"] == {"id": str(company.id), "name": "Openbaar",
                                "email": "info@werkbedrijf.example.org",
                                "phone": "+31135000000", "website": None}


# --- explanation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "criteria"),
    [
        ({}, ["work_kinds", "distance"]),
        ({"workers_needed": 5}, ["work_kinds", "distance", "capacity"]),
        ({"start_date": "2027-01-15"}, ["work_kinds", "distance", "availability"]),
        ({"preferred_certifications": ["pso"]}, ["work_kinds", "distance", "certifications"]),
        ({"workers_needed": 30, "start_date": "2027-01-15", "preferred_certifications":
          ["pso", "vca"], "max_distance_km": 80},
         ["work_kinds", "distance", "capacity", "availability", "certifications"]),
    ],
)
def test_explanation_has_one_item_per_applicable_component(
    client: httpx.Client, session: Session, extra: dict[str, Any], criteria: list[str]
) -> None:
    create_company(session, "Uitleg", town="Breda", certifications=["pso"],
                   kinds={"packaging": 12}, available_from="2027-02-01")

    (entry,) = match(client, location=IN_TILBURG, **extra)["matches"]

    assert [e["criterion"] for e in entry["explanation"]] == criteria
    for item in entry["explanation"]:
        assert set(item) == {"criterion", "score", "weight", "detail"}
        assert 0 <= item["score"] <= 1
        assert 0 < item["weight"] <= 1
        assert item["detail"].strip()
    assert sum(e["weight"] for e in entry["explanation"]) == pytest.approx(1, abs=0.001)
    total = 100 * sum(e["weight"] * e["score"] for e in entry["explanation"])
    assert entry["score"] == pytest.approx(total, abs=0.1)
    assert 0 <= entry["score"] <= 100


def test_explanation_follows_accept_language(client: httpx.Client, session: Session) -> None:
    create_company(session, "Taal", town="Breda", kinds={"packaging": 12},
                   certifications=["pso"])
    criteria = {"location": IN_TILBURG, "max_distance_km": 40, "workers_needed": 10,
                "start_date": "2027-01-15", "preferred_certifications": ["pso"]}

    dutch = client.post("/v1/match", json={"work_kinds": ["packaging"], **criteria},
                        headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    english = client.post("/v1/match", json={"work_kinds": ["packaging"], **criteria},
                          headers={"Accept-Language": "en"})

    assert dutch.headers["content-language"] == "nl"
    assert english.headers["content-language"] == "en"
    assert "accept-language" in dutch.headers["vary"].lower()
    nl = {e["criterion"]: e["detail"] for e in dutch.json()["matches"][0]["explanation"]}
    en = {e["criterion"]: e["detail"] for e in english.json()["matches"][0]["explanation"]}
    assert nl["work_kinds"] == "Biedt Verpakken."
    assert en["work_kinds"] == "Offers Packaging."
    assert "km van de gevraagde locatie" in nl["distance"] and "grens 40 km" in nl["distance"]
    assert "km from the asked location" in en["distance"] and "limit 40 km" in en["distance"]
    assert "12 medewerkers beschikbaar voor Verpakken, 10 nodig" in nl["capacity"]
    assert "12 workers available for Packaging, 10 needed" in en["capacity"]
    assert "15 januari 2027" in nl["availability"]
    assert "15 January 2027" in en["availability"]
    assert nl["certifications"] == "Heeft PSO."
    assert en["certifications"] == "Holds PSO."
    # The scores do not depend on the language.
    strip = [{k: v for k, v in e.items() if k != "detail"}
             for e in dutch.json()["matches"][0]["explanation"]]
    assert strip == [{k: v for k, v in e.items() if k != "detail"}
                     for e in english.json()["matches"][0]["explanation"]]


# --- location forms and validation -------------------------------------------------------------


@pytest.mark.parametrize(
    "location",
    [
        {"postcode": "5038 AB", "country": "NL"},
        {"postcode": "5038", "country": "NL"},
        {"place": "Tilburg", "country": "NL"},
        {"place": "tilburg", "country": "nl"},
        {"lat": TOWNS["Tilburg"][0], "lon": TOWNS["Tilburg"][1]},
    ],
)
def test_location_forms(client: httpx.Client, session: Session, location: dict[str, Any]) -> None:
    create_company(session, "Werk Breda", town="Breda")
    answer = match(client, location=location)
    assert answer["matches"][0]["distance_km"] == pytest.approx(22, abs=2)
    assert answer["location"]["lat"] == pytest.approx(TOWNS["Tilburg"][0], abs=0.05)
    assert answer["location"]["lon"] == pytest.approx(TOWNS["Tilburg"][1], abs=0.05)


def test_belgian_postcode_and_place(client: httpx.Client, session: Session) -> None:
    create_company(session, "Werk Gent", town="Gent")
    for location in ({"postcode": "9000", "country": "BE"}, {"place": "Gent", "country": "BE"}):
        (entry,) = match(client, location=location)["matches"]
        assert entry["distance_km"] == pytest.approx(0, abs=3)


def problem_fields(response: httpx.Response) -> set[str]:
    assert response.headers["content-type"].startswith(PROBLEM), response.text
    return {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("location", "field", "value"),
    [
        ({"postcode": "1000", "country": "NL"}, "location.postcode", "1000"),
        ({"postcode": "0999", "country": "BE"}, "location.postcode", "0999"),
        ({"place": "Nergenshuizen", "country": "NL"}, "location.place", "Nergenshuizen"),
        ({"place": "Tilburg", "country": "DE"}, "location.country", "DE"),
    ],
)
def test_unknown_location_is_422_naming_it(
    client: httpx.Client, location: dict[str, str], field: str, value: str
) -> None:
    r = client.post("/v1/match", json={"work_kinds": ["packaging"], "location": location})
    assert r.status_code == 422, r.text
    assert problem_fields(r) == {field}
    assert value in r.json()["detail"]


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({"work_kinds": ["packaging", "underwater-welding"]}, "work_kinds.1"),
        ({"work_kinds": []}, "work_kinds"),
        ({"work_kinds": ["Packaging"]}, "work_kinds.0"),
        ({"work_kinds": ["packaging"], "required_certifications": ["iso-1"]},
         "required_certifications.0"),
        ({"work_kinds": ["packaging"], "preferred_certifications": ["pso", "xyz"]},
         "preferred_certifications.1"),
        ({"work_kinds": ["packaging"], "location": {"lat": 51.5}}, "location"),
        ({"work_kinds": ["packaging"], "location": {"place": "Tilburg", "lat": 51.5,
                                                    "lon": 5.0}}, "location"),
        ({"work_kinds": ["packaging"], "max_distance_km": 40}, "body"),
        ({"work_kinds": ["packaging"], "max_distance_km": 0,
          "location": {"lat": 51.5, "lon": 5.0}}, "max_distance_km"),
        ({"work_kinds": ["packaging"], "workers_needed": 0}, "workers_needed"),
        ({"work_kinds": ["packaging"], "limit": 0}, "limit"),
        ({"work_kinds": ["packaging"], "start_date": "15-01-2027"}, "start_date"),
        ({"work_kinds": ["packaging"], "radius": 5}, "radius"),
    ],
)
def test_invalid_criteria_are_422_naming_the_field(
    client: httpx.Client, criteria: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/match", json=criteria)
    assert r.status_code == 422, r.text
    assert field in problem_fields(r)


# --- a profile change is visible to the very next match -----------------------------------------


def test_a_profile_change_is_visible_to_the_very_next_match(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, "Groeiend", kinds={"packaging": 5})
    criteria = {"location": IN_TILBURG, "workers_needed": 20}
    (before,) = match(client, **criteria)["matches"]
    assert component(before, "capacity")["score"] == 0.25
    etag = client.get(f"/v1/companies/{company.id}", headers=admin_headers).headers["etag"]

    r = client.patch(f"/v1/companies/{company.id}",
                     json={"capabilities": [{"work_kind": "packaging", "capacity_workers": 20}]},
                     headers={**admin_headers, "If-Match": etag})
    assert r.status_code == 200, r.text

    (after,) = match(client, **criteria)["matches"]
    assert component(after, "capacity")["score"] == 1.0
    assert after["score"] > before["score"]

    r = client.patch(f"/v1/companies/{company.id}", json={"status": "inactive"},
                     headers={**admin_headers, "If-Match": r.headers["etag"]})
    assert r.status_code == 200, r.text
    assert match(client, **criteria)["matches"] == []


def test_a_company_registered_over_http_is_matched_at_once(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    r = client.post("/v1/companies", headers=admin_headers,
                    json=company_profile("Nieuw", town="Breda"))
    assert r.status_code == 201, r.text
    assert names(match(client, location=IN_TILBURG)) == ["Nieuw"]


# --- stored requests ---------------------------------------------------------------------------


# A deadline must lie ahead, and at most a year: one in the coming weeks, wherever the clock is.
DEADLINE = (date.today() + timedelta(days=30)).isoformat()


def request_body(title: str = "Verpakken in Brabant", **criteria: Any) -> dict[str, Any]:
    return {
        "title": title,
        "description": "Notitieboekjes verpakken.",
        "organisation": "Sociaal Ondernemer BV",
        "contact": {"name": "Sam Jansen", "email": "sam@example.org", "phone": "013 500 0000"},
        "criteria": {"work_kinds": ["packaging"], "location": IN_TILBURG, **criteria},
        "deadline": DEADLINE,
    }


def store(client: httpx.Client, headers: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    r = client.post("/v1/requests", json=request_body(**kwargs), headers=headers)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == f"/v1/requests/{r.json()['id']}"
    return r.json()


def test_entrepreneur_stores_a_request(
    client: httpx.Client, entrepreneur_headers: dict[str, str]
) -> None:
    stored = store(client, entrepreneur_headers, workers_needed=10)
    assert stored["status"] == "draft"
    assert stored["title"] == "Verpakken in Brabant"
    assert stored["contact"]["phone"] == "+31135000000"
    assert stored["criteria"]["work_kinds"] == ["packaging"]
    assert stored["criteria"]["workers_needed"] == 10
    assert stored["deadline"] == DEADLINE

    r = client.get(f"/v1/requests/{stored['id']}", headers=entrepreneur_headers)
    assert r.status_code == 200
    assert r.json() == stored
    assert r.headers["cache-control"] == "no-store"


def test_partner_may_store_a_request(client: httpx.Client, session: Session) -> None:
    store(client, auth(make_key(session, Role.partner)))


def test_company_key_may_not_store_a_request(client: httpx.Client, session: Session) -> None:
    company = create_company(session)
    headers = auth(make_key(session, Role.company, company_id=company.id))
    r = client.post("/v1/requests", json=request_body(), headers=headers)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith(PROBLEM)


def test_storing_a_request_needs_a_key(client: httpx.Client) -> None:
    r = client.post("/v1/requests", json=request_body())
    assert r.status_code == 401
    assert r.headers["content-type"].startswith(PROBLEM)
    assert "www-authenticate" in r.headers


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({"location": {"place": "Nergenshuizen", "country": "NL"}}, "criteria.location.place"),
        ({"work_kinds": []}, "criteria.work_kinds"),
    ],
)
def test_stored_request_criteria_are_checked_at_once(
    client: httpx.Client, entrepreneur_headers: dict[str, str], criteria: dict[str, Any],
    field: str,
) -> None:
    r = client.post("/v1/requests", json=request_body(**criteria), headers=entrepreneur_headers)
    assert r.status_code == 422, r.text
    assert problem_fields(r) == {field}


def test_request_matches_equal_a_direct_match(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    for town in ("Breda", "Tilburg", "Utrecht"):
        create_company(session, f"Werk {town}", town=town)
    stored = store(client, entrepreneur_headers, max_distance_km=50, workers_needed=5)

    r = client.get(f"/v1/requests/{stored['id']}/matches",
                   headers={**entrepreneur_headers, "Accept-Language": "nl"})

    assert r.status_code == 200, r.text
    direct = match(client, "nl", **stored["criteria"])
    assert r.json() == direct
    assert names(r.json()) == ["Werk Tilburg", "Werk Breda"]


def test_another_entrepreneur_gets_404_for_my_request(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    stored = store(client, entrepreneur_headers)
    stranger = auth(make_key(session, Role.entrepreneur, name="another entrepreneur"))
    for path in (f"/v1/requests/{stored['id']}", f"/v1/requests/{stored['id']}/matches"):
        r = client.get(path, headers=stranger)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith(PROBLEM)


def test_unknown_request_is_404(client: httpx.Client, entrepreneur_headers: dict[str, str]) -> None:
    missing = uuid.uuid4()
    for path in (f"/v1/requests/{missing}", f"/v1/requests/{missing}/matches"):
        r = client.get(path, headers=entrepreneur_headers)
        assert r.status_code == 404
        assert r.json()["status"] == 404


def test_reading_requests_needs_a_key(
    client: httpx.Client, entrepreneur_headers: dict[str, str]
) -> None:
    stored = store(client, entrepreneur_headers)
    for path in ("/v1/requests", f"/v1/requests/{stored['id']}",
                 f"/v1/requests/{stored['id']}/matches"):
        assert client.get(path).status_code == 401


def test_request_list_holds_only_my_own(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    mine = [store(client, entrepreneur_headers, title=f"Mijn vraag {i}")["id"] for i in range(2)]
    stranger = auth(make_key(session, Role.entrepreneur, name="another entrepreneur"))
    theirs = store(client, stranger, title="Andermans vraag")["id"]

    r = client.get("/v1/requests", headers=entrepreneur_headers)

    assert r.status_code == 200
    body = r.json()
    assert sorted(item["id"] for item in body["items"]) == sorted(mine)
    assert body["total"] == 2
    assert [i["id"] for i in client.get("/v1/requests", headers=stranger).json()["items"]] == [
        theirs
    ]
    everything = client.get("/v1/requests", headers=admin_headers).json()
    assert everything["total"] == 3


def test_a_renamed_company_shows_its_new_name_in_the_very_next_match(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, "Oude Naam")
    assert names(match(client, location=IN_TILBURG)) == ["Oude Naam"]  # its card is kept now

    current = client.get(f"/v1/companies/{company.id}", headers=admin_headers)
    renamed = client.patch(f"/v1/companies/{company.id}", json={"name": "Nieuwe Naam"},
                           headers={**admin_headers, "If-Match": current.headers["etag"]})
    assert renamed.status_code == 200, renamed.text

    assert names(match(client, location=IN_TILBURG)) == ["Nieuwe Naam"]


def test_the_answer_is_exactly_the_documented_model(
    client: httpx.Client, session: Session, settings: Any
) -> None:
    from app.search.answers import match_response
    from app.search.catalogue import CatalogueCache
    from app.search.schemas import MatchCriteria, MatchResponse
    from app.search.service import search

    create_company(session, "Werkbedrijf Tilburg", kinds={"packaging": 12},
                   available_from="2027-03-01", certifications=["pso"])
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 9})
    body = {"work_kinds": ["packaging"], "location": IN_TILBURG, "workers_needed": 20,
            "start_date": "2027-01-15", "preferred_certifications": ["pso"]}
    got = client.post("/v1/match", json=body, headers={"Accept-Language": "nl"})
    assert got.status_code == 200
    answer = got.json()
    assert answer["consortia"] and answer["location"]  # every part of the answer is there
    assert MatchResponse.model_validate(answer).model_dump(mode="json") == answer
    # ... and what stored requests answer from the same search.
    result = search(session, CatalogueCache(), settings, MatchCriteria.model_validate(body))
    assert match_response(result, "nl").model_dump(mode="json") == answer
