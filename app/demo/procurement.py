"""Procurement facts for the demo companies: PSO levels and target-group shares, so that a
fresh `make run` shows reserved contracts (some companies eligible, some not) and PSO levels
in matches. Fictional, like the rest of the demo data.

Deterministic per company: each company's facts come from its registration number, so they
stay the same whatever other demo modules add or reorder.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

# (weight, share range in percent): most sheltered-work companies employ a large share of
# target-group workers; some fall below the 30% of reserved contracts; some state nothing.
_SHARES = ((60, (30.0, 85.0)), (25, (8.0, 29.5)), (15, None))
_LEVELS_WITH_CERTIFICATE = ("trede-1", "trede-2", "trede-3", "30-plus")
_LEVELS_WITHOUT = ("aspirant", "basistrede")


def add_procurement_facts(companies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The profiles with `pso` and `target_group` added where the company has them."""
    return [{**profile, **facts_for(profile)} for profile in companies]


def facts_for(profile: dict[str, Any]) -> dict[str, Any]:
    registration = profile["registration"]
    rng = random.Random(  # noqa: S311 -- fictional demo data, no secret
        f"procurement:{registration['country']}:{registration['number']}")
    facts: dict[str, Any] = {}
    (shares,) = rng.choices([s for _, s in _SHARES], weights=[w for w, _ in _SHARES])
    if shares is not None:
        facts["target_group"] = {
            "share_percent": round(rng.uniform(*shares) * 2) / 2,  # to half a percent
            "stated_on": _day(rng, date(2026, 1, 5), 320).isoformat(),
        }
    if "pso" in profile.get("certifications", []):
        level = rng.choice(_LEVELS_WITH_CERTIFICATE)
        if level == "30-plus" and facts.get("target_group", {}).get("share_percent", 0) < 30:
            level = "trede-3"  # PSO 30+ means 30% or more from the target group
    elif profile["registration"]["country"] == "NL" and rng.random() < 0.25:
        level = rng.choice(_LEVELS_WITHOUT)
    else:
        return facts
    facts["pso"] = {"level": level,
                    "certified_on": _day(rng, date(2024, 3, 1), 900).isoformat()}
    return facts


def _day(rng: random.Random, first: date, span_days: int) -> date:
    return first + timedelta(days=rng.randrange(span_days))
