from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.dependencies import CurrentPrincipal
from app.changes import service
from app.changes.schemas import ChangeFeed
from app.common.http import ERROR_RESPONSES
from app.db import DbSession

router = APIRouter(prefix="/v1/changes", tags=["changes"], responses=ERROR_RESPONSES)


# The shape of `since` (the service checks that the date exists and the cursor is ours): an
# RFC 3339 timestamp with an offset, or a cursor (`c1_` and URL-safe base64); empty is absent.
SINCE_PATTERN = (
    r"^(|c1_[A-Za-z0-9_-]{1,96}"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2}))$"
)


@router.get("", response_model=ChangeFeed)
def changes(
    session: DbSession,
    principal: CurrentPrincipal,
    since: Annotated[
        str | None,
        Query(max_length=100, pattern=SINCE_PATTERN,
              description="An RFC 3339 timestamp with an offset (in the years 1900 to 2100), or "
                          "the `next_cursor` of the previous page. Omit for the whole history. "
                          "A date that does not exist, or a cursor that is not one of ours, is "
                          "422."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ChangeFeed:
    """Company profiles changed since a point (partner keys), oldest first.

    Keep `next_cursor` and pass it as `since` next time; `has_more` says whether to ask again
    at once. Each item names a company and its state now: fetch `GET /v1/companies/{id}` for
    active ones and drop the others.
    """
    return service.feed(session, principal, since, limit)
