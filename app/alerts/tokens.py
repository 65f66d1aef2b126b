"""Signed unsubscribe tokens (RFC 8058 one-click): `<saved search id hex>.<hmac>`, the
HMAC-SHA256 keyed with LOKET_SECRET_KEY for this purpose only. They do not expire: an old
mail's link still stops the alerts (using it twice says so, and changes nothing)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid


class BadToken(ValueError):
    pass


def _mac(secret_key: str, body: str) -> str:
    digest = hmac.new(b"loket-unsubscribe:" + secret_key.encode(), body.encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def make_token(secret_key: str, saved_search_id: uuid.UUID) -> str:
    body = saved_search_id.hex
    return f"{body}.{_mac(secret_key, body)}"


def read_token(secret_key: str, token: str) -> uuid.UUID:
    body, _, mac = token.partition(".")
    if not mac or not hmac.compare_digest(mac, _mac(secret_key, body)):
        raise BadToken("bad signature")
    try:
        return uuid.UUID(hex=body)
    except ValueError:
        raise BadToken("malformed token") from None
