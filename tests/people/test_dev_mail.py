"""`/dev/mail`: mail written to the folder in development, listed newest first with clickable
links; nothing at all outside development."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.orm import Session

from app.config import Settings
from tests.factories import create_person
from tests.people.conftest import BASE_URL, Mailbox


def test_dev_mail_is_not_served_outside_development(
    client: httpx.Client, mailbox: Mailbox
) -> None:
    for path in ("/dev/mail", "/dev/mail/20261203T120000-abc"):
        r = client.get(path)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")


def test_dev_mail_lists_the_messages_with_their_links(
    client: httpx.Client, session: Session, mailbox: Mailbox, bound_app: Any,
    mail_settings: Settings,
) -> None:
    bound_app.state.settings = mail_settings.model_copy(update={"env": "development"})
    create_person(session, "eerst@example.org", name="Eerste <b>Persoon</b>")
    create_person(session, "daarna@example.org")
    assert client.post("/v1/auth/links", json={"email": "eerst@example.org"}).status_code == 202
    mailbox.messages()
    assert client.post("/v1/auth/links", json={"email": "daarna@example.org"}).status_code == 202
    mailbox.messages()

    r = client.get("/dev/mail")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert page.index("daarna@example.org") < page.index("eerst@example.org")  # newest first
    assert "Uw aanmeldlink voor Loket" in page
    assert f'<a href="{BASE_URL}/sign-in?token=' in page

    first = min(mailbox.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    one = client.get(f"/dev/mail/{first.stem}")
    assert one.status_code == 200
    assert "eerst@example.org" in one.text
    assert "Eerste &lt;b&gt;Persoon&lt;/b&gt;" in one.text  # escaped, not markup
    assert f'<a href="{BASE_URL}/sign-in?token=' in one.text
    for bad in ("..%2F..%2Fetc%2Fpasswd", "nope", "a.b"):
        assert client.get(f"/dev/mail/{bad}").status_code == 404


def test_dev_mail_says_when_there_is_none(
    client: httpx.Client, bound_app: Any, mail_settings: Settings
) -> None:
    bound_app.state.settings = mail_settings.model_copy(update={"env": "development"})
    r = client.get("/dev/mail")
    assert r.status_code == 200 and "No mail yet" in r.text
