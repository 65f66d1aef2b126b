"""The whole call-out loop over HTTP: publish, invite, answer (by key and by emailed link),
read the responses, close, record the outcome; mails go through a real local SMTP server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import Callout, OutboxMessage
from tests.callouts.conftest import answer_link_in, text_of
from tests.conftest import auth, make_key
from tests.factories import company_profile, create_company

TILBURG = {"place": "Tilburg", "country": "NL"}


def contacts(name: str, email: str) -> list[dict[str, Any]]:
    return [{"name": name, "role": "accountmanager", "email": email, "phone": "+31612345678"}]


def new_request(client: httpx.Client, key: str, **criteria: Any) -> str:
    body = {
        "title": "Notitieboekjes inpakken",
        "description": "Lokaal inpakken van notitieboekjes.",
        "organisation": "Green Side",
        "contact": {"name": "Sanne", "email": "sanne@greenside.example.org"},
        "criteria": {"work_kinds": ["packaging"], "location": TILBURG, "workers_needed": 5,
                     **criteria},
    }
    r = client.post("/v1/requests", json=body, headers=auth(key))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_publish_invite_answer_and_reveal(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any
) -> None:
    a = create_company(session, "Werkbedrijf A", contacts=contacts("Anna", "anna@a.example.org"))
    b = create_company(session, "Werkbedrijf B", town="Breda",
                       contacts=contacts("Bert", "bert@b.example.org"))
    create_company(session, "Naaiatelier C", kinds={"textile-sewing": 10},
                   contacts=contacts("Cor", "cor@c.example.org"))
    owner = make_key(session, Role.entrepreneur)
    other = make_key(session, Role.entrepreneur, name="someone else")
    key_a = make_key(session, Role.company, company_id=a.id)
    key_b = make_key(session, Role.company, company_id=b.id)
    request_id = new_request(client, owner)

    # Only its owner may publish.
    assert client.post(f"/v1/requests/{request_id}/publish", headers=auth(other)).status_code == 404
    r = client.post(f"/v1/requests/{request_id}/publish", headers=auth(owner))
    assert r.status_code == 200, r.text
    first = r.json()
    assert (first["invited"], first["newly_invited"], first["status"]) == (2, 2, "published")
    # 10 working days: two weeks later, a weekday.
    assert first["respond_by"] > first["published_at"][:10]

    again = client.post(f"/v1/requests/{request_id}/publish", headers=auth(owner)).json()
    assert (again["invited"], again["newly_invited"]) == (2, 0)
    assert again["respond_by"] == first["respond_by"]

    # Each company sees its own invitation only; the entrepreneur's contact stays hidden.
    mine = client.get("/v1/invitations", headers=auth(key_a)).json()
    assert [i["company_id"] for i in mine["items"]] == [str(a.id)]
    assert "contact" not in mine["items"][0]["request"]
    assert client.get("/v1/invitations", headers=auth(owner)).status_code == 403
    invitation_a = mine["items"][0]["id"]
    assert client.get(f"/v1/invitations/{invitation_a}", headers=auth(key_b)).status_code == 404
    assert client.get("/v1/invitations?status=declined", headers=auth(key_a)).json()["total"] == 0

    # The worker mails each invited company's contact a single-use answer link.
    make_worker().run_once()
    assert inbox.to("cor@c.example.org") == []
    (mail_b,) = inbox.to("bert@b.example.org")
    assert "Notitieboekjes inpakken" in str(mail_b["Subject"])
    assert "Verpakken" in text_of(mail_b)  # work kinds by their labels
    invitation_b, token = answer_link_in(mail_b)
    assert mail_b.get_body(preferencelist=("html",)) is not None

    # A answers with its key; B through the link, without a key.
    r = client.post(f"/v1/invitations/{invitation_a}/response", headers=auth(key_a),
                    json={"status": "interested", "message": "Graag!", "capacity_offered": 8,
                          "earliest_start": "2027-02-01"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "interested"
    assert client.post(f"/v1/invitations/{invitation_a}/response", headers=auth(key_b),
                       json={"status": "declined"}).status_code == 404

    seen = client.get(f"/v1/invitations/{invitation_b}/response", params={"token": token})
    assert seen.status_code == 200 and seen.json()["status"] == "pending"
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/v1/invitations/{invitation_b}/response", params={"token": tampered},
                       json={"status": "declined"}).status_code == 403
    assert client.post(f"/v1/invitations/{invitation_a}/response", params={"token": token},
                       json={"status": "declined"}).status_code == 403
    r = client.post(f"/v1/invitations/{invitation_b}/response", params={"token": token},
                    json={"status": "declined", "message": "Geen ruimte"})
    assert r.status_code == 200, r.text
    used = client.post(f"/v1/invitations/{invitation_b}/response", params={"token": token},
                       json={"status": "interested"})
    assert used.status_code == 410
    assert used.headers["content-type"].startswith("application/problem+json")

    # Contacts reach the entrepreneur only for the interested company, and only the owner.
    answers = client.get(f"/v1/requests/{request_id}/responses", headers=auth(owner))
    assert answers.status_code == 200
    assert answers.headers["cache-control"] == "no-store"
    by_name = {i["company"]["name"]: i for i in answers.json()["items"]}
    assert by_name["Werkbedrijf A"]["company"]["contacts"][0]["email"] == "anna@a.example.org"
    assert by_name["Werkbedrijf A"]["capacity_offered"] == 8
    assert by_name["Werkbedrijf B"]["company"]["contacts"] is None
    assert by_name["Werkbedrijf B"]["company"]["email"] is None
    assert by_name["Werkbedrijf B"]["message"] == "Geen ruimte"
    assert answers.json()["counts"] == {"pending": 0, "interested": 1, "declined": 1,
                                        "expired": 0}
    assert client.get(f"/v1/requests/{request_id}/responses",
                      headers=auth(other)).status_code == 404
    # A company key may not read requests at all: its role is refused before any lookup.
    assert client.get(f"/v1/requests/{request_id}/responses",
                      headers=auth(key_a)).status_code == 403

    # The entrepreneur hears of each answer; A's mail carries its contact details.
    make_worker().run_once()
    answered = inbox.to("sanne@greenside.example.org")
    assert len(answered) == 2
    assert any("info@werkbedrijf.example.org" in text_of(m) for m in answered)

    # A may change its answer until the call-out closes; then nobody can.
    assert client.post(f"/v1/invitations/{invitation_a}/response", headers=auth(key_a),
                       json={"status": "interested", "capacity_offered": 6}).status_code == 200
    closed = client.post(f"/v1/requests/{request_id}/close", headers=auth(owner))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"/v1/invitations/{invitation_a}/response", headers=auth(key_a),
                       json={"status": "declined"}).status_code == 409
    assert client.post(f"/v1/requests/{request_id}/publish",
                       headers=auth(owner)).json()["status"] == "closed"

    outcome = client.post(f"/v1/requests/{request_id}/outcome", headers=auth(owner),
                          json={"company_ids": [str(a.id)], "note": "Start in februari"})
    assert outcome.status_code == 200, outcome.text
    chosen = {i["company"]["name"]: i["chosen"] for i in outcome.json()["items"]}
    assert chosen == {"Werkbedrijf A": True, "Werkbedrijf B": False}
    assert client.post(f"/v1/requests/{request_id}/outcome", headers=auth(owner),
                       json={"company_ids": [str(request_id)]}).status_code == 422

    make_worker().run_once()
    closing = [m for m in inbox.to("sanne@greenside.example.org")
               if "closed" in str(m["Subject"])]
    assert len(closing) == 1


def test_publishing_respects_the_settings_and_the_deadline(
    client: httpx.Client, session: Session, notify_settings: Any, bound_app: Any
) -> None:
    for i in range(4):
        create_company(session, f"Bedrijf {i}")
    owner = make_key(session, Role.entrepreneur)
    bound_app.state.settings = notify_settings.model_copy(
        update={"callout_max_invitations": 3}
    )
    request_id = new_request(client, owner)
    r = client.post(f"/v1/requests/{request_id}/publish", headers=auth(owner))
    assert r.json()["invited"] == 3

    bound_app.state.settings = notify_settings.model_copy(update={"callout_min_score": 100.1})
    nobody = new_request(client, owner)
    assert client.post(f"/v1/requests/{nobody}/publish",
                       headers=auth(owner)).json()["invited"] == 0


def test_the_worker_closes_call_outs_past_their_deadline(
    client: httpx.Client, session: Session, make_worker: Any
) -> None:
    company = create_company(session, "Werkbedrijf A")
    owner = make_key(session, Role.entrepreneur)
    key = make_key(session, Role.company, company_id=company.id)
    request_id = new_request(client, owner)
    client.post(f"/v1/requests/{request_id}/publish", headers=auth(owner))
    callout = session.scalars(select(Callout)).one()

    make_worker().run_once(now=callout.closes_at - timedelta(seconds=1))
    assert client.get(f"/v1/requests/{request_id}", headers=auth(owner)).json()["status"] == \
        "published"
    make_worker().run_once(now=callout.closes_at)
    answers = client.get(f"/v1/requests/{request_id}/responses", headers=auth(owner)).json()
    assert answers["status"] == "closed"
    assert answers["items"][0]["status"] == "expired"
    invitation = client.get("/v1/invitations", headers=auth(key)).json()["items"][0]
    assert invitation["open"] is False
    kinds = {m.event_type for m in session.scalars(select(OutboxMessage))}
    assert "request.closed" in kinds


def test_profile_factory_still_builds(session: Session) -> None:
    assert company_profile("x")["name"] == "x"
