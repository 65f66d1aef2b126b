"""The embed on a partner page served from another origin, with a publishable key."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import make_key
from tests.factories import create_company
from tests.web.conftest import StaticSite, shot


def _partner_page(service_url: str, key: str) -> str:
    return f"""<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Gemeente Voorbeeld</title></head><body>
<h1>Gemeente Voorbeeld: werk uitbesteden</h1>
<script src="{service_url}/embed.js" data-key="{key}" data-lang="en"
        data-kinds="packaging,assembly" data-color="#5a2d82"></script>
</body></html>"""


def _search_packaging_near_tilburg(embed: Any) -> None:
    embed.get_by_label("Packaging").check()
    embed.get_by_label("Postcode or place").fill("Tilburg")
    embed.get_by_role("button", name="Search").click()


def test_embed_searches_from_a_registered_origin(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 30})
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"assembly": 12})
    with StaticSite() as site:
        key = make_key(session, Role.partner, publishable=True, allowed_origins=[site.origin])
        site.html = _partner_page(live_server.url, key)
        page.goto(site.origin + "/")
        embed = page.locator(".loket-embed")
        page.wait_for_selector(".loket-embed[data-state='ready']")
        # Only the partner's kinds are offered, in the partner's language.
        assert embed.locator("input[type='checkbox']").count() == 2
        _search_packaging_near_tilburg(embed)
        page.wait_for_selector(".loket-embed[data-state='results']")
        assert embed.locator(".result h3").all_inner_texts() == ["Werkbedrijf Tilburg"]
        assert embed.locator(".result li").count() >= 2
        # Numbers in the embed's language (English here: a decimal point).
        assert "Score " in embed.locator(".result .meta").first.inner_text()
        assert "," not in embed.locator(".result .meta").first.inner_text().split("·")[0]
        shot(page, "embed-results", "en")


def test_publishable_key_is_refused_from_an_unregistered_origin(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 30})
    with StaticSite() as site:
        key = make_key(session, Role.partner, publishable=True,
                       allowed_origins=["https://partner.example"])
        site.html = _partner_page(live_server.url, key)
        page.console_watch.expect("access control check")  # the refusal this test is about
        page.goto(site.origin + "/")
        page.wait_for_selector(".loket-embed[data-state='error']")
        assert "not available on this site" in page.locator(".loket-embed .err").inner_text()
        assert page.locator(".loket-embed .result").count() == 0
        shot(page, "embed-refused")

        # The same key from the same origin outside a browser: refused by the API as well.
        answer = httpx.post(
            f"{live_server.url}/v1/match",
            json={"work_kinds": ["packaging"]},
            headers={"Authorization": f"Bearer {key}", "Origin": site.origin},
        )
        assert answer.status_code == 403
        assert "access-control-allow-origin" not in answer.headers


def test_embed_map_on_request_leaves_the_pages_own_leaflet_alone(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 30})
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    with StaticSite() as site:
        key = make_key(session, Role.partner, publishable=True, allowed_origins=[site.origin])
        site.html = _partner_page(live_server.url, key).replace(
            'data-color="#5a2d82"', 'data-color="#5a2d82" data-map="true"'
        ).replace("<h1>", '<script>window.L = "the page\'s own";</script><h1>')
        page.goto(site.origin + "/")
        embed = page.locator(".loket-embed")
        page.wait_for_selector(".loket-embed[data-state='ready']")
        assert embed.locator(".map").is_hidden()  # nothing to show before a search
        _search_packaging_near_tilburg(embed)
        page.wait_for_selector(".loket-embed[data-map='drawn']")
        # The asked location and both companies, as markers inside the embed's shadow root.
        assert embed.locator(".map .leaflet-interactive").count() == 3
        assert embed.get_by_role("region", name="Map of the companies found").is_visible()
        assert page.evaluate("window.L") == "the page's own"
        shot(page, "embed-map")


def test_embed_script_carries_the_tile_url(client: httpx.Client) -> None:
    script = client.get("/embed.js")
    assert script.status_code == 200
    assert 'var TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";' in script.text
