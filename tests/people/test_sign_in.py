"""Signing in by mailed link, over HTTP against the live server, reading the link out of the
mail as a person would; the session cookie, CSRF, signing out, one's sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.keys import hash_token
from app.accounts.principal import Role
from app.config import RateLimits
from app.models import SignInToken, User, UserSession
from tests.conftest import auth, make_key
from tests.factories import create_company, create_person, sign_in, sign_in_token
from tests.people.conftest import Mailbox, sign_in_token_in, text_of


def cookie_headers(cookie: str, csrf: str | None = None) -> dict[str, str]:
    headers = {"Cookie": f"loket_session={cookie}"}
    if csrf is not None:
        headers["X-CSRF-Token"] = csrf
    return headers


def test_sign_up_then_sign_in_through_the_mailed_link(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    r = client.post("/v1/auth/sign-up", json={
        "name": "Sanne de Vries", "organisation": "Green Side",
        "email": "Sanne@GreenSide.example.org", "language": "en",
    })
    assert r.status_code == 202, r.text
    mail = mailbox.last_to("sanne@greenside.example.org")
    assert "sign-in link" in str(mail["Subject"]).lower()
    assert "Welcome to Loket" in text_of(mail)
    token = sign_in_token_in(mail)
    # Only the hash is stored.
    assert session.scalars(select(SignInToken.token_hash)).all() == [hash_token(token)]

    r = client.post("/v1/auth/sessions", json={"token": token},
                    headers={"User-Agent": "TestBrowser/1"})
    assert r.status_code == 201, r.text
    signed_in = r.json()
    assert signed_in["next"] == "/my/requests"
    assert signed_in["user"]["role"] == "entrepreneur"
    assert signed_in["user"]["email"] == "sanne@greenside.example.org"
    assert signed_in["user"]["organisation"] == "Green Side"
    assert signed_in["user"]["language"] == "en"
    cookie_header = r.headers["set-cookie"]
    assert "loket_session=" in cookie_header and "HttpOnly" in cookie_header
    assert "samesite=lax" in cookie_header.lower() and "Path=/" in cookie_header
    assert "Secure" not in cookie_header  # plain http in test
    cookie = r.cookies["loket_session"]
    client.cookies.clear()
    stored = session.scalars(select(UserSession)).one()
    assert stored.token_hash == hash_token(cookie) and stored.user_agent == "TestBrowser/1"

    me = client.get("/v1/me", headers=cookie_headers(cookie))
    assert me.status_code == 200, me.text
    assert me.json()["csrf_token"] == signed_in["csrf_token"]
    assert me.json()["company_status"] is None

    # The link works once.
    again = client.post("/v1/auth/sessions", json={"token": token})
    assert again.status_code == 410
    assert again.json()["code"] == "link_expired"
    assert again.headers["content-type"].startswith("application/problem+json")


def test_the_same_answer_for_known_and_unknown_addresses(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    create_person(session, "bekend@example.org")
    known = client.post("/v1/auth/links", json={"email": "bekend@example.org"})
    unknown = client.post("/v1/auth/links", json={"email": "onbekend@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert mailbox.messages("onbekend@example.org") == []
    assert len(mailbox.messages("bekend@example.org")) == 1
    # Signing up with a known address: the same answer, and a plain sign-in link.
    r = client.post("/v1/auth/sign-up", json={"name": "X", "email": "BEKEND@example.org"})
    assert r.status_code == 202 and r.json() == known.json()
    assert len(mailbox.messages("bekend@example.org")) == 2
    assert session.scalars(select(User).where(User.email == "bekend@example.org")).one()


def test_a_link_leads_where_it_was_asked_and_in_the_asked_language(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    create_person(session, "taal@example.org", language="nl")
    r = client.post("/v1/auth/links", json={"email": "taal@example.org",
                                            "next": "/my/requests/123", "language": "en"})
    assert r.status_code == 202
    mail = mailbox.last_to("taal@example.org")
    assert "Sign in with this link" in text_of(mail)
    r = client.post("/v1/auth/sessions", json={"token": sign_in_token_in(mail)})
    client.cookies.clear()
    assert r.json()["next"] == "/my/requests/123"


@pytest.mark.parametrize("next_path", ["//evil.example", "https://evil.example/", "/\\evil",
                                       "relative", "/with space"])
def test_next_is_a_path_on_this_site(client: httpx.Client, next_path: str) -> None:
    r = client.post("/v1/auth/links", json={"email": "a@example.org", "next": next_path})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "next"


def test_expired_used_and_unknown_tokens_are_410(
    client: httpx.Client, session: Session
) -> None:
    user = create_person(session, "verlopen@example.org")
    expired = sign_in_token(session, user.id, valid=timedelta(seconds=-1))
    for token in (expired, "lkl_" + "x" * 43, "anything"):
        r = client.post("/v1/auth/sessions", json={"token": token})
        assert r.status_code == 410, r.text
        assert r.json()["code"] == "link_expired"
    good = sign_in_token(session, user.id)
    assert client.post("/v1/auth/sessions", json={"token": good}).status_code == 201
    client.cookies.clear()
    assert client.post("/v1/auth/sessions", json={"token": good}).status_code == 410


def test_a_contact_person_of_an_active_company_signs_in_as_its_member(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    company = create_company(session, "Werkbedrijf Contact", contacts=[
        {"name": "Anna Contact", "role": "accountmanager", "email": "Anna@Contact.example.org"},
    ])
    r = client.post("/v1/auth/links", json={"email": "anna@contact.example.org"})
    assert r.status_code == 202
    token = sign_in_token_in(mailbox.last_to("anna@contact.example.org"))
    r = client.post("/v1/auth/sessions", json={"token": token})
    client.cookies.clear()
    assert r.status_code == 201
    user = r.json()["user"]
    assert (user["role"], user["company_id"], user["name"]) == ("company", str(company.id),
                                                                 "Anna Contact")
    assert user["company_status"] == "active" and r.json()["next"] == "/my/company"


def test_csrf_guards_every_cookie_write(client: httpx.Client, session: Session) -> None:
    user = create_person(session, "csrf@example.org")
    person = sign_in(session, client, user.id)
    body = {"name": "Nieuwe Naam"}
    missing = client.patch("/v1/me", json=body, headers=cookie_headers(person.cookie))
    wrong = client.patch("/v1/me", json=body,
                         headers=cookie_headers(person.cookie, "not-the-token"))
    cross = client.patch("/v1/me", json=body, headers={
        **person.headers(), "Origin": "https://evil.example"})
    for r in (missing, wrong, cross):
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "csrf_failed"
        assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/v1/me", headers=person.headers()).json()["name"] == "Test Persoon"
    # Another session's token does not do either.
    other = sign_in(session, client, user.id)
    r = client.patch("/v1/me", json=body,
                     headers=cookie_headers(person.cookie, other.csrf_token))
    assert r.status_code == 403
    # From our own origin, with the token: done.
    own = client.patch("/v1/me", json=body, headers={
        **person.headers(), "Origin": str(client.base_url).rstrip("/")})
    assert own.status_code == 200, own.text
    assert own.json()["name"] == "Nieuwe Naam"
    # Reads need no token.
    assert client.get("/v1/me/sessions", headers=cookie_headers(person.cookie)).status_code == 200


def test_signing_in_from_another_site_is_refused(client: httpx.Client) -> None:
    r = client.post("/v1/auth/links", json={"email": "a@example.org"},
                    headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"


def test_a_key_wins_over_a_cookie_and_keys_need_no_csrf(
    client: httpx.Client, session: Session
) -> None:
    person = sign_in(session, client, create_person(session, "beide@example.org").id)
    key = make_key(session, Role.entrepreneur)
    r = client.get("/v1/me", headers={**auth(key), "Cookie": f"loket_session={person.cookie}"})
    assert r.status_code == 403  # the key is the caller, and a key has no person
    r = client.post("/v1/requests", headers=auth(key), json={
        "title": "Inpakken", "criteria": {"work_kinds": ["packaging"]}})
    assert r.status_code == 201


def test_sign_out_ends_the_session_and_clears_the_cookie(
    client: httpx.Client, session: Session
) -> None:
    person = sign_in(session, client, create_person(session, "uit@example.org").id)
    assert client.delete("/v1/auth/sessions/current",
                         headers=cookie_headers(person.cookie)).status_code == 403
    r = client.delete("/v1/auth/sessions/current", headers=person.headers())
    assert r.status_code == 204
    assert 'loket_session=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    assert client.get("/v1/me", headers=person.headers()).status_code == 401
    assert client.get("/v1/me").status_code == 401


def test_sessions_are_listed_and_ended_one_by_one(
    client: httpx.Client, session: Session
) -> None:
    user = create_person(session, "sessies@example.org")
    laptop = sign_in(session, client, user.id)
    phone = sign_in(session, client, user.id)
    stranger = sign_in(session, client, create_person(session, "ander@example.org").id)
    listed = client.get("/v1/me/sessions", headers=laptop.headers()).json()
    assert {s["id"] for s in listed} == {str(laptop.session_id), str(phone.session_id)}
    assert [s["current"] for s in listed if s["id"] == str(laptop.session_id)] == [True]
    # Another person's session is 404, and stays.
    r = client.delete(f"/v1/me/sessions/{phone.session_id}", headers=stranger.headers())
    assert r.status_code == 404
    assert client.get("/v1/me", headers=phone.headers()).status_code == 200
    r = client.delete(f"/v1/me/sessions/{phone.session_id}", headers=laptop.headers())
    assert r.status_code == 204
    assert client.get("/v1/me", headers=phone.headers()).status_code == 401
    assert client.get("/v1/me", headers=laptop.headers()).status_code == 200
    assert client.delete(f"/v1/me/sessions/{phone.session_id}",
                         headers=laptop.headers()).status_code == 404


def test_an_idle_or_old_session_no_longer_signs_in(
    client: httpx.Client, session: Session
) -> None:
    person = sign_in(session, client, create_person(session, "oud@example.org").id)
    row = session.get_one(UserSession, person.session_id)
    row.last_seen_at = row.last_seen_at - timedelta(days=31)
    session.commit()
    assert client.get("/v1/me", headers=person.headers()).status_code == 401
    other = sign_in(session, client, person.user_id)
    row = session.get_one(UserSession, other.session_id)
    row.created_at = row.created_at - timedelta(days=91)
    session.commit()
    assert client.get("/v1/me", headers=other.headers()).status_code == 401


def test_sign_in_links_are_rate_limited_per_address(
    client: httpx.Client, bound_app: Any, mail_settings: Any
) -> None:
    from app.common.ratelimit import RateLimiter

    limits = RateLimits(**{**dict.fromkeys(RateLimits.model_fields, "1000/minute"),
                           "sign_in_address": "2/hour", "sign_in_client": "3/hour"})
    previous = bound_app.state.rate_limiter
    bound_app.state.rate_limiter = RateLimiter(
        mail_settings.model_copy(update={"rate_limits": limits}))
    try:
        for _ in range(2):
            assert client.post("/v1/auth/links", json={"email": "x@example.org"}).status_code == 202
        r = client.post("/v1/auth/links", json={"email": "X@example.org"})
        assert r.status_code == 429, r.text
        assert int(r.headers["retry-after"]) > 0
        assert r.headers["content-type"].startswith("application/problem+json")
        # Per client too: a third address is still the fourth request of this client.
        r = client.post("/v1/auth/links", json={"email": "y@example.org"})
        assert r.status_code == 429
    finally:
        bound_app.state.rate_limiter = previous


def test_a_signed_in_entrepreneur_makes_keys_for_their_own_account_only(
    client: httpx.Client, session: Session
) -> None:
    person = sign_in(session, client, create_person(session, "sleutel@example.org").id)
    r = client.post("/v1/api-keys", headers=person.headers(),
                    json={"name": "mijn koppeling", "role": "entrepreneur"})
    assert r.status_code == 201, r.text
    key = r.json()
    assert key["owner_id"] == str(person.user_id)
    higher = client.post("/v1/api-keys", headers=person.headers(),
                         json={"name": "hoger", "role": "admin"})
    assert higher.status_code == 403
    # The key acts for the person's account: what one makes, the other sees.
    made = client.post("/v1/requests", headers=auth(key["secret"]), json={
        "title": "Inpakken", "criteria": {"work_kinds": ["packaging"]}})
    assert made.status_code == 201
    mine = client.get("/v1/requests", headers=person.headers()).json()
    assert [r["id"] for r in mine["items"]] == [made.json()["id"]]
    listed = client.get("/v1/api-keys", headers=person.headers()).json()
    assert [k["id"] for k in listed["items"]] == [key["id"]]


def test_saving_a_request_twice_with_one_idempotency_key_makes_one_draft(
    client: httpx.Client, session: Session
) -> None:
    person = sign_in(session, client, create_person(session, "dubbel@example.org").id)
    body = {"title": "Inpakken", "criteria": {"work_kinds": ["packaging"]}}
    headers = {**person.headers(), "Idempotency-Key": "save-1"}
    first = client.post("/v1/requests", json=body, headers=headers)
    second = client.post("/v1/requests", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == second.json()["id"]
    assert client.get("/v1/requests", headers=person.headers()).json()["total"] == 1
