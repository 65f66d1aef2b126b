"""`rank()` over the harness's criteria, the first pass against the best of several: what a
query pays the first time it is asked (kind bitmasks of a new combination, ids not turned
into text before) and what it costs once those are kept.

    .venv/bin/python -m benchmarks.rank_passes --size 10k --passes 5

The catalogue and the 1,000 criteria of the general mix are `benchmarks.run`'s (same seed),
timed one by one as `benchmarks.run` times them; a fresh process, so the first pass starts
as cold as the harness's. Prints p50, p95 and the mean in ms for the first pass and for the
best of the passes, per query.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from app.matching import rank
from benchmarks import engine_adapter
from benchmarks.generate import DEFAULT_SEED, generate, generate_criteria, parse_size
from benchmarks.run import WARMUP


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    catalogue = engine_adapter.build_catalogue(generate(parse_size(args.size), args.seed))
    criteria = [engine_adapter.criteria(b) for b in generate_criteria(args.queries, args.seed)]
    for crit in criteria[:WARMUP]:  # as `benchmarks.run` warms up (compiled code loaded)
        rank(catalogue, crit, engine_adapter.WEIGHTS, engine_adapter.PARAMS)
    seconds = np.empty((max(1, args.passes), len(criteria)))
    for n in range(seconds.shape[0]):
        for i, crit in enumerate(criteria):
            t0 = time.perf_counter()
            rank(catalogue, crit, engine_adapter.WEIGHTS, engine_adapter.PARAMS)
            seconds[n, i] = time.perf_counter() - t0
    print(f"rank() at {args.size} sites, {len(criteria)} criteria, ms per query:")
    print("| pass | p50 | p95 | mean |\n| --- | ---: | ---: | ---: |")
    for label, ms in (("first", seconds[0] * 1000),
                      (f"best of {seconds.shape[0]}", seconds.min(axis=0) * 1000)):
        print(f"| {label} | {np.median(ms):.4f} | {np.percentile(ms, 95):.4f} | "
              f"{ms.mean():.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
