"""Procurement facts, pure: the PSO ladder, eligibility for reserved contracts, and social
return (what is at stake in a contract and how much of it a company's work could cover, by
the counting rules in `data/social_return.toml`).

No web or database framework: the companies and search domains, the explanations and the
mails all take their words and sums from here. docs/procurement.md explains the rules file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The PSO ladder (Prestatieladder Socialer Ondernemen), lowest first. Codes are stable; the
# order is what `min_pso_level` compares by ("30-plus" is the recognition for organisations
# where 30% or more of the workforce comes from the target group: the top).
PSO_LEVELS: tuple[tuple[str, dict[str, str]], ...] = (
    ("aspirant", {"nl": "PSO-aspirant", "en": "PSO aspirant", "fr": "PSO aspirant"}),
    ("basistrede", {"nl": "PSO basistrede", "en": "PSO base step",
                    "fr": "PSO échelon de base"}),
    ("trede-1", {"nl": "PSO trede 1", "en": "PSO step 1", "fr": "PSO échelon 1"}),
    ("trede-2", {"nl": "PSO trede 2", "en": "PSO step 2", "fr": "PSO échelon 2"}),
    ("trede-3", {"nl": "PSO trede 3", "en": "PSO step 3", "fr": "PSO échelon 3"}),
    ("30-plus", {"nl": "PSO 30+", "en": "PSO 30+", "fr": "PSO 30+"}),
)
PSO_CODES: tuple[str, ...] = tuple(code for code, _ in PSO_LEVELS)
_PSO_RANK = {code: rank for rank, code in enumerate(PSO_CODES)}
NO_PSO = -1  # the rank of "no PSO level"

# Art. 20 of Directive 2014/24/EU and Art. 2.82 Aanbestedingswet: a contract may be reserved
# for economic operators of which at least 30% of the workers are disabled or disadvantaged.
RESERVED_SHARE_PERCENT = 30.0
RESERVED_CODE = "res-ws"  # eForms BT-71 (Reserved Participation), sheltered workshops

RULES_FILE = Path(__file__).parent / "data" / "social_return.toml"


def pso_rank(code: str | None) -> int:
    """Position on the ladder (0 = aspirant); NO_PSO for none. Unknown codes raise KeyError."""
    return NO_PSO if code is None else _PSO_RANK[code]


def pso_label(code: str, lang: str) -> str:
    """The level's name in Dutch, French or English (any other language); the code when
    unknown."""
    for known, labels in PSO_LEVELS:
        if known == code:
            return labels.get(lang, labels["en"])
    return code


def reserved_eligible(target_group_share: float | None) -> bool:
    """Eligible for reserved contracts: a stated target-group share of 30% or more."""
    return target_group_share is not None and target_group_share >= RESERVED_SHARE_PERCENT


# --- social return -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """One set of counting rules: the default, or a region's override of some of it."""

    code: str
    label_nl: str
    label_en: str
    label_fr: str
    sheltered_work_percent: float  # share of the invoice value (excl. VAT) that counts
    pso_percent: Mapping[str, float]  # PSO level -> share of the invoice value that counts
    annual_value_per_worker_eur: float  # what one worker's year of work is estimated at
    places: tuple[str, ...]  # place names (as the geocoder spells them) that fall under it
    source: str
    verified: bool

    def label(self, lang: str) -> str:
        return {"nl": self.label_nl, "fr": self.label_fr}.get(lang, self.label_en)


@dataclass(frozen=True, slots=True)
class Rules:
    default: Region
    regions: Mapping[str, Region]  # overrides by code

    def region(self, code: str | None = None, place: str | None = None) -> Region:
        """The rules of region `code`, else of the region a `place` lies in, else the
        default."""
        if code is not None and code in self.regions:
            return self.regions[code]
        if place:
            wanted = place.casefold()
            for region in self.regions.values():
                if any(p.casefold() == wanted for p in region.places):
                    return region
        return self.default


def parse_rules(data: Mapping[str, object]) -> Rules:
    """Rules from the parsed TOML: `[default]` complete, each `[regions.<code>]` overriding
    any of its fields. Raises ValueError on a malformed file (checked by the tests)."""
    base = data.get("default")
    if not isinstance(base, dict):
        raise ValueError("the rules need a [default] table")
    default = _region("default", base, None)
    raw = data.get("regions", {})
    if not isinstance(raw, dict):
        raise ValueError("[regions] must be a table")
    regions = {code: _region(code, table, default) for code, table in raw.items()}
    return Rules(default=default, regions=regions)


def _region(code: str, table: object, base: Region | None) -> Region:
    if not isinstance(table, dict):
        raise ValueError(f"region {code} must be a table")

    def get(name: str) -> object:
        if name in table:
            return table[name]
        if base is None:
            raise ValueError(f"[default] lacks {name}")
        return getattr(base, name)

    pso = dict(base.pso_percent) if base is not None else {}
    pso.update({str(k): float(v) for k, v in dict(table.get("pso_percent", {})).items()})
    unknown = sorted(set(pso) - set(PSO_CODES))
    if unknown:
        raise ValueError(f"region {code}: unknown PSO levels {unknown}")
    region = Region(
        code=code,
        label_nl=str(get("label_nl")),
        label_en=str(get("label_en")),
        label_fr=str(get("label_fr")),
        sheltered_work_percent=float(get("sheltered_work_percent")),  # type: ignore[arg-type]
        pso_percent=pso,
        annual_value_per_worker_eur=float(get("annual_value_per_worker_eur")),  # type: ignore[arg-type]
        places=tuple(str(p) for p in table.get("places", ())),
        source=str(table.get("source", "")),
        verified=bool(table.get("verified", False)),
    )
    shares = [region.sheltered_work_percent, *region.pso_percent.values()]
    if any(not 0 <= s <= 100 for s in shares) or region.annual_value_per_worker_eur <= 0:
        raise ValueError(f"region {code}: percentages lie in 0-100, values above 0")
    return region


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The counting rules shipped with the application (read once per process)."""
    with RULES_FILE.open("rb") as file:
        return parse_rules(tomllib.load(file))


@dataclass(frozen=True, slots=True)
class Obligation:
    """What a contract obliges the supplier to spend on social return."""

    amount_eur: float
    contract_value_eur: float | None
    percentage: float | None
    region: Region


def obligation(
    region: Region, *, contract_value_eur: float | None = None, percentage: float | None = None,
    amount_eur: float | None = None,
) -> Obligation:
    """The amount at stake: `contract_value_eur` x `percentage` / 100, or `amount_eur`."""
    if amount_eur is None:
        if contract_value_eur is None or percentage is None:
            raise ValueError("give contract_value_eur and percentage, or amount_eur")
        amount_eur = contract_value_eur * percentage / 100
    return Obligation(round(amount_eur, 2), contract_value_eur, percentage, region)


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of an obligation one company's (or a consortium's) work could cover."""

    could_cover_eur: float  # capped by the obligation
    counted_percent: float  # share of the invoice value that counts
    rule: str  # "sheltered-work" or "pso"
    pso_level: str | None  # the level whose rule counted, for "pso"
    workers: int  # people whose work the estimate assumes
    annual_work_eur: float  # workers x the region's annual value per worker
    share_of_obligation: float  # could_cover / amount at stake, 0..1


def counting_rule(region: Region, pso_level: str | None) -> tuple[float, str, str | None]:
    """(percent of the invoice value that counts, rule, PSO level): every company on Loket
    is a sheltered-work company, so the sheltered-work rule applies to all; a PSO level
    counts instead where the region's rule for it gives more."""
    percent, rule, level = region.sheltered_work_percent, "sheltered-work", None
    if pso_level is not None:
        pso = region.pso_percent.get(pso_level)
        if pso is not None and pso > percent:
            percent, rule, level = pso, "pso", pso_level
    return percent, rule, level


def coverage(obliged: Obligation, workers: int, pso_level: str | None) -> Coverage:
    """An estimate, not a promise: a year of work of `workers` people at the region's annual
    value per worker, counted at the rule's share of the invoice value, at most the amount at
    stake."""
    region = obliged.region
    percent, rule, level = counting_rule(region, pso_level)
    work = max(0, workers) * region.annual_value_per_worker_eur
    cover = min(obliged.amount_eur, round(work * percent / 100, 2))
    share = cover / obliged.amount_eur if obliged.amount_eur > 0 else 0.0
    return Coverage(cover, percent, rule, level, max(0, workers), work,
                    round(min(1.0, share), 4))


def combined(obliged: Obligation, parts: list[Coverage]) -> Coverage:
    """Several companies together: each member's work counted by its own rule, added up, at
    most the amount at stake. The rule is the members' common one, else "mixed" (with the
    share of their work that counts, overall)."""
    counted = sum(p.annual_work_eur * p.counted_percent / 100 for p in parts)
    work = sum(p.annual_work_eur for p in parts)
    cover = min(obliged.amount_eur, round(counted, 2))
    rules_used = {(p.rule, p.pso_level) for p in parts}
    rule, level = next(iter(rules_used)) if len(rules_used) == 1 else ("mixed", None)
    share = cover / obliged.amount_eur if obliged.amount_eur > 0 else 0.0
    return Coverage(
        could_cover_eur=cover,
        counted_percent=round(100 * counted / work, 2) if work > 0 else 0.0,
        rule=rule,
        pso_level=level,
        workers=sum(p.workers for p in parts),
        annual_work_eur=work,
        share_of_obligation=round(min(1.0, share), 4),
    )
