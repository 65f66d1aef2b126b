"""Reads `catalogue_changes` (written by every profile change) as a cursor-paginated feed."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role, require_roles
from app.changes.schemas import ChangeFeed, ChangeOut, RelationChangeOut, RelationFeed
from app.common.validators import YEARS_MESSAGE, in_year_window
from app.errors import FieldError, Unprocessable
from app.models import CatalogueChange, Company, RelationChange

CURSOR_PREFIX = "c1_"


def encode_cursor(version: int, company_id: uuid.UUID) -> str:
    raw = f"{version}:{company_id.hex}".encode()
    return CURSOR_PREFIX + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# Catalogue versions are BIGINT: a forged cursor's version must fit before it is compared.
MAX_VERSION = 2**63 - 1


def decode_cursor(cursor: str) -> tuple[int, uuid.UUID]:
    body = cursor[len(CURSOR_PREFIX):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
        text, company = raw.split(":")
        version = int(text)
        company_id = uuid.UUID(hex=company)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _bad_since("not a cursor from `next_cursor`") from None
    if not 0 <= version <= MAX_VERSION:
        raise _bad_since("not a cursor from `next_cursor`")
    return version, company_id


def _bad_since(message: str) -> Unprocessable:
    return Unprocessable(
        "`since` must be an RFC 3339 timestamp with an offset or a cursor from `next_cursor`.",
        errors=[FieldError(field="since", location="query", message=message, type="value_error",
                           code="bad_cursor")],
    )


def parse_since(since: str | None) -> tuple[int, uuid.UUID] | datetime | None:
    if since is None or since == "":
        return None
    if since.startswith(CURSOR_PREFIX):
        return decode_cursor(since)
    try:
        moment = datetime.fromisoformat(since.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise _bad_since("not an RFC 3339 timestamp") from None
    if moment.tzinfo is None:
        raise _bad_since("the timestamp needs an offset (Z or +01:00)")
    if not in_year_window(moment):
        raise _bad_since(f"the timestamp {YEARS_MESSAGE}")
    return moment


def feed(session: Session, principal: Principal, since: str | None, limit: int) -> ChangeFeed:
    require_roles(principal, Role.partner)
    point = parse_since(since)
    stmt = select(CatalogueChange, Company.status).outerjoin(
        Company, Company.id == CatalogueChange.company_id
    )
    if isinstance(point, datetime):
        stmt = stmt.where(CatalogueChange.changed_at > point)
    elif point is not None:
        version, company_id = point
        stmt = stmt.where(or_(
            CatalogueChange.version > version,
            and_(CatalogueChange.version == version, CatalogueChange.company_id > company_id),
        ))
    rows = session.execute(
        stmt.order_by(CatalogueChange.version, CatalogueChange.company_id).limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [
        ChangeOut(company_id=change.company_id, version=change.version,
                  changed_at=change.changed_at, state=status or "deleted")
        for change, status in rows
    ]
    if items:
        next_cursor = encode_cursor(items[-1].version, items[-1].company_id)
    elif isinstance(point, tuple):
        next_cursor = encode_cursor(*point)
    else:
        # Nothing after a timestamp yet: start from the newest change there is (or 0).
        newest = session.execute(
            select(CatalogueChange.version, CatalogueChange.company_id)
            .order_by(CatalogueChange.version.desc(), CatalogueChange.company_id.desc())
            .limit(1)
        ).first()
        next_cursor = (
            encode_cursor(newest.version, newest.company_id)
            if newest is not None and point is not None
            else encode_cursor(0, uuid.UUID(int=0))
        )
    return ChangeFeed(items=items, next_cursor=next_cursor, has_more=has_more)


def relations_feed(
    session: Session, principal: Principal, after: int, limit: int
) -> RelationFeed:
    """Organisations, public partnerships and networks changed after position `after`.
    A partnership enters the feed only when it becomes public (both sides confirmed) and when
    a public one ends: a proposal is no one else's business."""
    require_roles(principal, Role.partner)
    rows = session.scalars(
        select(RelationChange).where(RelationChange.seq > after)
        .order_by(RelationChange.seq).limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    items = [
        RelationChangeOut(seq=r.seq, subject=r.subject, id=r.subject_id,
                          state=r.state, changed_at=r.changed_at)
        for r in rows
    ]
    return RelationFeed(items=items, next_after=items[-1].seq if items else after,
                        has_more=has_more)
