"""Small factories: real rows through the real service layer."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.keys import hash_token, new_sign_in_token
from app.companies.schemas import CompanyCreate
from app.companies.service import create_company as create_company_service
from app.models import Company, SignInToken, User, UserSession, utcnow
from app.people.service import create_user
from tests.conftest import ADMIN

_kvk = itertools.count(10_000_001)

# Real town coordinates (GeoNames).
TOWNS: dict[str, tuple[float, float, str]] = {
    "Tilburg": (51.5555, 5.0913, "NL"),
    "Breda": (51.5866, 4.7760, "NL"),
    "Eindhoven": (51.4416, 5.4697, "NL"),
    "Utrecht": (52.0907, 5.1214, "NL"),
    "Amsterdam": (52.3676, 4.9041, "NL"),
    "Groningen": (53.2194, 6.5665, "NL"),
    "Hilversum": (52.2292, 5.1669, "NL"),
    "Antwerpen": (51.2194, 4.4025, "BE"),
    "Gent": (51.0543, 3.7174, "BE"),
    "Hasselt": (50.9307, 5.3325, "BE"),
}


def company_profile(
    name: str = "Werkbedrijf Test",
    *,
    town: str = "Tilburg",
    kinds: dict[str, int] | None = None,
    certifications: list[str] | None = None,
    status: str = "active",
    radius: float = 100,
    available_from: str | None = None,
    extra_sites: list[str] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A v1 profile body; kinds maps work kind to capacity_workers."""
    sites = []
    for i, site_town in enumerate([town, *(extra_sites or [])]):
        lat, lon, country = TOWNS[site_town]
        sites.append({
            "name": "Hoofdvestiging" if i == 0 else f"Vestiging {site_town}",
            "city": site_town, "country": country, "lat": lat, "lon": lon,
            "service_radius_km": radius,
        })
    profile: dict[str, Any] = {
        "name": name,
        "registration": {"country": "NL", "number": str(next(_kvk))},
        "description": "Een testbedrijf.",
        "email": "info@werkbedrijf.example.org",
        "phone": "+31135000000",
        "contacts": [{"name": "Anna de Vries", "role": "accountmanager",
                      "email": "anna@werkbedrijf.example.org", "phone": "+31612345678"}],
        "certifications": certifications or [],
        "sites": sites,
        "capabilities": [
            {"work_kind": kind, "capacity_workers": workers}
            for kind, workers in (kinds or {"packaging": 20}).items()
        ],
        "status": status,
    }
    if available_from:
        profile["available_from"] = available_from
    profile.update(overrides)
    return profile


def create_company(session: Session, name: str = "Werkbedrijf Test", **kwargs: Any) -> Company:
    company = create_company_service(
        session, CompanyCreate.model_validate(company_profile(name, **kwargs)), ADMIN
    )
    session.commit()
    return company


# --- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedInPerson:
    """A person signed in over HTTP: the cookie and the CSRF token a browser would hold."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    cookie: str
    csrf_token: str

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"loket_session={self.cookie}", "X-CSRF-Token": self.csrf_token}


def create_person(
    session: Session, email: str, *, role: str = "entrepreneur",
    company_id: uuid.UUID | None = None, name: str = "Test Persoon", language: str = "nl",
) -> User:
    user = create_user(session, email=email, name=name, role=role, company_id=company_id,
                       language=language)
    session.commit()
    return user


def sign_in_token(
    session: Session, user_id: uuid.UUID, *, valid: timedelta = timedelta(minutes=15),
    next_path: str | None = None,
) -> str:
    """A sign-in link's token, as a mail would carry it."""
    token = new_sign_in_token()
    session.add(SignInToken(
        id=uuid.uuid4(), user_id=user_id, token_hash=hash_token(token), purpose="sign-in",
        created_at=utcnow(), expires_at=utcnow() + valid, next=next_path,
    ))
    session.commit()
    return token


def sign_in(session: Session, client: httpx.Client, user_id: uuid.UUID) -> SignedInPerson:
    """Sign in through `POST /v1/auth/sessions`; the client keeps no cookie of its own."""
    r = client.post("/v1/auth/sessions", json={"token": sign_in_token(session, user_id)})
    assert r.status_code == 201, r.text
    cookie = r.cookies["loket_session"]
    client.cookies.clear()
    row = session.scalars(
        select(UserSession).where(UserSession.token_hash == hash_token(cookie))
    ).one()
    return SignedInPerson(user_id=user_id, session_id=row.id, cookie=cookie,
                          csrf_token=r.json()["csrf_token"])
