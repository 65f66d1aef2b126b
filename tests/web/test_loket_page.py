"""The search page in a real browser: results in view with focus moved, points per criterion
and what falls short, numbered markers matching the list, numbers in the page's language,
errors next to the field, the language switch, a phone screen; axe-core on every state."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tests.factories import create_company
from tests.web.conftest import check_a11y, fits_the_screen, need, set_language, shot


def _fill_search(page: Any, *, where: str = "Tilburg", workers: str = "10") -> None:
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#kind-filter", "verpak")
    page.check("#kind-packaging")
    page.fill("#where", where)
    page.fill("#workers", workers)


def test_search_shows_ranked_results_with_points_and_numbered_markers(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 40})
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    create_company(session, "Groenbedrijf Utrecht", town="Utrecht",
                   kinds={"green-maintenance": 10})

    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-ready='true']")
    check_a11y(page, "search form")
    _fill_search(page, workers="5000")
    # The filter hides kinds that do not match; the chosen one stays visible.
    assert page.locator("li[data-kind='cleaning']").is_hidden()
    shot(page, "search-form-filled", "nl")
    page.click("#search-button")
    page.wait_for_selector("#results .result")

    # The results are in view and the focus is on their heading.
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert page.locator("#results-heading").is_visible()
    top = page.evaluate("document.getElementById('results-heading').getBoundingClientRect().top")
    assert -1 <= top < 200

    names = page.locator("#results .result h3").all_inner_texts()
    assert [n.split("\n")[-1].split(". ")[-1] for n in names] == [
        "Werkbedrijf Tilburg", "Werkbedrijf Breda"]
    first = page.locator("#results .result").first
    assert first.locator(".loket-number").inner_text() == "1"
    assert "Score" in first.locator(".score").inner_text()
    assert "km" in first.locator(".distance").inner_text()
    # Points per criterion, and what falls short, with Dutch thousands separators.
    capacity = first.locator(".reasons li[data-criterion='capacity']").inner_text()
    assert "Capaciteit:" in capacity and "punten" in capacity
    assert "40 van de 5.000 gevraagde mensen" in first.locator(".loket-shortfall").inner_text()
    # The map: the asked place and one numbered marker per result, numbers as in the list.
    page.wait_for_selector("#map[data-markers='2']")
    markers = page.locator("#map .loket-marker:not(.loket-marker--asked)").all_inner_texts()
    assert markers == ["1", "2"]
    assert page.locator("#map .loket-marker--asked").count() == 1
    # Not signed in: the request part says how to get an account.
    assert page.locator("#request-anonymous").is_visible()
    check_a11y(page, "search results")
    shot(page, "search-results", "nl")

    set_language(page, "en")
    page.wait_for_selector("#results .loket-shortfall:has-text('40 of the 5,000 people asked')")
    check_a11y(page, "search results in English")
    shot(page, "search-results", "en")


def test_a_missing_kind_and_place_are_said_next_to_the_fields(
    page: Any, live_server: Any, bound_app: Any
) -> None:
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.click("#search-button")
    assert page.locator("#kind-filter-error").inner_text() == "Kies minstens één soort werk."
    assert page.locator("#where-error").inner_text() == "Vul een postcode of plaats in."
    assert page.get_attribute("#where", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "kind-filter"
    assert page.locator("#results-section").is_hidden()
    check_a11y(page, "search form with errors")
    shot(page, "search-errors", "nl")


def test_an_error_of_the_api_is_shown_next_to_its_field_in_the_pages_language(
    page: Any, live_server: Any, bound_app: Any
) -> None:
    page.goto(live_server.url + "/")
    _fill_search(page, workers="200000")
    page.click("#search-button")
    page.wait_for_selector("#workers-error")
    message = page.locator("#workers-error").inner_text()
    # Words for a person, never the API's own English text or the field's path.
    assert "workers_needed" not in message and "Input should" not in message
    assert page.locator("#form-error").inner_text().startswith("Controleer")
    assert page.evaluate("document.activeElement.id") == "workers"
    check_a11y(page, "search with an API field error")
    shot(page, "search-api-error", "nl")


def test_switching_language_and_a_phone_screen(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 30})
    page.goto(live_server.url + "/")
    _fill_search(page)
    assert page.get_attribute("html", "lang") == "nl"
    page.click("#search-button")
    page.wait_for_selector("#results .result")
    dutch = page.locator("#results .reasons").first.inner_text()

    set_language(page, "en")
    page.wait_for_selector("h2:has-text('What are you looking for?')")
    assert page.locator("label[for='kind-packaging']").inner_text() == "Packaging"
    assert page.get_attribute("button[data-set-lang='en']", "aria-pressed") == "true"
    assert page.title() == "Search — Loket"
    # The explanations are asked again in English.
    page.wait_for_function(
        "d => document.querySelector('#results .reasons').innerText !== d", arg=dutch
    )

    # The choice is remembered on the next visit.
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert page.get_attribute("html", "lang") == "en"

    # A phone: nothing wider than the screen, at 320 and 390 pixels.
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 844})
        _fill_search(page)
        page.click("#search-button")
        page.wait_for_selector("#results .result")
        assert fits_the_screen(page), width
    check_a11y(page, "search results on a phone")
    shot(page, "search-phone", "en")


def test_an_ambiguous_place_is_asked_about_and_places_are_completed(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    need(bound_app, "GET", "/v1/places")
    create_company(session, "Maatwerkbedrijf Gent", town="Gent", kinds={"packaging": 30})
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.check("#kind-packaging")
    page.fill("#where", "Gen")
    page.wait_for_selector("#place-options option[value='Gent']", state="attached")
    page.fill("#where", "Gent")
    page.select_option("#country", "NL")
    page.click("#search-button")
    # "Gent" in the Netherlands: the Belgian city, or the village Gendt? Ask, never guess.
    page.wait_for_selector("#where-choices:visible")
    choices = page.locator("#where-choices button")
    assert "Gent (BE)" in choices.all_inner_texts()
    assert page.locator("#where-error").is_visible()
    check_a11y(page, "ambiguous place")
    shot(page, "search-ambiguous-place", "nl")
    page.locator("#where-choices button", has_text="Gent (BE)").click()
    page.wait_for_selector("#results .result")
    assert page.input_value("#country") == "BE"
    assert "Maatwerkbedrijf Gent" in page.locator("#results").inner_text()

    # A near miss is corrected out loud.
    page.select_option("#country", "")
    page.fill("#where", "Amsterdm")
    page.click("#search-button")
    page.wait_for_selector("#place-note:visible")
    assert page.locator("#place-note").inner_text() == (
        "Gezocht bij Amsterdam (NL) (u typte “Amsterdm”).")
