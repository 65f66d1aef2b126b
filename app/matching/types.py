"""Plain data for the matching core: frozen dataclasses, no framework types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from app.words.languages import label_in


class UnknownWorkKind(ValueError):
    """Criteria name work-kind codes that the taxonomy does not know."""

    def __init__(self, codes: tuple[str, ...] | list[str]) -> None:
        self.codes: tuple[str, ...] = tuple(codes)
        super().__init__(f"unknown work kind(s): {', '.join(self.codes)}")


@dataclass(frozen=True, slots=True)
class WorkKindNode:
    code: str
    parent: str | None  # None: this node is a group
    label_nl: str
    label_en: str
    label_fr: str = ""  # empty: English is shown


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Two-level taxonomy: groups (parent None) and kinds (parent = a group code)."""

    nodes: tuple[WorkKindNode, ...]
    _by_code: Mapping[str, WorkKindNode] = field(init=False, repr=False, compare=False)
    _kinds_in: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code = {node.code: node for node in self.nodes}
        if len(by_code) != len(self.nodes):
            raise ValueError("duplicate work kind codes")
        kinds_in: dict[str, list[str]] = {n.code: [] for n in self.nodes if n.parent is None}
        for node in (n for n in self.nodes if n.parent is not None):
            if node.parent not in kinds_in:
                raise ValueError(f"work kind {node.code} has unknown group {node.parent}")
            kinds_in[node.parent].append(node.code)
        # Frozen dataclass: the lookups are set once, here.
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_kinds_in", {g: tuple(ks) for g, ks in kinds_in.items()})

    def contains(self, code: str) -> bool:
        return code in self._by_code

    def is_group(self, code: str) -> bool:
        node = self._by_code.get(code)
        return node is not None and node.parent is None

    def kinds_in(self, group: str) -> tuple[str, ...]:
        """Kinds of a group in taxonomy order; empty for a kind or an unknown code."""
        return self._kinds_in.get(group, ())

    def group_of(self, kind: str) -> str | None:
        node = self._by_code.get(kind)
        return None if node is None else node.parent

    def label(self, code: str, lang: str) -> str:
        """Label in `lang` (nl, fr, anything else is English); the code itself when unknown."""
        node = self._by_code.get(code)
        if node is None:
            return code
        return label_in(lang, node.label_nl, node.label_en, node.label_fr)

    @property
    def kinds(self) -> tuple[str, ...]:
        """All leaf kinds (not groups) in taxonomy order."""
        return tuple(n.code for n in self.nodes if n.parent is not None)


@dataclass(frozen=True, slots=True)
class Criteria:
    work_kinds: tuple[str, ...]
    lat: float | None = None
    lon: float | None = None
    max_distance_km: float | None = None  # > 0 (the API's schemas ensure it)
    workers_needed: int | None = None  # >= 1
    start_date: date | None = None
    required_certifications: frozenset[str] = frozenset()
    preferred_certifications: frozenset[str] = frozenset()
    limit: int = 20
    # Hard filters of procurement: a contract reserved for sheltered workshops (eForms BT-71
    # `res-ws`) admits only companies with a stated target-group share of 30% or more; a
    # minimum PSO level (a code of app.matching.procurement.PSO_CODES) admits that level and
    # the ones above it.
    reserved_contract: bool = False
    min_pso_level: str | None = None
    # Only these companies (ids) are considered, after the same hard filters: a standing
    # call-out checks the few companies that changed without explaining every other one.
    only_companies: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Weights:
    work_kinds: float = 0.4
    distance: float = 0.25
    capacity: float = 0.2
    availability: float = 0.1
    certifications: float = 0.05


@dataclass(frozen=True, slots=True)
class ScoringParams:
    sibling_credit: float = 0.5
    distance_half_km: float = 30.0  # > 0 (the settings ensure it)
    availability_grace_days: int = 90  # >= 1


@dataclass(frozen=True, slots=True)
class WorkKindFacts:
    covered: tuple[str, ...]  # asked codes offered (a group: by any of its kinds)
    partial: Mapping[str, str]  # asked kind -> the offered sibling that earns partial credit
    missing: tuple[str, ...]
    group_kinds: Mapping[str, tuple[str, ...]]  # asked group -> its offered kinds


@dataclass(frozen=True, slots=True)
class DistanceFacts:
    distance_km: float
    limit_km: float | None


@dataclass(frozen=True, slots=True)
class CapacityFacts:
    available: int  # the figure that counts: the largest of a wanted kind at the site
    needed: int
    work_kind: str | None
    capacity_updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class AvailabilityFacts:
    available_from: date | None
    start_date: date
    days_late: int


@dataclass(frozen=True, slots=True)
class CertificationFacts:
    held: tuple[str, ...]  # preferred certifications held, sorted
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReservedFacts:
    """Why a company may take part in a reserved contract (a hard filter: always eligible)."""

    target_group_share: float  # percent
    stated_on: date | None
    threshold: float  # percent


@dataclass(frozen=True, slots=True)
class PsoFacts:
    """The company's PSO level against the asked minimum (a hard filter: always met)."""

    level: str
    certified_on: date | None
    minimum: str


@dataclass(frozen=True, slots=True)
class ProcurementFacts:
    """A matched company's procurement facts, for social return and the answer."""

    pso_level: str | None
    pso_certified_on: date | None
    target_group_share: float | None  # percent
    target_group_share_stated_on: date | None
    reserved_eligible: bool
    workers: int  # the largest capacity listed for an asked kind at the site


Facts = (WorkKindFacts | DistanceFacts | CapacityFacts | AvailabilityFacts | CertificationFacts
         | ReservedFacts | PsoFacts)


@dataclass(frozen=True, slots=True)
class Component:
    # work_kinds, distance, capacity, availability or certifications; reserved_contract and
    # pso_level are hard filters, reported with weight 0 (and score 1) to explain them
    criterion: str
    score: float  # 0..1, rounded to 4 decimals
    weight: float
    facts: Facts


@dataclass(frozen=True, slots=True)
class Match:
    company_id: str
    site_id: str
    distance_km: float | None
    score: float  # 0..100
    components: tuple[Component, ...]
    procurement: ProcurementFacts | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    matches: tuple[Match, ...]
    total_candidates: int  # companies passing the hard filters
