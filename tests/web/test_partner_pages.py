"""The pages of issue 18 in the browser (two-way profiles, partnerships, networks): axe-core
at every step, screenshots in Dutch, English and French (artifacts/screenshots/partners-*), the
phone width (390 x 844) without sideways scrolling.

- a reverse search finds a company that seeks engineering expertise;
- a partnership confirmed by both sides shows on both profiles; one confirmed by one side
  shows nowhere;
- near a place: companies, their partners and networks on the map and as a list.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.partners import service
from app.partners.schemas import Exchange, NetworkCreate, OrganisationCreate, PartnershipCreate
from tests.conftest import ADMIN
from tests.factories import create_company, create_person
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

PHONE = {"width": 390, "height": 844}
ENTREPRENEUR = "sanne@werkgevers-gooi.example.org"
MEMBER = "bram@werkbedrijf-gooi.example.org"


@pytest.fixture
def visitor(browser: Any, live_server: Any) -> Iterator[Any]:
    """Someone else's browser beside `page`: not signed in, or another person."""
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


def _step(page: Any, name: str) -> None:
    """axe and a screenshot in Dutch, English and French (switched back to Dutch after)."""
    check_a11y(page, name)
    shot(page, f"partners-{name}", "nl")
    for lang in ("en", "fr"):
        set_language(page, lang)
        check_a11y(page, f"{name} ({lang})")
        shot(page, f"partners-{name}", lang)
    set_language(page, "nl")


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='true']")


def _seeks(session: Session, company_id: uuid.UUID, exchange: dict[str, Any]) -> None:
    service.set_company_exchange(session, company_id, Exchange.model_validate(exchange), ADMIN)
    session.commit()


def test_a_reverse_search_finds_the_company_that_seeks_engineering(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    seeker = create_company(session, "Werkbedrijf Gooi", town="Hilversum")
    other = create_company(session, "Werkbedrijf Eem", town="Utrecht")
    _seeks(session, seeker.id, {"seeks": {"expertise": ["engineering", "ict"]}})
    _seeks(session, other.id, {"seeks": {"expertise": ["hr"]}})
    url = live_server.url
    _open(page, url + "/reverse-search")
    page.check("#rv-exp-engineering")
    page.fill("#rv-place", "Utrecht")
    page.fill("#rv-distance", "50")
    page.click("#reverse-button")
    # The first place looked up in a fresh process may take a while on a busy machine.
    page.wait_for_selector("#rv-list li[data-match]", timeout=60_000)
    found = page.locator("#rv-list li[data-match]")
    assert found.count() == 1
    assert found.first.get_attribute("data-match") == str(seeker.id)
    assert "Werkbedrijf Gooi" in found.first.inner_text()
    assert "Engineering" in found.first.inner_text()
    _step(page, "reverse-search")
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    shot(page, "partners-phone-reverse-search", "nl")
    # The profile it links to says what it seeks.
    page.set_viewport_size({"width": 1200, "height": 900})
    page.click(f"#rv-list li[data-match='{seeker.id}'] h3 a")
    page.wait_for_selector("#profile-exchange [data-exchange='seeks'] dl")
    assert "Engineering" in page.inner_text("#profile-exchange [data-exchange='seeks']")


def test_a_partnership_shows_on_both_profiles_only_once_both_sides_confirmed(
    page: Any, visitor: Any, live_server: Any, bound_app: Any, session: Session,
    mailbox: Mailbox,
) -> None:
    need(bound_app, "POST", "/v1/auth/links")
    url = live_server.url
    gooi = create_company(session, "Werkbedrijf Gooi", town="Hilversum")
    eem = create_company(session, "Werkbedrijf Eem", town="Utrecht")
    create_person(session, ENTREPRENEUR, name="Sanne Werkgever")
    create_person(session, MEMBER, role="company", company_id=gooi.id, name="Bram Bedrijf")

    # The entrepreneur adds the organisation and proposes two partnerships.
    sign_in_by_mail(page, url, mailbox, ENTREPRENEUR, next_path="/organisations")
    _open(page, url + "/organisations")
    page.fill("#o-name", "Werkgeverscoöperatie Gooi")
    page.select_option("#o-kind", "employers-cooperative")
    page.fill("#o-place", "Hilversum")
    page.click("#org-create")
    page.wait_for_url(lambda u: "/organisations/" in u)
    page.wait_for_selector("#propose-form:visible")
    org_url = page.url
    for company, kind in ((gooi, "full-partnership"), (eem, "customer")):
        page.select_option("#p-company", str(company.id))
        page.select_option("#p-kind", kind)
        page.select_option("#p-service", "green-maintenance")
        page.check("#to-org-exp-hr")
        page.check("#to-co-exp-engineering")
        page.click("#propose")
        page.wait_for_selector(f"#pship-list li:has-text('{company.name}')")
    assert page.locator("#pship-list li[data-status='proposed']").count() == 2
    _step(page, "organisation-proposed")

    # Confirmed by one side only: nowhere to be seen.
    for path in (org_url, f"{url}/companies/{gooi.id}", f"{url}/companies/{eem.id}"):
        _open(visitor, path)
        assert visitor.locator("[data-partners='none']").count() == 1, path
        assert visitor.locator("[data-partnership]").count() == 0, path

    # The company's member confirms the one with Werkbedrijf Gooi on "My company".
    sign_in_by_mail(visitor, url, mailbox, MEMBER)
    visitor.goto(url + "/my/company")
    visitor.wait_for_selector("#company-pship-list button[data-confirm]")
    check_a11y(visitor, "my company with a proposal")
    shot(visitor, "partners-my-company-proposal", "nl")
    visitor.click("#company-pship-list button[data-confirm]")
    visitor.wait_for_selector("#company-pship-list li[data-status='active']")

    # Now public on both profiles, with what flows both ways; the other still nowhere.
    _open(page, org_url)
    page.wait_for_selector("#org-partners li[data-partnership]")
    partners = page.locator("#org-partners li[data-partnership]")
    assert partners.count() == 1
    text = partners.first.inner_text()
    assert "Werkbedrijf Gooi" in text and "Werkbedrijf Eem" not in text
    assert "Groenonderhoud" in text and "Engineering" in text and "HR" in text
    _step(page, "organisation-confirmed")
    _open(page, f"{url}/companies/{gooi.id}")
    page.wait_for_selector("#profile-partners li[data-partnership]")
    assert "Werkgeverscoöperatie Gooi" in page.inner_text("#profile-partners")
    _step(page, "company-profile")
    _open(page, f"{url}/companies/{eem.id}")
    assert page.locator("#profile-partners [data-partners='none']").count() == 1
    page.set_viewport_size(PHONE)
    for path in (org_url, f"{url}/companies/{gooi.id}", f"{url}/organisations"):
        _open(page, path)
        assert fits_the_screen(page), path
    shot(page, "partners-phone-organisations", "nl")


def test_near_a_place_companies_partners_and_networks_on_the_map_and_as_a_list(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    gooi = create_company(session, "Werkbedrijf Gooi", town="Hilversum")
    create_company(session, "Werkbedrijf Groningen", town="Groningen")
    org = service.create_organisation(session, OrganisationCreate.model_validate({
        "name": "Werkgeverscoöperatie Gooi", "kind": "employers-cooperative",
        "location": {"place": "Hilversum"}}), ADMIN)
    service.propose_partnership(session, PartnershipCreate.model_validate({
        "organisation_id": str(org.id), "company_id": str(gooi.id),
        "kind": "cooperative-member",
        "to_organisation": [{"facet": "work_kind", "code": "green-maintenance"}]}), ADMIN)
    service.create_network(session, NetworkCreate.model_validate({
        "name": "Lokaal netwerk Gooi", "goal": "Samen werk maken",
        "location": {"place": "Hilversum"},
        "members": [{"organisation_id": str(org.id)}]}),
        Principal(key_id=uuid.uuid4(), role=Role.company, name="Gooi", company_id=gooi.id,
                  owner_id=gooi.id))
    session.commit()
    url = live_server.url
    _open(page, url + "/nearby?place=Hilversum&radius_km=20")
    page.wait_for_selector("#nb-companies li[data-company]", timeout=60_000)
    assert page.locator("#nb-companies li[data-company]").count() == 1
    item = page.inner_text(f"#nb-companies li[data-company='{gooi.id}']")
    assert "Werkgeverscoöperatie Gooi" in item and "Lokaal netwerk Gooi" in item
    assert "Groenonderhoud" in item
    assert page.locator("#nb-networks li[data-network]").count() == 1
    assert page.locator("#nb-orgs li[data-organisation]").count() == 1
    # One marker per company, organisation and network (the asked place aside).
    assert page.get_attribute("#nb-map", "data-markers") == "3"
    _step(page, "nearby")
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    shot(page, "partners-phone-nearby", "nl")
    _open(page, url + "/networks")
    assert "Werkbedrijf Gooi" in page.inner_text("#network-list")
    assert fits_the_screen(page)
    page.set_viewport_size({"width": 1200, "height": 900})
    _step(page, "networks")
