"""The call-out loop for people: a signed-in entrepreneur publishes, each contact person of an
invited company gets a link of their own, a member reads the whole request and answers with
an earliest start, and the entrepreneur follows the states and the contacts on their page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Invitation
from tests.factories import create_company, create_person, sign_in
from tests.people.conftest import BASE_URL, Mailbox, text_of

TILBURG = {"place": "Tilburg", "country": "NL"}
ANSWER_LINK = r"/answer\?token=([^&\s]+)&invitation=([0-9a-f-]{36})"


def answer_links(mailbox: Mailbox, to: str) -> list[tuple[str, str]]:
    """(invitation id, token) of each answer link mailed to `to`."""
    found = []
    for message in mailbox.messages(to):
        hit = re.search(re.escape(BASE_URL) + ANSWER_LINK, text_of(message))
        if hit:
            found.append((hit.group(2), hit.group(1)))
    return found


def two_contacts() -> list[dict[str, str]]:
    return [
        {"name": "Anna Eerste", "role": "accountmanager", "email": "anna@twee.example.org"},
        {"name": "Bert Tweede", "role": "planner", "email": "bert@twee.example.org"},
    ]


def publish(client: httpx.Client, headers: dict[str, str], **criteria: object) -> str:
    deadline = (date.today() + timedelta(days=20)).isoformat()
    r = client.post("/v1/requests", headers=headers, json={
        "title": "Notitieboekjes inpakken", "organisation": "Green Side",
        "description": "Lokaal inpakken.", "deadline": deadline,
        "criteria": {"work_kinds": ["packaging"], "location": TILBURG, "workers_needed": 5,
                     "max_distance_km": 80, "start_date": "2027-02-01",
                     "preferred_certifications": ["pso"], **criteria},
    })
    assert r.status_code == 201, r.text
    request_id = str(r.json()["id"])
    r = client.post(f"/v1/requests/{request_id}/publish", headers=headers)
    assert r.status_code == 200, r.text
    return request_id


def test_each_contact_person_gets_a_link_of_their_own(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    create_company(session, "Werkbedrijf Twee", contacts=two_contacts())
    sanne = sign_in(session, client, create_person(session, "sanne@greenside.example.org").id)
    publish(client, sanne.headers())
    ((invitation_a, token_a),) = answer_links(mailbox, "anna@twee.example.org")
    ((invitation_b, token_b),) = answer_links(mailbox, "bert@twee.example.org")
    assert invitation_a == invitation_b and token_a != token_b

    r = client.post(f"/v1/invitations/{invitation_a}/response", params={"token": token_a},
                    json={"status": "interested", "earliest_start": "2027-03-01"})
    assert r.status_code == 200, r.text
    # Anna's link is used up; Bert's still works, to read and to change the answer.
    assert client.post(f"/v1/invitations/{invitation_a}/response", params={"token": token_a},
                       json={"status": "declined"}).status_code == 410
    seen = client.get(f"/v1/invitations/{invitation_b}", params={"token": token_b})
    assert seen.status_code == 200
    assert (seen.json()["status"], seen.json()["earliest_start"]) == ("interested",
                                                                      "2027-03-01")
    r = client.post(f"/v1/invitations/{invitation_b}/response", params={"token": token_b},
                    json={"status": "interested", "message": "Wij ook!"})
    assert r.status_code == 200
    assert client.post(f"/v1/invitations/{invitation_b}/response", params={"token": token_b},
                       json={"status": "declined"}).status_code == 410


def test_a_member_reads_the_whole_request_and_the_entrepreneur_follows_it(
    client: httpx.Client, session: Session, mailbox: Mailbox
) -> None:
    company = create_company(session, "Werkbedrijf Volg", contacts=two_contacts())
    quiet = create_company(session, "Werkbedrijf Stil", town="Breda")
    pending = create_company(session, "Werkbedrijf Wacht", status="pending")
    sanne_user = create_person(session, "sanne@greenside.example.org", language="en",
                               name="Sanne")
    sanne = sign_in(session, client, sanne_user.id)
    other = sign_in(session, client, create_person(session, "ander@example.org").id)
    member = sign_in(session, client, create_person(
        session, "lid@volg.example.org", role="company", company_id=company.id).id)
    request_id = publish(client, sanne.headers())

    # The request is the person's: in their list, 404 for another person.
    mine = client.get("/v1/requests", headers=sanne.headers()).json()
    assert [r["id"] for r in mine["items"]] == [request_id]
    assert client.get(f"/v1/requests/{request_id}/responses",
                      headers=other.headers()).status_code == 404

    # A pending company is not invited.
    invited = set(session.scalars(select(Invitation.company_id)))
    assert company.id in invited and quiet.id in invited and pending.id not in invited

    states = {i["company"]["name"]: i["state"] for i in client.get(
        f"/v1/requests/{request_id}/responses", headers=sanne.headers()).json()["items"]}
    assert states == {"Werkbedrijf Volg": "pending", "Werkbedrijf Stil": "pending"}

    # The member sees the whole request (and so it is "viewed").
    (listed,) = client.get("/v1/invitations", headers=member.headers()).json()["items"]
    detail = client.get(f"/v1/invitations/{listed['id']}", headers=member.headers())
    assert detail.status_code == 200
    asked = detail.json()["request"]
    assert asked["work_kinds"] == ["packaging"] and asked["workers_needed"] == 5
    assert asked["max_distance_km"] == 80 and asked["start_date"] == "2027-02-01"
    assert asked["preferred_certifications"] == ["pso"]
    assert asked["required_certifications"] == []
    assert asked["organisation"] == "Green Side" and asked["deadline"] is not None
    assert asked["location"]["place"] == "Tilburg"
    assert abs(asked["location"]["lat"] - 51.56) < 0.1
    assert "contact" not in asked
    responses = client.get(f"/v1/requests/{request_id}/responses",
                           headers=sanne.headers()).json()
    states = {i["company"]["name"]: i["state"] for i in responses["items"]}
    assert states["Werkbedrijf Volg"] == "viewed"

    # The member answers with an earliest start; the entrepreneur sees it and the contact.
    r = client.post(f"/v1/invitations/{listed['id']}/response", headers=member.headers(),
                    json={"status": "interested", "message": "Graag", "capacity_offered": 5,
                          "earliest_start": "2027-02-15"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "interested"
    responses = client.get(f"/v1/requests/{request_id}/responses",
                           headers=sanne.headers()).json()
    volg = next(i for i in responses["items"] if i["company"]["name"] == "Werkbedrijf Volg")
    assert (volg["state"], volg["earliest_start"]) == ("interested", "2027-02-15")
    assert volg["company"]["contact"]["email"] == "anna@twee.example.org"
    stil = next(i for i in responses["items"] if i["company"]["name"] == "Werkbedrijf Stil")
    assert stil["company"]["contact"] is None

    # The mail to the entrepreneur: in her language, linking to her page.
    (answered,) = [m for m in mailbox.messages("sanne@greenside.example.org")
                   if "answer" in str(m["Subject"]).lower()]
    text = text_of(answered)
    assert "Werkbedrijf Volg answered your call-out" in text
    assert f"{BASE_URL}/my/requests/{request_id}" in text
    assert "Can start from: 15 February 2027" in text and "Anna Eerste" in text

    r = client.post(f"/v1/requests/{request_id}/close", headers=sanne.headers())
    assert r.status_code == 200
    states = {i["company"]["name"]: i["state"] for i in r.json()["items"]}
    assert states == {"Werkbedrijf Volg": "interested", "Werkbedrijf Stil": "expired"}
    closed = [m for m in mailbox.messages("sanne@greenside.example.org")
              if "closed" in str(m["Subject"]).lower()]
    assert len(closed) == 1 and f"{BASE_URL}/my/requests/{request_id}" in text_of(closed[0])
