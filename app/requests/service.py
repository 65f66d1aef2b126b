from __future__ import annotations

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pydantic import MISSING
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.principal import Principal, Role
from app.common.versions import check_if_match, etag_of
from app.config import Settings
from app.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    PreconditionFailed,
    UnknownLocationError,
    Unprocessable,
    field_error,
)
from app.insights import service as insights
from app.models import Request, RequestStatus, utcnow
from app.requests import repository
from app.requests.schemas import RequestContact, RequestCreate, RequestOut, RequestUpdate
from app.search.inputs import resolve_location
from app.search.schemas import MatchCriteria

CREATOR_ROLES = (Role.admin, Role.entrepreneur, Role.partner)
# A call-out open for longer than a year is no call-out; the bound also keeps the deadline far
# from the end of the calendar, where date arithmetic overflows.
MAX_DEADLINE_AHEAD = timedelta(days=366)


def create_request(
    session: Session, data: RequestCreate, principal: Principal, settings: Settings
) -> Request:
    require_request_role(principal)
    # Refuse now what every later match or publish would refuse.
    check_request(session, data.criteria, data.deadline, local_today(settings))
    request = Request(owner_id=principal.owner, status=RequestStatus.draft.value)
    _apply(request, data, set(RequestCreate.model_fields))
    session.add(request)
    session.flush()
    insights.record_request(session, settings, request)
    return request


def update_request(
    session: Session,
    request_id: uuid.UUID,
    data: RequestUpdate,
    principal: Principal,
    settings: Settings,
    *,
    if_match: str | None,
) -> Request:
    """Change a draft; a published or closed request has been sent to companies as it is."""
    request = get_owned_request(session, request_id, principal)
    check_if_match(if_match, etag(request), "request")
    if request.status != RequestStatus.draft.value:
        raise Conflict(f"This request is {request.status}; only a draft can be changed.")
    fields = data.model_fields_set
    check_request(
        session,
        None if data.criteria is MISSING else data.criteria,
        data.deadline if "deadline" in fields else None,
        local_today(settings),
    )
    _apply(request, data, fields)
    try:
        # The version column makes this UPDATE conditional: a change (or a publish) committed
        # since our read makes it match no row.
        session.flush()
    except StaleDataError:
        raise PreconditionFailed(
            "The request changed since you read it: fetch it again and reapply your change."
        ) from None
    return request


def _apply(request: Request, data: RequestCreate | RequestUpdate, fields: set[str]) -> None:
    for name in ("title", "description", "organisation", "deadline"):
        if name in fields:
            setattr(request, name, getattr(data, name))
    if "contact" in fields:
        contact = data.contact
        request.contact_name = contact.name if contact else None
        request.contact_email = contact.email if contact else None
        request.contact_phone = contact.phone if contact else None
    if "criteria" in fields and data.criteria is not MISSING:
        request.criteria = data.criteria.model_dump(mode="json")


def local_today(settings: Settings) -> date:
    """Today where the call-outs run: a deadline of today is still open."""
    return utcnow().astimezone(ZoneInfo(settings.callout_timezone)).date()


def check_request(
    session: Session, criteria: MatchCriteria | None, deadline: date | None, today: date
) -> None:
    """What `POST /v1/match` refuses in criteria, with the same codes and words, and a
    deadline before `today`: all of it in one 422, each error at its field in the body."""
    errors: list[FieldError] = []
    location_error: UnknownLocationError | None = None
    if criteria is not None:
        known_kinds = repository.known_work_kinds(session, criteria.work_kinds)
        errors += [
            field_error(f"criteria.work_kinds.{i}", f"unknown work kind '{code}'",
                        "unknown_work_kind", value=code)
            for i, code in enumerate(criteria.work_kinds) if code not in known_kinds
        ]
        if criteria.location is not None:
            try:
                resolve_location(criteria.location, "criteria.location")
            except UnknownLocationError as exc:
                location_error = exc
                errors += exc.errors or []
        asked = [*criteria.required_certifications, *criteria.preferred_certifications]
        known_certifications = repository.known_certifications(session, asked)
        errors += [
            field_error(f"criteria.{name}.{i}", f"unknown certification '{code}'",
                        "unknown_certification", value=code)
            for name in ("required_certifications", "preferred_certifications")
            for i, code in enumerate(getattr(criteria, name))
            if code not in known_certifications
        ]
    if deadline is not None and deadline < today:
        errors.append(field_error("deadline", "lies in the past", "date_in_past"))
    elif deadline is not None and deadline > today + MAX_DEADLINE_AHEAD:
        errors.append(field_error("deadline", "lies more than a year ahead", "date_too_far",
                                  latest=(today + MAX_DEADLINE_AHEAD).isoformat()))
    if location_error is not None and errors == location_error.errors:
        raise location_error  # the same problem as `POST /v1/match` gives
    if errors:
        names = ", ".join(dict.fromkeys(e.field for e in errors))
        raise Unprocessable(f"Invalid fields: {names}", errors=errors)


def require_request_role(principal: Principal) -> None:
    if not principal.has_role(*CREATOR_ROLES):
        raise Forbidden("Requests are for entrepreneurs and partners.")


def get_owned_request(session: Session, request_id: uuid.UUID, principal: Principal) -> Request:
    require_request_role(principal)
    request = repository.get_request(session, request_id)
    # Someone else's request looks exactly like a missing one.
    if request is None or not (principal.is_admin or request.owner_id == principal.owner):
        raise NotFound(f"Request {request_id} does not exist.")
    return request


def list_requests(
    session: Session, principal: Principal, *, limit: int, offset: int
) -> tuple[list[Request], int]:
    require_request_role(principal)
    owner = None if principal.is_admin else principal.owner
    return repository.list_requests(session, owner, limit=limit, offset=offset)


def etag(request: Request) -> str:
    return etag_of(request.version)


def criteria_of(request: Request) -> MatchCriteria:
    return MatchCriteria.model_validate(request.criteria)


def to_out(request: Request) -> RequestOut:
    contact = (
        RequestContact.model_construct(
            name=request.contact_name, email=request.contact_email, phone=request.contact_phone
        )
        if request.contact_name
        else None
    )
    return RequestOut(
        id=request.id,
        title=request.title,
        description=request.description,
        organisation=request.organisation,
        contact=contact,
        criteria=criteria_of(request),
        deadline=request.deadline,
        status=request.status,
        version=request.version,
        created_at=request.created_at,
        updated_at=request.updated_at,
    )
