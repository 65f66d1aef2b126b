"""Small HTTP helpers shared by the routers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import APIKeyQuery

from app.common.validators import UNSTORABLE_MESSAGE, is_storable
from app.errors import PROBLEM_MEDIA_TYPE, FieldError, Problem, Unprocessable
from app.words.languages import negotiate

_problem = {"content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}

# Documented on every route, so clients (and schemathesis) know every error is problem+json.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, **_problem, "description": description}
    for code, description in {
        400: "Malformed request",
        401: "Missing or invalid API key",
        403: "The key may not do this",
        404: "Not found",
        409: "Conflict",
        412: "Precondition failed",
        413: "Request body too large",
        422: "Invalid request: `errors` names the fields",
        428: "Precondition required",
        429: "Rate limit exceeded: see `Retry-After` and `RateLimit`",
        503: "Database busy or unavailable",
    }.items()
}


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def page_params(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, le=100, description="Page size (max 100).")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page:
    settings = request.app.state.settings
    size = limit if limit is not None else settings.page_size_default
    return Page(limit=min(size, settings.page_size_max), offset=offset)


PageParams = Annotated[Page, Depends(page_params)]


def no_store(response: Response) -> None:
    """Answers carrying personal data must not sit in shared or browser caches."""
    response.headers["Cache-Control"] = "no-store"


IfMatch = Annotated[str | None, Header(description="The ETag of your last read; required.")]


def preferred_language(request: Request) -> str:
    """The served language (app/words/languages.py: nl, en, fr) the caller prefers most by
    `Accept-Language` (nl-BE and vls mean Dutch, fr-BE and wa French); English when none is
    named. Languages we do not serve are skipped, as RFC 9110 content negotiation intends."""
    return negotiate(request.headers.get("accept-language", ""))


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    if isinstance(dependant.call, APIKeyQuery):  # a key or token in the query
        names.add(dependant.call.model.name)
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


_allowed_query: dict[int, frozenset[str]] = {}


async def reject_unknown_query_params(request: Request) -> None:
    """A misspelt filter (`?work_knd=`) would silently widen a search: refuse it instead.
    (async: no I/O, so no trip through the thread pool on every call)"""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed = _allowed_query.get(id(route))
    if allowed is None:
        allowed = _allowed_query.setdefault(id(route), frozenset(_query_names(route.dependant)))
    unknown = sorted(set(request.query_params.keys()) - allowed)
    if unknown:
        raise Unprocessable(
            f"Unknown query parameter: {', '.join(unknown)}",
            errors=[
                FieldError(field=name, location="query", message="unknown query parameter",
                           type="extra_forbidden", code="unknown_field")
                for name in unknown
            ],
        )


# In a JSON body, NUL and surrogates can only arrive as escapes (raw control characters and
# invalid UTF-8 are malformed JSON): a body without any is not parsed a second time.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89abcdefABCDEF])")


def _unstorable_in_json(value: Any, path: tuple[str, ...]) -> list[str]:
    """Dotted paths of the strings (values or keys) the databases could not store."""
    if isinstance(value, str):
        return [] if is_storable(value) else [".".join(path) or "body"]
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not is_storable(key):
                found.append(".".join((*path, key.encode("utf-8", "replace").decode())))
            else:
                found += _unstorable_in_json(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _unstorable_in_json(item, (*path, str(index)))
    return found


async def reject_unstorable_text(request: Request) -> None:
    """Text no database can store (NUL, unpaired surrogates) is refused here, once for every
    route and every field: query, path and JSON body. Left to the database it would be a 500
    on PostgreSQL (and its traceback would hold the statement's other values)."""
    # The path and query are decoded with replacement characters, so only NUL can be there;
    # a glance at the raw bytes spares parsing them on every call.
    suspects: list[tuple[str, list[tuple[str, Any]]]] = []
    if "\x00" in request.scope.get("path", ""):
        suspects.append(("path", list(request.path_params.items())))
    query = request.scope.get("query_string", b"")
    if b"%00" in query or b"\x00" in query:
        suspects.append(("query", request.query_params.multi_items()))
    errors = [
        FieldError(field=name, location=location, message=UNSTORABLE_MESSAGE,
                   type="string_unstorable", code="unstorable_text")
        for location, items in suspects
        for name, value in items
        if isinstance(value, str) and not is_storable(value)
    ]
    body = await request.body()
    if _SUSPECT_ESCAPE.search(body):
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None  # not JSON: the route refuses it (or has no body to store)
        errors += [
            FieldError(field=field, location="body", message=UNSTORABLE_MESSAGE,
                       type="string_unstorable", code="unstorable_text")
            for field in _unstorable_in_json(parsed, ())
        ]
    if errors:
        names = ", ".join(sorted({e.field for e in errors}))
        raise Unprocessable(f"Invalid fields: {names}", errors=errors)
