"""The reverse search's scorer (`app.matching.reverse.rank_seekers`) at the real market's size
and well beyond it: time per search, as a ratio to the market-sized run measured in the same
run. `python -m benchmarks.reverse_match` prints a Markdown table (docs/performance.md)."""

from __future__ import annotations

import random
import statistics
import time

from app.matching.reverse import Offer, Seeker, rank_seekers
from app.partners.schemas import EXPERTISE, MATERIALS, PARTNERSHIP_KINDS

# Hundreds of companies and organisations seek something today: 200 is the baseline.
SIZES = (200, 2_000, 20_000)
RUNS = 15


def _seekers(n: int, rng: random.Random) -> list[Seeker]:
    out = []
    for i in range(n):
        seeks = {
            "expertise": frozenset(rng.sample(EXPERTISE, rng.randint(0, 3))),
            "materials": frozenset(rng.sample(MATERIALS, rng.randint(0, 2))),
            "partnership_kinds": frozenset(rng.sample(PARTNERSHIP_KINDS, rng.randint(0, 2))),
        }
        points = [(rng.uniform(50.7, 53.5), rng.uniform(3.3, 7.2))
                  for _ in range(rng.randint(1, 3))]
        out.append(Seeker(f"{i:08d}", "company", seeks, points))
    return out


def _time(offer: Offer, seekers: list[Seeker]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        rank_seekers(offer, seekers)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    rng = random.Random(18)
    offer = Offer(offers={"expertise": frozenset({"engineering", "hr"}),
                          "materials": frozenset({"textile"})},
                  lat=52.0907, lon=5.1214, max_distance_km=60)
    rows = [(n, _time(offer, _seekers(n, rng))) for n in SIZES]
    base = rows[0][1]
    print("| seekers | median ms per search | ratio to 200 |")
    print("| ---: | ---: | ---: |")
    for n, ms in rows:
        print(f"| {n:,} | {ms:.2f} | {ms / base:.1f}x |")


if __name__ == "__main__":
    main()
