"""The `loket worker` process: the notification outbox's worker, given the periodic jobs of
the other domains. Composed here, above the domains (as app/main.py composes the web app), so
that notifications never imports the domains that emit through it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.callouts.service import close_due_callouts
from app.config import Settings
from app.notifications.worker import Job, SessionFactory, Worker


def jobs(settings: Settings) -> tuple[Job, ...]:
    def close_due_callouts_job(session: Session, now: datetime) -> int:
        return close_due_callouts(session, now, settings)

    return (close_due_callouts_job,)


def make_worker(
    session_factory: SessionFactory, settings: Settings, name: str | None = None
) -> Worker:
    return Worker(session_factory, settings, name=name, jobs=jobs(settings))
