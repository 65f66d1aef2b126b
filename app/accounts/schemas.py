from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.accounts.principal import Role
from app.common.validators import NoNul, Timestamp

KeyName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), NoNul
]
Origin = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=253,
        pattern=r"^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$",
    ),
    Field(description="A browser origin: scheme, host and optional port; no path.",
          examples=["https://partner.example.org"]),
]
MAX_GRACE_SECONDS = 7 * 24 * 3600


class ApiKeyCreate(BaseModel):
    # A publishable key needs its origins; a secret key has none (else 422).
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "if": {"required": ["publishable"], "properties": {"publishable": {"const": True}}},
        "then": {"required": ["allowed_origins"],
                 "properties": {"allowed_origins": {"minItems": 1}}},
        "else": {"properties": {"allowed_origins": {"maxItems": 0}}},
    })

    name: KeyName = Field(description="Who or what the key is for.")
    role: Role
    company_id: uuid.UUID | None = Field(
        None, description="Company keys: the company. A company key may only name its own."
    )
    owner_id: uuid.UUID | None = Field(
        None,
        description="Operators only: make another key for an existing entrepreneur or partner "
        "account (its keys share what it owns). By default a new account is started.",
    )
    allowed_origins: Annotated[list[Origin], Field(max_length=20)] = Field(
        default_factory=list,
        description="Publishable keys: the browser origins allowed to use the key.",
    )
    publishable: bool = Field(
        False,
        description="A partner's browser key: public endpoints only, registered origins only.",
    )
    expires_at: Timestamp | None = Field(None, description="The key stops working then.")


class ApiKeyRotate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_period_seconds: int = Field(
        0,
        ge=0,
        le=MAX_GRACE_SECONDS,
        description="How long the old key keeps working (0: revoked at once; at most 7 days).",
    )


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    name: str
    role: Role
    prefix: str = Field(description="The public part of the key; safe to show and log.")
    company_id: uuid.UUID | None
    owner_id: uuid.UUID
    allowed_origins: list[str]
    publishable: bool
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None = Field(description="In the future while a rotation's grace runs.")
    last_used_at: datetime | None = Field(description="Accurate to about five minutes.")
    rotated_from_id: uuid.UUID | None


class ApiKeyCreated(ApiKeyOut):
    secret: str = Field(description="The whole key. Shown only in this answer: store it now.")


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]
    total: int
    limit: int
    offset: int
