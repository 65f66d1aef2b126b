"""Who is calling: the bearer key or the signed-in person's session cookie, resolved once per
request; the CSRF check of cookie writes; and the rate limit the caller spends."""

from __future__ import annotations

import hmac
from typing import Annotated, Any, cast
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.accounts.keys import SESSION_COOKIE, csrf_token_for
from app.accounts.principal import Principal
from app.accounts.service import authenticate, authenticate_session
from app.common.ratelimit import RateLimiter
from app.db import DbSession
from app.errors import Forbidden, TooManyRequests, Unauthorized

# For routes that take a key but don't need one: OpenAPI's way to say "anonymous is fine too".
# FastAPI appends this to the bearer requirement it generates.
OPTIONAL_AUTH: dict[str, Any] = {"security": [{}]}

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer lk_...`")

_UNRESOLVED = object()
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The only calls a publishable (browser) key may make: public search. Everything else, present
# or future, is refused to it, whatever the route itself checks.
PUBLISHABLE_OPERATIONS = frozenset({
    ("GET", "/v1/work-kinds"),
    ("GET", "/v1/error-codes"),
    ("GET", "/v1/places"),
    ("GET", "/v1/companies"),
    ("GET", "/v1/companies/{company_id}"),
    ("POST", "/v1/match"),
    ("GET", "/v1/companies/{company_id}/exchange"),
    ("GET", "/v1/organisations"),
    ("GET", "/v1/organisations/{organisation_id}"),
    ("GET", "/v1/partnerships"),
    ("GET", "/v1/networks"),
    ("GET", "/v1/networks/{network_id}"),
    ("POST", "/v1/reverse-match"),
    ("GET", "/v1/nearby"),
})


def _same_origin(request: Request, origin: str) -> bool:
    """Is this call from a page the service served itself (the loket and company pages)?"""
    host = request.headers.get("host")
    return host is not None and urlsplit(origin).netloc.lower() == host.lower()


def _check_origin(request: Request, principal: Principal) -> None:
    """Publishable keys work only from their registered origins; secret keys never from
    another site's page (a browser always sends `Origin` on cross-origin calls). The service's
    own pages (same origin) may use a key the user typed in."""
    origin = request.headers.get("origin")
    if principal.publishable:
        route = request.scope.get("route")
        if (request.method, getattr(route, "path", None)) not in PUBLISHABLE_OPERATIONS:
            raise Forbidden("A publishable key may only call public endpoints.")
        if origin is None or origin.lower() not in principal.allowed_origins:
            raise Forbidden("This publishable key is not registered for this origin.")
        request.state.cors_origin = origin
    elif origin is not None and not _same_origin(request, origin):
        raise Forbidden(
            "Secret keys are never accepted from a browser; use a publishable key there."
        )


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Use `Authorization: Bearer <api key>`.")
    return token


def _settled(request: Request, principal: Principal | None) -> Principal | None:
    """The caller, checked against its origin and kept on the request."""
    if principal is not None:
        _check_origin(request, principal)
    request.state.principal = principal
    return principal


def resolve_principal(request: Request, session: Session) -> Principal | None:
    """The caller, or None for anonymous; 401 for a bad key. Cached on the request."""
    cached = getattr(request.state, "principal", _UNRESOLVED)
    if cached is not _UNRESOLVED:
        return cast(Principal | None, cached)
    token = _bearer_token(request)
    if token is None:
        # A key wins over a cookie; a cookie that names no live session is nobody.
        cookie = request.cookies.get(SESSION_COOKIE)
        person = authenticate_session(session, cookie) if cookie else None
        request.state.principal = person
        return person
    principal = authenticate(session, token, secret_key=request.app.state.settings.secret_key)
    return _settled(request, principal)


def csrf_failed(detail: str) -> Forbidden:
    return Forbidden(detail, code="csrf_failed")


def same_origin_or_none(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or _same_origin(request, origin)


def check_csrf(request: Request, principal: Principal | None) -> None:
    """Every cookie-authenticated write carries the session's CSRF token, and comes from our
    own origin when the browser says where it comes from. Keys are unaffected."""
    if principal is None or not principal.is_person or request.method in SAFE_METHODS:
        return
    if not same_origin_or_none(request):
        raise csrf_failed("This call comes from another site's page.")
    sent = request.headers.get(CSRF_HEADER)
    expected = csrf_token_for(str(principal.session_id), request.app.state.settings.secret_key)
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise csrf_failed(
            f"Send the {CSRF_HEADER} header with the csrf_token of GET /v1/me."
        )


def optional_principal(
    request: Request,
    session: DbSession,
    # Declared so OpenAPI documents the bearer scheme; the header is read by resolve_principal.
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    principal = resolve_principal(request, session)
    check_csrf(request, principal)
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require_principal(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise Unauthorized("This call needs an API key or a signed-in person.")
    if principal.publishable:
        raise Forbidden("A publishable key may only call public endpoints.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def client_ip(request: Request) -> str:
    # Behind a proxy, uvicorn's --proxy-headers (on in `loket serve`) puts the forwarded
    # address here, trusting only --forwarded-allow-ips.
    return request.client.host if request.client else "unknown"


def spend(request: Request, policy: str, identity: str) -> None:
    """Spend one call from `identity`'s budget under `policy`; 429 when it is used up."""
    limiter: RateLimiter = request.app.state.rate_limiter
    decision = limiter.hit(policy, identity)
    request.state.extra_headers = decision.headers()
    if not decision.allowed:
        raise TooManyRequests(
            f"Rate limit of {decision.limit} requests per {decision.window_seconds} s reached; "
            f"retry in {max(decision.reset_seconds, 1)} s.",
            headers=decision.headers(),
        )


def enforce_rate_limit(request: Request, session: DbSession) -> None:
    """Every /v1 call spends from a budget: its key's, or its IP address's when anonymous.
    Calls with a wrong key spend from the IP budget, so guessing keys is limited too."""
    if not request.url.path.startswith("/v1/"):
        return
    try:
        principal = resolve_principal(request, session)
    except Unauthorized:
        spend(request, "anonymous", f"ip:{client_ip(request)}")
        raise
    if principal is None:
        spend(request, "anonymous", f"ip:{client_ip(request)}")
    else:
        spend(request, principal.role.value, f"key:{principal.key_id}")
