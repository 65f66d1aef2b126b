"""GDPR for contact persons: export one person's data, and erase it everywhere.

Erasure runs every registered eraser in the same transaction, so it is all or nothing. A
domain that stores personal data registers one with `register_eraser`; the notification outbox
has one below (undelivered messages to or about the person are dropped).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.accounts.idempotency import forget_replays
from app.accounts.principal import Principal, Role
from app.audit import service as audit
from app.companies.service import record_profile_change
from app.errors import Forbidden
from app.models import Company, ContactPerson, OutboxMessage, Request, utcnow
from app.privacy.schemas import (
    ContactRecord,
    HistoryMention,
    PersonExport,
    RequestContactRecord,
)


@dataclass(frozen=True, slots=True)
class Subject:
    """Whom to erase, and within what: one company's data (a company asking) or all (None)."""

    email: str
    company_id: uuid.UUID | None
    principal: Principal


Eraser = Callable[[Session, Subject], int]
_ERASERS: dict[str, Eraser] = {}


def register_eraser(name: str) -> Callable[[Eraser], Eraser]:
    def decorate(fn: Eraser) -> Eraser:
        _ERASERS[name] = fn
        return fn

    return decorate


def subject_for(principal: Principal, email: str) -> Subject:
    """Operators act on all data; a company only on its own contact persons."""
    if principal.is_admin:
        return Subject(email=email, company_id=None, principal=principal)
    if principal.role is Role.company and principal.company_id is not None:
        return Subject(email=email, company_id=principal.company_id, principal=principal)
    raise Forbidden("Privacy requests are handled by operators and by companies for their "
                    "own contact persons.")


def _same_email(column: InstrumentedAttribute[str | None], email: str) -> ColumnElement[bool]:
    return func.lower(column) == email.strip().lower()


def _contacts(session: Session, subject: Subject) -> list[tuple[ContactPerson, Company]]:
    stmt = (
        select(ContactPerson, Company)
        .join(Company, Company.id == ContactPerson.company_id)
        .where(_same_email(ContactPerson.email, subject.email))
    )
    if subject.company_id is not None:
        stmt = stmt.where(ContactPerson.company_id == subject.company_id)
    return [(c, co) for c, co in session.execute(stmt.order_by(Company.name))]


def _requests(session: Session, subject: Subject) -> list[Request]:
    if subject.company_id is not None:
        return []  # companies never see entrepreneurs' requests
    stmt = select(Request).where(_same_email(Request.contact_email, subject.email))
    return list(session.scalars(stmt.order_by(Request.created_at)))


def export(session: Session, subject: Subject) -> PersonExport:
    return PersonExport(
        email=subject.email,
        contacts=[
            ContactRecord(company_id=co.id, company_name=co.name, name=c.name, role=c.role,
                          email=c.email, phone=c.phone)
            for c, co in _contacts(session, subject)
        ],
        requests=[
            RequestContactRecord(request_id=r.id, title=r.title, organisation=r.organisation,
                                 name=r.contact_name, email=r.contact_email,
                                 phone=r.contact_phone)
            for r in _requests(session, subject)
        ],
        history=[
            HistoryMention(
                change_id=e.id, company_id=e.company_id, changed_at=e.changed_at,
                action=e.action,
                fields=[c["field"] for c in e.changes or []
                        if c["field"] in audit.PERSONAL_FIELDS],
            )
            for e in audit.entries_mentioning(session, subject.email, subject.company_id)
        ],
    )


def erase(session: Session, subject: Subject) -> dict[str, int]:
    counts = {name: eraser(session, subject) for name, eraser in _ERASERS.items()}
    session.flush()
    return counts


@register_eraser("history_entries")
def _erase_history(session: Session, subject: Subject) -> int:
    # Before the contact rows go, so the erasure's own history entry is not scrubbed.
    return audit.erase_subject(session, subject.email, subject.company_id)


@register_eraser("pending_notifications")
def _erase_outbox(session: Session, subject: Subject) -> int:
    """Undelivered notifications to or mentioning the address (delivered ones are gone)."""
    if subject.company_id is not None and not _contacts(session, subject):
        return 0  # a company may only erase its own contact persons
    email = subject.email.strip().lower()
    dropped = 0
    for message in session.scalars(select(OutboxMessage).where(OutboxMessage.status != "sent")):
        mentions = email in json.dumps(message.payload, ensure_ascii=False).lower()
        if (message.recipient or "").lower() == email or mentions:
            session.delete(message)
            dropped += 1
    return dropped


@register_eraser("contacts")
def _erase_contacts(session: Session, subject: Subject) -> int:
    found = _contacts(session, subject)
    companies = {co.id: co for _, co in found}
    for contact, _ in found:
        session.delete(contact)
    now = utcnow()
    for company in companies.values():
        company.updated_at = now  # a new version, so cached ETags of the profile go stale
        audit.record(
            session,
            company_id=company.id,
            principal=subject.principal,
            action="privacy-erasure",
            changes=[{"field": "contacts", "before": audit.REDACTED, "after": audit.REDACTED}],
        )
    if companies:
        record_profile_change(session, companies)
    return len(found)


@register_eraser("requests")
def _erase_request_contacts(session: Session, subject: Subject) -> int:
    found = _requests(session, subject)
    for request in found:
        request.contact_name = request.contact_email = request.contact_phone = None
    return len(found)


@register_eraser("stored_replays")
def _erase_replays(session: Session, subject: Subject) -> int:
    if subject.company_id is not None:
        return 0
    # Stored answers are encrypted and cannot be searched: drop every one that could hold
    # a contact (they only serve retries within a day).
    return forget_replays(session, ("/v1/companies", "/v1/requests"))

