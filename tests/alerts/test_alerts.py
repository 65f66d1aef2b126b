"""Saved searches and their alerts: owner-only CRUD, a weekly mail listing what is new with
its reasons, nothing sent twice across worker restarts, the one-click unsubscribe (RFC 8058),
and the partner's `alert.matched` webhook."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.alerts.schedule import is_due, latest_slot
from app.alerts.service import send_due_alerts
from app.models import AlertRun, OutboxMessage, SavedSearch
from app.notifications.verify import verify_loket_signature
from app.search.catalogue import CatalogueCache
from tests.callouts.conftest import text_of
from tests.callouts.test_webhooks import register
from tests.conftest import _session_for, auth, make_key
from tests.factories import create_company, create_person, sign_in

CRITERIA = {"work_kinds": ["packaging"], "location": {"place": "Tilburg", "country": "NL"},
            "max_distance_km": 50}
# Thursday 3 December 2026 is today; the next weekly slot is Monday 7 December, 08:00 in
# Amsterdam (07:00 UTC).
BEFORE_MONDAY = datetime(2026, 12, 7, 6, 59, tzinfo=UTC)
MONDAY = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
NEXT_MONDAY = datetime(2026, 12, 14, 7, 5, tzinfo=UTC)


def _person(session: Session, client: httpx.Client, email: str, lang: str = "nl") -> Any:
    user = create_person(session, email, language=lang)
    return sign_in(session, client, user.id)


def _save(client: httpx.Client, headers: dict[str, str], frequency: str = "weekly",
          **extra: Any) -> dict[str, Any]:
    r = client.post("/v1/saved-searches", headers=headers, json={
        "name": "Inpakken rond Tilburg", "criteria": CRITERIA, "frequency": frequency, **extra})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_schedule_is_the_amsterdam_hour_in_utc_across_dst() -> None:
    ams = {"tz": "Europe/Amsterdam", "hour": 8}
    # Winter: 08:00 CET is 07:00 UTC; summer: 08:00 CEST is 06:00 UTC.
    assert latest_slot("daily", datetime(2026, 12, 3, 7, 0, tzinfo=UTC), **ams) == \
        datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert latest_slot("daily", datetime(2026, 12, 3, 6, 59, tzinfo=UTC), **ams) == \
        datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    assert latest_slot("daily", datetime(2026, 7, 1, 6, 0, tzinfo=UTC), **ams) == \
        datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
    assert latest_slot("weekly", datetime(2026, 12, 3, 12, 0, tzinfo=UTC), **ams) == \
        datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    # The Monday after the clocks went back (25 October 2026).
    assert latest_slot("weekly", datetime(2026, 10, 26, 7, 0, tzinfo=UTC), **ams) == \
        datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    created = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert not is_due(latest_slot("weekly", BEFORE_MONDAY, **ams), None, created)
    assert is_due(latest_slot("weekly", MONDAY, **ams), None, created)


def test_saved_searches_are_their_owners_only(
    client: httpx.Client, session: Session,
) -> None:
    sanne = _person(session, client, "sanne@greenside.example.org")
    piet = _person(session, client, "piet@elders.example.org")
    saved = _save(client, sanne.headers())
    assert (saved["channel"], saved["frequency"], saved["active"]) == ("email", "weekly", True)
    url = f"/v1/saved-searches/{saved['id']}"
    assert client.get(url, headers=sanne.headers()).status_code == 200
    assert client.get(url, headers=piet.headers()).status_code == 404
    assert client.patch(url, headers=piet.headers(), json={"name": "x"}).status_code == 404
    assert client.delete(url, headers=piet.headers()).status_code == 404
    assert client.get("/v1/saved-searches", headers=piet.headers()).json()["total"] == 0
    # Without the CSRF token a cookie write is refused.
    no_csrf = {"Cookie": sanne.headers()["Cookie"]}
    assert client.patch(url, headers=no_csrf, json={"name": "x"}).status_code == 403

    r = client.patch(url, headers=sanne.headers(), json={"frequency": "daily", "name": "Dagelijks"})
    assert (r.status_code, r.json()["frequency"], r.json()["name"]) == (200, "daily", "Dagelijks")
    bad = client.post("/v1/saved-searches", headers=sanne.headers(), json={
        "name": "x", "criteria": {"work_kinds": ["knitting"]}, "frequency": "daily"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "criteria.work_kinds.0"
    # An entrepreneur's key has no address to mail: 403. A partner key gets a webhook search.
    assert client.post("/v1/saved-searches", headers=auth(make_key(session, Role.entrepreneur)),
                       json={"name": "x", "criteria": CRITERIA, "frequency": "daily"}
                       ).status_code == 403
    partner = _save(client, auth(make_key(session, Role.partner)), "instant")
    assert partner["channel"] == "webhook"
    assert client.delete(url, headers=sanne.headers()).status_code == 204
    assert client.get(url, headers=sanne.headers()).status_code == 404


def test_a_weekly_alert_lists_the_new_company_with_reasons_once(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any, connection: Any,
) -> None:
    create_company(session, "Al Bekend")
    sanne = _person(session, client, "sanne@greenside.example.org", lang="en")
    saved = _save(client, sanne.headers())
    create_company(session, "Nieuw Verpakt", town="Breda")
    create_company(session, "Naaiatelier Ver", kinds={"textile-sewing": 5})

    make_worker().run_once(now=BEFORE_MONDAY)
    assert inbox.to("sanne@greenside.example.org") == []

    # A worker dies mid-batch: its transaction never commits; the next one alerts once.
    crashed = _session_for(connection)
    assert send_due_alerts(crashed, CatalogueCache(), make_worker().settings, MONDAY) == 1
    crashed.rollback()
    crashed.close()
    make_worker().run_once(now=MONDAY)
    make_worker(name="worker-2").run_once(now=MONDAY)  # a restart: nothing new to send
    (mail,) = inbox.to("sanne@greenside.example.org")
    text = text_of(mail)
    assert "Nieuw Verpakt, Breda" in text
    assert "Al Bekend" not in text and "Naaiatelier" not in text
    assert "packaging" in text.lower() and " km" in text  # the engine's reasons, in English
    link = re.search(r"https://loket\.example/unsubscribe\?token=(\S+)", text)
    assert link
    assert mail["List-Unsubscribe"] == f"<{link.group(0)}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    runs = session.scalar(select(func.count()).select_from(AlertRun).where(
        AlertRun.saved_search_id == uuid.UUID(saved["id"])))
    assert runs == 1

    # Next week, nothing new: no mail. A new company: the next Monday's mail has only it.
    create_company(session, "Nog Nieuwer", town="Tilburg")
    inbox.clear()
    make_worker().run_once(now=NEXT_MONDAY)
    make_worker().run_once(now=NEXT_MONDAY)
    (second,) = inbox.to("sanne@greenside.example.org")
    assert "Nog Nieuwer" in text_of(second) and "Nieuw Verpakt" not in text_of(second)
    got = client.get(f"/v1/saved-searches/{saved['id']}", headers=sanne.headers()).json()
    assert got["last_alert_at"] is not None


def test_the_unsubscribe_link_works_once_without_a_cookie(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any,
) -> None:
    sanne = _person(session, client, "sanne@greenside.example.org")
    saved = _save(client, sanne.headers(), "instant")
    create_company(session, "Nieuw Verpakt")
    make_worker().run_once()
    make_worker().run_once()
    (mail,) = inbox.to("sanne@greenside.example.org")
    url = str(mail["List-Unsubscribe"]).strip("<>")
    token = url.split("token=")[1]

    assert client.get("/v1/unsubscribe", params={"token": token}).json() == {
        "status": "unsubscribed", "name": "Inpakken rond Tilburg"}
    # The mail client's one-click POST, as RFC 8058 has it: no cookie, no CSRF token.
    r = client.post(f"/unsubscribe?token={token}", content=b"List-Unsubscribe=One-Click",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (r.status_code, r.json()["status"]) == (200, "unsubscribed")
    again = client.post("/v1/unsubscribe", params={"token": token})
    assert (again.status_code, again.json()["status"]) == (200, "already_unsubscribed")
    assert client.post("/v1/unsubscribe", params={"token": token[:-3] + "abc"}
                       ).status_code == 403
    got = client.get(f"/v1/saved-searches/{saved['id']}", headers=sanne.headers()).json()
    assert got["active"] is False

    create_company(session, "Nog Nieuwer")
    inbox.clear()
    make_worker().run_once()
    make_worker().run_once()
    assert inbox.to("sanne@greenside.example.org") == []
    # Resumed by its owner, it alerts again.
    r = client.patch(f"/v1/saved-searches/{saved['id']}", headers=sanne.headers(),
                     json={"active": True})
    assert r.json()["active"] is True


def test_a_partner_gets_alert_matched_as_a_signed_webhook(
    client: httpx.Client, session: Session, receiver: Any, make_worker: Any,
) -> None:
    partner = make_key(session, Role.partner)
    hook = register(client, partner, f"{receiver.url}/alerts", ["alert.matched"])
    saved = _save(client, auth(partner), "instant")
    make_worker().run_once()
    assert receiver.on("/alerts") == []
    company = create_company(session, "Nieuw Verpakt")
    make_worker().run_once()
    make_worker().run_once()
    (hit,) = receiver.on("/alerts")
    assert hit.headers["loket-event-type"] == "alert.matched"
    assert verify_loket_signature(hook["secret"], hit.headers["loket-signature"], hit.body)
    data = json.loads(hit.body)["data"]
    assert data["saved_search_id"] == saved["id"]
    assert [c["company_id"] for c in data["companies"]] == [str(company.id)]
    assert data["companies"][0]["reasons"]
    mails = session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.channel == "email", OutboxMessage.event_type == "alert.matched"))
    assert mails == 0
    assert session.get(SavedSearch, uuid.UUID(saved["id"])) is not None
