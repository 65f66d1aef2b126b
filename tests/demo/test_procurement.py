"""The demo's procurement facts: valid profile fields, some companies eligible for reserved
contracts and some not, PSO levels spread over the ladder, the same on every run."""

from __future__ import annotations

from app.companies.schemas import CompanyCreate
from app.demo import demo_companies
from app.demo.procurement import facts_for
from app.matching.procurement import PSO_CODES, reserved_eligible


def test_some_companies_are_eligible_and_some_are_not() -> None:
    companies = demo_companies()
    shares = [c.get("target_group", {}).get("share_percent") for c in companies]
    eligible = sum(reserved_eligible(s) for s in shares)
    assert 0.4 * len(companies) < eligible < 0.8 * len(companies)
    assert any(s is None for s in shares) and any(s is not None and s < 30 for s in shares)
    active = [c for c in companies if c["status"] == "active"]
    assert any(reserved_eligible(c.get("target_group", {}).get("share_percent"))
               for c in active)


def test_pso_levels_are_valid_and_spread() -> None:
    companies = demo_companies()
    levels = {c["pso"]["level"] for c in companies if "pso" in c}
    assert levels <= set(PSO_CODES) and len(levels) >= 4
    for company in companies:
        CompanyCreate.model_validate(company)  # the API accepts every profile
        if company.get("pso", {}).get("level") == "30-plus":
            assert reserved_eligible(company["target_group"]["share_percent"])


def test_facts_depend_on_the_company_only() -> None:
    first = demo_companies()[0]
    assert facts_for(first) == facts_for(dict(first))
    assert facts_for(first) == {k: first[k] for k in ("pso", "target_group") if k in first}
