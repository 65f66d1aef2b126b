from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.accounts import repository
from app.accounts.keys import generate_key, hash_key, parse_key
from app.accounts.principal import Principal, Role
from app.errors import Forbidden, NotFound, Unauthorized
from app.models import ApiKey, Company, utcnow

# last_used_at is written at most this often per key, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class CreatedKey:
    key: ApiKey
    secret: str


def create_api_key(
    session: Session,
    *,
    secret_key: str,
    name: str,
    role: Role,
    company_id: uuid.UUID | None = None,
    allowed_origins: list[str] | None = None,
    publishable: bool = False,
    expires_at: datetime | None = None,
) -> CreatedKey:
    if role is Role.company:
        if company_id is None:
            raise Forbidden("A company key must be bound to a company (company_id).")
        if session.get(Company, company_id) is None:
            raise NotFound(f"Company {company_id} does not exist.")
    elif company_id is not None:
        raise Forbidden("Only company keys are bound to a company.")
    if publishable and role is not Role.partner:
        raise Forbidden("Only partner keys can be publishable.")
    new = generate_key(role.value, publishable=publishable)
    key = ApiKey(
        name=name,
        role=role.value,
        company_id=company_id,
        prefix=new.prefix,
        secret_hash=hash_key(new.secret, secret_key),
        allowed_origins=allowed_origins or [],
        publishable=publishable,
        expires_at=expires_at,
    )
    session.add(key)
    session.flush()
    return CreatedKey(key=key, secret=new.secret)


def authenticate(session: Session, token: str, *, secret_key: str) -> Principal:
    """Resolve a bearer token to a principal, or raise 401 without saying which part failed."""
    parsed = parse_key(token)
    if parsed is None:
        raise Unauthorized("The API key is malformed.")
    key = repository.get_by_prefix(session, parsed.prefix)
    now = utcnow()
    if key is None or not hmac.compare_digest(key.secret_hash, hash_key(token, secret_key)):
        raise Unauthorized("The API key is not valid.")
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        raise Unauthorized("The API key has expired or was revoked.")
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        key.last_used_at = now
    return Principal(
        key_id=key.id,
        role=Role(key.role),
        name=key.name,
        company_id=key.company_id,
        publishable=key.publishable,
    )
