from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Labels(BaseModel):
    nl: str
    en: str
    fr: str


class WorkKindOut(BaseModel):
    code: str = Field(description="Stable kebab-case code; never changes once published.")
    kind: Literal["group", "kind"]
    parent: str | None = Field(description="The group of a kind; null for a group.")
    label: str = Field(description="The label in the language asked for (Accept-Language).")
    labels: Labels
    nace_codes: list[str] = Field(description="NACE Rev. 2 codes where the mapping is clear.")


class CertificationOut(BaseModel):
    code: str
    label: str
    labels: Labels


class WorkKindList(BaseModel):
    items: list[WorkKindOut]
    total: int
    certifications: list[CertificationOut] = Field(
        description="The certification codes profiles and criteria may use."
    )
