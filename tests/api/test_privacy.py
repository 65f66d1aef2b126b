"""GDPR for contact persons: export and erase one person everywhere; never in the logs."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.config import Settings
from app.logging import configure_logging
from app.models import OutboxMessage, utcnow
from tests.conftest import auth, make_key
from tests.factories import company_profile, create_company

ANNA = "anna@werkbedrijf.example.org"


def _export(client: httpx.Client, headers: dict[str, str], email: str = ANNA) -> dict:
    r = client.post("/v1/privacy/contacts/export", json={"email": email}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    return r.json()


def test_export_finds_the_person_everywhere(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    company = create_company(session, "Werkbedrijf Een")
    create_company(session, "Werkbedrijf Twee")
    client.patch(f"/v1/companies/{company.id}", json={"description": "x"},
                 headers={**admin_headers, "If-Match": "*"})
    entrepreneur = auth(make_key(session, Role.entrepreneur))
    client.post("/v1/requests", headers=entrepreneur, json={
        "title": "Inpakken", "contact": {"name": "Anna", "email": ANNA.upper()},
        "criteria": {"work_kinds": ["packaging"]}})
    data = _export(client, admin_headers, ANNA.upper())
    assert sorted(c["company_name"] for c in data["contacts"]) == [
        "Werkbedrijf Een", "Werkbedrijf Twee"]
    assert data["contacts"][0]["phone"] == "+31612345678"
    assert [r["title"] for r in data["requests"]] == ["Inpakken"]
    assert len(data["history"]) == 2  # both creations touched her
    # A company sees only its own contact entries.
    own = _export(client, auth(make_key(session, Role.company, company_id=company.id)))
    assert [c["company_name"] for c in own["contacts"]] == ["Werkbedrijf Een"]
    assert own["requests"] == []


def test_erase_removes_the_person_everywhere(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    created = client.post(
        "/v1/companies", json=company_profile("Werkbedrijf Weg"),
        headers={**admin_headers, "Idempotency-Key": "create-weg"},
    ).json()
    etag = client.get(f"/v1/companies/{created['id']}", headers=admin_headers).headers["etag"]
    entrepreneur = auth(make_key(session, Role.entrepreneur))
    request_id = client.post("/v1/requests", headers=entrepreneur, json={
        "title": "Inpakken", "contact": {"name": "Anna", "email": ANNA},
        "criteria": {"work_kinds": ["packaging"]}}).json()["id"]
    session.add(OutboxMessage(
        id=uuid.uuid4(), channel="email", event_id=uuid.uuid4(), event_type="invitation",
        recipient=ANNA, payload={"to": ANNA}, status="pending", created_at=utcnow(),
        next_attempt_at=utcnow(),
    ))
    session.commit()

    r = client.post("/v1/privacy/contacts/erase", json={"email": ANNA}, headers=admin_headers)
    assert r.status_code == 200, r.text
    erased = r.json()["erased"]
    assert erased["contacts"] == 1 and erased["requests"] == 1
    assert erased["history_entries"] == 1 and erased["pending_notifications"] == 1
    assert erased["stored_replays"] >= 1

    after = _export(client, admin_headers)
    assert after == {"email": ANNA, "contacts": [], "requests": [], "history": []}
    profile = client.get(f"/v1/companies/{created['id']}", headers=admin_headers)
    assert profile.json()["contacts"] == [] and profile.headers["etag"] != etag
    stored = client.get(f"/v1/requests/{request_id}", headers=entrepreneur).json()
    assert stored["contact"] is None
    assert session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == ANNA)).all() == []
    history = client.get(f"/v1/companies/{created['id']}/history", headers=admin_headers).json()
    assert history["items"][0]["action"] == "privacy-erasure"
    assert "anna" not in str(history).lower()
    # Erasing again finds nothing, which is not an error.
    again = client.post("/v1/privacy/contacts/erase", json={"email": ANNA},
                        headers=admin_headers).json()
    assert set(again["erased"].values()) == {0}


def test_a_company_erases_only_its_own_contacts(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    own = create_company(session, "Werkbedrijf Eigen")
    other = create_company(session, "Werkbedrijf Ander")
    headers = auth(make_key(session, Role.company, company_id=own.id))
    r = client.post("/v1/privacy/contacts/erase", json={"email": ANNA}, headers=headers)
    assert r.json()["erased"]["contacts"] == 1
    remaining = _export(client, admin_headers)["contacts"]
    assert [c["company_id"] for c in remaining] == [str(other.id)]


def test_entrepreneurs_and_partners_may_not_use_privacy_endpoints(
    client: httpx.Client, session: Session
) -> None:
    for role in (Role.entrepreneur, Role.partner):
        headers = auth(make_key(session, role))
        r = client.post("/v1/privacy/contacts/export", json={"email": ANNA}, headers=headers)
        assert r.status_code == 403


def test_contact_data_and_keys_never_reach_the_logs(
    client: httpx.Client, session: Session, admin_headers: dict[str, str],
    capsys: pytest.CaptureFixture[str], settings: Settings,
) -> None:
    configure_logging("DEBUG", json_output=True, cache=False)
    try:
        secret = admin_headers["Authorization"].removeprefix("Bearer ")
        created = client.post("/v1/companies", json=company_profile("Werkbedrijf Log"),
                              headers=admin_headers).json()
        client.get(f"/v1/companies/{created['id']}", headers=admin_headers)
        client.patch(f"/v1/companies/{created['id']}",
                     json={"contacts": [{"name": "Bram Geheim", "email": "bram@geheim.example",
                                         "phone": "+31687654321"}]},
                     headers={**admin_headers, "If-Match": "*"})
        client.post("/v1/privacy/contacts/export", json={"email": ANNA}, headers=admin_headers)
        client.post("/v1/privacy/contacts/erase", json={"email": "bram@geheim.example"},
                    headers=admin_headers)
        client.get("/v1/requests", headers={"Authorization": f"Bearer {secret[:-1]}x"})
    finally:
        configure_logging(settings.log_level, cache=False)
    out = capsys.readouterr()
    logged = out.out + out.err
    assert '"event": "request"' in logged  # the access log ran
    for needle in (secret, secret[:-1], "anna@", "Anna de Vries", "+31612345678",
                   "bram@geheim", "Bram Geheim", "+31687654321"):
        assert needle not in logged, needle
