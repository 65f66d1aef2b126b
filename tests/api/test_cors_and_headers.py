"""Partner origins (CORS per publishable key), secret keys never from a browser, and the
headers every answer carries."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import auth, make_key
from tests.factories import create_company

ORIGIN = "https://partner.example.org"
MATCH = {"work_kinds": ["packaging"], "location": {"place": "Breda", "country": "NL"}}


@pytest.fixture
def browser_key(session: Session) -> str:
    return make_key(session, Role.partner, publishable=True, allowed_origins=[ORIGIN])


def test_publishable_key_works_from_its_origin_with_cors_headers(
    client: httpx.Client, session: Session, browser_key: str
) -> None:
    company = create_company(session)
    headers = {**auth(browser_key), "Origin": ORIGIN}
    for r in (client.get("/v1/companies", headers=headers),
              client.get(f"/v1/companies/{company.id}", headers=headers),
              client.post("/v1/match", json=MATCH, headers=headers),
              client.get("/v1/work-kinds", headers=headers)):
        assert r.status_code == 200, r.text
        assert r.headers["access-control-allow-origin"] == ORIGIN
        assert "Origin" in r.headers["vary"]
        assert "RateLimit" in r.headers["access-control-expose-headers"]
    assert "contacts" not in client.get(f"/v1/companies/{company.id}", headers=headers).json()


def test_publishable_key_from_another_origin_or_none_is_refused(
    client: httpx.Client, browser_key: str
) -> None:
    for headers in ({"Origin": "https://evil.example"}, {}):
        r = client.get("/v1/companies", headers={**auth(browser_key), **headers})
        assert r.status_code == 403
        assert "access-control-allow-origin" not in r.headers


def test_publishable_key_is_refused_on_private_endpoints(
    client: httpx.Client, browser_key: str
) -> None:
    headers = {**auth(browser_key), "Origin": ORIGIN}
    r = client.post("/v1/requests", headers=headers,
                    json={"title": "x", "criteria": {"work_kinds": ["packaging"]}})
    assert r.status_code == 403
    assert client.get("/v1/api-keys", headers=headers).status_code == 403


def test_secret_keys_are_never_accepted_from_a_browser(
    client: httpx.Client, session: Session
) -> None:
    for role in (Role.partner, Role.admin, Role.entrepreneur):
        headers = {**auth(make_key(session, role)), "Origin": ORIGIN}
        r = client.get("/v1/work-kinds", headers=headers)
        assert r.status_code == 403, role
        assert "browser" in r.json()["detail"]
        assert "access-control-allow-origin" not in r.headers


def test_preflight_is_answered_only_for_registered_origins(
    client: httpx.Client, session: Session, admin_headers: dict[str, str], browser_key: str
) -> None:
    preflight = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"}
    r = client.options("/v1/match", headers=preflight)
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "Authorization" in r.headers["access-control-allow-headers"]
    r = client.options("/v1/match", headers={**preflight, "Origin": "https://evil.example"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    r = client.options("/v1/match", headers={**preflight,
                                             "Access-Control-Request-Method": "DELETE"})
    assert r.status_code == 403
    # Once the partner's key is revoked, its origin is no longer answered.
    key_id = next(k["id"] for k in client.get("/v1/api-keys?limit=100",
                                              headers=admin_headers).json()["items"]
                  if k["prefix"] == browser_key[:17])
    client.delete(f"/v1/api-keys/{key_id}", headers=admin_headers)
    assert client.options("/v1/match", headers=preflight).status_code == 403


def test_wrong_method_is_405_with_every_allowed_method(client: httpx.Client) -> None:
    r = client.put("/v1/companies")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, HEAD, POST"
    r = client.request("OPTIONS", "/v1/match")
    assert r.status_code == 405 and r.headers["allow"] == "POST"


def test_security_headers(client: httpx.Client) -> None:
    r = client.get("/v1/work-kinds")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["content-security-policy"].startswith("default-src 'none'")
    assert "strict-transport-security" not in r.headers
    # The interactive docs are a page with scripts: a page's CSP there, not the JSON one.
    assert "script-src 'self'" in client.get("/docs").headers["content-security-policy"]
    behind_tls = client.get("/health/live", headers={"X-Forwarded-Proto": "https"})
    assert behind_tls.headers["strict-transport-security"].startswith("max-age=")


def test_nothing_is_cached_unless_a_route_says_so(
    client: httpx.Client, session: Session
) -> None:
    assert client.post("/v1/match", json=MATCH).headers["cache-control"] == "no-store"
    entrepreneur = auth(make_key(session, Role.entrepreneur))
    assert client.get("/v1/requests", headers=entrepreneur).headers["cache-control"] == (
        "no-store")
    assert client.get("/v1/api-keys", headers=entrepreneur).headers["cache-control"] == (
        "no-store")
    assert "public" in client.get("/v1/work-kinds").headers["cache-control"]


@pytest.mark.parametrize("path", ["/health/live", "/v1/work-kinds", "/v1/companies"])
def test_head_is_the_get_without_its_body(client: httpx.Client, session: Session,
                                          path: str) -> None:
    create_company(session, "Werkbedrijf Tilburg")
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"] != "0"
    assert head.headers["x-content-type-options"] == "nosniff"


def test_head_where_no_get_is_served_is_405(client: httpx.Client) -> None:
    r = client.head("/v1/match")
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    assert r.content == b""
