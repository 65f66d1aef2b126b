"""The `loket worker` process: the notification outbox's worker, given the periodic jobs of
the other domains. Composed here, above the domains (as app/main.py composes the web app), so
that notifications never imports the domains that emit through it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.alerts.service import send_due_alerts
from app.callouts.service import close_due_callouts
from app.callouts.standing import invite_late_companies
from app.config import Settings
from app.insights.service import refresh_job
from app.notifications.worker import Job, SessionFactory, Worker
from app.search.catalogue import CatalogueCache


def jobs(settings: Settings) -> tuple[Job, ...]:
    # The worker's own matching catalogue, rebuilt when the catalogue version moves on.
    cache = CatalogueCache()

    def close_due_callouts_job(session: Session, now: datetime) -> int:
        return close_due_callouts(session, now, settings)

    def invite_late_companies_job(session: Session, now: datetime) -> int:
        return invite_late_companies(session, cache, settings, now)

    def send_due_alerts_job(session: Session, now: datetime) -> int:
        return send_due_alerts(session, cache, settings, now)

    return (invite_late_companies_job, close_due_callouts_job, send_due_alerts_job,
            refresh_job(settings))


def make_worker(
    session_factory: SessionFactory, settings: Settings, name: str | None = None
) -> Worker:
    return Worker(session_factory, settings, name=name, jobs=jobs(settings))
