"""Company profiles through /v1/companies: register, read, list and patch."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import Company
from tests.conftest import auth, make_key
from tests.factories import TOWNS, company_profile, create_company

PROBLEM = "application/problem+json"


def company_headers(session: Session, company: Company) -> dict[str, str]:
    return auth(make_key(session, Role.company, company_id=company.id))


def field_names(response: httpx.Response) -> set[str]:
    assert response.headers["content-type"].startswith(PROBLEM), response.text
    return {error["field"] for error in response.json().get("errors", [])}


def post(client: httpx.Client, headers: dict[str, str], body: dict[str, Any]) -> httpx.Response:
    return client.post("/v1/companies", json=body, headers=headers)


def read(client: httpx.Client, company_id: object, headers: dict[str, str]
         ) -> tuple[dict[str, Any], str]:
    r = client.get(f"/v1/companies/{company_id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json(), r.headers["etag"]


def patch(client: httpx.Client, company_id: object, body: dict[str, Any],
          headers: dict[str, str], etag: str | None) -> httpx.Response:
    if etag is not None:
        headers = {**headers, "If-Match": etag}
    return client.patch(f"/v1/companies/{company_id}", json=body, headers=headers)


def site(name: str = "Hoofdvestiging", **fields: Any) -> dict[str, Any]:
    return {"name": name, "country": "NL", **fields}


# --- POST /v1/companies ------------------------------------------------------------------------


def test_create_returns_201_with_location_etag_and_the_full_profile(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile("Werkbedrijf Midden-Brabant", kinds={"packaging": 25, "assembly": 10},
                           certifications=["pso", "iso-9001"])
    r = post(client, admin_headers, body)

    assert r.status_code == 201, r.text
    created = r.json()
    uuid.UUID(created["id"])
    assert r.headers["location"] == f"/v1/companies/{created['id']}"
    assert r.headers["etag"]
    assert r.headers["cache-control"] == "no-store"
    assert created["name"] == "Werkbedrijf Midden-Brabant"
    assert created["status"] == "active"
    assert created["registration"] == body["registration"]
    assert created["certifications"] == ["iso-9001", "pso"]
    assert {c["work_kind"]: c["capacity_workers"] for c in created["capabilities"]} == {
        "packaging": 25, "assembly": 10,
    }
    assert all(c["capacity_updated_at"] for c in created["capabilities"])
    assert created["contacts"] == [{"name": "Anna de Vries", "role": "accountmanager",
                                    "email": "anna@werkbedrijf.example.org",
                                    "phone": "+31612345678"}]
    assert created["sites"][0]["location_source"] == "given"
    assert created["created_at"] and created["updated_at"]

    fetched, etag = read(client, created["id"], admin_headers)
    assert etag == r.headers["etag"]
    assert fetched == created


def test_new_company_without_status_starts_pending(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile()
    del body["status"]
    r = post(client, admin_headers, body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "pending"


@pytest.mark.parametrize(
    ("country", "number", "stored"),
    [
        ("NL", "12345678", "12345678"),
        ("NL", "1234 5678", "12345678"),
        ("BE", "0403170701", "0403170701"),
        ("BE", "0403.170.701", "0403170701"),
        ("BE", "BE0403170701", "0403170701"),
    ],
)
def test_valid_registration_numbers_are_accepted_and_normalised(
    client: httpx.Client, admin_headers: dict[str, str], country: str, number: str, stored: str
) -> None:
    body = company_profile(registration={"country": country, "number": number})
    r = post(client, admin_headers, body)
    assert r.status_code == 201, r.text
    assert r.json()["registration"] == {"country": country, "number": stored}


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("NL", "1234567"),
        ("NL", "123456789"),
        ("NL", "abcdefgh"),
        ("NL", ""),
        ("BE", "0403170702"),
        ("BE", "040317070"),
        ("BE", "2403170701"),
        ("DE", "12345678"),
    ],
)
def test_invalid_registration_numbers_are_refused(
    client: httpx.Client, admin_headers: dict[str, str], country: str, number: str
) -> None:
    r = post(client, admin_headers,
             company_profile(registration={"country": country, "number": number}))
    assert r.status_code == 422, r.text
    assert any(name.startswith("registration") for name in field_names(r))


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("013 500 0000", "+31135000000"),
        ("+31 13 500 0000", "+31135000000"),
        ("06-12345678", "+31612345678"),
        ("+32 9 210 10 10", "+3292101010"),
    ],
)
def test_phone_is_stored_as_e164(
    client: httpx.Client, admin_headers: dict[str, str], given: str, stored: str
) -> None:
    r = post(client, admin_headers, company_profile(phone=given))
    assert r.status_code == 201, r.text
    assert r.json()["phone"] == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone", "12"),
        ("phone", "not a phone"),
        ("phone", "+31 13 500"),
        ("email", "not-an-email"),
        ("email", "info@"),
        ("website", "not a url"),
        ("website", "ftp://example.org"),
        ("website", "javascript:alert(1)"),
    ],
)
def test_invalid_contact_fields_are_refused(
    client: httpx.Client, admin_headers: dict[str, str], field: str, value: str
) -> None:
    r = post(client, admin_headers, company_profile(**{field: value}))
    assert r.status_code == 422, r.text
    assert field in field_names(r)


def test_invalid_contact_person_email_names_the_nested_field(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile(contacts=[{"name": "Piet", "email": "piet-at-example"}])
    r = post(client, admin_headers, body)
    assert r.status_code == 422
    assert "contacts.0.email" in field_names(r)


def test_unknown_certification_is_refused_naming_its_position(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    r = post(client, admin_headers, company_profile(certifications=["vca", "iso-1234"]))
    assert r.status_code == 422, r.text
    assert field_names(r) == {"certifications.1"}
    assert "iso-1234" in r.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("kind", "message_part"),
    [("underwater-welding", "unknown work kind"), ("production", "group")],
)
def test_capability_must_name_a_known_kind_not_a_group(
    client: httpx.Client, admin_headers: dict[str, str], kind: str, message_part: str
) -> None:
    r = post(client, admin_headers, company_profile(kinds={"packaging": 5, kind: 5}))
    assert r.status_code == 422, r.text
    assert field_names(r) == {"capabilities.1.work_kind"}
    assert message_part in r.json()["errors"][0]["message"]


def test_capability_at_an_unknown_site_is_refused(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile(capabilities=[
        {"work_kind": "packaging", "capacity_workers": 5, "sites": ["Hoofdvestiging", "Nergens"]}
    ])
    r = post(client, admin_headers, body)
    assert r.status_code == 422, r.text
    assert field_names(r) == {"capabilities.0.sites.1"}
    assert "Nergens" in r.json()["errors"][0]["message"]


def test_capability_limited_to_a_named_site(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile(extra_sites=["Breda"], capabilities=[
        {"work_kind": "packaging", "capacity_workers": 5, "sites": ["Vestiging Breda"]}
    ])
    r = post(client, admin_headers, body)
    assert r.status_code == 201, r.text
    assert r.json()["capabilities"][0]["sites"] == ["Vestiging Breda"]


@pytest.mark.parametrize(
    "body_change",
    [
        {"sites": []},
        {"sites": [site("A", lat=51.5), ]},
        {"sites": [site("A")]},
        {"sites": [site("A", city="Tilburg"), site("A", city="Breda")]},
        {"capabilities": [{"work_kind": "packaging", "capacity_workers": -1}]},
        {"capabilities": [{"work_kind": "packaging", "capacity_workers": 1, "batch_min": 10,
                           "batch_max": 5}]},
        {"capabilities": [{"work_kind": "packaging", "capacity_workers": 1},
                          {"work_kind": "packaging", "capacity_workers": 2}]},
        {"name": ""},
        {"name": "   "},
        {"status": "deleted"},
    ],
    ids=["no-sites", "lat-without-lon", "site-without-location", "duplicate-site-names",
         "negative-capacity", "batch-range-reversed", "duplicate-work-kind", "empty-name",
         "blank-name", "unknown-status"],
)
def test_inconsistent_profiles_are_refused(
    client: httpx.Client, admin_headers: dict[str, str], body_change: dict[str, Any]
) -> None:
    r = post(client, admin_headers, company_profile(**body_change))
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["status"] == 422 and body["errors"]


def test_duplicate_registration_conflicts(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    registration = {"country": "NL", "number": "87654321"}
    first = post(client, admin_headers, company_profile("Eerste", registration=registration))
    assert first.status_code == 201, first.text
    second = post(client, admin_headers, company_profile("Tweede", registration=registration))
    assert second.status_code == 409, second.text
    assert second.headers["content-type"].startswith(PROBLEM)
    assert second.json()["status"] == 409
    assert second.json()["existing_id"] == first.json()["id"]


def test_site_with_only_a_postcode_is_geocoded(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile(sites=[site(postcode="5038 AB")])
    r = post(client, admin_headers, body)
    assert r.status_code == 201, r.text
    located = r.json()["sites"][0]
    tilburg_lat, tilburg_lon, _ = TOWNS["Tilburg"]
    assert located["lat"] == pytest.approx(tilburg_lat, abs=0.05)
    assert located["lon"] == pytest.approx(tilburg_lon, abs=0.05)
    assert located["location_source"] == "postcode"
    assert located["postcode"] == "5038 AB"


def test_site_with_only_a_city_is_geocoded(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile(sites=[{"name": "Gent", "city": "Gent", "country": "BE"}])
    r = post(client, admin_headers, body)
    assert r.status_code == 201, r.text
    located = r.json()["sites"][0]
    gent_lat, gent_lon, _ = TOWNS["Gent"]
    assert located["lat"] == pytest.approx(gent_lat, abs=0.05)
    assert located["lon"] == pytest.approx(gent_lon, abs=0.05)
    assert located["location_source"] == "place"


@pytest.mark.parametrize(
    ("site_fields", "field", "value"),
    [
        # 9999 is a real Dutch postcode (Kantens); 1000 is not in use.
        ({"postcode": "1000", "country": "NL"}, "sites.0.postcode", "1000"),
        ({"postcode": "0999", "country": "BE"}, "sites.0.postcode", "0999"),
        ({"city": "Nergenshuizen", "country": "NL"}, "sites.0.city", "Nergenshuizen"),
    ],
)
def test_unknown_postcode_or_place_is_refused_naming_it(
    client: httpx.Client,
    admin_headers: dict[str, str],
    site_fields: dict[str, str],
    field: str,
    value: str,
) -> None:
    r = post(client, admin_headers, company_profile(sites=[{"name": "X", **site_fields}]))
    assert r.status_code == 422, r.text
    body = r.json()
    assert field_names(r) == {field}
    assert value in body["detail"]
    assert value in body["errors"][0]["message"]


def test_given_coordinates_win_over_geocoding(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = company_profile(sites=[site(postcode="5038 AB", lat=52.0, lon=5.0)])
    located = post(client, admin_headers, body).json()["sites"][0]
    assert (located["lat"], located["lon"], located["location_source"]) == (52.0, 5.0, "given")


def test_entrepreneur_may_not_register_a_company(
    client: httpx.Client, entrepreneur_headers: dict[str, str]
) -> None:
    r = post(client, entrepreneur_headers, company_profile())
    assert r.status_code == 403
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["status"] == 403


def test_company_key_may_not_register_a_company(
    client: httpx.Client, session: Session
) -> None:
    own = create_company(session, "Eigen Bedrijf")
    r = post(client, company_headers(session, own), company_profile())
    assert r.status_code == 403


def test_registering_without_a_key_is_401_with_challenge(client: httpx.Client) -> None:
    r = client.post("/v1/companies", json=company_profile())
    assert r.status_code == 401
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.headers["www-authenticate"].startswith("Bearer")
    body = r.json()
    assert body["status"] == 401 and body["title"] and body["type"]


# --- GET /v1/companies/{id} ----------------------------------------------------------------------


def test_anonymous_read_has_no_contacts_key(client: httpx.Client, session: Session) -> None:
    company = create_company(session, "Werkbedrijf Publiek")
    r = client.get(f"/v1/companies/{company.id}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert "contacts" not in body
    assert body["name"] == "Werkbedrijf Publiek"
    assert body["email"] == "info@werkbedrijf.example.org"
    assert r.headers["etag"] == f'"{body["version"]}"'
    assert "no-store" not in r.headers.get("cache-control", "")


def test_other_keys_do_not_see_contacts(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    company = create_company(session, "Werkbedrijf A")
    other = create_company(session, "Werkbedrijf B")
    for headers in (entrepreneur_headers, company_headers(session, other)):
        r = client.get(f"/v1/companies/{company.id}", headers=headers)
        assert r.status_code == 200
        assert "contacts" not in r.json()


@pytest.mark.parametrize("who", ["admin", "own company"])
def test_admin_and_own_company_see_contacts_uncached(
    client: httpx.Client, session: Session, admin_headers: dict[str, str], who: str
) -> None:
    company = create_company(session, "Werkbedrijf Eigen")
    headers = admin_headers if who == "admin" else company_headers(session, company)
    r = client.get(f"/v1/companies/{company.id}", headers=headers)
    assert r.status_code == 200
    assert r.json()["contacts"][0]["name"] == "Anna de Vries"
    assert r.headers["cache-control"] == "no-store"


def test_if_none_match_with_current_etag_gives_304(
    client: httpx.Client, session: Session
) -> None:
    company = create_company(session)
    etag = client.get(f"/v1/companies/{company.id}").headers["etag"]
    r = client.get(f"/v1/companies/{company.id}", headers={"If-None-Match": etag})
    assert r.status_code == 304
    assert r.content == b""


@pytest.mark.parametrize("status", ["pending", "inactive"])
def test_non_active_company_is_hidden_from_the_public(
    client: httpx.Client,
    session: Session,
    admin_headers: dict[str, str],
    entrepreneur_headers: dict[str, str],
    status: str,
) -> None:
    company = create_company(session, status=status)
    for headers in ({}, entrepreneur_headers):
        r = client.get(f"/v1/companies/{company.id}", headers=headers)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith(PROBLEM)
    assert client.get(f"/v1/companies/{company.id}", headers=admin_headers).json()[
        "status"] == status
    own = client.get(f"/v1/companies/{company.id}", headers=company_headers(session, company))
    assert own.status_code == 200


def test_unknown_company_is_404_problem(client: httpx.Client) -> None:
    missing = uuid.uuid4()
    r = client.get(f"/v1/companies/{missing}")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == 404 and body["title"] and body["type"]
    assert str(missing) in body["detail"]


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"])
def test_malformed_company_id_is_422(client: httpx.Client, bad_id: str) -> None:
    r = client.get(f"/v1/companies/{bad_id}")
    assert r.status_code == 422
    assert field_names(r) == {"company_id"}
    assert r.json()["errors"][0]["location"] == "path"


# --- GET /v1/companies ---------------------------------------------------------------------------


def list_companies(client: httpx.Client, headers: dict[str, str] | None = None,
                   **params: Any) -> dict[str, Any]:
    r = client.get("/v1/companies", params=params, headers=headers or {})
    assert r.status_code == 200, r.text
    return r.json()


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["items"]]


def test_list_paginates_by_name(client: httpx.Client, session: Session) -> None:
    for name in ("Cwerk", "Awerk", "Ewerk", "Bwerk", "Dwerk"):
        create_company(session, name)

    first = list_companies(client, limit=2)
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    assert names(first) == ["Awerk", "Bwerk"]
    assert names(list_companies(client, limit=2, offset=2)) == ["Cwerk", "Dwerk"]
    assert names(list_companies(client, limit=2, offset=4)) == ["Ewerk"]
    beyond = list_companies(client, limit=2, offset=10)
    assert beyond["items"] == [] and beyond["total"] == 5


def test_list_filters_by_kind_and_by_group(client: httpx.Client, session: Session) -> None:
    create_company(session, "Verpakker", kinds={"packaging": 10})
    create_company(session, "Schoonmaker", kinds={"cleaning": 10})
    create_company(session, "Hovenier", kinds={"green-maintenance": 10})

    assert names(list_companies(client, work_kind="packaging")) == ["Verpakker"]
    assert names(list_companies(client, work_kind="facility")) == ["Hovenier", "Schoonmaker"]
    both = list_companies(client, work_kind=["packaging", "cleaning"])
    assert names(both) == ["Schoonmaker", "Verpakker"]
    assert list_companies(client, work_kind="assembly")["total"] == 0


def test_list_refuses_an_unknown_work_kind(client: httpx.Client) -> None:
    r = client.get("/v1/companies", params={"work_kind": "underwater-welding"})
    assert r.status_code == 422
    assert field_names(r) == {"work_kind"}


def test_list_filters_by_country(client: httpx.Client, session: Session) -> None:
    create_company(session, "Tilburgs Werk", town="Tilburg")
    create_company(session, "Gents Werk", town="Gent")
    create_company(session, "Tweelands Werk", town="Breda", extra_sites=["Antwerpen"])

    assert names(list_companies(client, country="BE")) == ["Gents Werk", "Tweelands Werk"]
    assert names(list_companies(client, country="nl")) == ["Tilburgs Werk", "Tweelands Werk"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("groen", ["Groenbedrijf Noord"]),
        ("GROENBEDRIJF", ["Groenbedrijf Noord"]),
        ("tilburg", ["Werkplaats Zuid"]),
        ("fietsen", ["Werkplaats Zuid"]),
        ("%", []),
        ("_", []),
    ],
)
def test_list_text_search_is_case_insensitive(
    client: httpx.Client, session: Session, q: str, expected: list[str]
) -> None:
    create_company(session, "Groenbedrijf Noord", town="Groningen")
    create_company(session, "Werkplaats Zuid", town="Tilburg",
                   description="Wij repareren Fietsen.")
    assert names(list_companies(client, q=q)) == expected


def test_list_near_a_point_is_nearest_first_with_distance(
    client: httpx.Client, session: Session
) -> None:
    for town in ("Eindhoven", "Groningen", "Breda", "Tilburg"):
        create_company(session, f"Werk {town}", town=town)
    lat, lon, _ = TOWNS["Tilburg"]

    page = list_companies(client, lat=lat, lon=lon, radius_km=50)

    assert names(page) == ["Werk Tilburg", "Werk Breda", "Werk Eindhoven"]
    assert page["total"] == 3
    distances = [item["distance_km"] for item in page["items"]]
    assert distances[0] == pytest.approx(0, abs=0.1)
    assert distances[1] == pytest.approx(22, abs=2)
    assert distances == sorted(distances)


def test_list_near_needs_both_coordinates(client: httpx.Client) -> None:
    r = client.get("/v1/companies", params={"lat": 51.5})
    assert r.status_code == 422
    assert "lat" in field_names(r)


def test_list_shows_only_active_companies_to_the_public(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    create_company(session, "Actief", status="active")
    create_company(session, "Wachtend", status="pending")
    create_company(session, "Gestopt", status="inactive")

    assert names(list_companies(client)) == ["Actief"]
    # Asking for pending companies without being an operator is refused, not narrowed.
    assert client.get("/v1/companies", params={"status": "pending"}).status_code == 403
    assert names(list_companies(client, admin_headers, status="pending")) == ["Wachtend"]
    all_statuses = list_companies(client, admin_headers,
                                  status=["pending", "active", "inactive"])
    assert names(all_statuses) == ["Actief", "Gestopt", "Wachtend"]


def test_list_shows_contacts_only_to_authorised_callers(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    create_company(session)
    assert "contacts" not in list_companies(client)["items"][0]
    assert list_companies(client, admin_headers)["items"][0]["contacts"]


@pytest.mark.parametrize(
    "params",
    [{"limit": 101}, {"limit": 0}, {"limit": "ten"}, {"offset": -1}, {"lat": 91, "lon": 5},
     {"lat": 51, "lon": 5, "radius_km": 0}, {"country": "NLD"}, {"q": ""}],
)
def test_list_refuses_bad_query_parameters(client: httpx.Client, params: dict[str, Any]) -> None:
    r = client.get("/v1/companies", params=params)
    assert r.status_code == 422, r.text
    assert field_names(r) & set(params)
    assert all(e["location"] == "query" for e in r.json()["errors"])


# --- PATCH /v1/companies/{id} --------------------------------------------------------------------


def test_patch_without_if_match_is_428(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, "Ongewijzigd")
    r = patch(client, company.id, {"name": "Gewijzigd"}, admin_headers, etag=None)
    assert r.status_code == 428
    assert r.headers["content-type"].startswith(PROBLEM)
    assert read(client, company.id, admin_headers)[0]["name"] == "Ongewijzigd"


def test_patch_with_stale_etag_is_412_and_changes_nothing(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, "Origineel")
    _, first_etag = read(client, company.id, admin_headers)
    ok = patch(client, company.id, {"name": "Eerste wijziging"}, admin_headers, first_etag)
    assert ok.status_code == 200, ok.text
    before, current_etag = read(client, company.id, admin_headers)

    r = patch(client, company.id, {"name": "Tweede wijziging", "description": "x"},
              admin_headers, first_etag)

    assert r.status_code == 412
    assert r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["current_etag"] == current_etag
    after, etag_after = read(client, company.id, admin_headers)
    assert after == before
    assert etag_after == current_etag


def test_patch_changes_only_the_given_fields_and_returns_a_new_etag(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, "Werkbedrijf", certifications=["pso"])
    before, etag = read(client, company.id, admin_headers)

    r = patch(client, company.id, {"description": "Nieuwe omschrijving."}, admin_headers, etag)

    assert r.status_code == 200, r.text
    assert r.headers["etag"] != etag
    after = r.json()
    assert after["description"] == "Nieuwe omschrijving."
    assert after["version"] > before["version"]
    unchanged = {k for k in before if k not in {"description", "version", "updated_at"}}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert read(client, company.id, admin_headers) == (after, r.headers["etag"])


def test_patch_lists_replace_the_whole_list(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, certifications=["iso-9001", "vca"],
                             kinds={"packaging": 10, "assembly": 5})
    _, etag = read(client, company.id, admin_headers)

    r = patch(client, company.id, {
        "certifications": ["pso"],
        "capabilities": [{"work_kind": "cleaning", "capacity_workers": 7}],
        "contacts": [{"name": "Bram Peeters", "phone": "0612345678"}],
    }, admin_headers, etag)

    assert r.status_code == 200, r.text
    body = r.json()
    assert body["certifications"] == ["pso"]
    assert [(c["work_kind"], c["capacity_workers"]) for c in body["capabilities"]] == [
        ("cleaning", 7)
    ]
    assert body["contacts"] == [
        {"name": "Bram Peeters", "role": None, "email": None, "phone": "+31612345678"}
    ]


def test_patch_empty_lists_clear_them(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, certifications=["pso"])
    _, etag = read(client, company.id, admin_headers)
    r = patch(client, company.id, {"certifications": [], "contacts": []}, admin_headers, etag)
    assert r.status_code == 200, r.text
    assert (r.json()["certifications"], r.json()["contacts"]) == ([], [])


def test_patch_site_keeps_its_id_when_its_name_stays(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, town="Tilburg")
    before, etag = read(client, company.id, admin_headers)
    old_site = before["sites"][0]
    breda_lat, breda_lon, _ = TOWNS["Breda"]

    r = patch(client, company.id, {"sites": [
        site("Hoofdvestiging", city="Breda", lat=breda_lat, lon=breda_lon),
        site("Nieuwe vestiging", postcode="5038 AB"),
    ]}, admin_headers, etag)

    assert r.status_code == 200, r.text
    kept, added = r.json()["sites"]
    assert kept["id"] == old_site["id"]
    assert (kept["city"], kept["lat"], kept["lon"]) == ("Breda", breda_lat, breda_lon)
    assert kept["service_radius_km"] == 50
    assert added["id"] != old_site["id"]
    assert added["location_source"] == "postcode"


def test_patch_renamed_site_gets_a_new_id(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session)
    before, etag = read(client, company.id, admin_headers)
    r = patch(client, company.id, {"sites": [site("Andere naam", city="Tilburg")]},
              admin_headers, etag)
    assert r.status_code == 200, r.text
    assert r.json()["sites"][0]["id"] != before["sites"][0]["id"]


def test_patch_capabilities_moves_capacity_updated_at_of_changed_rows_only(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, kinds={"packaging": 10, "assembly": 5})
    before, etag = read(client, company.id, admin_headers)
    stamps = {c["work_kind"]: c["capacity_updated_at"] for c in before["capabilities"]}

    other = patch(client, company.id, {"description": "Alleen tekst."}, admin_headers, etag)
    assert {c["work_kind"]: c["capacity_updated_at"]
            for c in other.json()["capabilities"]} == stamps

    # The page sends every row; only the one whose figure changed gets a new date.
    r = patch(client, company.id,
              {"capabilities": [{"work_kind": "packaging", "capacity_workers": 10},
                                {"work_kind": "assembly", "capacity_workers": 6}]},
              admin_headers, other.headers["etag"])

    assert r.status_code == 200, r.text
    after = {c["work_kind"]: c["capacity_updated_at"] for c in r.json()["capabilities"]}
    assert after["packaging"] == stamps["packaging"]
    assert datetime.fromisoformat(after["assembly"]) > datetime.fromisoformat(stamps["assembly"])
    # Unchanged again: nothing moves.
    again = patch(client, company.id,
                  {"capabilities": [{"work_kind": "packaging", "capacity_workers": 10},
                                    {"work_kind": "assembly", "capacity_workers": 6}]},
                  admin_headers, r.headers["etag"])
    assert {c["work_kind"]: c["capacity_updated_at"]
            for c in again.json()["capabilities"]} == after


def test_company_key_may_patch_its_own_company(
    client: httpx.Client, session: Session
) -> None:
    company = create_company(session, kinds={"packaging": 10})
    headers = company_headers(session, company)
    _, etag = read(client, company.id, headers)

    r = patch(client, company.id,
              {"capabilities": [{"work_kind": "packaging", "capacity_workers": 3}]},
              headers, etag)

    assert r.status_code == 200, r.text
    assert r.json()["capabilities"][0]["capacity_workers"] == 3


def test_company_key_gets_404_for_another_company(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    own = create_company(session, "Eigen")
    other = create_company(session, "Ander")
    _, etag = read(client, other.id, admin_headers)

    r = patch(client, other.id, {"name": "Overgenomen"}, company_headers(session, own), etag)

    assert r.status_code == 404
    assert r.headers["content-type"].startswith(PROBLEM)
    assert read(client, other.id, admin_headers)[0]["name"] == "Ander"


@pytest.mark.parametrize(
    "change",
    [{"status": "active"}, {"registration": {"country": "NL", "number": "11223344"}}],
)
def test_company_key_may_not_change_admin_fields(
    client: httpx.Client, session: Session, change: dict[str, Any]
) -> None:
    company = create_company(session, status="pending")
    headers = company_headers(session, company)
    _, etag = read(client, company.id, headers)

    r = patch(client, company.id, change, headers, etag)

    assert r.status_code == 403
    assert next(iter(change)) in r.json()["detail"]
    assert read(client, company.id, headers)[0]["status"] == "pending"


def test_entrepreneur_key_cannot_patch(
    client: httpx.Client, session: Session, entrepreneur_headers: dict[str, str]
) -> None:
    company = create_company(session)
    etag = client.get(f"/v1/companies/{company.id}").headers["etag"]
    r = patch(client, company.id, {"name": "X"}, entrepreneur_headers, etag)
    # The role may never change a profile, whichever company it names.
    assert r.status_code == 403


def test_patch_without_a_key_is_401(client: httpx.Client, session: Session) -> None:
    company = create_company(session)
    r = patch(client, company.id, {"name": "X"}, {}, '"1"')
    assert r.status_code == 401
    assert "www-authenticate" in r.headers


def test_admin_may_change_status(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, status="pending")
    assert client.get(f"/v1/companies/{company.id}").status_code == 404
    _, etag = read(client, company.id, admin_headers)

    r = patch(client, company.id, {"status": "active"}, admin_headers, etag)

    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"
    assert client.get(f"/v1/companies/{company.id}").status_code == 200


def test_patch_unknown_company_is_404(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    r = patch(client, uuid.uuid4(), {"name": "X"}, admin_headers, '"1"')
    assert r.status_code == 404


def test_patch_may_not_remove_a_site_still_used_by_a_capability(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, extra_sites=["Breda"], capabilities=[
        {"work_kind": "packaging", "capacity_workers": 5, "sites": ["Vestiging Breda"]}
    ])
    before, etag = read(client, company.id, admin_headers)

    r = patch(client, company.id, {"sites": [site("Hoofdvestiging", city="Tilburg")]},
              admin_headers, etag)

    assert r.status_code == 422, r.text
    assert field_names(r) == {"sites"}
    assert "Vestiging Breda" in r.json()["errors"][0]["message"]
    assert read(client, company.id, admin_headers)[0] == before


def test_patch_may_remove_a_site_when_capabilities_are_replaced_too(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, extra_sites=["Breda"], capabilities=[
        {"work_kind": "packaging", "capacity_workers": 5, "sites": ["Vestiging Breda"]}
    ])
    _, etag = read(client, company.id, admin_headers)
    r = patch(client, company.id, {
        "sites": [site("Hoofdvestiging", city="Tilburg")],
        "capabilities": [{"work_kind": "packaging", "capacity_workers": 5}],
    }, admin_headers, etag)
    assert r.status_code == 200, r.text
    assert [s["name"] for s in r.json()["sites"]] == ["Hoofdvestiging"]


@pytest.mark.parametrize("field", ["name", "registration", "sites", "status"])
def test_patch_null_for_a_required_field_is_422_naming_it(
    client: httpx.Client, session: Session, admin_headers: dict[str, str], field: str
) -> None:
    company = create_company(session, "Blijft")
    _, etag = read(client, company.id, admin_headers)
    r = patch(client, company.id, {field: None}, admin_headers, etag)
    assert r.status_code == 422, r.text
    assert field_names(r) == {field}
    assert read(client, company.id, admin_headers)[0]["name"] == "Blijft"


def test_patch_null_clears_an_optional_field(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session)
    _, etag = read(client, company.id, admin_headers)
    r = patch(client, company.id, {"email": None, "phone": None}, admin_headers, etag)
    assert r.status_code == 200, r.text
    assert (r.json()["email"], r.json()["phone"]) == (None, None)


def test_patch_unknown_field_is_422_naming_it(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session)
    _, etag = read(client, company.id, admin_headers)
    r = patch(client, company.id, {"colour": "red"}, admin_headers, etag)
    assert r.status_code == 422
    assert field_names(r) == {"colour"}


def test_patch_validates_like_create(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session)
    _, etag = read(client, company.id, admin_headers)
    r = patch(client, company.id, {"phone": "12", "certifications": ["pso", "bogus"]},
              admin_headers, etag)
    assert r.status_code == 422
    assert field_names(r) == {"phone"}
    r = patch(client, company.id, {"certifications": ["pso", "bogus"]}, admin_headers, etag)
    assert r.status_code == 422
    assert field_names(r) == {"certifications.1"}


def test_duplicate_certifications_are_stored_once(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    r = post(client, admin_headers, company_profile(certifications=["vca", "pso", "vca"]))
    assert r.status_code == 201, r.text
    assert r.json()["certifications"] == ["pso", "vca"]


def test_only_operators_list_pending_or_inactive_companies(
    client: httpx.Client, session: Session, admin_headers: dict[str, str],
    entrepreneur_headers: dict[str, str],
) -> None:
    create_company(session, "Wacht Nog", status="pending")
    for headers in ({}, entrepreneur_headers):
        r = client.get("/v1/companies", params={"status": "pending"}, headers=headers)
        assert r.status_code == 403, r.text
        assert r.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/companies", params={"status": "active"}).status_code == 200
    r = client.get("/v1/companies", params={"status": "pending"}, headers=admin_headers)
    assert [c["name"] for c in r.json()["items"]] == ["Wacht Nog"]
    bad = client.get("/v1/companies", params={"status": "deleted"}, headers=admin_headers)
    assert bad.status_code == 422
