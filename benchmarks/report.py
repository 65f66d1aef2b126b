"""Markdown tables and the target verdicts of issue 14 from a `benchmarks.run` result:

    .venv/bin/python -m benchmarks.report benchmarks/results/latest.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _size(data: dict[str, Any], label: str) -> dict[str, Any] | None:
    return next((r for r in data["sizes"] if r["size"] == label), None)


def _verdict(met: bool, miss: str) -> str:
    return "met" if met else f"missed ({miss})"


def targets(data: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str]] = []
    for label, mix, what, bound in (("1m", "targeted", "engine p95, 1M sites, top-20 within "
                                     "150 km (3-5 kinds, 2 certifications)", 10),
                                    ("10k", "general", "engine p95, 10k sites (general mix)", 2)):
        r = _size(data, label)
        if r is None:
            continue
        s = r["mixes"][mix]
        ratio = s["ratio_p95"]
        rows.append((what, f"<= 1/{bound} of PostGIS p95",
                     f"{s['engine_p95']:.2f} ms vs {s['sql_p95']:.2f} ms = 1/{ratio:.1f}",
                     _verdict(ratio >= bound, f"{bound / ratio:.2f}x too slow")))
    for r in data["sizes"]:
        diffs = len(r["mismatches"])
        n = r["queries"]["general"] + r["queries"]["targeted"]
        rows.append((f"identical top-k to the SQL reference, {r['size']} sites", "0 differences",
                     f"{diffs} differences in {n} queries ({r['queries']['general']} general "
                     f"+ {r['queries']['targeted']} targeted)",
                     _verdict(diffs == 0, f"{diffs} differ")))
    http = data.get("http")
    if http and "error" not in http:
        loket, sql = http["loket"]["req_per_s"], http["sql"]["req_per_s"]
        rows.append((f"HTTP match, 2 workers, {http['connections']} connections, "
                     f"{http['size']} sites", ">= 5x the SQL-backed endpoint",
                     f"{loket:.1f} vs {sql:.1f} req/s = {loket / sql:.1f}x",
                     _verdict(loket / sql >= 5, f"{5 * sql / loket:.2f}x short")))
    cold = data.get("cold_start")
    if cold:
        rows.append(("`loket serve` started to first match answered, demo data", "< 2 s",
                     f"{cold['seconds']:.2f} s ({cold['seconds_no_bytecode']:.2f} s with no "
                     "bytecode cached)", _verdict(cold["seconds"] < 2,
                                                  f"{cold['seconds'] - 2:.2f} s over")))
    big = _size(data, "1m")
    if big is not None:
        per_site = big["memory_kept_bytes"] / big["n_sites"]
        rows.append(("memory, 1M sites", "<= 250 bytes per site",
                     f"{per_site:.0f} B/site (kept by the catalogue, tracemalloc)",
                     _verdict(per_site <= 250, f"{per_site - 250:.0f} B over")))
    lines = ["| what | target | measured | verdict |", "| --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def latency_table(data: dict[str, Any]) -> str:
    lines = ["| sites | mix | queries | median candidates | engine p50 | p95 | p99 | PostGIS p50 "
             "| p95 | p99 | ratio p50 | p95 | p99 | differences |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| ---: | ---: |"]
    for r in data["sizes"]:
        for mix, s in r["mixes"].items():
            diffs = sum(1 for m in r["mismatches"] if m.startswith(mix))
            lines.append(
                f"| {r['size']} | {mix} | {r['queries'][mix]} | {s['candidates_p50']:.0f} | "
                f"{s['engine_p50']:.2f} | {s['engine_p95']:.2f} | {s['engine_p99']:.2f} | "
                f"{s['sql_p50']:.2f} | {s['sql_p95']:.2f} | {s['sql_p99']:.2f} | "
                f"{s['ratio_p50']:.1f}x | {s['ratio_p95']:.1f}x | {s['ratio_p99']:.1f}x | "
                f"{diffs} |")
    return "\n".join(lines)


def rebuild_table(data: dict[str, Any]) -> str:
    lines = ["| sites | companies | read rows s | build s | full rebuild s |",
             "| ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['size']} | {r['n_companies']:,} | {r['read_s']:.3f} | {r['build_s']:.3f} | "
              f"{r['total_s']:.3f} |" for r in data.get("rebuilds", [])]
    return "\n".join(lines)


def http_table(http: dict[str, Any]) -> str:
    lines = ["| endpoint | req/s | p50 ms | p99 ms | non-2xx | answers checked / differing |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {f['req_per_s']:.1f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} | "
              f"{f['non_2xx']} | {f['checked']} / {f['differences']} |"
              for name, f in ((n, http[n]) for n in ("loket", "sql"))]
    return "\n".join(lines)


def render(data: dict[str, Any]) -> str:
    parts = ["### Targets\n", targets(data), "\n### Latency (ms; ratio = PostGIS / engine)\n",
             latency_table(data), "\n### Full catalogue rebuild\n", rebuild_table(data)]
    if data.get("http") and "error" not in data["http"]:
        parts += [f"\n### HTTP `POST /v1/match`, {data['http']['size']} sites, 2 workers, "
                  f"{data['http']['connections']} connections\n", http_table(data["http"])]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__)
    parser.add_argument("json", type=Path)
    args = parser.parse_args(argv)
    print(render(json.loads(args.json.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
