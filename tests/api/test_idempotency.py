"""Idempotency-Key on every POST that creates something."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import IdempotencyRecord, Request, utcnow
from tests.api.world import openapi_operations
from tests.conftest import auth, make_key
from tests.factories import company_profile

REQUEST = {"title": "Inpakwerk", "criteria": {"work_kinds": ["packaging"]}}


def test_every_creating_post_accepts_an_idempotency_key() -> None:
    from app.config import Settings
    from app.main import create_app
    from tests.conftest import TEST_SECRET_KEY

    doc = create_app(Settings(env="test", database_url="sqlite://",
                              secret_key=TEST_SECRET_KEY)).openapi()
    creating = [
        (m, p) for m, p in openapi_operations()
        if m == "POST" and "201" in doc["paths"][p]["post"]["responses"]
    ]
    assert ("POST", "/v1/companies") in creating
    for _, path in creating:
        headers = [x["name"] for x in doc["paths"][path]["post"].get("parameters", [])
                   if x["in"] == "header"]
        assert "Idempotency-Key" in headers, path


def test_same_key_and_body_replays_the_first_answer(
    client: httpx.Client, session: Session
) -> None:
    headers = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "abc-1"}
    first = client.post("/v1/requests", json=REQUEST, headers=headers)
    again = client.post("/v1/requests", json=REQUEST, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert session.scalar(select(Request.id).where(Request.title == "Inpakwerk").limit(2))
    assert len(session.scalars(select(Request).where(Request.title == "Inpakwerk")).all()) == 1


def test_same_key_with_another_body_is_422(client: httpx.Client, session: Session) -> None:
    headers = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "abc-2"}
    assert client.post("/v1/requests", json=REQUEST, headers=headers).status_code == 201
    r = client.post("/v1/requests", json={**REQUEST, "title": "Anders"}, headers=headers)
    assert r.status_code == 422
    assert r.json()["type"].endswith("idempotency-key-reused")


def test_a_concurrent_duplicate_is_409(client: httpx.Client, session: Session) -> None:
    """The first request still runs (its claim is in flight): a duplicate must wait."""
    headers = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "abc-3"}
    assert client.post("/v1/requests", json=REQUEST, headers=headers).status_code == 201
    record = session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.key == "abc-3")).one()
    record.state, record.created_at = "in_flight", utcnow()
    session.commit()
    r = client.post("/v1/requests", json=REQUEST, headers=headers)
    assert r.status_code == 409 and r.headers["retry-after"] == "1"


def test_keys_are_scoped_per_account(client: httpx.Client, session: Session) -> None:
    one = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "shared"}
    two = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "shared"}
    a = client.post("/v1/requests", json=REQUEST, headers=one)
    b = client.post("/v1/requests", json=REQUEST, headers=two)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_errors_are_not_stored_so_a_fixed_retry_works(
    client: httpx.Client, session: Session
) -> None:
    headers = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "abc-4"}
    bad = {**REQUEST, "criteria": {"work_kinds": ["packaging"],
                                   "location": {"place": "Nergenshuizen", "country": "NL"}}}
    assert client.post("/v1/requests", json=bad, headers=headers).status_code == 422
    assert client.post("/v1/requests", json=REQUEST, headers=headers).status_code == 201


def test_expired_keys_may_be_used_again(client: httpx.Client, session: Session) -> None:
    headers = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "abc-5"}
    first = client.post("/v1/requests", json=REQUEST, headers=headers).json()
    record = session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.key == "abc-5")).one()
    assert record.expires_at - record.created_at >= timedelta(hours=24)
    record.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    second = client.post("/v1/requests", json=REQUEST, headers=headers).json()
    assert second["id"] != first["id"]


def test_a_new_key_secret_is_replayed_but_never_stored_in_clear(
    client: httpx.Client, session: Session, admin_headers: dict[str, str]
) -> None:
    headers = {**admin_headers, "Idempotency-Key": "key-1"}
    body = {"name": "partner", "role": "partner"}
    first = client.post("/v1/api-keys", json=body, headers=headers)
    again = client.post("/v1/api-keys", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["secret"] == first.json()["secret"]
    record = session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.key == "key-1")).one()
    assert first.json()["secret"].encode() not in (record.response_body or b"")


def test_company_creation_is_idempotent(
    client: httpx.Client, admin_headers: dict[str, str]
) -> None:
    headers = {**admin_headers, "Idempotency-Key": "company-1"}
    profile = company_profile("Werkbedrijf Eenmaal")
    first = client.post("/v1/companies", json=profile, headers=headers)
    again = client.post("/v1/companies", json=profile, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["etag"] == first.headers["etag"]


def test_a_malformed_idempotency_key_is_422(
    client: httpx.Client, session: Session
) -> None:
    headers = {**auth(make_key(session, Role.entrepreneur)), "Idempotency-Key": "x" * 300}
    assert client.post("/v1/requests", json=REQUEST, headers=headers).status_code == 422
