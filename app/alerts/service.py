"""Saved searches and their alerts.

A signed-in person saves criteria and gets mail (instant, daily or weekly); a partner key gets
the webhook event `alert.matched` instead. An alert lists only companies the search has not
shown before (those fitting when it was saved count as shown), each with the engine's reasons.

Nothing is sent twice: the worker (`send_due_alerts`) records each alert as an `AlertRun`
unique per (search, slot) and the companies it showed, and queues the mail or event in the
same transaction. A worker killed mid-batch commits none of it; the next pass finds the same
slot due and does it once. The outbox then delivers at least once, with a stable Message-ID
and event id for receivers to drop a repeat.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.alerts import repository
from app.alerts.schedule import is_due, latest_slot
from app.alerts.schemas import (
    AlertCompany,
    SavedSearchIn,
    SavedSearchOut,
    SavedSearchUpdate,
    Unsubscribed,
)
from app.alerts.tokens import BadToken, make_token, read_token
from app.config import Settings
from app.errors import DomainError, Forbidden, NotFound
from app.matching.explain import explain
from app.matching.types import Taxonomy
from app.models import AlertRun, AlertSeen, SavedSearch, User, utcnow
from app.notifications.outbox import emit_event, queue_email
from app.search.catalogue import CatalogueCache
from app.search.schemas import MatchCriteria
from app.search.service import Found, search_all


class BadUnsubscribeLink(DomainError):
    status, slug, title = 403, "bad-link", "This unsubscribe link is not valid"


def _owner(principal: Principal) -> uuid.UUID:
    """A person's saved searches are their own (a company member's too, not the company's)."""
    return principal.user_id or principal.owner


def get_owned(session: Session, saved_search_id: uuid.UUID, principal: Principal) -> SavedSearch:
    saved = repository.get(session, saved_search_id)
    if saved is None or not (principal.is_admin or saved.owner_id == _owner(principal)):
        raise NotFound(f"Saved search {saved_search_id} does not exist.")
    return saved


def create(
    session: Session, cache: CatalogueCache, settings: Settings, data: SavedSearchIn,
    principal: Principal,
) -> SavedSearch:
    if principal.is_person:
        user = session.get(User, principal.user_id)
        if user is None:  # pragma: no cover - a live session has its person
            raise Forbidden("Sign in again.")
        channel, email, language = "email", user.email, user.language
    elif principal.has_role(Role.partner):
        channel, email, language = "webhook", None, "nl"
    else:
        raise Forbidden("Saved searches are for signed-in people (mail) and partner keys "
                        "(the webhook event alert.matched).")
    now = utcnow()
    saved = SavedSearch(
        id=uuid.uuid4(), owner_id=_owner(principal), name=data.name,
        criteria=data.criteria.model_dump(mode="json", exclude_none=True),
        frequency=data.frequency, channel=channel, email=email, language=language,
        created_at=now, updated_at=now, checked_version=0,
    )
    _baseline(session, cache, settings, saved, data.criteria)
    session.flush()
    return saved


def _baseline(
    session: Session, cache: CatalogueCache, settings: Settings, saved: SavedSearch,
    criteria: MatchCriteria,
) -> None:
    """What fits now counts as shown: the first alert lists only what is new after saving.
    (Also checks the criteria: unknown kinds, certifications or places are a 422.)"""
    found = search_all(session, cache, settings, criteria)
    saved.checked_version = cache.get(session).version
    session.add(saved)
    session.flush()  # the search's row before the rows naming it
    for company_id in {f.card.company_id for f in found}:
        session.add(AlertSeen(saved_search_id=saved.id, company_id=company_id,
                              seen_at=utcnow()))


def list_owned(
    session: Session, principal: Principal, *, limit: int, offset: int
) -> tuple[list[SavedSearch], int]:
    return repository.list_owned(session, _owner(principal), limit=limit, offset=offset)


def update(
    session: Session, cache: CatalogueCache, settings: Settings, saved_search_id: uuid.UUID,
    data: SavedSearchUpdate, principal: Principal,
) -> SavedSearch:
    saved = get_owned(session, saved_search_id, principal)
    fields = data.model_fields_set
    if data.name is not None:
        saved.name = data.name
    if data.frequency is not None:
        saved.frequency = data.frequency
    if data.active is not None:
        saved.unsubscribed_at = None if data.active else (saved.unsubscribed_at or utcnow())
    if "criteria" in fields and data.criteria is not None:
        saved.criteria = data.criteria.model_dump(mode="json", exclude_none=True)
        # New criteria, a new start: what fits them now counts as shown.
        for seen in session.query(AlertSeen).filter_by(saved_search_id=saved.id):
            session.delete(seen)
        session.flush()
        _baseline(session, cache, settings, saved, data.criteria)
    saved.updated_at = utcnow()
    session.flush()
    return saved


def delete(session: Session, saved_search_id: uuid.UUID, principal: Principal) -> None:
    session.delete(get_owned(session, saved_search_id, principal))
    session.flush()


def to_out(saved: SavedSearch) -> SavedSearchOut:
    return SavedSearchOut(
        id=saved.id, name=saved.name, criteria=saved.criteria,
        frequency=saved.frequency,
        channel=saved.channel,
        active=saved.unsubscribed_at is None, created_at=saved.created_at,
        updated_at=saved.updated_at, last_alert_at=saved.last_alert_at,
    )


# --- unsubscribing (RFC 8058) --------------------------------------------------------------


def unsubscribe_url(settings: Settings, saved: SavedSearch) -> str:
    token = make_token(settings.secret_key, saved.id)
    return f"{settings.public_base_url.rstrip('/')}/unsubscribe?token={token}"


def unsubscribe(session: Session, settings: Settings, token: str) -> Unsubscribed:
    """Stop a saved search's alerts with the signed token of its mail. Works once; again, or
    for a search deleted since, it says so (not an error)."""
    try:
        saved_search_id = read_token(settings.secret_key, token)
    except BadToken as exc:
        raise BadUnsubscribeLink(f"The unsubscribe link is not valid: {exc}.") from None
    saved = repository.get(session, saved_search_id)
    if saved is None:
        return Unsubscribed(status="already_unsubscribed")
    if saved.unsubscribed_at is not None:
        return Unsubscribed(status="already_unsubscribed", name=saved.name)
    saved.unsubscribed_at = utcnow()
    session.flush()
    return Unsubscribed(status="unsubscribed", name=saved.name)


def check_token(session: Session, settings: Settings, token: str) -> Unsubscribed:
    """What the link would do, without doing it (the confirm page's GET)."""
    try:
        saved = repository.get(session, read_token(settings.secret_key, token))
    except BadToken as exc:
        raise BadUnsubscribeLink(f"The unsubscribe link is not valid: {exc}.") from None
    if saved is None or saved.unsubscribed_at is not None:
        return Unsubscribed(status="already_unsubscribed", name=saved.name if saved else None)
    return Unsubscribed(status="unsubscribed", name=saved.name)


# --- the worker's job ------------------------------------------------------------------------


def send_due_alerts(
    session: Session, cache: CatalogueCache, settings: Settings, now: datetime
) -> int:
    """Alert every saved search that is due and has something new. Returns alerts queued."""
    version = cache.get(session).version
    sent = 0
    for saved in repository.active_searches(session):
        if saved.frequency == "instant":
            if version <= saved.checked_version:
                continue
            slot = f"v{version}"
            saved.checked_version = version
        else:
            due = latest_slot(saved.frequency, now, tz=settings.alert_timezone,
                              hour=settings.alert_send_hour, weekday=settings.alert_weekday)
            if not is_due(due, saved.checked_at, saved.created_at):
                continue
            slot = due.isoformat()
            saved.checked_at = due
        sent += _alert(session, cache, settings, saved, slot, now)
    session.flush()
    return sent


def _alert(
    session: Session, cache: CatalogueCache, settings: Settings, saved: SavedSearch, slot: str,
    now: datetime,
) -> int:
    try:
        criteria = MatchCriteria.model_validate(saved.criteria)
        found = search_all(session, cache, settings, criteria)
    except (DomainError, ValueError):
        return 0  # criteria that no longer resolve (a removed kind): nothing to say
    seen = repository.seen_ids(session, saved.id)
    new = [f for f in found if f.card.company_id not in seen]
    if not new:
        return 0
    session.add(AlertRun(id=uuid.uuid4(), saved_search_id=saved.id, slot=slot, created_at=now,
                         companies=len(new)))
    session.flush()  # the unique (search, slot): a second alert of one slot fails here
    for f in new:
        session.add(AlertSeen(saved_search_id=saved.id, company_id=f.card.company_id,
                              seen_at=now))
    saved.last_alert_at = now
    taxonomy = cache.get(session).catalogue.taxonomy
    companies = [_company(f, saved.language, taxonomy) for f in new]
    if saved.channel == "webhook":
        emit_event(session, "alert.matched", {
            "saved_search_id": str(saved.id), "name": saved.name, "slot": slot,
            "companies": [c.model_dump(mode="json") for c in companies],
        }, owner_ids=[saved.owner_id], occurred_at=now)
    elif saved.email:
        url = unsubscribe_url(settings, saved)
        base = settings.public_base_url.rstrip("/")
        queue_email(session, saved.email, "alert", saved.language, {
            "name": saved.name, "frequency": saved.frequency,
            "companies": [c.model_dump(mode="json") for c in companies],
            "manage_url": f"{base}/my/alerts", "unsubscribe_url": url,
        }, event_type="alert.matched", headers={
            # RFC 2369 and RFC 8058: one click in the mail client stops the alerts.
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        })
    return 1


def _company(found: Found, lang: str, taxonomy: Taxonomy) -> AlertCompany:
    return AlertCompany(
        company_id=found.card.company_id, name=found.card.company_name, city=found.card.city,
        score=found.match.score, distance_km=found.match.distance_km,
        reasons=[explain(c, lang, taxonomy) for c in found.match.components],
    )
