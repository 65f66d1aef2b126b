"""Property tests: the vectorised engine against a plain-Python reference, and ranking rules."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.geo import haversine_km
from app.matching.engine import match
from app.matching.types import Criteria, MatchResult, ScoringParams, Weights

from . import TAXONOMY, TOWNS, CompanyRecord, SiteRecord, build, cap, company, site

KINDS = ("packaging", "assembly", "woodworking", "cleaning", "catering", "warehousing")
GROUPS = ("production", "facility", "logistics")
CERTS = ("pso", "iso-9001", "haccp", "vca")
BASE_DAY = date(2027, 1, 15)

SETTINGS = settings(max_examples=60, deadline=None)

points = st.tuples(st.sampled_from(sorted(TOWNS)), st.floats(-0.3, 0.3), st.floats(-0.3, 0.3)).map(
    lambda t: (TOWNS[t[0]][0] + t[1], TOWNS[t[0]][1] + t[2])
)
days = st.integers(-60, 150).map(lambda n: BASE_DAY + timedelta(days=n))


@st.composite
def companies(draw: st.DrawFn, max_size: int = 8) -> list[CompanyRecord]:
    n = draw(st.integers(0, max_size))
    # Ids in random order relative to list position, so id tie-breaks get exercised.
    numbers = draw(st.permutations(range(n)))
    out = []
    for i in numbers:
        sites = [
            site(
                f"c{i}-s{j}",
                at=draw(points),
                radius_km=draw(st.sampled_from([5.0, 25.0, 60.0, 150.0, 400.0])),
            )
            for j in draw(st.permutations(range(draw(st.integers(1, 3)))))
        ]
        caps = []
        for _ in range(draw(st.integers(1, 4))):
            where = draw(st.none() | st.sets(st.sampled_from([s.site_id for s in sites])))
            caps.append(cap(draw(st.sampled_from(KINDS)), draw(st.integers(0, 50)), site_ids=where))
        out.append(
            company(
                f"c{i}",
                caps,
                sites=sites,
                certs=draw(st.sets(st.sampled_from(CERTS))),
                active=draw(st.booleans() | st.just(True)),
                available_from=draw(st.none() | days),
            )
        )
    return out


@st.composite
def criteria(draw: st.DrawFn) -> Criteria:
    asked = draw(st.lists(st.sampled_from(KINDS + GROUPS), min_size=1, max_size=3))
    where = draw(st.none() | points)
    return Criteria(
        work_kinds=tuple(asked),
        lat=None if where is None else where[0],
        lon=None if where is None else where[1],
        max_distance_km=draw(st.none() | st.floats(1.0, 300.0)),
        workers_needed=draw(st.none() | st.integers(1, 60)),
        start_date=draw(st.none() | days),
        required_certifications=frozenset(draw(st.sets(st.sampled_from(CERTS), max_size=1))),
        preferred_certifications=frozenset(draw(st.sets(st.sampled_from(CERTS), max_size=3))),
        limit=draw(st.integers(1, 10)),
    )


weights = st.builds(
    Weights,
    work_kinds=st.sampled_from([0.0, 0.4, 1.0]),
    distance=st.sampled_from([0.0, 0.25, 1.0]),
    capacity=st.sampled_from([0.0, 0.2, 1.0]),
    availability=st.sampled_from([0.0, 0.1]),
    certifications=st.sampled_from([0.0, 0.05]),
)


# --- a slow, obvious reference implementation --------------------------------------------------


def reference(
    comps: list[CompanyRecord], c: Criteria, w: Weights, p: ScoringParams
) -> tuple[list[tuple[str, str, float, float | None]], int]:
    asked = list(dict.fromkeys(c.work_kinds))
    wanted = {k for a in asked for k in (TAXONOMY.kinds_in(a) or (a,))}
    best: dict[str, tuple[float, float, str, float | None]] = {}
    for comp in comps:
        if not comp.active or not c.required_certifications <= comp.certifications:
            continue
        for s in comp.sites:
            offered: dict[str, int] = {}
            for capability in comp.capabilities:
                if capability.site_ids is None or s.site_id in capability.site_ids:
                    k = capability.work_kind
                    offered[k] = max(offered.get(k, 0), capability.capacity_workers)
            if not wanted & offered.keys():
                continue
            parts = [(w.work_kinds, kinds_score(asked, offered, p))]
            d = None
            if c.lat is not None and c.lon is not None:
                d = haversine_km(c.lat, c.lon, s.lat, s.lon)
                if d > s.service_radius_km:
                    continue
                if c.max_distance_km is not None:
                    if d > c.max_distance_km:
                        continue
                    parts.append((w.distance, max(0.0, 1 - d / c.max_distance_km)))
                else:
                    parts.append((w.distance, p.distance_half_km / (p.distance_half_km + d)))
            if c.workers_needed is not None:
                available = max(v for k, v in offered.items() if k in wanted)
                parts.append((w.capacity, min(1.0, available / c.workers_needed)))
            if c.start_date is not None:
                late = (
                    0 if comp.available_from is None else (comp.available_from - c.start_date).days
                )
                parts.append(
                    (
                        w.availability,
                        1.0 if late <= 0 else max(0.0, 1 - late / p.availability_grace_days),
                    )
                )
            if c.preferred_certifications:
                held = len(c.preferred_certifications & comp.certifications)
                parts.append((w.certifications, held / len(c.preferred_certifications)))
            total_w = sum(x for x, _ in parts)
            score = round(100 * sum(x * y for x, y in parts) / total_w, 2) if total_w else 0.0
            key = (-score, 0.0 if d is None else round(d, 3), s.site_id, d)
            if comp.company_id not in best or key[:3] < best[comp.company_id][:3]:
                best[comp.company_id] = key
    ranked = sorted(best.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0]))
    rows = [(cid, sid, -neg, d) for cid, (neg, _, sid, d) in ranked]
    return rows[: c.limit], len(best)


def kinds_score(asked: list[str], offered: dict[str, int], p: ScoringParams) -> float:
    total = 0.0
    for a in asked:
        if TAXONOMY.is_group(a):
            total += any(k in offered for k in TAXONOMY.kinds_in(a))
        elif a in offered:
            total += 1
        elif any(k in offered for k in TAXONOMY.kinds_in(TAXONOMY.group_of(a) or "")):
            total += p.sibling_credit
    return total / len(asked)


def rows(result: MatchResult) -> list[tuple[str, str, float, float | None]]:
    return [(m.company_id, m.site_id, m.score, m.distance_km) for m in result.matches]


# --- properties --------------------------------------------------------------------------------


@SETTINGS
@given(companies(), criteria(), weights)
def test_engine_agrees_with_the_reference(
    comps: list[CompanyRecord], c: Criteria, w: Weights
) -> None:
    result = match(build(comps, TAXONOMY), c, w)
    expected, total = reference(comps, c, w, ScoringParams())
    got = rows(result)
    assert [r[:3] for r in got] == [r[:3] for r in expected]
    for (*_, d_got), (*_, d_ref) in zip(got, expected, strict=True):
        assert (d_got is None) == (d_ref is None)
        if d_got is not None and d_ref is not None:
            assert abs(d_got - d_ref) < 0.001
    assert result.total_candidates == total


@SETTINGS
@given(companies(), criteria(), weights)
def test_result_invariants(comps: list[CompanyRecord], c: Criteria, w: Weights) -> None:
    result = match(build(comps, TAXONOMY), c, w)
    by_id = {x.company_id: x for x in comps}
    found = [m.company_id for m in result.matches]
    assert len(found) == len(set(found))  # a company appears once
    assert len(found) <= c.limit
    assert result.total_candidates >= len(found)
    keys = [(-m.score, m.distance_km or 0.0, m.company_id) for m in result.matches]
    assert keys == sorted(keys)
    for m in result.matches:
        comp = by_id[m.company_id]
        assert comp.active
        assert c.required_certifications <= comp.certifications
        assert 0.0 <= m.score <= 100.0
        assert all(0.0 <= part.score <= 1.0 for part in m.components)
        (site,) = [s for s in comp.sites if s.site_id == m.site_id]
        if m.distance_km is not None:
            assert m.distance_km <= site.service_radius_km + 0.001
            if c.max_distance_km is not None:
                assert m.distance_km <= c.max_distance_km + 0.001


@SETTINGS
@given(companies(), criteria(), st.randoms(use_true_random=False))
def test_deterministic_under_shuffled_input(
    comps: list[CompanyRecord], c: Criteria, rnd: object
) -> None:
    first = match(build(comps, TAXONOMY), c)
    shuffled = list(comps)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert match(build(shuffled, TAXONOMY), c) == first
    assert match(build(comps, TAXONOMY), c) == first


def one_site_company(
    company_id: str, kinds: list[str], workers: int, at: tuple[float, float]
) -> CompanyRecord:
    return company(
        company_id,
        [cap(k, workers) for k in kinds],
        sites=[SiteRecord(f"{company_id}-s", at[0], at[1], 1000.0)],
    )


def position(result: MatchResult, company_id: str) -> int:
    return [m.company_id for m in result.matches].index(company_id)


@SETTINGS
@given(
    st.sampled_from(KINDS),
    points,
    points,
    points,
    st.none() | st.floats(600.0, 900.0),
    st.booleans(),
)
def test_nearer_ranks_above_farther_all_else_equal(
    kind: str,
    asked_at: tuple[float, float],
    at_a: tuple[float, float],
    at_b: tuple[float, float],
    max_km: float | None,
    swap_ids: bool,
) -> None:
    name_a, name_b = ("b", "a") if swap_ids else ("a", "b")
    comps = [one_site_company(name_a, [kind], 10, at_a), one_site_company(name_b, [kind], 10, at_b)]
    c = Criteria(work_kinds=(kind,), lat=asked_at[0], lon=asked_at[1], max_distance_km=max_km)
    result = match(build(comps, TAXONOMY), c)
    da = haversine_km(*asked_at, *at_a)
    db = haversine_km(*asked_at, *at_b)
    if abs(da - db) > 0.002:
        nearer = name_a if da < db else name_b
        assert result.matches[0].company_id == nearer


@SETTINGS
@given(
    st.sampled_from(KINDS),
    st.integers(0, 100),
    st.integers(0, 100),
    st.integers(1, 100),
    points,
    st.booleans(),
)
def test_more_fitting_capacity_ranks_above_less(
    kind: str, cap_a: int, cap_b: int, needed: int, at: tuple[float, float], swap_ids: bool
) -> None:
    name_a, name_b = ("b", "a") if swap_ids else ("a", "b")
    comps = [
        one_site_company(name_a, [kind], cap_a, at),
        one_site_company(name_b, [kind], cap_b, at),
    ]
    result = match(
        build(comps, TAXONOMY),
        Criteria(work_kinds=(kind,), lat=at[0], lon=at[1], workers_needed=needed),
    )
    fit_a, fit_b = min(cap_a, needed), min(cap_b, needed)
    if fit_a != fit_b:
        more = name_a if fit_a > fit_b else name_b
        assert result.matches[0].company_id == more
        assert result.matches[0].score > result.matches[1].score
    else:
        assert result.matches[0].score == result.matches[1].score


@SETTINGS
@given(
    st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True),
    st.sets(st.sampled_from(KINDS)),
    st.sets(st.sampled_from(KINDS)),
    st.booleans(),
)
def test_more_asked_kinds_covered_ranks_above_fewer(
    asked: list[str], fewer: set[str], extra: set[str], swap_ids: bool
) -> None:
    more = fewer | extra
    tilburg = TOWNS["Tilburg"]
    name_more, name_fewer = ("b", "a") if swap_ids else ("a", "b")
    comps = [
        one_site_company(name_more, sorted(more), 10, tilburg),
        one_site_company(name_fewer, sorted(fewer), 10, tilburg),
    ]
    result = match(build(comps, TAXONOMY), Criteria(work_kinds=tuple(asked)))
    scores = {m.company_id: m.score for m in result.matches}
    covered_more = len(set(asked) & more)
    covered_fewer = len(set(asked) & fewer)
    if covered_fewer:
        assert name_more in scores  # a superset that covers something is a candidate too
    if name_fewer in scores:
        assert scores[name_more] >= scores[name_fewer]
        if covered_more > covered_fewer:
            assert scores[name_more] > scores[name_fewer]
            assert position(result, name_more) < position(result, name_fewer)


@SETTINGS
@given(companies(), criteria(), st.sampled_from(CERTS))
def test_missing_required_certification_excludes(
    comps: list[CompanyRecord], c: Criteria, cert: str
) -> None:
    c = dataclasses.replace(c, required_certifications=frozenset({cert}), limit=100)
    result = match(build(comps, TAXONOMY), c)
    lacking = {x.company_id for x in comps if cert not in x.certifications}
    assert not lacking & {m.company_id for m in result.matches}


@SETTINGS
@given(companies(), criteria())
def test_inactive_company_never_appears(comps: list[CompanyRecord], c: Criteria) -> None:
    c = dataclasses.replace(c, limit=100)
    result = match(build(comps, TAXONOMY), c)
    inactive = {x.company_id for x in comps if not x.active}
    assert not inactive & {m.company_id for m in result.matches}


@SETTINGS
@given(st.lists(points, min_size=1, max_size=8), points, st.sampled_from(KINDS))
def test_without_max_distance_far_companies_appear_nearer_first(
    spots: list[tuple[float, float]], asked_at: tuple[float, float], kind: str
) -> None:
    comps = [one_site_company(f"c{i}", [kind], 10, at) for i, at in enumerate(spots)]
    c = Criteria(work_kinds=(kind,), lat=asked_at[0], lon=asked_at[1], limit=100)
    result = match(build(comps, TAXONOMY), c)
    assert len(result.matches) == len(comps)  # nothing cut off: radius 1000 km covers NL/BE
    distances = [m.distance_km for m in result.matches]
    assert distances == sorted(distances)  # type: ignore[type-var]


@SETTINGS
@given(st.sampled_from(GROUPS), st.data())
def test_group_request_matches_all_kinds_in_the_group(group: str, data: st.DataObject) -> None:
    kinds = TAXONOMY.kinds_in(group)
    offered = data.draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True))
    result = match(
        build([company("a", offered)], TAXONOMY), Criteria(work_kinds=(group,))
    )
    assert [m.company_id for m in result.matches] == ["a"]
    assert result.matches[0].score == 100.0


@SETTINGS
@given(
    st.lists(st.tuples(st.floats(-89.9, 89.9), st.floats(-180.0, 180.0)), min_size=1,
             max_size=40),
    st.tuples(st.floats(-90.0, 90.0), st.floats(-180.0, 180.0)),
    st.floats(0.0, 3000.0),
)
def test_the_spatial_prefilter_keeps_every_site_within_reach(
    spots: list[tuple[float, float]], at: tuple[float, float], reach_km: float
) -> None:
    """Anywhere on the globe, poles and the antimeridian included."""
    comps = [company(f"c{i}", sites=[site(f"s{i}", at=spot)]) for i, spot in enumerate(spots)]
    catalogue = build(comps, TAXONOMY)
    near = {catalogue.site_ids[i].decode() for i in catalogue.sites_near(*at, reach_km)}
    within = {f"s{i}" for i, spot in enumerate(spots) if haversine_km(*at, *spot) <= reach_km}
    assert within <= near
