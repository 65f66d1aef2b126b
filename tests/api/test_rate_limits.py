"""Rate limits per key, and per client IP for anonymous callers; in memory and in Redis."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.common.ratelimit import RateLimiter, WindowCounts
from app.config import RateLimits, Settings
from tests.conftest import auth, make_key

REDIS_URL = os.environ.get("LOKET_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LIMITS = RateLimits(anonymous="3/minute", admin="5/minute", company="2/minute",
                    entrepreneur="2/minute", partner="2/minute")


def _redis_or_skip() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        message = f"Redis not reachable at {REDIS_URL}: {exc.__class__.__name__}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return REDIS_URL


def _limiter(settings: Settings, storage: str, prefix: str) -> RateLimiter:
    redis_url = _redis_or_skip() if storage == "redis" else None
    tight = settings.model_copy(update={"rate_limits": LIMITS, "redis_url": redis_url})
    return RateLimiter(tight, key_prefix=prefix)


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def limiter(bound_app: Any, settings: Settings, storage: str) -> Iterator[RateLimiter]:
    # A prefix per test, so runs and tests never share counters in Redis.
    limiter = _limiter(settings, storage, f"loket-test-{uuid.uuid4().hex}")
    previous = bound_app.state.rate_limiter
    bound_app.state.rate_limiter = limiter
    try:
        yield limiter
    finally:
        bound_app.state.rate_limiter = previous
        limiter.reset()


def test_anonymous_calls_are_limited_per_ip_with_ietf_headers(
    client: httpx.Client, limiter: RateLimiter
) -> None:
    for remaining in (2, 1, 0):
        r = client.get("/v1/work-kinds")
        assert r.status_code == 200
        assert r.headers["ratelimit-policy"] == '"anonymous";q=3;w=60'
        assert r.headers["ratelimit"].startswith(f'"anonymous";r={remaining};t=')
    r = client.get("/v1/work-kinds")
    assert r.status_code == 429
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 429
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert r.headers["ratelimit"].startswith('"anonymous";r=0;t=')
    assert r.headers["ratelimit-policy"] == '"anonymous";q=3;w=60'
    # Rate-limited too: the anonymous match endpoint.
    assert client.post("/v1/match", json={"work_kinds": ["packaging"]}).status_code == 429


def test_keys_have_their_own_budget_per_role(
    client: httpx.Client, session: Session, limiter: RateLimiter
) -> None:
    first = auth(make_key(session, Role.entrepreneur))
    second = auth(make_key(session, Role.entrepreneur))
    admin = auth(make_key(session, Role.admin))
    assert [client.get("/v1/requests", headers=first).status_code for _ in range(3)] == [
        200, 200, 429]
    assert client.get("/v1/requests", headers=second).status_code == 200
    assert client.get("/v1/work-kinds").status_code == 200  # the IP budget is separate
    statuses = [client.get("/v1/requests", headers=admin).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert client.get("/v1/requests", headers=admin).headers["ratelimit-policy"] == (
        '"admin";q=5;w=60')


def test_wrong_keys_spend_the_ip_budget(client: httpx.Client, limiter: RateLimiter) -> None:
    bad = auth("lk_ent_" + "x" * 48)
    assert [client.get("/v1/requests", headers=bad).status_code for _ in range(4)] == [
        401, 401, 401, 429]


def test_health_checks_are_not_limited(client: httpx.Client, limiter: RateLimiter) -> None:
    assert {client.get("/health/live").status_code for _ in range(6)} == {200}


def test_redis_counts_are_shared_by_workers_memory_counts_are_not(
    settings: Settings, storage: str
) -> None:
    prefix = f"loket-test-{uuid.uuid4().hex}"
    worker_a = _limiter(settings, storage, prefix)
    worker_b = _limiter(settings, storage, prefix)
    try:
        for _ in range(3):
            decision = worker_a.hit("anonymous", "ip:192.0.2.1")
            assert decision is not None and decision.allowed
        other = worker_b.hit("anonymous", "ip:192.0.2.1")
        assert other is not None
        assert other.allowed is (storage == "memory")
    finally:
        worker_a.reset()
        worker_b.reset()


def test_rate_limit_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="rate limit"):
        RateLimits(anonymous="lots")


def test_in_memory_windows_reopen_when_over_and_are_swept_as_they_pile_up() -> None:
    now = [1000.0]
    counts = WindowCounts(clock=lambda: now[0])
    assert [counts.hit(("anonymous", "ip:a"), 60) for _ in range(3)] == [
        (1, 1060.0), (2, 1060.0), (3, 1060.0)]
    assert counts.hit(("anonymous", "ip:b"), 60) == (1, 1060.0)  # its own window
    now[0] = 1059.9
    assert counts.hit(("anonymous", "ip:a"), 60) == (4, 1060.0)  # refused hits count too
    now[0] = 1060.0
    assert counts.hit(("anonymous", "ip:a"), 60) == (1, 1120.0)  # the window is over
    # At SWEEP_ABOVE windows, those that are over go before a new one opens.
    for i in range(WindowCounts.SWEEP_ABOVE - 2):
        counts.hit(("anonymous", f"ip:{i}"), 60)
    assert len(counts) == WindowCounts.SWEEP_ABOVE
    now[0] = 1120.0  # every window is over
    assert counts.hit(("anonymous", "ip:new"), 60) == (1, 1180.0)
    assert len(counts) == 1


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_redis() -> Iterator[int]:
    """A port that accepts connections and never answers (a hung Redis, a dropped route)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


@pytest.mark.parametrize("how", ["closed", "silent"])
def test_without_redis_the_limits_hold_per_process_and_no_call_hangs(
    settings: Settings, how: str, request: pytest.FixtureRequest
) -> None:
    port = _closed_port() if how == "closed" else request.getfixturevalue("silent_redis")
    limiter = RateLimiter(settings.model_copy(update={
        "rate_limits": LIMITS, "redis_url": f"redis://127.0.0.1:{port}/0",
        "redis_timeout_seconds": 0.2, "redis_retry_seconds": 60,
    }))
    decisions: list[Any] = []
    # In a thread, so a hanging Redis call fails this test instead of stalling the suite.
    thread = threading.Thread(
        target=lambda: decisions.extend(limiter.hit("anonymous", "ip:192.0.2.9")
                                        for _ in range(4)),
        daemon=True,
    )
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "a rate-limit call waited for an unreachable Redis"
    # Neither open nor closed: counted in this process's memory, with the usual headers.
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].headers()["Retry-After"]
    assert limiter.degraded


def test_the_limiter_asks_redis_again_once_the_retry_time_is_over(settings: Settings) -> None:
    url = _redis_or_skip()
    limiter = RateLimiter(settings.model_copy(update={
        "rate_limits": LIMITS, "redis_url": url, "redis_retry_seconds": 0.001,
    }), key_prefix=f"loket-test-{uuid.uuid4().hex}")
    try:
        limiter._redis_down_until = time.monotonic()  # as if Redis had just failed
        time.sleep(0.01)
        assert limiter.hit("anonymous", "ip:192.0.2.10").allowed
        assert not limiter.degraded
        # Counted in Redis: a second process sharing the prefix sees the hit.
        assert limiter._strategy is not None
        stats = limiter._strategy.get_window_stats(
            limiter.policies["anonymous"], "anonymous", "ip:192.0.2.10")
        assert stats.remaining == 2
    finally:
        limiter.reset()
