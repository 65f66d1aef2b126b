"""A company registers itself, waits `pending` (out of sight) until an operator verifies it,
and its members invite and remove colleagues; all over HTTP, links read from the mail."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import auth, make_key
from tests.factories import (
    SignedInPerson,
    company_profile,
    create_company,
    create_person,
    sign_in,
)
from tests.people.conftest import Mailbox, sign_in_token_in, text_of

MATCH = {"work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"}}


def signed_in_from_mail(client: httpx.Client, mailbox: Mailbox, to: str) -> dict[str, Any]:
    r = client.post("/v1/auth/sessions", json={"token": sign_in_token_in(mailbox.last_to(to))})
    assert r.status_code == 201, r.text
    cookie = r.cookies["loket_session"]
    client.cookies.clear()
    body: dict[str, Any] = r.json()
    body["headers"] = {"Cookie": f"loket_session={cookie}", "X-CSRF-Token": body["csrf_token"]}
    return body


def matched_names(client: httpx.Client) -> set[str]:
    r = client.post("/v1/match", json=MATCH)
    assert r.status_code == 200, r.text
    return {m["company"]["name"] for m in r.json()["matches"]}


def test_self_registration_waits_pending_until_an_operator_verifies_it(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    profile = company_profile("Werkbedrijf Zelfstandig", status="active", contacts=[])
    r = client.post("/v1/company-registrations", json={
        "company": profile,
        "contact": {"name": "Rik Registreer", "email": "Rik@Zelf.example.org",
                    "role": "directeur", "language": "en"},
    })
    assert r.status_code == 202, r.text
    company_id = r.json()["company_id"]

    # Pending, whatever the body said: in no match, list or public profile.
    assert "Werkbedrijf Zelfstandig" not in matched_names(client)
    names = {c["name"] for c in client.get("/v1/companies?limit=100").json()["items"]}
    assert "Werkbedrijf Zelfstandig" not in names
    assert client.get(f"/v1/companies/{company_id}").status_code == 404

    # The contact got a sign-in link, is the company's member, and may edit its profile.
    mail = mailbox.last_to("rik@zelf.example.org")
    assert "Thank you for registering Werkbedrijf Zelfstandig" in text_of(mail)
    rik = signed_in_from_mail(client, mailbox, "rik@zelf.example.org")
    assert rik["next"] == "/my/company"
    assert (rik["user"]["company_id"], rik["user"]["company_status"]) == (company_id, "pending")
    own = client.get(f"/v1/companies/{company_id}", headers=rik["headers"])
    assert own.status_code == 200
    assert [c["email"] for c in own.json()["contacts"]] == ["Rik@zelf.example.org"]
    r = client.patch(f"/v1/companies/{company_id}", json={"description": "Wij pakken in."},
                     headers={**rik["headers"], "If-Match": own.headers["etag"]})
    assert r.status_code == 200, r.text
    # ... but not verify it.
    assert client.post(f"/v1/companies/{company_id}/verify",
                       headers=rik["headers"]).status_code == 403

    # The operator sees it waiting, and verifies it.
    operator = sign_in(session, client, create_person(session, "olga@loket.example",
                                                      role="admin").id)
    waiting = client.get("/v1/companies?status=pending", headers=operator.headers()).json()
    assert company_id in {c["id"] for c in waiting["items"]}
    assert client.get("/v1/companies?status=pending").status_code == 403
    r = client.post(f"/v1/companies/{company_id}/verify", headers=operator.headers())
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"
    verified = mailbox.last_to("rik@zelf.example.org")
    assert "has been verified" in text_of(verified)
    assert "https://loket.example/my/company" in text_of(verified)

    assert "Werkbedrijf Zelfstandig" in matched_names(client)
    assert client.get(f"/v1/companies/{company_id}").status_code == 200
    me = client.get("/v1/me", headers=rik["headers"]).json()
    assert me["company_status"] == "active"
    # Verifying again changes nothing and mails nobody.
    before = len(mailbox.messages("rik@zelf.example.org"))
    assert client.post(f"/v1/companies/{company_id}/verify",
                       headers=operator.headers()).status_code == 200
    assert len(mailbox.messages("rik@zelf.example.org")) == before


def test_a_registration_that_clashes_is_409(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    create_person(session, "bezet@example.org")
    r = client.post("/v1/company-registrations", json={
        "company": company_profile("Werkbedrijf Dubbel"),
        "contact": {"name": "Bezet", "email": "bezet@example.org"},
    })
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "contact.email"
    existing = create_company(session, "Werkbedrijf Bestaand")
    profile = company_profile("Werkbedrijf Kopie", registration={
        "country": existing.registration_country, "number": existing.registration_number})
    r = client.post("/v1/company-registrations", json={
        "company": profile, "contact": {"name": "Nieuw", "email": "nieuw@example.org"}})
    assert r.status_code == 409
    assert mailbox.messages() == []


def _member(session: Session, client: httpx.Client, company_id: uuid.UUID,
            email: str) -> SignedInPerson:
    return sign_in(session, client, create_person(session, email, role="company",
                                                  company_id=company_id).id)


def test_members_invite_colleagues_and_remove_them_but_never_the_last(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    company = create_company(session, "Werkbedrijf Leden")
    other = create_company(session, "Werkbedrijf Buren", town="Breda")
    anna = _member(session, client, company.id, "anna.lid@leden.example.org")
    outsider = _member(session, client, other.id, "buur@buren.example.org")
    members_url = f"/v1/companies/{company.id}/members"

    r = client.post(members_url, json={"name": "Carla Collega",
                                       "email": "Carla@Leden.example.org"},
                    headers=anna.headers())
    assert r.status_code == 201, r.text
    carla_id = r.json()["id"]
    assert r.json()["email"] == "carla@leden.example.org"
    invite = mailbox.last_to("carla@leden.example.org")
    assert "uitgenodigd als collega bij Werkbedrijf Leden" in text_of(invite)
    carla = signed_in_from_mail(client, mailbox, "carla@leden.example.org")
    assert carla["user"]["company_id"] == str(company.id)

    listed = client.get(members_url, headers=anna.headers()).json()
    assert [m["email"] for m in listed] == ["anna.lid@leden.example.org",
                                            "carla@leden.example.org"]
    assert listed[1]["last_sign_in_at"] is not None
    # Inviting someone with an account already: 409.
    again = client.post(members_url, json={"name": "C", "email": "carla@leden.example.org"},
                        headers=anna.headers())
    assert again.status_code == 409

    # Another company's member finds nothing here; an entrepreneur may not ask.
    assert client.get(members_url, headers=outsider.headers()).status_code == 404
    assert client.delete(f"{members_url}/{carla_id}",
                         headers=outsider.headers()).status_code == 404
    entrepreneur = make_key(session, Role.entrepreneur)
    assert client.get(members_url, headers=auth(entrepreneur)).status_code == 403
    # A member of another company is not a member here.
    r = client.delete(f"{members_url}/{outsider.user_id}", headers=anna.headers())
    assert r.status_code == 404

    # Removing Carla ends her sessions; Anna, now alone, cannot remove herself.
    r = client.delete(f"{members_url}/{carla_id}", headers=anna.headers())
    assert r.status_code == 204
    assert client.get("/v1/me", headers=carla["headers"]).status_code == 401
    r = client.delete(f"{members_url}/{anna.user_id}", headers=anna.headers())
    assert r.status_code == 409
    # The company's key manages members too.
    key = make_key(session, Role.company, company_id=company.id)
    assert [m["id"] for m in client.get(members_url, headers=auth(key)).json()] == [
        str(anna.user_id)]


def test_a_member_acts_as_a_company_key_of_that_company(
    client: httpx.Client, session: Session
) -> None:
    company = create_company(session, "Werkbedrijf Rol")
    other = create_company(session, "Werkbedrijf Ander", town="Breda")
    member = _member(session, client, company.id, "rol@rol.example.org")
    r = client.get(f"/v1/companies/{company.id}", headers=member.headers())
    assert r.status_code == 200 and "contacts" in r.json()
    r = client.patch(f"/v1/companies/{other.id}", json={"description": "x"},
                     headers={**member.headers(), "If-Match": "*"})
    assert r.status_code == 404
    r = client.patch(f"/v1/companies/{company.id}", json={"description": "Nieuw."},
                     headers={**member.headers(), "If-Match": "*"})
    assert r.status_code == 200
    history = client.get(f"/v1/companies/{company.id}/history",
                         headers=member.headers()).json()
    assert history["items"][0]["actor"]["name"] == "Test Persoon"
    assert client.get("/v1/invitations", headers=member.headers()).status_code == 200
    assert client.post("/v1/requests", headers=member.headers(), json={
        "title": "x", "criteria": {"work_kinds": ["packaging"]}}).status_code == 403
