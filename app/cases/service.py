"""The rules of cases: who writes, who reads, the draft -> submitted -> published workflow,
every change kept as a revision, and the text index kept current."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role, require_roles
from app.cases import repository
from app.cases.repository import CaseFilters, Document, SearchPage
from app.cases.schemas import (
    CaseAuthor,
    CaseCompanyOut,
    CaseContactOut,
    CaseCreate,
    CaseDraft,
    CaseFields,
    CaseFigures,
    CaseLinkOut,
    CaseListItem,
    CaseLocation,
    CaseOut,
    CaseUpdate,
    Labelled,
    RevisionOut,
)
from app.cases.text import REGIONS, plain_text, region_of_postcode, render_markdown
from app.common.versions import check_if_match, etag_of
from app.companies.service import expand_work_kinds
from app.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from app.geo.geocoder import UnknownLocation
from app.geo.places import AmbiguousLocation, resolve
from app.models import (
    Case,
    CaseCompany,
    CaseRevision,
    CaseStatus,
    Invitation,
    Request,
    User,
    utcnow,
)
from app.notifications.outbox import emit_event

WRITERS = (Role.company, Role.entrepreneur)
# The content a revision keeps (everything an author can change).
CONTENT_FIELDS = (
    "title", "summary", "story", "resources", "results", "lessons", "transfer",
    "target_group_jobs", "volume", "volume_unit", "duration_months", "partners", "place",
    "country", "region", "year_started", "links", "contact_name", "contact_role",
    "contact_email", "contact_consent",
)


# --- who may do what ------------------------------------------------------------------------


def may_edit(principal: Principal | None, case: Case) -> bool:
    if principal is None:
        return False
    if principal.is_admin:
        return True
    if principal.role not in WRITERS or principal.publishable:
        return False
    if case.author_id == principal.owner:
        return True
    return (principal.role is Role.company and principal.company_id is not None
            and principal.company_id == case.author_company_id)


def _named_company(session: Session, principal: Principal | None, case: Case) -> bool:
    if principal is None or principal.role is not Role.company or principal.company_id is None:
        return False
    return any(link.company_id == principal.company_id
               for link in repository.case_links(session, case.id))


def get_visible(session: Session, case_id: uuid.UUID, principal: Principal | None) -> Case:
    """A published case is everyone's; a draft or a submitted one only its editors' and the
    named companies'. Anyone else's looks exactly like a missing one (404)."""
    case = repository.get_case(session, case_id)
    if case is None or not (
        case.status == CaseStatus.published.value
        or may_edit(principal, case)
        or _named_company(session, principal, case)
    ):
        raise NotFound(f"Case {case_id} does not exist.")
    return case


def _get_editable(session: Session, case_id: uuid.UUID, principal: Principal) -> Case:
    require_roles(principal, *WRITERS)
    case = get_visible(session, case_id, principal)
    if not may_edit(principal, case):
        raise Forbidden("Only its authors and operators change a case; a named company "
                        "confirms or declines being named.")
    return case


def etag(case: Case) -> str:
    return etag_of(case.version)


def _author_name(session: Session, principal: Principal) -> str:
    if principal.user_id is not None:
        user = session.get(User, principal.user_id)
        if user is not None:
            return user.name
    return principal.name


# --- checks -----------------------------------------------------------------------------------


def _check_kinds(session: Session, codes: Sequence[str]) -> list[str]:
    parents = repository.work_kind_parents(session)
    errors = [
        field_error(f"work_kinds.{i}", f"unknown '{c}'", code="unknown_work_kind", value=c)
        for i, c in enumerate(codes) if c not in parents
    ] + [
        field_error(f"work_kinds.{i}", f"'{c}' is a group; name its kinds",
                    code="work_kind_is_group", value=c)
        for i, c in enumerate(codes) if c in parents and parents[c] is None
    ]
    if errors:
        raise Unprocessable("Unknown kinds of work.", errors=errors)
    return list(dict.fromkeys(codes))


def _check_companies(session: Session, ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    unique = list(dict.fromkeys(ids))
    known = repository.company_names(session, unique)
    errors = [field_error(f"company_ids.{i}", "no such company", code="unknown_company")
              for i, cid in enumerate(ids) if cid not in known]
    if errors:
        raise Unprocessable("Unknown companies.", errors=errors)
    return unique


def _check_year(year: int | None) -> None:
    if year is not None and year > date.today().year + 1:
        raise Unprocessable("The year lies too far ahead.", errors=[field_error(
            "year_started", "not after next year", code="year_in_future")])


def _place(case: Case, place: str | None, country: str | None) -> None:
    """Geocode the place offline: its coordinates, country and (in Belgium) province."""
    if place is None:
        case.place = case.country = None
        case.lat = case.lon = None
        return
    try:
        found = resolve(place=place, country=country)
    except AmbiguousLocation as exc:
        options = ", ".join(f"{a.place} ({a.country})" for a in exc.alternatives)
        raise Unprocessable(f"Which place: {options}?", errors=[field_error(
            "place", f"can be: {options}", code="ambiguous_place", value=place)]) from None
    except UnknownLocation:
        raise Unprocessable(f"Unknown place: {place}", errors=[field_error(
            "place", "no such place in NL or BE", code="unknown_place", value=place)]) from None
    case.place = found.place or place
    case.country = found.country
    case.lat, case.lon = found.lat, found.lon
    if case.region is None:
        case.region = region_of_postcode(found.country, found.postcode)


def _apply(session: Session, case: Case, body: CaseFields, sent: set[str]) -> list[str]:
    """Set what was sent; the names of the fields that changed."""
    before = _content(case)
    simple = ("title", "summary", "story", "resources", "results", "lessons", "transfer",
              "target_group_jobs", "volume", "volume_unit", "duration_months", "year_started")
    for name in simple:
        if name in sent:
            value = getattr(body, name)
            if value is None and name in ("title",):
                continue
            if value is None and name in ("summary", "story", "resources", "results", "lessons",
                                          "transfer"):
                value = ""
            setattr(case, name, value)
    if "year_started" in sent:
        _check_year(body.year_started)
    if "partners" in sent:
        case.partners = list(dict.fromkeys(body.partners or []))
    if "links" in sent:
        case.links = [{"title": link.title, "url": str(link.url)} for link in body.links or []]
    if "contact" in sent:
        contact = body.contact
        case.contact_name = contact.name if contact else None
        case.contact_role = contact.role if contact else None
        case.contact_email = str(contact.email) if contact and contact.email else None
        case.contact_consent = bool(contact and contact.consent)
    if "region" in sent:
        case.region = body.region
    if "place" in sent or "country" in sent:
        if "region" not in sent:
            case.region = None
        _place(case, body.place if "place" in sent else case.place,
               body.country if "country" in sent else case.country)
    after = _content(case)
    return [k for k in CONTENT_FIELDS if before.get(k) != after.get(k)]


def _content(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in CONTENT_FIELDS}


def _set_companies(
    session: Session, case: Case, ids: Sequence[uuid.UUID], principal: Principal
) -> bool:
    """Name these companies; a company keeps its confirmation when it stays. The writer's own
    company, and every company an operator names, count as confirmed. True when it changed."""
    ids = _check_companies(session, ids)
    if principal.role is Role.company and principal.company_id not in ids:
        # Company members write about their own company.
        ids = [principal.company_id, *ids] if principal.company_id else ids
    current = {link.company_id: link for link in repository.case_links(session, case.id)}
    now = utcnow()
    changed = set(current) != set(ids)
    for cid, old in current.items():
        if cid not in ids:
            session.delete(old)
    for position, cid in enumerate(ids):
        link = current.get(cid)
        if link is None:
            confirmed = principal.is_admin or (principal.role is Role.company
                                               and principal.company_id == cid)
            session.add(CaseCompany(case_id=case.id, company_id=cid, position=position,
                                    confirmed_at=now if confirmed else None))
        else:
            link.position = position
    return changed


def _revision(
    session: Session, case: Case, principal: Principal, action: str, changed: list[str],
    note: str | None = None,
) -> None:
    session.flush()
    content = {k: v for k, v in _content(case).items()}
    content["work_kinds"] = repository.kinds_of(session, [case.id])[case.id]
    content["company_ids"] = [str(link.company_id)
                              for link in repository.case_links(session, case.id)]
    session.add(CaseRevision(
        id=uuid.uuid4(), case_id=case.id, version=case.version, action=action,
        author_id=principal.owner, author_name=_author_name(session, principal),
        author_role=principal.role.value, created_at=utcnow(), changed=changed,
        content=content, note=note,
    ))


def reindex(session: Session, case: Case) -> None:
    session.flush()
    labels_nl = repository.kind_labels(session, "nl")
    labels_en = repository.kind_labels(session, "en")
    kinds = repository.kinds_of(session, [case.id])[case.id]
    named = [name for link, name in repository.companies_of(session, [case.id])[case.id]
             if link.confirmed_at is not None]
    names = [*named, *case.partners, case.place or "", REGIONS.get(case.region or "", ""),
             *(labels_nl.get(k, k) for k in kinds), *(labels_en.get(k, k) for k in kinds)]
    repository.index_case(session, case, Document(
        a=case.title,
        b=case.summary,
        c="\n".join([plain_text(case.story), case.resources, case.results, case.lessons,
                     case.transfer, case.volume_unit or ""]),
        d="\n".join(names),
    ))


# --- writes -----------------------------------------------------------------------------------


def _check_request(session: Session, request_id: uuid.UUID, principal: Principal) -> None:
    """A case may name the request it was born from only when the writer took part in it."""
    request = session.get(Request, request_id)
    if request is None or not (principal.is_admin or request.owner_id == principal.owner
                               or _answered(session, request_id, principal)):
        raise Unprocessable("Name a request you took part in.", errors=[field_error(
            "request_id", "not a request of yours", code="unknown_request")])


def _answered(session: Session, request_id: uuid.UUID, principal: Principal) -> bool:
    if principal.role is not Role.company or principal.company_id is None:
        return False
    invitation = session.scalars(select(Invitation).where(
        Invitation.request_id == request_id, Invitation.company_id == principal.company_id,
    )).first()
    return invitation is not None and (invitation.status == "interested" or invitation.chosen)


def create_case(session: Session, body: CaseCreate, principal: Principal) -> Case:
    require_roles(principal, *WRITERS)
    if principal.publishable:
        raise Forbidden("A publishable key only searches.")
    kinds = _check_kinds(session, body.work_kinds)
    if body.request_id is not None:
        _check_request(session, body.request_id, principal)
    case = Case(
        id=uuid.uuid4(), status=CaseStatus.draft.value, title=body.title, summary="", story="",
        resources="", results="", lessons="", transfer="", partners=[], links=[],
        contact_consent=False, author_id=principal.owner,
        author_name=_author_name(session, principal), author_role=principal.role.value,
        author_company_id=principal.company_id if principal.role is Role.company else None,
        request_id=body.request_id,
    )
    sent = body.model_fields_set - {"title", "work_kinds", "company_ids", "request_id"}
    _apply(session, case, body, sent)
    session.add(case)
    session.flush()
    repository.set_kinds(session, case.id, kinds)
    _set_companies(session, case, body.company_ids or [], principal)
    _revision(session, case, principal, "created", ["title", "work_kinds", *sorted(sent)])
    reindex(session, case)
    return case


def update_case(
    session: Session, case_id: uuid.UUID, body: CaseUpdate, principal: Principal,
    *, if_match: str | None,
) -> Case:
    case = _get_editable(session, case_id, principal)
    if case.status == CaseStatus.published.value and not principal.is_admin:
        raise Conflict("A published case is changed by an operator, or sent back to you first.")
    check_if_match(if_match, etag(case), "case")
    sent = set(body.model_fields_set)
    changed = _apply(session, case, body, sent - {"work_kinds", "company_ids"})
    if "work_kinds" in sent and body.work_kinds is not None:
        kinds = _check_kinds(session, body.work_kinds)
        if kinds != repository.kinds_of(session, [case.id])[case.id]:
            repository.set_kinds(session, case.id, kinds)
            changed.append("work_kinds")
    if "company_ids" in sent and _set_companies(session, case, body.company_ids or [],
                                                principal):
        changed.append("company_ids")
    if changed:
        case.updated_at = utcnow()
        session.flush()
        _revision(session, case, principal, "edited", changed)
        reindex(session, case)
    return case


def submit(session: Session, case_id: uuid.UUID, principal: Principal) -> Case:
    """Ask an operator to publish it. A case needs its story first (422)."""
    case = _get_editable(session, case_id, principal)
    if case.status == CaseStatus.published.value:
        raise Conflict("The case is published already.")
    if case.status == CaseStatus.submitted.value:
        return case
    if not case.story.strip() or not case.summary.strip():
        missing = [n for n in ("summary", "story") if not getattr(case, n).strip()]
        raise Unprocessable("Tell the story before submitting.", errors=[
            field_error(n, "required to submit", code="required_to_submit") for n in missing])
    case.status = CaseStatus.submitted.value
    case.submitted_at = utcnow()
    case.review_note = None
    _revision(session, case, principal, "submitted", ["status"])
    return case


def publish(session: Session, case_id: uuid.UUID, principal: Principal) -> Case:
    if not principal.is_admin:
        raise Forbidden("Operators publish cases.")
    case = get_visible(session, case_id, principal)
    if case.status == CaseStatus.published.value:
        return case
    case.status = CaseStatus.published.value
    case.published_at = utcnow()
    case.review_note = None
    _revision(session, case, principal, "published", ["status"])
    emit_event(session, "case.published", {"id": str(case.id), "title": case.title},
               owner_ids=None)
    return case


def send_back(
    session: Session, case_id: uuid.UUID, principal: Principal, note: str | None
) -> Case:
    """An operator sends a submitted case back, or takes a published one down: a draft again."""
    if not principal.is_admin:
        raise Forbidden("Operators send cases back.")
    case = get_visible(session, case_id, principal)
    if case.status == CaseStatus.draft.value:
        raise Conflict("The case is a draft already.")
    case.status = CaseStatus.draft.value
    case.published_at = None
    case.review_note = note
    _revision(session, case, principal, "sent_back", ["status"], note=note)
    return case


def confirm(session: Session, case_id: uuid.UUID, principal: Principal, named: bool) -> Case:
    """A named company agrees to be named (or is taken off the case)."""
    require_roles(principal, Role.company)
    if principal.is_admin or principal.company_id is None:
        raise Forbidden("A company's own members confirm it is named.")
    case = get_visible(session, case_id, principal)
    found = next((li for li in repository.case_links(session, case.id)
                  if li.company_id == principal.company_id), None)
    if found is None:
        raise NotFound(f"Case {case_id} does not exist.")
    link = found
    if named and link.confirmed_at is None:
        link.confirmed_at = utcnow()
    elif not named:
        session.delete(link)
    case.updated_at = utcnow()
    session.flush()
    _revision(session, case, principal, "confirmed" if named else "declined", ["company_ids"])
    reindex(session, case)
    return case


# --- reads ------------------------------------------------------------------------------------


def to_out(session: Session, case: Case, principal: Principal | None, lang: str) -> CaseOut:
    editor = may_edit(principal, case)
    labels = repository.kind_labels(session, lang)
    kinds = repository.kinds_of(session, [case.id])[case.id]
    companies = [
        CaseCompanyOut(id=link.company_id, name=name, confirmed=link.confirmed_at is not None)
        for link, name in repository.companies_of(session, [case.id])[case.id]
        if editor or link.confirmed_at is not None
        or (principal is not None and principal.company_id == link.company_id)
    ]
    contact = None
    if case.contact_name and (editor or case.contact_consent):
        contact = CaseContactOut(name=case.contact_name, role=case.contact_role,
                              email=case.contact_email, consent=case.contact_consent)
    return CaseOut(
        id=case.id, status=case.status,
        title=case.title, summary=case.summary, story=case.story,
        story_html=render_markdown(case.story), resources=case.resources,
        results=case.results, lessons=case.lessons, transfer=case.transfer,
        figures=CaseFigures(target_group_jobs=case.target_group_jobs, volume=case.volume,
                            volume_unit=case.volume_unit,
                            duration_months=case.duration_months),
        work_kinds=[Labelled(code=k, label=labels.get(k, k)) for k in kinds],
        companies=companies, partners=case.partners,
        location=CaseLocation(place=case.place, country=case.country, region=case.region,
                              region_name=REGIONS.get(case.region or ""), lat=case.lat,
                              lon=case.lon),
        year_started=case.year_started,
        links=[CaseLinkOut.model_validate(link) for link in case.links],
        contact=contact,
        author=CaseAuthor(name=case.author_name, role=case.author_role,
                          company_id=case.author_company_id) if editor else None,
        request_id=case.request_id if editor else None,
        review_note=case.review_note if editor else None,
        can_edit=editor and (case.status != CaseStatus.published.value
                             or bool(principal and principal.is_admin)),
        created_at=case.created_at, updated_at=case.updated_at,
        submitted_at=case.submitted_at, published_at=case.published_at,
    )


def list_items(session: Session, cases: list[Case], lang: str) -> list[CaseListItem]:
    ids = [c.id for c in cases]
    labels = repository.kind_labels(session, lang)
    kinds = repository.kinds_of(session, ids)
    companies = repository.companies_of(session, ids)
    return [
        CaseListItem(
            id=c.id, status=c.status, title=c.title, summary=c.summary,
            work_kinds=[Labelled(code=k, label=labels.get(k, k)) for k in kinds[c.id]],
            companies=[name for link, name in companies[c.id] if link.confirmed_at is not None],
            place=c.place, country=c.country, region=c.region, year_started=c.year_started,
            published_at=c.published_at, updated_at=c.updated_at,
        )
        for c in cases
    ]


def search(
    session: Session, principal: Principal | None, *, q: str | None, work_kinds: Sequence[str],
    regions: Sequence[str], years: Sequence[int], company_id: uuid.UUID | None,
    statuses: Sequence[str] | None, mine: bool, limit: int, offset: int,
) -> SearchPage:
    editable_by = None
    if mine:
        if principal is None:
            raise Forbidden("Sign in to list your own cases.")
        if not principal.is_admin:
            require_roles(principal, *WRITERS)
            editable_by = (principal.owner,
                           principal.company_id if principal.role is Role.company else None)
        statuses = statuses or ("draft", "submitted", "published")
    elif statuses and set(statuses) != {"published"} and not (principal and principal.is_admin):
        # Asking for what you may not see is refused, not quietly narrowed.
        raise Forbidden("Only operators list unpublished cases of others; use mine=true.")
    filters = CaseFilters(
        statuses=tuple(statuses or ("published",)), q=q,
        work_kinds=expand_work_kinds(session, work_kinds) if work_kinds else (),
        regions=tuple(regions), years=tuple(years), company_id=company_id,
        editable_by=editable_by,
    )
    return repository.search(session, filters, limit=limit, offset=offset)


def facets_out(session: Session, page: SearchPage, lang: str) -> dict[str, list[dict[str, Any]]]:
    labels = repository.kind_labels(session, lang)
    parents = repository.work_kind_parents(session)
    kinds = sorted(page.facets.get("work_kinds", []), key=lambda r: (-r[1], r[0]))
    groups: dict[str, int] = {}
    for code, count in kinds:
        parent = parents.get(code)
        if parent:
            groups[parent] = groups.get(parent, 0) + count
    return {
        "work_kinds": [{"value": c, "label": labels.get(c, c), "count": n} for c, n in kinds],
        # A case with two kinds of one group counts twice there: an upper bound, said so.
        "groups": [{"value": g, "label": labels.get(g, g), "count": n}
                   for g, n in sorted(groups.items(), key=lambda r: (-r[1], r[0]))],
        "regions": [{"value": r, "label": REGIONS.get(r, r), "count": n}
                    for r, n in sorted(page.facets.get("regions", []),
                                       key=lambda r: (-r[1], r[0]))],
        "years": [{"value": str(y), "label": str(y), "count": n}
                  for y, n in sorted(page.facets.get("years", []), key=lambda r: -r[0])],
    }


def list_revisions(
    session: Session, case_id: uuid.UUID, principal: Principal, *, limit: int, offset: int
) -> tuple[list[RevisionOut], int]:
    require_roles(principal, *WRITERS)
    case = get_visible(session, case_id, principal)
    if not may_edit(principal, case):
        raise NotFound(f"Case {case_id} does not exist.")
    rows, total = repository.revisions(session, case.id, limit=limit, offset=offset)
    return [
        RevisionOut(version=r.version, action=r.action,
                    author=CaseAuthor(name=r.author_name, role=r.author_role, company_id=None),
                    created_at=r.created_at, changed=r.changed, note=r.note, content=r.content)
        for r in rows
    ], total


def draft_from_request(
    session: Session, request_id: uuid.UUID, principal: Principal
) -> CaseDraft:
    """The case form filled in from a request its writer took part in: the title, the kinds of
    work, the place, and the companies the entrepreneur went on with (else those that were
    interested)."""
    require_roles(principal, Role.entrepreneur, Role.partner, Role.company)
    request = session.get(Request, request_id)
    if request is None or not (principal.is_admin or request.owner_id == principal.owner
                               or _answered(session, request_id, principal)):
        raise NotFound(f"Request {request_id} does not exist.")
    invitations = list(session.scalars(
        select(Invitation).where(Invitation.request_id == request.id).order_by(Invitation.rank)
    ))
    chosen = [i.company_id for i in invitations if i.chosen]
    ids = chosen or [i.company_id for i in invitations if i.status == "interested"]
    names = repository.company_names(session, ids)
    criteria = request.criteria or {}
    location = criteria.get("location") or {}
    kinds = [k for k in criteria.get("work_kinds", [])]
    parents = repository.work_kind_parents(session)
    kinds = [k for k in kinds if parents.get(k) is not None]  # groups are no case kinds
    place = location.get("place")
    country = location.get("country")
    region = None
    if location.get("postcode"):
        region = region_of_postcode(country, location.get("postcode"))
    return CaseDraft(
        request_id=request.id, title=request.title,
        summary=(request.description or "")[:1000], work_kinds=kinds,
        place=place, country=country, region=region, company_ids=ids,
        companies=[CaseCompanyOut(id=i, name=names.get(i, ""), confirmed=False) for i in ids],
        partners=[request.organisation] if request.organisation else [],
        year_started=request.created_at.year,
    )
