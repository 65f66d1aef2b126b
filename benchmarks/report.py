"""Markdown tables and the target verdicts from a benchmark JSON file (`run.py --json`).

    .venv/bin/python -m benchmarks.report benchmarks/results/latest.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HTTP_TARGET_SQL = 5.0  # Loket req/s >= 5x the SQL-backed endpoint (16 connections)
HTTP_TARGET_TRIVIAL = 0.10  # and >= 10% of the trivial endpoint


def latency_table(sizes: list[dict[str, Any]]) -> str:
    lines = [
        "| sites | mix | queries | median candidates | engine p50 | p95 | p99 | PostGIS p50 "
        "| p95 | p99 | ratio p50 | p95 | p99 | differences | explained p50 | p95 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |",
    ]
    for r in sizes:
        for mix, s in r["mixes"].items():
            diffs = sum(1 for m in r["mismatches"] if m.startswith(mix))
            lines.append(
                f"| {r['size']} | {mix} | {r['queries'][mix]} | {s['candidates_p50']:.0f} | "
                f"{s['engine_p50']:.2f} | {s['engine_p95']:.2f} | {s['engine_p99']:.2f} | "
                f"{s['sql_p50']:.2f} | {s['sql_p95']:.2f} | {s['sql_p99']:.2f} | "
                f"{s['ratio_p50']:.1f}x | {s['ratio_p95']:.1f}x | {s['ratio_p99']:.1f}x | "
                f"{diffs} | {_ms(s, 'explained_p50')} | {_ms(s, 'explained_p95')} |")
    return "\n".join(lines)


def _ms(summary: dict[str, Any], name: str) -> str:
    return "-" if name not in summary else f"{summary[name]:.2f}"  # older result files


def index_table(sizes: list[dict[str, Any]]) -> str:
    lines = [
        "| sites | companies | builder | build s | kept B/site (tracemalloc) | build peak B/site "
        "| numpy B/site | PostGIS load s |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in sizes:
        n = r["n_sites"]
        kept = "-" if r["memory_kept_bytes"] is None else f"{r['memory_kept_bytes'] / n:.0f}"
        peak = "-" if r["memory_peak_bytes"] is None else f"{r['memory_peak_bytes'] / n:.0f}"
        lines.append(f"| {r['size']} | {r['n_companies']:,} | {r['builder']} | "
                     f"{r['build_s']:.2f} | {kept} | {peak} | {r['numpy_bytes'] / n:.0f} | "
                     f"{r['pg_load_s']:.1f} |")
    return "\n".join(lines)


def http_table(http: dict[str, Any]) -> str:
    connections = sorted(int(k[1:]) for k in http["loket"] if k[:1] == "c" and k[1:].isdigit())
    lines = [
        "| endpoint | connections | req/s | p50 ms | p99 ms | non-2xx | server CPU ms/req "
        "| PostgreSQL CPU ms/req |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [("loket", "loket", "c"), ("loket, partner key", "loket", "keyed_c"),
            ("loket, engine step replaced (floor)", "floor", "c"),
            ("sql", "sql", "c"), ("trivial", "trivial", "c")]
    for label, name, prefix in rows:
        for c in connections:
            f = http.get(name, {}).get(f"{prefix}{c}")
            if f is None:  # runs from before the keyed variant or the floor was measured
                continue
            # (runs from before the CPU was measured have no CPU figures)
            cpu = " | ".join(f"{f[k]:.3f}" if k in f else "-"
                             for k in ("server_cpu_ms", "postgres_cpu_ms"))
            lines.append(f"| {label} | {c} | {f['req_per_s']:.1f} | {f['p50_ms']:.2f} | "
                         f"{f['p99_ms']:.2f} | {f['non_2xx']} | {cpu} |")
    for c in connections:
        loket, sql, trivial = (http[n][f"c{c}"]["req_per_s"] for n in ("loket", "sql", "trivial"))
        lines.append("")
        lines.append(f"{c} connection(s): Loket / SQL-backed = {loket / sql:.2f}x, "
                     f"Loket / trivial = {100 * loket / trivial:.1f}%")
        floor = http.get("floor", {}).get(f"c{c}")
        if floor is not None:
            lines[-1] += f", floor / trivial = {100 * floor['req_per_s'] / trivial:.1f}%"
            spent, below = http["loket"][f"c{c}"].get("server_cpu_ms"), floor.get("server_cpu_ms")
            if spent and below is not None:
                lines[-1] += (f"; of Loket's server CPU per request ({spent:.3f} ms), the "
                              f"floor is {below:.3f} ms and the engine step "
                              f"{spent - below:.3f} ms ({100 * (spent - below) / spent:.0f}%)")
    return "\n".join(lines)


def _size(sizes: list[dict[str, Any]], label: str) -> dict[str, Any] | None:
    return next((r for r in sizes if r["size"] == label), None)


def verdicts(sizes: list[dict[str, Any]], http: dict[str, Any] | None) -> str:
    rows: list[tuple[str, str, str]] = []
    big = _size(sizes, "1m")
    small = _size(sizes, "10k")
    if big is not None:
        s = big["mixes"]["targeted"]
        rows.append(("engine p95, 1M, top-20 within 150 km, 3-5 kinds, 2 certs: <= 1/10 of "
                     "PostGIS p95", f"{s['engine_p95']:.1f} ms vs {s['sql_p95']:.1f} ms = 1/"
                     f"{s['ratio_p95']:.1f}", "met" if s["ratio_p95"] >= 10 else "missed"))
    if small is not None:
        s = small["mixes"]["general"]
        rows.append(("engine p95 at 10k <= 1/20 of PostGIS at 10k (general mix)",
                     f"{s['engine_p95']:.2f} ms vs {s['sql_p95']:.2f} ms = 1/"
                     f"{s['ratio_p95']:.1f}", "met" if s["ratio_p95"] >= 20 else "missed"))
    total = sum(r["queries"]["general"] + r["queries"]["targeted"] for r in sizes)
    diffs = sum(len(r["mismatches"]) for r in sizes)
    rows.append(("identical top-k to the SQL reference (ties < 1e-6 may swap)",
                 f"{diffs} differences in {total} queries "
                 f"({', '.join(r['size'] for r in sizes)})", "met" if diffs == 0 else "missed"))
    if http is not None:
        loket, sql, trivial = (http[n]["c16"]["req_per_s"] for n in ("loket", "sql", "trivial"))
        where = f"HTTP, 2 workers, 16 connections, {http['size']} sites"
        rows.append((f"{where}: Loket >= 5x the SQL-backed endpoint",
                     f"{loket:.1f} vs {sql:.1f} req/s = {loket / sql:.2f}x",
                     "met" if loket / sql >= HTTP_TARGET_SQL else "missed"))
        rows.append((f"{where}: Loket >= 10% of the trivial endpoint",
                     f"{loket:.1f} vs {trivial:.0f} req/s = {100 * loket / trivial:.1f}%",
                     "met" if loket / trivial >= HTTP_TARGET_TRIVIAL else "missed"))
    if big is not None and big["memory_kept_bytes"] is not None:
        per_site = big["memory_kept_bytes"] / big["n_sites"]
        rows.append(("engine memory <= 250 bytes per site (1M)",
                     f"{per_site:.0f} B/site (tracemalloc, kept)",
                     "met" if per_site <= 250 else "missed"))
    lines = ["| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def render(data: dict[str, Any]) -> str:
    parts = ["### Targets\n", verdicts(data["sizes"], data.get("http")),
             "\n### Latency (ms; ratio = PostGIS / engine)\n", latency_table(data["sizes"]),
             "\n### Engine index\n", index_table(data["sizes"])]
    if data.get("http"):
        parts += [f"\n### HTTP `POST /v1/match`, {data['http']['size']} sites\n\n"
                  f"2 workers per endpoint, wrk with 1 thread, {data['http']['duration_s']} s "
                  "per run; Loket started as "
                  f"`{data['http'].get('loket_server', 'loket serve --workers 2')}`.\n",
                  http_table(data["http"])]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__)
    parser.add_argument("json", type=Path)
    args = parser.parse_args(argv)
    print(render(json.loads(args.json.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
