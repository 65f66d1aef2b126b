"""ORM models, together in one package because the domains reference each other (as Polar does).
Relationships are lazy="raise": a forgotten eager load fails in tests instead of becoming N+1."""

from app.models.api_key import ApiKey
from app.models.audit import CompanyChange, CompanyChangeSubject
from app.models.base import Base, UTCDateTime, utcnow
from app.models.callout import Callout, Invitation, InvitationStatus
from app.models.case import (
    FTS_TABLE,
    Case,
    CaseCompany,
    CaseRevision,
    CaseStatus,
    CaseWorkKind,
    include_object,
)
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
from app.models.idempotency import IdempotencyRecord
from app.models.insight import (
    INSIGHT_SOURCES,
    InsightAtom,
    InsightCell,
    InsightEvent,
    InsightSalt,
    InsightState,
    InsightSum,
)
from app.models.notification import OutboxMessage, OutboxStatus, WebhookAttempt, WebhookEndpoint
from app.models.partner import (
    Network,
    NetworkMember,
    Organisation,
    OrganisationMember,
    Partnership,
    ProfileItem,
    RelationChange,
)
from app.models.person import AnswerLink, SignInToken, User, UserRole, UserSession
from app.models.request import Request, RequestStatus
from app.models.standing import (
    AlertFrequency,
    AlertRun,
    AlertSeen,
    SavedSearch,
    StandingCheck,
)
from app.models.work_kind import WorkKind

__all__ = [
    "FTS_TABLE",
    "INSIGHT_SOURCES",
    "AlertFrequency",
    "AlertRun",
    "AlertSeen",
    "AnswerLink",
    "ApiKey",
    "Base",
    "Callout",
    "Capability",
    "Case",
    "CaseCompany",
    "CaseRevision",
    "CaseStatus",
    "CaseWorkKind",
    "CatalogueChange",
    "CatalogueState",
    "Certification",
    "Company",
    "CompanyCertification",
    "CompanyChange",
    "CompanyChangeSubject",
    "CompanyStatus",
    "ContactPerson",
    "IdempotencyRecord",
    "InsightAtom",
    "InsightCell",
    "InsightEvent",
    "InsightSalt",
    "InsightState",
    "InsightSum",
    "Invitation",
    "InvitationStatus",
    "Network",
    "NetworkMember",
    "Organisation",
    "OrganisationMember",
    "OutboxMessage",
    "OutboxStatus",
    "Partnership",
    "ProfileItem",
    "RelationChange",
    "Request",
    "RequestStatus",
    "SavedSearch",
    "SignInToken",
    "Site",
    "StandingCheck",
    "UTCDateTime",
    "User",
    "UserRole",
    "UserSession",
    "WebhookAttempt",
    "WebhookEndpoint",
    "WorkKind",
    "include_object",
    "utcnow",
]
