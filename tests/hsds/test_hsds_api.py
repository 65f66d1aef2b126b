"""The HSDS 3.1 open-data API: every answer checked against the specification's rules
(tests/hsds/schema/), pagination, ndjson, the filters, what is never exported."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from jsonschema import FormatChecker
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.hsds.service import NAMESPACE
from app.models import Capability, Company
from tests.factories import create_company
from tests.hsds.checks import FORMATS, assert_page, assert_valid, errors

LISTS = {
    "/hsds/services": "service",
    "/hsds/organizations": "organization",
    "/hsds/service_at_locations": "service_at_location",
    "/hsds/taxonomies": "taxonomy",
    "/hsds/taxonomy_terms": "taxonomy_term",
}
CONTACT = {"name": "Zeynep Contactpersoon", "role": "accountmanager",
           "email": "zeynep.prive@werkbedrijf.example.org", "phone": "+31687654321"}


def _term(kind: str, code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{code}")


@pytest.fixture
def world(session: Session) -> dict[str, Company]:
    """Three active companies (one Belgian, one with two sites), a pending and an inactive one;
    every one has a contact person, who must never appear."""
    contacts = {"contacts": [CONTACT]}
    return {
        "tilburg": create_company(session, "Werkbedrijf Tilburg",
                                  kinds={"packaging": 12, "assembly": 3}, **contacts),
        "breda": create_company(session, "Groen Breda", town="Breda",
                                kinds={"green-maintenance": 8}, extra_sites=["Eindhoven"],
                                website="https://groen-breda.example.org", **contacts),
        "gent": create_company(session, "Maatwerk Gent", town="Gent", kinds={"cleaning": 30},
                               registration={"country": "BE", "number": "0403.170.701"},
                               **contacts),
        "pending": create_company(session, "Werkbedrijf Wacht", status="pending",
                                  kinds={"packaging": 5}, **contacts),
        "inactive": create_company(session, "Werkbedrijf Dicht", status="inactive",
                                   kinds={"packaging": 5}, **contacts),
    }


def _all(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(path, params={**params, "per_page": 500})
    assert r.status_code == 200, r.text
    return list(r.json()["contents"])


# --- the checks themselves ------------------------------------------------------------------


def test_the_checks_really_check_formats_and_enums() -> None:
    checker = FormatChecker()
    assert set(FORMATS) <= set(checker.checkers)
    good = {"id": str(uuid.uuid4()), "name": "x", "status": "active"}
    assert errors("service", good) == []
    assert errors("service", {**good, "id": "not-a-uuid"})
    assert errors("service", {**good, "id": uuid.uuid4().hex})  # a uuid without its hyphens
    assert errors("service", {**good, "status": "open"})
    assert errors("service", {**good, "email": "no at sign"})
    assert errors("service", {**good, "url": "no uri"})
    assert errors("service", {k: v for k, v in good.items() if k != "status"})
    capacity = {"id": str(uuid.uuid4()), "unit": {"id": str(uuid.uuid4()), "name": "workers"},
                "available": 3, "updated": "yesterday"}
    assert errors("service_capacity", capacity)
    assert errors("service", {**good, "contacts": [{"name": "Anna"}]})  # never exported


# --- every endpoint ---------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "item"), LISTS.items())
def test_every_list_is_an_hsds_page(
    client: httpx.Client, world: dict[str, Company], path: str, item: str
) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert_page(item, body)
    assert body["total_items"] > 0
    assert body["first_page"] is True
    assert body["page_number"] == 1


def test_the_root_says_version_and_openapi(client: httpx.Client) -> None:
    r = client.get("/hsds/")
    assert r.status_code == 200
    body = r.json()
    assert_valid("api_meta", body)
    assert body["version"] == "3.1"
    assert body["openapi_url"].endswith("/openapi.json")
    assert client.get(body["openapi_url"]).status_code == 200


def test_only_active_companies_are_organizations(
    client: httpx.Client, world: dict[str, Company]
) -> None:
    names = {o["name"] for o in _all(client, "/hsds/organizations")}
    assert names == {"Werkbedrijf Tilburg", "Groen Breda", "Maatwerk Gent"}
    services = _all(client, "/hsds/services")
    assert {s["organization_id"] for s in services} == {
        str(world[k].id) for k in ("tilburg", "breda", "gent")
    }
    assert len(services) == 4
    sals = _all(client, "/hsds/service_at_locations")
    # Breda's one service is at both of its sites.
    assert len(sals) == 5


def test_organization_identifiers_and_phones(
    client: httpx.Client, world: dict[str, Company]
) -> None:
    by_name = {o["name"]: o for o in _all(client, "/hsds/organizations")}
    nl = by_name["Werkbedrijf Tilburg"]["organization_identifiers"]
    assert [(i["identifier_scheme"], i["identifier"]) for i in nl] == [
        ("NL-KVK", world["tilburg"].registration_number)
    ]
    be = by_name["Maatwerk Gent"]["organization_identifiers"]
    assert [(i["identifier_scheme"], i["identifier"]) for i in be] == [
        ("BE-BCE_KBO", "0403170701")
    ]
    assert [p["number"] for p in by_name["Groen Breda"]["phones"]] == ["+31135000000"]
    assert by_name["Groen Breda"]["website"] == "https://groen-breda.example.org/"


def test_a_service_in_full(client: httpx.Client, world: dict[str, Company]) -> None:
    (service,) = _all(client, "/hsds/services", organization_id=str(world["breda"].id))
    r = client.get(f"/hsds/services/{service['id']}")
    assert r.status_code == 200
    full = r.json()
    assert_valid("service", full)
    (capacity,) = full["capacities"]
    assert capacity["unit"]["name"] == "workers"
    assert capacity["available"] == 8
    assert datetime.fromisoformat(capacity["updated"]).tzinfo is not None
    assert full["organization"]["name"] == "Groen Breda"
    assert [sal["location"]["name"] for sal in full["service_at_locations"]] == [
        "Hoofdvestiging", "Vestiging Eindhoven",
    ]
    area = full["service_areas"][0]
    assert area["name"] == "100 km around Breda"
    extent = json.loads(area["extent"])
    assert extent["type"] == "Polygon"
    ring = extent["coordinates"][0]
    assert ring[0] == ring[-1]
    assert all(3.0 < lon < 6.5 and 50.5 < lat < 52.6 for lon, lat in ring)
    terms = {a["taxonomy_term"]["code"] for a in full["attributes"]}
    assert "green-maintenance" in terms


def test_an_organization_in_full(client: httpx.Client, world: dict[str, Company]) -> None:
    r = client.get(f"/hsds/organizations/{world['tilburg'].id}")
    assert r.status_code == 200
    org = r.json()
    assert_valid("organization", org)
    assert sorted(s["name"] for s in org["services"]) == [
        "Assembly (Werkbedrijf Tilburg)", "Packaging (Werkbedrijf Tilburg)",
    ]
    assert [loc["name"] for loc in org["locations"]] == ["Hoofdvestiging"]
    assert org["locations"][0]["latitude"] == pytest.approx(51.5555)


def test_labels_follow_accept_language(client: httpx.Client, world: dict[str, Company]) -> None:
    term = str(_term("work-kind", "packaging"))
    r = client.get("/hsds/services", params={"taxonomy_term_id": term},
                   headers={"Accept-Language": "nl"})
    assert r.headers["content-language"] == "nl"
    assert r.json()["contents"][0]["name"] == "Verpakken (Werkbedrijf Tilburg)"
    assert r.json()["contents"][0]["capacities"][0]["description"] == (
        "Mensen beschikbaar voor nieuw werk"
    )
    sal = client.get("/hsds/service_at_locations", params={"taxonomy_term_id": term},
                     headers={"Accept-Language": "nl"}).json()["contents"][0]
    assert sal["description"] == "Verpakken bij Hoofdvestiging"
    assert sal["service_areas"][0]["name"] == "100 km rond Tilburg"
    r = client.get("/hsds/services", params={"taxonomy_term_id": term, "search": "emballage"},
                   headers={"Accept-Language": "fr-BE"})
    assert r.headers["content-language"] == "fr"
    assert r.json()["contents"][0]["name"] == "Conditionnement & emballage (Werkbedrijf Tilburg)"


@pytest.mark.parametrize("path", ["/hsds/services/{id}", "/hsds/organizations/{id}"])
def test_unknown_and_inactive_ids_are_404(
    client: httpx.Client, world: dict[str, Company], session: Session, path: str
) -> None:
    inactive_ids = {
        "/hsds/organizations/{id}": [world["inactive"].id, world["pending"].id],
        "/hsds/services/{id}": list(session.scalars(
            Capability.__table__.select().with_only_columns(Capability.id).where(
                Capability.company_id.in_([world["inactive"].id, world["pending"].id])
            )
        )),
    }[path]
    assert len(inactive_ids) == 2
    for unknown in [uuid.uuid4(), *inactive_ids]:
        r = client.get(path.format(id=unknown))
        assert r.status_code == 404, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.get(path.format(id="not-a-uuid"))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


# --- pagination -------------------------------------------------------------------------------


def test_pagination_edges(client: httpx.Client, world: dict[str, Company]) -> None:
    first = client.get("/hsds/services", params={"per_page": 3}).json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (4, 2, 3)
    assert (first["first_page"], first["last_page"], first["empty"]) == (True, False, False)
    last = client.get("/hsds/services", params={"per_page": 3, "page": 2}).json()
    assert_page("service", last)
    assert (last["page_number"], last["size"], last["first_page"], last["last_page"]) == (
        2, 1, False, True,
    )
    ids = [s["id"] for s in first["contents"] + last["contents"]]
    assert len(set(ids)) == 4
    beyond = client.get("/hsds/services", params={"per_page": 3, "page": 9}).json()
    assert_page("service", beyond)
    assert (beyond["size"], beyond["empty"], beyond["last_page"], beyond["contents"]) == (
        0, True, True, [],
    )
    exact = client.get("/hsds/services", params={"per_page": 4}).json()
    assert (exact["total_pages"], exact["last_page"]) == (1, True)


def test_an_empty_result_is_one_empty_page(client: httpx.Client) -> None:
    body = client.get("/hsds/organizations", params={"search": "no such company"}).json()
    assert_page("organization", body)
    assert (body["total_items"], body["total_pages"], body["empty"]) == (0, 1, True)
    assert (body["first_page"], body["last_page"]) == (True, True)


@pytest.mark.parametrize("path", list(LISTS))
@pytest.mark.parametrize("params", [
    {"page": 0}, {"page": -1}, {"page": "two"}, {"per_page": 0}, {"per_page": 501},
    {"per_page": "many"}, {"format": "xml"}, {"search": "x" * 201}, {"full": "true"},
])
def test_bad_parameters_are_422_problems(
    client: httpx.Client, path: str, params: dict[str, Any]
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


# --- ndjson -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "item"), LISTS.items())
def test_ndjson_streams_every_entry_unpaginated(
    client: httpx.Client, world: dict[str, Company], path: str, item: str
) -> None:
    total = client.get(path).json()["total_items"]
    r = client.get(path, params={"format": "ndjson", "per_page": 1, "page": 3})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/x-ndjson"
    assert r.text.endswith("\n")
    lines = r.text.splitlines()
    assert len(lines) == total
    for line in lines:
        assert_valid(item, json.loads(line))


def test_ndjson_keeps_the_filters(client: httpx.Client, world: dict[str, Company]) -> None:
    r = client.get("/hsds/services", params={"format": "ndjson", "search": "Gent"})
    (line,) = r.text.splitlines()
    assert json.loads(line)["name"] == "Cleaning (Maatwerk Gent)"


# --- filters ------------------------------------------------------------------------------------


def test_taxonomy_term_id_on_kinds_groups_and_nace(
    client: httpx.Client, world: dict[str, Company]
) -> None:
    def names(path: str, term: uuid.UUID) -> set[str]:
        return {e.get("name") or e["description"]
                for e in _all(client, path, taxonomy_term_id=str(term))}

    assert names("/hsds/services", _term("work-kind", "packaging")) == {
        "Packaging (Werkbedrijf Tilburg)"
    }
    assert names("/hsds/services", _term("work-kind", "production")) == {
        "Packaging (Werkbedrijf Tilburg)", "Assembly (Werkbedrijf Tilburg)",
    }
    assert names("/hsds/services", _term("nace", "82.92")) == {"Packaging (Werkbedrijf Tilburg)"}
    assert names("/hsds/organizations", _term("work-kind", "facility")) == {
        "Groen Breda", "Maatwerk Gent",
    }
    assert names("/hsds/service_at_locations", _term("work-kind", "green-maintenance")) == {
        "Green maintenance at Hoofdvestiging", "Green maintenance at Vestiging Eindhoven",
    }
    assert names("/hsds/services", uuid.uuid4()) == set()
    r = client.get("/hsds/services", params={"taxonomy_term_id": "packaging"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


def test_terms_are_the_published_taxonomy(client: httpx.Client) -> None:
    terms = _all(client, "/hsds/taxonomy_terms")
    by_code = {t["code"]: t for t in terms}
    assert by_code["packaging"]["parent_id"] == str(_term("work-kind", "production"))
    assert by_code["packaging"]["id"] == str(_term("work-kind", "packaging"))
    assert "parent_id" not in by_code["production"]
    assert by_code["82.92"]["taxonomy"] == "nace-rev2"
    kinds = _all(client, "/hsds/taxonomy_terms",
                 parent_id=str(_term("work-kind", "logistics")))
    assert "warehousing" in {t["code"] for t in kinds}
    (nace,) = [t for t in _all(client, "/hsds/taxonomies") if t["name"] == "nace-rev2"]
    only_nace = _all(client, "/hsds/taxonomy_terms", taxonomy_id=nace["id"])
    assert only_nace
    assert all(t["taxonomy"] == "nace-rev2" for t in only_nace)


def test_search(client: httpx.Client, world: dict[str, Company]) -> None:
    assert {s["name"] for s in _all(client, "/hsds/services", search="verpak")} == {
        "Packaging (Werkbedrijf Tilburg)"
    }
    assert {o["name"] for o in _all(client, "/hsds/organizations", search="GROEN")} == {
        "Groen Breda"
    }
    # A place finds the services offered there; LIKE's wildcards are plain text.
    assert {s["description"] for s in _all(client, "/hsds/service_at_locations",
                                             search="eindhoven")} == {
        "Green maintenance at Vestiging Eindhoven"
    }
    assert _all(client, "/hsds/services", search="%") == []
    assert "order-fulfilment" in {
        t["code"] for t in _all(client, "/hsds/taxonomy_terms", search="fulfil")
    }


def test_modified_after(
    client: httpx.Client, world: dict[str, Company], session: Session
) -> None:
    long_ago = datetime(2026, 1, 1, tzinfo=UTC)
    stale = [world["tilburg"].id, world["gent"].id]
    session.execute(update(Company).where(Company.id.in_(stale)).values(updated_at=long_ago))
    session.execute(update(Capability).where(Capability.company_id.in_(stale))
                    .values(capacity_updated_at=long_ago))
    session.flush()
    since = (long_ago + timedelta(days=30)).isoformat().replace("+00:00", "Z")
    for path in ("/hsds/services", "/hsds/service_at_locations"):
        found = _all(client, path, modified_after=since)
        assert found
        assert {e.get("organization_id") or e["location"]["organization_id"]
                for e in found} == {str(world["breda"].id)}
    assert len(_all(client, "/hsds/services", modified_after="2025-12-31t00:00:00.123456789z")) == 4
    # The offset counts: 01:00+02:00 is before the stale ones' change, 23:00-02:00 after it.
    assert len(_all(client, "/hsds/services", modified_after="2026-01-01T01:00:00+02:00")) == 4
    assert len(_all(client, "/hsds/services", modified_after="2025-12-31T23:00:00-02:00")) == 1
    assert len(_all(client, "/hsds/services", modified_after="0001-01-01T00:00:00+01:00")) == 4
    assert _all(client, "/hsds/services", modified_after="9999-12-31T23:59:59Z") == []
    # Not of RFC 3339's shape (no offset, a bare date, empty), or of its shape but no instant.
    for bad, code in [
        ("yesterday", "bad_format"), ("2026-12-01", "bad_format"), ("", "bad_format"),
        ("2026-12-01T00:00:00", "bad_format"), ("2026-13-01T00:00:00Z", "not_datetime"),
        ("2026-12-03T25:00:00Z", "not_datetime"), ("2026-12-31T23:59:60Z", "not_datetime"),
        ("0000-01-01T00:00:00Z", "not_datetime"),
    ]:
        r = client.get("/hsds/services", params={"modified_after": bad})
        assert r.status_code == 422, bad
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["code"] == code, bad


def test_ids_are_stable_uuids(client: httpx.Client, world: dict[str, Company]) -> None:
    first = client.get("/hsds/service_at_locations", params={"per_page": 500}).json()
    again = client.get("/hsds/service_at_locations", params={"per_page": 500}).json()
    assert first == again
    sal = first["contents"][0]
    assert sal["id"] == str(uuid.uuid5(
        NAMESPACE, f"service-at-location:{sal['service_id']}:{sal['location_id']}"
    ))
    services = _all(client, "/hsds/services", organization_id=str(world["tilburg"].id))
    assert {s["organization_id"] for s in services} == {str(world["tilburg"].id)}


# --- what is never exported ---------------------------------------------------------------------


def test_contact_persons_never_appear_anywhere(
    client: httpx.Client, world: dict[str, Company], session: Session
) -> None:
    texts = []
    for path in LISTS:
        texts.append(client.get(path, params={"per_page": 500}).text)
        texts.append(client.get(path, params={"format": "ndjson"}).text)
    for company in world.values():
        texts.append(client.get(f"/hsds/organizations/{company.id}").text)
    for service in _all(client, "/hsds/services"):
        texts.append(client.get(f"/hsds/services/{service['id']}").text)
    everything = "\n".join(texts)
    assert "Werkbedrijf Tilburg" in everything  # the calls did answer
    for value in CONTACT.values():
        if value != "accountmanager":
            assert value not in everything
    assert "Zeynep" not in everything
    assert "zeynep" not in everything.lower()
    assert "687654321" not in everything
    assert '"contacts"' not in everything
