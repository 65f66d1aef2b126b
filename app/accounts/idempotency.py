"""`Idempotency-Key` for every POST that creates something (every POST route answering 201).

The first request with a key claims it in its own short transaction (state `in_flight`), so a
concurrent duplicate sees the claim and gets 409. When the handler succeeds, its answer
(status, body and the headers a client needs) is stored and replayed to every retry with the
same key and the same body for at least LOKET_IDEMPOTENCY_TTL_HOURS; the same key with another
body gets 422. Errors are not stored: fix the request and retry with the same key.

Keys are scoped to the caller's account (a key and its rotations share one), which is why
this lives with accounts, and the stored answer is encrypted with a key derived from the
caller's bearer token (or a signed-in person's session cookie), which we never store: an
answer can hold a new API key's secret or contact persons' data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import uuid
from collections.abc import Callable, Coroutine
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Annotated, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi import Depends, Header, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.accounts.keys import SESSION_COOKIE
from app.accounts.service import account_scope
from app.config import Settings
from app.errors import problem_response
from app.models import IdempotencyRecord, utcnow

KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# A claim older than this belongs to a request that died (a crashed worker): take it over.
ABANDONED_AFTER = timedelta(minutes=5)
REPLAYED_HEADERS = ("content-type", "location", "etag", "cache-control", "content-language",
                    "vary")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def idempotency_key_header(
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description="Any unique string (a UUID is best). A retry with the same key and "
            "body replays the first answer for at least 24 hours; the same key with another "
            "body is refused (422); while the first is still running, 409.",
        ),
    ] = None,
) -> None:
    """Declares the header in OpenAPI; the work happens in IdempotentRoute."""


class IdempotentRoute(APIRoute):
    """The route class of every router: POST routes answering 201 honour Idempotency-Key."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {m.upper() for m in kwargs.get("methods") or ()}
        self.idempotent = "POST" in methods and kwargs.get("status_code") == 201
        if self.idempotent:
            kwargs["dependencies"] = [
                *(kwargs.get("dependencies") or []), Depends(idempotency_key_header)
            ]
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        if not self.idempotent:
            return handler

        async def idempotent_handler(request: Request) -> Response:
            return await run_idempotently(request, handler)

        return idempotent_handler


def _caller_token(request: Request) -> str | None:
    """The caller's bearer key, else a signed-in person's session cookie (a key wins)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if request.headers.get("authorization"):
        return None  # a malformed header: the handler answers 401
    return request.cookies.get(SESSION_COOKIE) or None


async def run_idempotently(request: Request, handler: Handler) -> Response:
    key = request.headers.get("idempotency-key")
    token = _caller_token(request)
    if key is None or token is None or not KEY_PATTERN.fullmatch(key):
        # No key, or a malformed one (the handler's validation answers 422), or no caller
        # (the handler answers 401).
        return await handler(request)
    body = await request.body()  # cached on the request; the handler reads the same bytes
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), request.url.path.encode(), body])
    ).hexdigest()
    store = _Store(request.app.state.session_factory, request.app.state.settings, token, key)
    claim = await run_in_threadpool(store.claim, request.url.path, fingerprint)
    if claim is None:
        return await handler(request)
    if isinstance(claim, Response):
        return claim
    try:
        response = await _run_and_commit(request, handler)
    except BaseException:
        await run_in_threadpool(store.release, claim)
        raise
    if 200 <= response.status_code < 300:
        await run_in_threadpool(store.complete, claim, response)
    else:
        await run_in_threadpool(store.release, claim)
    return response


async def _run_and_commit(request: Request, handler: Handler) -> Response:
    """Run the handler and close its function-scoped dependencies (the database session
    commits there) before we store the answer: a stored answer is always a committed one."""
    outer = request.scope.get("fastapi_function_astack")
    try:
        async with AsyncExitStack() as stack:
            request.scope["fastapi_function_astack"] = stack
            return await handler(request)
    finally:
        request.scope["fastapi_function_astack"] = outer


class _Store:
    def __init__(
        self, factory: sessionmaker[Session] | Callable[[], Session], settings: Settings,
        token: str, key: str,
    ) -> None:
        self.factory = factory
        self.settings = settings
        self.token = token
        self.key = key

    def _cipher(self, scope: str) -> AESGCM:
        material = hmac.new(
            self.settings.secret_key.encode(),
            b"\0".join([b"idempotency", self.token.encode(), scope.encode(), self.key.encode()]),
            hashlib.sha256,
        ).digest()
        return AESGCM(material)

    def claim(self, path: str, fingerprint: str) -> uuid.UUID | Response | None:
        with self.factory() as session:
            scope = account_scope(session, self.token, secret_key=self.settings.secret_key)
            if scope is None:
                return None
            now = utcnow()
            for _ in range(3):
                existing = session.scalars(
                    select(IdempotencyRecord).where(
                        IdempotencyRecord.scope == scope, IdempotencyRecord.key == self.key
                    )
                ).one_or_none()
                if existing is not None and (
                    existing.expires_at <= now
                    or (existing.state == "in_flight"
                        and existing.created_at < now - ABANDONED_AFTER)
                ):
                    session.delete(existing)
                    session.commit()
                    existing = None
                if existing is None:
                    purge_expired(session)
                    record = IdempotencyRecord(
                        scope=scope,
                        key=self.key,
                        path=path[:200],
                        fingerprint=fingerprint,
                        state="in_flight",
                        created_at=now,
                        expires_at=now + timedelta(hours=self.settings.idempotency_ttl_hours),
                    )
                    session.add(record)
                    try:
                        session.commit()
                    except IntegrityError:
                        session.rollback()
                        continue
                    return record.id
                if existing.fingerprint != fingerprint:
                    return problem_response(
                        422,
                        slug="idempotency-key-reused",
                        title="Idempotency-Key reused",
                        detail="This Idempotency-Key was used with another request; "
                        "use a new key for a new request.",
                        instance=path,
                    )
                if existing.state == "in_flight":
                    break
                return self._replay(existing, scope)
            return problem_response(
                409,
                slug="idempotency-in-flight",
                title="Request in progress",
                detail="A request with this Idempotency-Key is still running; retry shortly.",
                instance=path,
                headers={"Retry-After": "1"},
            )

    def _replay(self, record: IdempotencyRecord, scope: str) -> Response:
        try:
            body = self._cipher(scope).decrypt(
                (record.response_body or b"")[:12], (record.response_body or b"")[12:],
                scope.encode(),
            )
        except (InvalidTag, ValueError):
            # Another key of the same account: it cannot read the first key's answer.
            return problem_response(
                422,
                slug="idempotency-key-reused",
                title="Idempotency-Key reused",
                detail="This Idempotency-Key was used by another key of your account.",
            )
        headers = dict(record.response_headers or {})
        headers["Idempotent-Replayed"] = "true"
        return Response(content=body, status_code=record.response_status or 200,
                        headers=headers)

    def complete(self, record_id: uuid.UUID, response: Response) -> None:
        with self.factory() as session:
            record = session.get(IdempotencyRecord, record_id)
            if record is None:
                return
            nonce = os.urandom(12)
            body = bytes(response.body)
            record.response_body = nonce + self._cipher(record.scope).encrypt(
                nonce, body, record.scope.encode()
            )
            record.response_status = response.status_code
            record.response_headers = {
                name: value for name, value in response.headers.items()
                if name.lower() in REPLAYED_HEADERS and name.lower() != "content-length"
            }
            record.state = "done"
            session.commit()

    def release(self, record_id: uuid.UUID) -> None:
        with self.factory() as session:
            session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
            session.commit()


def forget_replays(session: Session, paths: tuple[str, ...]) -> int:
    """Drop stored answers of these paths (used by GDPR erasure: they may hold the person)."""
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.path.in_(paths))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired(session: Session) -> int:
    result = session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)

