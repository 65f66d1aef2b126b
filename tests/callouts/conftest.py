"""Fixtures for the call-out loop: a local SMTP server (aiosmtpd), a local webhook receiver,
and a worker bound to the test's transaction."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Connection

from app.config import Settings
from app.notifications.worker import Worker
from app.worker import make_worker as make_process_worker
from tests.conftest import _session_for, app_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def inbox(smtp_server: tuple[_Inbox, int]) -> _Inbox:
    smtp_server[0].clear()
    return smtp_server[0]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def answer_link_in(message: EmailMessage) -> tuple[str, str]:
    """(invitation id, token) of the contact's own answer link in an invitation mail."""
    found = re.search(r"/answer\?token=([^&\s]+)&invitation=([0-9a-f-]{36})", text_of(message))
    assert found, text_of(message)
    return found.group(2), found.group(1)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]


@pytest.fixture(scope="session")
def _receiver_server() -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with receiver.lock:
                receiver.hits.append(
                    Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
            if self.path.startswith("/fail"):
                self.send_response(500)
            elif self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", f"{receiver.url}/redirected")
            else:
                self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def receiver(_receiver_server: Receiver) -> Receiver:
    with _receiver_server.lock:
        _receiver_server.hits.clear()
    return _receiver_server


@pytest.fixture
def notify_settings(
    settings: Settings, smtp_server: tuple[_Inbox, int], bound_app: Any
) -> Iterator[Settings]:
    """Settings that mail through the test SMTP server and allow loopback webhooks; the
    running app uses them too for the length of the test."""
    local = settings.model_copy(update={
        "email_backend": "smtp", "smtp_host": "127.0.0.1", "smtp_port": smtp_server[1],
        "smtp_starttls": False, "webhook_allow_loopback": True,
        "public_base_url": "https://loket.example",
    })
    with app_settings(bound_app, local):
        yield local


@pytest.fixture
def make_worker(connection: Connection, notify_settings: Settings) -> Any:
    def make(name: str = "worker-1", **overrides: Any) -> Worker:
        settings = notify_settings.model_copy(update=overrides) if overrides else notify_settings
        return make_process_worker(lambda: _session_for(connection), settings, name=name)

    return make
