"""Example-based tests of the matching engine and the catalogue."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import numpy as np
import pytest

from app.geo import haversine_km
from app.matching.engine import match
from app.matching.types import (
    AvailabilityFacts,
    CapacityFacts,
    CertificationFacts,
    Component,
    Criteria,
    DistanceFacts,
    Match,
    MatchResult,
    ScoringParams,
    Taxonomy,
    UnknownWorkKind,
    Weights,
    WorkKindNode,
)

from . import TAXONOMY, TOWNS, build, cap, company, site

TILBURG = TOWNS["Tilburg"]


def run(companies: list, criteria: Criteria, **kwargs: object) -> MatchResult:
    return match(build(companies, TAXONOMY), criteria, **kwargs)  # type: ignore[arg-type]


def near(town: str, *kinds: str, **kwargs: object) -> Criteria:
    lat, lon = TOWNS[town]
    return Criteria(work_kinds=kinds, lat=lat, lon=lon, **kwargs)  # type: ignore[arg-type]


def ids(result: MatchResult) -> list[str]:
    return [m.company_id for m in result.matches]


def component(m: Match, criterion: str) -> Component:
    return next(c for c in m.components if c.criterion == criterion)


# --- input checks ------------------------------------------------------------------------------


def test_unknown_work_kind_raises_with_the_codes() -> None:
    catalogue = build([company("a")], TAXONOMY)
    with pytest.raises(UnknownWorkKind) as info:
        match(catalogue, Criteria(work_kinds=("packaging", "juggling", "knitting")))
    assert isinstance(info.value, ValueError)
    assert info.value.codes == ("juggling", "knitting")


def test_empty_catalogue_gives_no_matches() -> None:
    result = match(build([], TAXONOMY), near("Tilburg", "packaging"))
    assert result == MatchResult(matches=(), total_candidates=0)


def test_duplicate_asked_kinds_count_once() -> None:
    companies = [company("a", ["packaging"])]
    once = run(companies, Criteria(work_kinds=("packaging", "assembly")))
    twice = run(companies, Criteria(work_kinds=("packaging", "packaging", "assembly")))
    assert once.matches[0].score == twice.matches[0].score


# --- hard filters ------------------------------------------------------------------------------


def test_inactive_company_is_not_a_candidate() -> None:
    result = run([company("a", active=False), company("b")], near("Tilburg", "packaging"))
    assert ids(result) == ["b"]
    assert result.total_candidates == 1


def test_required_certification_missing_excludes() -> None:
    companies = [company("a", certs=["pso"]), company("b", certs=["pso", "haccp"])]
    result = run(
        companies,
        near("Tilburg", "packaging", required_certifications=frozenset({"haccp", "pso"})),
    )
    assert ids(result) == ["b"]


def test_required_certification_nobody_holds_gives_nothing() -> None:
    result = run(
        [company("a", certs=["pso"])],
        near("Tilburg", "packaging", required_certifications=frozenset({"brcgs"})),
    )
    assert result.matches == () and result.total_candidates == 0


def test_sibling_kind_alone_does_not_pass_the_filter() -> None:
    result = run([company("a", ["woodworking"])], near("Tilburg", "metalworking"))
    assert result.matches == ()


def test_group_request_matches_every_kind_in_the_group() -> None:
    kinds = TAXONOMY.kinds_in("production")
    companies = [company(f"c{i:02d}", [k]) for i, k in enumerate(kinds)]
    companies.append(company("cleaner", ["cleaning"]))
    result = run(companies, near("Tilburg", "production", limit=100))
    assert sorted(ids(result)) == sorted(f"c{i:02d}" for i in range(len(kinds)))
    assert all(m.score == result.matches[0].score for m in result.matches)
    first = component(result.matches[0], "work_kinds")
    assert first.score == 1.0
    assert first.facts.covered == ("production",)


def test_capability_limited_to_some_sites_only_qualifies_those_sites() -> None:
    acme = company(
        "acme",
        [cap("packaging", site_ids=["ams"]), cap("cleaning")],
        sites=[site("tlb", "Tilburg"), site("ams", "Amsterdam")],
    )
    packaging = run([acme], near("Tilburg", "packaging"))
    assert [m.site_id for m in packaging.matches] == ["ams"]
    assert packaging.matches[0].distance_km == pytest.approx(91.21, abs=0.01)
    cleaning = run([acme], near("Tilburg", "cleaning"))
    assert [m.site_id for m in cleaning.matches] == ["tlb"]


def test_capability_naming_unknown_sites_counts_nowhere() -> None:
    acme = company("acme", [cap("packaging", site_ids=["elsewhere"])])
    assert run([acme], near("Tilburg", "packaging")).matches == ()


def test_max_distance_cuts_off_far_sites() -> None:
    companies = [company("breda", town="Breda"), company("eindhoven", town="Eindhoven")]
    result = run(companies, near("Tilburg", "packaging", max_distance_km=25))
    assert ids(result) == ["breda"]
    assert result.total_candidates == 1


def test_service_radius_applies_without_max_distance() -> None:
    companies = [
        company("breda-small", town="Breda", radius_km=15),
        company("breda-wide", town="Breda", radius_km=30),
    ]
    assert ids(run(companies, near("Tilburg", "packaging"))) == ["breda-wide"]


def test_without_location_there_is_no_distance_filter_or_component() -> None:
    companies = [company("g", town="Groningen", radius_km=1), company("t")]
    result = run(companies, Criteria(work_kinds=("packaging",), max_distance_km=5))
    assert ids(result) == ["g", "t"]  # equal scores: company_id decides
    for m in result.matches:
        assert m.distance_km is None
        assert [c.criterion for c in m.components] == ["work_kinds"]


# --- components --------------------------------------------------------------------------------


def test_work_kinds_component_counts_covered_partial_and_missing() -> None:
    result = run(
        [company("a", ["packaging", "assembly", "metalworking"])],
        Criteria(work_kinds=("packaging", "woodworking", "cleaning")),
    )
    c = component(result.matches[0], "work_kinds")
    assert c.score == pytest.approx((1 + 0.5 + 0) / 3, abs=1e-4)
    assert c.weight == 0.4
    assert c.facts.covered == ("packaging",)
    assert c.facts.partial == {"woodworking": "assembly"}
    assert c.facts.missing == ("cleaning",)


def test_sibling_credit_is_a_parameter() -> None:
    result = run(
        [company("a", ["packaging", "assembly"])],
        Criteria(work_kinds=("packaging", "woodworking")),
        params=ScoringParams(sibling_credit=0.2),
    )
    assert component(result.matches[0], "work_kinds").score == pytest.approx(0.6)


def test_group_item_facts_name_the_offered_kinds() -> None:
    result = run(
        [company("a", ["packaging", "assembly", "cleaning"])],
        Criteria(work_kinds=("production", "logistics")),
    )
    c = component(result.matches[0], "work_kinds")
    assert c.score == 0.5
    assert c.facts.covered == ("production",)
    assert c.facts.group_kinds == {"production": ("assembly", "packaging")}
    assert c.facts.missing == ("logistics",)


def test_distance_score_is_linear_to_the_limit() -> None:
    result = run([company("breda", town="Breda")], near("Tilburg", "packaging", max_distance_km=40))
    m = result.matches[0]
    expected_km = haversine_km(*TILBURG, *TOWNS["Breda"])
    assert m.distance_km == pytest.approx(expected_km, abs=0.001)
    c = component(m, "distance")
    assert c.score == pytest.approx(1 - expected_km / 40, abs=1e-4)
    assert c.facts == DistanceFacts(distance_km=m.distance_km, limit_km=40)


def test_distance_score_without_limit_halves_at_half_distance() -> None:
    half = haversine_km(*TILBURG, *TOWNS["Eindhoven"])
    result = run(
        [company("e", town="Eindhoven"), company("t")],
        near("Tilburg", "packaging"),
        params=ScoringParams(distance_half_km=half),
    )
    assert ids(result) == ["t", "e"]
    assert component(result.matches[0], "distance").score == 1.0
    assert component(result.matches[1], "distance").score == pytest.approx(0.5, abs=1e-4)
    assert component(result.matches[1], "distance").facts.limit_km is None


def test_capacity_takes_the_largest_figure_not_the_sum() -> None:
    stamp = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
    acme = company(
        "acme",
        [cap("packaging", 6), cap("assembly", 8, updated=stamp), cap("cleaning", 50)],
    )
    result = run([acme], Criteria(work_kinds=("packaging", "assembly"), workers_needed=10))
    c = component(result.matches[0], "capacity")
    assert c.score == pytest.approx(0.8)
    assert c.facts == CapacityFacts(
        available=8, needed=10, work_kind="assembly", capacity_updated_at=stamp
    )


def test_capacity_is_capped_at_one_and_counts_per_site() -> None:
    acme = company(
        "acme",
        [cap("packaging", 40, site_ids=["far"]), cap("packaging", 5, site_ids=["near"])],
        sites=[site("near", "Tilburg"), site("far", "Groningen")],
    )
    # near: capacity 0.25 at 0 km beats far: capacity 1.0 at 210 km
    result = run([acme], near("Tilburg", "packaging", workers_needed=20))
    assert [m.site_id for m in result.matches] == ["near"]
    assert component(result.matches[0], "capacity").score == 0.25
    at_groningen = run([acme], near("Groningen", "packaging", workers_needed=20))
    assert [m.site_id for m in at_groningen.matches] == ["far"]
    c = component(at_groningen.matches[0], "capacity")
    assert (c.score, c.facts.available) == (1.0, 40)


def test_availability_falls_over_the_grace_period() -> None:
    start = date(2027, 1, 15)
    companies = [
        company("now"),
        company("early", available_from=date(2027, 1, 1)),
        company("late", available_from=date(2027, 3, 1)),  # 45 days late
        company("never", available_from=date(2028, 1, 1)),
    ]
    result = run(companies, Criteria(work_kinds=("packaging",), start_date=start))
    scores = {m.company_id: component(m, "availability") for m in result.matches}
    assert scores["now"].score == 1.0
    assert scores["early"].score == 1.0
    assert scores["late"].score == pytest.approx(0.5)
    assert scores["never"].score == 0.0
    assert scores["late"].facts == AvailabilityFacts(
        available_from=date(2027, 3, 1), start_date=start, days_late=45
    )
    assert ids(result) == ["early", "now", "late", "never"]


def test_preferred_certifications_share() -> None:
    result = run(
        [company("a", certs=["pso", "vca"])],
        Criteria(work_kinds=("packaging",), preferred_certifications=frozenset({"pso", "fsc"})),
    )
    c = component(result.matches[0], "certifications")
    assert c.score == 0.5
    assert c.facts == CertificationFacts(held=("pso",), missing=("fsc",))


def test_score_is_the_weighted_mean_of_applicable_components() -> None:
    acme = company(
        "acme",
        [cap("packaging", 5)],
        town="Breda",
        certs=["pso"],
        available_from=date(2027, 2, 14),  # 30 days late
    )
    criteria = near(
        "Tilburg",
        "packaging",
        "woodworking",
        max_distance_km=40,
        workers_needed=10,
        start_date=date(2027, 1, 15),
        preferred_certifications=frozenset({"pso", "iso-14001"}),
    )
    m = run([acme], criteria).matches[0]
    d = haversine_km(*TILBURG, *TOWNS["Breda"])
    parts = {
        "work_kinds": (0.4, 0.75),
        "distance": (0.25, 1 - d / 40),
        "capacity": (0.2, 0.5),
        "availability": (0.1, 1 - 30 / 90),
        "certifications": (0.05, 0.5),
    }
    assert [c.criterion for c in m.components] == list(parts)
    expected = 100 * sum(w * s for w, s in parts.values()) / sum(w for w, _ in parts.values())
    assert m.score == round(expected, 2)


def test_weights_change_the_score_and_zero_weights_give_zero() -> None:
    companies = [company("a", ["packaging"])]
    criteria = Criteria(work_kinds=("packaging", "cleaning"), workers_needed=5)
    only_capacity = run(companies, criteria, weights=Weights(work_kinds=0, capacity=1))
    assert only_capacity.matches[0].score == 100.0
    nothing = run(companies, criteria, weights=Weights(work_kinds=0, capacity=0))
    assert nothing.matches[0].score == 0.0


# --- best site, order, limit -------------------------------------------------------------------


def test_company_appears_once_with_its_best_site() -> None:
    acme = company(
        "acme",
        ["packaging"],
        sites=[site("a-ams", "Amsterdam"), site("a-breda", "Breda"), site("a-utr", "Utrecht")],
    )
    result = run([acme], near("Tilburg", "packaging"))
    assert [m.site_id for m in result.matches] == ["a-breda"]
    assert result.total_candidates == 1


def test_best_site_prefers_score_over_distance() -> None:
    acme = company(
        "acme",
        [cap("packaging", 2, site_ids=["near"]), cap("packaging", 50, site_ids=["far"])],
        sites=[site("near", "Tilburg"), site("far", "Breda")],
    )
    result = run([acme], near("Tilburg", "packaging", max_distance_km=100, workers_needed=50))
    assert result.matches[0].site_id == "far"


def test_equal_sites_tie_on_smallest_site_id() -> None:
    acme = company("acme", sites=[site("s-2", "Breda"), site("s-1", "Breda")])
    assert run([acme], near("Tilburg", "packaging")).matches[0].site_id == "s-1"


def test_order_is_score_then_distance_then_company_id() -> None:
    companies = [
        company("z-tilburg", town="Tilburg"),
        company("b-breda", town="Breda"),
        company("a-breda", town="Breda"),
        company("best", ["packaging", "assembly"], town="Utrecht"),
    ]
    result = run(
        companies,
        near("Tilburg", "packaging", "assembly"),
        weights=Weights(distance=0.0),  # distance only breaks ties
    )
    assert ids(result) == ["best", "z-tilburg", "a-breda", "b-breda"]


def test_no_max_distance_ranks_far_companies_too_nearer_first() -> None:
    towns = ["Groningen", "Gent", "Amsterdam", "Utrecht", "Eindhoven", "Breda", "Antwerpen"]
    companies = [company(t.lower(), town=t) for t in towns]
    result = run(companies, near("Tilburg", "packaging"))
    assert ids(result) == [
        "breda", "eindhoven", "utrecht", "antwerpen", "amsterdam", "gent", "groningen",
    ]  # fmt: skip
    distances = [m.distance_km for m in result.matches]
    assert distances == sorted(distances)  # type: ignore[type-var]


def test_limit_caps_matches_but_not_total_candidates() -> None:
    companies = [company(f"c{i}") for i in range(7)]
    result = run(companies, near("Tilburg", "packaging", limit=3))
    assert ids(result) == ["c0", "c1", "c2"]
    assert result.total_candidates == 7
    assert run(companies, near("Tilburg", "packaging", limit=0)).matches == ()


def test_scores_are_rounded_to_two_decimals_and_components_to_four() -> None:
    result = run(
        [company("a", town="Breda")],
        near("Tilburg", "packaging", "woodworking", "cleaning", max_distance_km=33),
    )
    m = result.matches[0]
    assert m.score == round(m.score, 2)
    assert all(c.score == round(c.score, 4) for c in m.components)
    assert m.distance_km == round(m.distance_km or 0, 3)


# --- catalogue ---------------------------------------------------------------------------------


def test_catalogue_keeps_no_names_and_counts_sites() -> None:
    catalogue = build(
        [company("a", sites=[site("x1", "Gent"), site("x2", "Antwerpen")]), company("b")],
        TAXONOMY,
    )
    assert len(catalogue) == 3
    assert len(catalogue.company_ids) == 2
    assert catalogue.max_radius_km == 500.0


def test_catalogue_is_immutable() -> None:
    catalogue = build([company("a")], TAXONOMY)
    with pytest.raises(AttributeError):
        catalogue.site_lat = None  # type: ignore[misc]
    with pytest.raises(ValueError):
        catalogue.site_lat[0] = 0.0


def test_catalogue_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="company_id"):
        build([company("a"), company("a")], TAXONOMY)
    with pytest.raises(ValueError, match="site_id"):
        build(
            [company("a", sites=[site("s")]), company("b", sites=[site("s")])], TAXONOMY
        )


def test_catalogue_ignores_group_and_unknown_capabilities() -> None:
    catalogue = build([company("a", ["production", "juggling", "cleaning"])], TAXONOMY)
    (only,) = match(catalogue, Criteria(work_kinds=("cleaning", "packaging"))).matches
    assert component(only, "work_kinds").facts.covered == ("cleaning",)
    assert match(catalogue, Criteria(work_kinds=("packaging",))).matches == ()


def test_many_kinds_beyond_one_bitmask_word() -> None:
    from app.matching.types import Taxonomy, WorkKindNode

    nodes = [WorkKindNode("g", None, "Groep", "Group")]
    nodes += [WorkKindNode(f"k{i:03d}", "g", f"Soort {i}", f"Kind {i}") for i in range(150)]
    taxonomy = Taxonomy(tuple(nodes))
    companies = [company("a", ["k000", "k130"]), company("b", ["k070"])]
    catalogue = build(companies, taxonomy)
    assert catalogue.site_kinds.shape == (3, 2)
    assert ids(match(catalogue, Criteria(work_kinds=("k130",)))) == ["a"]
    assert ids(match(catalogue, Criteria(work_kinds=("k070",)))) == ["b"]
    assert ids(match(catalogue, Criteria(work_kinds=("g",)))) == ["a", "b"]
    partial = match(catalogue, Criteria(work_kinds=("k070", "k131")))
    assert ids(partial) == ["b"]  # a has siblings of both, which is not enough
    assert partial.matches[0].score == 75.0


def test_large_synthetic_catalogue_works() -> None:
    rng = random.Random(7)
    kinds = TAXONOMY.kinds
    companies = []
    for i in range(5000):
        n_sites = rng.randint(1, 7)
        sites = [
            site(
                f"s{i}-{j}",
                at=(rng.uniform(50.7, 53.5), rng.uniform(3.3, 7.2)),
                radius_km=rng.choice([25.0, 50.0, 100.0]),
            )
            for j in range(n_sites)
        ]
        caps = [cap(k, rng.randint(0, 60)) for k in rng.sample(kinds, rng.randint(1, 4))]
        companies.append(
            company(
                f"c{i:05d}",
                caps,
                sites=sites,
                certs=rng.sample(["pso", "iso-9001", "haccp", "vca"], rng.randint(0, 2)),
                active=rng.random() > 0.1,
            )
        )
    catalogue = build(companies, TAXONOMY)
    assert len(catalogue) > 15_000
    result = match(
        catalogue,
        near("Utrecht", "packaging", "production", workers_needed=20, start_date=date(2027, 1, 1)),
    )
    assert len(result.matches) == 20
    assert result.total_candidates >= 20
    scores = np.array([m.score for m in result.matches])
    assert np.all(np.diff(scores) <= 0)


def test_taxonomies_with_other_kind_bits_do_not_share_query_masks() -> None:
    # The same asked code is another bit in another taxonomy: a query on one catalogue must
    # not reuse the kind masks worked out for a catalogue of the other.
    def taxonomy(order: tuple[str, ...]) -> Taxonomy:
        return Taxonomy(nodes=(
            WorkKindNode(code="work", parent=None, label_nl="werk", label_en="work"),
            *(WorkKindNode(code=k, parent="work", label_nl=k, label_en=k) for k in order),
        ))

    asked = Criteria(work_kinds=("alpha",))
    for order in (("alpha", "beta"), ("beta", "alpha"), ("alpha", "beta")):
        catalogue = build([company("acme", ["alpha"]), company("other", ["beta"])],
                                    taxonomy(order))
        assert [m.company_id for m in match(catalogue, asked).matches] == ["acme"]


def test_only_companies_keeps_the_scores_and_hard_filters_of_a_full_match() -> None:
    companies = [company("a"), company("b"), company("c", active=False)]
    full = run(companies, near("Tilburg", "packaging"))
    only = run(companies, near("Tilburg", "packaging", only_companies=frozenset({"b", "c"})))
    assert ids(only) == ["b"]  # c is inactive: still filtered out
    assert only.matches[0] == next(m for m in full.matches if m.company_id == "b")
    assert ids(run(companies, near("Tilburg", "packaging", only_companies=frozenset()))) == []
