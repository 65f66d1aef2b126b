"""Mails give numbers and dates as their reader writes them: 5.000 mensen and 15 januari
2027 in Dutch; 5,000 people and 15 January 2027 in English."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.notifications.email import render
from tests.callouts.conftest import text_of
from tests.conftest import auth, make_key
from tests.factories import create_company


def test_the_invitation_mail_writes_numbers_and_dates_in_dutch(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any
) -> None:
    create_company(session, "Werkbedrijf Groot", kinds={"packaging": 6000},
                   contacts=[{"name": "Anna", "email": "anna@groot.example.org"}])
    owner = make_key(session, Role.entrepreneur)
    r = client.post("/v1/requests", headers=auth(owner), json={
        "title": "Veel inpakken", "criteria": {
            "work_kinds": ["packaging"], "location": {"place": "Tilburg"},
            "workers_needed": 5000, "start_date": "2027-01-15"}})
    assert r.status_code == 201, r.text
    published = client.post(f"/v1/requests/{r.json()['id']}/publish", headers=auth(owner))
    assert published.status_code == 200, published.text
    make_worker().run_once()
    (mail,) = inbox.to("anna@groot.example.org")
    text = text_of(mail)
    assert "5.000 mensen" in text and "vanaf 15 januari 2027" in text, text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "5.000 mensen" in html and "15 januari 2027" in html


def test_english_mails_write_numbers_and_dates_in_english() -> None:
    context = {"company_name": "A", "organisation": None, "title": "T", "description": "",
               "work_kinds": "Packaging", "workers_needed": 5000, "start_date": "2027-01-15",
               "respond_by": "2027-01-29", "link_expires": "2027-01-29 23:00 UTC",
               "answer_url": "https://loket.example/answer", "invitation_id": "x"}
    mail = render("invitation", "en", context)
    assert "5,000 people, from 15 January 2027" in mail["text"]
    assert "before 29 January 2027" in mail["text"]
    assert "29 January 2027 at 23:00 UTC" in mail["text"]
    dutch = render("invitation", "nl", context)
    assert "29 januari 2027 om 23:00 UTC" in dutch["text"]
    closed = render("closed", "en", {"contact_name": None, "title": "T", "invited": 1200,
                                     "interested": 3, "declined": 0, "request_id": "x"})
    assert "1,200 companies invited" in closed["text"]
