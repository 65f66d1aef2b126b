"""Signed, expiring, single-purpose answer links for contact persons without an API key.

A token is `<invitation id>.<purpose>.<expiry unix>.<nonce>.<hmac>`, the HMAC-SHA256 keyed with
LOKET_SECRET_KEY over everything before it. The nonce is the invitation's `link_nonce`, so a
link can be used once (using it sets `link_used_at`) and a new link can replace it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

ANSWER_PURPOSE = "invitation-answer"


class BadToken(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TokenClaims:
    invitation_id: uuid.UUID
    purpose: str
    expires_at: datetime
    nonce: str


def _mac(secret_key: str, message: str) -> str:
    digest = hmac.new(
        b"loket-answer-link:" + secret_key.encode(), message.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_token(
    secret_key: str, invitation_id: uuid.UUID, nonce: str, expires_at: datetime,
    purpose: str = ANSWER_PURPOSE,
) -> str:
    body = f"{invitation_id.hex}.{purpose}.{int(expires_at.timestamp())}.{nonce}"
    return f"{body}.{_mac(secret_key, body)}"


def read_token(
    secret_key: str, token: str, *, purpose: str = ANSWER_PURPOSE, now: datetime | None = None
) -> TokenClaims:
    """The claims of a genuine, unexpired token for `purpose`; BadToken otherwise."""
    parts = token.split(".")
    if len(parts) != 5:
        raise BadToken("malformed token")
    body, mac = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(mac, _mac(secret_key, body)):
        raise BadToken("bad signature")
    inv, token_purpose, expiry, nonce = parts[:4]
    if token_purpose != purpose:
        raise BadToken("token made for another purpose")
    try:
        invitation_id = uuid.UUID(hex=inv)
        expires_at = datetime.fromtimestamp(int(expiry), UTC)
    except ValueError:
        raise BadToken("malformed token") from None
    if (now or datetime.now(UTC)) >= expires_at:
        raise BadToken("token expired")
    return TokenClaims(invitation_id, token_purpose, expires_at, nonce)
