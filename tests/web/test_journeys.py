"""The journeys of issue 15 in the browser, as people do them, with screenshots in Dutch,
English and French (artifacts/screenshots/<journey>-<step>-<lang>.png) and axe-core at every
step:

- an entrepreneur signs up through the mailed link, searches, saves (once), publishes;
- a company member signs in through the mailed link and answers; the entrepreneur sees the
  answer and the contact;
- an operator verifies a company that registered itself;
- the entrepreneur's journey by keyboard only;
- every page on a phone (390 x 844) without sideways scrolling.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.factories import create_company
from tests.web.conftest import (
    ConsoleWatch,
    Mailbox,
    check_a11y,
    fits_the_screen,
    need,
    set_language,
    shot,
    sign_in_by_mail,
)

ENTREPRENEUR = "eva@boekjes.example.org"
MEMBER = "piet@werkbedrijf-tilburg.example.org"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def second_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """Another person's browser, beside `page`."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    other = context.new_page()
    watch = ConsoleWatch(other)
    watch.origin = live_server.url
    try:
        yield other
    finally:
        context.close()
    assert not watch.errors, watch.errors


def _companies(session: Session) -> None:
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg", kinds={"packaging": 40},
                   contacts=[{"name": "Piet Planner", "role": "planner", "email": MEMBER,
                              "phone": "+31612345678"}])
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12},
                   contacts=[{"name": "Bram", "email": "bram@werkbedrijf-breda.example.org"}])


def _step(page: Any, journey: str, step: str) -> None:
    """axe, then a screenshot in Dutch, one in English and one in French (the language is
    switched back)."""
    check_a11y(page, f"{journey} {step}")
    shot(page, f"{journey}-{step}", "nl")
    for lang in ("en", "fr"):
        set_language(page, lang)
        check_a11y(page, f"{journey} {step} ({lang})")
        shot(page, f"{journey}-{step}", lang)
    set_language(page, "nl")


def _search(page: Any, url: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.check("#kind-packaging")
    page.fill("#where", "Tilburg")
    page.fill("#workers", "10")
    page.click("#search-button")
    page.wait_for_selector("#results .result")


def _save_and_publish(page: Any, title: str) -> str:
    """Save the search as a request (a double click makes one draft), then publish it."""
    page.fill("#rq-title", title)
    page.fill("#rq-deadline", (date.today() + timedelta(days=14)).isoformat())
    page.dblclick("#request-save")
    page.wait_for_selector("#request-publish:visible")
    page.click("#request-save")  # and once more: still the same draft
    mine = page.evaluate("fetch('/v1/requests').then(r => r.json())")
    assert mine["total"] == 1, mine
    request_id = str(mine["items"][0]["id"])
    page.click("#request-publish")
    page.wait_for_selector("#request-status:has-text('Gepubliceerd: 2 bedrijven uitgenodigd.')")
    return request_id


def test_entrepreneur_signs_up_searches_saves_and_publishes(
    page: Any, live_server: Any, bound_app: Any, session: Session, mailbox: Mailbox
) -> None:
    need(bound_app, "POST", "/v1/auth/sign-up")
    _companies(session)
    url = live_server.url
    journey = "entrepreneur"

    page.goto(url + "/sign-up")
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#name", "Eva Ondernemer")
    page.fill("#organisation", "Boekjes BV")
    page.fill("#email", ENTREPRENEUR)
    page.click("#sign-up-button")
    page.wait_for_selector("#sign-up-status:not(:empty)")
    _step(page, journey, "1-signed-up")

    page.goto(mailbox.link(ENTREPRENEUR))
    page.wait_for_selector("#use-token:visible")
    _step(page, journey, "2-sign-in-link")
    page.click("#use-token")
    page.wait_for_url("**/my/requests")
    page.wait_for_selector("body[data-ready='true']")
    assert page.locator("#requests-empty").is_visible()
    _step(page, journey, "3-no-requests-yet")

    _search(page, url)
    assert page.locator("#request-form").is_visible()
    _step(page, journey, "4-results")
    request_id = _save_and_publish(page, "Verpakken van notitieboekjes")
    _step(page, journey, "5-published")

    page.goto(url + "/my/requests")
    page.wait_for_selector(f"li[data-request='{request_id}']")
    assert "gepubliceerd" in page.locator(f"li[data-request='{request_id}']").inner_text()
    _step(page, journey, "6-my-requests")
    page.click(f"li[data-request='{request_id}'] a")
    page.wait_for_selector("#responses li[data-invitation]")
    assert page.locator("#responses li[data-invitation]").count() == 2
    _step(page, journey, "7-request")


def test_company_member_answers_and_the_entrepreneur_sees_the_answer_and_contact(
    page: Any, second_page: Any, live_server: Any, bound_app: Any, session: Session,
    mailbox: Mailbox,
) -> None:
    need(bound_app, "POST", "/v1/auth/links")
    from tests.factories import create_person  # type: ignore[attr-defined]  # people API

    _companies(session)
    create_person(session, ENTREPRENEUR, role="entrepreneur", name="Eva Ondernemer")
    url = live_server.url
    sign_in_by_mail(page, url, mailbox, ENTREPRENEUR)
    _search(page, url)
    request_id = _save_and_publish(page, "Verpakken van notitieboekjes")

    member = second_page
    journey = "company"
    sign_in_by_mail(member, url, mailbox, MEMBER)
    member.goto(url + "/my/company")
    member.wait_for_selector("#invitation-list li[data-invitation]")
    _step(member, journey, "1-my-company")
    member.click("#invitation-list li[data-invitation] a")
    member.wait_for_selector("#answer-form:visible")
    facts = member.locator("#inv-facts").inner_text()
    assert "Verpakken" in facts and "Tilburg" in facts and "10 mensen" in facts
    _step(member, journey, "2-invitation")
    start = date.today() + timedelta(days=30)
    member.check("#status-interested")
    member.fill("#earliest-start", start.isoformat())
    member.fill("#offered", "10")
    member.fill("#message", "We kunnen in januari beginnen.")
    member.click("#answer-button")
    member.wait_for_selector("#answer-status:has-text('Uw antwoord is verstuurd')")
    _step(member, journey, "3-answered")

    journey = "entrepreneur-answer"
    page.goto(f"{url}/my/requests/{request_id}")
    answered = page.locator("#responses li[data-state='interested']")
    answered.wait_for()
    text = answered.inner_text()
    assert "We kunnen in januari beginnen." in text
    assert "Piet Planner" in text and MEMBER in text
    assert answered.locator(f"a[href='mailto:{MEMBER}']").count() == 1
    _step(page, journey, "1-answer-and-contact")

    # The outcome, and closing the request.
    page.check("#outcome-companies input >> nth=0")
    page.click("#outcome-save")
    page.wait_for_selector("#outcome-status:has-text('Uitkomst opgeslagen.')")
    page.click("#close")
    page.wait_for_selector("#request-badge[data-state='closed']")
    _step(page, journey, "2-closed")


def test_operator_verifies_a_company_that_registered_itself(
    page: Any, second_page: Any, live_server: Any, bound_app: Any, session: Session,
    mailbox: Mailbox,
) -> None:
    need(bound_app, "POST", "/v1/company-registrations")
    need(bound_app, "POST", "/v1/companies/{company_id}/verify")
    from tests.factories import create_person  # type: ignore[attr-defined]  # people API

    url = live_server.url
    journey = "register"
    contact = "info@nieuw-werkbedrijf.example.org"
    page.goto(url + "/register-company")
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#company-name", "Nieuw Werkbedrijf")
    page.fill("#reg-number", "87654321")
    page.fill("#site-city", "Eindhoven")
    page.fill("#contact-name", "Nina Nieuw")
    page.fill("#contact-email", contact)
    page.click("#register-button")
    page.wait_for_selector("#register-status:not(:empty)")
    _step(page, journey, "1-registered")
    # The contact signs in with the mailed link: the company waits for verification.
    page.goto(mailbox.link(contact))
    page.click("#use-token")
    page.wait_for_url("**/my/company")
    page.wait_for_selector("#pending-note:visible")
    _step(page, journey, "2-pending")

    operator = second_page
    journey = "operator"
    create_person(session, "beheer@loket.example", role="admin", name="Olga Operator")
    sign_in_by_mail(operator, url, mailbox, "beheer@loket.example")
    operator.goto(url + "/console")
    item = operator.locator("#pending-list li", has_text="Nieuw Werkbedrijf")
    item.wait_for()
    _step(operator, journey, "1-console")
    item.get_by_role("button").click()
    operator.wait_for_selector("#verify-status:has-text('Nieuw Werkbedrijf is goedgekeurd')")
    assert operator.locator("#pending-list li", has_text="Nieuw Werkbedrijf").count() == 0
    _step(operator, journey, "2-verified")

    page.reload()
    page.wait_for_selector("body[data-loaded='true']")
    assert page.locator("#pending-note").is_hidden()


def test_keyboard_only_search_save_publish(
    page: Any, live_server: Any, bound_app: Any, session: Session, mailbox: Mailbox
) -> None:
    need(bound_app, "POST", "/v1/auth/links")
    from tests.factories import create_person  # type: ignore[attr-defined]  # people API

    _companies(session)
    create_person(session, ENTREPRENEUR, role="entrepreneur", name="Eva Ondernemer")
    url = live_server.url
    sign_in_by_mail(page, url, mailbox, ENTREPRENEUR)
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='true']")
    keys = page.keyboard

    def focused() -> str:
        return str(page.evaluate("document.activeElement.id || document.activeElement.tagName"))

    def tab_to(element_id: str, limit: int = 120) -> None:
        for _ in range(limit):
            if focused() == element_id:
                return
            keys.press("Tab")
        raise AssertionError(f"Tab never reached #{element_id}; stuck at {focused()}")

    keys.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('loket-skip')")
    keys.press("Enter")  # skip the header
    tab_to("kind-filter")
    keys.type("verpak")
    tab_to("kind-packaging")
    keys.press("Space")
    tab_to("where")
    keys.type("Tilburg")
    tab_to("workers")
    keys.type("10")
    keys.press("Enter")
    page.wait_for_selector("#results .result")
    assert focused() == "results-heading"
    tab_to("rq-title")
    keys.type("Verpakken met het toetsenbord")
    keys.press("Enter")
    page.wait_for_selector("#request-publish:visible")
    assert focused() == "request-publish"
    keys.press("Enter")
    page.wait_for_selector("#request-status:has-text('Gepubliceerd')")
    shot(page, "keyboard-published", "nl")


def test_every_page_on_a_phone(
    page: Any, second_page: Any, live_server: Any, bound_app: Any, session: Session,
    mailbox: Mailbox,
) -> None:
    """Each page at 390 x 844, signed in where the page needs it: no sideways scrolling."""
    url = live_server.url
    page.set_viewport_size(PHONE)
    for path, name in [("/", "search"), ("/sign-in", "sign-in"), ("/sign-up", "sign-up"),
                       ("/register-company", "register-company"), ("/docs", "docs"),
                       ("/unsubscribe?token=none", "unsubscribe")]:
        page.goto(url + path)
        if path != "/docs":
            page.wait_for_selector("body[data-ready='true']")
        else:
            page.wait_for_selector(".swagger-ui .info")
        assert fits_the_screen(page), path
        shot(page, f"phone-{name}", "nl")

    need(bound_app, "POST", "/v1/auth/links")
    from tests.factories import create_person  # type: ignore[attr-defined]  # people API

    _companies(session)
    create_person(session, ENTREPRENEUR, role="entrepreneur", name="Eva Ondernemer")
    create_person(session, "beheer@loket.example", role="admin", name="Olga Operator")
    sign_in_by_mail(page, url, mailbox, ENTREPRENEUR)
    _search(page, url)
    assert fits_the_screen(page)
    request_id = _save_and_publish(page, "Verpakken op een telefoon")
    shot(page, "phone-search-published", "nl")
    for path, name in [("/my/requests", "my-requests"), (f"/my/requests/{request_id}", "request"),
                       ("/my/alerts", "my-alerts")]:
        page.goto(url + path)
        page.wait_for_selector("body[data-ready='true']")
        assert fits_the_screen(page), path
        check_a11y(page, f"phone {path}")
        shot(page, f"phone-{name}", "nl")

    member = second_page
    member.set_viewport_size(PHONE)
    sign_in_by_mail(member, url, mailbox, MEMBER)
    member.goto(url + "/my/company")
    member.wait_for_selector("#invitation-list li[data-invitation]")
    assert fits_the_screen(member)
    shot(member, "phone-my-company", "nl")
    member.click("#invitation-list li[data-invitation] a")
    member.wait_for_selector("#answer-form:visible")
    assert fits_the_screen(member)
    check_a11y(member, "phone invitation")
    shot(member, "phone-invitation", "nl")

    sign_in_by_mail(page, url, mailbox, "beheer@loket.example")
    page.goto(url + "/console")
    page.wait_for_selector("body[data-ready='true']")
    assert fits_the_screen(page)
    check_a11y(page, "phone console")
    shot(page, "phone-console", "nl")
