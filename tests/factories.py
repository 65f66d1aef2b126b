"""Small factories: real rows through the real service layer."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from app.companies.schemas import CompanyCreate
from app.companies.service import create_company as create_company_service
from app.models import Company
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
