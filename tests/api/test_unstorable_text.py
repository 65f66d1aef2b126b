"""Text no database can store (NUL, unpaired surrogates) is refused with 422 naming the field,
wherever it comes in: a JSON body (values and keys), the query or the path. Left to the
database it was a 500 on PostgreSQL, whose traceback logged the statement's values."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.api.test_errors import assert_problem, raw_post
from tests.conftest import auth, make_key

# A public address: nothing is resolved, and the check of the URL itself passes.
HOOK = "https://93.184.215.14/hooks/loket"


def _error(response: httpx.Response, status: int = 422) -> tuple[str, str]:
    body = assert_problem(response, status)
    (error,) = body["errors"]
    assert error["type"] == "string_unstorable", error
    return error["location"], error["field"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": HOOK + "\u0000", "events": ["company.updated"]}, "url"),
        ({"url": HOOK, "events": ["company.updated"], "description": "a\u0000b"}, "description"),
    ],
    ids=["url", "description"],
)
def test_nul_in_a_webhook_is_422_naming_the_field(
    client: httpx.Client, session: Session, body: dict[str, Any], field: str
) -> None:
    partner = auth(make_key(session, Role.partner))
    r = client.post("/v1/webhooks", json=body, headers=partner)
    assert _error(r) == ("body", field)
    # Nothing was stored: the partner has no webhook.
    assert client.get("/v1/webhooks", headers=partner).json()["total"] == 0


def _webhook_described(client: httpx.Client, partner: dict[str, str], escaped: str) -> Any:
    """Registers a webhook whose description is `escaped` as written in the JSON."""
    content = json.dumps(
        {"url": HOOK, "events": ["company.updated"], "description": "PLACEHOLDER"}
    ).replace("PLACEHOLDER", escaped)
    return raw_post(client, "/v1/webhooks", content, partner)


def test_an_unpaired_surrogate_in_a_webhook_is_422(
    client: httpx.Client, session: Session
) -> None:
    r = _webhook_described(client, auth(make_key(session, Role.partner)), "a\\udc00b")
    assert _error(r) == ("body", "description")


@pytest.mark.parametrize(
    ("escaped", "stored"),
    [
        # An escaped backslash, then 'u0000': plain text.
        ("a\\\\u0000b", "a\\u0000b"),
        # A surrogate pair is one character outside the BMP.
        ("tool \\ud83d\\udd27", "tool \U0001f527"),
    ],
    ids=["escaped-backslash", "surrogate-pair"],
)
def test_storable_text_that_looks_suspect_is_accepted(
    client: httpx.Client, session: Session, escaped: str, stored: str
) -> None:
    r = _webhook_described(client, auth(make_key(session, Role.partner)), escaped)
    assert r.status_code == 201, r.text
    assert r.json()["description"] == stored


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "key\u0000", "role": "partner"}, "name"),
        ({"name": "key", "role": "partner", "publishable": True,
          "allowed_origins": ["https://a.example", "https://b.example\u0000"]},
         "allowed_origins.1"),
        # Unknown fields are refused anyway; NUL in a key is named where it stands.
        ({"name": "key", "role": "partner", "x\u0000y": 1}, "x\u0000y"),
    ],
    ids=["name", "list-item", "object-key"],
)
def test_nul_in_an_api_key_body_is_422_naming_the_field(
    client: httpx.Client, admin_headers: dict[str, str], body: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/api-keys", json=body, headers=admin_headers)
    assert _error(r) == ("body", field)


def test_nul_in_the_query_is_422_naming_the_parameter(
    client: httpx.Client, session: Session
) -> None:
    partner = auth(make_key(session, Role.partner))
    r = client.get("/v1/changes", params={"since": "2026-01-01T00:00:00Z\u0000"}, headers=partner)
    assert _error(r) == ("query", "since")


def test_nul_in_the_path_is_422_naming_the_parameter(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    r = client.get("/v1/companies/%00", headers=admin_headers)
    assert _error(r) == ("path", "company_id")


def test_the_database_error_of_a_statement_does_not_carry_its_values(engine: Engine) -> None:
    """hide_parameters: an error's message (and so any traceback logged) names no value."""
    secret = "whsec_not-to-be-seen-in-any-message"
    with engine.connect() as connection, pytest.raises(SQLAlchemyError) as raised:
        connection.execute(text("SELECT no_such_column FROM api_keys WHERE name = :n"),
                           {"n": secret})
    assert secret not in str(raised.value)
    assert "hide_parameters" in str(raised.value)
