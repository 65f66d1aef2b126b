from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from app.errors import Forbidden


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
    # The account the key acts for; a key and its rotations share it.
    owner_id: uuid.UUID | None = None
    allowed_origins: tuple[str, ...] = ()
    # A signed-in person (session cookie) rather than a key: the person and the browser
    # session. For people key_id is the user id, so budgets and audit name the person.
    user_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def is_person(self) -> bool:
        return self.session_id is not None

    @property
    def owner(self) -> uuid.UUID:
        return self.owner_id or self.key_id

    def may_manage_company(self, company_id: uuid.UUID) -> bool:
        return self.is_admin or (self.role is Role.company and self.company_id == company_id)

    def has_role(self, *roles: Role) -> bool:
        """Admins may do everything; others only what their role is named for."""
        return self.is_admin or self.role in roles


def require_roles(principal: Principal, *roles: Role) -> None:
    if not principal.has_role(*roles):
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden(f"This call is for these roles: {allowed}.")
