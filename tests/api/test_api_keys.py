"""The keys API: make, list, read, revoke and rotate keys; a secret is shown once."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import ApiKey
from tests.conftest import auth, make_key
from tests.factories import create_company

REQUEST = {"title": "Inpakwerk", "criteria": {"work_kinds": ["packaging"]}}


def new_key(client: httpx.Client, headers: dict[str, str], **body: Any) -> httpx.Response:
    return client.post("/v1/api-keys", json={"name": "k", **body}, headers=headers)


def test_admin_makes_a_key_and_sees_the_secret_only_once(
    client: httpx.Client, admin_headers: dict[str, str], session: Session
) -> None:
    r = new_key(client, admin_headers, role="entrepreneur", name="Green Side")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["secret"].startswith("lk_ent_") and body["prefix"] == body["secret"][:17]
    assert r.headers["location"] == f"/v1/api-keys/{body['id']}"
    assert r.headers["cache-control"] == "no-store"
    # The secret works, is never shown again, and is not stored.
    assert client.get("/v1/requests", headers=auth(body["secret"])).status_code == 200
    listed = client.get("/v1/api-keys", headers=admin_headers)
    assert body["secret"] not in listed.text and "secret" not in listed.json()["items"][0]
    one = client.get(f"/v1/api-keys/{body['id']}", headers=admin_headers).json()
    assert "secret" not in one and one["name"] == "Green Side"
    stored = session.get_one(ApiKey, uuid.UUID(body["id"]))
    assert body["secret"] not in (stored.secret_hash, stored.prefix)


def test_a_mistyped_key_is_refused(client: httpx.Client, admin_headers: dict[str, str]) -> None:
    secret = new_key(client, admin_headers, role="entrepreneur").json()["secret"]
    typo = secret[:-8] + ("A" if secret[-8] != "A" else "B") + secret[-7:]
    r = client.get("/v1/requests", headers=auth(typo))
    assert r.status_code == 401 and "malformed" in r.json()["detail"]


def test_company_key_makes_keys_for_its_own_company_only(
    client: httpx.Client, session: Session
) -> None:
    own = create_company(session, "Werkbedrijf Eigen")
    other = create_company(session, "Werkbedrijf Ander")
    headers = auth(make_key(session, Role.company, company_id=own.id))
    r = new_key(client, headers, role="company")
    assert r.status_code == 201 and r.json()["company_id"] == str(own.id)
    assert new_key(client, headers, role="company", company_id=str(other.id)).status_code == 403
    assert new_key(client, headers, role="admin").status_code == 403
    assert new_key(client, headers, role="entrepreneur").status_code == 403
    # Binding and ownership fields are for operators only.
    assert new_key(client, headers, role="company",
                   owner_id=str(uuid.uuid4())).status_code == 403


def test_entrepreneurs_and_partners_may_not_make_keys(
    client: httpx.Client, session: Session
) -> None:
    for role in (Role.entrepreneur, Role.partner):
        headers = auth(make_key(session, role))
        assert new_key(client, headers, role=role.value).status_code == 403


def test_key_binding_rules(client: httpx.Client, admin_headers: dict[str, str],
                           session: Session) -> None:
    company = create_company(session)
    assert new_key(client, admin_headers, role="company").status_code == 403
    assert new_key(client, admin_headers, role="entrepreneur",
                   company_id=str(company.id)).status_code == 403
    assert new_key(client, admin_headers, role="entrepreneur",
                   publishable=True, allowed_origins=["https://a.example"]).status_code == 403
    assert new_key(client, admin_headers, role="partner", publishable=True).status_code == 422
    assert new_key(client, admin_headers, role="partner",
                   allowed_origins=["https://a.example"]).status_code == 422
    assert new_key(client, admin_headers, role="partner", publishable=True,
                   allowed_origins=["https://a.example/path"]).status_code == 422
    assert new_key(client, admin_headers, role="entrepreneur",
                   expires_at="2020-01-01T00:00:00Z").status_code == 422
    assert new_key(client, admin_headers, role="entrepreneur", status="x").status_code == 422


def test_listing_shows_only_your_accounts_keys(
    client: httpx.Client, admin_headers: dict[str, str], session: Session
) -> None:
    a = create_company(session, "Werkbedrijf A")
    b = create_company(session, "Werkbedrijf B")
    a_key = make_key(session, Role.company, company_id=a.id, name="a1")
    make_key(session, Role.company, company_id=a.id, name="a2")
    make_key(session, Role.company, company_id=b.id, name="b1")
    names = {k["name"] for k in client.get("/v1/api-keys", headers=auth(a_key)).json()["items"]}
    assert names == {"a1", "a2"}
    everything = client.get("/v1/api-keys?limit=100", headers=admin_headers).json()
    assert {"a1", "a2", "b1"} <= {k["name"] for k in everything["items"]}


def test_revoked_key_stops_working(client: httpx.Client, admin_headers: dict[str, str]) -> None:
    body = new_key(client, admin_headers, role="entrepreneur").json()
    assert client.delete(f"/v1/api-keys/{body['id']}", headers=admin_headers).status_code == 204
    r = client.get("/v1/requests", headers=auth(body["secret"]))
    assert r.status_code == 401
    assert client.delete(f"/v1/api-keys/{body['id']}", headers=admin_headers).status_code == 204
    shown = client.get(f"/v1/api-keys/{body['id']}", headers=admin_headers).json()
    assert shown["revoked_at"] is not None


def test_a_key_may_revoke_itself(client: httpx.Client, session: Session) -> None:
    secret = make_key(session, Role.entrepreneur)
    key_id = client.get("/v1/api-keys", headers=auth(secret)).json()["items"][0]["id"]
    assert client.delete(f"/v1/api-keys/{key_id}", headers=auth(secret)).status_code == 204
    assert client.get("/v1/requests", headers=auth(secret)).status_code == 401


def test_expired_key_stops_working(client: httpx.Client, session: Session) -> None:
    from datetime import timedelta

    from app.models import utcnow

    secret = make_key(session, Role.entrepreneur)
    key_id = client.get("/v1/api-keys", headers=auth(secret)).json()["items"][0]["id"]
    key = session.get_one(ApiKey, uuid.UUID(key_id))
    key.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get("/v1/requests", headers=auth(secret)).status_code == 401


def test_last_used_at_is_recorded(client: httpx.Client, admin_headers: dict[str, str]) -> None:
    body = new_key(client, admin_headers, role="entrepreneur").json()
    assert body["last_used_at"] is None
    client.get("/v1/requests", headers=auth(body["secret"]))
    shown = client.get(f"/v1/api-keys/{body['id']}", headers=admin_headers).json()
    assert shown["last_used_at"] is not None


def test_rotation_keeps_ownership_and_revokes_the_old_key(
    client: httpx.Client, session: Session
) -> None:
    secret = make_key(session, Role.entrepreneur, name="Green Side")
    request_id = client.post("/v1/requests", json=REQUEST, headers=auth(secret)).json()["id"]
    key_id = client.get("/v1/api-keys", headers=auth(secret)).json()["items"][0]["id"]
    r = client.post(f"/v1/api-keys/{key_id}/rotate", json={}, headers=auth(secret))
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["name"] == "Green Side" and new["role"] == "entrepreneur"
    assert new["rotated_from_id"] == key_id and new["secret"] != secret
    assert client.get("/v1/requests", headers=auth(secret)).status_code == 401
    # What the old key owned, the new one still owns.
    assert client.get(f"/v1/requests/{request_id}", headers=auth(new["secret"])).status_code == 200
    # A rotated key cannot be rotated again.
    r = client.post(f"/v1/api-keys/{key_id}/rotate", headers=auth(new["secret"]))
    assert r.status_code == 409


def test_rotation_with_a_grace_period_keeps_the_old_key_working_for_a_while(
    client: httpx.Client, session: Session
) -> None:
    company = create_company(session)
    secret = make_key(session, Role.company, company_id=company.id)
    key_id = client.get("/v1/api-keys", headers=auth(secret)).json()["items"][0]["id"]
    r = client.post(f"/v1/api-keys/{key_id}/rotate", json={"grace_period_seconds": 3600},
                    headers=auth(secret))
    assert r.status_code == 201
    assert r.json()["company_id"] == str(company.id)
    assert client.get("/v1/api-keys", headers=auth(secret)).status_code == 200
    old = client.get(f"/v1/api-keys/{key_id}", headers=auth(r.json()["secret"])).json()
    assert old["revoked_at"] is not None
    too_long = client.post(f"/v1/api-keys/{r.json()['id']}/rotate",
                           json={"grace_period_seconds": 10**8}, headers=auth(secret))
    assert too_long.status_code == 422


def test_admin_adds_a_key_to_an_existing_account(
    client: httpx.Client, admin_headers: dict[str, str], session: Session
) -> None:
    first = new_key(client, admin_headers, role="entrepreneur").json()
    request_id = client.post("/v1/requests", json=REQUEST,
                             headers=auth(first["secret"])).json()["id"]
    second = new_key(client, admin_headers, role="entrepreneur",
                     owner_id=first["owner_id"]).json()
    assert second["owner_id"] == first["owner_id"]
    r = client.get(f"/v1/requests/{request_id}", headers=auth(second["secret"]))
    assert r.status_code == 200
    assert new_key(client, admin_headers, role="partner",
                   owner_id=first["owner_id"]).status_code == 422


def test_partner_requests_belong_to_the_partner(client: httpx.Client, session: Session) -> None:
    partner = make_key(session, Role.partner)
    other_partner = make_key(session, Role.partner)
    request_id = client.post("/v1/requests", json=REQUEST, headers=auth(partner)).json()["id"]
    assert client.get(f"/v1/requests/{request_id}", headers=auth(partner)).status_code == 200
    assert client.get(f"/v1/requests/{request_id}",
                      headers=auth(other_partner)).status_code == 404
    assert client.get("/v1/requests", headers=auth(other_partner)).json()["total"] == 0
