"""The insights page: demand per kind of work as a chart with its table, per province on a
map with its table, and demand next to supply; axe clean, in Dutch and English, on a phone;
and a company member sees what is asked near the company that it does not offer."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.config import Settings
from app.geo import region_of_postcode
from app.insights import service
from tests.factories import create_company
from tests.web.conftest import (
    Mailbox,
    check_a11y,
    fits_the_screen,
    set_language,
    shot,
    sign_in_by_mail,
)

PHONE = {"width": 390, "height": 844}
MEMBER = "planning@breda.example.org"


def _history(session: Session, settings: Settings) -> None:
    """Packaging asked by 6 people in Tilburg, cleaning by 2 (hidden), this month."""
    tilburg = region_of_postcode("NL", "5038")
    for person in range(6):
        service.record(session, settings, "search", ["packaging"], tilburg, f"{person + 1:016x}")
    for person in range(2):
        service.record(session, settings, "request", ["cleaning"], tilburg, f"{person + 99:016x}")
    service.refresh(session, settings, force=True)
    session.flush()


def test_the_insights_page_shows_demand_and_hides_small_groups(
    page: Any, live_server: Any, bound_app: Any, session: Session, settings: Settings
) -> None:
    _history(session, settings)
    url = live_server.url
    page.goto(url + "/insights")
    page.wait_for_selector("body[data-ready='true']")
    rows = page.locator("#kinds-table tbody tr")
    assert rows.count() == 1
    assert "Verpakken" in rows.first.text_content()
    assert "6" in rows.first.text_content()
    assert "Schoonmaak" not in page.locator("#kinds-table").text_content()
    assert "Noord-Brabant" in page.locator("#regions-table").inner_text()
    assert page.locator("#kinds-chart").get_attribute("aria-label")
    check_a11y(page, "insights nl")
    shot(page, "insights", "nl")
    set_language(page, "en")
    page.wait_for_function(
        "() => document.querySelector('#kinds-table').textContent.includes('Packaging')")
    check_a11y(page, "insights en")
    shot(page, "insights", "en")
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert fits_the_screen(page)
    check_a11y(page, "insights phone")
    shot(page, "insights-phone", "en")


def test_a_member_sees_what_is_asked_near_the_company(
    page: Any, live_server: Any, bound_app: Any, session: Session, settings: Settings,
    mailbox: Mailbox,
) -> None:
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"cleaning": 4},
                   contacts=[{"name": "Piet Planner", "email": MEMBER}])
    _history(session, settings)
    url = live_server.url
    sign_in_by_mail(page, url, mailbox, MEMBER)
    page.goto(url + "/my/company")
    page.wait_for_selector("#missed-section:not([hidden]) li")
    assert "Verpakken" in page.locator("#missed-list").inner_text()
    check_a11y(page, "missed demand")
    shot(page, "company-missed-demand", "nl")
