"""Propose combinations of two or three companies that together cover `workers_needed`.

Pure: frozen dataclasses in, ranked proposals out; no web or database imports.

Ranking, best first:
1. fewer members (two companies are easier to coordinate than three);
2. more of the asked kinds covered by the combination together;
3. more kinds shared by every member (they can stand in for each other);
4. smaller largest distance (the farthest member is what a client feels);
5. less surplus capacity over what is needed (a snug fit wastes nobody's time);
6. the members' ids, so the order is deterministic.

Only minimal combinations are proposed: a trio whose pair already covers the need is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from app.words.format import number

MAX_PROPOSALS = 5
MAX_CANDIDATES = 50


@dataclass(frozen=True, slots=True)
class Candidate:
    company_id: str
    name: str
    site_name: str
    city: str | None
    distance_km: float | None
    capacity_workers: int  # for the asked kinds (largest single-kind figure)
    kinds: frozenset[str]  # the asked kinds (or groups) this company covers


@dataclass(frozen=True, slots=True)
class Proposal:
    members: tuple[Candidate, ...]
    total_capacity: int
    shared_kinds: tuple[str, ...]  # covered by every member
    covered_kinds: tuple[str, ...]  # covered by at least one member
    largest_distance_km: float | None

    @property
    def company_ids(self) -> tuple[str, ...]:
        return tuple(m.company_id for m in self.members)


def propose(
    candidates: Sequence[Candidate],
    workers_needed: int | None,
    *,
    max_distance_km: float | None = None,
    asked_kinds: Sequence[str] = (),
    limit: int = MAX_PROPOSALS,
    max_candidates: int = MAX_CANDIDATES,
) -> list[Proposal]:
    """Up to `limit` ranked combinations, or none when one company alone covers the need."""
    if not workers_needed or workers_needed <= 0 or limit <= 0:
        return []
    usable = [
        c for c in candidates[:max_candidates]
        if c.capacity_workers > 0
        and (max_distance_km is None or c.distance_km is None or c.distance_km <= max_distance_km)
    ]
    if any(c.capacity_workers >= workers_needed for c in usable):
        return []
    # Ids sort the members so a combination has one spelling.
    usable.sort(key=lambda c: c.company_id)
    found: list[Proposal] = []
    covering_pairs: set[frozenset[str]] = set()
    for size in (2, 3):
        for group in combinations(usable, size):
            total = sum(c.capacity_workers for c in group)
            if total < workers_needed:
                continue
            ids = frozenset(c.company_id for c in group)
            if size == 3 and any(frozenset(p) in covering_pairs for p in combinations(ids, 2)):
                continue
            if size == 2:
                covering_pairs.add(ids)
            found.append(_proposal(group, asked_kinds))
    found.sort(key=lambda p: _rank_key(p, workers_needed))
    return found[:limit]


def _proposal(group: Sequence[Candidate], asked: Sequence[str]) -> Proposal:
    order = {k: i for i, k in enumerate(asked)}

    def ordered(kinds: frozenset[str]) -> tuple[str, ...]:
        return tuple(sorted(kinds, key=lambda k: (order.get(k, len(order)), k)))

    shared = frozenset.intersection(*(c.kinds for c in group))
    covered = frozenset.union(*(c.kinds for c in group))
    distances = [c.distance_km for c in group if c.distance_km is not None]
    members = tuple(
        sorted(group, key=lambda c: (-c.capacity_workers, c.distance_km or 0.0, c.company_id))
    )
    return Proposal(
        members=members,
        total_capacity=sum(c.capacity_workers for c in group),
        shared_kinds=ordered(shared),
        covered_kinds=ordered(covered),
        largest_distance_km=round(max(distances), 1) if distances else None,
    )


def _rank_key(p: Proposal, needed: int) -> tuple[object, ...]:
    return (
        len(p.members),
        -len(p.covered_kinds),
        -len(p.shared_kinds),
        p.largest_distance_km if p.largest_distance_km is not None else 0.0,
        p.total_capacity - needed,
        sorted(p.company_ids),
    )


def explain(p: Proposal, needed: int, lang: str, label: dict[str, str] | None = None) -> str:
    """One sentence a person can read, in Dutch, French or English."""
    label = label or {}
    names = [m.name for m in p.members]
    shared = ", ".join(label.get(k, k) for k in p.shared_kinds)
    parts = " + ".join(f"{m.name} ({number(m.capacity_workers, lang)})" for m in p.members)
    total, asked = number(p.total_capacity, lang), number(needed, lang)
    far = None if p.largest_distance_km is None else number(
        p.largest_distance_km, lang, 1, trim=True)
    if lang == "nl":
        joined = " en ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        text = (
            f"{joined} leveren samen {total} van de {asked} gevraagde mensen: "
            f"{parts}."
        )
        if shared:
            text += f" Allen bieden {shared}."
        if far is not None:
            text += f" Grootste afstand {far} km."
        return text
    if lang == "fr":
        joined = " et ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        text = f"{joined} fournissent ensemble {total} des {asked} personnes demandées : {parts}."
        if shared:
            text += f" Toutes proposent {shared}."
        if far is not None:
            text += f" Distance maximale {far} km."
        return text
    joined = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    text = f"{joined} together offer {total} of the {asked} people asked: {parts}."
    if shared:
        text += f" All offer {shared}."
    if far is not None:
        text += f" Largest distance {far} km."
    return text
