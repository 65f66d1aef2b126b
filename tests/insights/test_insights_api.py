"""The insights over HTTP: demand recorded by the real endpoints shows after the refresh, in
JSON and CSV, small groups stay hidden, searches store no address, and a company sees the
demand it misses."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.config import Settings
from app.insights import service
from app.models import InsightCell, InsightEvent, InsightSalt, utcnow
from tests.conftest import auth, make_key
from tests.factories import create_company

PROBLEM = "application/problem+json"


def _request_body(settings: Settings, kinds: list[str], place: str) -> dict[str, Any]:
    today = utcnow().astimezone(ZoneInfo(settings.callout_timezone)).date()
    return {
        "title": "Inpakken", "description": "", "organisation": "Green Side",
        "contact": {"name": "Sanne", "email": "sanne@greenside.example.org"},
        "criteria": {"work_kinds": kinds, "location": {"place": place, "country": "NL"}},
        "deadline": (today + timedelta(days=30)).isoformat(),
    }


def _store_requests(client: httpx.Client, session: Session, settings: Settings, n: int,
                    kinds: list[str], place: str = "Tilburg") -> None:
    for _ in range(n):  # n different entrepreneurs
        headers = auth(make_key(session, Role.entrepreneur))
        r = client.post("/v1/requests", json=_request_body(settings, kinds, place),
                        headers=headers)
        assert r.status_code == 201, r.text


def test_stored_requests_show_after_the_refresh_and_small_groups_do_not(
    client: httpx.Client, session: Session, settings: Settings
) -> None:
    n = settings.insights_min_requesters
    _store_requests(client, session, settings, n, ["packaging"])
    _store_requests(client, session, settings, n - 1, ["woodworking"], "Groningen")
    r = client.get("/v1/insights/demand", params={"group_by": "work_kind"})
    assert r.status_code == 200
    assert r.json()["total"]["total"] == 0  # not refreshed yet
    service.refresh(session, settings, force=True)
    r = client.get("/v1/insights/demand", params={"group_by": "work_kind"},
                   headers={"Accept-Language": "nl"})
    assert r.status_code == 200
    body = r.json()
    assert [(row["key"], row["label"], row["demand"]["requests"]) for row in body["rows"]] == [
        ("packaging", "Verpakken", n)
    ]
    assert body["other"]["total"] == 0  # woodworking: too few requesters anywhere
    assert body["total"]["requests"] == n
    assert body["threshold"] == n
    by_town = client.get("/v1/insights/demand", params={"group_by": "municipality"}).json()
    assert [row["key"] for row in by_town["rows"]] == ["NL.noord-brabant.tilburg"]
    assert by_town["rows"][0]["label"] == "Tilburg"


def test_csv_by_format_and_by_accept(
    client: httpx.Client, session: Session, settings: Settings
) -> None:
    _store_requests(client, session, settings, settings.insights_min_requesters, ["assembly"])
    service.refresh(session, settings, force=True)
    for kwargs in ({"params": {"format": "csv"}},
                   {"headers": {"Accept": "text/csv"}}):
        r = client.get("/v1/insights/demand", **kwargs)  # type: ignore[arg-type]
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["work_kind", "label", "searches", "requests", "callouts", "total"]
        assert rows[1][0] == "assembly"
        assert rows[-1][0] == "total"
    r = client.get("/v1/insights/gaps", params={"format": "csv"})
    assert r.status_code == 200
    assert r.text.splitlines()[0].startswith("work_kind,label,demand,thin_callouts,companies")


def test_searches_are_counted_without_storing_the_address(
    client: httpx.Client, session: Session, settings: Settings
) -> None:
    service._salts.clear()  # another test's salt was rolled back with its transaction
    r = client.post("/v1/match", json={"work_kinds": ["packaging", "cleaning"],
                                        "location": {"postcode": "5038", "country": "NL"}})
    assert r.status_code == 200
    events = list(session.scalars(select(InsightEvent).order_by(InsightEvent.work_kind)))
    assert [(e.source, e.work_kind, e.municipality_id) for e in events] == [
        ("search", "cleaning", "NL.noord-brabant.tilburg"),
        ("search", "packaging", "NL.noord-brabant.tilburg"),
    ]
    # One requester (the same caller), a keyed hash: not the address, not derivable from it
    # without this month's salt, which the worker deletes after the month.
    assert len({e.requester for e in events}) == 1
    assert "127.0.0" not in events[0].requester
    assert session.scalar(select(InsightSalt.month)) == service.local_month(settings)
    service.refresh(session, settings, force=True)
    assert session.scalar(select(InsightEvent.id)) is None  # the queue is emptied
    cell = session.scalars(select(InsightCell)).first()
    assert cell is not None and "127.0.0" not in cell.sketch


def test_the_salt_of_a_past_month_is_deleted(session: Session, settings: Settings) -> None:
    session.add(InsightSalt(month="2020-01", salt="00" * 32))
    session.flush()
    service.refresh(session, settings, force=True)
    assert session.get(InsightSalt, "2020-01") is None


@pytest.mark.parametrize(("params", "field", "code"), [
    ({"work_kind": "no-such-kind"}, "work_kind", "unknown_work_kind"),
    ({"region": "NL.atlantis"}, "region", "unknown_region_id"),
    ({"period": "2026-13"}, "period", "bad_format"),
    ({"period": "2026-05/2026-01"}, "period", "min_above_max"),
    ({"period": "1990"}, "period", "date_out_of_range"),
    ({"period": "2000/2100"}, "period", "too_large"),
])
def test_wrong_filters_are_422_naming_the_field(
    client: httpx.Client, params: dict[str, str], field: str, code: str
) -> None:
    for path in ("/v1/insights/demand", "/v1/insights/gaps"):
        r = client.get(path, params=params)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == PROBLEM
        error = r.json()["errors"][0]
        assert (error["field"], error["code"]) == (field, code)


def test_gaps_show_supply_next_to_demand(
    client: httpx.Client, session: Session, settings: Settings
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 12})
    _store_requests(client, session, settings, settings.insights_min_requesters,
                    ["packaging", "cleaning"])
    service.refresh(session, settings, force=True)
    r = client.get("/v1/insights/gaps", params={"group_by": "work_kind"})
    assert r.status_code == 200
    rows = {row["key"]: row for row in r.json()["rows"]}
    n = settings.insights_min_requesters
    assert rows["cleaning"]["companies"] == 0
    assert rows["cleaning"]["demand_per_company"] is None
    assert rows["packaging"]["demand"] == n
    assert rows["packaging"]["capacity_workers"] >= 12
    # Nobody offers cleaning: it comes first.
    assert r.json()["rows"][0]["key"] == "cleaning"
    by_province = client.get("/v1/insights/gaps", params={
        "group_by": "province", "work_kind": "packaging", "region": "NL.noord-brabant"})
    assert by_province.status_code == 200
    assert [row["key"] for row in by_province.json()["rows"]] == ["NL.noord-brabant"]


def test_a_company_sees_what_is_asked_near_it_that_it_does_not_offer(
    client: httpx.Client, session: Session, settings: Settings
) -> None:
    company = create_company(session, "Werkbedrijf Breda", town="Breda",
                             kinds={"packaging": 10}, radius=40)
    _store_requests(client, session, settings, settings.insights_min_requesters,
                    ["packaging", "cleaning"])  # Tilburg: ~25 km from Breda
    _store_requests(client, session, settings, settings.insights_min_requesters,
                    ["catering"], "Groningen")  # far away
    service.refresh(session, settings, force=True)
    own = auth(make_key(session, Role.company, company_id=company.id))
    r = client.get(f"/v1/companies/{company.id}/missed-demand", headers=own)
    assert r.status_code == 200, r.text
    assert [(k["work_kind"], k["demand"], k["regions"]) for k in r.json()["kinds"]] == [
        ("cleaning", settings.insights_min_requesters, ["NL.noord-brabant.tilburg"])
    ]
    other = create_company(session, "Werkbedrijf Anders", town="Utrecht")
    theirs = auth(make_key(session, Role.company, company_id=other.id))
    assert client.get(f"/v1/companies/{company.id}/missed-demand",
                      headers=theirs).status_code == 404
    assert client.get(f"/v1/companies/{company.id}/missed-demand").status_code == 401
