"""Rate limits per API key, and per client IP for anonymous callers, with the `limits` library.

Storage is Redis when LOKET_REDIS_URL is set, so every worker and host counts against the same
budget; otherwise each process keeps its own counters in memory (N workers then allow up to N
times the limit). Headers follow the IETF httpapi ratelimit-headers draft:
`RateLimit-Policy: "anonymous";q=60;w=60` and `RateLimit: "anonymous";r=12;t=34`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
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


class RateLimiter:
    def __init__(self, settings: Settings, *, key_prefix: str | None = None) -> None:
        prefix = key_prefix or settings.rate_limit_key_prefix
        self.shared = settings.redis_url is not None
        storage: Storage
        if settings.redis_url:
            shared = storage_from_string(settings.redis_url, key_prefix=f"{prefix}:ratelimit")
            assert isinstance(shared, Storage)  # a sync URL scheme gives a sync storage
            storage = shared
        else:
            storage = MemoryStorage()
        self.storage = storage
        self.strategy = FixedWindowRateLimiter(storage)
        self.policies: dict[str, RateLimitItem] = {
            name: parse(value) for name, value in settings.rate_limits.model_dump().items()
        }

    def hit(self, policy: str, identity: str) -> Decision | None:
        """Count one request; None when the storage is unreachable (we fail open, loudly)."""
        item = self.policies[policy]
        try:
            allowed = self.strategy.hit(item, policy, identity)
            stats = self.strategy.get_window_stats(item, policy, identity)
        except Exception as exc:
            log.warning("rate_limit_storage_unavailable", error=exc.__class__.__name__)
            return None
        return Decision(
            allowed=allowed,
            policy=policy,
            limit=item.amount,
            window_seconds=item.get_expiry(),
            remaining=max(stats.remaining, 0),
            reset_seconds=max(math.ceil(stats.reset_time - time.time()), 0),
        )

    def reset(self) -> None:
        self.storage.reset()
