from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.common.validators import Email, NoNul, ShortText, Text200
from app.companies.schemas import CompanyCreate
from app.words.languages import Language

PersonRole = Literal["entrepreneur", "company", "admin"]


def _local_path(value: str) -> str:
    # Only a path on this site: "/x", never "//host" or "/\\host" (both leave the site).
    if not value.startswith("/") or value[1:2] in ("/", "\\"):
        raise ValueError("must be a path on this site, starting with a single '/'")
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in value):
        raise ValueError("may not contain spaces or control characters")
    return value


NextPath = Annotated[
    str,
    # _local_path's rule, so the OpenAPI document says it too.
    StringConstraints(min_length=1, max_length=500,
                      pattern=r"^/([^/\\\x00-\x20\x7f][^\x00-\x20\x7f]*)?$"),
    AfterValidator(_local_path),
    Field(description="Where the page goes after signing in: a path on this site.",
          examples=["/my/requests"]),
]
Token = Annotated[str, StringConstraints(min_length=1, max_length=200), NoNul]


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LinkRequest(InputModel):
    email: Email
    next: NextPath | None = None
    language: Language | None = Field(
        None, description="The mail's language; the account's own language by default."
    )


class SessionCreate(InputModel):
    token: Token = Field(description="The `token` of the mailed sign-in link.")


class SignUp(InputModel):
    name: Text200
    organisation: ShortText | None = None
    email: Email
    language: Language = "nl"


class MeUpdate(InputModel):
    name: Text200 | None = Field(None, description="Not null when given.")
    organisation: ShortText | None = None
    language: Language | None = Field(None, description="Not null when given.")


class Accepted(BaseModel):
    detail: str


class Me(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    organisation: str | None
    language: Language
    role: PersonRole
    company_id: uuid.UUID | None
    company_status: Literal["pending", "active", "inactive"] | None
    csrf_token: str = Field(description="Send it as `X-CSRF-Token` with every write.")


class SignedIn(BaseModel):
    user: Me
    csrf_token: str = Field(description="Send it as `X-CSRF-Token` with every write.")
    next: str = Field(description="The page to go to now.")


class SessionOut(BaseModel):
    id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    user_agent: str | None
    current: bool


class RegistrationContact(InputModel):
    name: Text200
    email: Email
    role: ShortText | None = None
    language: Language = "nl"


class CompanyRegistration(InputModel):
    company: CompanyCreate = Field(
        description="The profile, as `POST /v1/companies` takes it; stored as `pending`."
    )
    contact: RegistrationContact = Field(
        description="The person registering: becomes the company's first member."
    )


class RegistrationAccepted(Accepted):
    company_id: uuid.UUID


class MemberIn(InputModel):
    name: Text200
    email: Email
    language: Language = "nl"


class MemberOut(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    created_at: datetime
    last_sign_in_at: datetime | None
