"""Call-out rules: who is invited, who may answer and until when, what the entrepreneur sees.

Answers: one per invitation; a company may change it (interested <-> declined, message,
capacity, start) until the call-out closes, each change notifying the entrepreneur again.
An emailed answer link works once; after that the company answers with an API key.
"""

from __future__ import annotations

import secrets
import uuid
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.callouts import repository
from app.callouts.deadlines import add_working_days, end_of_day
from app.callouts.schemas import (
    ContactOut,
    InvitationAnswer,
    InvitationOut,
    InvitationRequest,
    OutcomeIn,
    PublishResult,
    ResponseCompany,
    ResponseOut,
    ResponsesOut,
)
from app.callouts.tokens import BadToken, make_token, read_token
from app.config import Settings
from app.errors import Conflict, DomainError, Forbidden, NotFound, Unprocessable, field_error
from app.insights import service as insights
from app.matching.procurement import Coverage, Obligation
from app.matching.procurement_words import coverage_sentence, euros, obligation_sentence
from app.matching.types import Match
from app.models import (
    AnswerLink,
    Callout,
    Company,
    Invitation,
    InvitationStatus,
    Request,
    RequestStatus,
    Site,
    User,
    UserRole,
    WorkKind,
    utcnow,
)
from app.notifications.outbox import emit_event, queue_email
from app.requests.service import criteria_of, get_owned_request
from app.search.catalogue import CatalogueCache
from app.search.inputs import resolve_location
from app.search.schemas import MatchCriteria
from app.search.service import Found, cover_for, obligation_for, search
from app.words.languages import label_in, language_or_default


class LinkUsed(DomainError):
    status, slug, title = 410, "link-used", "This answer link was used already"


class BadLink(DomainError):
    status, slug, title = 403, "bad-link", "This answer link is not valid"


def request_owner(request: Request) -> uuid.UUID | None:
    """The account that owns a request (owner_id once accounts exist, else the key id)."""
    owner = getattr(request, "owner_id", None) or getattr(request, "owner_key_id", None)
    return owner if isinstance(owner, uuid.UUID) else None


# --- publish -------------------------------------------------------------------------------


def publish(
    session: Session, cache: CatalogueCache, settings: Settings, request_id: uuid.UUID,
    principal: Principal, *, lang: str,
) -> PublishResult:
    request = get_owned_request(session, request_id, principal)
    callout = repository.get_callout(session, request.id)
    if callout is not None:
        # Published before: the same answer, nobody invited twice.
        return _publish_result(request, callout, len(repository.invited_company_ids(
            session, request.id)), 0)
    if request.status == RequestStatus.closed.value:
        raise Conflict("This request is closed.")
    now = utcnow()
    today = now.astimezone(ZoneInfo(settings.callout_timezone)).date()
    if request.deadline is not None:
        if request.deadline < today:
            raise Unprocessable(
                "The request's deadline has passed; set a later one before publishing.",
                errors=[field_error("deadline", "lies in the past", code="date_in_past")],
            )
        respond_by = request.deadline
    else:
        respond_by = add_working_days(
            today, settings.callout_response_working_days, settings.callout_holidays
        )
    criteria = criteria_of(request).model_copy(update={"limit": settings.callout_max_invitations})
    result = search(session, cache, settings, criteria, field="criteria")
    fitting = [f for f in result.found if f.match.score >= settings.callout_min_score]

    callout = Callout(
        request_id=request.id,
        published_at=now,
        respond_by=respond_by,
        closes_at=end_of_day(respond_by, settings.callout_timezone),
        language=language_or_default(lang),
    )
    session.add(callout)
    already = repository.invited_company_ids(session, request.id)
    invitations: list[Invitation] = []
    for rank, f in enumerate(fitting, start=1):
        if f.card.company_id in already:
            continue
        invitation = new_invitation(request, f, rank, now, source="publish")
        session.add(invitation)
        invitations.append(invitation)
    request.status = RequestStatus.published.value
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("This request is being published by another call; try again.") from None
    insights.record_request(session, settings, request, "callout", now)

    emit_event(session, "request.published", {
        "request_id": str(request.id), "title": request.title,
        "respond_by": respond_by.isoformat(), "invited": len(invitations),
    }, owner_ids=[request_owner(request)], occurred_at=now)
    companies = repository.companies_with_contacts(session, [i.company_id for i in invitations])
    matches = {f.card.company_id: f.match for f in fitting}
    for invitation in invitations:
        announce_invitation(session, settings, request, callout, invitation,
                            companies[invitation.company_id], now=now,
                            match=matches.get(invitation.company_id))
    session.flush()
    return _publish_result(request, callout, len(already) + len(invitations), len(invitations))


def new_invitation(
    request: Request, found: Found, rank: int, now: datetime, *, source: str
) -> Invitation:
    return Invitation(
        id=uuid.uuid4(), request_id=request.id, company_id=found.card.company_id,
        status=InvitationStatus.pending.value, rank=rank, score=found.match.score,
        distance_km=found.match.distance_km, created_at=now, link_nonce=secrets.token_hex(8),
        chosen=False, source=source,
    )


def announce_invitation(
    session: Session, settings: Settings, request: Request, callout: Callout,
    invitation: Invitation, company: Company, *, now: datetime, match: Match | None = None,
) -> None:
    """`invitation.created` for the request's owner, and the company's mail. A late one
    (`source` not `publish`) says so, for partners who track who was invited when. `match`
    (the company's match that invited it) gives the mail its social-return estimate."""
    late = invitation.source != "publish"
    emit_event(session, "invitation.created", {
        "invitation_id": str(invitation.id), "request_id": str(request.id),
        "company_id": str(company.id), "company_name": company.name,
        "respond_by": callout.respond_by.isoformat(),
        **({"late": True, "source": invitation.source} if late else {}),
    }, owner_ids=[request_owner(request)], occurred_at=now)
    criteria = criteria_of(request)
    obliged = obligation_for(criteria)
    cover = (None if obliged is None or match is None
             else cover_for(obliged, match, criteria.workers_needed))
    _mail_invitation(session, settings, request, callout, invitation, company,
                     obliged=obliged, cover=cover)


def _publish_result(
    request: Request, callout: Callout, invited: int, new: int
) -> PublishResult:
    return PublishResult(
        request_id=request.id, status=request.status,
        published_at=callout.published_at, respond_by=callout.respond_by, invited=invited,
        newly_invited=new,
    )


def answer_link(
    settings: Settings, invitation: Invitation, callout: Callout, nonce: str | None = None
) -> tuple[str, datetime]:
    """The API link of an answer token (the invitation's own, or one contact's `nonce`)."""
    token, expires = _answer_token(settings, invitation, callout, nonce)
    base = settings.public_base_url.rstrip("/")
    return f"{base}/v1/invitations/{invitation.id}/response?token={token}", expires


def _answer_token(
    settings: Settings, invitation: Invitation, callout: Callout, nonce: str | None
) -> tuple[str, datetime]:
    expires = min(callout.closes_at, utcnow() + timedelta(days=settings.answer_link_days))
    token = make_token(settings.secret_key, invitation.id, nonce or invitation.link_nonce,
                       expires)
    return token, expires


def _contact_link(
    session: Session, settings: Settings, invitation: Invitation, callout: Callout
) -> tuple[str, datetime]:
    """A new answer link of one contact person's own: using it uses up no other."""
    link = AnswerLink(id=uuid.uuid4(), invitation_id=invitation.id,
                      nonce=secrets.token_hex(12), created_at=utcnow())
    session.add(link)
    token, expires = _answer_token(settings, invitation, callout, link.nonce)
    base = settings.public_base_url.rstrip("/")
    return f"{base}/answer?token={token}&invitation={invitation.id}", expires


def _mail_procurement(
    obliged: Obligation | None, cover: Coverage | None, lang: str
) -> dict[str, object] | None:
    """What the call-out mail says of social return: the amount at stake and this company's
    estimate, as sentences in the mail's language."""
    if obliged is None:
        return None
    return {
        "at_stake": euros(obliged.amount_eur, lang),
        "sentence": obligation_sentence(obliged, lang),
        "could_cover": None if cover is None else coverage_sentence(cover, obliged, lang),
    }


def _mail_invitation(
    session: Session, settings: Settings, request: Request, callout: Callout,
    invitation: Invitation, company: Company, *, obliged: Obligation | None = None,
    cover: Coverage | None = None,
) -> None:
    recipients = [c.email for c in company.contacts if c.email] or (
        [company.email] if company.email else []
    )
    if not recipients:
        return
    criteria = request.criteria or {}
    context = {
        "company_name": company.name, "organisation": request.organisation,
        "title": request.title, "description": request.description,
        "work_kinds": _kind_labels(session, criteria.get("work_kinds", []),
                                   settings.email_language),
        "workers_needed": criteria.get("workers_needed"),
        "start_date": criteria.get("start_date"),
        "respond_by": callout.respond_by.isoformat(),
        "invitation_id": str(invitation.id),
        "sign_in_url": f"{settings.public_base_url.rstrip('/')}/sign-in",
        "reserved_contract": bool(criteria.get("reserved_contract")),
    }
    company_language = _company_language(session, company.id, settings.email_language)
    # Each contact person gets a link of their own: one colleague answering does not make the
    # link of another "used".
    for to in dict.fromkeys(recipients):
        url, expires = _contact_link(session, settings, invitation, callout)
        lang = _language_of(session, to, company_language)
        queue_email(session, to, "invitation", lang, {
            **context, "answer_url": url,
            "work_kinds": _kind_labels(session, criteria.get("work_kinds", []), lang),
            "link_expires": expires.strftime("%Y-%m-%d %H:%M UTC"),
            "social_return": _mail_procurement(obliged, cover, lang),
        }, event_type="invitation.created")


def _company_language(session: Session, company_id: uuid.UUID, default: str) -> str:
    """French for a company whose main site lies in Wallonia (Belgian postcodes 1300-1499 and
    4000-7999; the German-speaking east reads French mail too), else `default`
    (LOKET_EMAIL_LANGUAGE): the language its contacts without an account are written in."""
    site = session.execute(
        select(Site.country, Site.postcode).where(Site.company_id == company_id)
        .order_by(Site.position).limit(1)
    ).first()
    digits = (site.postcode or "").strip()[:4] if site is not None else ""
    if site is not None and site.country == "BE" and len(digits) == 4 and digits.isdigit():
        code = int(digits)
        if 1300 <= code <= 1499 or 4000 <= code <= 7999:
            return "fr"
    return default


def _language_of(session: Session, email: str, default: str) -> str:
    """The language a contact person chose for their account (a French-speaking ETA's member
    reads French); `default` (the company's language) for an address without an account."""
    language = session.scalar(select(User.language).where(User.email == email))
    return language_or_default(language, default)


def _kind_labels(session: Session, codes: list[str], lang: str) -> str:
    kinds = {k.code: k for k in session.scalars(select(WorkKind).where(WorkKind.code.in_(codes)))}
    return ", ".join(
        label_in(lang, kinds[c].label_nl, kinds[c].label_en, kinds[c].label_fr)
        if c in kinds else c
        for c in codes
    )


# --- invitations (company side) -----------------------------------------------------------


def list_invitations(
    session: Session, principal: Principal, status: str | None, *, limit: int, offset: int
) -> tuple[list[InvitationOut], int]:
    if principal.role is Role.company and principal.company_id is not None:
        company_id: uuid.UUID | None = principal.company_id
    elif principal.is_admin:
        company_id = None
    else:
        raise Forbidden("Invitations are for company keys.")
    rows, total = repository.list_invitations(
        session, company_id, status, limit=limit, offset=offset
    )
    return invitations_out(session, rows), total


def invitations_out(session: Session, rows: list[Invitation]) -> list[InvitationOut]:
    ids = {r.request_id for r in rows}
    requests = repository.requests_by_id(session, ids)
    callouts = repository.callouts_by_id(session, ids)
    now = utcnow()
    return [_invitation_out(r, requests[r.request_id], callouts[r.request_id], now) for r in rows]


def _invitation_out(
    invitation: Invitation, request: Request, callout: Callout, now: datetime
) -> InvitationOut:
    criteria = criteria_of(request)
    return InvitationOut(
        id=invitation.id,
        company_id=invitation.company_id,
        status=invitation.status,
        state=invitation_state(invitation, callout, now),
        respond_by=callout.respond_by,
        open=_is_open(callout, invitation, now),
        score=invitation.score,
        distance_km=invitation.distance_km,
        created_at=invitation.created_at,
        answered_at=invitation.answered_at,
        message=invitation.message,
        capacity_offered=invitation.capacity_offered,
        earliest_start=invitation.earliest_start,
        request=InvitationRequest(
            id=request.id, title=request.title, description=request.description,
            organisation=request.organisation, work_kinds=list(criteria.work_kinds),
            workers_needed=criteria.workers_needed, start_date=criteria.start_date,
            location=_location_of(criteria),
            max_distance_km=criteria.max_distance_km, deadline=request.deadline,
            required_certifications=list(criteria.required_certifications),
            preferred_certifications=list(criteria.preferred_certifications),
            reserved_contract=criteria.reserved_contract,
            social_return_at_stake_eur=_at_stake(criteria),
        ),
    )


def _at_stake(criteria: MatchCriteria) -> float | None:
    """The obligation's amount, when the request states one."""
    obliged = obligation_for(criteria)
    return None if obliged is None else obliged.amount_eur


def _location_of(criteria: MatchCriteria) -> dict[str, object] | None:
    """The asked location, with the point searched from when it can be found."""
    if criteria.location is None:
        return None
    location: dict[str, object] = criteria.location.model_dump(mode="json", exclude_none=True)
    try:
        point = resolve_location(criteria.location, "criteria.location")
    except DomainError:
        return location
    location.setdefault("lat", point.lat)
    location.setdefault("lon", point.lon)
    return location


def invitation_state(invitation: Invitation, callout: Callout, now: datetime) -> str:
    if invitation.status != InvitationStatus.pending.value:
        return invitation.status
    if callout.closed_at is not None or now >= callout.closes_at:
        return "closed"
    return "viewed" if invitation.viewed_at is not None else "pending"


def _is_open(callout: Callout, invitation: Invitation, now: datetime) -> bool:
    return (
        callout.closed_at is None
        and now < callout.closes_at
        and invitation.status != InvitationStatus.expired.value
    )


def get_invitation(
    session: Session, invitation_id: uuid.UUID, principal: Principal | None,
    token: str | None, settings: Settings, *, to_answer: bool = False,
) -> Invitation:
    """The invitation, for its company's key or a genuine answer link (not yet used).

    A link is single-use: to answer through it, its invitation row is locked until the call
    commits, so of two answers through one link at once the second waits and then finds the
    link used (on SQLite, write transactions are serialized anyway)."""
    invitation = session.get(
        Invitation, invitation_id, with_for_update=to_answer and token is not None
    )
    if token is not None:
        try:
            claims = read_token(settings.secret_key, token)
        except BadToken as exc:
            raise BadLink(f"The answer link is not valid: {exc}.") from None
        if invitation is None or claims.invitation_id != invitation.id:
            raise BadLink("The answer link is not valid for this invitation.")
        if _link_used(session, invitation, claims.nonce):
            raise LinkUsed("This link was used already; sign in to answer, or use your API "
                           "key.")
        _viewed(invitation)
        return invitation
    if principal is None:
        raise Forbidden("Answer with a company API key or the link from the invitation email.")
    if invitation is None or not principal.may_manage_company(invitation.company_id):
        raise NotFound(f"Invitation {invitation_id} does not exist.")
    if not principal.is_admin:
        _viewed(invitation)
    return invitation


def _link_used(session: Session, invitation: Invitation, nonce: str) -> bool:
    """Used, or never issued: a contact's own link, or the invitation's single one."""
    if nonce == invitation.link_nonce:
        return invitation.link_used_at is not None
    link = repository.answer_link(session, invitation.id, nonce)
    return link is None or link.used_at is not None


def _use_link(session: Session, settings: Settings, invitation: Invitation, token: str,
              now: datetime) -> None:
    nonce = read_token(settings.secret_key, token).nonce
    if nonce == invitation.link_nonce:
        invitation.link_used_at = now
        return
    link = repository.answer_link(session, invitation.id, nonce)
    if link is not None:
        link.used_at = now


def _viewed(invitation: Invitation) -> None:
    """The company has seen the invitation (state `viewed` until it answers)."""
    if invitation.viewed_at is None:
        invitation.viewed_at = utcnow()


def invitation_out(session: Session, invitation: Invitation) -> InvitationOut:
    return invitations_out(session, [invitation])[0]


def answer(
    session: Session, settings: Settings, invitation: Invitation, data: InvitationAnswer,
    *, via_link: bool, token: str | None = None,
) -> InvitationOut:
    callout = repository.get_callout(session, invitation.request_id)
    request = session.get(Request, invitation.request_id)
    assert callout is not None and request is not None
    now = utcnow()
    if not _is_open(callout, invitation, now):
        raise Conflict("This call-out is closed; answers can no longer be given or changed.")
    invitation.status = data.status
    invitation.message = data.message
    invitation.capacity_offered = data.capacity_offered
    invitation.earliest_start = data.earliest_start
    invitation.answered_at = now
    if via_link and token is not None:
        _use_link(session, settings, invitation, token, now)
    elif via_link:
        invitation.link_used_at = now
    company = repository.companies_with_contacts(session, [invitation.company_id])[
        invitation.company_id
    ]
    interested = data.status == InvitationStatus.interested.value
    emit_event(session, "invitation.answered", {
        "invitation_id": str(invitation.id), "request_id": str(request.id),
        "company_id": str(company.id), "company_name": company.name, "status": data.status,
    }, owner_ids=[request_owner(request)], occurred_at=now)
    mail_to = entrepreneur_mail(session, settings, request, callout)
    if mail_to is not None:
        to, lang, context = mail_to
        first = company.contacts[0] if company.contacts and interested else None
        queue_email(session, to, "answered", lang, {
            **context, "company_name": company.name, "interested": interested,
            "message": data.message,
            "company_email": company.email if interested else None,
            "company_phone": company.phone if interested else None,
            "company_contact": first.name if first else None,
            "earliest_start": data.earliest_start.isoformat() if data.earliest_start else None,
        }, event_type="invitation.answered")
    session.flush()
    return _invitation_out(invitation, request, callout, now)


def entrepreneur_mail(
    session: Session, settings: Settings | None, request: Request, callout: Callout
) -> tuple[str, str, dict[str, object]] | None:
    """Whom to mail about a request, in which language, with which link: a signed-in
    entrepreneur's own request goes to their account's address in their language and links to
    their page; a request made with a key goes to its contact in the call-out's language."""
    person = session.get(User, request.owner_id) if request.owner_id else None
    context: dict[str, object] = {"title": request.title, "request_id": str(request.id),
                                  "responses_url": None}
    if person is not None and person.role == UserRole.entrepreneur.value:
        base = (settings.public_base_url if settings else "").rstrip("/")
        context.update(contact_name=request.contact_name or person.name,
                       responses_url=f"{base}/my/requests/{request.id}")
        return person.email, person.language, context
    if not request.contact_email:
        return None
    context["contact_name"] = request.contact_name
    return request.contact_email, callout.language, context


# --- the entrepreneur's side --------------------------------------------------------------


def responses(session: Session, request_id: uuid.UUID, principal: Principal) -> ResponsesOut:
    request = get_owned_request(session, request_id, principal)
    return _responses(session, request)


def _responses(session: Session, request: Request) -> ResponsesOut:
    callout = repository.get_callout(session, request.id)
    rows = repository.invitations_of_request(session, request.id)
    companies = repository.companies_with_contacts(session, [r.company_id for r in rows])
    counts = Counter(r.status for r in rows)
    now = utcnow()
    items = []
    for r in rows:
        company = companies.get(r.company_id)
        if company is None:
            continue
        # Contact details reach the entrepreneur only once the company is interested.
        reveal = r.status == InvitationStatus.interested.value
        items.append(ResponseOut(
            invitation_id=r.id,
            company=ResponseCompany(
                id=company.id, name=company.name, website=company.website,
                email=company.email if reveal else None,
                phone=company.phone if reveal else None,
                contacts=[ContactOut(name=c.name, role=c.role, email=c.email, phone=c.phone)
                          for c in company.contacts] if reveal else None,
                contact=ContactOut(name=company.contacts[0].name, role=company.contacts[0].role,
                                   email=company.contacts[0].email,
                                   phone=company.contacts[0].phone)
                if reveal and company.contacts else None,
            ),
            status=r.status,
            state=invitation_state(r, callout, now) if callout else r.status,
            rank=r.rank, score=r.score, distance_km=r.distance_km, answered_at=r.answered_at,
            message=r.message, capacity_offered=r.capacity_offered,
            earliest_start=r.earliest_start, chosen=r.chosen,
            source=r.source, invited_at=r.created_at,
        ))
    return ResponsesOut(
        request_id=request.id,
        status=request.status,
        respond_by=callout.respond_by if callout else None,
        closed_at=callout.closed_at if callout else None,
        counts={s.value: counts.get(s.value, 0) for s in InvitationStatus},
        outcome_note=callout.outcome_note if callout else None,
        items=items,
    )


def close(
    session: Session, request_id: uuid.UUID, principal: Principal,
    settings: Settings | None = None,
) -> ResponsesOut:
    request = get_owned_request(session, request_id, principal)
    callout = repository.get_callout(session, request.id)
    if callout is None:
        raise Conflict("This request was not published; there is nothing to close.")
    if callout.closed_at is None:
        close_callout(session, request, callout, reason="manual", now=utcnow(),
                      settings=settings)
    return _responses(session, request)


def close_callout(
    session: Session, request: Request, callout: Callout, *, reason: str, now: datetime,
    settings: Settings | None = None,
) -> bool:
    """Close a call-out and notify; False when it was closed already."""
    # Conditional, so that a worker closing at the deadline and the owner closing by hand
    # never both close (and notify) one call-out.
    closing = session.execute(
        update(Callout)
        .where(Callout.request_id == callout.request_id, Callout.closed_at.is_(None))
        .values(closed_at=now, closed_reason=reason)
    )
    if getattr(closing, "rowcount", 1) != 1:
        session.refresh(callout)
        return False
    request.status = RequestStatus.closed.value
    rows = repository.invitations_of_request(session, request.id)
    for r in rows:
        if r.status == InvitationStatus.pending.value:
            r.status = InvitationStatus.expired.value
    counts = Counter(r.status for r in rows)
    if settings is not None and counts.get("interested", 0) < insights.THIN_INTEREST:
        insights.record_request(session, settings, request, "thin_callout", now)
    emit_event(session, "request.closed", {
        "request_id": str(request.id), "reason": reason,
        "interested": counts.get("interested", 0), "declined": counts.get("declined", 0),
        "no_answer": counts.get("expired", 0),
    }, owner_ids=[request_owner(request)], occurred_at=now)
    mail_to = entrepreneur_mail(session, settings, request, callout)
    if mail_to is not None:
        to, lang, context = mail_to
        queue_email(session, to, "closed", lang, {
            **context, "invited": len(rows), "interested": counts.get("interested", 0),
            "declined": counts.get("declined", 0),
        }, event_type="request.closed")
    session.flush()
    return True


def close_due_callouts(
    session: Session, now: datetime, settings: Settings | None = None
) -> int:
    """Close every call-out whose answer period ended (run by the worker)."""
    closed = 0
    for callout in repository.due_callouts(session, now):
        request = session.get(Request, callout.request_id)
        if request is None:
            continue
        closed += close_callout(session, request, callout, reason="deadline", now=now,
                                settings=settings)
    return closed


def record_outcome(
    session: Session, request_id: uuid.UUID, data: OutcomeIn, principal: Principal,
    settings: Settings | None = None,
) -> ResponsesOut:
    request = get_owned_request(session, request_id, principal)
    callout = repository.get_callout(session, request.id)
    if callout is None:
        raise Conflict("Publish the request first; the outcome names invited companies.")
    rows = repository.invitations_of_request(session, request.id)
    invited = {r.company_id for r in rows}
    unknown = [i for i, cid in enumerate(data.company_ids) if cid not in invited]
    if unknown:
        raise Unprocessable(
            "Only invited companies can be recorded as chosen.",
            errors=[field_error(f"company_ids.{i}", "not invited by this call-out",
                                code="not_invited")
                    for i in unknown],
        )
    chosen = set(data.company_ids)
    for r in rows:
        r.chosen = r.company_id in chosen
    first = callout.outcome_at is None
    callout.outcome_note = data.note
    callout.outcome_at = utcnow()
    session.flush()
    if first and settings is not None:
        _invite_to_write_case(session, settings, request, callout, rows)
    return _responses(session, request)


def _invite_to_write_case(
    session: Session, settings: Settings, request: Request, callout: Callout,
    rows: list[Invitation],
) -> None:
    """Both sides of the outcome are asked, once, to write it up as a case: the entrepreneur
    and the companies chosen (or, when none was, those that were interested). The link opens
    the case form filled in from the request (`GET /v1/cases/draft-from-request/{id}`)."""
    url = f"{settings.public_base_url.rstrip('/')}/cases/new?request={request.id}"
    mail = entrepreneur_mail(session, settings, request, callout)
    if mail is not None:
        to, lang, context = mail
        queue_email(session, to, "write_case", lang, {
            "name": context.get("contact_name") or request.organisation or "ondernemer",
            "title": request.title, "case_url": url,
        }, event_type="case.invited")
    ids = [r.company_id for r in rows if r.chosen] or [
        r.company_id for r in rows if r.status == InvitationStatus.interested.value]
    if not ids:
        return
    for company in repository.companies_with_contacts(session, ids).values():
        recipients = [c.email for c in company.contacts if c.email] or (
            [company.email] if company.email else [])
        for to in dict.fromkeys(recipients):
            queue_email(session, to, "write_case", settings.email_language, {
                "name": company.name, "title": request.title, "case_url": url,
            }, event_type="case.invited")
