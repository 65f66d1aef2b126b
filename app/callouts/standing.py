"""Standing call-outs: a published request keeps inviting until its deadline.

Every change to what matching sees leaves a `StandingCheck` row in its own transaction
(`companies.service.record_profile_change`: registered, verified, reactivated, profile or
capacity changed). The worker (`invite_late_companies`, handed to it by app/worker.py) checks
those companies against every open call-out with the same engine and hard filters as
publishing, invites the ones that now fit and tells the entrepreneur. Nobody is invited twice:
the open call-outs are locked while inviting, and (request, company) is unique. The checks are
marked done in the same transaction as the invitations, so a worker that dies mid-batch leaves
them for the next pass, which finds the invitations (or none) as they were committed.

Widening: the entrepreneur asks for a larger distance or a group instead of a kind, sees who
would be added (`dry_run`) and confirms; confirming stores the wider criteria and invites them.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from app.accounts.principal import Principal
from app.callouts import repository
from app.callouts.schemas import AddedCompany, WidenIn, WidenOut
from app.callouts.service import announce_invitation, entrepreneur_mail, new_invitation
from app.config import Settings
from app.errors import Conflict, Unprocessable, field_error
from app.matching.explain import explain
from app.matching.types import Taxonomy
from app.models import Callout, Invitation, Request, utcnow
from app.notifications.outbox import queue_email
from app.requests.service import criteria_of, get_owned_request
from app.search.catalogue import CatalogueCache
from app.search.schemas import MatchCriteria
from app.search.service import Found, search_all


def invite_late_companies(
    session: Session, cache: CatalogueCache, settings: Settings, now: datetime
) -> int:
    """One batch of pending checks against every open call-out. Returns companies invited."""
    checks = repository.pending_checks(session)
    if not checks:
        return 0
    companies = {c.company_id for c in checks}
    invited = 0
    for callout in repository.open_callouts(session, now):
        request = session.get(Request, callout.request_id)
        if request is None:
            continue
        invited += len(invite(session, cache, settings, request, callout, criteria_of(request),
                              among=companies, source="standing", now=now))
    for check in checks:
        check.done_at = now
    session.flush()
    return invited


def fitting_new(
    session: Session, cache: CatalogueCache, settings: Settings, request: Request,
    criteria: MatchCriteria, *, among: Collection[uuid.UUID] | None = None,
) -> list[Found]:
    """Companies that fit `criteria` as publishing would invite them, not yet invited."""
    already = repository.invited_company_ids(session, request.id)
    if among is not None:
        among = set(among) - already
        if not among:
            return []  # every changed company is invited here already
    found = search_all(session, cache, settings, criteria, among=among,
                       min_score=settings.callout_min_score)
    return [f for f in found if f.card.company_id not in already]


def invite(
    session: Session, cache: CatalogueCache, settings: Settings, request: Request,
    callout: Callout, criteria: MatchCriteria, *, among: Collection[uuid.UUID] | None,
    source: str, now: datetime,
) -> list[Invitation]:
    """Invite whoever fits now and was not invited; mail them and tell the entrepreneur.
    The caller holds the call-out's row lock (repository.open_callouts / lock_callout)."""
    found = fitting_new(session, cache, settings, request, criteria, among=among)
    if not found:
        return []
    rank = repository.last_rank(session, request.id)
    invitations = [new_invitation(request, f, rank + i, now, source=source)
                   for i, f in enumerate(found, start=1)]
    session.add_all(invitations)
    session.flush()
    companies = repository.companies_with_contacts(session, [i.company_id for i in invitations])
    for f, invitation in zip(found, invitations, strict=True):
        announce_invitation(session, settings, request, callout, invitation,
                            companies[invitation.company_id], now=now, match=f.match)
    mail_to = entrepreneur_mail(session, settings, request, callout)
    if mail_to is not None:
        to, lang, context = mail_to
        queue_email(session, to, "late_invitation", lang, {
            **context, "companies": [companies[i.company_id].name for i in invitations],
            "widened": source == "widen",
        }, event_type="invitation.created")
    session.flush()
    return invitations


# --- widening -------------------------------------------------------------------------------


def widen(
    session: Session, cache: CatalogueCache, settings: Settings, request_id: uuid.UUID,
    data: WidenIn, principal: Principal, *, dry_run: bool, lang: str,
) -> WidenOut:
    request = get_owned_request(session, request_id, principal)
    callout = repository.lock_callout(session, request.id)
    now = utcnow()
    if callout is None:
        raise Conflict("Publish the request first; widening adds to its call-out.")
    if callout.closed_at is not None or now >= callout.closes_at:
        raise Conflict("This call-out is closed; widening invites only while it is open.")
    criteria = criteria_of(request)
    taxonomy = cache.get(session).catalogue.taxonomy
    wider = _wider(criteria, data, taxonomy)
    found = fitting_new(session, cache, settings, request, wider)
    added = [_added(f, lang, taxonomy) for f in found]
    invited = 0
    if not dry_run:
        request.criteria = wider.model_dump(mode="json", exclude_none=True)
        invited = len(invite(session, cache, settings, request, callout, wider, among=None,
                             source="widen", now=now))
    return WidenOut(request_id=request.id, dry_run=dry_run,
                    criteria=wider.model_dump(mode="json", exclude_none=True),
                    added=added, invited=invited)


def _added(found: Found, lang: str, taxonomy: Taxonomy) -> AddedCompany:
    return AddedCompany(
        company_id=found.card.company_id, name=found.card.company_name, city=found.card.city,
        score=found.match.score, distance_km=found.match.distance_km,
        reasons=[explain(c, lang, taxonomy) for c in found.match.components],
    )


def _wider(criteria: MatchCriteria, data: WidenIn, taxonomy: Taxonomy) -> MatchCriteria:
    """The criteria widened by `data`, or 422 when a change would narrow them."""
    update: dict[str, object] = {}
    errors = []
    fields = data.model_fields_set
    if "max_distance_km" in fields:
        new, old = data.max_distance_km, criteria.max_distance_km
        if new is not None and (old is None or new < old):
            errors.append(field_error("max_distance_km", "would narrow the call-out",
                                      code="not_wider"))
        elif new is not None and criteria.location is None:
            errors.append(field_error("max_distance_km", "max_distance_km needs a location",
                                      code="needs_location"))
        update["max_distance_km"] = new
    if data.work_kinds is not None:
        kept = set(data.work_kinds)
        for code in data.work_kinds:
            if not taxonomy.contains(code):
                errors.append(field_error(f"work_kinds.{data.work_kinds.index(code)}",
                                          f"unknown work kind '{code}'", code="unknown_work_kind",
                                          value=code))
        for code in criteria.work_kinds:
            if code not in kept and taxonomy.group_of(code) not in kept:
                errors.append(field_error("work_kinds", f"leaves out '{code}'",
                                          code="not_wider", value=code))
        update["work_kinds"] = list(dict.fromkeys(data.work_kinds))
    if errors:
        raise Unprocessable("The change would not widen the call-out.", errors=errors)
    return criteria.model_copy(update=update)

