"""One place for settings. Every variable has the LOKET_ prefix (see .env.example)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from limits import parse as parse_limit
from pydantic import AfterValidator, BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.words.languages import Language

DEFAULT_SECRET_KEY = "change-me-development-only"  # noqa: S105 - refused outside development
SECRET_KEY_MIN_LENGTH = 32
# Judged by the key's own character frequencies: a random hex key of 32 characters scores 92
# bits or more (in 200,000 tries), 32 base64 characters about 150; a key of a few characters
# repeated, or mostly one, falls short.
SECRET_KEY_MIN_BITS = 85
# Settings only tests may change, with the value production needs.
TEST_ONLY_SETTINGS = {"webhook_allow_loopback": False}


def secret_key_weakness(secret: str) -> str | None:
    """Why `secret` is too weak to key our HMACs, or None. Never says the secret itself."""
    if len(secret) < SECRET_KEY_MIN_LENGTH:
        return f"must be at least {SECRET_KEY_MIN_LENGTH} characters"
    if secret in (secret + secret)[1:-1]:
        return "repeats a shorter pattern"
    counts = Counter(secret).values()
    bits = -sum(c * math.log2(c / len(secret)) for c in counts)
    if bits < SECRET_KEY_MIN_BITS:
        return "is too regular to be random (too few different characters)"
    return None


class MatchWeights(BaseModel):
    work_kinds: float = Field(0.4, ge=0)
    distance: float = Field(0.25, ge=0)
    capacity: float = Field(0.2, ge=0)
    availability: float = Field(0.1, ge=0)
    certifications: float = Field(0.05, ge=0)


def _check_limit(value: str) -> str:
    try:
        parse_limit(value)
    except ValueError as exc:
        raise ValueError(f"not a rate limit like '60/minute': {value!r}") from exc
    return value


RateLimit = Annotated[str, AfterValidator(_check_limit)]


class RateLimits(BaseModel):
    """Requests per window, per API key (per client IP for anonymous callers)."""

    anonymous: RateLimit = "60/minute"
    admin: RateLimit = "1200/minute"
    company: RateLimit = "300/minute"
    entrepreneur: RateLimit = "300/minute"
    partner: RateLimit = "600/minute"
    # Sign-in links asked for one address, and by one client (IP), whatever the address.
    sign_in_address: RateLimit = "5/hour"
    sign_in_client: RateLimit = "30/hour"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOKET_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
        # An error must never echo a value: the secret key, the database URL's password.
        hide_input_in_errors=True,
    )

    env: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'loket.db'}",
        description="SQLAlchemy URL; SQLite file in the working directory by default.",
    )
    database_echo: bool = False
    # Connections kept open per worker process; a burst past them opens (and closes) extra
    # ones up to the overflow. Keep workers * (pool + overflow) under the server's
    # max_connections.
    database_pool_size: int = Field(10, ge=1, le=200)
    database_max_overflow: int = Field(20, ge=0, le=200)
    secret_key: str = DEFAULT_SECRET_KEY
    log_level: str = "INFO"
    log_json: bool = False

    # How a score is weighed; a weight of 0 switches a component off.
    match_weights: MatchWeights = MatchWeights()
    match_sibling_credit: float = Field(0.5, ge=0, le=1)
    match_distance_half_km: float = Field(30.0, gt=0)
    match_availability_grace_days: int = Field(90, ge=1)

    page_size_default: int = Field(20, ge=1)
    page_size_max: int = Field(100, ge=1)
    max_body_bytes: int = Field(1_000_000, ge=1024)

    # --- call-outs and notifications ---
    # Who is invited: the best `callout_max_invitations` matches scoring at least
    # `callout_min_score` (0 = no threshold).
    callout_max_invitations: int = Field(25, ge=1, le=200)
    callout_min_score: float = Field(0.0, ge=0, le=100)
    callout_response_working_days: int = Field(10, ge=1, le=100)
    callout_holidays: list[date] = Field(default_factory=list)
    callout_timezone: str = "Europe/Amsterdam"
    public_base_url: str = "http://127.0.0.1:8000"
    # Saved-search alerts: daily and weekly mails go out at this hour in `alert_timezone`
    # (weekly on `alert_weekday`, 0 = Monday); instant ones on the next worker pass after a
    # change. Slots are computed in UTC from the local hour, so DST moves nothing twice.
    alert_timezone: str = "Europe/Amsterdam"
    alert_send_hour: int = Field(8, ge=0, le=23)
    alert_weekday: int = Field(0, ge=0, le=6)
    answer_link_days: int = Field(30, ge=1)
    # People: a mailed sign-in link works once, this long; an invitation to join a company
    # (or a self-registration's first link) a little longer.
    sign_in_link_minutes: int = Field(15, ge=1, le=24 * 60)
    invite_link_hours: int = Field(72, ge=1, le=24 * 14)
    # email: "file" writes .eml files to email_dir; "smtp" sends through smtp_*.
    email_backend: Literal["file", "smtp"] = "file"
    email_dir: Path = Path("var/mail")
    email_from: str = "Loket <noreply@loket.example>"
    email_language: Language = "nl"
    smtp_host: str = "localhost"
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_use_tls: bool = False
    smtp_timeout_seconds: float = Field(10.0, gt=0)
    # webhooks
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    webhook_max_age_hours: float = Field(72.0, gt=0)
    webhook_backoff_base_seconds: float = Field(30.0, gt=0)
    webhook_allow_loopback: bool = False
    # worker
    worker_batch_size: int = Field(20, ge=1, le=1000)
    worker_poll_seconds: float = Field(2.0, gt=0)
    worker_lease_seconds: float = Field(300.0, gt=0)

    # --- the web loket ---
    # Leaflet tile URL template; empty shows the points without a background map.
    map_tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    # Capacity not updated for this many days is flagged on the company page.
    capacity_stale_days: int = Field(90, ge=1)

    # --- demand insights ---
    # A figure is shown only when at least this many distinct requesters stand behind it.
    # Never below 3 (refused at start-up); at most the sketch size (app/insights/cells.py).
    insights_min_requesters: int = Field(5, ge=3, le=32)
    # The worker folds new demand into the shown figures at most this often.
    insights_refresh_seconds: float = Field(30.0, gt=0, le=60)

    # Rate limits: in memory per process unless Redis is given (then shared by all workers).
    redis_url: str | None = None
    rate_limits: RateLimits = RateLimits()
    rate_limit_key_prefix: str = Field("loket", pattern=r"^[A-Za-z0-9_:.-]{1,64}$")
    # A rate-limit call to Redis gives up after this long (connect or reply), without retries;
    # then this process counts in memory for redis_retry_seconds before it asks Redis again.
    redis_timeout_seconds: float = Field(0.25, gt=0, le=10)
    redis_retry_seconds: float = Field(5.0, gt=0, le=600)

    # GET /metrics (Prometheus) answers only when this is set, and only to this bearer token.
    metrics_token: SecretStr | None = Field(None, min_length=16)

    # An Idempotency-Key is honoured at least this long.
    idempotency_ttl_hours: int = Field(24, ge=24)
    # A rotated key may keep working this long at most.
    key_rotation_max_grace_hours: int = Field(168, ge=0)

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> Settings:
        if self.env == "development":
            return self
        how = ("(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        if self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError(
                f"LOKET_SECRET_KEY must be set to a random value outside development {how}"
            )
        weakness = secret_key_weakness(self.secret_key)
        if weakness is not None:
            raise ValueError(f"LOKET_SECRET_KEY {weakness}; use a random one {how}")
        return self

    @model_validator(mode="after")
    def _refuse_test_settings_in_production(self) -> Settings:
        if self.env != "production":
            return self
        wrong = [name for name, value in TEST_ONLY_SETTINGS.items()
                 if getattr(self, name) != value]
        if wrong:
            names = ", ".join(f"LOKET_{name.upper()}" for name in wrong)
            raise ValueError(f"{names}: for tests only, refused with LOKET_ENV=production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
