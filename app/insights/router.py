from __future__ import annotations

import csv
import io
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.accounts.dependencies import CurrentPrincipal
from app.common.http import ERROR_RESPONSES, no_store, preferred_language
from app.db import DbSession
from app.insights import service
from app.insights.schemas import (
    CODE_PATTERN,
    PERIOD_PATTERN,
    REGION_PATTERN,
    DemandAnswer,
    DemandGroupBy,
    DemandSource,
    GapsAnswer,
    GapsGroupBy,
    MissedDemand,
    OutputFormat,
)

router = APIRouter(prefix="/v1", tags=["insights"], responses=ERROR_RESPONSES)

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}},
          "description": "The rows, then `other` and `total`, as JSON or CSV"}
}

Period = Annotated[str | None, Query(
    pattern=PERIOD_PATTERN, max_length=15,
    description="`YYYY`, `YYYY-MM`, or `START/END` of those (months inclusive, at most 120); "
    "default the last 12 months.", examples=["2026-01/2026-12"])]
WorkKind = Annotated[str | None, Query(
    pattern=CODE_PATTERN, description="Only this kind of work, or group (its code).")]
Region = Annotated[str | None, Query(
    pattern=REGION_PATTERN, max_length=140,
    description="Only this region: `NL`, a province (`NL.noord-brabant`) or a municipality "
    "(`NL.noord-brabant.tilburg`; in Belgium an arrondissement).")]
Format = Annotated[OutputFormat | None, Query(
    alias="format", description="`csv` for CSV (as does `Accept: text/csv`).")]

PRIVACY_NOTE = """
Every figure is a sum of groups of at least `threshold` distinct requesters (5 unless the
operator set more): smaller groups are merged into a coarser one (municipality into province,
kind into group, ...) and, if still too small, left out. Rows that cannot hold some demand
without showing a small group put it in `other`; `total` is the rows plus `other`. A filter
keeps only demand that lies wholly inside it. Public: no figure identifies anyone.
"""


def _wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


def _csv(header: list[str], rows: list[list[Any]], filename: str) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return Response(
        buf.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Vary": "Accept, Accept-Language"},
    )


@router.get("/insights/demand", response_model=DemandAnswer, responses=CSV_RESPONSE)
def insights_demand(
    session: DbSession,
    request: Request,
    response: Response,
    group_by: DemandGroupBy = "work_kind",
    period: Period = None,
    work_kind: WorkKind = None,
    region: Region = None,
    source: DemandSource = "all",
    fmt: Format = None,
) -> Any:
    """Demand per kind of work, group, region or month: searches on `POST /v1/match`, stored
    requests and published call-outs (one unit per asked kind of work). Refreshed within a
    minute.

    Besides what the schema says, a kind of work (`unknown_work_kind`) or region
    (`unknown_region_id`) that does not exist, or a period outside 2000-2100, ending before it
    starts or longer than 120 months, is refused (422).
    """ + PRIVACY_NOTE
    lang = preferred_language(request)
    answer = service.demand(
        session, request.app.state.settings, group_by=group_by, period=period,
        work_kind=work_kind, region=region, source=source, lang=lang,
    )
    if _wants_csv(request, fmt):
        rows = [[r.key, r.label, r.demand.searches, r.demand.requests, r.demand.callouts,
                 r.demand.total] for r in answer.rows]
        for name, c in (("other", answer.other), ("total", answer.total)):
            rows.append([name, "", c.searches, c.requests, c.callouts, c.total])
        return _csv([group_by, "label", "searches", "requests", "callouts", "total"], rows,
                    "demand.csv")
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept, Accept-Language"
    return answer


@router.get("/insights/gaps", response_model=GapsAnswer, responses=CSV_RESPONSE)
def insights_gaps(
    session: DbSession,
    request: Request,
    response: Response,
    group_by: GapsGroupBy = "work_kind",
    period: Period = None,
    work_kind: WorkKind = None,
    region: Region = None,
    fmt: Format = None,
) -> Any:
    """Demand next to supply per kind of work, group or region: the demand (as in
    `/v1/insights/demand`), call-outs that closed with fewer than 3 interested companies,
    and the active companies, their sites and capacity (people available) offering it.
    Sorted by demand per offering company, kinds nobody offers first.

    Besides what the schema says, an unknown kind of work or region, or a period outside
    2000-2100, ending before it starts or longer than 120 months, is refused (422).
    """ + PRIVACY_NOTE
    lang = preferred_language(request)
    answer = service.gaps(
        session, request.app.state.settings, group_by=group_by, period=period,
        work_kind=work_kind, region=region, lang=lang,
    )
    if _wants_csv(request, fmt):
        rows = [[r.key, r.label, r.demand, r.thin_callouts, r.companies, r.sites,
                 r.capacity_workers, "" if r.demand_per_company is None
                 else r.demand_per_company] for r in answer.rows]
        rows.append(["other", "", answer.other.demand, answer.other.thin_callouts,
                     "", "", "", ""])
        rows.append(["total", "", answer.total.demand, answer.total.thin_callouts,
                     "", "", "", ""])
        return _csv([group_by, "label", "demand", "thin_callouts", "companies", "sites",
                     "capacity_workers", "demand_per_company"], rows, "gaps.csv")
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept, Accept-Language"
    return answer


@router.get("/companies/{company_id}/missed-demand", response_model=MissedDemand)
def company_missed_demand(
    company_id: uuid.UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    period: Period = None,
) -> MissedDemand:
    """Kinds of work asked within reach of the company's sites (a region whose centre lies
    within a site's service radius) that the company does not offer yet, and how often.
    For operators and the company itself; the same threshold as every insight.

    Besides what the schema says, a period outside 2000-2100, ending before it starts or
    longer than 120 months is refused (422).
    """
    answer = service.missed_demand(
        session, request.app.state.settings, company_id, principal, period=period,
        lang=preferred_language(request),
    )
    no_store(response)
    return answer
