"""Queries of organisations, two-way profiles, partnerships and networks."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, and_, delete, false, func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Company,
    Invitation,
    Network,
    NetworkMember,
    Organisation,
    OrganisationMember,
    Partnership,
    ProfileItem,
    RelationChange,
    Site,
    WorkKind,
    utcnow,
)
from app.words.languages import label_in

# --- organisations ---------------------------------------------------------------------------


def get_organisation(session: Session, organisation_id: uuid.UUID) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def list_organisations(
    session: Session, *, q: str | None, kind: str | None, limit: int, offset: int
) -> tuple[list[Organisation], int]:
    stmt = select(Organisation)
    if q:
        stmt = stmt.where(func.lower(Organisation.name).contains(q.lower(), autoescape=True))
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Organisation.name, Organisation.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def organisations_by_id(
    session: Session, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Organisation]:
    if not ids:
        return {}
    rows = session.scalars(select(Organisation).where(Organisation.id.in_(ids)))
    return {o.id: o for o in rows}


def all_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.id)))


def add_member(session: Session, organisation_id: uuid.UUID, account_id: uuid.UUID) -> None:
    if session.get(OrganisationMember, (organisation_id, account_id)) is None:
        session.add(OrganisationMember(organisation_id=organisation_id, account_id=account_id,
                                       created_at=utcnow()))


def managed_organisations(session: Session, account_id: uuid.UUID) -> set[uuid.UUID]:
    return set(session.scalars(
        select(OrganisationMember.organisation_id)
        .where(OrganisationMember.account_id == account_id)
    ))


# --- companies -------------------------------------------------------------------------------


def get_company(session: Session, company_id: uuid.UUID) -> Company | None:
    return session.get(Company, company_id)


def companies_by_id(session: Session, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Company]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Company).where(Company.id.in_(ids)))}


def active_sites(
    session: Session, company_ids: Collection[uuid.UUID] | None = None
) -> list[tuple[Site, str]]:
    """Sites of active companies (with the company's name), in a stable order."""
    stmt = (
        select(Site, Company.name)
        .join(Company, Company.id == Site.company_id)
        .where(Company.status == "active")
    )
    if company_ids is not None:
        if not company_ids:
            return []
        stmt = stmt.where(Site.company_id.in_(company_ids))
    rows = session.execute(stmt.order_by(Site.company_id, Site.position, Site.id)).all()
    return [(site, name) for site, name in rows]


# --- two-way profiles ------------------------------------------------------------------------


def items_of(
    session: Session,
    *,
    company_ids: Collection[uuid.UUID] = (),
    organisation_ids: Collection[uuid.UUID] = (),
    direction: str | None = None,
) -> list[ProfileItem]:
    conditions: list[ColumnElement[bool]] = []
    if company_ids:
        conditions.append(ProfileItem.company_id.in_(company_ids))
    if organisation_ids:
        conditions.append(ProfileItem.organisation_id.in_(organisation_ids))
    if not conditions:
        return []
    stmt = select(ProfileItem).where(or_(*conditions))
    if direction is not None:
        stmt = stmt.where(ProfileItem.direction == direction)
    return list(session.scalars(stmt.order_by(ProfileItem.facet, ProfileItem.code)))


def seeking_owners(session: Session) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The companies and organisations that seek anything at all."""
    rows = session.execute(
        select(ProfileItem.company_id, ProfileItem.organisation_id)
        .where(ProfileItem.direction == "seeks").distinct()
    ).all()
    return ({c for c, _ in rows if c is not None}, {o for _, o in rows if o is not None})


def clear_items(
    session: Session, *, company_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None, direction: str,
) -> None:
    owner = (ProfileItem.company_id == company_id if company_id is not None
             else ProfileItem.organisation_id == organisation_id)
    session.execute(delete(ProfileItem).where(owner, ProfileItem.direction == direction))


# --- partnerships ----------------------------------------------------------------------------


def get_partnership(session: Session, partnership_id: uuid.UUID) -> Partnership | None:
    return session.get(Partnership, partnership_id)


def open_partnership(
    session: Session, organisation_id: uuid.UUID, company_id: uuid.UUID
) -> Partnership | None:
    return session.scalars(
        select(Partnership).where(
            Partnership.organisation_id == organisation_id,
            Partnership.company_id == company_id,
            Partnership.status != "ended",
        )
    ).first()


def list_partnerships(
    session: Session,
    *,
    company_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None,
    status: str | None,
    everything: bool,
    own_companies: Collection[uuid.UUID],
    own_organisations: Collection[uuid.UUID],
    limit: int,
    offset: int,
) -> tuple[list[Partnership], int]:
    """Active ones for everybody; the others only to their sides (all for operators)."""
    stmt = select(Partnership)
    if not everything:
        mine: list[ColumnElement[bool]] = [Partnership.status == "active"]
        if own_companies:
            mine.append(Partnership.company_id.in_(own_companies))
        if own_organisations:
            mine.append(Partnership.organisation_id.in_(own_organisations))
        stmt = stmt.where(or_(*mine))
    if company_id is not None:
        stmt = stmt.where(Partnership.company_id == company_id)
    if organisation_id is not None:
        stmt = stmt.where(Partnership.organisation_id == organisation_id)
    if status is not None:
        stmt = stmt.where(Partnership.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Partnership.created_at.desc(), Partnership.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total


def active_partnerships(
    session: Session,
    *,
    company_ids: Collection[uuid.UUID] = (),
    organisation_ids: Collection[uuid.UUID] = (),
) -> list[Partnership]:
    conditions: list[ColumnElement[bool]] = []
    if company_ids:
        conditions.append(Partnership.company_id.in_(company_ids))
    if organisation_ids:
        conditions.append(Partnership.organisation_id.in_(organisation_ids))
    if not conditions:
        return []
    return list(session.scalars(
        select(Partnership)
        .join(Company, Company.id == Partnership.company_id)
        .where(Partnership.status == "active", Company.status == "active", or_(*conditions))
        .order_by(Partnership.since, Partnership.created_at, Partnership.id)
    ))


# --- networks --------------------------------------------------------------------------------


def get_network(session: Session, network_id: uuid.UUID) -> Network | None:
    return session.get(Network, network_id)


def list_networks(
    session: Session, *, q: str | None, member_company: uuid.UUID | None,
    member_organisation: uuid.UUID | None, limit: int, offset: int,
) -> tuple[list[Network], int]:
    stmt = select(Network)
    if q:
        stmt = stmt.where(func.lower(Network.name).contains(q.lower(), autoescape=True))
    if member_company is not None or member_organisation is not None:
        stmt = stmt.where(Network.id.in_(
            select(NetworkMember.network_id).where(
                NetworkMember.company_id == member_company if member_company is not None
                else NetworkMember.organisation_id == member_organisation
            )
        ))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Network.name, Network.id).limit(limit).offset(offset))
    return list(rows), total


def all_networks(session: Session) -> list[Network]:
    return list(session.scalars(select(Network).order_by(Network.id)))


def members_of(session: Session, network_ids: Sequence[uuid.UUID]) -> list[NetworkMember]:
    if not network_ids:
        return []
    return list(session.scalars(
        select(NetworkMember).where(NetworkMember.network_id.in_(network_ids))
        .order_by(NetworkMember.created_at, NetworkMember.id)
    ))


def memberships(
    session: Session, *, company_ids: Collection[uuid.UUID] = (),
    organisation_ids: Collection[uuid.UUID] = (),
) -> list[tuple[NetworkMember, Network]]:
    condition: ColumnElement[bool] = false()
    if company_ids:
        condition = or_(condition, NetworkMember.company_id.in_(company_ids))
    if organisation_ids:
        condition = or_(condition, NetworkMember.organisation_id.in_(organisation_ids))
    rows = session.execute(
        select(NetworkMember, Network).join(Network, Network.id == NetworkMember.network_id)
        .where(condition).order_by(Network.name, Network.id)
    ).all()
    return [(m, n) for m, n in rows]


def find_member(
    session: Session, network_id: uuid.UUID, company_id: uuid.UUID | None,
    organisation_id: uuid.UUID | None,
) -> NetworkMember | None:
    return session.scalars(select(NetworkMember).where(
        NetworkMember.network_id == network_id,
        and_(NetworkMember.company_id == company_id) if company_id is not None
        else NetworkMember.organisation_id == organisation_id,
    )).first()


def get_member(session: Session, member_id: uuid.UUID) -> NetworkMember | None:
    return session.get(NetworkMember, member_id)


# --- the change feed -------------------------------------------------------------------------


def record_change(session: Session, subject: str, subject_id: uuid.UUID, state: str) -> None:
    session.add(RelationChange(subject=subject, subject_id=subject_id, state=state,
                               changed_at=utcnow()))


def known_work_kinds(session: Session, codes: Collection[str]) -> set[str]:
    if not codes:
        return set()
    return set(session.scalars(select(WorkKind.code).where(WorkKind.code.in_(codes))))


def was_chosen(session: Session, request_id: uuid.UUID, company_id: uuid.UUID) -> bool:
    """Did the request's recorded outcome choose this company?"""
    return session.scalars(select(Invitation.id).where(
        Invitation.request_id == request_id, Invitation.company_id == company_id,
        Invitation.chosen.is_(True),
    )).first() is not None


def work_kind_labels(session: Session, lang: str, codes: Collection[str]) -> dict[str, str]:
    """The labels of these kinds of work in `lang` (English where a label is missing)."""
    if not codes:
        return {}
    rows = session.scalars(select(WorkKind).where(WorkKind.code.in_(codes)))
    return {w.code: label_in(lang, w.label_nl, w.label_en, w.label_fr) for w in rows}
