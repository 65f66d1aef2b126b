"""The company change history: who changed what, when. Personal data never enters it."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.principal import Principal
from app.audit import repository
from app.audit.schemas import Actor, CompanyChangeOut, FieldChange
from app.models import CompanyChange, CompanyChangeSubject

REDACTED = "[redacted]"
ERASED = "[erased]"
# Fields holding personal data: their values are never recorded, only that they changed.
PERSONAL_FIELDS = frozenset({"contacts"})
# Bookkeeping, not content.
IGNORED_FIELDS = frozenset({"id", "created_at", "updated_at", "version"})


def subject_hash(email: str) -> str:
    """A person's stable pseudonym in the trail, so a GDPR request can find their entries."""
    return hashlib.sha256(f"loket-subject:{email.strip().lower()}".encode()).hexdigest()


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[dict[str, Any]]:
    before = before or {}
    changes = []
    for field in sorted((set(before) | set(after)) - IGNORED_FIELDS):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field in PERSONAL_FIELDS:
            old = REDACTED if old else None
            new = REDACTED if new else None
        changes.append({"field": field, "before": old, "after": new})
    return changes


def record(
    session: Session,
    *,
    company_id: uuid.UUID,
    principal: Principal,
    action: str,
    changes: list[dict[str, Any]],
    subjects: Iterable[str] = (),
) -> CompanyChange | None:
    """Add one entry (nothing when nothing changed). `subjects` are the emails of the people
    the change touched; only their hashes are kept."""
    if not changes:
        return None
    entry = CompanyChange(
        id=uuid.uuid4(),
        company_id=company_id,
        actor_key_id=principal.key_id,
        actor_name=principal.name,
        actor_role=principal.role.value,
        action=action,
        changes=changes,
    )
    session.add(entry)
    for digest in sorted({subject_hash(e) for e in subjects if e}):
        session.add(CompanyChangeSubject(change_id=entry.id, subject_hash=digest))
    return entry


def to_out(entry: CompanyChange) -> CompanyChangeOut:
    return CompanyChangeOut(
        id=entry.id,
        changed_at=entry.changed_at,
        actor=Actor(key_id=entry.actor_key_id, name=entry.actor_name, role=entry.actor_role),
        action=entry.action,
        changes=[FieldChange(**change) for change in entry.changes or []],
    )


def list_history(
    session: Session, company_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[Sequence[CompanyChange], int]:
    return repository.list_changes(session, company_id, limit=limit, offset=offset)


def entries_mentioning(
    session: Session, email: str, company_id: uuid.UUID | None = None
) -> Sequence[CompanyChange]:
    return repository.changes_mentioning(session, subject_hash(email), company_id)


def erase_subject(session: Session, email: str, company_id: uuid.UUID | None = None) -> int:
    """Scrub a person from the trail: personal fields become `[erased]` in every entry that
    touched them, and the link to them is dropped. Returns how many entries were scrubbed."""
    digest = subject_hash(email)
    entries = repository.changes_mentioning(session, digest, company_id)
    for entry in entries:
        entry.changes = [
            {**c, "before": ERASED, "after": ERASED} if c["field"] in PERSONAL_FIELDS else c
            for c in entry.changes or []
        ]
    repository.unlink_subject(session, [e.id for e in entries], digest)
    return len(entries)
