"""Rate limits per API key, and per client IP for anonymous callers, with the `limits` library.

Storage is Redis when LOKET_REDIS_URL is set, so every worker and host counts against the same
budget; otherwise each process keeps its own counters in memory (N workers then allow up to N
times the limit), in `WindowCounts`: limits' own MemoryStorage starts a timer thread to expire
its keys after every 10 ms of traffic, a thread start per 10 ms on a busy worker.

When Redis is unreachable, silent or slow, a call gives up after LOKET_REDIS_TIMEOUT_SECONDS
(connect or reply, no retries) and the process falls back to its in-memory counters for
LOKET_REDIS_RETRY_SECONDS before it asks Redis again: the limits still hold, per process as
without Redis (neither open nor closed), and an answer waits at most one timeout for Redis.

Headers follow the IETF httpapi ratelimit-headers draft:
`RateLimit-Policy: "anonymous";q=60;w=60` and `RateLimit: "anonymous";r=12;t=34`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.config import Settings

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    policy: str
    limit: int
    window_seconds: int
    remaining: int
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Policy": f'"{self.policy}";q={self.limit};w={self.window_seconds}',
            "RateLimit": f'"{self.policy}";r={self.remaining};t={self.reset_seconds}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(self.reset_seconds, 1))
        return headers


class WindowCounts:
    """Fixed windows counted in this process, the way limits' FixedWindowRateLimiter counts
    them in a storage: a window opens at its first hit and lasts the policy's period, and
    every hit counts, refused ones too. Ended windows are replaced when hit again and swept
    out when they pile up."""

    SWEEP_ABOVE = 10_000

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._windows: dict[tuple[str, str], tuple[float, int]] = {}  # -> (ends at, hits)
        self._lock = threading.Lock()
        self._sweep_at = self.SWEEP_ABOVE

    def hit(self, key: tuple[str, str], period_s: int) -> tuple[int, float]:
        """Count one hit: the hits in its window so far, and when the window ends."""
        now = self._clock()
        with self._lock:
            ends_at, hits = self._windows.get(key, (0.0, 0))
            if ends_at <= now:
                if len(self._windows) >= self._sweep_at:
                    self._sweep(now)
                ends_at, hits = now + period_s, 0
            self._windows[key] = (ends_at, hits + 1)
            return hits + 1, ends_at

    def _sweep(self, now: float) -> None:
        self._windows = {k: w for k, w in self._windows.items() if w[0] > now}
        self._sweep_at = max(self.SWEEP_ABOVE, 2 * len(self._windows))

    def __len__(self) -> int:
        return len(self._windows)

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()


class RateLimiter:
    def __init__(self, settings: Settings, *, key_prefix: str | None = None) -> None:
        prefix = key_prefix or settings.rate_limit_key_prefix
        self.shared = settings.redis_url is not None
        # Counts without Redis, and while Redis is unreachable.
        self._local = WindowCounts()
        self._storage: Storage | None = None
        self._strategy: FixedWindowRateLimiter | None = None
        self._retry_seconds = settings.redis_retry_seconds
        self._redis_down_until = 0.0  # time.monotonic()
        if settings.redis_url:
            timeout = settings.redis_timeout_seconds
            options: dict[str, Any] = {
                "socket_timeout": timeout, "socket_connect_timeout": timeout,
                # redis-py retries 3 times with backoff by default: a dead Redis would cost
                # seconds per answer. We fall back at once instead.
                "retry": Retry(NoBackoff(), 0),
            }
            shared = storage_from_string(
                settings.redis_url, key_prefix=f"{prefix}:ratelimit", **options
            )
            assert isinstance(shared, Storage)  # a sync URL scheme gives a sync storage
            self._storage = shared
            self._strategy = FixedWindowRateLimiter(shared)
        self.policies: dict[str, RateLimitItem] = {
            name: parse(value) for name, value in settings.rate_limits.model_dump().items()
        }

    @property
    def degraded(self) -> bool:
        """Redis is configured but this process counts in memory until it retries Redis."""
        return self._strategy is not None and time.monotonic() < self._redis_down_until

    def hit(self, policy: str, identity: str) -> Decision:
        """Count one request: in Redis when it is given and answers in time, else in this
        process's memory (see the module's docstring)."""
        item = self.policies[policy]
        shared = self._hit_shared(item, policy, identity)
        if shared is not None:
            allowed, remaining, ends_at = shared
        else:
            hits, ends_at = self._local.hit((policy, identity), item.get_expiry())
            allowed, remaining = hits <= item.amount, item.amount - hits
        return Decision(
            allowed=allowed,
            policy=policy,
            limit=item.amount,
            window_seconds=item.get_expiry(),
            remaining=max(remaining, 0),
            reset_seconds=max(math.ceil(ends_at - time.time()), 0),
        )

    def _hit_shared(
        self, item: RateLimitItem, policy: str, identity: str
    ) -> tuple[bool, int, float] | None:
        """(allowed, remaining, window end) counted in Redis; None without Redis or when it
        failed (then we count in memory for a while, and say so once)."""
        if self._strategy is None or self.degraded:
            return None
        try:
            allowed = self._strategy.hit(item, policy, identity)
            stats = self._strategy.get_window_stats(item, policy, identity)
        except Exception as exc:
            self._redis_down_until = time.monotonic() + self._retry_seconds
            log.warning(
                "rate_limit_storage_unavailable", error=exc.__class__.__name__,
                fallback="memory", retry_in_seconds=self._retry_seconds,
            )
            return None
        return allowed, stats.remaining, stats.reset_time

    def reset(self) -> None:
        self._local.reset()
        if self._storage is not None:
            self._storage.reset()
