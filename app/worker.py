"""The `loket worker` process: the notification outbox's worker, given the periodic jobs of
the other domains. Composed here, above the domains (as app/main.py composes the web app), so
that notifications never imports the domains that emit through it."""

from __future__ import annotations

from app.callouts.service import close_due_callouts
from app.config import Settings
from app.notifications.worker import Job, SessionFactory, Worker

JOBS: tuple[Job, ...] = (close_due_callouts,)


def make_worker(
    session_factory: SessionFactory, settings: Settings, name: str | None = None
) -> Worker:
    return Worker(session_factory, settings, name=name, jobs=JOBS)
