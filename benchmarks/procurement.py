"""What the procurement filters and social return cost a match, as ratios against a plain match
measured in the same run on the same catalogue.

    .venv/bin/python -m benchmarks.procurement [--companies 5000] [--repeat 200]

A synthetic catalogue (companies with one to three sites around the Netherlands, two to four
kinds each, 70% with a target-group share, half with a PSO level) is matched with: plain
criteria (the baseline), `reserved_contract`, `min_pso_level`, both; and the social-return
estimate of the shown matches (app.matching.procurement.coverage) on top of a plain match.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from app.matching.catalogue import Catalogue, CatalogueColumns
from app.matching.engine import match
from app.matching.procurement import PSO_CODES, coverage, obligation, rules
from app.matching.types import Criteria, Taxonomy, WorkKindNode

KINDS = ("packaging", "assembly", "cleaning", "green-maintenance", "warehousing", "laundry")
TAXONOMY = Taxonomy(nodes=(
    WorkKindNode("all", None, "Alles", "All"),
    *(WorkKindNode(k, "all", k, k) for k in KINDS),
))


def catalogue(n: int, seed: int = 7) -> Catalogue:
    rng = random.Random(seed)
    cols: dict[str, list[object]] = {k: [] for k in (
        "company_ids", "company_active", "company_available", "site_ids", "site_company",
        "site_lat", "site_lon", "site_radius_km", "cap_company", "cap_kind", "cap_workers",
        "cap_updated_at", "company_pso_level", "company_pso_date", "company_target_share",
        "company_share_date", "cert_company", "cert_code")}
    for c in range(n):
        cols["company_ids"].append(f"c{c:06d}")
        cols["company_active"].append(True)
        cols["company_available"].append(0)
        share = rng.uniform(5, 90) if rng.random() < 0.7 else None
        level = rng.choice(PSO_CODES) if rng.random() < 0.5 else None
        cols["company_target_share"].append(share)
        cols["company_share_date"].append(739000 if share is not None else 0)
        cols["company_pso_level"].append(level)
        cols["company_pso_date"].append(739000 if level else 0)
        for s in range(rng.randint(1, 3)):
            cols["site_ids"].append(f"c{c:06d}-s{s}")
            cols["site_company"].append(c)
            cols["site_lat"].append(rng.uniform(50.8, 53.4))
            cols["site_lon"].append(rng.uniform(3.5, 7.1))
            cols["site_radius_km"].append(rng.uniform(30, 80))
        for kind in rng.sample(KINDS, rng.randint(2, 4)):
            cols["cap_company"].append(c)
            cols["cap_kind"].append(kind)
            cols["cap_workers"].append(rng.randint(0, 60))
            cols["cap_updated_at"].append(None)
    return Catalogue.from_columns(TAXONOMY, CatalogueColumns(**cols))  # type: ignore[arg-type]


def timed(run: Callable[[], object], repeat: int) -> float:
    """The median of `repeat` runs, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    cat = catalogue(args.companies)
    plain = Criteria(work_kinds=("packaging", "assembly"), lat=51.56, lon=5.09,
                     workers_needed=20, limit=50)
    obliged = obligation(rules().default, contract_value_eur=2_000_000, percentage=5)

    def with_social_return() -> None:
        for m in match(cat, plain).matches:
            assert m.procurement is not None
            coverage(obliged, min(m.procurement.workers, 20), m.procurement.pso_level)

    cases: list[tuple[str, Callable[[], object]]] = [
        ("plain match (baseline)", lambda: match(cat, plain)),
        ("reserved_contract", lambda: match(cat, replace(plain, reserved_contract=True))),
        ("min_pso_level trede-2", lambda: match(cat, replace(plain, min_pso_level="trede-2"))),
        ("both", lambda: match(cat, replace(plain, reserved_contract=True,
                                            min_pso_level="trede-2"))),
        ("plain + social return of 50 matches", with_social_return),
    ]
    for _, run in cases:  # warm up
        run()
    base = timed(cases[0][1], args.repeat)
    print(f"{args.companies} companies, {len(cat)} sites; median of {args.repeat} runs")
    print("| case | ms | ratio to plain |\n| --- | ---: | ---: |")
    for name, run in cases:
        ms = base if run is cases[0][1] else timed(run, args.repeat)
        print(f"| {name} | {ms:.2f} | {ms / base:.2f} |")


if __name__ == "__main__":
    main()
