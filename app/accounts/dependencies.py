"""Who is calling: the bearer key, resolved once per request."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.accounts.principal import Principal, Role
from app.accounts.service import authenticate
from app.db import DbSession
from app.errors import Forbidden, Unauthorized

# For routes that take a key but don't need one: OpenAPI's way to say "anonymous is fine too".
# FastAPI appends this to the bearer requirement it generates.
OPTIONAL_AUTH: dict[str, Any] = {"security": [{}]}

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer lk_...`")


def optional_principal(
    request: Request,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    if credentials is None:
        if request.headers.get("authorization"):
            raise Unauthorized("Use `Authorization: Bearer <api key>`.")
        return None
    return authenticate(
        session, credentials.credentials, secret_key=request.app.state.settings.secret_key
    )


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require_principal(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise Unauthorized("This call needs an API key.")
    if principal.publishable:
        raise Forbidden("A publishable key may only call public endpoints.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]


def require_roles(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles and not principal.is_admin:
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden(f"This call is for these roles: {allowed}.")
