from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.errors import Forbidden, NotFound
from app.models import Request, RequestStatus
from app.requests import repository
from app.requests.schemas import RequestContact, RequestCreate, RequestOut
from app.search.inputs import resolve_location
from app.search.schemas import MatchCriteria

CREATOR_ROLES = (Role.admin, Role.entrepreneur, Role.partner)


def create_request(session: Session, data: RequestCreate, principal: Principal) -> Request:
    require_request_role(principal)
    if data.criteria.location is not None:
        # Refuse an unknown place now rather than on every later match.
        resolve_location(data.criteria.location, "criteria.location")
    request = Request(
        owner_id=principal.owner,
        title=data.title,
        description=data.description,
        organisation=data.organisation,
        contact_name=data.contact.name if data.contact else None,
        contact_email=data.contact.email if data.contact else None,
        contact_phone=data.contact.phone if data.contact else None,
        criteria=data.criteria.model_dump(mode="json"),
        deadline=data.deadline,
        status=RequestStatus.draft.value,
    )
    session.add(request)
    session.flush()
    return request


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
        created_at=request.created_at,
        updated_at=request.updated_at,
    )
