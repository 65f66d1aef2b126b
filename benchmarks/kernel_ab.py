"""Same-process A/B of the compiled pass and the grid ranges: this tree's against another
commit's.

    .venv/bin/python -m benchmarks.kernel_ab --against 0e031cf --sizes 10k,100k,1m

The catalogue is the harness's (`benchmarks.generate`, same seed, `Catalogue.from_columns`).
The calls are the ones `rank()` makes for the 1,000 criteria of the general mix, with limit
50 where `workers_needed` is given, as the match service asks for the consortia. Both
versions of `kernel.scan` run every call, alternating by round, and the best of the rounds is
reported per query; their results must be equal, call by call. The same for
`Grid.ranges` over the grid of the catalogue. The other commit's `kernel.py` and `grid.py` are
read with `git show` and compiled in this process (numba's disk cache off), so both sides see
the same data, cache and machine moment.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from app.matching import engine, kernel, rank
from benchmarks import engine_adapter
from benchmarks.generate import DEFAULT_SEED, generate, generate_criteria, parse_size

ROOT = Path(__file__).resolve().parent.parent


def module_at(commit: str, path: str, name: str, into: Path) -> ModuleType:
    """`path` as it is at `commit`, imported as module `name`, compiled without disk cache."""
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    file = into / f"{name}.py"
    file.write_text(source.replace("cache=True", "cache=False"))
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def kernel_calls(catalogue: Any, criteria: list[Any]) -> list[tuple[Any, ...]]:
    """The arguments of every `kernel.scan` call that `rank()` makes for `criteria`."""
    calls: list[tuple[Any, ...]] = []
    scan = kernel.scan

    def record(*args: Any) -> Any:
        calls.append(args)
        return scan(*args)

    engine.kernel.scan = record  # type: ignore[attr-defined]
    try:
        for crit in criteria:
            rank(catalogue, crit)
    finally:
        engine.kernel.scan = scan  # type: ignore[attr-defined]
    return calls


def best_of(
    rounds: int, runs: dict[str, Callable[..., object]], calls: list[tuple[Any, ...]]
) -> dict[str, float]:
    """Seconds per call of the fastest round, per function: each round runs every function
    on every call, one function after the other."""
    best = {name: float("inf") for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.perf_counter()
            for call in calls:
                run(*call)
            best[name] = min(best[name], (time.perf_counter() - start) / len(calls))
    return best


def same(a: object, b: object) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    return a == b


def scan_results(scan: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    """`scan` on fresh copies of the output arrays (the last six arguments): (filled, total)
    and the filled rows."""
    outs = tuple(np.empty_like(a) for a in args[-6:])
    filled, total = scan(*args[:-6], *outs)
    return (filled, total, *(a[:filled] for a in outs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the other commit (any git revision)")
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        other_kernel = module_at(args.against, "app/matching/kernel.py", "other_kernel", Path(tmp))
        other_grid = module_at(args.against, "app/matching/grid.py", "other_grid", Path(tmp))
        print(f"compiled pass and grid ranges: this tree against {args.against}, "
              f"best of {args.rounds} rounds")
        print("| sites | kernel, other (ms/query) | kernel, this tree | ratio | "
              "ranges, other (us/query) | ranges, this tree | ratio | results |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for size in args.sizes.split(","):
            n_sites = parse_size(size)
            catalogue = engine_adapter.build_catalogue(generate(n_sites, args.seed))
            criteria = [
                dataclasses.replace(c, limit=50) if c.workers_needed is not None else c
                for c in map(engine_adapter.criteria, generate_criteria(args.queries, args.seed))
            ]
            calls = kernel_calls(catalogue, criteria)
            equal = all(
                same(scan_results(kernel.scan, call), scan_results(other_kernel.scan, call))
                for call in calls
            )
            kernels = best_of(args.rounds, {"other": other_kernel.scan, "this": kernel.scan}, calls)
            part_grid = catalogue.parts()[0][0].grid
            old_grid = other_grid.Grid.__new__(other_grid.Grid)
            old_grid.__setstate__(part_grid.__getstate__())
            points = [(c.lat, c.lon, c.max_distance_km) for c in criteria if c.lat is not None]
            equal = equal and all(
                same(part_grid.ranges(*p), old_grid.ranges(*p)) for p in points
            )
            ranges = best_of(
                args.rounds, {"other": old_grid.ranges, "this": part_grid.ranges}, points
            )
            k_other, k_this = (kernels[k] * 1e3 for k in ("other", "this"))
            r_other, r_this = (ranges[k] * 1e6 for k in ("other", "this"))
            print(f"| {size} | {k_other:.3f} | {k_this:.3f} | {k_other / k_this:.2f}x | "
                  f"{r_other:.1f} | {r_this:.1f} | {r_other / r_this:.2f}x | "
                  f"{'equal' if equal else 'DIFFERENT'} |", flush=True)
            if not equal:
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
