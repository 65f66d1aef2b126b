"""Keys: making, listing, revoking and rotating them, and resolving a bearer token to a caller."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.accounts import repository
from app.accounts.keys import (
    SESSION_TOKEN_PREFIX,
    generate_key,
    hash_key,
    hash_token,
    parse_key,
)
from app.accounts.principal import Principal, Role
from app.accounts.schemas import ApiKeyCreate
from app.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable, field_error
from app.models import ApiKey, Company, User, UserSession, utcnow

log = structlog.get_logger(__name__)

# last_used_at is written at most this often per key, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=5)
# A browser session ends after this long unused, and after SESSION_MAX_AGE in any case.
SESSION_IDLE = timedelta(days=30)
SESSION_MAX_AGE = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class CreatedKey:
    key: ApiKey
    secret: str


def is_active(key: ApiKey, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if key.revoked_at is not None and key.revoked_at <= now:
        return False
    return key.expires_at is None or key.expires_at > now


def create_api_key(
    session: Session,
    *,
    secret_key: str,
    name: str,
    role: Role,
    company_id: uuid.UUID | None = None,
    owner_id: uuid.UUID | None = None,
    allowed_origins: Sequence[str] | None = None,
    publishable: bool = False,
    expires_at: datetime | None = None,
    rotated_from_id: uuid.UUID | None = None,
) -> CreatedKey:
    """Make a key; the binding rules hold whoever asks (the CLI, the API, tests)."""
    if role is Role.company:
        if company_id is None:
            raise Forbidden("A company key must be bound to a company (company_id).")
        if session.get(Company, company_id) is None:
            raise NotFound(f"Company {company_id} does not exist.")
        if owner_id is not None and owner_id != company_id:
            raise Unprocessable(
                "A company key belongs to its company.",
                errors=[field_error("owner_id", "company keys are owned by their company",
                                   code="not_for_this_role")],
            )
        owner_id = company_id
    elif company_id is not None:
        raise Forbidden("Only company keys are bound to a company.")
    if publishable and role is not Role.partner:
        raise Forbidden("Only partner keys can be publishable.")
    if publishable and not allowed_origins:
        raise Unprocessable(
            "A publishable key needs the origins it may be used from.",
            errors=[field_error("allowed_origins", "give at least one origin",
                                   code="too_few", min_length=1)],
        )
    if allowed_origins and not publishable:
        raise Unprocessable(
            "Secret keys are never used from a browser, so they have no origins.",
            errors=[field_error("allowed_origins", "only publishable keys have origins",
                                   code="not_for_this_role")],
        )
    if expires_at is not None and expires_at <= utcnow():
        raise Unprocessable(
            "The expiry lies in the past.",
            errors=[field_error("expires_at", "must be in the future", code="not_in_future")],
        )
    new = generate_key(role.value, publishable=publishable)
    key_id = uuid.uuid4()
    key = ApiKey(
        id=key_id,
        name=name,
        role=role.value,
        company_id=company_id,
        owner_id=owner_id or key_id,
        prefix=new.prefix,
        secret_hash=hash_key(new.secret, secret_key),
        allowed_origins=list(dict.fromkeys(allowed_origins or [])),
        publishable=publishable,
        expires_at=expires_at,
        rotated_from_id=rotated_from_id,
    )
    session.add(key)
    session.flush()
    return CreatedKey(key=key, secret=new.secret)


def create_key_for(
    session: Session, data: ApiKeyCreate, principal: Principal, *, secret_key: str
) -> CreatedKey:
    """`POST /v1/api-keys`: operators make any key; a company makes keys for its own members;
    a signed-in entrepreneur makes entrepreneur keys for their own account."""
    owner_id = data.owner_id
    own_account = principal.role is Role.entrepreneur and principal.is_person
    if not principal.is_admin:
        if principal.role is not Role.company and not own_account:
            raise Forbidden("Keys are made by operators, and by companies for their members.")
        forbidden = sorted(
            name
            for name, given in (
                ("owner_id", data.owner_id is not None),
                ("publishable", data.publishable),
                ("allowed_origins", bool(data.allowed_origins)),
            )
            if given
        )
        if forbidden:
            raise Forbidden(f"Only operators may set: {', '.join(forbidden)}.")
        if own_account:
            if data.role is not Role.entrepreneur or data.company_id is not None:
                raise Forbidden("You may make entrepreneur keys for your own account only.")
            owner_id = principal.owner
        elif data.role is not Role.company:
            raise Forbidden("A company key may only make company keys.")
        if data.company_id not in (None, principal.company_id):
            raise Forbidden("A company key may only make keys for its own company.")
        company_id: uuid.UUID | None = principal.company_id
    else:
        company_id = data.company_id
    if (
        data.owner_id is not None
        and data.role is not Role.company
        and not repository.owner_exists(session, data.owner_id, data.role.value)
        and not repository.user_exists(session, data.owner_id, data.role.value)
    ):
        raise Unprocessable(
            "No account with this owner_id and role.",
            errors=[field_error("owner_id", "no such account for this role",
                                code="unknown_account")],
        )
    return create_api_key(
        session,
        secret_key=secret_key,
        name=data.name,
        role=data.role,
        company_id=company_id,
        owner_id=owner_id,
        allowed_origins=data.allowed_origins,
        publishable=data.publishable,
        expires_at=data.expires_at,
    )


def _visible_owner(principal: Principal) -> uuid.UUID | None:
    """Whose keys the caller sees: None means every key (operators)."""
    return None if principal.is_admin else principal.owner


def list_keys(
    session: Session, principal: Principal, *, limit: int, offset: int
) -> tuple[Sequence[ApiKey], int]:
    return repository.list_keys(session, _visible_owner(principal), limit=limit, offset=offset)


def get_visible_key(session: Session, key_id: uuid.UUID, principal: Principal) -> ApiKey:
    key = repository.get_key(session, key_id)
    owner = _visible_owner(principal)
    # Another account's key looks exactly like a missing one.
    if key is None or (owner is not None and key.owner_id != owner):
        raise NotFound(f"API key {key_id} does not exist.")
    return key


def revoke_key(session: Session, key_id: uuid.UUID, principal: Principal) -> ApiKey:
    key = get_visible_key(session, key_id, principal)
    now = utcnow()
    if key.revoked_at is None or key.revoked_at > now:
        key.revoked_at = now
    session.flush()
    return key


def rotate_key(
    session: Session,
    key_id: uuid.UUID,
    principal: Principal,
    *,
    secret_key: str,
    grace: timedelta,
) -> CreatedKey:
    """A new secret with the same name, role, binding and owner; the old key stops working
    now or after the grace period, whichever the caller chose."""
    old = get_visible_key(session, key_id, principal)
    now = utcnow()
    if not is_active(old, now):
        raise Conflict("This key is revoked or expired; make a new one instead.")
    if old.revoked_at is not None:
        raise Conflict("This key was already rotated; rotate its successor instead.")
    created = create_api_key(
        session,
        secret_key=secret_key,
        name=old.name,
        role=Role(old.role),
        company_id=old.company_id,
        owner_id=old.owner_id,
        allowed_origins=old.allowed_origins,
        publishable=old.publishable,
        expires_at=old.expires_at,
        rotated_from_id=old.id,
    )
    old.revoked_at = now + grace
    session.flush()
    return created


def _prefix_of(token: str) -> str:
    parsed = parse_key(token)
    if parsed is None:
        # The checksum failed: refused without a database lookup.
        raise Unauthorized("The API key is malformed.")
    return parsed.prefix


def _verified_key(session: Session, token: str, secret_key: str) -> ApiKey:
    key = repository.get_by_prefix(session, _prefix_of(token))
    if key is None or not hmac.compare_digest(key.secret_hash, hash_key(token, secret_key)):
        raise Unauthorized("The API key is not valid.")
    if not is_active(key):
        raise Unauthorized("The API key has expired or was revoked.")
    return key


def authenticate(session: Session, token: str, *, secret_key: str) -> Principal:
    """Resolve a bearer token to a principal, or raise 401 without saying which part failed.
    Records the key's last use, at most every LAST_USED_RESOLUTION, in the session's own
    transaction (committed with the request), in a savepoint: a read-only call on SQLite that
    cannot take the write lock just then leaves it to a later call instead of failing."""
    key = _verified_key(session, token, secret_key)
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        try:
            with session.begin_nested():
                key.last_used_at = now
        except OperationalError as exc:
            log.info("key_last_use_not_recorded", key_id=str(key.id),
                     error=exc.orig.__class__.__name__)
    return Principal(
        key_id=key.id,
        role=Role(key.role),
        name=key.name,
        company_id=key.company_id,
        publishable=key.publishable,
        owner_id=key.owner_id,
        allowed_origins=tuple(key.allowed_origins or ()),
    )


def account_scope(session: Session, token: str, *, secret_key: str) -> str | None:
    """The account a valid token (a key or a session cookie) acts for, as a short string;
    None for anything invalid."""
    if token.startswith(SESSION_TOKEN_PREFIX):
        principal = authenticate_session(session, token)
        return None if principal is None else f"{principal.role.value}:{principal.owner}"
    try:
        key = _verified_key(session, token, secret_key)
    except Unauthorized:
        return None
    return f"{key.role}:{key.owner_id}"


def origin_registered(session: Session, origin: str) -> bool:
    """Is this origin registered for any usable publishable key? (Preflights carry no key.)"""
    now = utcnow()
    return any(
        origin in (key.allowed_origins or ()) and is_active(key, now)
        for key in repository.publishable_keys(session)
    )


# --- people: a session cookie resolved to a caller -------------------------------------------


def session_is_live(row: UserSession, now: datetime) -> bool:
    return (
        row.revoked_at is None
        and now - row.last_seen_at < SESSION_IDLE
        and now - row.created_at < SESSION_MAX_AGE
    )


def principal_of_user(user: User, session_id: uuid.UUID) -> Principal:
    """A person acts exactly like a key of their role: a company member like a company key of
    their company (owning what the company owns), an entrepreneur owning their own requests."""
    role = Role(user.role)
    return Principal(
        key_id=user.id,
        role=role,
        name=user.name[:120],
        company_id=user.company_id,
        owner_id=user.company_id if role is Role.company else user.id,
        user_id=user.id,
        session_id=session_id,
    )


def authenticate_session(session: Session, token: str) -> Principal | None:
    """The person a session cookie belongs to; None for anything unknown, ended or expired
    (a stale cookie makes an anonymous caller, not an error). Records the last use at most
    every LAST_USED_RESOLUTION."""
    if not token.startswith(SESSION_TOKEN_PREFIX) or len(token) > 100:
        return None
    found = repository.get_user_session(session, hash_token(token))
    if found is None:
        return None
    row, user = found
    now = utcnow()
    if not session_is_live(row, now):
        return None
    if now - row.last_seen_at > LAST_USED_RESOLUTION:
        row.last_seen_at = now
    return principal_of_user(user, row.id)
