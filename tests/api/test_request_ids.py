"""Every request has an id: the caller's X-Request-ID when it is a plain token, else a new one.
The answer returns it, and every log line of the request carries it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.logging import configure_logging

LogLines = Callable[[Callable[[dict[str, Any]], bool]], list[dict[str, Any]]]


@pytest.fixture
def log_lines(capsys: pytest.CaptureFixture[str], settings: Settings) -> Iterator[LogLines]:
    """The app's JSON log lines; waits (briefly) until one matches, as the access line is
    written just after the answer."""
    configure_logging("DEBUG", json_output=True, cache=False)
    seen: list[dict[str, Any]] = []

    def lines(until: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        deadline = time.monotonic() + 5
        while True:
            seen.extend(json.loads(line) for line in capsys.readouterr().out.splitlines()
                        if line.startswith("{"))
            if any(until(line) for line in seen) or time.monotonic() > deadline:
                return seen
            time.sleep(0.01)

    try:
        yield lines
    finally:
        configure_logging(settings.log_level, cache=False)


def _access_line(request_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda line: line.get("event") == "request" and line.get("request_id") == request_id


def test_a_new_id_is_returned_and_logged(client: httpx.Client, log_lines: LogLines) -> None:
    first = client.get("/v1/work-kinds").headers["x-request-id"]
    second = client.get("/v1/work-kinds").headers["x-request-id"]
    assert first != second
    lines = log_lines(_access_line(second))
    assert [line["path"] for line in lines if line.get("request_id") in (first, second)] == [
        "/v1/work-kinds", "/v1/work-kinds"]


@pytest.mark.parametrize(
    "given", ["3f2b8c1e-6a1d-4c4e-9a57-0c9d2f1b7e11", "abc", "00-4bf92f3577b34da6-01"]
)
def test_a_plain_incoming_id_is_kept(
    client: httpx.Client, log_lines: LogLines, given: str
) -> None:
    r = client.get("/v1/work-kinds", headers={"X-Request-ID": given})
    assert r.headers["x-request-id"] == given
    assert any(_access_line(given)(line) for line in log_lines(_access_line(given)))


@pytest.mark.parametrize(
    "given",
    ["", "a b", "x" * 64, "anna@example.org", "lk_ent_0123456789", '"quoted"', "naïve"],
    ids=["empty", "space", "too-long", "email", "underscore", "quote", "non-ascii"],
)
def test_any_other_incoming_id_is_replaced(client: httpx.Client, given: str) -> None:
    r = client.get("/v1/work-kinds", headers={"X-Request-ID": given.encode()})
    returned = r.headers["x-request-id"]
    assert returned != given and len(returned) == 16


def test_every_log_line_of_a_request_carries_its_id(
    client: httpx.Client, log_lines: LogLines, failing_route: str
) -> None:
    r = client.get(failing_route, headers={"X-Request-ID": "trace-42"})
    assert r.status_code == 500
    mine = [line for line in log_lines(_access_line("trace-42"))
            if line.get("path") == failing_route]
    assert {line["event"] for line in mine} == {"unhandled_error", "request"}
    assert all(line["request_id"] == "trace-42" for line in mine)
