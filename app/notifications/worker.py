"""The outbox worker: delivers queued notifications, and before each pass runs the periodic
jobs it is given (app/worker.py hands it the other domains' jobs, such as closing call-outs
whose deadline passed; notifications itself knows none of them).

Claiming: a worker marks a batch of due rows with its name and the time (`claimed_by`,
`claimed_at`) in a short transaction, sends them outside any transaction, then records the
result only if it still holds the claim. On PostgreSQL the candidate rows are read with
`FOR UPDATE SKIP LOCKED`, so workers never wait on each other; on both databases the claim
itself is a conditional UPDATE, so two workers can never hold the same row. A claim older than
the lease (`LOKET_WORKER_LEASE_SECONDS`) is free again: rows of a worker that died between
claiming and sending are delivered by the next one, with the same event id.

Delivery is at least once: a worker that dies after sending but before recording it causes one
resend. Receivers deduplicate on `Loket-Event-Id` (email: on Message-ID).
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import structlog
from sqlalchemy import or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import OutboxMessage, WebhookAttempt, WebhookEndpoint, utcnow
from app.notifications.delivery import Outcome, send_email, send_webhook

log = structlog.get_logger(__name__)

SessionFactory = Callable[[], Session]
# A periodic job: does its work in the session given (the worker commits) and says how many
# things it handled.
Job = Callable[[Session, datetime], int]


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self, session_factory: SessionFactory, settings: Settings, name: str | None = None,
        jobs: Sequence[Job] = (),
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.name = name or default_worker_name()
        self.jobs = tuple(jobs)

    # --- one pass ------------------------------------------------------------------------

    def run_once(self, now: datetime | None = None) -> int:
        """Run the jobs, then claim and deliver one batch. Returns messages handled."""
        now = now or utcnow()
        for job in self.jobs:
            self.run_job(job, now)
        handled = 0
        for message_id in self.claim(now):
            self.deliver(message_id, now)
            handled += 1
        return handled

    def run_forever(self, stop: threading.Event) -> None:
        log.info("worker started", worker=self.name)
        while not stop.is_set():
            try:
                handled = self.run_once()
            except Exception:
                log.exception("worker pass failed")
                handled = 0
            if handled < self.settings.worker_batch_size:
                stop.wait(self.settings.worker_poll_seconds)
        log.info("worker stopped", worker=self.name)

    def run_job(self, job: Job, now: datetime) -> int:
        """One job in a transaction of its own."""
        try:
            with self.session_factory() as session:
                handled = job(session, now)
                session.commit()
        except OperationalError:
            # Another worker is doing the same (SQLite refuses the second writer): next pass.
            log.info("job deferred", job=job.__name__, worker=self.name)
            return 0
        return handled

    # --- claiming --------------------------------------------------------------------------

    def claim(self, now: datetime, limit: int | None = None) -> list[uuid.UUID]:
        limit = limit or self.settings.worker_batch_size
        expired = now - timedelta(seconds=self.settings.worker_lease_seconds)
        free = or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < expired)
        with self.session_factory() as session:
            due = (
                select(OutboxMessage.id)
                .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now,
                       free)
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True)
            # One statement that writes first: on SQLite it takes the write lock at once
            # (waiting out the busy timeout) instead of upgrading a read snapshot.
            claimed = list(
                session.scalars(
                    update(OutboxMessage)
                    .where(OutboxMessage.id.in_(due), OutboxMessage.status == "pending", free)
                    .values(claimed_at=now, claimed_by=self.name)
                    .returning(OutboxMessage.id)
                    .execution_options(synchronize_session=False)
                )
            )
            session.commit()
        return claimed

    # --- delivering ------------------------------------------------------------------------

    def deliver(self, message_id: uuid.UUID, now: datetime) -> Outcome:
        with self.session_factory() as session:
            message = session.get(OutboxMessage, message_id)
            endpoint = (
                session.get(WebhookEndpoint, message.endpoint_id)
                if message is not None and message.endpoint_id is not None
                else None
            )
            session.commit()
        if message is None or message.claimed_by != self.name:
            return Outcome(False, error="not claimed")
        if message.channel == "email":
            outcome = send_email(self.settings, message)
        elif endpoint is None or not endpoint.active:
            outcome = Outcome(False, error="the endpoint was removed or disabled", permanent=True)
        else:
            outcome = send_webhook(self.settings, message, endpoint)
        self.record(message, outcome, now)
        return outcome

    def record(self, message: OutboxMessage, outcome: Outcome, now: datetime) -> None:
        attempts = message.attempts + 1
        done = utcnow()
        values: dict[str, object] = {
            "attempts": attempts, "claimed_at": None, "claimed_by": None,
        }
        if outcome.ok:
            values.update(status="sent", sent_at=done, last_error=None)
        else:
            give_up_at = message.created_at + timedelta(
                hours=self.settings.webhook_max_age_hours
            )
            retry_at = now + self.backoff(attempts)
            if outcome.permanent or retry_at > give_up_at:
                values.update(status="failed", last_error=outcome.error)
            else:
                values.update(next_attempt_at=retry_at, last_error=outcome.error)
        with self.session_factory() as session:
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.claimed_by == self.name)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if message.channel == "webhook" and message.endpoint_id is not None:
                session.add(
                    WebhookAttempt(
                        id=uuid.uuid4(),
                        outbox_id=message.id,
                        endpoint_id=message.endpoint_id,
                        attempted_at=done,
                        status_code=outcome.status_code,
                        error=outcome.error,
                        duration_ms=outcome.duration_ms,
                        success=outcome.ok,
                    )
                )
            session.commit()
        if getattr(result, "rowcount", 1) != 1:
            log.warning("lost the claim before recording", outbox_id=str(message.id))
        log.info(
            "notification delivered" if outcome.ok else "notification failed",
            outbox_id=str(message.id), channel=message.channel, event_type=message.event_type,
            attempts=attempts, error=outcome.error,
        )

    def backoff(self, attempts: int) -> timedelta:
        """Exponential: base, 2x, 4x, ... capped at 12 hours between attempts."""
        seconds = self.settings.webhook_backoff_base_seconds * (2 ** min(attempts - 1, 20))
        return timedelta(seconds=min(seconds, 12 * 3600))
