"""Words a person understands: every field error has a stable `code` with `params`, listed by
`GET /v1/error-codes` with Dutch and English templates; capacity edits refused at the field,
and dated only where they changed."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.config import Settings
from app.requests.service import local_today
from app.words.codes import _PYDANTIC, ALL_CODES, PROBLEM_CODES, TEMPLATES, placeholders
from tests.conftest import auth, make_key
from tests.factories import company_profile, create_company

PROBLEM = "application/problem+json"
APP = Path(__file__).resolve().parents[2] / "app"


def codes_of(r: httpx.Response, status: int = 422) -> list[dict[str, Any]]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    errors: list[dict[str, Any]] = r.json()["errors"]
    for e in errors:
        check_renders(e)
    return errors


def check_renders(error: dict[str, Any]) -> None:
    """The code is listed, and its params fill every placeholder of both templates."""
    assert error["code"] in TEMPLATES, error
    assert isinstance(error["params"], dict), error
    missing = placeholders(error["code"]) - set(error["params"])
    assert not missing, (error, missing)


def one(r: httpx.Response, status: int = 422) -> tuple[str, str, dict[str, Any]]:
    (e,) = codes_of(r, status)
    return e["field"], e["code"], e["params"]


# --- the list ---------------------------------------------------------------------------------


def test_error_codes_list_every_code_with_both_languages(client: httpx.Client) -> None:
    r = client.get("/v1/error-codes")
    assert r.status_code == 200
    items = {i["code"]: i for i in r.json()["items"]}
    assert set(items) == set(ALL_CODES) == set(TEMPLATES)
    for code, item in items.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code), code
        assert item["nl"] and item["en"] and item["nl"] != item["en"], code
        assert set(re.findall(r"\{(\w+)\}", item["nl"])) == set(
            re.findall(r"\{(\w+)\}", item["en"])) == set(item["params"]), code
        assert item["scope"] == ("problem" if code in PROBLEM_CODES else "field")
    assert items["too_large"]["nl"] == "Mag hoogstens {max} zijn."


def test_every_code_the_source_can_raise_is_listed() -> None:
    """Statically: each `code="..."` and each PydanticCustomError type in app/ is a code
    (or a Pydantic type we map), and every Pydantic type we map lands on a listed code."""
    seen: set[str] = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            for kw in node.keywords:
                if (name in {"field_error", "FieldError"} and kw.arg == "code"
                        and isinstance(kw.value, ast.Constant)):
                    seen.add(str(kw.value.value))
            if name == "PydanticCustomError" and isinstance(node.args[0], ast.Constant):
                kind = str(node.args[0].value)
                seen.add(_PYDANTIC.get(kind, kind))
    assert seen, "the scan found nothing"
    assert not seen - set(TEMPLATES), seen - set(TEMPLATES)
    assert set(_PYDANTIC.values()) <= set(TEMPLATES)
    assert len(seen) > 30


# --- field errors from validation ---------------------------------------------------------------

MATCH: dict[str, Any] = {"work_kinds": ["packaging"]}


@pytest.mark.parametrize(
    ("body", "field", "code", "params"),
    [
        ({**MATCH, "workers_needed": 100_001}, "workers_needed", "too_large", {"max": 100_000}),
        ({**MATCH, "workers_needed": 0}, "workers_needed", "too_small", {"min": 1}),
        ({**MATCH, "workers_needed": "veel"}, "workers_needed", "not_integer", {}),
        ({**MATCH, "workers_needed": 2.5}, "workers_needed", "not_integer", {}),
        ({**MATCH, "workers_needed": ""}, "workers_needed", "not_integer", {}),
        ({**MATCH, "max_distance_km": 0, "location": {"lat": 51.5, "lon": 5.0}},
         "max_distance_km", "must_be_above", {"min": 0}),
        ({}, "work_kinds", "required", {}),
        ({**MATCH, "colour": "red"}, "colour", "unknown_field", {}),
        ({"work_kinds": []}, "work_kinds", "too_few", {"min_length": 1}),
        ({"work_kinds": ["a"] * 21}, "work_kinds", "too_many", {"max_length": 20}),
        ({"work_kinds": ["Inpakken!"]}, "work_kinds.0", "bad_format", None),
        ({**MATCH, "start_date": "morgen"}, "start_date", "not_date", {}),
        ({**MATCH, "start_date": "1800-01-01"}, "start_date", "date_out_of_range",
         {"min_year": 1900, "max_year": 2100}),
        ({**MATCH, "location": {"place": "Tilburg", "postcode": "5038"}}, "location",
         "location_form", {}),
        ({**MATCH, "location": {"lat": 51.5}}, "location", "lat_lon_together", {}),
        ({**MATCH, "max_distance_km": 10}, "body", "needs_location", {}),
        ({**MATCH, "location": {"place": "x" * 121}}, "location.place", "too_long",
         {"max_length": 120}),
        ({**MATCH, "location": {"place": ""}}, "location.place", "required", {}),
        ({**MATCH, "work_kinds": "packaging"}, "work_kinds", "not_list", {}),
        ({**MATCH, "location": "Tilburg"}, "location", "not_object", {}),
        ({**MATCH, "work_kinds": ["underwater-welding"]}, "work_kinds.0", "unknown_work_kind",
         {"value": "underwater-welding"}),
        ({**MATCH, "required_certifications": ["iso-1"]}, "required_certifications.0",
         "unknown_certification", {"value": "iso-1"}),
        ({**MATCH, "location": {"place": "Gent\u0000"}}, "location.place", "unstorable_text",
         {}),
    ],
)
def test_match_field_errors_carry_code_and_params(
    client: httpx.Client, body: dict[str, Any], field: str, code: str,
    params: dict[str, Any] | None,
) -> None:
    got_field, got_code, got_params = one(client.post("/v1/match", json=body))
    assert (got_field, got_code) == (field, code)
    if params is not None:
        assert got_params == params
    # The English message stays, for developers.


def test_malformed_json_is_invalid_json(client: httpx.Client) -> None:
    r = client.post("/v1/match", content=b'{"work_kinds": [', headers={
        "Content-Type": "application/json"})
    (e,) = codes_of(r, 400)
    assert e["code"] == "invalid_json"


def test_an_unknown_query_parameter_is_unknown_field(client: httpx.Client) -> None:
    (e,) = codes_of(client.get("/v1/companies?work_knd=packaging"))
    assert (e["field"], e["location"], e["code"]) == ("work_knd", "query", "unknown_field")


def test_a_query_range_error_has_its_bound(client: httpx.Client) -> None:
    (e,) = codes_of(client.get("/v1/companies?limit=1000"))
    assert (e["field"], e["code"], e["params"]) == ("limit", "too_large", {"max": 100})


def test_request_dates_have_codes(
    client: httpx.Client, entrepreneur_headers: dict[str, str], settings: Settings
) -> None:
    today = local_today(settings)
    body = {"title": "Inpakken", "criteria": MATCH}
    past = client.post("/v1/requests", headers=entrepreneur_headers, json={
        **body, "deadline": (today - timedelta(days=1)).isoformat()})
    assert one(past) == ("deadline", "date_in_past", {})
    far = client.post("/v1/requests", headers=entrepreneur_headers, json={
        **body, "deadline": (today + timedelta(days=800)).isoformat()})
    field, code, params = one(far)
    assert (field, code) == ("deadline", "date_too_far")
    assert params["latest"] == (today + timedelta(days=366)).isoformat()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"registration": {"country": "NL", "number": "1234"}}, "registration",
         "invalid_registration_number"),
        ({"email": "geen-adres"}, "email", "invalid_email"),
        ({"phone": "bel me maar"}, "phone", "invalid_phone"),
        ({"website": "ftp://example.org"}, "website", "invalid_url"),
        ({"name": "x" * 201}, "name", "too_long"),
        ({"name": ""}, "name", "required"),
        ({"sites": [{"name": "A", "city": "Tilburg"}, {"name": "A", "city": "Breda"}]},
         "body", "duplicate_site_name"),
        ({"sites": [{"name": "A"}]}, "sites.0", "site_location_required"),
        ({"capabilities": [{"work_kind": "packaging", "capacity_workers": 1,
                            "batch_min": 5, "batch_max": 2}]}, "capabilities.0",
         "min_above_max"),
        ({"capabilities": [{"work_kind": "packaging", "capacity_workers": 1},
                           {"work_kind": "packaging", "capacity_workers": 2}]},
         "body", "duplicate_work_kind"),
        ({"certifications": ["iso-1"]}, "certifications.0", "unknown_certification"),
        ({"capabilities": [{"work_kind": "production", "capacity_workers": 1}]},
         "capabilities.0.work_kind", "work_kind_is_group"),
        ({"capabilities": [{"work_kind": "packaging", "capacity_workers": 1,
                            "sites": ["Nergens"]}]}, "capabilities.0.sites.0", "unknown_site"),
    ],
)
def test_company_field_errors_carry_codes(
    client: httpx.Client, admin_headers: dict[str, str], change: dict[str, Any], field: str,
    code: str,
) -> None:
    body = {**company_profile("Werkbedrijf Woorden"), **change}
    got_field, got_code, _ = one(client.post("/v1/companies", json=body, headers=admin_headers))
    assert (got_field, got_code) == (field, code)


# --- capacity edits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "params"),
    [
        (-5, "too_small", {"min": 0}),
        ("", "not_integer", {}),
        ("  ", "not_integer", {}),
        ("vijf", "not_integer", {}),
        (2.5, "not_integer", {}),
        (None, "not_integer", {}),
        (100_001, "too_large", {"max": 100_000}),
        (10**30, "too_large", None),
        (True, "not_integer", {}),
        ([], "not_integer", {}),
    ],
)
def test_invalid_capacity_is_refused_at_its_field_and_nothing_is_saved(
    client: httpx.Client, session: Session, value: Any, code: str,
    params: dict[str, Any] | None,
) -> None:
    company = create_company(session, kinds={"packaging": 10, "assembly": 4})
    headers = auth(make_key(session, Role.company, company_id=company.id))
    before = client.get(f"/v1/companies/{company.id}", headers=headers)
    r = client.patch(f"/v1/companies/{company.id}", headers={
        **headers, "If-Match": before.headers["etag"]}, json={"capabilities": [
            {"work_kind": "assembly", "capacity_workers": 4},
            {"work_kind": "packaging", "capacity_workers": value}]})
    field, got_code, got_params = one(r)
    assert field == "capabilities.1.capacity_workers"
    assert got_code == code
    if params is not None:
        assert got_params == params
    after = client.get(f"/v1/companies/{company.id}", headers=headers).json()
    assert after == before.json()


def test_the_partner_documentation_lists_every_code() -> None:
    doc = (APP.parent / "docs" / "errors.md").read_text()
    for code, (nl, en) in TEMPLATES.items():
        assert f"| `{code}` |" in doc, code
        assert nl in doc and en in doc, code
