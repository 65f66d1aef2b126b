"""The loket page in a real browser: search, results with reasons, map, language switch."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import make_key
from tests.factories import create_company
from tests.web.conftest import shot


def _fill_search(page: Any, *, where: str = "Tilburg") -> None:
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#kind-filter", "verpak")
    page.check("#kind-packaging")
    page.fill("#where", where)
    page.select_option("#country", "NL")
    page.fill("#workers", "10")


def test_search_shows_ranked_results_with_reasons(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 30})
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    create_company(session, "Groenbedrijf Utrecht", town="Utrecht",
                   kinds={"green-maintenance": 10})

    page.goto(live_server.url + "/")
    _fill_search(page)
    # The filter hides kinds that do not match; the chosen one stays visible.
    assert page.locator("li[data-kind='cleaning']").is_hidden()
    shot(page, "search-form-filled")
    page.click("#search-button")
    page.wait_for_selector("#results .result")

    names = page.locator("#results .result h3").all_inner_texts()
    assert names == ["Werkbedrijf Tilburg", "Werkbedrijf Breda"]
    first = page.locator("#results .result").first
    assert "Score" in first.locator(".score").inner_text()
    assert "km" in first.locator(".distance").inner_text()
    assert first.locator(".reasons li").count() >= 3
    # The map shows the asked location and both matches, even without tiles (no internet).
    page.wait_for_selector("#map path.leaflet-interactive")
    assert page.locator("#map path.leaflet-interactive").count() == 3
    assert not page.locator("#request-section").is_hidden()
    shot(page, "search-results")


def test_a_missing_kind_is_explained_not_sent(page: Any, live_server: Any,
                                               bound_app: Any) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#where", "Tilburg")
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-error:has-text('soort werk')")
    assert page.locator("#results-section").is_hidden()


def test_switching_language(page: Any, live_server: Any, bound_app: Any,
                            session: Session) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 30})
    page.goto(live_server.url + "/")
    _fill_search(page)
    assert page.get_attribute("html", "lang") == "nl"
    page.click("#search-button")
    page.wait_for_selector("#results .result")
    dutch = page.locator("#results .reasons").first.inner_text()
    shot(page, "language-nl")

    page.click("button[data-set-lang='en']")
    page.wait_for_selector("h2:has-text('What are you looking for?')")
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("label[for='kind-packaging']").inner_text() == "Packaging"
    assert page.get_attribute("button[data-set-lang='en']", "aria-pressed") == "true"
    # The explanations are asked again in English.
    page.wait_for_function(
        "d => document.querySelector('#results .reasons').innerText !== d", arg=dutch
    )
    assert page.locator("#results .result h3").first.inner_text() == "Werkbedrijf Tilburg"
    shot(page, "language-en")

    # The choice is remembered on the next visit.
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert page.get_attribute("html", "lang") == "en"

    # Sensible on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "phone-en")


def test_turn_the_search_into_a_published_request(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 30})
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    key = make_key(session, Role.entrepreneur)
    page.goto(live_server.url + "/")
    _fill_search(page)
    page.click("#search-button")
    page.wait_for_selector("#results .result")

    page.fill("#rq-key", key)
    page.fill("#rq-title", "Verpakken van notitieboekjes")
    page.fill("#rq-org", "Boekjes BV")
    page.click("#request-save")
    page.wait_for_selector("#request-publish:visible")
    page.click("#request-publish")
    page.wait_for_selector("#request-status:has-text('Gepubliceerd')")
    assert "2 bedrijven uitgenodigd" in page.locator("#request-status").inner_text()
    shot(page, "request-published")
