"""Saved searches (`/v1/saved-searches`) and the one-click unsubscribe of their alert mails
(`/v1/unsubscribe`, RFC 8058)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.accounts.dependencies import CurrentPrincipal
from app.accounts.idempotency import IdempotentRoute
from app.alerts import service
from app.alerts.schemas import (
    SavedSearchIn,
    SavedSearchList,
    SavedSearchOut,
    SavedSearchUpdate,
    Unsubscribed,
)
from app.common.http import ERROR_RESPONSES, PageParams, no_store
from app.db import DbSession

router = APIRouter(tags=["saved searches"], responses=ERROR_RESPONSES,
                   route_class=IdempotentRoute)

UnsubscribeToken = Annotated[str, Query(
    min_length=1, max_length=200,
    description="The signed token of the alert mail's unsubscribe link.",
)]


@router.post("/v1/saved-searches", status_code=status.HTTP_201_CREATED,
             response_model=SavedSearchOut)
def create_saved_search(
    body: SavedSearchIn, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> SavedSearchOut:
    """Save criteria (those of `POST /v1/match`) to be alerted when new companies fit.

    A signed-in person is alerted by mail (`instant`, `daily` or `weekly`, at 08:00
    Europe/Amsterdam; weekly on Mondays); a partner key by the signed webhook event
    `alert.matched` (subscribe to it with `POST /v1/webhooks`). An alert lists only companies
    not shown before (those fitting now count as shown), each with the reasons it fits. Every
    mail carries a one-click unsubscribe link (RFC 8058). Other keys get 403. Unknown kinds of
    work, certifications or places are a 422 naming the field, as in `POST /v1/match`."""
    no_store(response)
    saved = service.create(session, request.app.state.catalogue_cache,
                           request.app.state.settings, body, principal)
    return service.to_out(saved)


@router.get("/v1/saved-searches", response_model=SavedSearchList)
def list_saved_searches(
    session: DbSession, principal: CurrentPrincipal, page: PageParams, response: Response
) -> SavedSearchList:
    """Your saved searches, newest first."""
    no_store(response)
    rows, total = service.list_owned(session, principal, limit=page.limit, offset=page.offset)
    return SavedSearchList(items=[service.to_out(r) for r in rows], total=total,
                           limit=page.limit, offset=page.offset)


@router.get("/v1/saved-searches/{saved_search_id}", response_model=SavedSearchOut)
def get_saved_search(
    saved_search_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal,
    response: Response,
) -> SavedSearchOut:
    """One of your saved searches (another's is 404)."""
    no_store(response)
    return service.to_out(service.get_owned(session, saved_search_id, principal))


@router.patch("/v1/saved-searches/{saved_search_id}", response_model=SavedSearchOut)
def update_saved_search(
    saved_search_id: uuid.UUID, body: SavedSearchUpdate, session: DbSession,
    principal: CurrentPrincipal, request: Request, response: Response,
) -> SavedSearchOut:
    """Rename it, change its criteria or frequency, or stop (`active: false`) and resume its
    alerts. New criteria start afresh: what fits them now counts as shown."""
    no_store(response)
    saved = service.update(session, request.app.state.catalogue_cache,
                           request.app.state.settings, saved_search_id, body, principal)
    return service.to_out(saved)


@router.delete("/v1/saved-searches/{saved_search_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_saved_search(
    saved_search_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal
) -> Response:
    """Delete one of your saved searches; no alert follows."""
    service.delete(session, saved_search_id, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/unsubscribe", response_model=Unsubscribed)
def check_unsubscribe(
    token: UnsubscribeToken, session: DbSession, request: Request, response: Response
) -> Unsubscribed:
    """What the unsubscribe link would do, changing nothing: `unsubscribed` (it would stop
    the alerts of the search named) or `already_unsubscribed`. A link that is not ours: 403."""
    no_store(response)
    return service.check_token(session, request.app.state.settings, token)


@router.post("/v1/unsubscribe", response_model=Unsubscribed)
def unsubscribe(
    token: UnsubscribeToken, session: DbSession, request: Request, response: Response
) -> Unsubscribed:
    """One-click unsubscribe (RFC 8058): stops the alerts of the saved search the signed
    `token` names. No key, cookie or CSRF token is needed: the token is the proof. A mail
    client may POST `List-Unsubscribe=One-Click` as the body (ignored). The first use answers
    `unsubscribed`, any later one `already_unsubscribed` (200, not an error); a link that is
    not ours is 403."""
    no_store(response)
    return service.unsubscribe(session, request.app.state.settings, token)


@router.post("/unsubscribe", response_model=Unsubscribed, include_in_schema=False)
def one_click_unsubscribe(
    token: UnsubscribeToken, session: DbSession, request: Request, response: Response
) -> Unsubscribed:
    """The mail's List-Unsubscribe address takes the one-click POST too (its GET is the
    confirm page)."""
    no_store(response)
    return service.unsubscribe(session, request.app.state.settings, token)
