"""The OpenAPI document says what the server does: cross-field rules JSON Schema can state are
in the schema, and agree exactly with the server's own validation; the invitation endpoints
declare both ways in (a bearer key or the mailed link's token).

Validated with jsonschema_rs, the validator schemathesis checks the contract with."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import jsonschema_rs
import pytest
from pydantic import BaseModel, ValidationError

from app.companies.schemas import CompanyUpdate, Registration, SiteIn
from app.search.schemas import Location

ABSENT = object()


@pytest.fixture(scope="module")
def components(app: Any) -> dict[str, Any]:
    return dict(app.openapi()["components"])


def _schema_accepts(components: dict[str, Any], name: str, value: Any) -> bool:
    schema = {"$ref": f"#/components/schemas/{name}", "components": components}
    return bool(jsonschema_rs.validator_for(schema).is_valid(value))


def _model_accepts(model: type[BaseModel], value: Any) -> bool:
    try:
        model.model_validate(value)
    except ValidationError:
        return False
    return True


def _combinations(**choices: list[Any]) -> list[dict[str, Any]]:
    names = list(choices)
    return [
        {name: value for name, value in zip(names, values, strict=True) if value is not ABSENT}
        for values in itertools.product(*choices.values())
    ]


def test_location_forms_agree_with_the_server(components: dict[str, Any]) -> None:
    """Every mix of present, null and absent fields: the schema accepts exactly what the
    server does (one form; lat with lon; a postcode with its country)."""
    cases = _combinations(
        postcode=[ABSENT, None, "5038 AB"], place=[ABSENT, None, "Tilburg"],
        country=[ABSENT, None, "NL"], lat=[ABSENT, None, 51.5], lon=[ABSENT, None, 5.1],
    )
    disagreements = [case for case in cases
                     if _schema_accepts(components, "Location", case)
                     != _model_accepts(Location, case)]
    assert disagreements == []
    assert sum(_model_accepts(Location, case) for case in cases) > 10


def test_site_coordinates_agree_with_the_server(components: dict[str, Any]) -> None:
    cases = _combinations(
        name=["Hoofdvestiging"], postcode=[ABSENT, None, "", "5038 AB"],
        city=[ABSENT, None, "", "Tilburg"], lat=[ABSENT, None, 51.5], lon=[ABSENT, None, 5.1],
    )
    disagreements = [case for case in cases
                     if _schema_accepts(components, "SiteIn", case)
                     != _model_accepts(SiteIn, case)]
    assert disagreements == []


NUMBERS = [
    "12345678", "1234 5678", "12.34.56.78", "1234-5678", "1234\u00a05678", " 12345678\t",
    "1234567", "123456789", "1234567a", "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668",
    "0403170701", "BE0403170701", "be 0403.170.701", "403170701", "B.E.0403170701",
    "0403170702", "2403170701", "04031707011", "BE", "BE 1234", "1234_5678",
]


@pytest.mark.parametrize("country", ["NL", "BE"])
def test_registration_shapes_agree_with_the_server(
    components: dict[str, Any], country: str
) -> None:
    """NL exactly; BE up to its mod-97 check digits, which only the description states."""
    for number in NUMBERS:
        case = {"country": country, "number": number}
        in_schema = _schema_accepts(components, "Registration", case)
        on_server = _model_accepts(Registration, case)
        if country == "NL" or in_schema is False:
            assert in_schema == on_server, case
        else:
            assert in_schema or not on_server, case
    assert _model_accepts(Registration, {"country": "BE", "number": "0403170701"})
    assert not _model_accepts(Registration, {"country": "BE", "number": "0403170702"})


@pytest.mark.parametrize("field", ["name", "registration", "sites", "status"])
def test_a_profile_update_may_leave_out_but_not_null_the_required_fields(
    components: dict[str, Any], field: str
) -> None:
    assert _schema_accepts(components, "CompanyUpdate", {}) is _model_accepts(CompanyUpdate, {})
    case = {field: None}
    assert _schema_accepts(components, "CompanyUpdate", case) is False
    assert _model_accepts(CompanyUpdate, case) is False


def test_key_origins_agree_with_the_server(
    client: httpx.Client, admin_headers: dict[str, str], components: dict[str, Any]
) -> None:
    """A publishable key needs origins, a secret key has none: schema and server agree."""
    cases = _combinations(name=["k"], role=["partner"], publishable=[ABSENT, False, True],
                          allowed_origins=[ABSENT, [], ["https://a.example"]])
    for case in cases:
        created = client.post("/v1/api-keys", json=case, headers=admin_headers)
        assert created.status_code in (201, 422), created.text
        assert _schema_accepts(components, "ApiKeyCreate", case) is \
            (created.status_code == 201), case


INVITATION_OPERATIONS = [
    ("get", "/v1/invitations/{invitation_id}"),
    ("get", "/v1/invitations/{invitation_id}/response"),
    ("post", "/v1/invitations/{invitation_id}/response"),
]


def test_invitation_endpoints_declare_a_key_or_the_answer_link(app: Any) -> None:
    spec = app.openapi()
    assert spec["components"]["securitySchemes"]["AnswerLink"] == {
        "type": "apiKey", "in": "query", "name": "token",
        "description": spec["components"]["securitySchemes"]["AnswerLink"]["description"],
    }
    for method, path in INVITATION_OPERATIONS:
        operation = spec["paths"][path][method]
        # Either one will do: two requirement objects, not one with both.
        assert operation["security"] == [{"HTTPBearer": []}, {"AnswerLink": []}]
        assert "token" not in {p["name"] for p in operation.get("parameters", [])}


@pytest.mark.parametrize(("method", "path"), INVITATION_OPERATIONS)
def test_invitation_endpoints_refuse_a_call_with_neither(
    client: httpx.Client, method: str, path: str
) -> None:
    """403, as the access matrix decided (tests/api/test_access_matrix.py): the call lacks
    the link's token, which is not a key."""
    url = path.format(invitation_id="00000000-0000-0000-0000-000000000001")
    body = {"status": "declined"} if method == "post" else None
    r = client.request(method.upper(), url, json=body)
    assert r.status_code == 403, r.text
