"""Procurement in the browser: a member keeps the PSO level and target-group share (checked next
to the field, only what changed is sent, eligibility follows); a searcher asks for a reserved
contract with social return and reads the amount at stake and what each company could cover.
Dutch and English, desktop and phone; axe-core on every state."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from tests.factories import create_company
from tests.web.conftest import (
    Mailbox,
    check_a11y,
    fits_the_screen,
    set_language,
    shot,
    sign_in_by_mail,
)

MEMBER = "planning@breda.example.org"


def test_a_member_keeps_pso_and_target_group_share(
    page: Any, live_server: Any, bound_app: Any, session: Session, mailbox: Mailbox
) -> None:
    create_company(session, "Werkbedrijf Breda", town="Breda",
                   contacts=[{"name": "Piet Planner", "email": MEMBER}])
    patches: list[dict[str, Any]] = []
    page.on("request", lambda r: patches.append(json.loads(r.post_data or "{}"))
            if r.method == "PATCH" else None)
    sign_in_by_mail(page, live_server.url, mailbox, MEMBER)
    page.goto(live_server.url + "/my/company")
    page.wait_for_selector("body[data-loaded='true']")
    assert page.locator("#p-eligible").get_attribute("data-eligible") == "false"

    page.select_option("#p-pso-level", "trede-2")
    page.fill("#p-share", "140")
    page.click("#save-button")
    assert page.locator("#p-pso-date-error").inner_text() == "Geef de datum op het certificaat."
    assert page.locator("#p-share-error").inner_text().startswith("Vul een getal in van 0")
    assert page.get_attribute("#p-share", "aria-invalid") == "true"
    assert patches == []
    check_a11y(page, "procurement fields refused")
    shot(page, "company-procurement-invalid", "nl")

    page.fill("#p-pso-date", "2026-03-01")
    page.fill("#p-share", "42.5")
    page.fill("#p-share-date", "2026-11-01")
    page.click("#save-button")
    page.wait_for_selector("#profile-status:has-text('Opgeslagen')")
    assert patches[-1] == {"pso": {"level": "trede-2", "certified_on": "2026-03-01"},
                           "target_group": {"share_percent": 42.5, "stated_on": "2026-11-01"}}
    assert page.locator("#p-eligible").get_attribute("data-eligible") == "true"
    assert "Mag meedoen aan voorbehouden opdrachten" in page.locator("#p-eligible").inner_text()

    set_language(page, "en")
    assert page.locator("#p-pso-level option:checked").inner_text() == "PSO step 2"
    assert "May take part in reserved contracts" in page.locator("#p-eligible").inner_text()
    check_a11y(page, "procurement fields saved, English")
    shot(page, "company-procurement-saved", "en")


def test_a_reserved_search_with_social_return_shows_the_amounts(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    create_company(session, "Werkbedrijf Tilburg", kinds={"packaging": 2},
                   pso={"level": "trede-3", "certified_on": "2026-01-10"},
                   target_group={"share_percent": 60, "stated_on": "2026-11-01"})
    create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 40},
                   target_group={"share_percent": 35, "stated_on": "2026-10-01"})
    create_company(session, "Niet voorbehouden", town="Tilburg", kinds={"packaging": 40},
                   target_group={"share_percent": 10, "stated_on": "2026-10-01"})

    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#kind-filter", "verpak")
    page.check("#kind-packaging")
    page.fill("#where", "Tilburg")
    page.fill("#contract-value", "-3")
    page.click("#search-button")
    assert page.locator("#contract-value-error").inner_text() == (
        "Vul een opdrachtwaarde in boven 0.")
    page.fill("#contract-value", "2000000")
    page.fill("#sr-percentage", "5")
    page.check("#reserved")
    check_a11y(page, "search form with a public contract")
    page.click("#search-button")
    page.wait_for_selector("#results .result")

    note = page.locator("#social-return-note").inner_text()
    assert note.startswith("€ 100.000 aan social return staat op het spel: 5% van een "
                           "opdrachtwaarde van € 2.000.000")
    names = page.locator("#results .result h3").all_inner_texts()
    assert [n.split("\n")[-1] for n in names] == ["Werkbedrijf Tilburg", "Werkbedrijf Breda"]
    first = page.locator("#results .result").first
    assert "PSO trede 3" in first.locator(".meta").inner_text()
    reserved = first.locator(".reasons li[data-criterion='reserved_contract']").inner_text()
    assert reserved.startswith("Voorbehouden opdracht — Mag meedoen")
    cover = first.locator(".reasons li[data-criterion='social_return']").inner_text()
    assert "Kan naar schatting € 60.000 van de € 100.000 dekken" in cover
    check_a11y(page, "reserved results with social return")
    shot(page, "search-social-return", "nl")

    set_language(page, "en")
    page.wait_for_selector("#social-return-note:has-text('€100,000 of social return at stake')")
    check_a11y(page, "reserved results in English")
    shot(page, "search-social-return", "en")

    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_the_screen(page)
    shot(page, "search-social-return-phone", "en")


def test_a_public_profile_shows_the_pso_level_and_eligibility(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    company = create_company(session, "Werkbedrijf Tilburg",
                             pso={"level": "30-plus", "certified_on": "2026-01-10"},
                             target_group={"share_percent": 62.5, "stated_on": "2026-11-01"})
    page.goto(f"{live_server.url}/companies/{company.id}")
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_selector("#profile-facts dd[data-pso='30-plus']")
    assert page.locator("dd[data-pso]").inner_text() == "PSO 30+ (10 januari 2026)"
    eligible = page.locator("dd[data-eligible]")
    assert eligible.get_attribute("data-eligible") == "true"
    assert "Mag meedoen aan voorbehouden opdrachten" in eligible.inner_text()
    check_a11y(page, "public profile with procurement facts")
    set_language(page, "fr")
    page.wait_for_selector("dd[data-eligible]:has-text('Peut participer aux marchés réservés')")
    check_a11y(page, "public profile in French")
    shot(page, "company-public-procurement", "fr")
