from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.accounts.dependencies import CurrentPrincipal
from app.accounts.idempotency import IdempotentRoute
from app.common.http import ERROR_RESPONSES, IfMatch, PageParams, no_store, preferred_language
from app.db import DbSession
from app.models import Request as StoredRequest
from app.requests import service
from app.requests.schemas import RequestCreate, RequestList, RequestOut, RequestUpdate
from app.search.answers import match_response
from app.search.schemas import MatchResponse
from app.search.service import search

router = APIRouter(
    prefix="/v1/requests",
    tags=["requests"],
    responses=ERROR_RESPONSES,
    route_class=IdempotentRoute,
)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RequestOut)
def create_request(
    body: RequestCreate,
    session: DbSession,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
) -> RequestOut:
    """Store an entrepreneur's request as a draft (entrepreneur and partner keys).

    The criteria are those of `POST /v1/match` and are checked now as that endpoint checks
    them: unknown kinds of work (`unknown_work_kind`), unknown certifications
    (`unknown_certification`) and an unknown place or postcode (`unknown_location`) are a 422
    whose `errors[].field` points into this body, as is a `deadline` before today
    (`date_in_past`) or more than a year ahead (`date_too_far`). The request belongs to the
    caller's account: a partner's requests are the partner's, and only it (and operators) can
    read them. Send `Idempotency-Key` to retry safely: a second click makes no second draft.
    """
    stored = service.create_request(session, body, principal, request.app.state.settings)
    return _answer(stored, response, location=True)


@router.get("", response_model=RequestList)
def list_requests(
    session: DbSession, principal: CurrentPrincipal, page: PageParams, response: Response
) -> RequestList:
    """Your own requests, newest first (operators see all). Entrepreneur and partner keys."""
    rows, total = service.list_requests(
        session, principal, limit=page.limit, offset=page.offset
    )
    no_store(response)
    return RequestList(
        items=[service.to_out(r) for r in rows], total=total, limit=page.limit,
        offset=page.offset,
    )


@router.get("/{request_id}", response_model=RequestOut)
def get_request(
    request_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, response: Response
) -> RequestOut:
    """One of your requests; someone else's is 404, as if it did not exist. The `ETag` is
    what `PATCH` wants in `If-Match`."""
    return _answer(service.get_owned_request(session, request_id, principal), response)


@router.patch("/{request_id}", response_model=RequestOut)
def update_request(
    request_id: uuid.UUID,
    body: RequestUpdate,
    session: DbSession,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> RequestOut:
    """Change one of your draft requests: only the fields sent change, and `criteria` is
    replaced whole. They are checked as at `POST /v1/requests`.

    Send `If-Match` with the `ETag` of your last read: 428 without it, 412 when the request
    changed since. Once published or closed the request is what the companies were sent:
    409. Someone else's request is 404, as if it did not exist. The answer carries the new
    `ETag`; a body that changes nothing (`{}`) keeps the version.
    """
    updated = service.update_request(
        session, request_id, body, principal, request.app.state.settings, if_match=if_match
    )
    return _answer(updated, response)


def _answer(stored: StoredRequest, response: Response, *, location: bool = False) -> RequestOut:
    if location:
        response.headers["Location"] = f"/v1/requests/{stored.id}"
    response.headers["ETag"] = service.etag(stored)
    no_store(response)
    return service.to_out(stored)


@router.get("/{request_id}/matches", response_model=MatchResponse)
def request_matches(
    request_id: uuid.UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
) -> MatchResponse:
    """Ranked companies for one of your stored requests, computed now from the current
    profiles."""
    stored = service.get_owned_request(session, request_id, principal)
    lang = preferred_language(request)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    result = search(
        session, request.app.state.catalogue_cache, request.app.state.settings,
        service.criteria_of(stored), field="criteria",
    )
    return match_response(result, lang)
