"""One place for settings. Every variable has the LOKET_ prefix (see .env.example)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "change-me-development-only"  # noqa: S105 - refused outside development


class MatchWeights(BaseModel):
    work_kinds: float = Field(0.4, ge=0)
    distance: float = Field(0.25, ge=0)
    capacity: float = Field(0.2, ge=0)
    availability: float = Field(0.1, ge=0)
    certifications: float = Field(0.05, ge=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOKET_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    env: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'loket.db'}",
        description="SQLAlchemy URL; SQLite file in the working directory by default.",
    )
    database_echo: bool = False
    secret_key: str = DEFAULT_SECRET_KEY
    log_level: str = "INFO"
    log_json: bool = False

    # How a score is weighed; a weight of 0 switches a component off.
    match_weights: MatchWeights = MatchWeights()
    match_sibling_credit: float = Field(0.5, ge=0, le=1)
    match_distance_half_km: float = Field(30.0, gt=0)
    match_availability_grace_days: int = Field(90, ge=1)
    match_default_limit: int = Field(20, ge=1, le=200)

    page_size_default: int = Field(20, ge=1)
    page_size_max: int = Field(100, ge=1)
    max_body_bytes: int = Field(1_000_000, ge=1024)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env != "development" and self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError(
                "LOKET_SECRET_KEY must be set to a random value outside development "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if self.env != "development" and len(self.secret_key) < 32:
            raise ValueError("LOKET_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
