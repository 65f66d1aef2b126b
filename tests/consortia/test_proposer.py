"""The pure consortium proposer."""

from __future__ import annotations

from app.consortia import Candidate, explain, propose


def cand(cid: str, capacity: int, distance: float | None = 10.0,
         kinds: tuple[str, ...] = ("packaging",)) -> Candidate:
    return Candidate(company_id=cid, name=f"Bedrijf {cid}", site_name="Hoofd", city="Tilburg",
                     distance_km=distance, capacity_workers=capacity, kinds=frozenset(kinds))


def test_nothing_when_one_company_suffices_or_no_need_is_given() -> None:
    assert propose([cand("a", 30), cand("b", 5)], 20) == []
    assert propose([cand("a", 10), cand("b", 10)], None) == []


def test_pairs_before_trios_and_only_minimal_combinations() -> None:
    proposals = propose([cand("a", 12), cand("b", 9), cand("c", 5), cand("d", 4)], 20)
    assert [set(p.company_ids) for p in proposals] == [{"a", "b"}, {"a", "c", "d"}]
    first = proposals[0]
    assert first.total_capacity == 21 and first.shared_kinds == ("packaging",)


def test_at_most_five_ranked_by_coverage_then_distance() -> None:
    candidates = [
        cand("near", 10, 5.0, ("packaging",)),
        cand("both", 10, 20.0, ("packaging", "assembly")),
        cand("far", 10, 80.0, ("packaging", "assembly")),
        *[cand(f"x{i}", 10, 30.0 + i) for i in range(6)],
    ]
    proposals = propose(candidates, 20, asked_kinds=["packaging", "assembly"])
    assert len(proposals) == 5
    # Both kinds covered and shared: the two that offer both, although one is far.
    assert set(proposals[0].company_ids) == {"both", "far"}
    assert proposals[0].shared_kinds == ("packaging", "assembly")
    assert proposals[0].largest_distance_km == 80.0
    # Then those covering both kinds, nearest first.
    assert set(proposals[1].company_ids) == {"both", "near"}
    assert set(proposals[2].company_ids) == {"both", "x0"}


def test_members_beyond_the_distance_limit_are_left_out() -> None:
    proposals = propose([cand("a", 10, 5.0), cand("b", 10, 50.0), cand("c", 10, 8.0)], 20,
                        max_distance_km=40)
    assert [set(p.company_ids) for p in proposals] == [{"a", "c"}]


def test_no_combination_of_three_is_enough() -> None:
    assert propose([cand("a", 3), cand("b", 3), cand("c", 3), cand("d", 3)], 20) == []


def test_explanations_in_dutch_and_english() -> None:
    (p,) = propose([cand("a", 12), cand("b", 9)], 20)
    nl = explain(p, 20, "nl", {"packaging": "Verpakken"})
    en = explain(p, 20, "en", {"packaging": "Packaging"})
    assert "leveren samen 21 van de 20" in nl and "Verpakken" in nl and "10 km" in nl
    assert "together offer 21 of the 20" in en and "Packaging" in en


def test_the_order_is_deterministic() -> None:
    candidates = [cand(c, 10) for c in "edcba"]
    assert propose(candidates, 20) == propose(list(reversed(candidates)), 20)
