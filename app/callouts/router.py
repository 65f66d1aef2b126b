from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, Security
from fastapi.security import APIKeyQuery

from app.accounts.dependencies import CurrentPrincipal, OptionalPrincipal
from app.callouts import service, standing
from app.callouts.schemas import (
    InvitationAnswer,
    InvitationList,
    InvitationOut,
    OutcomeIn,
    PublishResult,
    ResponsesOut,
    WidenIn,
    WidenOut,
)
from app.common.http import ERROR_RESPONSES, PageParams, no_store, preferred_language
from app.db import DbSession

router = APIRouter(tags=["call-outs"], responses=ERROR_RESPONSES)

# The other way in, declared as a security scheme so the OpenAPI document says these
# endpoints take a bearer key or the link's token (either will do).
answer_link = APIKeyQuery(
    name="token",
    scheme_name="AnswerLink",
    auto_error=False,
    description="The signed, single-use answer link from the invitation email "
    "(`?token=...`), for a company's contact person without an API key. Text no database "
    "can store (NUL, unpaired surrogates) is refused with 422 (`unstorable_text`) before the "
    "token is read, as in every parameter.",
)
Token = Annotated[str | None, Security(answer_link)]


@router.post("/v1/requests/{request_id}/publish", response_model=PublishResult)
def publish(
    request_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> PublishResult:
    """The call-out: invite every company that fits (its owner only).

    Runs the match now and invites the best `LOKET_CALLOUT_MAX_INVITATIONS` companies scoring
    at least `LOKET_CALLOUT_MIN_SCORE`; each is emailed a single-use answer link. Companies
    answer until the request's `deadline`, or 10 working days from today when it has none.
    Publishing again invites nobody twice and gives the same answer (`newly_invited` 0).
    """
    no_store(response)
    return service.publish(
        session, request.app.state.catalogue_cache, request.app.state.settings, request_id,
        principal, lang=preferred_language(request),
    )


@router.get("/v1/requests/{request_id}/responses", response_model=ResponsesOut)
def responses(
    request_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, response: Response
) -> ResponsesOut:
    """Who was invited and how they answered (its owner only). A company's email, phone and
    contact persons appear only once it answered `interested`."""
    no_store(response)
    return service.responses(session, request_id, principal)


@router.post("/v1/requests/{request_id}/close", response_model=ResponsesOut)
def close(
    request_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> ResponsesOut:
    """Close the call-out now (it also closes by itself after its deadline). Unanswered
    invitations expire. Closing again changes nothing."""
    no_store(response)
    return service.close(session, request_id, principal, request.app.state.settings)


@router.post("/v1/requests/{request_id}/outcome", response_model=ResponsesOut)
def outcome(
    request_id: uuid.UUID, body: OutcomeIn, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response,
) -> ResponsesOut:
    """Record which invited companies you went on with (replaces an earlier record). A
    company this call-out did not invite is refused (422 on `company_ids.N`).

    The first time, both sides are mailed an invitation to write the collaboration up as a
    case, with a link to the case form filled in from this request
    (`GET /v1/cases/draft-from-request/{request_id}`): you, and the companies you chose (or,
    if you chose none, those that were interested)."""
    no_store(response)
    return service.record_outcome(session, request_id, body, principal,
                                  request.app.state.settings)


@router.get("/v1/invitations", response_model=InvitationList)
def list_invitations(
    session: DbSession,
    principal: CurrentPrincipal,
    page: PageParams,
    status: Annotated[
        Literal["pending", "interested", "declined", "expired"] | None, Query()
    ] = None,
) -> InvitationList:
    """Your company's invitations, newest first (company keys; operators see all)."""
    items, total = service.list_invitations(
        session, principal, status, limit=page.limit, offset=page.offset
    )
    return InvitationList(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/v1/invitations/{invitation_id}", response_model=InvitationOut)
def get_invitation(
    invitation_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal,
    request: Request, response: Response, token: Token,
) -> InvitationOut:
    """One invitation: with the company's key, or with the emailed link's `token`."""
    no_store(response)
    invitation = service.get_invitation(
        session, invitation_id, principal, token, request.app.state.settings
    )
    return service.invitation_out(session, invitation)


@router.get("/v1/invitations/{invitation_id}/response", response_model=InvitationOut)
def read_answer(
    invitation_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal,
    request: Request, response: Response, token: Token,
) -> InvitationOut:
    """Where the emailed link lands: the invitation and its current answer (the link is not
    used up by reading)."""
    no_store(response)
    invitation = service.get_invitation(
        session, invitation_id, principal, token, request.app.state.settings
    )
    return service.invitation_out(session, invitation)


@router.post("/v1/invitations/{invitation_id}/response", response_model=InvitationOut)
def give_answer(
    invitation_id: uuid.UUID, body: InvitationAnswer, session: DbSession,
    principal: OptionalPrincipal, request: Request, response: Response, token: Token,
) -> InvitationOut:
    """Answer `interested` or `declined`, with a message, the capacity offered and the earliest
    start. With a company key the answer can be changed until the call-out closes; the emailed
    link (`?token=`) answers once. A closed call-out gives 409, a used link 410, a bad or
    expired link 403."""
    no_store(response)
    settings = request.app.state.settings
    invitation = service.get_invitation(
        session, invitation_id, principal, token, settings, to_answer=True
    )
    return service.answer(session, settings, invitation, body, via_link=token is not None,
                          token=token)


@router.post("/v1/requests/{request_id}/widen", response_model=WidenOut)
def widen(
    request_id: uuid.UUID, body: WidenIn, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response,
    dry_run: Annotated[bool, Query(description="true: only show who would be added.")] = False,
) -> WidenOut:
    """Widen an open call-out (its owner only): a larger `max_distance_km` (or `null` for no
    limit) and/or a group instead of a kind (`work_kinds` must keep every asked kind, or its
    group). With `?dry_run=true` the answer lists who would be added, with the reasons, and
    nothing changes; without it the wider criteria are stored and those companies are invited
    (`invitation.created` with `source` `widen`) and the entrepreneur is mailed. A change that
    would narrow the call-out gives 422 (`not_wider`); a closed or unpublished one 409."""
    no_store(response)
    return standing.widen(
        session, request.app.state.catalogue_cache, request.app.state.settings, request_id,
        body, principal, dry_run=dry_run, lang=preferred_language(request),
    )
