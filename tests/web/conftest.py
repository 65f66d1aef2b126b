"""Browser tests: Python Playwright drives Debian's Chromium (headless) against the live
test server. Without /usr/bin/chromium they skip, except under CI=true, where they fail."""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import Connection

from app.config import Settings
from app.worker import make_worker
from tests.conftest import LiveServer, _session_for, app_settings

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class OneAtATime:
    """The app, answering one API call at a time. A test binds every request to its one
    database connection (tests/conftest.py, bound_app), which two requests cannot share at
    once; a page, like any browser, sends several calls at the same time."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock: asyncio.Lock | None = None

    def __getattr__(self, name: str) -> Any:  # app.state, app.routes, ...
        return getattr(self.app, name)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self.lock is None:
            self.lock = asyncio.Lock()
        async with self.lock:
            await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[LiveServer]:
    """The browser tests' server: the app behind OneAtATime."""
    server = LiveServer(OneAtATime(app))
    server.start()
    yield server
    server.stop()


class ConsoleWatch:
    """What a page reports as broken: script errors, console.error calls, and our own pages or
    assets that fail to load. API answers of 4xx are the pages' business (they show them next
    to the field) and map tiles come from the internet, which the test machine cannot reach:
    the browser's "Failed to load resource" lines for those are not errors of the page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.origin = ""
        self.expected: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _own(self, url: str) -> bool:
        parsed = urlparse(url)
        return f"{parsed.scheme}://{parsed.netloc}" == self.origin and not parsed.path.startswith(
            ("/v1/", "/dev/"))

    def expect(self, words: str) -> None:
        """A console error the test provokes on purpose (e.g. a refused cross-origin call)."""
        self.expected.append(words)

    def _console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and not text.startswith("Failed to load resource") and not any(
                words in text for words in self.expected):
            self.errors.append(f"console.error: {text}")

    def _response(self, response: Any) -> None:
        if self._own(response.url) and response.status >= 400:
            self.errors.append(f"{response.status} for {response.url}")

    def _failed(self, request: Any) -> None:
        # A load the browser itself gives up on (the page moved on, the test closed it) is
        # no fault of the page.
        if self._own(request.url) and "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"failed: {request.url}")


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, live_server: Any) -> Iterator[Any]:
    """A fresh browser context per test; a screenshot of the last state is always saved, and
    the test fails if the page reported an error (see ConsoleWatch)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = ConsoleWatch(page)
    watch.origin = live_server.url
    page.console_watch = watch
    try:
        yield page
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}-final.png"), full_page=True)
        finally:
            context.close()
    assert not watch.errors, watch.errors


def shot(page: Any, name: str, lang: str | None = None) -> Path:
    """A full-page screenshot at artifacts/screenshots/<name>[-<lang>].png; says where."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (f"{name}-{lang}.png" if lang else f"{name}.png")
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


# --- accessibility ---------------------------------------------------------------------------

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def check_a11y(page: Any, where: str) -> None:
    """axe-core on the page as it is now: zero WCAG 2.1 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{where}:\n{results.generate_report()}"


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"))


def set_language(page: Any, lang: str) -> None:
    """Choose the language with the header's switch (remembered for the next pages)."""
    page.click(f"button[data-set-lang='{lang}']")
    page.wait_for_function("l => document.documentElement.lang === l", arg=lang)


# --- what the people API adds ----------------------------------------------------------------


def need(app: Any, method: str, path: str) -> None:
    """Skip until the API has the route the test needs (the people and words parts of issue
    15 land separately)."""
    if method.lower() in app.openapi().get("paths", {}).get(path, {}):
        return
    pytest.skip(f"needs {method} {path} (issue 15 API, not on main yet)")


class Mailbox:
    """The mail the service sends in a browser test: the file backend writes .eml files to a
    folder; the outbox worker delivers what waits (as `loket serve` does in development)."""

    def __init__(self, folder: Path, deliver: Any) -> None:
        self.folder = folder
        self.deliver = deliver

    def link(self, to: str, pattern: str = r"https?://\S+/sign-in\?token=[^\s<>\"]+",
             seen: int = 0) -> str:
        """The newest link matching `pattern` in mail to `to` after its first `seen`
        messages, waiting up to 15 s for it."""
        deadline = time.monotonic() + 15
        while True:
            self.deliver()
            found = [link for message in self.to(to)[seen:]
                     for link in re.findall(pattern, _plain(message))]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail with a link like {pattern}")
            time.sleep(0.2)

    def to(self, address: str) -> list[Any]:
        messages = []
        for path in sorted(self.folder.glob("*.eml"), key=lambda p: p.stat().st_mtime):
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            if address.lower() in str(message["To"]).lower():
                messages.append(message)
        return messages


def _plain(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",))
    return str(body.get_content()) if body is not None else ""


@pytest.fixture
def mailbox(
    bound_app: Any, live_server: Any, connection: Connection, tmp_path: Path,
    settings: Settings,
) -> Iterator[Mailbox]:
    folder = tmp_path / "mail"
    folder.mkdir()
    local = settings.model_copy(update={
        "email_backend": "file", "email_dir": folder, "public_base_url": live_server.url,
    })
    worker = make_worker(lambda: _session_for(connection), local, name="web-test")
    with app_settings(bound_app, local):
        yield Mailbox(folder, worker.run_once)


def sign_in_by_mail(page: Any, url: str, mailbox: Mailbox, email: str, *,
                    next_path: str | None = None) -> None:
    """As a person does it: ask for a link on /sign-in, open it from the mail, press the
    button."""
    seen = len(mailbox.to(email))
    page.goto(url + "/sign-in" + (f"?next={next_path}" if next_path else ""))
    page.wait_for_selector("body[data-ready='true']")
    page.fill("#email", email)
    page.click("#send-link")
    page.wait_for_selector("#link-status:not(:empty)")
    link = mailbox.link(email, seen=seen)
    page.goto(link)
    page.wait_for_selector("#use-token:visible")
    page.click("#use-token")
    page.wait_for_url(lambda u: "/sign-in" not in u)
    page.wait_for_selector("#sign-out")


class StaticSite:
    """A partner's site on its own loopback port (another origin than the service)."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
