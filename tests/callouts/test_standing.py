"""Standing call-outs: a published request keeps inviting until it closes. A company that is
registered, verified, reactivated or changes so that it now fits is invited by the worker, once,
and the entrepreneur is told; widening shows who would be added before inviting them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import Invitation, OutboxMessage, StandingCheck, utcnow
from tests.callouts.conftest import text_of
from tests.callouts.test_loop import contacts, new_request
from tests.conftest import auth, make_key
from tests.factories import company_profile, create_company


def _published(client: httpx.Client, owner: str, **criteria: Any) -> str:
    request_id = new_request(client, owner, **criteria)
    r = client.post(f"/v1/requests/{request_id}/publish", headers=auth(owner))
    assert r.status_code == 200, r.text
    return request_id


def _invited(client: httpx.Client, owner: str, request_id: str) -> dict[str, dict[str, Any]]:
    r = client.get(f"/v1/requests/{request_id}/responses", headers=auth(owner))
    assert r.status_code == 200, r.text
    return {i["company"]["name"]: i for i in r.json()["items"]}


def test_a_company_verified_later_is_invited_once_and_the_entrepreneur_told(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any,
    admin_headers: dict[str, str],
) -> None:
    create_company(session, "Werkbedrijf Eerst", contacts=contacts("Eva", "eva@e.example.org"))
    owner = make_key(session, Role.entrepreneur)
    request_id = _published(client, owner)
    make_worker().run_once()
    assert set(_invited(client, owner, request_id)) == {"Werkbedrijf Eerst"}

    # Registered pending: not invited (not active); verified: invited by the next pass.
    late = create_company(session, "Werkbedrijf Later", status="pending",
                          contacts=contacts("Lars", "lars@l.example.org"))
    make_worker().run_once()
    assert "Werkbedrijf Later" not in _invited(client, owner, request_id)
    r = client.post(f"/v1/companies/{late.id}/verify", headers=admin_headers)
    assert r.status_code == 200, r.text
    inbox.clear()
    worker = make_worker()
    worker.run_once()
    worker.run_once()  # mails queued by the first pass's job go out
    items = _invited(client, owner, request_id)
    assert items["Werkbedrijf Later"]["source"] == "standing"
    assert items["Werkbedrijf Eerst"]["source"] == "publish"
    (company_mail,) = inbox.to("lars@l.example.org")
    assert "Notitieboekjes inpakken" in str(company_mail["Subject"])
    (told,) = inbox.to("sanne@greenside.example.org")
    assert "Werkbedrijf Later" in text_of(told)

    # Again, and after a restart with the check left undone: nobody invited twice.
    session.execute(StandingCheck.__table__.update().values(done_at=None))
    session.commit()
    make_worker(name="worker-2").run_once()
    count = session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.company_id == late.id))
    assert count == 1
    assert len(_invited(client, owner, request_id)) == 2


def test_a_change_that_makes_a_company_fit_invites_it_and_closed_call_outs_do_not(
    client: httpx.Client, session: Session, make_worker: Any, admin_headers: dict[str, str],
) -> None:
    sewing = create_company(session, "Naaiatelier", kinds={"textile-sewing": 10})
    owner = make_key(session, Role.entrepreneur)
    open_id = _published(client, owner)
    closed_id = _published(client, owner)
    assert client.post(f"/v1/requests/{closed_id}/close", headers=auth(owner)).status_code == 200
    make_worker().run_once()
    assert _invited(client, owner, open_id) == {}

    etag = client.get(f"/v1/companies/{sewing.id}", headers=admin_headers).headers["etag"]
    r = client.patch(f"/v1/companies/{sewing.id}", headers={**admin_headers, "If-Match": etag},
                     json={"capabilities": [{"work_kind": "packaging", "capacity_workers": 12}]})
    assert r.status_code == 200, r.text
    make_worker().run_once()
    assert list(_invited(client, owner, open_id)) == ["Naaiatelier"]
    assert _invited(client, owner, closed_id) == {}


def test_a_company_out_of_reach_is_not_invited_and_the_deadline_ends_it(
    client: httpx.Client, session: Session, make_worker: Any,
) -> None:
    owner = make_key(session, Role.entrepreneur)
    request_id = _published(client, owner, max_distance_km=30)
    create_company(session, "Ver Weg", town="Groningen")
    make_worker().run_once()
    assert _invited(client, owner, request_id) == {}
    # After the deadline the worker closes the call-out and invites nobody any more.
    make_worker().run_once(now=utcnow() + timedelta(days=40))
    create_company(session, "Dichtbij Te Laat")
    make_worker().run_once(now=utcnow() + timedelta(days=40))
    assert _invited(client, owner, request_id) == {}


def test_widen_previews_then_invites(
    client: httpx.Client, session: Session, inbox: Any, make_worker: Any,
) -> None:
    create_company(session, "Dichtbij")
    create_company(session, "Breda Verpakt", town="Breda",
                   contacts=contacts("Bo", "bo@breda.example.org"))
    create_company(session, "Assemblage Tilburg", kinds={"assembly": 15})
    owner = make_key(session, Role.entrepreneur)
    other = make_key(session, Role.entrepreneur, name="another")
    request_id = _published(client, owner, max_distance_km=10)
    make_worker().run_once()
    assert list(_invited(client, owner, request_id)) == ["Dichtbij"]

    url = f"/v1/requests/{request_id}/widen"
    assert client.post(url, params={"dry_run": "true"}, json={"max_distance_km": 60},
                       headers=auth(other)).status_code == 404
    narrower = client.post(url, json={"max_distance_km": 5}, headers=auth(owner))
    assert narrower.status_code == 422
    assert narrower.json()["errors"][0]["code"] == "not_wider"
    leaves_out = client.post(url, json={"work_kinds": ["assembly"]}, headers=auth(owner))
    assert leaves_out.status_code == 422

    preview = client.post(url, params={"dry_run": "true"},
                          json={"max_distance_km": 60, "work_kinds": ["production"]},
                          headers={**auth(owner), "Accept-Language": "en"})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["dry_run"] is True and body["invited"] == 0
    assert {a["name"] for a in body["added"]} == {"Breda Verpakt", "Assemblage Tilburg"}
    assert all(a["reasons"] for a in body["added"])
    assert list(_invited(client, owner, request_id)) == ["Dichtbij"]  # nothing changed

    inbox.clear()
    done = client.post(url, json={"max_distance_km": 60, "work_kinds": ["production"]},
                       headers=auth(owner))
    assert done.status_code == 200, done.text
    assert done.json()["invited"] == 2
    items = _invited(client, owner, request_id)
    assert {n: i["source"] for n, i in items.items()} == {
        "Dichtbij": "publish", "Breda Verpakt": "widen", "Assemblage Tilburg": "widen"}
    stored = client.get(f"/v1/requests/{request_id}", headers=auth(owner)).json()
    assert stored["criteria"]["max_distance_km"] == 60
    again = client.post(url, json={"max_distance_km": 60, "work_kinds": ["production"]},
                        headers=auth(owner))
    assert (again.status_code, again.json()["added"], again.json()["invited"]) == (200, [], 0)
    worker = make_worker()
    worker.run_once()
    assert len(inbox.to("bo@breda.example.org")) == 1
    mails = session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "sanne@greenside.example.org")).all()
    assert len(mails) == 1

    assert client.post(f"/v1/requests/{request_id}/close", headers=auth(owner)).status_code == 200
    assert client.post(url, json={"max_distance_km": 100},
                       headers=auth(owner)).status_code == 409


def test_widen_a_draft_is_a_conflict(client: httpx.Client, session: Session) -> None:
    owner = make_key(session, Role.entrepreneur)
    request_id = new_request(client, owner)
    r = client.post(f"/v1/requests/{request_id}/widen", json={"max_distance_km": 100},
                    headers=auth(owner))
    assert r.status_code == 409
    assert company_profile  # the factory module is shared with the other tests
