"""The company page: a member updates capacity with the company key; the next search sees it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.callouts.tokens import make_token
from app.models.base import utcnow
from app.models.callout import Invitation
from app.models.company import Capability
from tests.conftest import TEST_SECRET_KEY, make_key
from tests.factories import create_company
from tests.web.conftest import shot


def _search_breda(page: Any, url: str) -> str:
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='true']")
    page.check("#kind-packaging")
    page.fill("#where", "Breda")
    page.fill("#workers", "50")
    page.click("#search-button")
    page.wait_for_selector("#results .result")
    first = page.locator("#results .result").first
    assert first.locator("h3").inner_text() == "Werkbedrijf Breda"
    return first.locator(".reasons li[data-criterion='capacity']").inner_text()


def test_updated_capacity_changes_the_next_search(
    page: Any, live_server: Any, bound_app: Any, session: Session
) -> None:
    breda = create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    session.execute(
        update(Capability)
        .where(Capability.company_id == breda.id)
        .values(capacity_updated_at=utcnow() - timedelta(days=200))
    )
    session.commit()
    key = make_key(session, Role.company, company_id=breda.id)

    before = _search_breda(page, live_server.url)
    assert "12" in before

    page.goto(live_server.url + "/company")
    page.fill("#company-key", key)
    page.click("#load-button")
    page.wait_for_selector("body[data-loaded='true']")
    row = page.locator("tr[data-kind='packaging']")
    assert row.locator("[data-stale='true']").count() == 1
    shot(page, "company-stale-capacity")
    page.fill("#cap-packaging", "80")
    page.click("#save-button")
    page.wait_for_selector("#profile-status:has-text('Opgeslagen')")
    assert row.locator("[data-stale='true']").count() == 0
    shot(page, "company-saved")

    after = _search_breda(page, live_server.url)
    assert "80" in after and after != before
    shot(page, "company-next-search")


def test_company_answers_an_invitation(
    page: Any, live_server: Any, bound_app: Any, session: Session, client: Any
) -> None:
    breda = create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    company_key = make_key(session, Role.company, company_id=breda.id)
    owner = {"Authorization": f"Bearer {make_key(session, Role.entrepreneur)}"}
    created = client.post("/v1/requests", headers=owner, json={
        "title": "Verpakken van notitieboekjes",
        "criteria": {"work_kinds": ["packaging"], "location": {"place": "Breda", "country": "NL"}},
    })
    assert created.status_code == 201, created.text
    published = client.post(f"/v1/requests/{created.json()['id']}/publish", headers=owner)
    assert published.status_code == 200, published.text

    page.goto(live_server.url + "/company")
    page.click("button[data-set-lang='en']")
    page.fill("#company-key", company_key)
    page.click("#load-button")
    page.wait_for_selector("#invitation-list li[data-invitation]")
    invitation = page.locator("#invitation-list li[data-invitation]").first
    assert "Verpakken van notitieboekjes" in invitation.inner_text()
    invitation.get_by_label("Interested").check()
    invitation.get_by_label("Workers offered").fill("8")
    invitation.get_by_label("Message").fill("We can start in January.")
    invitation.get_by_role("button", name="Send answer").click()
    page.wait_for_selector(".answer-status:has-text('Your answer has been sent.')")
    shot(page, "company-invitation-answered")

    answers = client.get(f"/v1/requests/{created.json()['id']}/responses", headers=owner)
    assert answers.status_code == 200
    assert "We can start in January." in answers.text


def test_signed_invitation_link_answers_without_a_key(
    page: Any, live_server: Any, bound_app: Any, session: Session, client: Any
) -> None:
    breda = create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    owner = {"Authorization": f"Bearer {make_key(session, Role.entrepreneur)}"}
    created = client.post("/v1/requests", headers=owner, json={
        "title": "Verpakken van notitieboekjes",
        "criteria": {"work_kinds": ["packaging"], "location": {"place": "Breda", "country": "NL"}},
    })
    request_id = created.json()["id"]
    assert client.post(f"/v1/requests/{request_id}/publish", headers=owner).status_code == 200
    invitation = session.scalars(
        select(Invitation).where(Invitation.company_id == breda.id)
    ).one()
    token = make_token(TEST_SECRET_KEY, invitation.id, invitation.link_nonce,
                       utcnow() + timedelta(days=5))
    link = f"{live_server.url}/v1/invitations/{invitation.id}/response?token={token}"

    page.goto(f"{live_server.url}/company#link={quote(link, safe='')}")
    page.wait_for_selector("#invitation-list li[data-invitation]")
    assert page.locator("#profile-form").is_hidden()
    item = page.locator("#invitation-list li[data-invitation]")
    item.get_by_label("Afslaan").check()
    item.get_by_role("button", name="Antwoord versturen").click()
    page.wait_for_selector(".answer-status:has-text('Uw antwoord is verstuurd.')")
    shot(page, "company-link-answered")
    answers = client.get(f"/v1/requests/{request_id}/responses", headers=owner)
    assert "declined" in answers.text


def test_a_company_adds_a_kind_and_a_site_and_removes_a_kind(
    page: Any, live_server: Any, bound_app: Any, session: Session, client: Any
) -> None:
    breda = create_company(session, "Werkbedrijf Breda", town="Breda",
                           kinds={"packaging": 12, "assembly": 3})
    key = make_key(session, Role.company, company_id=breda.id)

    page.goto(live_server.url + "/company")
    page.click("button[data-set-lang='en']")
    page.fill("#company-key", key)
    page.click("#load-button")
    page.wait_for_selector("body[data-loaded='true']")

    page.get_by_role("button", name="Add").first.click()  # nothing chosen yet
    assert page.locator("#draft-error").inner_text() == "Choose a kind of work"
    page.select_option("#new-kind", "cleaning")
    page.fill("#new-workers", "9")
    page.click("#add-kind-button")
    assert page.locator("tr[data-kind='cleaning'] input").input_value() == "9"
    assert page.locator("#new-kind option[value='cleaning']").count() == 0
    page.fill("#cap-packaging", "20")  # an edit made before a row is removed is kept
    page.get_by_role("button", name="Remove Assembly").click()
    assert page.locator("tr[data-kind='assembly']").count() == 0
    assert page.locator("#cap-packaging").input_value() == "20"

    page.click("#add-site-button")
    assert page.locator("#draft-error").inner_text() == "Give the new site a name."
    page.fill("#new-site-name", "Vestiging Tilburg")
    page.fill("#new-site-city", "Tilburg")
    page.click("#add-site-button")
    assert page.locator("fieldset[data-site] legend").all_inner_texts()[-1] == "Vestiging Tilburg"
    shot(page, "company-draft-kinds-and-site")
    page.click("#save-button")
    page.wait_for_selector("#profile-status:has-text('Saved.')")

    profile = client.get(f"/v1/companies/{breda.id}").json()
    assert {c["work_kind"]: c["capacity_workers"] for c in profile["capabilities"]} == {
        "packaging": 20, "cleaning": 9}
    tilburg = next(s for s in profile["sites"] if s["name"] == "Vestiging Tilburg")
    assert abs(tilburg["lat"] - 51.56) < 0.1 and abs(tilburg["lon"] - 5.09) < 0.1  # geocoded
    found = client.post("/v1/match", json={"work_kinds": ["cleaning"], "limit": 5, "location": {
        "place": "Tilburg", "country": "NL"}, "max_distance_km": 5}).json()
    assert [m["site"]["name"] for m in found["matches"]] == ["Vestiging Tilburg"]
