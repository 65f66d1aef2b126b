"""Call-outs for public contracts: a reserved contract (res-ws) invites only eligible companies
and its mail says so; the mail states the social return at stake and what the company's work
could cover."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.matching.procurement import rules
from app.models import Invitation
from tests.callouts.conftest import text_of
from tests.conftest import auth, make_key
from tests.factories import create_company

TILBURG = {"place": "Tilburg", "country": "NL"}


def contacts(name: str, email: str) -> list[dict[str, Any]]:
    return [{"name": name, "role": "accountmanager", "email": email, "phone": "+31612345678"}]


def publish(client: httpx.Client, key: str, **criteria: Any) -> dict[str, Any]:
    r = client.post("/v1/requests", headers=auth(key), json={
        "title": "Inpakken voor de gemeente", "organisation": "Gemeente Tilburg",
        "criteria": {"work_kinds": ["packaging"], "location": TILBURG, **criteria}})
    assert r.status_code == 201, r.text
    published = client.post(f"/v1/requests/{r.json()['id']}/publish", headers=auth(key))
    assert published.status_code == 200, published.text
    return {"id": r.json()["id"], **published.json()}


def test_a_reserved_contract_invites_only_eligible_companies_and_the_mail_says_so(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any
) -> None:
    eligible = create_company(
        session, "Eligible", contacts=contacts("Els", "els@eligible.example.org"),
        target_group={"share_percent": 55, "stated_on": "2026-11-01"})
    create_company(session, "Below", town="Breda",
                   contacts=contacts("Bas", "bas@below.example.org"),
                   target_group={"share_percent": 20, "stated_on": "2026-11-01"},
                   pso={"level": "30-plus", "certified_on": "2026-01-01"})
    create_company(session, "Unstated", contacts=contacts("Uma", "uma@unstated.example.org"))
    owner = make_key(session, Role.entrepreneur)

    result = publish(client, owner, reserved_contract=True,
                     social_return={"contract_value_eur": 2_000_000, "percentage": 5})

    assert (result["invited"], result["newly_invited"]) == (1, 1)
    invited = session.scalars(select(Invitation.company_id)).all()
    assert invited == [eligible.id]
    make_worker().run_once()
    assert inbox.to("bas@below.example.org") == [] and inbox.to("uma@unstated.example.org") == []
    (mail,) = inbox.to("els@eligible.example.org")
    text = text_of(mail)  # Dutch: the default mail language
    assert "voorbehouden opdracht (eForms res-ws" in text
    assert "€ 100.000 aan social return staat op het spel" in text
    # 20 people for packaging: more than the obligation, so all of it.
    assert rules().default.annual_value_per_worker_eur * 20 > 100_000
    assert "Voor uw bedrijf: Kan naar schatting € 100.000 van de € 100.000 dekken: 20 " \
        "medewerkers" in text
    html = mail.get_body(preferencelist=("html",))
    assert html is not None and "Voorbehouden opdracht" in html.get_content()

    # What the company sees of the request says it too.
    key = make_key(session, Role.company, company_id=eligible.id)
    (item,) = client.get("/v1/invitations", headers=auth(key)).json()["items"]
    assert item["request"]["reserved_contract"] is True
    assert item["request"]["social_return_at_stake_eur"] == 100_000


def test_an_open_contract_mails_no_reservation_and_no_social_return(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any
) -> None:
    create_company(session, "Open", contacts=contacts("Olga", "olga@open.example.org"))
    owner = make_key(session, Role.entrepreneur)
    assert publish(client, owner)["invited"] == 1
    make_worker().run_once()
    (mail,) = inbox.to("olga@open.example.org")
    assert "voorbehouden" not in text_of(mail).lower()
    assert "social return" not in text_of(mail).lower()


def test_a_late_invitation_to_a_reserved_contract_goes_only_to_a_company_that_became_eligible(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any,
    admin_headers: dict[str, str],
) -> None:
    create_company(session, "Eligible", contacts=contacts("Els", "els@eligible.example.org"),
                   target_group={"share_percent": 55, "stated_on": "2026-11-01"})
    grows = create_company(session, "Grows", contacts=contacts("Gijs", "gijs@grows.example.org"),
                           target_group={"share_percent": 20, "stated_on": "2026-11-01"})
    other = create_company(session, "Other", contacts=contacts("Olga", "olga@other.example.org"))
    owner = make_key(session, Role.entrepreneur)
    result = publish(client, owner, reserved_contract=True, workers_needed=5,
                     social_return={"contract_value_eur": 2_000_000, "percentage": 5})
    assert result["invited"] == 1

    # Both change their profiles; only the one that now states 30% or more is invited late.
    for company, body in ((grows, {"target_group": {"share_percent": 40,
                                                    "stated_on": "2026-12-01"}}),
                          (other, {"description": "Nu ook inpakken."})):
        before = client.get(f"/v1/companies/{company.id}", headers=admin_headers)
        r = client.patch(f"/v1/companies/{company.id}", json=body,
                         headers={**admin_headers, "If-Match": before.headers["etag"]})
        assert r.status_code == 200, r.text
    inbox.clear()
    worker = make_worker()
    worker.run_once()
    worker.run_once()  # the mails queued by the first pass go out
    invited = set(session.scalars(select(Invitation.company_id)).all())
    assert grows.id in invited and other.id not in invited
    assert inbox.to("olga@other.example.org") == []
    (mail,) = inbox.to("gijs@grows.example.org")
    text = text_of(mail)
    assert "voorbehouden opdracht (eForms res-ws" in text
    assert "€ 100.000 aan social return staat op het spel" in text
    assert "Voor uw bedrijf: Kan naar schatting € 100.000 van de € 100.000 dekken: 5 " \
        "medewerkers" in text  # 20 people, 5 needed: 5 × €30,000 covers it all
