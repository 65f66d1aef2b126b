"""Plain ASGI middleware: body size cap, security headers and one access-log line per request."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import structlog
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from app.accounts.service import origin_registered
from app.common.metrics import UNMATCHED_ROUTE, observe_request
from app.errors import (
    INTERNAL_ERROR_DETAIL,
    INTERNAL_ERROR_SLUG,
    INTERNAL_ERROR_TITLE,
    PROBLEM_BASE,
    PROBLEM_MEDIA_TYPE,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = structlog.get_logger("loket.access")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
# JSON answers are never rendered as pages; /docs (HTML) keeps the browser defaults.
JSON_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
# Headers a browser page may read from a cross-origin answer (publishable keys).
CORS_EXPOSED = (b"ETag, Location, RateLimit, RateLimit-Policy, Retry-After, Idempotent-Replayed, "
                b"X-Request-ID")
CORS_ALLOWED_HEADERS = (b"Authorization, Content-Type, Accept-Language, Idempotency-Key, "
                        b"If-Match, X-Request-ID")
# A caller's own X-Request-ID is kept when it is a plain token: it is logged, so no spaces,
# quotes or control characters, and too short to be a secret of ours (keys, tokens, hashes).
REQUEST_ID = re.compile(rb"[A-Za-z0-9.:/+=-]{1,63}")
CORS_MAX_AGE = b"600"


class BodyTooLarge(HTTPException):
    """Raised from receive(); an HTTPException, so the framework hands it to our problem
    handler instead of treating it as a body that failed to parse."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body may be at most {max_bytes} bytes.")


async def _send_problem(send: Send, status: int, title: str, detail: str, slug: str) -> None:
    body = json.dumps(
        {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """Refuse bodies over the cap with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"The request body may be at most {self.max_bytes} bytes."
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_large = int(value) > self.max_bytes
                except ValueError:
                    too_large = True
                if too_large:
                    await _send_problem(send, 413, "Request body too large", detail,
                                        "payload-too-large")
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_problem(send, 413, "Request body too large", detail,
                                    "payload-too-large")


def _request_state(scope: Scope) -> dict[str, Any]:
    state = scope.get("state")
    return state if isinstance(state, dict) else {}


def response_headers(scope: Scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Security headers, the caller's rate-limit headers, and CORS for publishable keys.

    Nothing is cached unless the route said so: answers may carry personal data or keys."""
    present = {name.lower() for name, _ in headers}
    out = list(headers)
    out.extend(h for h in SECURITY_HEADERS if h[0] not in present)
    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    if b"json" in content_type and JSON_CSP[0] not in present:
        out.append(JSON_CSP)
    if scope.get("scheme") == "https":
        out.append(HSTS)
    if b"cache-control" not in present:
        out.append((b"cache-control", b"no-store"))
    state = _request_state(scope)
    for name, value in (state.get("extra_headers") or {}).items():
        if name.lower().encode() not in present:
            out.append((name.lower().encode(), str(value).encode()))
    origin = state.get("cors_origin")
    if origin:
        out.append((b"access-control-allow-origin", origin.encode("latin-1")))
        out.append((b"access-control-expose-headers", CORS_EXPOSED))
        out.append((b"vary", b"Origin"))
    return out


class KeyCors:
    """CORS per publishable key. A preflight carries no key, so it is answered for origins
    registered on some active publishable key; the real request then reflects the origin only
    when it is registered for the key it carries (checked when the key is resolved)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "OPTIONS":
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        origin = headers.get(b"origin")
        method = headers.get(b"access-control-request-method")
        if origin is None or method is None:
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        origin_text = origin.decode("latin-1").lower()

        def check() -> bool:
            with state.session_factory() as session:
                return origin_registered(session, origin_text)

        allowed = method.upper() in (b"GET", b"POST") and await run_in_threadpool(check)
        if not allowed:
            await _send_problem(send, 403, "Forbidden",
                                "This origin is not registered for a publishable key.",
                                "forbidden")
            return
        await send({
            "type": "http.response.start",
            "status": 204,
            "headers": [
                (b"access-control-allow-origin", origin),
                (b"access-control-allow-methods", b"GET, POST"),
                (b"access-control-allow-headers", CORS_ALLOWED_HEADERS),
                (b"access-control-max-age", CORS_MAX_AGE),
                (b"vary", b"Origin"),
            ],
        })
        await send({"type": "http.response.body", "body": b""})


def request_id_of(scope: Scope) -> str:
    """The caller's X-Request-ID when it is a plain token, else a new one."""
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            if REQUEST_ID.fullmatch(value):
                return value.decode("ascii")
            break
    return uuid.uuid4().hex[:16]


class AccessLogAndHeaders:
    """Gives each request an id (X-Request-ID, the caller's or a new one), which every log
    line of the request carries and the answer returns; adds the response headers above; logs
    method, path, status and duration (never headers, query strings or bodies, which may hold
    keys or personal data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        started = time.perf_counter()
        status_code = 500
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status_code, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                headers = response_headers(scope, list(message.get("headers", [])))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_headers)
            except Exception:
                # Answered here rather than by the framework's last-resort handler, which
                # re-raises to the server, and the server then drops the keep-alive connection
                # the client is about to send its next request on.
                if response_started:
                    raise  # the answer is under way: the connection cannot be saved
                log.exception("unhandled_error", method=scope.get("method"),
                              path=scope.get("path"))
                await _send_problem(send_with_headers, 500, INTERNAL_ERROR_TITLE,
                                    INTERNAL_ERROR_DETAIL, INTERNAL_ERROR_SLUG)
            finally:
                elapsed = time.perf_counter() - started
                log.info(
                    "request",
                    method=scope.get("method"),
                    path=scope.get("path"),
                    status=status_code,
                    duration_ms=round(elapsed * 1000, 1),
                )
                # By the route's template (set by the router on this scope), never the path.
                route = getattr(scope.get("route"), "path", None) or UNMATCHED_ROUTE
                observe_request(scope.get("method", ""), route, status_code, elapsed)


class HeadAsGet:
    """HEAD on every GET route (RFC 9110, 9.3.2): the status and headers the GET would send,
    without its body. Monitors and `curl -I` use it; the framework routes only the methods a
    route declares."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        inner = {**scope, "method": "GET"}
        await self.app(inner, receive, headers_only)
        if "route" in inner:  # for the access metrics, which read the route off this scope
            scope["route"] = inner["route"]
