"""Loket in French, in the browser: a French-speaking entrepreneur chooses FR, searches "Liège"
and reads French labels, points, reasons and numbers; the choice is remembered; the whole
entrepreneur journey (sign-up mail, search, save, publish) in French; axe-core at every step,
desktop and phone (screenshots artifacts/screenshots/*-fr.png)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.companies.schemas import CompanyCreate
from app.companies.service import create_company
from app.demo.french import french_companies
from tests.conftest import ADMIN
from tests.web.conftest import Mailbox, check_a11y, fits_the_screen, need, set_language, shot

PHONE = {"width": 390, "height": 844}
ENTREPRENEUR = "amelie@savonnerie.example.org"


@pytest.fixture
def etas(session: Session) -> None:
    for profile in french_companies():
        create_company(session, CompanyCreate.model_validate(profile), ADMIN)
    session.commit()


def _search_liege(page: Any, url: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#kind-filter", "condition")
    page.check("#kind-packaging")
    page.fill("#where", "Liège")
    page.fill("#workers", "60")
    page.click("#search-button")
    page.wait_for_selector("#results .result")


def test_a_french_speaking_entrepreneur_searches_liege_and_reads_french_reasons(
    page: Any, live_server: Any, bound_app: Any, etas: None
) -> None:
    url = live_server.url
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='true']")
    set_language(page, "fr")
    assert page.get_attribute("button[data-set-lang='fr']", "aria-pressed") == "true"
    assert page.title() == "Rechercher — Loket"
    assert page.locator("label[for='kind-packaging']").inner_text().strip() == (
        "Conditionnement & emballage")
    check_a11y(page, "search form (fr)")

    _search_liege(page, url)  # a new page load: the choice is remembered
    assert page.evaluate("document.documentElement.lang") == "fr"
    first = page.locator("#results .result").first
    assert "Atelier des Coteaux de Meuse" in first.locator("h3").inner_text()
    reasons = first.locator(".reasons").inner_text()
    for said in ("Type de travail\u00a0: ", "Distance", "Capacité", " sur ",
                 " points", "Propose Conditionnement & emballage.", "km du lieu demandé",
                 "45 des 60 personnes demandées disponibles pour Conditionnement & emballage"):
        assert said in reasons, (said, reasons)
    shortfall = first.locator(".loket-shortfall").inner_text()
    assert shortfall.startswith("Insuffisant") and "des 60 personnes demandées" in shortfall
    assert page.locator("#result-summary").inner_text().endswith("entreprises qui conviennent")
    check_a11y(page, "results (fr)")
    shot(page, "french-search-liege", "fr")

    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    check_a11y(page, "results on a phone (fr)")
    shot(page, "french-phone-search-liege", "fr")

    # Back to Dutch: the API's sentences are asked again in Dutch.
    set_language(page, "nl")
    page.wait_for_function(
        "() => document.querySelector('#results .reasons').innerText.includes('Biedt Verpakken')")


def test_a_browser_set_to_french_opens_loket_in_french(
    browser: Any, live_server: Any, bound_app: Any
) -> None:
    context = browser.new_context(locale="fr-BE", viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.wait_for_selector("body[data-ready='true']")
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.title() == "Rechercher — Loket"
        set_language(page, "nl")  # the switch wins, and is remembered
        page.reload()
        page.wait_for_selector("body[data-ready='true']")
        assert page.evaluate("document.documentElement.lang") == "nl"
    finally:
        context.close()


def test_the_entrepreneur_journey_in_french(
    page: Any, live_server: Any, bound_app: Any, etas: None, mailbox: Mailbox
) -> None:
    need(bound_app, "POST", "/v1/auth/sign-up")
    url = live_server.url
    page.goto(url + "/sign-up")
    page.wait_for_selector("body[data-ready='true']")
    set_language(page, "fr")
    page.fill("#name", "Amélie Lambert")
    page.fill("#organisation", "Savonnerie Lambert")
    page.fill("#email", ENTREPRENEUR)
    page.click("#sign-up-button")
    page.wait_for_selector("#sign-up-status:not(:empty)")
    assert page.locator("#sign-up-status").inner_text().startswith("Merci.")
    check_a11y(page, "signed up (fr)")
    shot(page, "french-journey-1-signed-up", "fr")

    link = mailbox.link(ENTREPRENEUR)
    (mail,) = mailbox.to(ENTREPRENEUR)
    assert mail["Subject"] == "Votre lien de connexion à Loket"
    assert "Bienvenue sur Loket." in mail.get_body(preferencelist=("plain",)).get_content()
    page.goto(link)
    page.wait_for_selector("#use-token:visible")
    assert page.locator("#use-token").inner_text().strip() != ""
    check_a11y(page, "sign-in link (fr)")
    page.click("#use-token")
    page.wait_for_url("**/my/requests")
    page.wait_for_selector("body[data-ready='true']")
    assert "Vous n’avez pas encore de demandes." in page.locator("main").inner_text()
    check_a11y(page, "no requests yet (fr)")
    shot(page, "french-journey-2-my-requests", "fr")

    _search_liege(page, url)
    page.fill("#rq-title", "Conditionnement de savons")
    page.fill("#rq-deadline", (date.today() + timedelta(days=14)).isoformat())
    page.click("#request-save")
    page.wait_for_selector("#request-publish:visible")
    page.click("#request-publish")
    page.wait_for_selector("#request-status:has-text('Publiée :')")
    check_a11y(page, "published (fr)")
    shot(page, "french-journey-3-published", "fr")

    page.goto(url + "/my/requests")
    page.wait_for_selector("li[data-request]")
    assert "publiée" in page.locator("li[data-request]").first.inner_text()
    check_a11y(page, "my requests (fr)")
    page.click("li[data-request] a")
    page.wait_for_selector("#responses li[data-invitation]")
    assert "Entreprises invitées" in page.locator("main").inner_text()
    check_a11y(page, "request (fr)")
    shot(page, "french-journey-4-request", "fr")


def test_the_embed_speaks_french_on_a_walloon_partner_site(
    page: Any, live_server: Any, bound_app: Any, session: Session, etas: None
) -> None:
    from app.accounts.principal import Role
    from tests.conftest import make_key
    from tests.web.conftest import StaticSite

    with StaticSite() as site:
        key = make_key(session, Role.partner, publishable=True, allowed_origins=[site.origin])
        site.html = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Ville de Namur</title></head><body><h1>Sous-traiter à Namur</h1>
<script src="{live_server.url}/embed.js" data-key="{key}" data-lang="fr"
        data-kinds="document-digitization,administration"></script></body></html>"""
        page.goto(site.origin + "/")
        embed = page.locator(".loket-embed")
        page.wait_for_selector(".loket-embed[data-state='ready']")
        embed.get_by_label("Numérisation & scannage").check()
        embed.get_by_label("Code postal ou localité").fill("Namen")
        embed.get_by_role("button", name="Rechercher").click()
        page.wait_for_selector(".loket-embed[data-state='results']")
        assert embed.locator(".result h3").all_inner_texts() == ["Namur Numérique Adapté"]
        assert "Propose Numérisation & scannage." in embed.locator(".result").first.inner_text()
        shot(page, "french-embed-results", "fr")
