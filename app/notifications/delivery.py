"""Sending one outbox message: email through app.notifications.email, webhooks over HTTP with a
signature, no redirects, timeouts, and the SSRF check repeated before the request."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from app.config import Settings
from app.models import OutboxMessage, WebhookEndpoint
from app.notifications import email
from app.notifications.signing import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    canonical_body,
    sign,
)
from app.notifications.ssrf import Resolver, UnsafeUrl, check_url, system_resolver


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    duration_ms: int = 0
    # Retrying can't help (e.g. the URL is now refused): give up at once.
    permanent: bool = False


def send_email(settings: Settings, message: OutboxMessage) -> Outcome:
    started = time.monotonic()
    mail: dict[str, Any] = message.payload
    msg = email.build_message(
        settings, message.recipient, mail, email.message_id_for(message.id)
    )
    try:
        # Named by queue time to the microsecond: mails queued within a second keep their order.
        email.send(settings, msg, name=f"{message.created_at:%Y%m%dT%H%M%S%f}-{message.id.hex}")
    except Exception as exc:  # any SMTP or file error: retried later
        return Outcome(False, error=f"{exc.__class__.__name__}: {exc}"[:500],
                       duration_ms=_ms(started))
    return Outcome(True, duration_ms=_ms(started))


def send_webhook(
    settings: Settings, message: OutboxMessage, endpoint: WebhookEndpoint,
    resolver: Resolver = system_resolver,
) -> Outcome:
    started = time.monotonic()
    try:
        addresses = check_url(
            endpoint.url, allow_loopback=settings.webhook_allow_loopback, resolver=resolver
        )
    except UnsafeUrl as exc:
        return Outcome(False, error=f"refused: {exc}", permanent=True)
    body = canonical_body(message.payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Loket-Webhooks/1",
        EVENT_ID_HEADER: str(message.event_id),
        EVENT_TYPE_HEADER: message.event_type,
        SIGNATURE_HEADER: sign(endpoint.secret, body, int(time.time())),
    }
    try:
        with _pinned_client(settings, addresses) as http:
            response = http.post(endpoint.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Outcome(False, error=f"{exc.__class__.__name__}: {exc}"[:500],
                       duration_ms=_ms(started))
    if 200 <= response.status_code < 300:
        return Outcome(True, status_code=response.status_code, duration_ms=_ms(started))
    error = f"HTTP {response.status_code}"
    if response.is_redirect:
        error += " (redirects are not followed)"
    return Outcome(False, status_code=response.status_code, error=error,
                   duration_ms=_ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


class _PinnedBackend(httpcore.SyncBackend):
    """Connects only to the addresses the SSRF check approved, whatever the host name
    resolves to by the time of the request (no DNS rebinding). TLS still verifies the name."""

    def __init__(self, addresses: list[str]) -> None:
        self.addresses = addresses

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None,
        local_address: str | None = None, socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        error: Exception = httpcore.ConnectError(f"no approved address for {host}")
        for address in self.addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error


def _pinned_client(settings: Settings, addresses: list[str]) -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0)
    # httpx has no public hook for the network backend; its pool has one.
    transport._pool._network_backend = _PinnedBackend(addresses)
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.webhook_timeout_seconds),
        follow_redirects=False,
        trust_env=False,  # never through a proxy from the environment
    )
