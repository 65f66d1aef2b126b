"""How a partner verifies a Loket webhook. README.md shows this very function (a test keeps the
two identical); it needs only the standard library, so partners can copy it as is."""

import hashlib
import hmac
import time


def verify_loket_signature(
    secret: str, header: str, body: bytes, tolerance: int = 300, now: float | None = None
) -> bool:
    """True when `header` (the Loket-Signature value, "t=<unix seconds>,v1=<hex>") signs the
    raw request `body` (bytes) with your endpoint's `secret`, at most `tolerance` seconds
    from now. Compare before parsing the JSON, and answer 400 when it is False."""
    try:
        pairs = [part.split("=", 1) for part in header.split(",")]
        timestamp = int(next(value for key, value in pairs if key == "t"))
        signatures = [value for key, value in pairs if key == "v1"]
    except (ValueError, StopIteration):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    signed = str(timestamp).encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, s) for s in signatures)
