"""People: accounts that sign in with a mailed single-use link and keep a browser session.

A sign-in link's token and a session's cookie are random; only their SHA-256 is stored. A link
works once, for `LOKET_SIGN_IN_LINK_MINUTES`; whether an address is known is never said. A
contact person of an active company may sign in with their address: their account (a member
of that company) is made on the first request for a link.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from app.accounts.keys import csrf_token_for, hash_token, new_session_token, new_sign_in_token
from app.accounts.principal import Principal, Role
from app.accounts.service import SESSION_MAX_AGE, session_is_live
from app.companies import service as companies
from app.companies.schemas import ContactIn
from app.config import Settings
from app.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    Unauthorized,
    Unprocessable,
    field_error,
)
from app.models import Company, SignInToken, User, UserRole, UserSession, utcnow
from app.notifications.outbox import queue_email
from app.people import repository
from app.people.schemas import (
    CompanyRegistration,
    Me,
    MemberIn,
    MemberOut,
    MeUpdate,
    SessionOut,
    SignUp,
)
from app.words.languages import language_or_default

# Where a person lands after signing in, unless the link said otherwise.
HOME = {"entrepreneur": "/my/requests", "company": "/my/company", "admin": "/console"}


class LinkExpired(DomainError):
    status, slug, title = 410, "link-expired", "This sign-in link has expired or was used"

    def __init__(self) -> None:
        super().__init__(
            "This sign-in link is unknown, used or expired: ask for a new one.",
            code="link_expired",
        )


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    session: UserSession
    cookie: str
    next: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def require_person(principal: Principal | None) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in first.")
    if not principal.is_person:
        raise Forbidden("This is for signed-in people; a key has no person behind it.")
    return principal


def _user_of(session: Session, principal: Principal) -> User:
    user = session.get(User, principal.user_id) if principal.user_id else None
    if user is None:
        raise Unauthorized("Sign in first.")
    return user


def create_user(
    session: Session, *, email: str, name: str, role: str, company_id: uuid.UUID | None = None,
    organisation: str | None = None, language: str = "nl",
) -> User:
    """A new account (the command line's `loket user create`, the demo, invitations)."""
    address = normalise_email(email)
    if role not in {r.value for r in UserRole}:
        raise Unprocessable(f"Unknown role {role!r}.",
                            errors=[field_error("role", "entrepreneur, company or admin",
                                                code="not_allowed",
                                                expected="entrepreneur, company, admin")])
    if (role == UserRole.company.value) != (company_id is not None):
        raise Unprocessable(
            "A company member needs the company, and only members have one.",
            errors=[field_error("company_id", "give it for company members only",
                                code="not_for_this_role")],
        )
    if company_id is not None and session.get(Company, company_id) is None:
        raise NotFound(f"Company {company_id} does not exist.")
    if repository.user_by_email(session, address) is not None:
        raise Conflict("This address already has an account.")
    user = User(
        id=uuid.uuid4(), email=address, name=name, organisation=organisation,
        language=language_or_default(language), role=role,
        company_id=company_id, created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


# --- links ----------------------------------------------------------------------------------


def send_link(
    session: Session, settings: Settings, user: User, *, purpose: str = "sign-in",
    next_path: str | None = None, language: str | None = None, valid: timedelta | None = None,
    company_name: str | None = None,
) -> None:
    """Mail `user` a single-use sign-in link (in the outbox, with the caller's transaction)."""
    now = utcnow()
    if valid is None:
        valid = (timedelta(minutes=settings.sign_in_link_minutes) if purpose == "sign-in"
                 else timedelta(hours=settings.invite_link_hours))
    token = new_sign_in_token()
    expires = now + valid
    session.add(SignInToken(
        id=uuid.uuid4(), user_id=user.id, token_hash=hash_token(token), purpose=purpose,
        created_at=now, expires_at=expires, next=next_path,
    ))
    url = f"{settings.public_base_url.rstrip('/')}/sign-in?token={token}"
    queue_email(session, user.email, "sign_in", language or user.language, {
        "name": user.name, "url": url, "purpose": purpose, "company_name": company_name or "",
        "expires": expires.strftime("%Y-%m-%d %H:%M UTC"),
    }, event_type=f"account.{purpose}")


def request_link(
    session: Session, settings: Settings, email: str, *, next_path: str | None,
    language: str | None,
) -> None:
    """`POST /v1/auth/links`: a link for a known address (or a company's contact person);
    nothing at all for an unknown one. The caller is told the same either way."""
    address = normalise_email(email)
    user = repository.user_by_email(session, address) or _member_from_contact(session, address)
    if user is not None:
        send_link(session, settings, user, next_path=next_path, language=language)


def _member_from_contact(session: Session, email: str) -> User | None:
    company = repository.company_of_contact(session, email)
    if company is None:
        return None
    user = User(
        id=uuid.uuid4(), email=email, role=UserRole.company.value, company_id=company.id,
        name=repository.contact_name(session, company.id, email) or email.split("@")[0],
        language="nl", created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def sign_up(session: Session, settings: Settings, data: SignUp) -> None:
    """A new entrepreneur's account, or a sign-in link for an address already known."""
    address = normalise_email(str(data.email))
    user = repository.user_by_email(session, address)
    if user is not None:
        send_link(session, settings, user, language=data.language)
        return
    user = User(
        id=uuid.uuid4(), email=address, name=data.name, organisation=data.organisation,
        language=data.language, role=UserRole.entrepreneur.value, created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    send_link(session, settings, user, purpose="sign-up", language=data.language,
              valid=timedelta(minutes=settings.sign_in_link_minutes))


def sign_in(session: Session, token: str, *, user_agent: str | None) -> SignedIn:
    """Use a sign-in link: a new session. A link works once, until it expires."""
    now = utcnow()
    row = repository.token_by_hash(session, hash_token(token))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise LinkExpired()
    if not repository.use_token(session, row.id, now):
        raise LinkExpired()
    user = session.get(User, row.user_id)
    if user is None:
        raise LinkExpired()
    user.last_sign_in_at = now
    cookie = new_session_token()
    started = UserSession(
        id=uuid.uuid4(), user_id=user.id, token_hash=hash_token(cookie), created_at=now,
        last_seen_at=now, user_agent=(user_agent or "")[:300] or None,
    )
    session.add(started)
    session.flush()
    return SignedIn(user=user, session=started, cookie=cookie,
                    next=row.next or HOME.get(user.role, "/"))


# --- me and my sessions ---------------------------------------------------------------------


def me_of(session: Session, user: User, session_id: uuid.UUID, secret_key: str) -> Me:
    return Me(
        id=user.id, name=user.name, email=user.email, organisation=user.organisation,
        language=language_or_default(user.language),
        role=user.role,
        company_id=user.company_id,
        company_status=repository.company_status(session, user.company_id),
        csrf_token=csrf_token_for(str(session_id), secret_key),
    )


def me(session: Session, principal: Principal | None, secret_key: str) -> Me:
    person = require_person(principal)
    assert person.session_id is not None
    return me_of(session, _user_of(session, person), person.session_id, secret_key)


def update_me(
    session: Session, principal: Principal | None, data: MeUpdate, secret_key: str
) -> Me:
    person = require_person(principal)
    assert person.session_id is not None
    user = _user_of(session, person)
    fields = data.model_fields_set
    if "name" in fields and data.name is not None:
        user.name = data.name
    if "organisation" in fields:
        user.organisation = data.organisation
    if "language" in fields and data.language is not None:
        user.language = data.language
    session.flush()
    return me_of(session, user, person.session_id, secret_key)


def sign_out(session: Session, principal: Principal | None) -> None:
    person = require_person(principal)
    row = session.get(UserSession, person.session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


def my_sessions(session: Session, principal: Principal | None) -> list[SessionOut]:
    person = require_person(principal)
    assert person.user_id is not None
    now = utcnow()
    return [
        SessionOut(id=s.id, created_at=s.created_at, last_seen_at=s.last_seen_at,
                   user_agent=s.user_agent, current=s.id == person.session_id)
        for s in repository.sessions_of(session, person.user_id) if session_is_live(s, now)
    ]


def end_session(session: Session, principal: Principal | None, session_id: uuid.UUID) -> None:
    person = require_person(principal)
    row = session.get(UserSession, session_id)
    # Another person's session looks exactly like a missing one.
    if row is None or row.user_id != person.user_id or row.revoked_at is not None:
        raise NotFound(f"Session {session_id} does not exist.")
    row.revoked_at = utcnow()
    session.flush()


def cookie_max_age() -> int:
    """Seconds the browser keeps the cookie: the session's absolute limit."""
    return int(SESSION_MAX_AGE.total_seconds())


# --- companies: self-registration, verification, members -------------------------------------


def register_company(
    session: Session, settings: Settings, data: CompanyRegistration
) -> uuid.UUID:
    """A company registers itself: its profile is stored `pending` (out of matches, lists and
    call-outs until an operator verifies it); the contact becomes its first member (and one of
    its contact persons) and is mailed a sign-in link."""
    contact = data.contact
    address = normalise_email(str(contact.email))
    if repository.user_by_email(session, address) is not None:
        raise Conflict(
            "This address already has an account: sign in, or register with another address.",
            errors=[field_error("contact.email", "already has an account",
                                code="account_exists")],
        )
    profile = data.company
    if not any(c.email and normalise_email(str(c.email)) == address for c in profile.contacts):
        profile = profile.model_copy(update={"contacts": [
            *profile.contacts,
            ContactIn(name=contact.name, role=contact.role, email=contact.email),
        ]})
    user_id = uuid.uuid4()
    registrant = Principal(key_id=user_id, role=Role.company, name=contact.name[:120])
    company = companies.register_company(session, profile, registrant)
    user = User(
        id=user_id, email=address, name=contact.name, role=UserRole.company.value,
        company_id=company.id, language=contact.language, created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    send_link(session, settings, user, purpose="registration", next_path="/my/company",
              company_name=company.name)
    return company.id


def verify_company(
    session: Session, settings: Settings, company_id: uuid.UUID, principal: Principal
) -> Company:
    """An operator verifies a company; its members hear of it the first time."""
    was = repository.company_status(session, company_id)
    company = companies.verify_company(session, company_id, principal)
    if was != company.status:
        url = f"{settings.public_base_url.rstrip('/')}/my/company"
        for member in repository.members_of(session, company.id):
            queue_email(session, member.email, "company_verified", member.language, {
                "name": member.name, "company_name": company.name, "url": url,
            }, event_type="company.verified")
    return company


def _members_company(session: Session, company_id: uuid.UUID, principal: Principal) -> Company:
    if not principal.has_role(Role.company):
        raise Forbidden("Members are managed by the company itself and by operators.")
    company = session.get(Company, company_id)
    if company is None or not principal.may_manage_company(company_id):
        raise NotFound(f"Company {company_id} does not exist.")
    return company


def _member_out(user: User) -> MemberOut:
    return MemberOut(id=user.id, name=user.name, email=user.email, created_at=user.created_at,
                     last_sign_in_at=user.last_sign_in_at)


def list_members(
    session: Session, company_id: uuid.UUID, principal: Principal
) -> list[MemberOut]:
    _members_company(session, company_id, principal)
    return [_member_out(u) for u in repository.members_of(session, company_id)]


def invite_member(
    session: Session, settings: Settings, company_id: uuid.UUID, data: MemberIn,
    principal: Principal,
) -> MemberOut:
    """A member (or an operator) invites a colleague: a new member, mailed a sign-in link."""
    company = _members_company(session, company_id, principal)
    address = normalise_email(str(data.email))
    existing = repository.user_by_email(session, address)
    if existing is not None:
        detail = ("is a member already" if existing.company_id == company_id
                  else "already has an account")
        raise Conflict(f"This address {detail}.",
                       errors=[field_error("email", detail, code="account_exists")])
    user = User(
        id=uuid.uuid4(), email=address, name=data.name, role=UserRole.company.value,
        company_id=company.id, language=data.language, created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    send_link(session, settings, user, purpose="invite", next_path="/my/company",
              company_name=company.name)
    return _member_out(user)


def remove_member(
    session: Session, company_id: uuid.UUID, user_id: uuid.UUID, principal: Principal
) -> None:
    """Remove a member (their sessions end with them); never the last one."""
    _members_company(session, company_id, principal)
    user = session.get(User, user_id)
    if user is None or user.company_id != company_id or user.role != UserRole.company.value:
        raise NotFound(f"Member {user_id} does not exist.")
    if len(repository.members_of(session, company_id)) <= 1:
        raise Conflict("This is the company's last member; invite another one first.")
    session.delete(user)
    session.flush()
