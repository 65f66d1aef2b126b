"""Cases in the browser (issue 17): a visitor finds a case about a kind of work and reads it;
a company member writes a case and an operator publishes it. axe-core at every step,
screenshots in Dutch and English (artifacts/screenshots/cases-*), and a phone's width."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.cases import service
from app.cases.schemas import CaseCreate
from tests.factories import create_company, create_person
from tests.web.conftest import (
    Mailbox,
    check_a11y,
    fits_the_screen,
    set_language,
    shot,
    sign_in_by_mail,
)

MEMBER = "piet@werkbedrijf-tilburg.example.org"
OPERATOR = "olga@loket.example"
PHONE = {"width": 390, "height": 844}
ADMIN = Principal(key_id=uuid.UUID(int=0), role=Role.admin, name="redactie")


def _step(page: Any, name: str) -> None:
    check_a11y(page, name)
    shot(page, f"cases-{name}", "nl")
    for lang in ("en", "fr"):
        set_language(page, lang)
        check_a11y(page, f"{name} ({lang})")
        shot(page, f"cases-{name}", lang)
    set_language(page, "nl")


def _published(session: Session) -> None:
    for title, kind, place, story in (
        ("Notitieboekjes inpakken in Tilburg", "packaging", "Tilburg",
         "## Aanpak\n\nEen vaste ploeg van **zes** medewerkers pakt de boekjes in."),
        ("Groenonderhoud rond Gent", "green-maintenance", "Gent",
         "Vaste ploegen maaien en snoeien vier bedrijventerreinen."),
    ):
        case = service.create_case(session, CaseCreate.model_validate({
            "title": title, "summary": f"{title}: een samenwerking.", "story": story,
            "work_kinds": [kind], "place": place, "year_started": 2024,
            "target_group_jobs": 6}), ADMIN)
        service.publish(session, case.id, ADMIN)
    session.commit()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_visitor_finds_a_case_about_a_kind_of_work_and_reads_it(
    page: Any, live_server: Any, bound_app: Any, session: Session, viewport: str
) -> None:
    _published(session)
    if viewport == "phone":
        page.set_viewport_size(PHONE)
    url = live_server.url
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.click("a[data-nav='cases']")
    page.wait_for_selector("body[data-ready='true'] #cases-list li")
    assert page.locator("#cases-list li").count() == 2
    page.select_option("#cases-kind", "packaging")
    page.click("#cases-form button[type='submit']")
    page.wait_for_function("() => document.querySelectorAll('#cases-list li').length === 1")
    assert "1 praktijkvoorbeeld" in page.inner_text("#cases-count")
    assert fits_the_screen(page)
    _step(page, f"find-{viewport}")
    page.click("#cases-list a")
    page.wait_for_selector("#case-body .loket-story strong")
    assert page.inner_text("#case-title") == "Notitieboekjes inpakken in Tilburg"
    assert "zes" in page.inner_text(".loket-story")
    assert fits_the_screen(page)
    _step(page, f"read-{viewport}")
    # Words, stemmed: "snoeien" is in the other case's story.
    page.goto(url + "/cases?q=snoeien")
    page.wait_for_function("() => document.querySelectorAll('#cases-list li').length === 1")
    assert "Gent" in page.inner_text("#cases-list")


def test_a_company_member_writes_a_case_and_an_operator_publishes_it(
    page: Any, browser: Any, live_server: Any, session: Session, mailbox: Mailbox
) -> None:
    url = live_server.url
    company = create_company(session, "Werkbedrijf Tilburg", town="Tilburg",
                             kinds={"packaging": 40})
    create_person(session, MEMBER, role="company", company_id=company.id, name="Piet Planner")
    create_person(session, OPERATOR, role="admin", name="Olga Operator")

    sign_in_by_mail(page, url, mailbox, MEMBER)
    page.goto(url + "/cases/new")
    page.wait_for_selector("body[data-ready='true'] #case-form")
    page.fill("#c-title", "Kerstpakketten voor drie bedrijven")
    page.fill("#c-summary", "Elk najaar pakken we 8.000 kerstpakketten in.")
    page.check("#kind-packaging")
    page.fill("#c-place", "Tilburg")
    page.fill("#c-year", "2024")
    page.fill("#c-story", "## Hoe het begon\n\nEen vraag van een klant.")
    page.fill("#c-jobs", "12")
    _step(page, "write-1-form")
    page.click("#case-save")
    page.wait_for_selector("#case-submit")
    assert page.inner_text("#case-title") == "Kerstpakketten voor drie bedrijven"
    page.click("#case-submit")
    page.wait_for_selector("#case-status:has-text('Ingediend')")
    _step(page, "write-2-submitted")
    case_path = page.url.removeprefix(url)

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    operator = context.new_page()
    try:
        sign_in_by_mail(operator, url, mailbox, OPERATOR)
        operator.goto(url + "/console")
        item = operator.locator("#cases-queue li", has_text="Kerstpakketten")
        item.wait_for()
        _step(operator, "publish-1-console")
        item.get_by_role("button").click()
        operator.wait_for_selector("#case-status:has-text('Gepubliceerd')")
        assert operator.locator("#cases-queue li").count() == 0
        _step(operator, "publish-2-published")
    finally:
        context.close()

    # Now anyone finds and reads it.
    visitor = browser.new_context(viewport=PHONE)
    anonymous = visitor.new_page()
    try:
        anonymous.goto(url + "/cases?q=kerstpakket")
        anonymous.wait_for_selector("#cases-list li")
        anonymous.click("#cases-list a")
        anonymous.wait_for_selector("#case-body")
        assert anonymous.url.endswith(case_path)
        assert "Werkbedrijf Tilburg" in anonymous.inner_text("#case-body")
        assert fits_the_screen(anonymous)
        check_a11y(anonymous, "published case on a phone")
    finally:
        visitor.close()
