"""The demo cases load once, are published and findable, and name a nearby demo company."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases.repository import CaseFilters, search
from app.demo.cases import CASES, load_demo_cases
from app.models import Case, CaseCompany
from tests.factories import create_company, create_person


def test_demo_cases_load_once_published_and_findable(session: Session) -> None:
    tilburg = create_company(session, "Werkbedrijf Midden-Brabant", town="Tilburg",
                             kinds={"packaging": 20})
    create_person(session, "bedrijf@loket.example", role="company", company_id=tilburg.id)
    assert load_demo_cases(session) == len(CASES) + 1
    assert load_demo_cases(session) == 0
    statuses = dict(session.execute(
        select(Case.status, func.count()).group_by(Case.status)).all())
    assert statuses == {"published": len(CASES), "draft": 1}
    assert len({c["place"] for c in CASES}) >= 10
    assert {c["country"] for c in CASES} == {"NL", "BE"}
    found = search(session, CaseFilters(q="notitieboekjes verpakken"), limit=5, offset=0)
    assert [c.title for c in found.items] == [CASES[0]["title"]]
    named = session.scalars(select(CaseCompany.company_id).where(
        CaseCompany.case_id == found.items[0].id)).all()
    assert named == [tilburg.id]
