"""Cases in and out. The fields follow the Interreg Europe good-practice template:

| Interreg Europe | here |
| --- | --- |
| title, summary | `title`, `summary` |
| location (country, region, city) | `place`, `country`, `region` (ISO 3166-2 province) |
| description | `story` (Markdown), `work_kinds`, `companies`, `partners`, `year_started` |
| resources needed | `resources` |
| evidence of success | `results` (words); `target_group_jobs`, `volume`, `duration_months` |
| potential for learning or transfer | `transfer`, `lessons` |
| further information, contact | `links`, `contact` (named only with `consent`) |
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.common.validators import Code, CountryCode, Email, NoNul, ShortText, Text200, WebUrl

Region = Literal[
    "NL-DR", "NL-FL", "NL-FR", "NL-GE", "NL-GR", "NL-LI", "NL-NB", "NL-NH", "NL-OV", "NL-UT",
    "NL-ZE", "NL-ZH", "BE-BRU", "BE-VAN", "BE-VBR", "BE-VLI", "BE-VOV", "BE-VWV", "BE-WBR",
    "BE-WHT", "BE-WLG", "BE-WLX", "BE-WNA",
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), NoNul
]
Story = Annotated[str, StringConstraints(max_length=20000), NoNul]
Words = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), NoNul]
Place = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), NoNul
]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60), NoNul]
Year = Annotated[int, Field(ge=1950, le=2100, description="Not after next year (422).")]
Jobs = Annotated[int, Field(ge=0, le=100_000)]
Volume = Annotated[int, Field(ge=0, le=2_000_000_000)]
Months = Annotated[int, Field(ge=0, le=1200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseLink(_Strict):
    title: Text200
    url: WebUrl


class CaseLinkOut(BaseModel):
    title: str
    url: str


class CaseContact(_Strict):
    name: Text200
    role: ShortText | None = None
    email: Email | None = None
    consent: bool = Field(
        description="The contact agreed to be named publicly. Without it the contact is kept "
        "for the operator and the authors only."
    )


class CaseContactOut(BaseModel):
    name: str
    role: str | None
    email: str | None
    consent: bool


class CaseFields(_Strict):
    summary: Summary | None = None
    story: Story | None = Field(None, description="Markdown; shown as sanitised HTML.")
    resources: Words | None = Field(None, description="Interreg: resources needed.")
    results: Words | None = Field(None, description="Interreg: evidence of success, in words.")
    lessons: Words | None = None
    transfer: Words | None = Field(None, description="Interreg: potential for transfer.")
    target_group_jobs: Jobs | None = Field(None, description="Jobs for target-group workers.")
    volume: Volume | None = None
    volume_unit: Unit | None = Field(None, description="What `volume` counts: 'notebooks'.")
    duration_months: Months | None = None
    company_ids: list[uuid.UUID] | None = Field(
        None, max_length=10,
        description="Sheltered-work companies involved; each is named publicly only once it "
        "confirmed (a company member's own company, and every company an operator names, "
        "count as confirmed). Unknown ids are 422.",
    )
    partners: list[Text200] | None = Field(None, max_length=20,
                                           description="Partner organisations, by name.")
    place: Place | None = Field(None, description="Geocoded offline (NL, BE); 422 if unknown.")
    country: CountryCode | None = None
    region: Region | None = Field(
        None, description="Province (ISO 3166-2). Derived from a Belgian place's postcode "
        "when not given."
    )
    year_started: Year | None = None
    links: list[CaseLink] | None = Field(None, max_length=10)
    contact: CaseContact | None = None


class CaseCreate(CaseFields):
    title: Text200
    summary: Summary | None = None
    work_kinds: list[Code] = Field(
        min_length=1, max_length=10,
        description="Kinds of work (not groups); unknown or group codes are 422.",
    )
    request_id: uuid.UUID | None = Field(
        None, description="The request (call-out) this case was born from: its owner, or a "
        "company that answered it, may name it (else 422).",
    )


class CaseUpdate(CaseFields):
    """Only the fields sent change; `null` clears an optional field."""

    title: Text200 | None = None
    work_kinds: list[Code] | None = Field(None, min_length=1, max_length=10)


class Labelled(BaseModel):
    code: str
    label: str


class CaseCompanyOut(BaseModel):
    id: uuid.UUID
    name: str
    confirmed: bool


class CaseLocation(BaseModel):
    place: str | None
    country: str | None
    region: str | None
    region_name: str | None
    lat: float | None
    lon: float | None


class CaseFigures(BaseModel):
    target_group_jobs: int | None
    volume: int | None
    volume_unit: str | None
    duration_months: int | None


class CaseAuthor(BaseModel):
    name: str
    role: str
    company_id: uuid.UUID | None


class CaseOut(BaseModel):
    """A case. For the public: only confirmed companies, the contact only with consent, no
    author or review fields. Editors (its authors, their company, operators) see all."""

    id: uuid.UUID
    status: Literal["draft", "submitted", "published"]
    title: str
    summary: str
    story: str = Field(description="The Markdown as written.")
    story_html: str = Field(description="The story as sanitised HTML.")
    resources: str
    results: str
    lessons: str
    transfer: str
    figures: CaseFigures
    work_kinds: list[Labelled]
    companies: list[CaseCompanyOut]
    partners: list[str]
    location: CaseLocation
    year_started: int | None
    links: list[CaseLinkOut]
    contact: CaseContactOut | None
    author: CaseAuthor | None = None
    request_id: uuid.UUID | None = None
    review_note: str | None = None
    can_edit: bool = Field(False, description="The caller may change it.")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None


class CaseListItem(BaseModel):
    id: uuid.UUID
    status: str
    title: str
    summary: str
    work_kinds: list[Labelled]
    companies: list[str] = Field(description="Names of the confirmed companies.")
    place: str | None
    country: str | None
    region: str | None
    year_started: int | None
    published_at: datetime | None
    updated_at: datetime


class FacetCount(BaseModel):
    value: str
    label: str
    count: int


class CaseFacets(BaseModel):
    work_kinds: list[FacetCount]
    groups: list[FacetCount]
    regions: list[FacetCount]
    years: list[FacetCount]


class CaseList(BaseModel):
    items: list[CaseListItem]
    total: int
    limit: int
    offset: int
    facets: CaseFacets = Field(description="Counts over all cases that match (not one page).")


class RevisionOut(BaseModel):
    version: int
    action: str
    author: CaseAuthor
    created_at: datetime
    changed: list[str]
    note: str | None
    content: dict[str, object]


class RevisionList(BaseModel):
    items: list[RevisionOut]
    total: int
    limit: int
    offset: int


class SendBack(_Strict):
    note: Words | None = Field(None, description="What the authors should change.")


class Confirm(_Strict):
    named: bool = Field(
        description="true: the company agrees to be named in this case; false: it does not "
        "want to be named (it is taken off the case)."
    )


class CaseDraft(BaseModel):
    """A case form filled in from a request: what the call-out already knows."""

    request_id: uuid.UUID
    title: str
    summary: str
    work_kinds: list[str]
    place: str | None
    country: str | None
    region: str | None
    company_ids: list[uuid.UUID]
    companies: list[CaseCompanyOut]
    partners: list[str]
    year_started: int | None
