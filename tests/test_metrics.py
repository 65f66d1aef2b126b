"""GET /metrics: hidden unless a token is configured, refused without it, and then the figures
operators watch: requests per route template and status, catalogue rebuilds, the outbox. With
`loket serve --workers 2` a scrape sums both workers, also after one was killed."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy.orm import Session

from app.models import OutboxMessage, utcnow
from tests.factories import create_company
from tests.test_serve import (
    _live,
    _socket_owner,
    _wait_for,
    _workers,
    serving_two_workers,
)

TOKEN = "metrics-token-for-the-tests-0123"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def with_token(bound_app: Any) -> Iterator[None]:
    settings = bound_app.state.settings
    bound_app.state.settings = settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})
    try:
        yield
    finally:
        bound_app.state.settings = settings


def scrape(client: httpx.Client) -> str:
    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return answer.text


def test_metrics_are_absent_unless_a_token_is_configured(client: httpx.Client) -> None:
    answer = client.get("/metrics")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


@pytest.mark.usefixtures("with_token")
@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer"])
def test_metrics_refuse_a_missing_or_wrong_token(client: httpx.Client, header: str | None) -> None:
    answer = client.get("/metrics", headers={"Authorization": header} if header else {})
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in answer.text


@pytest.mark.usefixtures("with_token")
def test_requests_are_counted_by_route_template_and_status(client: httpx.Client) -> None:
    before = scrape(client)
    missing = f"/v1/companies/{uuid.uuid4()}"
    for _ in range(3):
        assert client.get(missing).status_code == 404
    assert client.get("/no/such/page").status_code == 404
    after = scrape(client)

    route = {"method": "GET", "route": "/v1/companies/{company_id}", "status": "404"}
    assert value(after, "loket_http_requests_total", **route) - value(
        before, "loket_http_requests_total", **route) == 3
    assert value(after, "loket_http_request_duration_seconds_count", **route) - value(
        before, "loket_http_request_duration_seconds_count", **route) == 3
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert value(after, "loket_http_requests_total", **unmatched) - value(
        before, "loket_http_requests_total", **unmatched) == 1
    assert not any(missing in name or missing in str(labels) for name, labels in samples(after))
    assert value(after, "loket_http_worker_processes") == 1


@pytest.mark.usefixtures("with_token")
def test_a_catalogue_rebuild_is_counted(client: httpx.Client, session: Session) -> None:
    body = {"work_kinds": ["packaging"], "location": {"lat": 51.56, "lon": 5.09}}
    assert client.post("/v1/match", json=body).status_code == 200
    before = value(scrape(client), "loket_catalogue_rebuild_duration_seconds_count")
    assert client.post("/v1/match", json=body).status_code == 200  # same version: no rebuild
    assert value(scrape(client), "loket_catalogue_rebuild_duration_seconds_count") == before
    create_company(session, "Nieuw BV", town="Tilburg", kinds={"packaging": 5})
    session.commit()
    assert client.post("/v1/match", json=body).status_code == 200
    assert value(scrape(client), "loket_catalogue_rebuild_duration_seconds_count") == before + 1


def _outbox(channel: str, status: str, attempts: int, due_ago: timedelta) -> OutboxMessage:
    now = utcnow()
    return OutboxMessage(
        id=uuid.uuid4(), channel=channel, event_id=uuid.uuid4(), event_type="request.published",
        recipient="ops" if channel == "email" else str(uuid.uuid4()), payload={},
        status=status, attempts=attempts, created_at=now - due_ago,
        next_attempt_at=now - due_ago,
    )


@pytest.mark.usefixtures("with_token")
def test_the_outbox_is_read_at_scrape_time(client: httpx.Client, session: Session) -> None:
    session.add_all([
        _outbox("email", "sent", 1, timedelta(hours=1)),
        _outbox("email", "sent", 2, timedelta(hours=1)),
        _outbox("email", "failed", 3, timedelta(hours=2)),
        _outbox("email", "pending", 1, timedelta(seconds=90)),
        _outbox("email", "pending", 0, timedelta(seconds=30)),
        _outbox("email", "pending", 0, -timedelta(minutes=5)),  # not due yet
    ])
    session.commit()
    text = scrape(client)
    assert value(text, "loket_notifications_sent_total", channel="email") == 2
    assert value(text, "loket_notifications_failed_total", channel="email") == 1
    # 1 + 2 + 3 + 1 attempts, of which 2 delivered
    assert value(text, "loket_notification_failed_attempts_total", channel="email") == 5
    assert value(text, "loket_outbox_backlog", channel="email") == 2
    assert 90 <= value(text, "loket_outbox_oldest_due_age_seconds", channel="email") < 150
    assert value(text, "loket_outbox_backlog", channel="webhook") == 0
    assert value(text, "loket_outbox_oldest_due_age_seconds", channel="webhook") == 0


# --- several worker processes --------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`loket serve --workers 2` with a metrics token, on a fresh SQLite database."""
    with serving_two_workers(tmp_path, LOKET_METRICS_TOKEN=TOKEN) as (process, port, _):
        yield process, port


def _scrape(port: int) -> str:
    answer = httpx.get(f"http://127.0.0.1:{port}/metrics",
                       headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.text


LIVE = {"method": "GET", "route": "/health/live", "status": "200"}


def _answered_by(port: int) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/health/live")
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200
        assert connection.sock is not None
        return _socket_owner(port, connection.sock.getsockname()[1])
    finally:
        connection.close()


def test_a_scrape_sums_every_worker_also_after_one_was_killed(
    served: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = served
    before = value(_scrape(port), "loket_http_requests_total", **LIVE)
    answered: set[int | None] = set()
    calls = 0
    while calls < 200 and (calls < 20 or len(answered) < 2):
        answered.add(_answered_by(port))
        calls += 1
    assert answered == _workers(process.pid)  # both workers answered some of them
    text = _scrape(port)
    assert value(text, "loket_http_requests_total", **LIVE) - before == calls
    assert value(text, "loket_http_worker_processes") == 2

    # A worker killed without warning: its counts stay in the sum, its live gauge goes.
    workers = _workers(process.pid)
    os.kill(min(workers), signal.SIGKILL)
    _wait_for(lambda: len(_workers(process.pid) - workers) == 1
              and len(_workers(process.pid)) == 2 and _live(f"http://127.0.0.1:{port}"))
    # The new worker counts once it has started; the dead one no longer does.
    _wait_for(lambda: value(_scrape(port), "loket_http_worker_processes") == 2, timeout=60)
    assert value(_scrape(port), "loket_http_requests_total", **LIVE) >= before + calls
