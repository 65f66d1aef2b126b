from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts.dependencies import CurrentPrincipal
from app.changes import service
from app.changes.schemas import ChangeFeed, RelationFeed
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


@router.get("/relations", response_model=RelationFeed)
def relation_changes(
    session: DbSession,
    principal: CurrentPrincipal,
    after: Annotated[int, Query(ge=0, le=2**31 - 1,
                                description="The `next_after` of the previous page; 0 (or "
                                            "omitted) for the whole history.")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> RelationFeed:
    """Organisations, partnerships and local networks changed after a point (partner keys),
    oldest first.

    Keep `next_after` and pass it as `after` next time; `has_more` says whether to ask again
    at once. Each item names its subject and its state now: fetch
    `GET /v1/organisations/{id}`, `/v1/partnerships/{id}` or `/v1/networks/{id}` for active
    ones and drop the others. Partnerships appear when both sides have confirmed them (and
    when a public one ends), never while only proposed.
    """
    return service.relations_feed(session, principal, after, limit)
