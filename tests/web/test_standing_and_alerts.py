"""Issue 18 in the browser, with screenshots in Dutch and English and axe-core at each step:

- a company registered (and verified) after a call-out was published is invited by the worker,
  and the entrepreneur sees it on the request's page, marked as invited later; widening shows
  who would be added before inviting them;
- a weekly alert lists a new company with its reasons, and its unsubscribe link works once.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.principal import Role
from tests.conftest import auth, make_key
from tests.factories import create_company, create_person
from tests.web.conftest import Mailbox, _plain, set_language, sign_in_by_mail
from tests.web.test_journeys import _companies, _save_and_publish, _search, _step

ENTREPRENEUR = "eva@boekjes.example.org"
MONDAY = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)


def test_a_company_verified_after_publishing_is_invited_and_the_entrepreneur_sees_it(
    page: Any, live_server: Any, session: Session, mailbox: Mailbox, client: Any,
) -> None:
    _companies(session)
    create_person(session, ENTREPRENEUR, role="entrepreneur", name="Eva Ondernemer")
    url = live_server.url
    sign_in_by_mail(page, url, mailbox, ENTREPRENEUR)
    _search(page, url)
    request_id = _save_and_publish(page, "Verpakken van notitieboekjes")

    # A company registers itself after the call-out went out; the operator verifies it.
    late = create_company(session, "Werkbedrijf Later", town="Tilburg", status="pending",
                          contacts=[{"name": "Lotte", "email": "lotte@later.example.org"}])
    admin = auth(make_key(session, Role.admin))
    assert client.post(f"/v1/companies/{late.id}/verify", headers=admin).status_code == 200
    mailbox.deliver()  # the worker's pass: the check, the invitation, the mails
    mailbox.deliver()
    told = mailbox.to(ENTREPRENEUR)
    assert any("Werkbedrijf Later" in _plain(m) for m in told)
    assert mailbox.to("lotte@later.example.org")

    journey = "standing"
    page.goto(f"{url}/my/requests/{request_id}")
    item = page.locator("#responses li[data-source='standing']")
    item.wait_for()
    assert "Werkbedrijf Later" in item.inner_text()
    assert "later uitgenodigd" in item.inner_text()
    _step(page, journey, "1-invited-later")

    # Widening: the whole group, with a preview of who would be added, then confirmed.
    create_company(session, "Assemblage Tilburg", town="Tilburg", kinds={"assembly": 15})
    mailbox.deliver()
    page.reload()
    page.wait_for_selector("#widen-section:visible")
    page.check("#widen-groups")
    page.click("#widen-preview")
    page.wait_for_selector("#widen-added li[data-company]")
    added = page.locator("#widen-added").inner_text()
    assert "Assemblage Tilburg" in added
    _step(page, journey, "2-widen-preview")
    page.click("#widen-confirm")
    page.wait_for_selector("#widen-status:has-text('Verruimd: 1 bedrijven uitgenodigd.')")
    page.wait_for_selector("#responses li[data-source='widen']")
    _step(page, journey, "3-widened")


def test_a_weekly_alert_lists_a_new_company_with_reasons_and_unsubscribes_once(
    page: Any, live_server: Any, session: Session, mailbox: Mailbox,
) -> None:
    _companies(session)
    create_person(session, ENTREPRENEUR, role="entrepreneur", name="Eva Ondernemer")
    url = live_server.url
    sign_in_by_mail(page, url, mailbox, ENTREPRENEUR)
    _search(page, url)

    journey = "alerts"
    page.wait_for_selector("#alert-form:visible")
    page.fill("#alert-name", "Verpakken rond Tilburg")
    page.select_option("#alert-frequency", "weekly")
    page.click("#alert-save")
    page.wait_for_selector("#alert-status a[href='/my/alerts']")
    _step(page, journey, "1-saved")
    page.click("#alert-status a[href='/my/alerts']")
    page.wait_for_selector("#alert-list li[data-saved-search]")
    _step(page, journey, "2-my-alerts")

    # A new company; the worker's pass at Monday 08:00 in Amsterdam mails the alert.
    create_company(session, "Nieuw Verpakbedrijf", town="Tilburg", kinds={"packaging": 8})
    seen = len(mailbox.to(ENTREPRENEUR))
    mailbox.deliver(MONDAY)
    mailbox.deliver(MONDAY)
    mails = [m for m in mailbox.to(ENTREPRENEUR)[seen:] if "zoekopdracht" in str(m["Subject"])]
    assert len(mails) == 1
    text = _plain(mails[0])
    assert "Nieuw Verpakbedrijf" in text and "Werkbedrijf Breda" not in text
    assert "Verpakken" in text  # a reason from the engine, in Dutch
    assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"https?://\S+/unsubscribe\?token=\S+", text)
    assert link
    assert str(mails[0]["List-Unsubscribe"]) == f"<{link.group(0)}>"

    page.goto(link.group(0))
    page.wait_for_selector("#unsubscribe:visible")
    _step(page, journey, "3-unsubscribe-confirm")
    page.click("#unsubscribe")
    page.wait_for_selector("#unsubscribe-status:has-text('geen meldingen meer')")
    _step(page, journey, "4-unsubscribed")
    # The link again: already unsubscribed, said plainly (not an error).
    page.goto(link.group(0))
    page.wait_for_selector("#unsubscribe-status:has-text('al afgemeld')")
    assert page.locator("#unsubscribe").is_hidden()
    set_language(page, "en")
    page.wait_for_selector("#unsubscribe-status:has-text('already unsubscribed')")
    set_language(page, "nl")
    page.goto(url + "/my/alerts")
    page.wait_for_selector("#alert-list li[data-saved-search]")
    assert "gepauzeerd" in page.locator("#alert-list").inner_text()
    assert date.today() < MONDAY.date() + timedelta(days=1)
