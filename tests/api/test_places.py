"""Places said out loud: the country is optional, inferred from the postcode's shape or the
place's name; a corrected place is reported, an ambiguous one refused with the alternatives,
never silently swapped. Over HTTP for /v1/match, stored requests, company sites and
completion; and the resolver itself on the shipped gazetteer."""

from __future__ import annotations

import pickle
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.config import Settings
from app.geo import AmbiguousLocation, UnknownLocation, WrongCountry, resolve
from app.requests.service import local_today
from tests.factories import company_profile, create_company

PROBLEM = "application/problem+json"


def match(client: httpx.Client, location: dict[str, Any]) -> httpx.Response:
    return client.post("/v1/match", json={"work_kinds": ["packaging"], "location": location})


def resolved(client: httpx.Client, location: dict[str, Any]) -> dict[str, Any]:
    r = match(client, location)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()["location"]["resolved"]
    return out


def the_error(r: httpx.Response) -> dict[str, Any]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    (error,) = r.json()["errors"]
    return error


def alternatives(error: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["place"], a["country"]) for a in error["params"]["alternatives"]]


# --- /v1/match --------------------------------------------------------------------------------


def test_gent_without_a_country_is_gent_in_belgium(client: httpx.Client) -> None:
    got = resolved(client, {"place": "Gent"})
    assert (got["place"], got["country"], got["matched"]) == ("Gent", "BE", "exact")
    assert got["lat"] == pytest.approx(51.05, abs=0.05)


def test_antwerpen_resolves(client: httpx.Client) -> None:
    got = resolved(client, {"place": "Antwerpen"})
    assert (got["place"], got["country"], got["matched"]) == ("Antwerpen", "BE", "exact")
    assert resolved(client, {"place": "antwerpen", "country": "BE"})["place"] == "Antwerpen"


def test_gent_asked_in_the_netherlands_is_ambiguous_not_gendt(client: httpx.Client) -> None:
    error = the_error(match(client, {"place": "Gent", "country": "NL"}))
    assert error["field"] == "location.place"
    assert error["code"] == "ambiguous_place"
    assert alternatives(error) == [("Gent", "BE"), ("Gendt", "NL")]
    assert error["params"]["value"] == "Gent"
    assert all({"lat", "lon"} <= set(a) for a in error["params"]["alternatives"])


def test_antwerpen_asked_in_the_netherlands_names_its_country(client: httpx.Client) -> None:
    error = the_error(match(client, {"place": "Antwerpen", "country": "NL"}))
    assert (error["field"], error["code"]) == ("location.place", "wrong_country")
    assert error["params"]["country"] == "NL"
    assert alternatives(error) == [("Antwerpen", "BE")]


def test_a_near_miss_is_corrected_and_said(client: httpx.Client) -> None:
    got = resolved(client, {"place": "Amsterdm"})
    assert (got["place"], got["country"], got["matched"]) == ("Amsterdam", "NL", "corrected")
    assert resolved(client, {"place": "Rotterdm", "country": "NL"})["place"] == "Rotterdam"


def test_another_name_of_a_place_is_reported_as_corrected(client: httpx.Client) -> None:
    got = resolved(client, {"place": "Den Bosch"})
    assert (got["place"], got["matched"]) == ("'s-Hertogenbosch", "corrected")


@pytest.mark.parametrize(
    ("place", "expected"),
    [("Hasselt", [("Hasselt", "BE"), ("Hasselt", "NL")]),
     ("Gentt", [("Gent", "BE"), ("Gendt", "NL")])],
)
def test_a_place_in_both_countries_or_a_vague_near_miss_is_ambiguous(
    client: httpx.Client, place: str, expected: list[tuple[str, str]]
) -> None:
    error = the_error(match(client, {"place": place}))
    assert error["code"] == "ambiguous_place"
    assert alternatives(error) == expected
    # Choosing one with its country settles it.
    for name, country in expected:
        assert resolved(client, {"place": name, "country": country})["country"] == country


@pytest.mark.parametrize(
    ("postcode", "country", "place"),
    [("5038 AB", "NL", "Tilburg"), ("5038ab", "NL", "Tilburg"), ("NL-5038", "NL", "Tilburg"),
     ("9000", "BE", "Gent"), ("B-9000", "BE", "Gent"), ("2000", "BE", "Antwerpen")],
)
def test_the_postcode_tells_the_country(
    client: httpx.Client, postcode: str, country: str, place: str
) -> None:
    got = resolved(client, {"postcode": postcode})
    assert (got["country"], got["place"], got["matched"]) == (country, place, "exact")


def test_a_bare_number_in_both_countries_is_ambiguous(client: httpx.Client) -> None:
    # 1060 is Amsterdam (NL) and Saint-Gilles (BE).
    error = the_error(match(client, {"postcode": "1060"}))
    assert (error["field"], error["code"]) == ("location.postcode", "ambiguous_place")
    assert {c for _, c in alternatives(error)} == {"NL", "BE"}
    assert {a["postcode"] for a in error["params"]["alternatives"]} == {"1060"}
    assert set(alternatives(error)) == {("Amsterdam", "NL"), ("Saint-Gilles", "BE")}


@pytest.mark.parametrize(
    ("location", "field", "code"),
    [
        ({"place": "Nergenshuizen"}, "location.place", "unknown_place"),
        ({"place": "Nergenshuizen", "country": "BE"}, "location.place", "unknown_place"),
        ({"postcode": "0999"}, "location.postcode", "unknown_postcode"),
        ({"postcode": "5038 AB", "country": "BE"}, "location.postcode", "wrong_country"),
        ({"postcode": "9000", "country": "NL"}, "location.postcode", "wrong_country"),
        ({"place": "Tilburg", "country": "DE"}, "location.country", "unknown_country"),
        ({"place": "   "}, "location.place", "unknown_place"),
        ({"place": "'s-"}, "location.place", "unknown_place"),
        ({"place": "G" * 120}, "location.place", "unknown_place"),
        ({"postcode": "99999"}, "location.postcode", "unknown_postcode"),
    ],
)
def test_unknown_places_name_the_field(
    client: httpx.Client, location: dict[str, Any], field: str, code: str
) -> None:
    error = the_error(match(client, location))
    assert (error["field"], error["code"]) == (field, code)


def test_coordinates_are_reported_as_given(client: httpx.Client) -> None:
    got = resolved(client, {"lat": 51.5, "lon": 5.0})
    assert (got["place"], got["matched"], got["lat"]) == (None, "exact", 51.5)


# --- stored requests and company sites ----------------------------------------------------------


def test_a_stored_request_refuses_an_ambiguous_place_and_takes_an_inferred_one(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings,
    session: Session,
) -> None:
    create_company(session, "Gents Werkbedrijf", town="Gent")
    deadline = local_today(settings).isoformat()
    body = {"title": "Inpakken", "deadline": deadline,
            "criteria": {"work_kinds": ["packaging"], "location": {"place": "Gent",
                                                                     "country": "NL"}}}
    error = the_error(client.post("/v1/requests", json=body, headers=entrepreneur_headers))
    assert (error["field"], error["code"]) == ("criteria.location.place", "ambiguous_place")

    body["criteria"]["location"] = {"place": "Gent"}
    stored = client.post("/v1/requests", json=body, headers=entrepreneur_headers)
    assert stored.status_code == 201, stored.text
    matches = client.get(f"/v1/requests/{stored.json()['id']}/matches",
                         headers=entrepreneur_headers)
    assert matches.status_code == 200, matches.text
    assert matches.json()["location"]["resolved"]["country"] == "BE"
    assert [m["company"]["name"] for m in matches.json()["matches"]] == ["Gents Werkbedrijf"]


def test_a_site_without_country_gets_it_from_its_postcode_or_city(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile("Werkbedrijf Zonder Land", sites=[
        {"name": "Gent", "city": "Gent"},
        {"name": "Tilburg", "postcode": "5038 AB"},
        {"name": "Antwerpen", "lat": 51.22, "lon": 4.40},
    ])
    r = client.post("/v1/companies", json=body, headers=admin_headers)
    assert r.status_code == 201, r.text
    assert {s["name"]: s["country"] for s in r.json()["sites"]} == {
        "Gent": "BE", "Tilburg": "NL", "Antwerpen": "BE"}


@pytest.mark.parametrize(
    ("site", "field", "code"),
    [
        ({"name": "A", "city": "Gent", "country": "NL"}, "sites.0.city", "ambiguous_place"),
        ({"name": "A", "city": "Amsterdm"}, "sites.0.city", "unknown_place"),
        ({"name": "A", "city": "Antwerpen", "country": "NL"}, "sites.0.city", "wrong_country"),
        ({"name": "A", "postcode": "1060"}, "sites.0.postcode", "ambiguous_place"),
        ({"name": "A", "lat": 0.0, "lon": 0.0}, "sites.0.country", "required"),
    ],
)
def test_a_site_is_never_placed_on_a_guess(
    client: httpx.Client, admin_headers: dict[str, str], site: dict[str, Any], field: str,
    code: str,
) -> None:
    body = company_profile("Werkbedrijf Gok", sites=[site])
    error = the_error(client.post("/v1/companies", json=body, headers=admin_headers))
    assert (error["field"], error["code"]) == (field, code)
    if site.get("city") == "Amsterdm":
        assert alternatives(error) == [("Amsterdam", "NL")]


# --- completion -------------------------------------------------------------------------------


def test_places_completes_names_largest_first(client: httpx.Client) -> None:
    r = client.get("/v1/places", params={"q": "Gen", "limit": 8})
    assert r.status_code == 200
    found = [(p["place"], p["country"]) for p in r.json()]
    assert len(found) == 8
    assert found[:2] == [("Gent", "BE"), ("Genk", "BE")]
    assert ("Gendt", "NL") in found
    assert len(set(found)) == len(found)


def test_places_puts_the_exact_name_first_and_filters_by_country(client: httpx.Client) -> None:
    first = client.get("/v1/places", params={"q": "Breda"}).json()[0]
    assert (first["place"], first["country"]) == ("Breda", "NL")
    nl = client.get("/v1/places", params={"q": "Gen", "country": "NL"}).json()
    assert nl and {p["country"] for p in nl} == {"NL"}


def test_places_completes_postcodes(client: httpx.Client) -> None:
    found = client.get("/v1/places", params={"q": "5038", "limit": 3}).json()
    assert [(p["postcode"], p["place"], p["country"]) for p in found] == [
        ("5038", "Tilburg", "NL")]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "x" * 121}, {"q": "Gen", "limit": 0}, {"q": "Gen", "limit": 21},
     {"q": "Gen", "country": "DE"}, {"q": "Gen", "sort": "name"}],
)
def test_places_refuses_bad_queries(client: httpx.Client, params: dict[str, Any]) -> None:
    r = client.get("/v1/places", params=params)
    assert r.status_code == 422, r.text
    assert all(e["code"] for e in r.json()["errors"])


@pytest.mark.parametrize("q", ["'", "-", "%", "\u00e9", "0", "NL", "\U0001f600", "a b c"])
def test_places_answers_odd_text_without_error(client: httpx.Client, q: str) -> None:
    r = client.get("/v1/places", params={"q": q})
    assert r.status_code == 200, r.text
    assert isinstance(r.json(), list)


# --- the resolver -----------------------------------------------------------------------------


def test_resolver_errors_pickle_with_their_alternatives() -> None:
    with pytest.raises(AmbiguousLocation) as ambiguous:
        resolve(place="Gent", country="NL")
    copy = pickle.loads(pickle.dumps(ambiguous.value))
    assert copy.alternatives == ambiguous.value.alternatives
    with pytest.raises(WrongCountry) as wrong:
        resolve(place="Antwerpen", country="NL")
    assert pickle.loads(pickle.dumps(wrong.value)).alternatives == wrong.value.alternatives
    assert isinstance(wrong.value, UnknownLocation)
