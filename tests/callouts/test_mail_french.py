"""Mails in French: a French-speaking ETA member is invited in French (their account's
language), with the labels, numbers and dates a French reader writes; every mail renders in
French with its subject."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.notifications.email import render
from tests.callouts.conftest import text_of
from tests.conftest import auth, make_key
from tests.factories import create_company, create_person


def test_a_french_speaking_member_is_invited_in_french(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any
) -> None:
    company = create_company(session, "Atelier Grand", kinds={"packaging": 6000},
                             contacts=[{"name": "Anne", "email": "anne@grand.example.org"},
                                       {"name": "Bert", "email": "bert@grand.example.org"}])
    create_person(session, "anne@grand.example.org", role="company", company_id=company.id,
                  name="Anne", language="fr")
    owner = make_key(session, Role.entrepreneur)
    r = client.post("/v1/requests", headers=auth(owner), json={
        "title": "Beaucoup d’emballage", "criteria": {
            "work_kinds": ["packaging"], "location": {"place": "Tilburg"},
            "workers_needed": 5000, "start_date": "2027-01-01"}})
    assert r.status_code == 201, r.text
    published = client.post(f"/v1/requests/{r.json()['id']}/publish", headers=auth(owner))
    assert published.status_code == 200, published.text
    make_worker().run_once()
    (french,) = inbox.to("anne@grand.example.org")
    assert french["Subject"] == "Nouvel appel sur Loket : Beaucoup d’emballage"
    text = text_of(french)
    assert "Demandé : Conditionnement & emballage, 5\u202f000 personnes, à partir du 1er " \
           "janvier 2027." in text, text
    html = french.get_body(preferencelist=("html",)).get_content()
    assert 'lang="fr"' in html and "répondre à cet appel" in html
    (dutch,) = inbox.to("bert@grand.example.org")  # no account: the service's language
    assert "Gevraagd: Verpakken, 5.000 mensen" in text_of(dutch)


CONTEXTS: dict[str, dict[str, Any]] = {
    "invitation": {"company_name": "A", "organisation": None, "title": "T", "description": "",
                   "work_kinds": "Tri & contrôle", "workers_needed": 1200,
                   "start_date": "2027-03-01", "respond_by": "2027-02-15",
                   "link_expires": "2027-02-15 23:00 UTC", "answer_url": "https://x/a",
                   "invitation_id": "x"},
    "answered": {"contact_name": None, "company_name": "B", "title": "T", "interested": True,
                 "message": "Volontiers", "company_email": "b@x.example", "company_phone": None,
                 "earliest_start": "2027-03-01", "request_id": "x"},
    "closed": {"contact_name": "Claire", "title": "T", "invited": 1200, "interested": 3,
               "declined": 0, "request_id": "x"},
    "sign_in": {"name": "Claire", "purpose": "sign-up", "url": "https://x/s",
                "expires": "2027-02-15 23:00 UTC"},
    "company_verified": {"name": "Claire", "company_name": "Atelier C", "url": "https://x/c"},
}


@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_every_mail_renders_in_french(template: str) -> None:
    mail = render(template, "fr", CONTEXTS[template])
    assert mail["subject"] and mail["text"].startswith("Bonjour "), mail["text"]
    assert "Bien cordialement," in mail["text"] and 'lang="fr"' in mail["html"]


def test_french_mails_write_numbers_and_dates_in_french() -> None:
    mail = render("invitation", "fr", CONTEXTS["invitation"])
    assert "1\u202f200 personnes, à partir du 1er mars 2027" in mail["text"]
    assert "avant le 15 février 2027" in mail["text"]
    assert "15 février 2027 à 23:00 UTC" in mail["text"]
    closed = render("closed", "fr", CONTEXTS["closed"])
    assert "Entreprises invitées : 1\u202f200 ; intéressées : 3" in closed["text"]


def test_a_walloon_company_is_invited_in_french_without_an_account(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any
) -> None:
    from app.companies.schemas import CompanyCreate
    from app.companies.service import create_company as create
    from app.demo.french import french_companies
    from tests.conftest import ADMIN

    liege = french_companies()[0]  # Atelier des Coteaux de Meuse, 4000 Liège
    create(session, CompanyCreate.model_validate(liege), ADMIN)
    create_company(session, "Maatwerk Hasselt", town="Hasselt", kinds={"packaging": 50},
                   contacts=[{"name": "Lieve", "email": "lieve@hasselt.example.org"}])
    session.commit()
    owner = make_key(session, Role.entrepreneur)
    r = client.post("/v1/requests", headers=auth(owner), json={
        "title": "Boîtes", "criteria": {
            "work_kinds": ["packaging"], "location": {"place": "Liège"},
            "workers_needed": 10}})
    assert r.status_code == 201, r.text
    published = client.post(f"/v1/requests/{r.json()['id']}/publish", headers=auth(owner))
    assert published.status_code == 200, published.text
    make_worker().run_once()
    (french,) = inbox.to(liege["contacts"][0]["email"])
    assert french["Subject"] == "Nouvel appel sur Loket : Boîtes"
    assert "Demandé : Conditionnement & emballage, 10 personnes." in text_of(french)
    (flemish,) = inbox.to("lieve@hasselt.example.org")
    assert flemish["Subject"] == "Nieuwe oproep via Loket: Boîtes"
