"""My company, for a signed-in member: capacity refused next to the field when it is not a
whole number in range, only what changed is sent, kinds and sites added and removed, members
invited; and a personal answer link opens the invitation's own page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from playwright.sync_api import expect
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.callouts.tokens import make_token
from app.models.base import utcnow
from app.models.callout import Invitation
from app.models.company import Capability
from tests.conftest import TEST_SECRET_KEY, make_key
from tests.factories import create_company
from tests.web.conftest import Mailbox, check_a11y, need, set_language, shot, sign_in_by_mail

MEMBER = "planning@breda.example.org"


def _breda(session: Session, **kinds: int) -> Any:
    return create_company(session, "Werkbedrijf Breda", town="Breda",
                          kinds=kinds or {"packaging": 12, "assembly": 3},
                          contacts=[{"name": "Piet Planner", "email": MEMBER}])


def _open_my_company(page: Any, url: str, mailbox: Mailbox) -> None:
    sign_in_by_mail(page, url, mailbox, MEMBER)
    page.goto(url + "/my/company")
    page.wait_for_selector("body[data-loaded='true']")


def test_capacity_is_checked_next_to_the_field_and_only_changes_are_sent(
    page: Any, live_server: Any, bound_app: Any, session: Session, mailbox: Mailbox
) -> None:
    need(bound_app, "POST", "/v1/auth/sessions")
    breda = _breda(session)
    session.execute(update(Capability).where(Capability.company_id == breda.id)
                    .values(capacity_updated_at=utcnow() - timedelta(days=200)))
    session.commit()
    patches: list[dict[str, Any]] = []
    page.on("request", lambda r: patches.append(json.loads(r.post_data or "{}"))
            if r.method == "PATCH" else None)

    _open_my_company(page, live_server.url, mailbox)
    assert page.locator("tr[data-kind='packaging'] [data-stale='true']").count() == 1
    check_a11y(page, "my company")
    shot(page, "company-profile", "nl")

    for wrong in ("-5", "", "2.5", "100001"):
        page.fill("#cap-packaging", wrong)
        page.click("#save-button")
        assert page.locator("#cap-packaging-error").inner_text().startswith("Vul een heel getal in")
        assert page.get_attribute("#cap-packaging", "aria-invalid") == "true"
    assert patches == []  # nothing wrong is sent
    check_a11y(page, "my company with a refused number")
    shot(page, "company-invalid-capacity", "nl")

    page.fill("#cap-packaging", "80")
    page.click("#save-button")
    page.wait_for_selector("#profile-status:has-text('Opgeslagen')")
    assert set(patches[-1]) == {"capabilities"}
    assert page.locator("tr[data-kind='packaging'] [data-stale='true']").count() == 0

    page.fill("#p-website", "https://breda.example.org/")
    page.click("#save-button")
    page.wait_for_selector("#profile-status:has-text('Opgeslagen')")
    assert set(patches[-1]) == {"website"}  # the capacities keep their dates
    set_language(page, "en")
    shot(page, "company-saved", "en")


def test_a_member_adds_a_kind_and_a_site_and_invites_a_colleague(
    page: Any, live_server: Any, bound_app: Any, session: Session, client: Any,
    mailbox: Mailbox,
) -> None:
    need(bound_app, "POST", "/v1/companies/{company_id}/members")
    breda = _breda(session)
    _open_my_company(page, live_server.url, mailbox)
    set_language(page, "en")

    page.click("#add-kind-button")  # nothing chosen yet
    assert page.locator("#new-kind-error").inner_text() == "Choose a kind of work"
    page.select_option("#new-kind", "cleaning")
    page.fill("#new-workers", "9")
    page.click("#add-kind-button")
    assert page.locator("tr[data-kind='cleaning'] input").input_value() == "9"
    page.fill("#cap-packaging", "20")  # an edit made before a row is removed is kept
    page.get_by_role("button", name="Remove Assembly").click()
    assert page.locator("tr[data-kind='assembly']").count() == 0
    assert page.locator("#cap-packaging").input_value() == "20"

    page.fill("#new-site-name", "Vestiging Tilburg")
    page.fill("#new-site-city", "Tilburg")
    page.click("#add-site-button")
    page.click("#save-button")
    page.wait_for_selector("#profile-status:has-text('Saved.')")
    profile = client.get(f"/v1/companies/{breda.id}").json()
    assert {c["work_kind"]: c["capacity_workers"] for c in profile["capabilities"]} == {
        "packaging": 20, "cleaning": 9}
    assert any(s["name"] == "Vestiging Tilburg" for s in profile["sites"])

    page.fill("#invite-name", "Collega Jansen")
    page.fill("#invite-email", "jansen@breda.example.org")
    page.click("#invite-button")
    page.wait_for_selector("#invite-status:has-text('Collega Jansen is invited')")
    expect(page.locator("#member-list li")).to_have_count(2)  # the list reloads after the invite
    mailbox.link("jansen@breda.example.org")
    check_a11y(page, "my company after changes")
    shot(page, "company-members", "en")


def test_a_personal_answer_link_opens_the_invitation_without_signing_in(
    page: Any, live_server: Any, bound_app: Any, session: Session, client: Any
) -> None:
    breda = create_company(session, "Werkbedrijf Breda", town="Breda", kinds={"packaging": 12})
    owner = {"Authorization": f"Bearer {make_key(session, Role.entrepreneur)}"}
    created = client.post("/v1/requests", headers=owner, json={
        "title": "Verpakken van notitieboekjes", "description": "Notitieboekjes in dozen.",
        "criteria": {"work_kinds": ["packaging"], "workers_needed": 10,
                     "location": {"place": "Breda", "country": "NL"}, "max_distance_km": 30},
    })
    request_id = created.json()["id"]
    assert client.post(f"/v1/requests/{request_id}/publish", headers=owner).status_code == 200
    invitation = session.scalars(
        select(Invitation).where(Invitation.company_id == breda.id)
    ).one()
    token = make_token(TEST_SECRET_KEY, invitation.id, invitation.link_nonce,
                       utcnow() + timedelta(days=5))
    link = f"{live_server.url}/v1/invitations/{invitation.id}/response?token={token}"

    # The old form of the link (/company#link=…) lands on the invitation's own page.
    page.goto(f"{live_server.url}/company#link={quote(link, safe='')}")
    page.wait_for_url(f"**/my/company/invitations/{invitation.id}?token=*")
    page.wait_for_selector("body[data-ready='true']")
    facts = page.locator("#inv-facts").inner_text()
    assert "Verpakken" in facts and "Breda" in facts and "10 mensen" in facts
    shown = client.get(f"/v1/invitations/{invitation.id}?token={token}").json()["request"]
    if "max_distance_km" in shown:  # the whole request, as the people API gives it
        assert "binnen 30 km" in facts
    check_a11y(page, "invitation by link")
    shot(page, "invitation-by-link", "nl")
    page.check("#status-declined")
    page.click("#answer-button")
    page.wait_for_selector("#answer-status:has-text('Uw antwoord is verstuurd')")
    answers = client.get(f"/v1/requests/{request_id}/responses", headers=owner)
    assert answers.json()["items"][0]["status"] == "declined"
