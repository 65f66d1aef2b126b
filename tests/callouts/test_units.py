"""Pure pieces of the call-out: working days, answer tokens, mail templates, .eml output."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from app.callouts.deadlines import add_working_days, end_of_day
from app.callouts.tokens import BadToken, make_token, read_token
from app.config import Settings
from app.notifications import email
from tests.conftest import TEST_SECRET_KEY

SECRET = TEST_SECRET_KEY


def test_ten_working_days_skip_weekends_and_holidays() -> None:
    monday = date(2026, 11, 23)
    assert add_working_days(monday, 10) == date(2026, 12, 7)
    friday = date(2026, 11, 27)
    assert add_working_days(friday, 1) == date(2026, 11, 30)
    saturday = date(2026, 11, 28)
    assert add_working_days(saturday, 1) == date(2026, 11, 30)
    christmas = [date(2026, 12, 25), date(2026, 12, 28)]
    assert add_working_days(date(2026, 12, 24), 1, christmas) == date(2026, 12, 29)


def test_a_deadline_ends_at_local_midnight() -> None:
    end = end_of_day(date(2027, 1, 15), "Europe/Amsterdam")
    assert end.astimezone(UTC) == datetime(2027, 1, 15, 23, 0, tzinfo=UTC)


def test_answer_tokens_are_signed_expiring_and_single_purpose() -> None:
    invitation = uuid.uuid4()
    expires = datetime.now(UTC) + timedelta(days=1)
    token = make_token(SECRET, invitation, "abc123", expires)
    claims = read_token(SECRET, token)
    assert (claims.invitation_id, claims.nonce) == (invitation, "abc123")

    with pytest.raises(BadToken, match="signature"):
        read_token("another-secret-key-that-is-long-enough-012345", token)
    with pytest.raises(BadToken, match="signature"):
        read_token(SECRET, token.replace("abc123", "abc124"))
    with pytest.raises(BadToken, match="expired"):
        read_token(SECRET, token, now=expires + timedelta(seconds=1))
    other_purpose = make_token(SECRET, invitation, "abc123", expires, purpose="unsubscribe")
    with pytest.raises(BadToken, match="purpose"):
        read_token(SECRET, other_purpose)
    with pytest.raises(BadToken):
        read_token(SECRET, "garbage")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_templates_render_text_and_escaped_html(lang: str) -> None:
    mail = email.render("answered", lang, {
        "contact_name": "Sanne", "company_name": "<script>alert(1)</script>",
        "title": "Boekjes", "interested": True, "message": "a & b",
        "company_email": "info@a.example.org", "company_phone": None, "request_id": "r1",
    })
    assert "Boekjes" in mail["subject"]
    assert "<script>" in mail["text"]  # plain text is not HTML
    assert "<script>" not in mail["html"] and "&lt;script&gt;" in mail["html"]
    assert "a &amp; b" in mail["html"]


def test_the_file_backend_writes_eml_files(tmp_path: Path) -> None:
    settings = Settings(env="test", secret_key=SECRET, email_backend="file",
                        email_dir=tmp_path / "mail")
    mail = email.render("closed", "nl", {
        "contact_name": None, "title": "Boekjes", "invited": 2, "interested": 1, "declined": 1,
        "request_id": "r1",
    })
    message = email.build_message(settings, "sanne@example.org", mail, "<id@loket.invalid>")
    email.send(settings, message, "one")
    (written,) = (tmp_path / "mail").glob("*.eml")
    parsed = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert parsed["To"] == "sanne@example.org"
    assert "gesloten" in str(parsed["Subject"])


def test_mail_is_sent_from_a_thread_whose_event_loop_is_running(
    notify_settings: Any, inbox: Any,
) -> None:
    """A Playwright test leaves a running event loop in its xdist worker's thread; sending
    must not start a loop of its own there (it did: asyncio.run in a running loop)."""
    import asyncio

    from app.notifications.email import build_message, render, send

    mail = render("closed", "nl", {"title": "Lus", "contact_name": "Sanne", "request_id": "x",
                                   "responses_url": None, "invited": 1, "interested": 0,
                                   "declined": 0})

    async def inside_a_loop() -> None:
        send(notify_settings, build_message(notify_settings, "loop@example.org", mail, "<a@b>"),
             "loop")

    asyncio.run(inside_a_loop())
    (message,) = inbox.to("loop@example.org")
    assert "Lus" in str(message["Subject"])
