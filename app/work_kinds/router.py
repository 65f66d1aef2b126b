from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.common.http import ERROR_RESPONSES, preferred_language
from app.db import DbSession
from app.words.languages import label_in
from app.work_kinds import repository
from app.work_kinds.schemas import CertificationOut, Labels, WorkKindList, WorkKindOut

router = APIRouter(prefix="/v1", tags=["taxonomy"], responses=ERROR_RESPONSES)


@router.get("/work-kinds", response_model=WorkKindList)
def list_work_kinds(session: DbSession, request: Request, response: Response) -> WorkKindList:
    """The taxonomy: groups and the kinds of work in them, plus the certification codes.

    Criteria may name a group (`production`) to mean every kind in it. Labels follow
    `Accept-Language` (Dutch, English or French); `labels` has all three.
    """
    lang = preferred_language(request)
    kinds = repository.list_work_kinds(session)
    items = [
        WorkKindOut(
            code=k.code,
            kind="group" if k.parent_code is None else "kind",
            parent=k.parent_code,
            label=label_in(lang, k.label_nl, k.label_en, k.label_fr),
            labels=Labels(nl=k.label_nl, en=k.label_en, fr=k.label_fr or k.label_en),
            nace_codes=list(k.nace_codes or []),
        )
        for k in kinds
    ]
    certifications = [
        CertificationOut(
            code=c.code,
            label=label_in(lang, c.label_nl, c.label_en, c.label_fr),
            labels=Labels(nl=c.label_nl, en=c.label_en, fr=c.label_fr or c.label_en),
        )
        for c in repository.list_certifications(session)
    ]
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Vary"] = "Accept-Language"
    return WorkKindList(items=items, total=len(items), certifications=certifications)
