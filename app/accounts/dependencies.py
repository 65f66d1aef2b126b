"""Who is calling: the bearer key, resolved once per request, and the rate limit it spends."""

from __future__ import annotations

from typing import Annotated, Any, cast
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.accounts.principal import Principal
from app.accounts.service import authenticate
from app.common.ratelimit import RateLimiter
from app.db import DbSession
from app.errors import Forbidden, TooManyRequests, Unauthorized

# For routes that take a key but don't need one: OpenAPI's way to say "anonymous is fine too".
# FastAPI appends this to the bearer requirement it generates.
OPTIONAL_AUTH: dict[str, Any] = {"security": [{}]}

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer lk_...`")

_UNRESOLVED = object()

# The only calls a publishable (browser) key may make: public search. Everything else, present
# or future, is refused to it, whatever the route itself checks.
PUBLISHABLE_OPERATIONS = frozenset({
    ("GET", "/v1/work-kinds"),
    ("GET", "/v1/companies"),
    ("GET", "/v1/companies/{company_id}"),
    ("POST", "/v1/match"),
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
        return _settled(request, None)
    principal = authenticate(session, token, secret_key=request.app.state.settings.secret_key)
    return _settled(request, principal)


def optional_principal(
    request: Request,
    session: DbSession,
    # Declared so OpenAPI documents the bearer scheme; the header is read by resolve_principal.
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    return resolve_principal(request, session)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require_principal(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise Unauthorized("This call needs an API key.")
    if principal.publishable:
        raise Forbidden("A publishable key may only call public endpoints.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def client_ip(request: Request) -> str:
    # Behind a proxy, uvicorn's --proxy-headers (on in `loket serve`) puts the forwarded
    # address here, trusting only --forwarded-allow-ips.
    return request.client.host if request.client else "unknown"


def _spend(request: Request, policy: str, identity: str) -> None:
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
        _spend(request, "anonymous", f"ip:{client_ip(request)}")
        raise
    if principal is None:
        _spend(request, "anonymous", f"ip:{client_ip(request)}")
    else:
        _spend(request, principal.role.value, f"key:{principal.key_id}")
