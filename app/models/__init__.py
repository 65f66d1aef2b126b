"""ORM models, together in one package because the domains reference each other (as Polar does).
Relationships are lazy="raise": a forgotten eager load fails in tests instead of becoming N+1."""

from app.models.api_key import ApiKey
from app.models.base import Base, UTCDateTime, utcnow
from app.models.catalogue import CatalogueChange, CatalogueState
from app.models.company import (
    Capability,
    Certification,
    Company,
    CompanyCertification,
    CompanyStatus,
    ContactPerson,
    Site,
)
from app.models.request import Request, RequestStatus
from app.models.work_kind import WorkKind

__all__ = [
    "ApiKey",
    "Base",
    "Capability",
    "CatalogueChange",
    "CatalogueState",
    "Certification",
    "Company",
    "CompanyCertification",
    "CompanyStatus",
    "ContactPerson",
    "Request",
    "RequestStatus",
    "Site",
    "UTCDateTime",
    "WorkKind",
    "utcnow",
]
