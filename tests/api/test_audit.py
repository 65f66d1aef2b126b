"""Every change to a company profile is recorded: who, what (before and after), when."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import auth, make_key
from tests.factories import company_profile


def test_creation_and_changes_are_in_the_history(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    created = client.post("/v1/companies", json=company_profile("Werkbedrijf Historie"),
                          headers=admin_headers).json()
    company_key = make_key(session, Role.company, company_id=uuid.UUID(created["id"]),
                           name="Planner")
    r = client.patch(f"/v1/companies/{created['id']}",
                     json={"description": "Nieuw.", "phone": "+31135000001"},
                     headers={**auth(company_key), "If-Match": "*"})
    assert r.status_code == 200, r.text
    history = client.get(f"/v1/companies/{created['id']}/history", headers=auth(company_key))
    assert history.status_code == 200
    assert history.headers["cache-control"] == "no-store"
    items = history.json()["items"]
    assert [i["action"] for i in items] == ["updated", "created"]
    change = items[0]
    assert change["actor"]["name"] == "Planner" and change["actor"]["role"] == "company"
    assert change["actor"]["key_id"]
    assert {c["field"]: (c["before"], c["after"]) for c in change["changes"]} == {
        "description": ("Een testbedrijf.", "Nieuw."),
        "phone": ("+31135000000", "+31135000001"),
    }
    assert history.json()["total"] == 2


def test_personal_data_is_redacted_in_the_history(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    created = client.post("/v1/companies", json=company_profile("Werkbedrijf Privé"),
                          headers=admin_headers).json()
    client.patch(f"/v1/companies/{created['id']}",
                 json={"contacts": [{"name": "Bram Jansen", "email": "bram@example.org"}]},
                 headers={**admin_headers, "If-Match": "*"})
    history = client.get(f"/v1/companies/{created['id']}/history", headers=admin_headers)
    text = history.text
    for secret in ("Anna", "anna@", "Bram", "bram@", "+31612345678"):
        assert secret not in text
    contacts = [c for c in history.json()["items"][0]["changes"] if c["field"] == "contacts"]
    assert contacts == [{"field": "contacts", "before": "[redacted]", "after": "[redacted]"}]


def test_a_patch_that_changes_nothing_records_nothing(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    created = client.post("/v1/companies", json=company_profile("Werkbedrijf Stil"),
                          headers=admin_headers).json()
    client.patch(f"/v1/companies/{created['id']}", json={"name": "Werkbedrijf Stil"},
                 headers={**admin_headers, "If-Match": "*"})
    history = client.get(f"/v1/companies/{created['id']}/history", headers=admin_headers)
    assert history.json()["total"] == 1


def test_history_is_paginated(client: httpx.Client, admin_headers: dict[str, str]) -> None:
    created = client.post("/v1/companies", json=company_profile("Werkbedrijf Druk"),
                          headers=admin_headers).json()
    for i in range(3):
        client.patch(f"/v1/companies/{created['id']}", json={"description": f"versie {i}"},
                     headers={**admin_headers, "If-Match": "*"})
    page = client.get(f"/v1/companies/{created['id']}/history?limit=2&offset=1",
                      headers=admin_headers).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    assert page["items"][0]["changes"][0]["after"] == "versie 1"
