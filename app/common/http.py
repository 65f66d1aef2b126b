"""Small HTTP helpers shared by the routers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response

from app.errors import PROBLEM_MEDIA_TYPE, Problem

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


def preferred_language(request: Request) -> str:
    """'nl' when the caller prefers Dutch (nl, nl-NL, nl-BE, vls), else 'en'."""
    header = request.headers.get("accept-language", "")
    best_lang, best_q = "en", -1.0
    for position, part in enumerate(header.split(",")[:20]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # Earlier entries win ties, as RFC 9110 intends.
        q -= position * 1e-6
        lang = "nl" if tag.split("-")[0] in {"nl", "vls"} else "en" if tag else None
        if lang and tag != "*" and q > best_q:
            best_lang, best_q = lang, q
    return best_lang
