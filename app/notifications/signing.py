"""Signing outgoing webhooks: HMAC-SHA256 over `<timestamp>.<body>` with the endpoint's secret,
sent as `Loket-Signature: t=<unix seconds>,v1=<hex>` (verify with `app.notifications.verify`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

SIGNATURE_HEADER = "Loket-Signature"
EVENT_ID_HEADER = "Loket-Event-Id"
EVENT_TYPE_HEADER = "Loket-Event-Type"
TOLERANCE_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def canonical_body(envelope: dict[str, Any]) -> bytes:
    """The same bytes on every attempt: retries carry an identical body."""
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
