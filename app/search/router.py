from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.accounts.dependencies import client_ip, resolve_principal
from app.common.http import ERROR_RESPONSES, preferred_language
from app.db import DbSession
from app.insights import service as insights
from app.search import service
from app.search.answers import match_response
from app.search.schemas import MatchCriteria, MatchResponse

router = APIRouter(prefix="/v1", tags=["matching"], responses=ERROR_RESPONSES)


@router.post("/match", response_model=MatchResponse)
def match(
    criteria: MatchCriteria, session: DbSession, request: Request, response: Response
) -> MatchResponse:
    """Ranked sheltered-work companies for these criteria; nothing is stored.

    Hard filters: the company is active, offers at least one asked kind (or a kind in an asked
    group), holds every required certification, and - when a location is given - its nearest
    qualifying site lies within `max_distance_km` and the location lies within that site's
    service radius; with `reserved_contract`, it states 30% or more target-group workers
    (eForms `res-ws`); with `min_pso_level`, its PSO level is that or higher. Each match
    carries a 0-100 score and one explanation per component (work kinds, distance, capacity,
    availability, preferred certifications; the two procurement filters with weight 0), in
    the language of `Accept-Language`. Order: score, then distance, then company id.

    With `social_return`, the answer states the amount at stake and, per match and
    consortium, how much its work could cover and by which counting rule (an estimate; see
    docs/procurement.md).

    The asked kinds of work and the region (not the place) are counted for the demand
    insights, with no address stored (see `GET /v1/insights/demand`).

    Besides what the schema says, the criteria are refused (422, naming the field) when a kind
    of work (`unknown_work_kind`) or certification (`unknown_certification`) is unknown, or a
    postcode or place cannot be found (`unknown_location`).
    """
    lang = preferred_language(request)
    settings = request.app.state.settings
    result = service.search(session, request.app.state.catalogue_cache, settings, criteria)
    where = result.location.resolved if result.location else None
    insights.record_search(
        session, settings, work_kinds=criteria.work_kinds,
        lat=where.lat if where else None, lon=where.lon if where else None,
        country=where.country if where else None, postcode=where.postcode if where else None,
        # Resolved (and cached) by the rate limit already; a search needs no CSRF token.
        principal=resolve_principal(request, session), address=client_ip(request),
    )
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    return match_response(result, lang)
