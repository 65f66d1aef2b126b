from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.common.http import ERROR_RESPONSES
from app.geo import complete_places
from app.lookups.schemas import ErrorCodeList, ErrorCodeOut, PlaceOut
from app.words.codes import ALL_CODES, PROBLEM_CODES, placeholders, template

router = APIRouter(prefix="/v1", tags=["taxonomy"], responses=ERROR_RESPONSES)


@router.get("/error-codes", response_model=ErrorCodeList)
def error_codes(response: Response) -> ErrorCodeList:
    """Every `code` a problem's field error (or a whole problem) can carry, with a Dutch, an
    English and a French template. Fill `{name}` from the error's `params` to show a person
    the error in their language, next to the field `field` names. Codes never change meaning; new
    ones may be added. See docs/errors.md."""
    items = [
        ErrorCodeOut(code=code, scope="problem" if code in PROBLEM_CODES else "field",
                     params=sorted(placeholders(code)), nl=template(code, "nl"),
                     en=template(code, "en"), fr=template(code, "fr"))
        for code in ALL_CODES
    ]
    response.headers["Cache-Control"] = "public, max-age=3600"
    return ErrorCodeList(items=items, total=len(items))


@router.get("/places", response_model=list[PlaceOut])
def places(
    response: Response,
    q: Annotated[str, Query(min_length=1, max_length=120,
                            description="The start of a place name or postcode.")],
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
    country: Annotated[str | None, Query(pattern="^(NL|BE|nl|be)$")] = None,
) -> list[PlaceOut]:
    """Places (NL and BE) whose name or postcode starts with `q`, for completing a location
    field: the exact name first, then official names before other names, larger places
    first; digits complete postcodes. Anonymous, cheap and rate limited like other reads."""
    found = complete_places(q, limit=limit, country=country.upper() if country else None)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return [PlaceOut(place=p.place, country=p.country, postcode=p.postcode, lat=p.lat, lon=p.lon)
            for p in found]
