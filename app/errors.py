"""Domain errors carry their HTTP status; one set of handlers renders every error as RFC 9457
problem+json. No stack trace ever reaches a client."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.words.codes import TEMPLATES, ErrorCode, from_pydantic, is_own_code, render
from app.words.languages import negotiate

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://loket.example/problems/"
INTERNAL_ERROR_SLUG = "internal-error"
INTERNAL_ERROR_TITLE = "Internal server error"
INTERNAL_ERROR_DETAIL = "Something went wrong on our side; it has been logged."

log = structlog.get_logger(__name__)


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. `sites.0.postcode`.")
    location: str = Field(description="`body`, `query`, `path` or `header`.")
    message: str = Field(description="English, for developers; pages translate `code`.")
    type: str
    code: ErrorCode = Field(
        "invalid", description="Stable machine-readable code; `GET /v1/error-codes` lists "
        "each with its Dutch, English and French template.",
    )
    params: dict[str, Any] = Field(
        default_factory=dict, description="The values the code's template names, e.g. `max`."
    )
    text: str | None = Field(
        None, description="The error in the reader's words: the code's template in the "
        "language `Accept-Language` asks for (Dutch, English or French), `params` filled in.",
    )

    @model_validator(mode="before")
    @classmethod
    def _code_from_type(cls, data: Any) -> Any:
        # An error made without a code gets the one its type names, when that is a code.
        if isinstance(data, dict) and "code" not in data:
            kind = data.get("type")
            data = {**data, "code": kind if kind in TEMPLATES else "invalid"}
        return data


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers
        self.extra = extra


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="loket"'})
        super().__init__(detail, **kw)


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Forbidden"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(DomainError):
    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PreconditionRequired(DomainError):
    status, slug, title = 428, "precondition-required", "Precondition required"


class Unprocessable(DomainError):
    status, slug, title = 422, "validation-error", "Invalid request"


class UnknownLocationError(Unprocessable):
    slug, title = "unknown-location", "Unknown location"


class AmbiguousLocationError(UnknownLocationError):
    slug, title = "ambiguous-location", "Ambiguous location"


class TooManyRequests(DomainError):
    status, slug, title = 429, "rate-limited", "Too many requests"


def field_error(
    field: str,
    message: str,
    type_: str = "value_error",
    *,
    code: ErrorCode | None = None,
    location: str = "body",
    **params: Any,
) -> FieldError:
    """A field error; `code` defaults to `type_` when that is a code, `params` fill its
    template (app/words/codes.py)."""
    code = code or (type_ if type_ in TEMPLATES else "invalid")  # type: ignore[assignment]
    return FieldError(
        field=field, location=location, message=message, type=type_, code=code, params=params
    )


def problem_response(
    status: int,
    *,
    title: str | None = None,
    slug: str | None = None,
    detail: str | None = None,
    instance: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    lang: str | None = None,
) -> JSONResponse:
    """The problem+json answer. With `lang`, each field error (and a whole problem's `code`)
    also says itself in that language (`text`), and the answer has Content-Language."""
    if lang is not None:
        errors = [e.model_copy(update={"text": render(e.code, e.params, lang)})
                  for e in errors or ()]
        if extra and extra.get("code") in TEMPLATES:
            extra = {**extra, "text": render(str(extra["code"]), extra, lang)}
        headers = {**(headers or {}), "Content-Language": lang, "Vary": "Accept-Language"}
    body = Problem(
        type=f"{PROBLEM_BASE}{slug}" if slug else "about:blank",
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        errors=list(errors) if errors else None,
    ).model_dump(exclude_none=True)
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _loc_to_field(loc: Sequence[Any]) -> tuple[str, str]:
    parts = [str(p) for p in loc]
    location = parts[0] if parts else "body"
    return location, ".".join(parts[1:]) or location


def _validation_errors(exc: RequestValidationError) -> tuple[int, str, list[FieldError]]:
    errors: list[FieldError] = []
    malformed = False
    for err in exc.errors():
        location, field = _loc_to_field(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            malformed = True
        message = str(err.get("msg", "invalid"))
        # Pydantic prefixes custom messages with "Value error, "; the client needs only ours.
        message = message.removeprefix("Value error, ")
        kind = str(err.get("type"))
        code, params = from_pydantic(kind, err.get("ctx"), message)
        # Our validators' errors keep the type they always had; their code is the news.
        kind = "value_error" if is_own_code(kind) else kind
        errors.append(FieldError(field=field, location=location, message=message, type=kind,
                                 code=code, params=params))
    if malformed:
        return 400, "The request body is not valid JSON.", errors
    names = ", ".join(sorted({e.field for e in errors}))
    return 422, f"Invalid fields: {names}", errors


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette names only the first matching
    route's methods, but GET and POST on one path are often two routes."""
    served = [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]
    # HEAD is answered wherever GET is (app.middleware.HeadAsGet).
    return [m for method in served for m in ((method, "HEAD") if method == "GET" else (method,))]


def _language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language", ""))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(
            exc.status,
            title=exc.title,
            slug=exc.slug,
            detail=exc.detail,
            instance=request.url.path,
            errors=exc.errors,
            headers=exc.headers,
            extra=exc.extra or None,
            lang=_language(request),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, detail, errors = _validation_errors(exc)
        slug = "malformed-json" if status == 400 else "validation-error"
        title = "Malformed request body" if status == 400 else "Invalid request"
        return problem_response(
            status, title=title, slug=slug, detail=detail, instance=request.url.path,
            errors=errors, lang=_language(request),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        headers = getattr(exc, "headers", None)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No resource at {request.url.path}"
        if exc.status_code == 405:
            allowed = allowed_methods(request)
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
            detail = f"{request.method} is not allowed here; use {', '.join(allowed)}."
        return problem_response(
            exc.status_code, detail=detail, instance=request.url.path, headers=headers
        )

    @app.exception_handler(OperationalError)
    async def _database_busy(request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database_operational_error", path=request.url.path, error=str(exc.orig))
        return problem_response(
            503,
            slug="database-unavailable",
            title="Database busy or unavailable",
            detail="Please retry shortly.",
            instance=request.url.path,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(StaleDataError)
    async def _changed_meanwhile(request: Request, exc: StaleDataError) -> JSONResponse:
        # A versioned row (company, request) was changed by another call between this call's
        # read and its write: nothing of this call was stored.
        return problem_response(
            409,
            slug="conflict",
            title="Conflict",
            detail="This was changed by another call at the same moment; read it again and retry.",
            instance=request.url.path,
        )

    # Unexpected errors are answered (and logged) by app.middleware.AccessLogAndHeaders, so
    # the connection stays open; this handler is the last resort for the middleware itself.
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path, method=request.method)
        return problem_response(
            500,
            slug=INTERNAL_ERROR_SLUG,
            title=INTERNAL_ERROR_TITLE,
            detail=INTERNAL_ERROR_DETAIL,
            instance=request.url.path,
        )
