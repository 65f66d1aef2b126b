"""The scrape endpoint. A plain Starlette route, outside the API: no API key, no rate limit,
not in the OpenAPI document. Absent (404) unless `LOKET_METRICS_TOKEN` is set; with it, the
scraper must send `Authorization: Bearer <token>` (401 otherwise)."""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from app.common.metrics import scrape_registry
from app.config import Settings
from app.db import READ_ONLY
from app.errors import NotFound, Unauthorized
from app.models import utcnow
from app.notifications.service import ChannelFigures, outbox_figures

PATH = "/metrics"


class OutboxCollector(Collector):
    """The outbox as the database holds it at this scrape (whichever process delivers it)."""

    def __init__(self, figures: dict[str, ChannelFigures]) -> None:
        self.figures = figures

    def collect(self) -> Iterator[Metric]:
        families: dict[str, CounterMetricFamily | GaugeMetricFamily] = {
            "sent": CounterMetricFamily(
                "loket_notifications_sent", "Notifications delivered, by channel.",
                labels=["channel"]),
            "failed": CounterMetricFamily(
                "loket_notifications_failed",
                "Notifications given up on (permanent error or too old), by channel.",
                labels=["channel"]),
            "failed_attempts": CounterMetricFamily(
                "loket_notification_failed_attempts",
                "Delivery attempts that did not deliver (retried later or given up), by "
                "channel.", labels=["channel"]),
            "backlog": GaugeMetricFamily(
                "loket_outbox_backlog",
                "Notifications due now and not yet delivered, by channel.", labels=["channel"]),
            "oldest_due_seconds": GaugeMetricFamily(
                "loket_outbox_oldest_due_age_seconds",
                "How long the longest-waiting due notification has been due (0: none), by "
                "channel.", labels=["channel"]),
        }
        for channel, figures in sorted(self.figures.items()):
            for name, family in families.items():
                family.add_metric([channel], getattr(figures, name))
        yield from families.values()


def _check_token(request: Request, settings: Settings) -> None:
    if settings.metrics_token is None:
        raise NotFound(f"{request.url.path} does not exist.")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    expected = settings.metrics_token.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected):
        raise Unauthorized("Send the metrics token: `Authorization: Bearer <token>`.")


def metrics(request: Request) -> Response:
    """Prometheus text format: every web worker's figures, summed, and the outbox's."""
    _check_token(request, request.app.state.settings)
    session: Session = request.app.state.session_factory()
    try:
        session.connection(execution_options={READ_ONLY: True})
        figures = outbox_figures(session, utcnow())
        session.commit()
    finally:
        session.close()
    body = generate_latest(scrape_registry()) + generate_latest(OutboxCollector(figures))
    return Response(body, media_type=CONTENT_TYPE_LATEST)

