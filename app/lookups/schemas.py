from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorCodeOut(BaseModel):
    code: str
    scope: str = Field(description="`field`: a field error's `code`; `problem`: a whole "
                       "problem's `code`.")
    params: list[str] = Field(description="The names the templates fill in from `params`.")
    nl: str = Field(description="Dutch template, `{name}` filled in from `params`.")
    en: str = Field(description="English template.")
    fr: str = Field(description="French template.")


class ErrorCodeList(BaseModel):
    items: list[ErrorCodeOut]
    total: int


class PlaceOut(BaseModel):
    place: str
    country: str
    postcode: str | None = Field(None, description="Present when completing a postcode.")
    lat: float
    lon: float
