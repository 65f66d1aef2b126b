"""API key format: `lk_<kind>_<public id><secret><checksum>`.

The kind says at a glance what a leaked key can do; the public id finds the row; the checksum
lets us refuse a mistyped key without touching the database. Only an HMAC-SHA256 of the whole
key (keyed with LOKET_SECRET_KEY) is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
import zlib
from dataclasses import dataclass

ALPHABET = string.digits + string.ascii_letters
PUBLIC_ID_LENGTH = 10
SECRET_LENGTH = 32
CHECKSUM_LENGTH = 6

KIND_BY_ROLE = {"admin": "adm", "company": "co", "entrepreneur": "ent", "partner": "psk"}
PUBLISHABLE_KIND = "ppk"
KNOWN_KINDS = frozenset(KIND_BY_ROLE.values()) | {PUBLISHABLE_KIND}


@dataclass(frozen=True, slots=True)
class ParsedKey:
    kind: str
    prefix: str  # "lk_<kind>_<public id>": safe to show and to log


@dataclass(frozen=True, slots=True)
class NewKey:
    prefix: str
    secret: str  # the whole key; shown to its owner once


def _base62(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _checksum(text: str) -> str:
    value = zlib.crc32(text.encode())
    digits = []
    for _ in range(CHECKSUM_LENGTH):
        value, remainder = divmod(value, 62)
        digits.append(ALPHABET[remainder])
    return "".join(digits)


def key_kind(role: str, *, publishable: bool) -> str:
    return PUBLISHABLE_KIND if publishable else KIND_BY_ROLE[role]


def generate_key(role: str, *, publishable: bool = False) -> NewKey:
    kind = key_kind(role, publishable=publishable)
    public_id = _base62(PUBLIC_ID_LENGTH)
    body = f"lk_{kind}_{public_id}{_base62(SECRET_LENGTH)}"
    return NewKey(prefix=f"lk_{kind}_{public_id}", secret=body + _checksum(body))


def parse_key(token: str) -> ParsedKey | None:
    """Shape and checksum only; None for anything that cannot be one of our keys."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "lk" or parts[1] not in KNOWN_KINDS:
        return None
    rest = parts[2]
    if len(rest) != PUBLIC_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH:
        return None
    if any(ch not in ALPHABET for ch in rest):
        return None
    body, checksum = token[:-CHECKSUM_LENGTH], token[-CHECKSUM_LENGTH:]
    if not hmac.compare_digest(_checksum(body), checksum):
        return None
    return ParsedKey(kind=parts[1], prefix=f"lk_{parts[1]}_{rest[:PUBLIC_ID_LENGTH]}")


def hash_key(token: str, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


# --- people: sign-in links and session cookies ---------------------------------------------
# Recognisable shapes (so the suite's log-leak check knows them), random bodies, and only a
# SHA-256 kept: the tokens are 256-bit random, so a plain hash cannot be reversed.
SIGN_IN_TOKEN_PREFIX = "lkl_"  # noqa: S105 (a prefix, not a secret)
SESSION_TOKEN_PREFIX = "lks_"  # noqa: S105
# The signed-in person's session cookie: HttpOnly, SameSite=Lax (set by app.people.router).
SESSION_COOKIE = "loket_session"


def new_sign_in_token() -> str:
    return SIGN_IN_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_session_token() -> str:
    return SESSION_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(session_id: str, secret_key: str) -> str:
    """The CSRF token of a session: derived, never stored, useless without the cookie."""
    digest = hmac.new(
        b"loket-csrf:" + secret_key.encode(), session_id.encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
