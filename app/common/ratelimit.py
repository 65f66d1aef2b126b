"""Rate limits per API key, and per client IP for anonymous callers, with the `limits` library.

Storage is Redis when LOKET_REDIS_URL is set, so every worker and host counts against the same
budget; otherwise each process keeps its own counters in memory (N workers then allow up to N
times the limit), in `WindowCounts`: limits' own MemoryStorage starts a timer thread to expire
its keys after every 10 ms of traffic, a thread start per 10 ms on a busy worker.

Headers follow the IETF httpapi ratelimit-headers draft:
`RateLimit-Policy: "anonymous";q=60;w=60` and `RateLimit: "anonymous";r=12;t=34`.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

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
        self._local: WindowCounts | None = None
        self._storage: Storage | None = None
        if settings.redis_url:
            shared = storage_from_string(settings.redis_url, key_prefix=f"{prefix}:ratelimit")
            assert isinstance(shared, Storage)  # a sync URL scheme gives a sync storage
            self._storage = shared
            self._strategy = FixedWindowRateLimiter(shared)
        else:
            self._local = WindowCounts()
        self.policies: dict[str, RateLimitItem] = {
            name: parse(value) for name, value in settings.rate_limits.model_dump().items()
        }

    def hit(self, policy: str, identity: str) -> Decision | None:
        """Count one request; None when the storage is unreachable (we fail open, loudly)."""
        item = self.policies[policy]
        if self._local is not None:
            hits, ends_at = self._local.hit((policy, identity), item.get_expiry())
            allowed, remaining = hits <= item.amount, item.amount - hits
        else:
            try:
                allowed = self._strategy.hit(item, policy, identity)
                stats = self._strategy.get_window_stats(item, policy, identity)
            except Exception as exc:
                log.warning("rate_limit_storage_unavailable", error=exc.__class__.__name__)
                return None
            remaining, ends_at = stats.remaining, stats.reset_time
        return Decision(
            allowed=allowed,
            policy=policy,
            limit=item.amount,
            window_seconds=item.get_expiry(),
            remaining=max(remaining, 0),
            reset_seconds=max(math.ceil(ends_at - time.time()), 0),
        )

    def reset(self) -> None:
        if self._local is not None:
            self._local.reset()
        if self._storage is not None:
            self._storage.reset()
