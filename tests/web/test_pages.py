"""The pages and assets over plain HTTP (no browser needed)."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import make_key


def test_pages_and_assets_are_served(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page.text
    assert client.get("/company").status_code == 200
    embed = client.get("/embed.js")
    assert embed.status_code == 200
    assert embed.headers["content-type"].startswith("text/javascript")
    for asset in ("/static/app.js", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/leaflet/leaflet.css", "/static/loket.css"):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/static/nope.js").status_code == 404


def test_secret_keys_work_from_the_services_own_pages_only(
    client: httpx.Client, session: Session
) -> None:
    key = make_key(session, Role.entrepreneur)
    body = {"title": "T", "criteria": {"work_kinds": ["packaging"]}}
    own = str(client.base_url).rstrip("/")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.post("/v1/requests", json=body,
                       headers={**headers, "Origin": own}).status_code == 201
    other = client.post("/v1/requests", json=body,
                        headers={**headers, "Origin": "http://evil.example"})
    assert other.status_code == 403
