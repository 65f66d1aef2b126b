"""Nothing a client sends gives a 500, and every error is RFC 9457 problem+json."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from tests.factories import company_profile, create_company

PROBLEM = "application/problem+json"
MATCH = {"work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"}}


def assert_problem(response: httpx.Response, status: int | None = None) -> dict[str, Any]:
    """The response is problem+json with type, title and status; returns the body."""
    assert response.status_code < 500, response.text
    if status is not None:
        assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    assert body["status"] == response.status_code
    assert "Traceback" not in response.text
    return body


def fields(response: httpx.Response) -> set[str]:
    return {e["field"] for e in assert_problem(response).get("errors", [])}


def raw_post(client: httpx.Client, path: str, content: bytes | str,
             headers: dict[str, str] | None = None,
             content_type: str = "application/json") -> httpx.Response:
    return client.post(path, content=content,
                       headers={"Content-Type": content_type, **(headers or {})})


# --- the shape of every error ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/v1/nothing-here", None, 404),
        ("GET", "/v1/companies/00000000-0000-0000-0000-000000000000", None, 404),
        ("DELETE", "/v1/match", None, 405),
        ("PUT", "/v1/work-kinds", None, 405),
        ("POST", "/v1/companies", {}, 401),
        ("POST", "/v1/match", {"work_kinds": 3}, 422),
        ("GET", "/v1/companies?limit=1000", None, 422),
    ],
)
def test_every_error_is_problem_json(
    client: httpx.Client, method: str, path: str, body: Any, status: int
) -> None:
    r = client.request(method, path, json=body)
    problem = assert_problem(r, status)
    assert problem["type"] == "about:blank" or problem["type"].startswith("https://")


def test_unknown_path_is_404_naming_it(client: httpx.Client) -> None:
    body = assert_problem(client.get("/v1/nowhere"), 404)
    assert "/v1/nowhere" in body["detail"]


def test_wrong_method_is_405_with_allow(client: httpx.Client) -> None:
    r = client.delete("/v1/match")
    assert_problem(r, 405)
    assert "POST" in r.headers["allow"]


@pytest.mark.parametrize(
    "authorization",
    ["Bearer garbage", "Bearer lk_", "Bearer " + "x" * 5000, "Basic dXNlcjpwYXNz", "Bearer",
     "lk_admin_abc"],
)
def test_garbage_credentials_are_401(client: httpx.Client, authorization: str) -> None:
    for method, path in (("GET", "/v1/companies"), ("POST", "/v1/requests")):
        r = client.request(method, path, headers={"Authorization": authorization}, json={})
        assert_problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_a_well_formed_but_unknown_key_is_401(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    secret = admin_headers["Authorization"].removeprefix("Bearer ")
    tampered = secret[:-4] + ("aaaa" if not secret.endswith("aaaa") else "bbbb")
    r = client.get("/v1/requests", headers={"Authorization": f"Bearer {tampered}"})
    assert_problem(r, 401)


# --- malformed bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ['{"work_kinds": ["packaging"]', "{'work_kinds': []}", "{,}", "\xff\xfe", "[1, 2,]", "nul"],
)
def test_malformed_json_is_400(client: httpx.Client, content: str) -> None:
    body = assert_problem(raw_post(client, "/v1/match", content.encode("latin-1")), 400)
    assert "JSON" in body["detail"]


def test_malformed_json_is_400_on_writes_too(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    assert_problem(raw_post(client, "/v1/companies", b'{"name": ', admin_headers), 400)


@pytest.mark.parametrize("content", ["null", "[]", '"text"', "42", "true", "[{}]"])
def test_non_object_bodies_are_422(client: httpx.Client, content: str) -> None:
    r = raw_post(client, "/v1/match", content)
    assert_problem(r, 422)


def test_empty_body_is_422(client: httpx.Client) -> None:
    assert_problem(raw_post(client, "/v1/match", b""), 422)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data"],
)
def test_non_json_content_type_is_refused(client: httpx.Client, content_type: str) -> None:
    # A body not sent as JSON is not parsed as JSON, so it is no object of criteria: 422.
    assert_problem(raw_post(client, "/v1/match", json.dumps(MATCH), content_type=content_type),
                   422)


def test_json_with_charset_is_accepted(client: httpx.Client) -> None:
    r = raw_post(client, "/v1/match", json.dumps(MATCH),
                 content_type="application/json; charset=utf-8")
    assert r.status_code == 200, r.text


# Nesting the JSON parser still reads is a wrong shape (422); deeper, the parser gives up (400).
@pytest.mark.parametrize(("depth", "status"), [(100, 422), (5_000, 400), (100_000, 400)])
def test_deeply_nested_json_is_refused(client: httpx.Client, depth: int, status: int) -> None:
    nested = '{"work_kinds": ' + "[" * depth + "]" * depth + "}"
    assert_problem(raw_post(client, "/v1/match", nested), status)


def test_deeply_nested_objects_are_refused(client: httpx.Client) -> None:
    depth = 50_000
    nested = '{"location": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    assert_problem(raw_post(client, "/v1/match", nested))


# --- wrong types and absurd values -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"work_kinds": "packaging"}, "work_kinds"),
        ({"work_kinds": [1, 2]}, "work_kinds.0"),
        ({"work_kinds": ["packaging"], "limit": "many"}, "limit"),
        ({"work_kinds": ["packaging"], "limit": 2.5}, "limit"),
        ({"work_kinds": ["packaging"], "workers_needed": "ten"}, "workers_needed"),
        ({"work_kinds": ["packaging"], "location": []}, "location"),
        ({"work_kinds": ["packaging"], "location": "Tilburg"}, "location"),
        ({"work_kinds": ["packaging"], "location": {"lat": "north", "lon": 5}}, "location.lat"),
        ({"work_kinds": ["packaging"], "start_date": 20270115}, "start_date"),
        ({"work_kinds": ["packaging"], "required_certifications": "pso"},
         "required_certifications"),
        ({"work_kinds": {"packaging": True}}, "work_kinds"),
    ],
)
def test_wrong_types_are_422_naming_the_field(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/match", json=body)
    assert r.status_code == 422, r.text
    assert field in fields(r)
    error = next(e for e in r.json()["errors"] if e["field"] == field)
    assert error["location"] == "body" and error["message"] and error["type"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": 42}, "name"),
        ({"registration": ["NL", "12345678"]}, "registration"),
        ({"sites": {"name": "Hoofdvestiging"}}, "sites"),
        ({"sites": [{"name": "A", "lat": "51", "lon": None, "city": None}]}, "sites.0"),
        ({"capabilities": [{"work_kind": "packaging", "capacity_workers": "veel"}]},
         "capabilities.0.capacity_workers"),
        ({"contacts": ["Anna"]}, "contacts.0"),
        ({"available_from": "morgen"}, "available_from"),
        ({"certifications": [None]}, "certifications.0"),
    ],
)
def test_wrong_types_in_a_profile_are_422_naming_the_field(
    client: httpx.Client, admin_headers: dict[str, str], change: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/companies", json=company_profile(**change), headers=admin_headers)
    assert r.status_code == 422, r.text
    assert any(name == field or name.startswith(field + ".") for name in fields(r)), fields(r)


ABSURD_NUMBERS = ["1e308", "-1e308", "-1", "0", "100000000000000000000000000000", "-0.0",
                  "1e-320", "123456789012345678901234567890.5"]
# Of those, the ones within a coordinate's range (a tiny positive number is a distance too).
IN_RANGE_COORDINATES = {"-1", "0", "-0.0", "1e-320"}


@pytest.mark.parametrize("number", ABSURD_NUMBERS)
@pytest.mark.parametrize(
    ("template", "valid"),
    [
        # Whole numbers of at least 1 (limit also at most 100): none of these.
        ('{"work_kinds": ["packaging"], "limit": %s}', set()),
        ('{"work_kinds": ["packaging"], "workers_needed": %s}', set()),
        ('{"work_kinds": ["packaging"], "max_distance_km": %s, "location": {"lat": 51, "lon": 5}}',
         {"1e-320"}),
        ('{"work_kinds": ["packaging"], "location": {"lat": %s, "lon": 5}}',
         IN_RANGE_COORDINATES),
        ('{"work_kinds": ["packaging"], "location": {"lat": 51, "lon": %s}}',
         IN_RANGE_COORDINATES),
    ],
    ids=["limit", "workers_needed", "max_distance_km", "lat", "lon"],
)
def test_absurd_numbers_in_criteria_never_500(
    client: httpx.Client, template: str, valid: set[str], number: str
) -> None:
    r = raw_post(client, "/v1/match", template % number)
    if number in valid:
        assert r.status_code == 200, r.text
    else:
        assert_problem(r, 422)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(client: httpx.Client, number: str) -> None:
    for template in ('{"work_kinds": ["packaging"], "location": {"lat": %s, "lon": 5}}',
                     '{"work_kinds": ["packaging"], "max_distance_km": %s, '
                     '"location": {"lat": 51, "lon": 5}}'):
        assert_problem(raw_post(client, "/v1/match", template % number), 422)


@pytest.mark.parametrize("number", [*ABSURD_NUMBERS, "NaN", "Infinity"])
@pytest.mark.parametrize(
    ("path", "valid"),
    [
        # Whole numbers of at least 0.
        (("capabilities", 0, "capacity_workers"), {"0", "-0.0"}),
        (("capabilities", 0, "batch_max"), {"0", "-0.0"}),
        (("sites", 0, "service_radius_km"), {"1e-320"}),
        (("sites", 0, "lat"), IN_RANGE_COORDINATES),
    ],
    ids=["capacity_workers", "batch_max", "service_radius_km", "lat"],
)
def test_absurd_numbers_in_a_profile_never_500(
    client: httpx.Client, admin_headers: dict[str, str], path: tuple[Any, ...], valid: set[str],
    number: str,
) -> None:
    profile = company_profile()
    target = profile
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "__NUMBER__"
    content = json.dumps(profile).replace('"__NUMBER__"', number)
    r = raw_post(client, "/v1/companies", content, admin_headers)
    if number in valid:
        assert r.status_code == 201, r.text
    else:
        assert_problem(r, 422)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "100000000000000000000000000000"},
        {"offset": "100000000000000000000000000000"},
        {"offset": "-1"},
        {"lat": "1e308", "lon": "5"},
        {"lat": "NaN", "lon": "5"},
        {"lat": "51", "lon": "5", "radius_km": "inf"},
        {"lat": "51", "lon": "5", "radius_km": "-1"},
        {"q": "x" * 10_000},
        {"work_kind": ["packaging"] * 50},
    ],
)
def test_absurd_query_parameters_are_422(client: httpx.Client, params: dict[str, Any]) -> None:
    assert_problem(client.get("/v1/companies", params=params), 422)


def test_huge_offset_within_range_is_an_empty_page(
    client: httpx.Client, session: Session
) -> None:
    create_company(session)
    r = client.get("/v1/companies", params={"offset": 1_000_000})
    assert r.status_code == 200
    assert r.json()["items"] == [] and r.json()["total"] == 1


# --- huge and strange strings ------------------------------------------------------------------


def test_a_one_megabyte_name_is_refused(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    # The body alone is over the 1 MB limit: refused before it is read whole.
    r = client.post("/v1/companies", json=company_profile("x" * 1_000_000), headers=admin_headers)
    assert_problem(r, 413)


def test_a_long_name_is_422_naming_it(client: httpx.Client, admin_headers: dict[str, str]) -> None:
    r = client.post("/v1/companies", json=company_profile("x" * 100_000), headers=admin_headers)
    assert r.status_code == 422
    assert "name" in fields(r)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": "x" * 5_001}, "description"),
        ({"website": "https://example.org/" + "a" * 3_000}, "website"),
        ({"email": "a" * 400 + "@example.org"}, "email"),
        ({"sites": [{"name": "A", "postcode": "1" * 500, "country": "NL"}]}, "sites.0.postcode"),
        ({"sites": [{"name": "A", "city": "x" * 500, "country": "NL"}]}, "sites.0.city"),
    ],
)
def test_long_strings_are_422_naming_the_field(
    client: httpx.Client, admin_headers: dict[str, str], change: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/companies", json=company_profile(**change), headers=admin_headers)
    assert r.status_code == 422, r.text
    assert field in fields(r)


def test_long_location_strings_are_422(client: httpx.Client) -> None:
    for location in ({"place": "x" * 10_000, "country": "NL"},
                     {"postcode": "9" * 10_000, "country": "NL"}):
        r = client.post("/v1/match", json={"work_kinds": ["packaging"], "location": location})
        assert_problem(r, 422)


def test_a_body_over_the_size_cap_is_413(client: httpx.Client) -> None:
    content = json.dumps({"work_kinds": ["packaging"], "pad": "x" * 2_000_000})
    body = assert_problem(raw_post(client, "/v1/match", content), 413)
    assert "bytes" in body["detail"]


def test_a_streamed_body_over_the_size_cap_is_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"work_kinds": ["packaging"], "pad": "'
        for _ in range(40):
            yield b"x" * 64_000
        yield b'"}'

    r = client.post("/v1/match", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in r.request.headers
    assert_problem(r, 413)


@pytest.mark.parametrize(
    "name",
    ["Werkbedrijf Ĳsselmonde", "Atelier Œuvre «Zuid»", "Groen 🌷 Werk", "Ŝpecial ȶest",
     "עבודה", "工作公司", "Zero\u200bwidth", "e\u0301 combining"],
)
def test_unicode_names_round_trip(
    client: httpx.Client, admin_headers: dict[str, str], name: str
) -> None:
    r = client.post("/v1/companies", json=company_profile(name), headers=admin_headers)
    assert r.status_code == 201, r.text
    fetched = client.get(f"/v1/companies/{r.json()['id']}", headers=admin_headers)
    assert fetched.json()["name"] == name


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Werk\u0000bedrijf"},
        {"description": "regel\u0000twee"},
        {"contacts": [{"name": "Anna\u0000"}]},
        {"sites": [{"name": "Hoofd\u0000vestiging", "city": "Tilburg", "country": "NL"}]},
        # With lat/lon given nothing is geocoded: the text would reach the database.
        {"sites": [{"name": "A", "city": "Til\u0000burg", "lat": 51.5, "lon": 5.0}]},
        {"sites": [{"name": "A", "postcode": "5038\u0000AB", "lat": 51.5, "lon": 5.0}]},
        {"capabilities": [{"work_kind": "packaging", "capacity_workers": 1,
                           "notes": "\u0000"}]},
        {"registration": {"country": "NL", "number": "1234\u00005678"}},
        {"email": "info\u0000@example.org"},
        {"phone": "013\u00005000000"},
    ],
    ids=["name", "description", "contact", "site-name", "city", "postcode", "notes",
         "registration", "email", "phone"],
)
def test_nul_characters_are_refused_not_500(
    client: httpx.Client, admin_headers: dict[str, str], change: dict[str, Any]
) -> None:
    r = client.post("/v1/companies", json=company_profile(**change), headers=admin_headers)
    assert_problem(r, 422)
    (field,) = change
    assert any(name.startswith(field) for name in fields(r)), fields(r)


def test_nul_in_a_patch_is_refused(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session)
    etag = client.get(f"/v1/companies/{company.id}", headers=admin_headers).headers["etag"]
    r = client.patch(f"/v1/companies/{company.id}", json={"name": "A\u0000B"},
                     headers={**admin_headers, "If-Match": etag})
    assert_problem(r, 422)


@pytest.mark.parametrize(
    "location",
    [{"place": "Til\u0000burg", "country": "NL"}, {"postcode": "5038\u0000", "country": "NL"}],
)
def test_nul_in_match_criteria_is_refused(
    client: httpx.Client, location: dict[str, str]
) -> None:
    r = client.post("/v1/match", json={"work_kinds": ["packaging"], "location": location})
    assert_problem(r, 422)


def test_nul_in_a_stored_request_is_refused(
    client: httpx.Client, entrepreneur_headers: dict[str, str]
) -> None:
    body = {"title": "Vraag\u0000", "criteria": {"work_kinds": ["packaging"]}}
    assert_problem(client.post("/v1/requests", json=body, headers=entrepreneur_headers), 422)


@pytest.mark.parametrize("q", ["a\u0000b", "\u0000", "%\u0000%"], ids=["inside", "alone", "like"])
def test_nul_in_a_search_query_is_422(client: httpx.Client, session: Session, q: str) -> None:
    create_company(session, "a b")
    r = client.get("/v1/companies", params={"q": q})
    assert_problem(r, 422)
    assert r.json()["errors"][0]["field"] == "q"


def test_lone_surrogates_are_not_500(client: httpx.Client, admin_headers: dict[str, str]) -> None:
    content = json.dumps(company_profile("placeholder")).replace("placeholder", "\\ud800")
    assert_problem(raw_post(client, "/v1/companies", content, admin_headers), 422)


# --- headers on every answer -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/v1/work-kinds", None), ("GET", "/health/live", None),
     ("POST", "/v1/match", MATCH), ("GET", "/v1/nowhere", None),
     ("POST", "/v1/match", {"work_kinds": []}), ("POST", "/v1/companies", {})],
)
def test_security_headers_on_every_answer(
    client: httpx.Client, method: str, path: str, body: Any
) -> None:
    r = client.request(method, path, json=body)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-request-id"]


def test_security_headers_on_413(client: httpx.Client) -> None:
    r = raw_post(client, "/v1/match", b"x" * 2_000_000)
    assert r.status_code == 413
    assert r.headers["x-content-type-options"] == "nosniff"


def test_errors_do_not_leak_internals(client: httpx.Client, admin_headers: dict[str, str]) -> None:
    r = raw_post(client, "/v1/companies", '{"name": ' + "[" * 5000 + "]" * 5000 + "}",
                 admin_headers)
    text = r.text.lower()
    for leak in ("traceback", "sqlalchemy", "psycopg", "sqlite", 'file "'):
        assert leak not in text


# --- an unexpected error -----------------------------------------------------------------------


def test_an_unexpected_error_is_a_problem_and_the_connection_survives(
    client: httpx.Client, failing_route: str
) -> None:
    first = client.get(failing_route)
    body = assert_problem_500(first)
    assert body["type"].endswith("/internal-error")
    assert first.headers["x-request-id"]
    assert "a bug" not in first.text
    # The next call on the same keep-alive connection is answered (it was reset before).
    second = client.get("/health/live")
    assert second.status_code == 200
    peer = [r.extensions["network_stream"].get_extra_info("client_addr") for r in (first, second)]
    assert peer[0] == peer[1], "the second call needed a new connection"


def assert_problem_500(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 500, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == 500 and body["title"]
    return body
