"""Fixtures for people: mail written as .eml files (the development backend) to a folder of
the test's own, and the worker that writes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from app.config import Settings
from app.worker import make_worker
from tests.conftest import _session_for, app_settings

BASE_URL = "https://loket.example"


@dataclass
class Mailbox:
    """The mail folder, read as a person reads mail: delivered by the worker first."""

    folder: Path
    deliver: Any

    def messages(self, to: str | None = None) -> list[EmailMessage]:
        self.deliver()
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(message, EmailMessage)
            if to is None or to in str(message["To"]):
                found.append(message)
        return found

    def last_to(self, to: str) -> EmailMessage:
        messages = self.messages(to)
        assert messages, f"no mail to {to}"
        return messages[-1]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def sign_in_token_in(message: EmailMessage) -> str:
    found = re.search(re.escape(BASE_URL) + r"/sign-in\?token=(\S+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


@pytest.fixture
def mail_settings(settings: Settings, bound_app: Any, tmp_path: Path) -> Iterator[Settings]:
    """The app writes mail to a folder of this test's own, and links to BASE_URL."""
    local = settings.model_copy(update={
        "email_backend": "file", "email_dir": tmp_path / "mail", "public_base_url": BASE_URL,
    })
    with app_settings(bound_app, local):
        yield local


@pytest.fixture
def mailbox(mail_settings: Settings, connection: Connection) -> Mailbox:
    worker = make_worker(lambda: _session_for(connection), mail_settings, name="mail-worker")

    def deliver() -> None:
        while worker.run_once():
            pass

    return Mailbox(folder=Path(mail_settings.email_dir), deliver=deliver)
