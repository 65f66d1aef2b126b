from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from app.accounts import service
from app.accounts.dependencies import CurrentPrincipal
from app.accounts.idempotency import IdempotentRoute
from app.accounts.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyOut, ApiKeyRotate
from app.common.http import ERROR_RESPONSES, PageParams, no_store
from app.db import DbSession
from app.errors import Unprocessable, field_error
from app.models import ApiKey

router = APIRouter(
    prefix="/v1/api-keys",
    tags=["api-keys"],
    responses=ERROR_RESPONSES,
    route_class=IdempotentRoute,
)


def _out(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut.model_validate(key, from_attributes=True)


def _created(created: service.CreatedKey, response: Response) -> ApiKeyCreated:
    response.headers["Location"] = f"/v1/api-keys/{created.key.id}"
    no_store(response)
    return ApiKeyCreated(**_out(created.key).model_dump(), secret=created.secret)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated)
def create_key(
    body: ApiKeyCreate,
    session: DbSession,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
) -> ApiKeyCreated:
    """Make an API key. Operators make any key; a company key makes company keys for its own
    company only (for its members).

    `secret` is the whole key and appears only in this answer: store it now. Publishable keys
    (`"publishable": true`, partners only) need `allowed_origins` and work only from those
    browser origins, on public endpoints. Secret keys are refused whenever a request carries
    an `Origin` header.

    Besides what the schema says: a company key needs `company_id`, and only company keys
    take one (403); only partner keys may be publishable, and only operators may set
    `owner_id`, `publishable` or `allowed_origins` (403); `expires_at` must lie in the future
    and `owner_id` must name an account of the same role (422).
    """
    created = service.create_key_for(
        session, body, principal, secret_key=request.app.state.settings.secret_key
    )
    return _created(created, response)


@router.get("", response_model=ApiKeyList)
def list_keys(
    session: DbSession, principal: CurrentPrincipal, page: PageParams, response: Response
) -> ApiKeyList:
    """Your account's keys (a company's: all its keys), newest first; operators see all.
    Never the secret."""
    rows, total = service.list_keys(session, principal, limit=page.limit, offset=page.offset)
    no_store(response)
    return ApiKeyList(
        items=[_out(k) for k in rows], total=total, limit=page.limit, offset=page.offset
    )


@router.get("/{key_id}", response_model=ApiKeyOut)
def get_key(
    key_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, response: Response
) -> ApiKeyOut:
    """One of your account's keys; another account's key is 404."""
    no_store(response)
    return _out(service.get_visible_key(session, key_id, principal))


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_key(key_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal) -> Response:
    """Revoke one of your account's keys at once. Revoking twice is harmless."""
    service.revoke_key(session, key_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{key_id}/rotate", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated
)
def rotate_key(
    key_id: uuid.UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    body: ApiKeyRotate | None = None,
) -> ApiKeyCreated:
    """A new secret for a key: same name, role, binding and account (so everything the key
    owned stays reachable). The old key stops working now, or after `grace_period_seconds`
    so you can roll the new secret out first. 409 for a key already rotated or revoked."""
    settings = request.app.state.settings
    grace = timedelta(seconds=body.grace_period_seconds if body else 0)
    if grace > timedelta(hours=settings.key_rotation_max_grace_hours):
        raise Unprocessable(
            "The grace period is too long.",
            errors=[field_error("grace_period_seconds",
                                f"at most {settings.key_rotation_max_grace_hours} hours",
                                code="too_large",
                                max=settings.key_rotation_max_grace_hours * 3600)],
        )
    created = service.rotate_key(
        session, key_id, principal, secret_key=settings.secret_key, grace=grace
    )
    return _created(created, response)
