from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from app.accounts.dependencies import OPTIONAL_AUTH, CurrentPrincipal, OptionalPrincipal
from app.accounts.idempotency import IdempotentRoute
from app.cases import service
from app.cases.schemas import (
    CaseCreate,
    CaseDraft,
    CaseFacets,
    CaseList,
    CaseOut,
    CaseUpdate,
    Confirm,
    Region,
    RevisionList,
    SendBack,
)
from app.common.http import ERROR_RESPONSES, IfMatch, PageParams, no_store, preferred_language
from app.db import DbSession

router = APIRouter(
    prefix="/v1/cases", tags=["cases"], responses=ERROR_RESPONSES, route_class=IdempotentRoute
)

_TEMPLATE = """

A case follows the Interreg Europe good-practice template: *location* is `place`, `country`
and `region` (province, ISO 3166-2); *description* is `summary` and the Markdown `story`, with
`work_kinds`, `companies`, `partners` and `year_started`; *resources needed* is `resources`;
*evidence of success* is `results` in words and the `figures` (target-group jobs, volume,
duration in months); *potential for transfer* is `transfer` and `lessons`; *further
information* is `links` and the `contact`, who is named only with `consent`."""


def _answer(response: Response, case_etag: str, private: bool) -> None:
    response.headers["ETag"] = case_etag
    if private:
        no_store(response)
    else:
        response.headers["Cache-Control"] = "no-cache"


@router.get("", response_model=CaseList, openapi_extra=OPTIONAL_AUTH)
def list_cases(
    session: DbSession,
    principal: OptionalPrincipal,
    page: PageParams,
    request: Request,
    response: Response,
    q: Annotated[str | None, Query(
        min_length=1, max_length=200,
        description="Words to find, in Dutch or English: stemmed (`verpakking` finds "
        "`verpakken`), every word must occur; ranked by relevance (title first).")] = None,
    work_kind: Annotated[list[str] | None, Query(
        max_length=20, description="Kind or group codes; repeat for several (any of).")] = None,
    region: Annotated[list[Region] | None, Query(
        max_length=23, description="Province codes (ISO 3166-2); any of.")] = None,
    year: Annotated[list[Annotated[int, Query(ge=1950, le=2100)]] | None, Query(
        max_length=20, description="Year started; any of.")] = None,
    company: Annotated[uuid.UUID | None, Query(
        description="Cases naming this company (confirmed).")] = None,
    status_filter: Annotated[
        list[Literal["draft", "submitted", "published"]] | None,
        Query(alias="status", max_length=3,
              description="Default published. Other statuses: operators, or with `mine`."),
    ] = None,
    mine: Annotated[bool, Query(
        description="Only cases you may edit (yours, your company's; operators: all).")] = False,
) -> CaseList:
    """Search the cases: published ones for everyone; with `mine=true` the ones you write.

    Text is searched with stemming in Dutch and English (PostgreSQL: a `tsvector` of the
    `dutch` and `english` configurations with a GIN index; SQLite: FTS5 over Snowball stems)
    and ranked: title above summary above story, results and lessons, above names. Without
    `q`, newest published first. Filters combine (all must hold); `facets` count every case
    that matches, per kind of work, group, region and year. An unknown `work_kind` is 422;
    listing unpublished cases of others is 403."""
    lang = preferred_language(request)
    found = service.search(
        session, principal, q=q, work_kinds=work_kind or [], regions=region or [],
        years=year or [], company_id=company, statuses=status_filter, mine=mine,
        limit=page.limit, offset=page.offset,
    )
    if mine or status_filter:
        no_store(response)
    response.headers["Vary"] = "Accept-Language"
    return CaseList(
        items=service.list_items(session, found.items, lang), total=found.total,
        limit=page.limit, offset=page.offset,
        facets=CaseFacets.model_validate(service.facets_out(session, found, lang)),
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CaseOut)
def create_case(
    body: CaseCreate, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> CaseOut:
    """Write a case (a draft): company members, entrepreneurs and operators.

    A company member's own company is always among `company_ids` and counts as confirmed;
    other companies are named publicly only once a member of theirs confirms
    (`POST /v1/cases/{id}/confirm`). Companies an operator names count as confirmed. The
    `place` is geocoded offline (NL, BE). Besides what the schema says, it is refused (422,
    naming the field) when a kind of work is unknown or a group, a company is unknown, the
    place is unknown or ambiguous, `year_started` lies after next year, or `request_id` is not
    a request the writer took part in.""" + _TEMPLATE
    case = service.create_case(session, body, principal)
    response.headers["Location"] = f"/v1/cases/{case.id}"
    _answer(response, service.etag(case), True)
    return service.to_out(session, case, principal, preferred_language(request))


@router.get("/draft-from-request/{request_id}", response_model=CaseDraft)
def draft_from_request(
    request_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, response: Response
) -> CaseDraft:
    """A case form filled in from a call-out, for both sides once its outcome is recorded:
    the request's owner, and each company that answered `interested` or was chosen. The
    title, kinds of work, place, the chosen companies (else the interested ones) and the
    entrepreneur's organisation as partner. Nothing is stored: post it to `POST /v1/cases`
    with `request_id` (the outcome's mail links to the web form that does so)."""
    no_store(response)
    return service.draft_from_request(session, request_id, principal)


@router.get("/{case_id}", response_model=CaseOut, openapi_extra=OPTIONAL_AUTH)
def get_case(
    case_id: uuid.UUID, session: DbSession, principal: OptionalPrincipal, request: Request,
    response: Response,
) -> CaseOut | Response:
    """One case. Published cases are public; a draft or submitted case only for its authors
    (the writer, colleagues of a writing company, operators) and the companies it names,
    404 for anyone else. `story_html` is the Markdown story as sanitised HTML (no raw HTML,
    scripts or styles; only http(s) and mailto links).""" + _TEMPLATE
    case = service.get_visible(session, case_id, principal)
    tag = service.etag(case)
    private = case.status != "published" or service.may_edit(principal, case)
    if request.headers.get("if-none-match") == tag and not private:
        return Response(status_code=304, headers={"ETag": tag})
    _answer(response, tag, private)
    response.headers["Vary"] = "Accept-Language"
    return service.to_out(session, case, principal, preferred_language(request))


@router.patch("/{case_id}", response_model=CaseOut)
def update_case(
    case_id: uuid.UUID, body: CaseUpdate, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response, if_match: IfMatch = None,
) -> CaseOut:
    """Change a case (its authors and operators): only the fields sent; `null` clears.

    Send `If-Match` with the `ETag` of your last read: 428 without it, 412 when it changed
    since. A published case is changed only by operators (409 for its authors: ask to have it
    sent back). Every change is kept as a revision (`GET /v1/cases/{id}/revisions`). The rules
    of `POST /v1/cases` hold for what is sent."""
    case = service.update_case(session, case_id, body, principal, if_match=if_match)
    _answer(response, service.etag(case), True)
    return service.to_out(session, case, principal, preferred_language(request))


@router.post("/{case_id}/submit", response_model=CaseOut)
def submit_case(
    case_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> CaseOut:
    """Offer a draft for publication (its authors). It needs a `summary` and a `story`
    (422 otherwise); submitting again changes nothing; a published case is 409."""
    case = service.submit(session, case_id, principal)
    _answer(response, service.etag(case), True)
    return service.to_out(session, case, principal, preferred_language(request))


@router.post("/{case_id}/publish", response_model=CaseOut)
def publish_case(
    case_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, request: Request,
    response: Response,
) -> CaseOut:
    """Publish a case (operators): everyone can find and read it from now on. Companies that
    have not confirmed stay unnamed. Publishing again changes nothing. Emits
    `case.published`."""
    case = service.publish(session, case_id, principal)
    _answer(response, service.etag(case), True)
    return service.to_out(session, case, principal, preferred_language(request))


@router.post("/{case_id}/send-back", response_model=CaseOut)
def send_back_case(
    case_id: uuid.UUID, body: SendBack, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response,
) -> CaseOut:
    """Send a submitted case back to its authors, or take a published one down (operators):
    it is a draft again, with the operator's `note` for the authors. A draft is 409."""
    case = service.send_back(session, case_id, principal, body.note)
    _answer(response, service.etag(case), True)
    return service.to_out(session, case, principal, preferred_language(request))


@router.post("/{case_id}/confirm", response_model=CaseOut)
def confirm_case(
    case_id: uuid.UUID, body: Confirm, session: DbSession, principal: CurrentPrincipal,
    request: Request, response: Response,
) -> CaseOut:
    """A company named in a case says whether it may be named (its members and keys only;
    operators 403). `named: false` takes the company off the case. A case that does not name
    the caller's company is 404."""
    case = service.confirm(session, case_id, principal, body.named)
    _answer(response, service.etag(case), True)
    return service.to_out(session, case, principal, preferred_language(request))


@router.get("/{case_id}/revisions", response_model=RevisionList)
def case_revisions(
    case_id: uuid.UUID, session: DbSession, principal: CurrentPrincipal, page: PageParams,
    response: Response,
) -> RevisionList:
    """Every change to the case, newest first: who, when, what changed, and the content after
    it (its authors and operators)."""
    no_store(response)
    items, total = service.list_revisions(session, case_id, principal, limit=page.limit,
                                          offset=page.offset)
    return RevisionList(items=items, total=total, limit=page.limit, offset=page.offset)
