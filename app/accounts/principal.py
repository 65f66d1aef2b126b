from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass


class Role(enum.StrEnum):
    admin = "admin"
    company = "company"
    entrepreneur = "entrepreneur"
    partner = "partner"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling. Anonymous callers have no principal at all (None)."""

    key_id: uuid.UUID
    role: Role
    name: str
    company_id: uuid.UUID | None = None
    publishable: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def may_manage_company(self, company_id: uuid.UUID) -> bool:
        return self.is_admin or (self.role is Role.company and self.company_id == company_id)
