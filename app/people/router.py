"""People: sign-in by mailed link, the session cookie, one's own account and sessions."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response, status

from app.accounts.dependencies import (
    CurrentPrincipal,
    OptionalPrincipal,
    client_ip,
    csrf_failed,
    same_origin_or_none,
    spend,
)
from app.accounts.idempotency import IdempotentRoute
from app.accounts.keys import SESSION_COOKIE
from app.common.http import ERROR_RESPONSES, no_store
from app.companies.schemas import CompanyPublic
from app.companies.service import etag as company_etag
from app.companies.service import to_public
from app.db import DbSession
from app.errors import PROBLEM_MEDIA_TYPE, Problem
from app.people import service
from app.people.schemas import (
    Accepted,
    CompanyRegistration,
    LinkRequest,
    Me,
    MemberIn,
    MemberOut,
    MeUpdate,
    RegistrationAccepted,
    SessionCreate,
    SessionOut,
    SignedIn,
    SignUp,
)

router = APIRouter(tags=["people"], responses=ERROR_RESPONSES, route_class=IdempotentRoute)

LINK_EXPIRED_RESPONSE: dict[int | str, dict[str, Any]] = {410: {
    "model": Problem,
    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    "description": "The link is unknown, used or expired (`code`: `link_expired`)",
}}

LINK_SENT = ("If this address has an account, a sign-in link is on its way; it works once, "
             "for a short while.")


def own_origin_only(request: Request) -> None:
    """Anonymous account calls from another site's page are refused (login CSRF)."""
    if not same_origin_or_none(request):
        raise csrf_failed("This call comes from another site's page.")


def _limit_links(request: Request, email: str) -> None:
    """Per client, and per address (kept as an HMAC, never the address itself)."""
    spend(request, "sign_in_client", f"ip:{client_ip(request)}")
    secret = request.app.state.settings.secret_key.encode()
    digest = hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    spend(request, "sign_in_address", f"addr:{digest[:32]}")


def _secure_cookie(request: Request) -> bool:
    settings = request.app.state.settings
    return not (settings.env in ("development", "test") and request.url.scheme == "http")


@router.post("/v1/auth/links", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted)
def request_link(body: LinkRequest, session: DbSession, request: Request) -> Accepted:
    """Mail a single-use sign-in link (`{public_base_url}/sign-in?token=...`, valid 15
    minutes) to an address with an account. The answer is the same whether or not the address
    is known; unknown addresses get no mail. A company's contact person may sign in with the
    address the company lists. Rate limited per address and per client (429)."""
    own_origin_only(request)
    _limit_links(request, str(body.email))
    service.request_link(
        session, request.app.state.settings, str(body.email), next_path=body.next,
        language=body.language,
    )
    return Accepted(detail=LINK_SENT)


@router.post("/v1/auth/sign-up", status_code=status.HTTP_202_ACCEPTED, response_model=Accepted)
def sign_up(body: SignUp, session: DbSession, request: Request) -> Accepted:
    """An entrepreneur's account: name, organisation, email. A sign-in link is mailed; the
    answer is the same whether or not the address already has an account (which then gets a
    sign-in link instead)."""
    own_origin_only(request)
    _limit_links(request, str(body.email))
    service.sign_up(session, request.app.state.settings, body)
    return Accepted(detail=LINK_SENT)


@router.post(
    "/v1/auth/sessions", status_code=status.HTTP_201_CREATED, response_model=SignedIn,
    responses=LINK_EXPIRED_RESPONSE,
)
def sign_in(
    body: SessionCreate, session: DbSession, request: Request, response: Response
) -> SignedIn:
    """Use a mailed link's token: starts a session and sets the `loket_session` cookie
    (HttpOnly, SameSite=Lax). Send `csrf_token` as `X-CSRF-Token` with every write made with
    the cookie. An unknown, used or expired token is 410 (`code`: `link_expired`)."""
    own_origin_only(request)
    signed_in = service.sign_in(session, body.token, user_agent=request.headers.get("user-agent"))
    response.set_cookie(
        SESSION_COOKIE, signed_in.cookie, max_age=service.cookie_max_age(), path="/",
        httponly=True, samesite="lax", secure=_secure_cookie(request),
    )
    no_store(response)
    response.headers["Location"] = "/v1/me"
    me = service.me_of(session, signed_in.user, signed_in.session.id,
                       request.app.state.settings.secret_key)
    return SignedIn(user=me, csrf_token=me.csrf_token, next=signed_in.next)


@router.delete("/v1/auth/sessions/current", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(session: DbSession, principal: OptionalPrincipal, request: Request) -> Response:
    """Sign out: ends this session and clears the cookie."""
    service.sign_out(session, principal)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=_secure_cookie(request))
    return response


@router.get("/v1/me", response_model=Me)
def get_me(
    session: DbSession, principal: OptionalPrincipal, request: Request, response: Response
) -> Me:
    """The signed-in person, with the session's `csrf_token`. 401 when not signed in."""
    no_store(response)
    return service.me(session, principal, request.app.state.settings.secret_key)


@router.patch("/v1/me", response_model=Me)
def update_me(
    body: MeUpdate, session: DbSession, principal: OptionalPrincipal, request: Request,
    response: Response,
) -> Me:
    """Change one's name, organisation or language (the language of one's mails)."""
    no_store(response)
    return service.update_me(session, principal, body, request.app.state.settings.secret_key)


@router.get("/v1/me/sessions", response_model=list[SessionOut])
def my_sessions(
    session: DbSession, principal: OptionalPrincipal, response: Response
) -> list[SessionOut]:
    """One's signed-in browsers, most recently used first; `current` is this one."""
    no_store(response)
    return service.my_sessions(session, principal)


@router.delete("/v1/me/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_session(
    session_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal
) -> Response:
    """End one of one's sessions (another person's is 404)."""
    service.end_session(session, principal, session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- companies: self-registration, verification, members -------------------------------------


@router.post(
    "/v1/company-registrations", status_code=status.HTTP_202_ACCEPTED,
    response_model=RegistrationAccepted, tags=["companies"],
)
def register_company(
    body: CompanyRegistration, session: DbSession, request: Request
) -> RegistrationAccepted:
    """A company registers itself (no key needed). The profile is checked as at
    `POST /v1/companies` and stored with `status: pending`: it is in no match, public list or
    call-out until an operator verifies it. The contact becomes the company's first member
    (and a contact person) and is mailed a sign-in link. A registration number another company
    has is 409, as is a contact address that already has an account. Rate limited like
    sign-in links."""
    own_origin_only(request)
    _limit_links(request, str(body.contact.email))
    company_id = service.register_company(session, request.app.state.settings, body)
    return RegistrationAccepted(
        detail="Thank you: the company waits for verification; a sign-in link is on its way.",
        company_id=company_id,
    )


@router.post("/v1/companies/{company_id}/verify", response_model=CompanyPublic,
             tags=["companies"])
def verify_company(
    company_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> CompanyPublic:
    """Operators: a pending company becomes `active` (matches, lists and call-outs see it at
    once) and its members are mailed. Verifying an active company changes nothing."""
    company = service.verify_company(
        session, request.app.state.settings, company_id, principal
    )
    response.headers["ETag"] = company_etag(company)
    no_store(response)
    return to_public(company, include_contacts=True)


@router.get("/v1/companies/{company_id}/members", response_model=list[MemberOut],
            tags=["companies"])
def list_members(
    company_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, response: Response
) -> list[MemberOut]:
    """The people who sign in for the company (its members and operators only)."""
    no_store(response)
    return service.list_members(session, company_id, principal)


@router.post("/v1/companies/{company_id}/members", status_code=status.HTTP_201_CREATED,
             response_model=MemberOut, tags=["companies"])
def invite_member(
    company_id: uuid.UUID, body: MemberIn, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response,
) -> MemberOut:
    """Invite a colleague: a new member, mailed a sign-in link. An address that already has an
    account is 409; one on a reserved domain (`.test`, `.invalid`, ...) is 422
    (`invalid_email`); an `Idempotency-Key` used before with another body is 422."""
    no_store(response)
    member = service.invite_member(
        session, request.app.state.settings, company_id, body, principal
    )
    response.headers["Location"] = f"/v1/companies/{company_id}/members/{member.id}"
    return member


@router.delete("/v1/companies/{company_id}/members/{user_id}",
               status_code=status.HTTP_204_NO_CONTENT, tags=["companies"])
def remove_member(
    company_id: uuid.UUID, user_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Remove a member; their sessions end. The last member cannot be removed (409)."""
    service.remove_member(session, company_id, user_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
