"""The indexed catalogue against the plain engine it replaced, the grid prefilter, the bulk
builder and incremental changes."""

from __future__ import annotations

import math
import pickle
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.geo import haversine_km_array
from app.matching import (
    POOL_CRITERIA,
    Catalogue,
    CompanyRecord,
    Criteria,
    IndexSettings,
    MatchResult,
    Ranked,
    Ranking,
    ScoringParams,
    SiteRecord,
    Weights,
    match,
    rank,
)
from app.matching.grid import Grid

from . import TAXONOMY, TOWNS, cap, company, site
from .legacy import LegacyCatalogue, legacy_match
from .test_properties import CERTS, GROUPS, KINDS, companies, criteria, days, points, weights

SETTINGS = settings(max_examples=80, deadline=None)


# Small cells and tiers, so that small examples cross cell, row, tier and bucket boundaries.
@st.composite
def index_settings(draw: st.DrawFn) -> IndexSettings:
    tiers = draw(st.sampled_from([None, (25.0,), (10.0, 60.0, 200.0), (5.0, 700.0), (50.0, 400.0)]))
    wide = draw(st.sampled_from([800.0, 1000.0] if tiers else [30.0, 300.0, 800.0]))
    return IndexSettings(
        cell_deg=draw(st.sampled_from([0.05, 0.2, 0.5, 7.0, 90.0])),
        radius_tiers_km=tiers,
        wide_radius_km=wide,
        grid_min_sites=draw(st.sampled_from([0, 0, 5, 1000])),
        delta_min_sites=draw(st.sampled_from([0, 3, 10_000])),
        delta_ratio=draw(st.sampled_from([0.0, 0.5])),
    )


# Anywhere on the globe, with the poles, the antimeridian and a few odd values.
world_points = st.one_of(
    points,
    st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    st.tuples(st.sampled_from([-90.0, -89.9, 89.95, 90.0]), st.floats(-180, 180)),
    st.tuples(st.floats(-60, 60), st.sampled_from([-180.0, -179.99, 179.99, 180.0])),
)
odd_points = st.sampled_from([(math.nan, 5.0), (52.0, math.nan), (95.0, 5.0), (52.0, 400.0)])
radii = st.one_of(
    st.sampled_from([0.0, 5.0, 25.0, 60.0, 150.0, 400.0, 2500.0]),
    st.floats(0.0, 3000.0),
    st.sampled_from([math.inf, math.nan, -1.0]),
)


def assert_same(comps: list[CompanyRecord], catalogue: Catalogue, c: Criteria, w: Weights) -> None:
    expected = legacy_match(LegacyCatalogue.build(comps, TAXONOMY), c, w)
    assert match(catalogue, c, w) == expected
    assert_explained_top(catalogue, c, w, expected, len(expected.matches) // 2)
    # The ranking alone is the same order, ids, scores and distances.
    assert rank(catalogue, c, w) == Ranking(
        entries=tuple(
            Ranked(m.company_id, m.site_id, m.distance_km, m.score) for m in expected.matches
        ),
        total_candidates=expected.total_candidates,
    )


def assert_explained_top(
    catalogue: Catalogue, c: Criteria, w: Weights, full: MatchResult, top: int
) -> None:
    """`explain_top`: the same matches; every component for the first `top`, the pool's
    components (the same ones) for the rest."""
    short = match(catalogue, c, w, explain_top=top)
    assert short.total_candidates == full.total_candidates
    assert short.matches[:top] == full.matches[:top]
    assert len(short.matches) == len(full.matches)
    for got, want in zip(short.matches[top:], full.matches[top:], strict=True):
        assert (got.company_id, got.site_id, got.distance_km, got.score) == (
            want.company_id, want.site_id, want.distance_km, want.score)
        assert got.components == tuple(
            x for x in want.components if x.criterion in POOL_CRITERIA)
    # `pool_unless_covered`: the rest only when no match alone has the capacity asked for.
    pooled = match(catalogue, c, w, explain_top=top, pool_unless_covered=True)
    assert pooled.covered == full.covered
    assert pooled.matches == (short.matches[:top] if full.covered else short.matches)
    assert pooled.total_candidates == full.total_candidates


@st.composite
def world_companies(draw: st.DrawFn, max_size: int = 10) -> list[CompanyRecord]:
    n = draw(st.integers(0, max_size))
    out = []
    for i in draw(st.permutations(range(n))):
        sites = [
            site(
                f"c{i}-s{j}",
                at=draw(world_points | odd_points if j == 2 else world_points),
                radius_km=draw(radii),
            )
            for j in draw(st.permutations(range(draw(st.integers(1, 3)))))
        ]
        caps = []
        for _ in range(draw(st.integers(1, 4))):
            where = draw(st.none() | st.sets(st.sampled_from([s.site_id for s in sites])))
            kind = draw(st.sampled_from((*KINDS, "production", "juggling")))
            caps.append(cap(kind, draw(st.integers(-5, 50)), site_ids=where))
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
def world_criteria(draw: st.DrawFn) -> Criteria:
    base = draw(criteria())
    where = draw(st.none() | world_points)
    return Criteria(
        work_kinds=base.work_kinds,
        lat=None if where is None else where[0],
        lon=None if where is None else where[1],
        max_distance_km=draw(st.none() | st.floats(0.0, 5000.0) | st.sampled_from([0.0, -1.0])),
        workers_needed=base.workers_needed,
        start_date=base.start_date,
        required_certifications=base.required_certifications,
        preferred_certifications=base.preferred_certifications,
        limit=draw(st.integers(0, 12)),
    )


# --- the indexed engine gives exactly what the plain one gave ---------------------------------


@SETTINGS
@given(companies(), criteria(), weights, index_settings())
def test_same_results_as_the_plain_engine(
    comps: list[CompanyRecord], c: Criteria, w: Weights, s: IndexSettings
) -> None:
    assert_same(comps, Catalogue.build(comps, TAXONOMY, s), c, w)


@SETTINGS
@given(world_companies(), world_criteria(), weights, index_settings())
def test_same_results_anywhere_on_the_globe(
    comps: list[CompanyRecord], c: Criteria, w: Weights, s: IndexSettings
) -> None:
    assert_same(comps, Catalogue.build(comps, TAXONOMY, s), c, w)


def test_many_candidates_take_the_partition_path() -> None:
    rng = np.random.default_rng(3)
    comps = []
    for i in range(900):
        n_sites = int(rng.integers(1, 4))
        sites = [
            site(
                f"s{i}-{j}",
                at=(51.5 + float(rng.normal(0, 0.3)), 5.0 + float(rng.normal(0, 0.4))),
                radius_km=float(rng.choice([30.0, 80.0, 300.0])),
            )
            for j in range(n_sites)
        ]
        kinds = [str(k) for k in rng.choice(KINDS, size=int(rng.integers(1, 4)), replace=False)]
        comps.append(
            company(
                f"c{i:04d}",
                [cap(k, int(rng.integers(0, 30))) for k in kinds],
                sites=sites,
                certs=[str(x) for x in rng.choice(CERTS, size=int(rng.integers(0, 3)))],
            )
        )
    whole = Catalogue.build(comps, TAXONOMY)
    gridded = Catalogue.build(comps, TAXONOMY, IndexSettings(grid_min_sites=0))
    tilburg = TOWNS["Tilburg"]
    for c in (
        Criteria(work_kinds=("packaging",), limit=5),  # massive ties: no location
        Criteria(work_kinds=("production", "cleaning"), limit=20, workers_needed=10),
        Criteria(work_kinds=("packaging",), lat=tilburg[0], lon=tilburg[1], limit=3),
        Criteria(
            work_kinds=("packaging", "woodworking"),
            lat=tilburg[0],
            lon=tilburg[1],
            max_distance_km=60,
            required_certifications=frozenset({"pso"}),
            limit=10,
        ),
        Criteria(work_kinds=("warehousing",), lat=tilburg[0], lon=tilburg[1], limit=0),
    ):
        assert_same(comps, whole, c, Weights())
        assert_same(comps, gridded, c, Weights())


def test_pooled_match_ranks_the_shown_top_first_and_the_pool_only_when_it_counts() -> None:
    """With `pool_unless_covered`, the engine first ranks the shown top alone: enough when one
    of those companies has the capacity; otherwise the longer run, whose covering company may
    lie past the shown top or be missing altogether."""
    tilburg = TOWNS["Tilburg"]

    def spread(big_at: int | None) -> list[CompanyRecord]:
        # c00 nearest, then further away one by one; the one at `big_at` has 40 workers.
        return [
            company(
                f"c{i:02d}",
                [cap("packaging", 40 if i == big_at else 3)],
                sites=[site(f"s{i:02d}", at=(tilburg[0] + 0.02 * i, tilburg[1]))],
            )
            for i in range(12)
        ]

    c = Criteria(work_kinds=("packaging",), lat=tilburg[0], lon=tilburg[1],
                 workers_needed=30, limit=10)
    w = Weights(capacity=0.001)  # so that the order is by distance: c00, c01, ...
    for big_at, covered in ((1, True), (7, True), (None, False)):
        catalogue = Catalogue.build(spread(big_at), TAXONOMY)
        full = match(catalogue, c, w)
        assert [m.company_id for m in full.matches] == [f"c{i:02d}" for i in range(10)]
        assert full.covered is covered
        pooled = match(catalogue, c, w, explain_top=3, pool_unless_covered=True)
        assert pooled.covered is covered
        assert pooled.total_candidates == full.total_candidates == 12
        shown = match(catalogue, c, w, explain_top=3)
        assert pooled.matches == (shown.matches[:3] if covered else shown.matches)


def test_many_kinds_and_certifications_take_the_general_paths() -> None:
    # Beyond 63 certification codes the per-site flags are gone (the company is looked up
    # per site) and beyond 64 kinds a bitmask takes several words: the compiled pass's general
    # branches, over more sites than one batch holds.
    from app.matching import Taxonomy, WorkKindNode

    nodes = [WorkKindNode(f"g{g}", None, f"Groep {g}", f"Group {g}") for g in range(3)]
    nodes += [WorkKindNode(f"k{i:03d}", f"g{i % 3}", f"Soort {i}", f"Kind {i}")
              for i in range(150)]
    taxonomy = Taxonomy(tuple(nodes))
    certs = [f"cert-{i:02d}" for i in range(70)]
    rng = np.random.default_rng(5)
    comps = []
    for i in range(700):
        sites = [
            site(f"s{i}-{j}",
                 at=(51.5 + float(rng.normal(0, 0.4)), 5.0 + float(rng.normal(0, 0.5))),
                 radius_km=float(rng.choice([30.0, 80.0, 300.0])))
            for j in range(int(rng.integers(1, 4)))
        ]
        kinds = [f"k{k:03d}" for k in rng.choice(150, size=int(rng.integers(1, 6)), replace=False)]
        comps.append(company(
            f"c{i:04d}", [cap(k, int(rng.integers(0, 30))) for k in kinds], sites=sites,
            certs=[str(c) for c in rng.choice(certs, size=int(rng.integers(0, 12)), replace=False)],
            active=bool(rng.random() > 0.05),
        ))
    expected_catalogue = LegacyCatalogue.build(comps, taxonomy)
    tilburg = TOWNS["Tilburg"]
    criteria = [
        Criteria(work_kinds=("g1",), limit=10),
        Criteria(work_kinds=("k003", "k140", "k071"), lat=tilburg[0], lon=tilburg[1],
                 max_distance_km=60, workers_needed=12, limit=20),
        Criteria(work_kinds=("g0", "k149"), lat=tilburg[0], lon=tilburg[1],
                 required_certifications=frozenset({"cert-66"}),
                 preferred_certifications=frozenset({"cert-01", "cert-69"}), limit=5),
        Criteria(work_kinds=("g2",), lat=tilburg[0], lon=tilburg[1],
                 required_certifications=frozenset({"cert-02", "cert-65"}), limit=3),
    ]
    for settings_ in (IndexSettings(), IndexSettings(grid_min_sites=0)):
        catalogue = Catalogue.build(comps, taxonomy, settings_)
        assert catalogue.n_words == 3 and catalogue.parts()[0][0].site_flags is None
        for c in criteria:
            expected = legacy_match(expected_catalogue, c)
            assert expected.matches, c  # the criteria find something
            assert match(catalogue, c) == expected


# --- the grid ---------------------------------------------------------------------------------


@SETTINGS
@given(
    st.lists(st.tuples(world_points, radii), min_size=1, max_size=40),
    world_points,
    st.none() | st.floats(0.0, 21000.0),
    st.sampled_from([0.01, 0.3, 1.0, 13.0, 90.0]),
    st.sampled_from([(25.0,), (10.0, 60.0, 200.0), (1000.0,)]),
)
def test_grid_ranges_hold_every_site_in_reach(
    spots: list[tuple[tuple[float, float], float]],
    at: tuple[float, float],
    max_km: float | None,
    cell_deg: float,
    tiers: tuple[float, ...],
) -> None:
    lat = np.array([p[0][0] for p in spots])
    lon = np.array([p[0][1] for p in spots])
    radius = np.array([p[1] for p in spots])
    grid = Grid(cell_deg, tiers)
    keys = grid.keys(lat, lon, radius)
    order = np.argsort(keys, kind="stable")
    grid = grid.indexed(keys[order], radius[order])
    lat, lon, radius = lat[order], lon[order], radius[order]
    scanned = np.zeros(lat.size, dtype=bool)
    scanned[grid.n_gridded :] = True
    for start, end in zip(*grid.ranges(at[0], at[1], max_km), strict=True):
        assert 0 <= start < end <= grid.n_gridded
        scanned[start:end] = True
    d = haversine_km_array(at[0], at[1], lat, lon)
    reach = d <= radius
    if max_km is not None:
        reach &= d <= max_km
    assert not np.any(reach & ~scanned)


def test_grid_looks_only_near_the_asked_location() -> None:
    rng = np.random.default_rng(1)
    towns = np.array([*TOWNS.values(), (48.85, 2.35), (41.9, 12.5), (59.3, 18.1)])
    at = rng.integers(0, len(towns), 20_000)
    lat = towns[at, 0] + rng.normal(0, 0.1, at.size)
    lon = towns[at, 1] + rng.normal(0, 0.1, at.size)
    radius = np.full(at.size, 50.0)
    grid = Grid(0.5, (25.0, 50.0, 100.0))
    keys = grid.keys(lat, lon, radius)
    order = np.argsort(keys, kind="stable")
    grid = grid.indexed(keys[order], radius[order])
    rome = int(np.sum(np.subtract(*grid.ranges(41.9, 12.5, 150.0)[::-1])))
    assert 0 < rome < at.size / 5  # one town of eleven, not the whole map
    unlimited = grid.ranges(41.9, 12.5, None)
    bounded = grid.ranges(41.9, 12.5, 80.0)  # radius 50 bounds the search without a limit
    assert all(np.array_equal(a, b) for a, b in zip(unlimited, bounded, strict=True))


# --- the bulk builder -------------------------------------------------------------------------


def to_arrays(comps: list[CompanyRecord]) -> dict[str, object]:
    """The from_columns arguments for these records (what a database loader would produce)."""
    site_row = {s.site_id: i for i, s in enumerate(s for c in comps for s in c.sites)}
    cols: dict[str, list[object]] = {
        k: []
        for k in (
            "cert_company", "cert_code", "site_ids", "site_company", "site_lat", "site_lon",
            "site_radius_km", "cap_company", "cap_kind", "cap_workers", "cap_updated_at",
            "restrict_cap", "restrict_site", "cap_restricted",
        )
    }  # fmt: skip
    for ci, comp in enumerate(comps):
        for code in sorted(comp.certifications):
            cols["cert_company"].append(ci)
            cols["cert_code"].append(code)
        for s in comp.sites:
            cols["site_ids"].append(s.site_id)
            cols["site_company"].append(ci)
            cols["site_lat"].append(s.lat)
            cols["site_lon"].append(s.lon)
            cols["site_radius_km"].append(s.service_radius_km)
        for capability in comp.capabilities:
            row = len(cols["cap_company"])
            cols["cap_company"].append(ci)
            cols["cap_kind"].append(capability.work_kind)
            cols["cap_workers"].append(capability.capacity_workers)
            stamp = capability.capacity_updated_at
            cols["cap_updated_at"].append(
                np.datetime64("NaT", "us")
                if stamp is None
                else np.datetime64(stamp.astimezone(UTC).replace(tzinfo=None), "us")
            )
            cols["cap_restricted"].append(capability.site_ids is not None)
            own = {s.site_id for s in comp.sites}
            for sid in capability.site_ids or ():
                if sid in site_row and sid in own:
                    cols["restrict_cap"].append(row)
                    cols["restrict_site"].append(site_row[sid])
    out: dict[str, object] = {
        "company_ids": [c.company_id for c in comps],
        "company_active": np.array([c.active for c in comps], dtype=bool),
        "company_available_from": np.array(
            [np.datetime64("NaT") if c.available_from is None else c.available_from for c in comps],
            dtype="datetime64[D]",
        ),
    }
    for name, values in cols.items():
        if name == "cap_updated_at":
            out[name] = np.array(values, dtype="datetime64[us]")
        elif name in ("cert_code", "cap_kind", "site_ids"):
            out[name] = np.array(values, dtype=str)
        elif name in ("site_lat", "site_lon", "site_radius_km"):
            out[name] = np.array(values, dtype=np.float64)
        else:
            out[name] = np.array(values, dtype=bool if name == "cap_restricted" else np.int64)
    return out


def uuid_ids(comps: list[CompanyRecord], seed: int) -> list[CompanyRecord]:
    """The same companies with canonical UUID ids (ids' order is random, as in production)."""
    rng = np.random.default_rng(seed)

    def new() -> str:
        return str(uuid.UUID(bytes=rng.bytes(16)))

    out = []
    for comp in comps:
        names = {s.site_id: new() for s in comp.sites}
        sites = tuple(
            SiteRecord(
                names[s.site_id], s.name, s.city, s.country, s.lat, s.lon, s.service_radius_km
            )
            for s in comp.sites
        )
        caps = tuple(
            cap(
                c.work_kind,
                c.capacity_workers,
                site_ids=None if c.site_ids is None else [names.get(x, x) for x in c.site_ids],
                updated=c.capacity_updated_at,
            )
            for c in comp.capabilities
        )
        out.append(
            CompanyRecord(
                new(), comp.name, comp.active, comp.certifications, comp.available_from, sites, caps
            )
        )
    return out


@SETTINGS
@given(companies(), criteria(), st.booleans(), st.integers(0, 2**32 - 1))
def test_from_columns_equals_build(
    comps: list[CompanyRecord], c: Criteria, with_uuids: bool, seed: int
) -> None:
    stamp = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    comps = [
        CompanyRecord(
            x.company_id,
            x.name,
            x.active,
            x.certifications,
            x.available_from,
            x.sites,
            tuple(
                cap(k.work_kind, k.capacity_workers, site_ids=k.site_ids, updated=stamp)
                for k in x.capabilities
            ),
        )
        for x in comps
    ]
    if with_uuids:
        comps = uuid_ids(comps, seed)
    built = Catalogue.build(comps, TAXONOMY)
    loaded = Catalogue.from_columns(TAXONOMY, **to_arrays(comps))  # type: ignore[arg-type]
    assert built.base.company_ids.uuid == built.base.site_ids.uuid == (with_uuids and bool(comps))
    assert match(loaded, c) == match(built, c)
    assert len(loaded) == len(built)
    for comp in comps:
        assert loaded.company(comp.company_id) == built.company(comp.company_id)
        for s in comp.sites:
            assert loaded.site(s.site_id) == built.site(s.site_id)


def test_from_columns_accepts_raw_uuids_and_day_ordinals() -> None:
    ids = [uuid.UUID(int=(7 << 120) + i) for i in range(3)]
    site_ids = [uuid.UUID(int=(9 << 120) + i) for i in range(4)]
    catalogue = Catalogue.from_columns(
        TAXONOMY,
        company_ids=np.frombuffer(b"".join(u.bytes for u in ids), dtype="S16"),
        company_active=[True, True, False],
        company_available_from=np.array([0, date(2027, 1, 1).toordinal(), 0]),
        cert_company=np.array([1, 1]),
        cert_code=["pso", "vca"],
        site_ids=np.frombuffer(b"".join(u.bytes for u in site_ids), dtype=np.uint8).reshape(4, 16),
        site_company=np.array([0, 1, 1, 2]),
        site_lat=[51.5, 51.6, 52.0, 51.5],
        site_lon=[5.0, 4.8, 5.1, 5.0],
        site_radius_km=[50.0, 50.0, 50.0, 50.0],
        cap_company=np.array([1, 0, 2, 1]),
        cap_kind=["packaging", "packaging", "packaging", "cleaning"],
        cap_workers=np.array([5, 7, 9, 3]),
        restrict_cap=np.array([3]),
        restrict_site=np.array([2]),
    )
    result = match(catalogue, Criteria(work_kinds=("packaging",), lat=51.5, lon=5.0))
    assert [m.company_id for m in result.matches] == [str(ids[0]), str(ids[1])]
    assert catalogue.company(str(ids[1])).certifications == frozenset({"pso", "vca"})
    assert catalogue.company(str(ids[1])).available_from == date(2027, 1, 1)
    assert catalogue.offered_kinds(str(site_ids[2])) == frozenset({"packaging", "cleaning"})
    assert catalogue.offered_kinds(str(site_ids[1])) == frozenset({"packaging"})
    assert catalogue.site(str(site_ids[3])).company_id == str(ids[2])


def test_from_columns_rejects_bad_input() -> None:
    good: dict[str, object] = {
        "company_ids": ["a", "b"],
        "company_active": [True, True],
        "company_available_from": [0, 0],
        "cert_company": np.array([], dtype=int),
        "cert_code": [],
        "site_ids": ["s1", "s2"],
        "site_company": np.array([0, 1]),
        "site_lat": [51.5, 51.6],
        "site_lon": [5.0, 5.1],
        "site_radius_km": [50.0, 50.0],
        "cap_company": np.array([0, 1]),
        "cap_kind": ["packaging", "cleaning"],
        "cap_workers": np.array([1, 2]),
    }
    Catalogue.from_columns(TAXONOMY, **good)  # type: ignore[arg-type]
    for change, message in (
        ({"company_ids": ["a", "a"]}, "duplicate company_id: a"),
        ({"site_ids": ["s1", "s1"]}, "duplicate site_id: s1"),
        ({"site_company": np.array([0, 2])}, "site_company"),
        ({"site_lat": [51.5]}, "site_lat"),
        ({"cap_workers": np.array([1, 2**40])}, "cap_workers"),
        ({"restrict_cap": np.array([0]), "restrict_site": np.array([5])}, "restrict_site"),
    ):
        with pytest.raises(ValueError, match=message):
            Catalogue.from_columns(TAXONOMY, **{**good, **change})  # type: ignore[arg-type]


def test_capacity_timestamps_come_back_as_given() -> None:
    cet = timezone(timedelta(hours=1))
    stamps = [
        datetime(2026, 10, 1, 0, 30, tzinfo=cet),  # the previous day in UTC
        datetime(2026, 10, 1, 9, 30),  # naive
        datetime(2026, 10, 1, 9, 30, tzinfo=UTC),
        None,
    ]
    for stamp in stamps:
        acme = company("acme", [cap("packaging", 6, updated=stamp)])
        c = Criteria(work_kinds=("packaging",), workers_needed=10)
        facts = match(Catalogue.build([acme], TAXONOMY), c).matches[0].components[1].facts
        assert facts["capacity_updated_at"] == stamp
        if stamp is not None:
            got = facts["capacity_updated_at"]
            assert isinstance(got, datetime)
            assert got.date() == stamp.date() and got.utcoffset() == stamp.utcoffset()


def test_memory_per_site_stays_small() -> None:
    rng = np.random.default_rng(5)
    n_companies, per = 2_000, 3
    n_sites = n_companies * per
    caps_per = 4
    catalogue = Catalogue.from_columns(
        TAXONOMY,
        company_ids=[str(uuid.UUID(bytes=rng.bytes(16))) for _ in range(n_companies)],
        company_active=np.ones(n_companies, dtype=bool),
        company_available_from=np.zeros(n_companies, dtype=np.int64),
        cert_company=np.arange(n_companies),
        cert_code=np.array(["pso"] * n_companies),
        site_ids=[str(uuid.UUID(bytes=rng.bytes(16))) for _ in range(n_sites)],
        site_company=np.repeat(np.arange(n_companies), per),
        site_lat=rng.uniform(50, 54, n_sites),
        site_lon=rng.uniform(3, 7, n_sites),
        site_radius_km=np.full(n_sites, 50.0),
        cap_company=np.repeat(np.arange(n_companies), caps_per),
        cap_kind=rng.choice(np.array(TAXONOMY.kinds), n_companies * caps_per),
        cap_workers=rng.integers(0, 50, n_companies * caps_per),
    )
    assert catalogue.base.site_ids.uuid
    # (uint64 flags and float64 radii keep one compiled signature; 32 bytes of unit vector and
    # radius chord spare most sites the exact distance)
    assert catalogue.nbytes / n_sites < 165


# --- incremental changes ----------------------------------------------------------------------


@st.composite
def change_steps(
    draw: st.DrawFn,
) -> tuple[list[CompanyRecord], list[tuple[list[CompanyRecord], list[str]]]]:
    pool = draw(companies(max_size=12))
    start = [x for x in pool if draw(st.booleans())]
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        upserts = draw(
            st.lists(st.sampled_from(pool), max_size=3, unique_by=lambda x: x.company_id)
            if pool
            else st.just([])
        )
        # A replaced company may come back with other data: move its sites.
        upserts = [
            CompanyRecord(
                x.company_id,
                x.name,
                draw(st.booleans()),
                x.certifications,
                x.available_from,
                tuple(
                    SiteRecord(
                        s.site_id,
                        s.name,
                        s.city,
                        s.country,
                        s.lat + draw(st.sampled_from([0.0, 0.5])),
                        s.lon,
                        s.service_radius_km,
                    )
                    for s in x.sites
                ),
                x.capabilities,
            )
            for x in upserts
        ]
        removals = draw(
            st.lists(st.sampled_from([x.company_id for x in pool] + ["nobody"]), max_size=2)
            if pool
            else st.just(["nobody"])
        )
        steps.append((upserts, removals))
    return start, steps


@SETTINGS
@given(change_steps(), st.lists(criteria(), min_size=1, max_size=3), index_settings())
def test_changes_match_like_a_full_rebuild(
    plan: tuple[list[CompanyRecord], list[tuple[list[CompanyRecord], list[str]]]],
    asked: list[Criteria],
    s: IndexSettings,
) -> None:
    start, steps = plan
    current = {x.company_id: x for x in start}
    catalogue = Catalogue.build(start, TAXONOMY, s)
    for upserts, removals in steps:
        catalogue = catalogue.with_changes(upserts, removals)
        for company_id in removals:
            current.pop(company_id, None)
        current.update((x.company_id, x) for x in upserts)
        rebuilt = Catalogue.build(list(current.values()), TAXONOMY, s)
        assert len(catalogue) == len(rebuilt)
        assert catalogue.company_count == rebuilt.company_count
        for c in asked:
            full = match(rebuilt, c)
            assert match(catalogue, c) == full
            assert_explained_top(catalogue, c, Weights(), full, 1)  # merged parts
        for x in current.values():
            assert catalogue.company(x.company_id) == rebuilt.company(x.company_id)
            for si in x.sites:
                assert catalogue.site(si.site_id) == rebuilt.site(si.site_id)
    assert match(catalogue.compacted(), asked[0]) == match(catalogue, asked[0])


def test_a_changed_company_appears_once_with_its_new_data() -> None:
    s = IndexSettings(delta_min_sites=100, grid_min_sites=0)
    old = company("acme", ["packaging"], town="Groningen", certs=["pso"])
    catalogue = Catalogue.build([old, company("other", town="Breda")], TAXONOMY, s)
    new = company("acme", ["packaging", "assembly"], town="Tilburg")
    changed = catalogue.with_changes([new])
    assert changed.delta_sites == 1
    result = match(changed, near_tilburg("packaging", "assembly"))
    assert [m.company_id for m in result.matches] == ["acme", "other"]
    assert result.matches[0].site_id == "acme-s1"
    assert result.matches[0].score == 100.0
    assert changed.company("acme").certifications == frozenset()
    assert result.total_candidates == 2
    assert len(changed) == 2
    gone = changed.with_changes(removed=["acme"])
    assert [m.company_id for m in match(gone, near_tilburg("packaging")).matches] == ["other"]
    with pytest.raises(KeyError):
        gone.company("acme")
    assert catalogue.site("acme-s1").lat == TOWNS["Groningen"][0]  # the original is unchanged
    assert changed.site("acme-s1").lat == TOWNS["Tilburg"][0]


def test_changes_keep_site_ids_unique() -> None:
    catalogue = Catalogue.build([company("a"), company("b")], TAXONOMY)
    thief = company("c", sites=[site("a-s1")])
    with pytest.raises(ValueError, match="site_id: a-s1"):
        catalogue.with_changes([thief])
    with pytest.raises(ValueError, match="company_id: c"):
        catalogue.with_changes([company("c"), company("c")])
    moved = catalogue.with_changes([thief], ["a"])  # allowed once a is gone
    assert moved.company_of_site("a-s1").company_id == "c"


def test_delta_is_folded_in_past_the_threshold() -> None:
    s = IndexSettings(delta_min_sites=2, delta_ratio=0.0)
    catalogue = Catalogue.build([company(f"c{i}") for i in range(5)], TAXONOMY, s)
    one = catalogue.with_changes([company("n1")])
    two = one.with_changes([company("n2")])
    three = two.with_changes([company("n3")])
    assert (one.delta_sites, two.delta_sites, three.delta_sites) == (1, 2, 0)
    assert three.base_removed is None and len(three) == 8
    expected = match(
        Catalogue.build(
            [company(f"c{i}") for i in range(5)] + [company(f"n{i}") for i in (1, 2, 3)], TAXONOMY
        ),
        near_tilburg("packaging", limit=100),
    )
    assert match(three, near_tilburg("packaging", limit=100)) == expected


def near_tilburg(*kinds: str, limit: int = 20) -> Criteria:
    lat, lon = TOWNS["Tilburg"]
    return Criteria(work_kinds=kinds, lat=lat, lon=lon, limit=limit)


def test_group_and_unknown_capabilities_do_not_count_after_changes() -> None:
    catalogue = Catalogue.build([], TAXONOMY).with_changes(
        [company("a", ["production", "juggling", "cleaning"])]
    )
    assert catalogue.offered_kinds("a-s1") == frozenset({"cleaning"})
    assert match(catalogue, Criteria(work_kinds=GROUPS)).total_candidates == 1


def test_empty_catalogue_with_odd_queries() -> None:
    empty = Catalogue.build([], TAXONOMY)
    assert match(empty, near_tilburg("packaging")) == MatchResult((), 0)


def test_capacities_beyond_the_slot_range_stay_exact() -> None:
    comps = [
        company("big", [cap("packaging", 100_000)]),
        company("mid", [cap("packaging", 70_000)]),
        company("small", [cap("packaging", 65_535), cap("assembly", 2**31 - 1, site_ids=[])]),
    ]
    for needed in (10, 65_535, 65_536, 90_000, 200_000):
        c = Criteria(work_kinds=("packaging", "assembly"), workers_needed=needed, limit=5)
        assert_same(comps, Catalogue.build(comps, TAXONOMY), c, Weights())


def test_from_columns_takes_integer_codes() -> None:
    comps = [company("a", ["packaging", "cleaning"], certs=["pso"]), company("b", ["catering"])]
    arrays = to_arrays(comps)
    kinds = list(TAXONOMY.kinds)
    arrays["cap_kind"] = np.array([kinds.index(str(k)) for k in arrays["cap_kind"]])  # type: ignore[attr-defined]
    vocabulary = ["vca", "pso"]
    arrays["cert_code"] = np.array([vocabulary.index(str(c)) for c in arrays["cert_code"]])  # type: ignore[attr-defined]
    loaded = Catalogue.from_columns(TAXONOMY, cert_vocabulary=vocabulary, **arrays)  # type: ignore[arg-type]
    built = Catalogue.build(comps, TAXONOMY)
    c = Criteria(work_kinds=("packaging", "catering"), preferred_certifications=frozenset({"pso"}))
    assert match(loaded, c) == match(built, c)
    assert loaded.company("a").certifications == frozenset({"pso"})


def test_fold_can_be_forced_or_put_off() -> None:
    s = IndexSettings(delta_min_sites=0, delta_ratio=0.0)
    catalogue = Catalogue.build([company("a"), company("b")], TAXONOMY, s)
    later = catalogue.with_changes([company("c")], fold=False)
    assert later.delta_sites == 1
    now = catalogue.with_changes(removed=["a"], fold=True)
    assert now.delta_sites == 0 and now.base_removed is None and len(now) == 1
    c = near_tilburg("packaging")
    assert match(later.compacted(), c) == match(later, c)
    assert later.compacted().delta_sites == 0


def test_huge_weights_skip_no_site_that_belongs_in_the_top() -> None:
    # The kernel's skip threshold scales the last entry's score by the weight sum: near the
    # float range's end that product must not overflow into "skip everything".
    rng = np.random.default_rng(11)
    comps = [
        company(f"c{i:03d}", [str(k) for k in rng.choice(KINDS, size=2, replace=False)],
                sites=[site(f"s{i}", at=(51.5 + float(rng.normal(0, 0.2)),
                                         5.0 + float(rng.normal(0, 0.3))))],
                certs=[str(x) for x in rng.choice(CERTS, size=int(rng.integers(0, 3)))])
        for i in range(60)
    ]
    huge = Weights(work_kinds=1e305, distance=2e305, capacity=1e305, availability=1e304,
                   certifications=1e304)
    tilburg = TOWNS["Tilburg"]
    c = Criteria(work_kinds=("packaging", "assembly"), lat=tilburg[0], lon=tilburg[1],
                 max_distance_km=80, workers_needed=5, start_date=date(2027, 1, 1),
                 preferred_certifications=frozenset({"pso"}), limit=3)
    assert_same(comps, Catalogue.build(comps, TAXONOMY), c, huge)


def test_nan_parameters_order_like_a_float_sort() -> None:
    comps = [company("a", ["packaging"]), company("b", ["woodworking"], town="Breda")]
    c = near_tilburg("assembly", "packaging")
    for params in (
        ScoringParams(sibling_credit=math.nan),
        ScoringParams(distance_half_km=math.nan),
    ):
        got = match(Catalogue.build(comps, TAXONOMY), c, Weights(), params)
        expected = legacy_match(LegacyCatalogue.build(comps, TAXONOMY), c, Weights(), params)
        assert [m.company_id for m in got.matches] == [m.company_id for m in expected.matches]
        assert [math.isnan(m.score) for m in got.matches] == [
            math.isnan(m.score) for m in expected.matches
        ]


def test_ids_read_in_bulk_as_one_at_a_time() -> None:
    from app.matching.ids import IdColumn

    ids = [
        "00000000-0000-0000-0000-000000000000",  # numpy drops trailing zero bytes of an S16
        "12345678-9abc-def0-1200-000000000000",
        str(uuid.UUID(int=7)),
    ]
    column = IdColumn.from_values(ids)
    assert column.uuid
    at = np.array([2, 0, 1, 0])
    assert column.strings_at(at) == [column.at(int(i)) for i in at] == [ids[i] for i in at]
    plain = IdColumn.from_values(["a", "bb", "c-3"])
    assert plain.strings_at(np.array([2, 0])) == ["c-3", "a"]


def test_ids_kept_as_text_stay_right_when_asked_again_and_past_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.matching import ids as ids_module

    monkeypatch.setattr(ids_module, "MEMO_MAX", 4)
    monkeypatch.setattr(ids_module, "WHOLE_MAX", 0)  # (the memo, not the whole column)
    values = [str(uuid.UUID(int=i * 7919)) for i in range(12)]
    column = ids_module.IdColumn.from_values(values)
    rng = np.random.default_rng(3)
    for _ in range(20):  # partly kept, partly new, the memo cleared now and then
        at = rng.integers(0, len(values), size=int(rng.integers(0, 7)))
        assert column.strings_at(at) == [values[i] for i in at]
        assert len(column._memo) <= 6
    copy = pickle.loads(pickle.dumps(column))
    assert copy.strings_at(np.arange(12)) == values


def test_a_small_column_is_formatted_whole_at_its_first_new_id_and_answers_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.matching import ids as ids_module

    monkeypatch.setattr(ids_module, "WHOLE_MAX", 40)
    rng = np.random.default_rng(11)
    values = [str(uuid.UUID(bytes=rng.bytes(16))) for _ in range(40)]
    small = ids_module.IdColumn.from_values(values)
    large = ids_module.IdColumn.from_values([*values, str(uuid.UUID(int=1))])  # one past it
    assert small._whole is None  # nothing formatted before it is asked
    for _ in range(10):
        at = rng.integers(0, len(values), size=int(rng.integers(0, 25)))
        want = [values[i] for i in at]
        assert small.strings_at(at) == want == large.strings_at(at)
    assert small._whole == values and not small._memo
    assert large._whole is None and large._memo  # past WHOLE_MAX: one id at a time
    assert small.strings_at(np.zeros(0, dtype=np.intp)) == []
    copy = pickle.loads(pickle.dumps(small))
    assert copy._whole is None and copy.strings_at(np.arange(40)) == values
