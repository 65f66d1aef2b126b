"""Writing notifications: rows in the outbox, in the caller's transaction. Nothing is sent
here; if the transaction rolls back, so do its notifications."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import OutboxMessage, WebhookEndpoint, utcnow
from app.notifications.email import render


def queue_email(
    session: Session, to: str, template: str, lang: str, context: dict[str, Any],
    *, event_type: str, event_id: uuid.UUID | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """`headers`: extra mail headers (such as List-Unsubscribe), sent as given."""
    payload: dict[str, Any] = render(template, lang, context)
    if headers:
        payload["headers"] = headers
    row = OutboxMessage(
        id=uuid.uuid4(),
        channel="email",
        event_id=event_id or uuid.uuid4(),
        event_type=event_type,
        recipient=to,
        payload=payload,
        status="pending",
        attempts=0,
        created_at=utcnow(),
        next_attempt_at=utcnow(),
    )
    session.add(row)
    return row


def emit_event(
    session: Session,
    event_type: str,
    data: dict[str, Any],
    *,
    owner_ids: Iterable[uuid.UUID | None] | None,
    occurred_at: datetime | None = None,
) -> uuid.UUID:
    """Queue `event_type` for every active endpoint subscribed to it: those of `owner_ids`,
    or of every partner when `owner_ids` is None (public events such as company.updated).
    Returns the event id, the same for every endpoint and every retry."""
    event_id = uuid.uuid4()
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True))
    if owner_ids is not None:
        owners = [o for o in owner_ids if o is not None]
        if not owners:
            return event_id
        stmt = stmt.where(WebhookEndpoint.owner_id.in_(owners))
    now = occurred_at or utcnow()
    envelope = {
        "id": str(event_id),
        "type": event_type,
        "created_at": now.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    for endpoint in session.scalars(stmt.order_by(WebhookEndpoint.created_at)):
        if event_type not in endpoint.events:
            continue
        session.add(
            OutboxMessage(
                id=uuid.uuid4(),
                channel="webhook",
                event_id=event_id,
                event_type=event_type,
                recipient=str(endpoint.id),
                endpoint_id=endpoint.id,
                payload=envelope,
                status="pending",
                attempts=0,
                created_at=now,
                next_attempt_at=now,
            )
        )
    return event_id
