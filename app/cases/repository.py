"""Queries of the cases domain, including the full-text search on both databases."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Uuid,
    and_,
    delete,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from app.cases.text import fts_query, stemmed
from app.models import Case, CaseCompany, CaseRevision, CaseWorkKind, Company, WorkKind


@dataclass(frozen=True, slots=True)
class CaseFilters:
    statuses: Sequence[str] = ("published",)
    q: str | None = None
    work_kinds: Sequence[str] = ()
    regions: Sequence[str] = ()
    years: Sequence[int] = ()
    company_id: uuid.UUID | None = None
    # Only cases these may edit: (author account, author company); None: any.
    editable_by: tuple[uuid.UUID, uuid.UUID | None] | None = None
    # The benchmark's baseline: the same search with `LIKE` over the text instead of the index.
    like: bool = False


@dataclass(slots=True)
class SearchPage:
    items: list[Case]
    total: int
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# --- the text index ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Document:
    """A case's searchable text by weight: A title, B summary, C story and results, D names."""

    a: str
    b: str
    c: str
    d: str


def index_case(session: Session, case: Case, doc: Document) -> None:
    """Keep the case's entry in the text index current (call after flush)."""
    if _dialect(session) == "postgresql":
        parts = []
        for text_, weight in ((doc.a, "A"), (doc.b, "B"), (doc.c, "C"), (doc.d, "D")):
            for config in ("dutch", "english"):
                # The weight is a constant of ours ('A'-'D'), sent untyped as setweight wants.
                parts.append(func.setweight(
                    func.to_tsvector(literal(config).cast(_regconfig()), text_),
                    literal_column(f"'{weight}'"),
                ))
        vector: Any = parts[0]
        for part in parts[1:]:
            vector = vector.op("||")(part)
        session.execute(update(Case).where(Case.id == case.id).values(search_vector=vector)
                        .execution_options(synchronize_session=False))
        return
    session.execute(text("DELETE FROM cases_fts WHERE case_id = :id").bindparams(
        id=_uuid_param(case.id)))
    session.execute(
        text("INSERT INTO cases_fts (case_id, title, body) VALUES (:id, :title, :body)")
        .bindparams(id=_uuid_param(case.id), title=stemmed(doc.a),
                    body=stemmed(f"{doc.b}\n{doc.c}\n{doc.d}")),
    )


def _regconfig() -> Any:
    from sqlalchemy.dialects.postgresql import REGCONFIG

    return REGCONFIG()


def _uuid_param(value: uuid.UUID) -> str:
    # SQLAlchemy's Uuid keeps SQLite UUIDs as 32 hex digits: the FTS table does the same.
    return value.hex


# --- reads ------------------------------------------------------------------------------------


def get_case(session: Session, case_id: uuid.UUID) -> Case | None:
    return session.get(Case, case_id)


def kinds_of(session: Session, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {i: [] for i in case_ids}
    if not case_ids:
        return out
    rows = session.execute(
        select(CaseWorkKind.case_id, CaseWorkKind.work_kind)
        .where(CaseWorkKind.case_id.in_(case_ids))
        .order_by(CaseWorkKind.case_id, CaseWorkKind.work_kind)
    )
    for case_id, kind in rows:
        out[case_id].append(kind)
    return out


def companies_of(
    session: Session, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[CaseCompany, str]]]:
    out: dict[uuid.UUID, list[tuple[CaseCompany, str]]] = {i: [] for i in case_ids}
    if not case_ids:
        return out
    rows = session.execute(
        select(CaseCompany, Company.name)
        .join(Company, Company.id == CaseCompany.company_id)
        .where(CaseCompany.case_id.in_(case_ids))
        .order_by(CaseCompany.case_id, CaseCompany.position)
    )
    for link, name in rows:
        out[link.case_id].append((link, name))
    return out


def company_names(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return {i: n for i, n in session.execute(
        select(Company.id, Company.name).where(Company.id.in_(ids)))}


def work_kind_parents(session: Session) -> dict[str, str | None]:
    return {c: p for c, p in session.execute(select(WorkKind.code, WorkKind.parent_code))}


def kind_labels(session: Session, lang: str) -> dict[str, str]:
    label = {"nl": WorkKind.label_nl, "fr": WorkKind.label_fr}.get(lang, WorkKind.label_en)
    return {c: n for c, n in session.execute(select(WorkKind.code, label))}


def set_kinds(session: Session, case_id: uuid.UUID, kinds: Sequence[str]) -> None:
    session.execute(delete(CaseWorkKind).where(CaseWorkKind.case_id == case_id))
    session.add_all(CaseWorkKind(case_id=case_id, work_kind=k) for k in kinds)


def case_links(session: Session, case_id: uuid.UUID) -> list[CaseCompany]:
    return list(session.scalars(
        select(CaseCompany).where(CaseCompany.case_id == case_id).order_by(CaseCompany.position)
    ))


def revisions(
    session: Session, case_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[list[CaseRevision], int]:
    where = CaseRevision.case_id == case_id
    total = session.scalar(select(func.count()).select_from(CaseRevision).where(where)) or 0
    rows = session.scalars(
        select(CaseRevision).where(where)
        .order_by(CaseRevision.version.desc(), CaseRevision.created_at.desc())
        .limit(limit).offset(offset)
    )
    return list(rows), total


# --- search -----------------------------------------------------------------------------------


def _text_match(session: Session, q: str, like: bool, ranked: bool) -> tuple[
    list[ColumnElement[bool]], ColumnElement[Any] | None, Any
]:
    """(conditions, score expression (higher is better), an FTS subquery to join or None).
    The score is computed only when `ranked` (the page); the total and the facets only need
    which cases match."""
    if like:
        pattern = f"%{q.lower()}%"
        cond = or_(func.lower(Case.title).like(pattern), func.lower(Case.summary).like(pattern),
                   func.lower(Case.story).like(pattern))
        return [cond], None, None
    if _dialect(session) == "postgresql":
        query = func.websearch_to_tsquery(literal("dutch").cast(_regconfig()), q).op("||")(
            func.websearch_to_tsquery(literal("english").cast(_regconfig()), q)
        )
        score = func.ts_rank_cd(Case.search_vector, query) if ranked else None
        return [Case.search_vector.op("@@")(query)], score, None
    match = fts_query(q)
    if match is None:
        return [literal(False)], None, None  # nothing searchable typed: nothing matches
    if not ranked:
        ids = (text("SELECT case_id FROM cases_fts WHERE cases_fts MATCH :match")
               .bindparams(match=match).columns(case_id=Uuid()).subquery("fts_ids"))
        return [Case.id.in_(select(ids.c.case_id))], None, None
    fts = (
        text("SELECT case_id, -bm25(cases_fts, 0.0, 4.0, 1.0) AS score FROM cases_fts "
             "WHERE cases_fts MATCH :match")
        .bindparams(match=match)
        .columns(case_id=Uuid(), score=Float())
        .subquery("fts")
    )
    return [], fts.c.score, fts


def _filtered(session: Session, f: CaseFilters, columns: Sequence[Any], *,
              ranked: bool = False) -> tuple[Select[Any], Any]:
    conditions: list[ColumnElement[bool]] = [Case.status.in_(f.statuses)]
    score: Any = None
    fts = None
    if f.q:
        more, score, fts = _text_match(session, f.q, f.like, ranked)
        conditions += more
    if f.work_kinds:
        conditions.append(Case.id.in_(
            select(CaseWorkKind.case_id).where(CaseWorkKind.work_kind.in_(f.work_kinds))
        ))
    if f.regions:
        conditions.append(Case.region.in_(f.regions))
    if f.years:
        conditions.append(Case.year_started.in_(f.years))
    if f.company_id is not None:
        conditions.append(Case.id.in_(
            select(CaseCompany.case_id).where(CaseCompany.company_id == f.company_id,
                                              CaseCompany.confirmed_at.is_not(None))
        ))
    if f.editable_by is not None:
        author, company = f.editable_by
        mine = Case.author_id == author
        if company is not None:
            mine = or_(mine, Case.author_company_id == company)
        conditions.append(mine)
    stmt = select(*columns)
    if fts is not None:
        stmt = stmt.select_from(Case).join(fts, fts.c.case_id == Case.id)
    return stmt.where(and_(*conditions)), score


def search(
    session: Session, f: CaseFilters, *, limit: int, offset: int, facets: bool = True
) -> SearchPage:
    """One page of cases, best first (by rank with a text, else newest), the total and the
    facet counts over everything that matches."""
    page_stmt, score = _filtered(session, f, [Case.id], ranked=True)
    order: list[Any] = []
    if score is not None:
        order.append(score.desc())
    order += [Case.published_at.desc().nulls_last(), Case.updated_at.desc(), Case.id]
    page_ids = list(session.scalars(page_stmt.order_by(*order).limit(limit).offset(offset)))
    matching = _filtered(session, f, [Case.id])[0].subquery("matching")
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(page_ids)))}
    page = SearchPage(items=[cases[i] for i in page_ids if i in cases], total=total)
    if facets and total:
        page.facets["work_kinds"] = [(r[0], r[1]) for r in session.execute(
            select(CaseWorkKind.work_kind, func.count())
            .where(CaseWorkKind.case_id.in_(select(matching.c.id)))
            .group_by(CaseWorkKind.work_kind)
        )]
        for name, column in (("regions", Case.region), ("years", Case.year_started)):
            page.facets[name] = [(r[0], r[1]) for r in session.execute(
                select(column, func.count())
                .where(Case.id.in_(select(matching.c.id)), column.is_not(None))
                .group_by(column)
            )]
    return page
