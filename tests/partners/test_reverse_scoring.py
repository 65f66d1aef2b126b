"""The pure reverse-search scoring: who seeks what is offered, ranked and explained."""

from __future__ import annotations

from app.matching.reverse import Offer, Seeker, rank_seekers

UTRECHT = (52.0907, 5.1214)
AMERSFOORT = (52.1561, 5.3878)
GRONINGEN = (53.2194, 6.5665)


def _offer(**kwargs: object) -> Offer:
    base: dict[str, object] = {"offers": {"expertise": frozenset({"engineering"})},
                               "lat": UTRECHT[0], "lon": UTRECHT[1]}
    base.update(kwargs)
    return Offer(**base)  # type: ignore[arg-type]


def test_only_seekers_of_what_is_offered_are_ranked_nearer_first() -> None:
    seekers = [
        Seeker("b", "company", {"expertise": frozenset({"engineering"})}, [GRONINGEN]),
        Seeker("a", "company", {"expertise": frozenset({"engineering"})}, [AMERSFOORT]),
        Seeker("c", "company", {"expertise": frozenset({"hr"})}, [UTRECHT]),
    ]
    ranked, total = rank_seekers(_offer(), seekers)
    assert [m.id for m in ranked] == ["a", "b"]
    assert total == 2
    reasons = {r.criterion: r for r in ranked[0].reasons}
    assert reasons["expertise"].codes == ("engineering",)
    assert reasons["expertise"].score == 1.0
    assert ranked[0].distance_km is not None and ranked[0].distance_km < 25


def test_covering_more_of_what_is_sought_ranks_higher() -> None:
    seekers = [
        Seeker("half", "company", {"expertise": frozenset({"engineering", "legal"})}, [UTRECHT]),
        Seeker("all", "company", {"expertise": frozenset({"engineering"})}, [UTRECHT]),
    ]
    ranked, _ = rank_seekers(_offer(), seekers)
    assert [m.id for m in ranked] == ["all", "half"]
    assert "also seeks legal" in ranked[1].reasons[0].detail


def test_the_cut_off_drops_far_seekers_and_the_nearest_site_counts() -> None:
    seekers = [
        Seeker("far", "company", {"expertise": frozenset({"engineering"})}, [GRONINGEN]),
        Seeker("two-sites", "company", {"expertise": frozenset({"engineering"})},
               [GRONINGEN, AMERSFOORT]),
    ]
    ranked, total = rank_seekers(_offer(max_distance_km=40), seekers)
    assert [(m.id, m.point) for m in ranked] == [("two-sites", 1)]
    assert total == 1


def test_without_a_location_only_the_need_counts_and_ties_go_by_id() -> None:
    seekers = [Seeker(x, "organisation", {"materials": frozenset({"textile"})}) for x in "ba"]
    ranked, _ = rank_seekers(
        Offer(offers={"materials": frozenset({"textile"})}), seekers
    )
    assert [(m.id, m.score, m.distance_km) for m in ranked] == [("a", 100.0, None),
                                                                ("b", 100.0, None)]


def test_an_empty_offer_finds_nobody() -> None:
    seekers = [Seeker("a", "company", {"expertise": frozenset({"engineering"})}, [UTRECHT])]
    assert rank_seekers(Offer(offers={}), seekers) == ([], 0)


def test_every_label_and_sentence_of_the_explanations_exists_in_every_language() -> None:
    from app.partners.schemas import EXPERTISE, MATERIALS, PARTNERSHIP_KINDS
    from app.words.languages import LANGUAGES
    from app.words.partners import LABELS, distance_detail, need_detail

    for lang in LANGUAGES:
        assert set(LABELS[lang]["expertise"]) == set(EXPERTISE), lang
        assert set(LABELS[lang]["materials"]) == set(MATERIALS), lang
        assert set(LABELS[lang]["partnership_kinds"]) == set(PARTNERSHIP_KINDS), lang
    assert need_detail("nl", "expertise", ["engineering"], ["hr"]) == \
        "zoekt engineering; zoekt ook HR"
    assert need_detail("fr", "materials", [], ["textile"]) == \
        "cherche textile usagé, pas ce que vous offrez"
    assert need_detail("en", "work_kinds", ["packaging"], [], {"packaging": "Packaging"}) == \
        "seeks Packaging"
    assert distance_detail("nl", 12.34) == "12,3 km hiervandaan"
