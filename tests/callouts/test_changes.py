"""GET /v1/changes: the profile changes since a timestamp or a cursor, paginated."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.models import utcnow
from tests.conftest import auth, make_key
from tests.factories import create_company


def test_a_partner_follows_profile_changes_page_by_page(
    client: httpx.Client, session: Session
) -> None:
    partner = make_key(session, Role.partner)
    start = client.get("/v1/changes", headers=auth(partner), params={"limit": 500}).json()
    while start["has_more"]:
        start = client.get("/v1/changes", headers=auth(partner),
                           params={"since": start["next_cursor"], "limit": 500}).json()
    cursor = start["next_cursor"]
    before = (utcnow() - timedelta(seconds=1)).isoformat()

    a = create_company(session, "Bedrijf A")
    b = create_company(session, "Bedrijf B", status="pending")
    c = create_company(session, "Bedrijf C")

    seen = []
    while True:
        page = client.get("/v1/changes", headers=auth(partner),
                          params={"since": cursor, "limit": 2}).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert [i["company_id"] for i in seen] == [str(a.id), str(b.id), str(c.id)]
    assert [i["state"] for i in seen] == ["active", "pending", "active"]
    versions = [i["version"] for i in seen]
    assert versions == sorted(versions)

    # Nothing new: an empty page that keeps the cursor.
    again = client.get("/v1/changes", headers=auth(partner), params={"since": cursor}).json()
    assert again["items"] == [] and again["next_cursor"] == cursor

    by_time = client.get("/v1/changes", headers=auth(partner), params={"since": before}).json()
    assert {i["company_id"] for i in by_time["items"]} >= {str(a.id), str(b.id), str(c.id)}


def test_the_feed_refuses_bad_points_and_other_roles(
    client: httpx.Client, session: Session
) -> None:
    partner = make_key(session, Role.partner)
    for bad in ("yesterday", "2026-11-23T10:00:00", "c1_!!!"):
        r = client.get("/v1/changes", headers=auth(partner), params={"since": bad})
        assert r.status_code == 422, bad
    company = create_company(session, "Bedrijf A")
    assert client.get("/v1/changes").status_code == 401
    key = make_key(session, Role.company, company_id=company.id)
    assert client.get("/v1/changes", headers=auth(key)).status_code == 403
