from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from app.accounts.dependencies import CurrentPrincipal
from app.common.http import ERROR_RESPONSES, PageParams, no_store, preferred_language
from app.common.idempotency import IdempotentRoute
from app.db import DbSession
from app.requests import service
from app.requests.schemas import RequestCreate, RequestList, RequestOut
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
    body: RequestCreate, session: DbSession, principal: CurrentPrincipal, response: Response
) -> RequestOut:
    """Store an entrepreneur's request (entrepreneur and partner keys).

    The criteria are those of `POST /v1/match`; the location is checked now. The request
    belongs to the caller's account: a partner's requests are the partner's, and only it (and
    operators) can read them. Send `Idempotency-Key` to retry safely.
    """
    stored = service.create_request(session, body, principal)
    response.headers["Location"] = f"/v1/requests/{stored.id}"
    no_store(response)
    return service.to_out(stored)


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
    """One of your requests; someone else's is 404, as if it did not exist."""
    no_store(response)
    return service.to_out(service.get_owned_request(session, request_id, principal))


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
