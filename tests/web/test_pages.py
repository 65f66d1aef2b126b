"""The pages and assets over plain HTTP (no browser needed): every page in the layout, the
vendored NL Design System, Swagger UI and Leaflet served locally with their licences, the
favicon, and /docs without any CDN."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.web.router import STATIC_DIR
from tests.conftest import make_key

PAGES = ["/", "/sign-in", "/sign-in?token=abc", "/sign-up", "/register-company", "/my/requests",
         "/my/requests/00000000-0000-0000-0000-000000000001", "/my/company", "/company",
         "/my/company/invitations/00000000-0000-0000-0000-000000000001", "/console",
         "/my/alerts", "/unsubscribe?token=abc"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_served_in_the_layout(client: httpx.Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    html = page.text
    assert 'class="utrecht-html voorbeeld-theme loket"' in html
    assert 'href="#main"' in html and 'id="main"' in html  # the skip link and its target
    assert 'data-set-lang="en"' in html and 'href="/static/favicon.svg"' in html
    assert "{{" not in html  # every placeholder filled
    # Everything the page loads comes from the service itself.
    for url in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert url.startswith("/"), url
        if url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


def test_assets_and_the_favicon(client: httpx.Client) -> None:
    page = client.get("/")
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page.text
    embed = client.get("/embed.js")
    assert embed.status_code == 200
    assert embed.headers["content-type"].startswith("text/javascript")
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.content[:4] == b"\0\0\1\0"
    assert client.get("/static/favicon.svg").headers["content-type"].startswith("image/svg")
    assert client.get("/static/nope.js").status_code == 404


def test_vendored_libraries_keep_their_licences() -> None:
    vendor = STATIC_DIR / "vendor"
    versions = (vendor / "VERSIONS").read_text()
    for folder, licence, package in [
        ("leaflet", "LICENSE", "leaflet"),
        ("utrecht", "LICENSE.md", "@utrecht/component-library-css"),
        ("voorbeeld-theme", "LICENSE.md", "@nl-design-system-unstable/voorbeeld-design-tokens"),
        ("swagger-ui", "LICENSE", "swagger-ui-dist"),
    ]:
        assert (vendor / folder / licence).stat().st_size > 500, folder
        assert re.search(rf"^{re.escape(package)} \d+\.\d+\.\d+$", versions, re.M), package


def test_docs_work_offline(client: httpx.Client) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "/static/vendor/swagger-ui/swagger-ui.css" in docs.text
    assert "cdn" not in docs.text.lower()
    for url in re.findall(r'(?:src|href)="([^"]+)"', docs.text):
        assert url.startswith("/"), url
        assert client.get(url).status_code == 200, url
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/redoc").status_code == 404


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


def test_the_mailed_answer_link_lands_on_the_invitation_page(client: httpx.Client) -> None:
    invitation = "00000000-0000-0000-0000-000000000001"
    landed = client.get("/answer", params={"invitation": invitation, "token": "a.b+c/d"},
                        follow_redirects=False)
    assert landed.status_code == 303
    assert landed.headers["location"] == f"/my/company/invitations/{invitation}?token=a.b%2Bc%2Fd"
    page = client.get(landed.headers["location"])
    assert page.status_code == 200 and 'id="main"' in page.text
    # A link cut short in a mail program is a clear refusal, not a page that cannot load.
    broken = client.get("/answer", params={"invitation": "not-an-id", "token": "x"})
    assert broken.status_code == 422
    assert broken.headers["content-type"].startswith("application/problem+json")
