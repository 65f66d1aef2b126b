"""Partner webhook endpoints: register, list, remove, read the delivery log, redeliver."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role, require_roles
from app.config import Settings
from app.errors import NotFound, Unprocessable, field_error
from app.models import OutboxMessage, WebhookAttempt, WebhookEndpoint, utcnow
from app.notifications.schemas import AttemptOut, DeliveryOut, WebhookCreate, WebhookOut
from app.notifications.signing import new_secret
from app.notifications.ssrf import UnsafeUrl, check_url


def owner_of(principal: Principal) -> uuid.UUID:
    """The account a principal acts for: its owner id once keys carry one, else its key id."""
    owner = getattr(principal, "owner", None)
    return owner if isinstance(owner, uuid.UUID) else principal.key_id


def create_endpoint(
    session: Session, data: WebhookCreate, principal: Principal, settings: Settings
) -> WebhookEndpoint:
    require_roles(principal, Role.partner)
    try:
        check_url(data.url, allow_loopback=settings.webhook_allow_loopback)
    except UnsafeUrl as exc:
        raise Unprocessable(
            f"This URL is not allowed: {exc}", errors=[field_error("url", str(exc), "unsafe_url")]
        ) from None
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        owner_id=owner_of(principal),
        url=data.url,
        events=list(dict.fromkeys(data.events)),
        description=data.description,
        secret=new_secret(),
        active=True,
        created_at=utcnow(),
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def get_owned_endpoint(
    session: Session, endpoint_id: uuid.UUID, principal: Principal
) -> WebhookEndpoint:
    require_roles(principal, Role.partner)
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not (principal.is_admin or endpoint.owner_id == owner_of(principal)):
        raise NotFound(f"Webhook endpoint {endpoint_id} does not exist.")
    return endpoint


def list_endpoints(
    session: Session, principal: Principal, *, limit: int, offset: int
) -> tuple[list[WebhookEndpoint], int]:
    require_roles(principal, Role.partner)
    stmt = select(WebhookEndpoint)
    if not principal.is_admin:
        stmt = stmt.where(WebhookEndpoint.owner_id == owner_of(principal))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(WebhookEndpoint.created_at, WebhookEndpoint.id).limit(limit).offset(offset)
    )
    return list(rows), total


def delete_endpoint(session: Session, endpoint_id: uuid.UUID, principal: Principal) -> None:
    endpoint = get_owned_endpoint(session, endpoint_id, principal)
    session.delete(endpoint)
    session.flush()


def list_deliveries(
    session: Session, endpoint: WebhookEndpoint, *, status: str | None, limit: int, offset: int
) -> tuple[list[DeliveryOut], int]:
    stmt = select(OutboxMessage).where(OutboxMessage.endpoint_id == endpoint.id)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(
        session.scalars(
            stmt.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id)
            .limit(limit).offset(offset)
        )
    )
    attempts: dict[uuid.UUID, list[AttemptOut]] = defaultdict(list)
    if rows:
        for a in session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.outbox_id.in_([r.id for r in rows]))
            .order_by(WebhookAttempt.attempted_at)
        ):
            attempts[a.outbox_id].append(
                AttemptOut(attempted_at=a.attempted_at, status_code=a.status_code,
                           error=a.error, duration_ms=a.duration_ms, success=a.success)
            )
    return [to_delivery(r, attempts[r.id]) for r in rows], total


def redeliver(
    session: Session, endpoint: WebhookEndpoint, delivery_id: uuid.UUID
) -> DeliveryOut:
    """Queue a delivery again now, with the same event id and body (also after it failed
    for good or was delivered)."""
    message = session.get(OutboxMessage, delivery_id)
    if message is None or message.endpoint_id != endpoint.id:
        raise NotFound(f"Delivery {delivery_id} does not exist.")
    now = utcnow()
    message.status = "pending"
    message.next_attempt_at = now
    # Manual redelivery gets a fresh retry window.
    message.created_at = now
    message.claimed_at = None
    message.claimed_by = None
    session.flush()
    return to_delivery(message, [])


def to_out(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(
        id=endpoint.id, url=endpoint.url, events=list(endpoint.events),
        description=endpoint.description, active=endpoint.active, created_at=endpoint.created_at,
    )


def to_delivery(message: OutboxMessage, log: list[AttemptOut]) -> DeliveryOut:
    return DeliveryOut(
        id=message.id, event_id=message.event_id, event_type=message.event_type,
        status=message.status,
        attempts=message.attempts, created_at=message.created_at,
        next_attempt_at=message.next_attempt_at, sent_at=message.sent_at,
        last_error=message.last_error, log=log,
    )


# --- figures for operators (GET /metrics) ------------------------------------------------------

CHANNELS = ("email", "webhook")


@dataclass(frozen=True, slots=True)
class ChannelFigures:
    """One channel's outbox, as the database holds it now."""

    sent: int = 0  # delivered
    failed: int = 0  # given up on
    failed_attempts: int = 0  # attempts that did not deliver (retried or given up)
    backlog: int = 0  # waiting and due now
    oldest_due_seconds: float = 0.0  # how long the longest-waiting due row has been due


def outbox_figures(session: Session, now: datetime) -> dict[str, ChannelFigures]:
    """Per channel: what was delivered, what failed, and what is waiting, read in two
    grouped queries."""
    totals: dict[str, dict[str, int]] = {c: defaultdict(int) for c in CHANNELS}
    for channel, status, rows, attempts in session.execute(
        select(OutboxMessage.channel, OutboxMessage.status, func.count(),
               func.coalesce(func.sum(OutboxMessage.attempts), 0))
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    ):
        counted = totals.setdefault(channel, defaultdict(int))
        counted[status] += int(rows)
        counted["attempts"] += int(attempts)
    waiting: dict[str, tuple[int, float]] = {}
    for channel, rows, oldest in session.execute(
        select(OutboxMessage.channel, func.count(), func.min(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .group_by(OutboxMessage.channel)
    ):
        if oldest is not None and oldest.tzinfo is None:  # SQLite's func.min loses the type
            oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=UTC)
        age = max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
        waiting[channel] = (int(rows), age)
    return {
        channel: ChannelFigures(
            sent=counted["sent"],
            failed=counted["failed"],
            failed_attempts=counted["attempts"] - counted["sent"],
            backlog=waiting.get(channel, (0, 0.0))[0],
            oldest_due_seconds=waiting.get(channel, (0, 0.0))[1],
        )
        for channel, counted in totals.items()
    }
