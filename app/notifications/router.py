from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from app.accounts.dependencies import CurrentPrincipal
from app.accounts.idempotency import IdempotentRoute
from app.common.http import ERROR_RESPONSES, PageParams, no_store
from app.db import DbSession
from app.notifications import service
from app.notifications.schemas import (
    DeliveryList,
    DeliveryOut,
    WebhookCreate,
    WebhookCreated,
    WebhookList,
    WebhookOut,
)

router = APIRouter(
    prefix="/v1/webhooks",
    tags=["webhooks"],
    responses=ERROR_RESPONSES,
    # POST answering 201 honours Idempotency-Key (see app.accounts.idempotency).
    route_class=IdempotentRoute,
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WebhookCreated)
def create_webhook(
    body: WebhookCreate, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> WebhookCreated:
    """Register an endpoint for events (partner keys).

    Every delivery is a JSON `POST` with `Loket-Event-Id` (the same on every retry),
    `Loket-Event-Type` and `Loket-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
    "<t>.<body>" keyed with the secret>`. Refuse signatures older than 300 seconds. Answer 2xx
    within 10 seconds; anything else is retried with exponential backoff for up to 3 days.
    Redirects are not followed. The URL must be http or https without a user or password,
    and its host must resolve only to globally reachable addresses (422 otherwise; checked
    again before every delivery). The `secret` is shown only in this answer.
    """
    endpoint = service.create_endpoint(session, body, principal, request.app.state.settings)
    response.headers["Location"] = f"/v1/webhooks/{endpoint.id}"
    no_store(response)
    return WebhookCreated(**service.to_out(endpoint).model_dump(), secret=endpoint.secret)


@router.get("", response_model=WebhookList)
def list_webhooks(session: DbSession, principal: CurrentPrincipal, page: PageParams) -> WebhookList:
    """Your webhook endpoints."""
    rows, total = service.list_endpoints(session, principal, limit=page.limit, offset=page.offset)
    return WebhookList(items=[service.to_out(r) for r in rows], total=total, limit=page.limit,
                       offset=page.offset)


@router.get("/{endpoint_id}", response_model=WebhookOut)
def get_webhook(
    endpoint_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal
) -> WebhookOut:
    """One of your webhook endpoints."""
    return service.to_out(service.get_owned_endpoint(session, endpoint_id, principal))


@router.delete("/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(endpoint_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal) -> None:
    """Remove an endpoint; its pending deliveries are dropped."""
    service.delete_endpoint(session, endpoint_id, principal)


@router.get("/{endpoint_id}/deliveries", response_model=DeliveryList)
def list_deliveries(
    endpoint_id: uuid.UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageParams,
    status: Annotated[Literal["pending", "sent", "failed"] | None, Query()] = None,
) -> DeliveryList:
    """The delivery log: each event sent to this endpoint, newest first, with every attempt."""
    endpoint = service.get_owned_endpoint(session, endpoint_id, principal)
    items, total = service.list_deliveries(
        session, endpoint, status=status, limit=page.limit, offset=page.offset
    )
    return DeliveryList(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryOut,
)
def redeliver(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, session: DbSession,
    principal: CurrentPrincipal,
) -> DeliveryOut:
    """Send a delivery again (same event id and body), for example after it failed for good."""
    endpoint = service.get_owned_endpoint(session, endpoint_id, principal)
    return service.redeliver(session, endpoint, delivery_id)
