"""Micro-benchmark of the matching engine alone (no database, no HTTP).

    .venv/bin/python benchmarks/engine_micro.py --sites 10000 100000 1000000

Seeded synthetic catalogue: companies of 1-5 sites clustered around ~200 real towns (Dutch and
Belgian places from app/geo data, weighted by population, plus European cities), 1-8 kinds per
site, certifications, capacities and availability; built with `Catalogue.from_columns`. Then a
seeded mix of 1,000 criteria (radius 25-200 km or none, 1-5 kinds or a group, 0-3 required
certifications, workers_needed, start_date) and the issue-5 target mix (top-20 within 150 km,
3-5 kinds, 2 certifications). Prints build time, bytes per site and latency percentiles, and
the cost of `with_changes`.
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import time
import tracemalloc
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

import numpy as np
import numpy.typing as npt

from app.matching import (
    CapabilityRecord,
    Catalogue,
    CompanyRecord,
    Criteria,
    SiteRecord,
    Taxonomy,
    WorkKindNode,
    match,
)
from app.matching.ids import IdColumn

CERTS = ("iso-9001", "iso-14001", "iso-27001", "pso", "haccp", "brcgs", "vca", "fsc")
CERT_P = np.array([0.35, 0.2, 0.1, 0.4, 0.1, 0.05, 0.25, 0.08])
EUROPE = {
    "Paris": (48.857, 2.352), "Lille": (50.629, 3.057), "Lyon": (45.764, 4.836),
    "Marseille": (43.296, 5.370), "Toulouse": (43.605, 1.444), "Bordeaux": (44.838, -0.579),
    "Nantes": (47.218, -1.554), "Strasbourg": (48.573, 7.752), "Rennes": (48.117, -1.678),
    "Berlin": (52.520, 13.405), "Hamburg": (53.551, 9.994), "München": (48.135, 11.582),
    "Köln": (50.938, 6.960), "Frankfurt": (50.110, 8.682), "Düsseldorf": (51.228, 6.774),
    "Dortmund": (51.514, 7.468), "Essen": (51.456, 7.012), "Aachen": (50.776, 6.084),
    "Münster": (51.961, 7.626), "Bremen": (53.079, 8.802), "Hannover": (52.376, 9.732),
    "Leipzig": (51.340, 12.375), "Dresden": (51.050, 13.737), "Stuttgart": (48.776, 9.183),
    "Nürnberg": (49.452, 11.077), "London": (51.507, -0.128), "Manchester": (53.481, -2.243),
    "Birmingham": (52.486, -1.890), "Leeds": (53.801, -1.549), "Glasgow": (55.864, -4.252),
    "Dublin": (53.350, -6.260), "Madrid": (40.417, -3.704), "Barcelona": (41.385, 2.173),
    "Valencia": (39.470, -0.376), "Sevilla": (37.389, -5.984), "Bilbao": (43.263, -2.935),
    "Lisboa": (38.722, -9.139), "Porto": (41.158, -8.629), "Roma": (41.903, 12.496),
    "Milano": (45.464, 9.190), "Napoli": (40.852, 14.268), "Torino": (45.070, 7.687),
    "Bologna": (44.495, 11.343), "Firenze": (43.770, 11.256), "Wien": (48.208, 16.373),
    "Graz": (47.071, 15.439), "Zürich": (47.377, 8.541), "Genève": (46.204, 6.143),
    "Praha": (50.076, 14.438), "Brno": (49.195, 16.607), "Warszawa": (52.230, 21.012),
    "Kraków": (50.065, 19.945), "Wrocław": (51.108, 17.039), "Gdańsk": (54.352, 18.647),
    "Budapest": (47.498, 19.040), "Bratislava": (48.149, 17.107), "Ljubljana": (46.057, 14.506),
    "Zagreb": (45.815, 15.982), "København": (55.676, 12.568), "Aarhus": (56.163, 10.204),
    "Stockholm": (59.329, 18.069), "Göteborg": (57.709, 11.975), "Malmö": (55.605, 13.004),
    "Oslo": (59.914, 10.752), "Helsinki": (60.170, 24.938), "Tallinn": (59.437, 24.754),
    "Riga": (56.950, 24.105), "Vilnius": (54.687, 25.280), "Athína": (37.984, 23.728),
    "Bucureşti": (44.427, 26.103), "Sofia": (42.698, 23.322), "Luxembourg": (49.612, 6.130),
}  # fmt: skip
GROUPS = {
    "production": ("assembly", "packaging", "small-series-production", "woodworking",
                   "metalworking", "textile-sewing", "printing-binding", "electronics-assembly",
                   "food-processing", "sorting-inspection"),
    "facility": ("cleaning", "green-maintenance", "catering", "laundry", "reception"),
    "logistics": ("warehousing", "order-fulfilment", "mail-handling", "transport", "moving"),
    "circular": ("textile-recycling", "electronics-recycling", "reuse-shop", "bicycle-repair",
                 "furniture-refurbishing", "waste-sorting"),
    "business-services": ("document-digitization", "administration", "customer-contact",
                          "hr-services", "ict-services"),
    "construction": ("renovation", "painting", "maintenance-repair"),
    "secondment": ("individual-secondment", "group-secondment"),
}  # fmt: skip
TAXONOMY = Taxonomy(
    tuple(
        node
        for group, kinds in GROUPS.items()
        for node in (
            WorkKindNode(group, None, group, group),
            *(WorkKindNode(k, group, k, k) for k in kinds),
        )
    )
)
KINDS = np.array(TAXONOMY.kinds)
TODAY = date(2027, 1, 15)


def towns() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(coordinates (n, 2), weights): the 130 largest NL/BE places and European cities."""
    path = resources.files("app.geo") / "data" / "places.tsv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["tier"] == "0"]
    best: dict[str, tuple[float, float, float]] = {}
    for r in rows:
        best[r["name"]] = (float(r["lat"]), float(r["lon"]), float(r["population"]))
    local = sorted(best.values(), key=lambda t: -t[2])[:130]
    coords = [(lat, lon) for lat, lon, _ in local] + list(EUROPE.values())
    weights = [pop**0.5 for _, _, pop in local] + [400.0] * len(EUROPE)
    w = np.array(weights)
    return np.array(coords), w / w.sum()


@dataclass
class Synthetic:
    arrays: dict[str, object]
    n_sites: int
    n_companies: int


def synthesise(n_sites: int, seed: int) -> Synthetic:
    rng = np.random.default_rng(seed)
    coords, weights = towns()
    per = rng.integers(1, 6, n_sites)  # sites per company, 1-5
    per = per[np.cumsum(per) <= n_sites]
    if per.sum() < n_sites:
        per = np.r_[per, n_sites - per.sum()]
    n_c = per.size
    site_company = np.repeat(np.arange(n_c), per)
    home = rng.choice(len(coords), n_c, p=weights)[site_company]  # a company's sites: one area
    lat = coords[home, 0] + rng.normal(0, 0.12, n_sites)
    lon = coords[home, 1] + rng.normal(0, 0.18, n_sites)
    radius = rng.choice([25.0, 50.0, 50.0, 50.0, 75.0, 100.0, 150.0, 200.0], n_sites)

    # Capabilities: 1-8 kinds per company; a fifth limited to some of its sites.
    n_kinds = rng.integers(1, 9, n_c)
    cap_company = np.repeat(np.arange(n_c), n_kinds)
    group_of_company = rng.integers(0, len(GROUPS), n_c)
    group_start = np.cumsum([0] + [len(v) for v in GROUPS.values()])[:-1]
    group_size = np.array([len(v) for v in GROUPS.values()])
    g = group_of_company[cap_company]
    same_group = rng.random(cap_company.size) < 0.6  # kinds cluster within a group
    kind = np.where(
        same_group,
        group_start[g] + rng.integers(0, 100, cap_company.size) % group_size[g],
        rng.integers(0, len(KINDS), cap_company.size),
    )
    restricted = (rng.random(cap_company.size) < 0.2) & (per[cap_company] > 1)
    r_rows = np.flatnonzero(restricted)
    first_site = np.r_[0, np.cumsum(per)[:-1]]
    r_site = (
        first_site[cap_company[r_rows]]
        + rng.integers(0, 100, r_rows.size) % per[cap_company[r_rows]]
    )
    held = rng.random((n_c, len(CERTS))) < CERT_P
    cert_company, cert_index = np.nonzero(held)
    available = np.where(rng.random(n_c) < 0.5, 0, TODAY.toordinal() + rng.integers(-180, 180, n_c))
    updated = np.datetime64("2026-06-01T00:00:00", "us") + rng.integers(
        0, 200 * 86400 * 10**6, cap_company.size
    ).astype("timedelta64[us]")
    company_ids = IdColumn(np.frombuffer(rng.bytes(16 * n_c), dtype="S16").copy(), True)
    site_ids = IdColumn(np.frombuffer(rng.bytes(16 * n_sites), dtype="S16").copy(), True)
    arrays: dict[str, object] = {
        "company_ids": company_ids.strings(),  # what a loader reading uuid::text would pass
        "company_active": rng.random(n_c) < 0.95,
        "company_available_from": available,
        "cert_company": cert_company,
        "cert_code": cert_index,  # positions in cert_vocabulary: the fast form for bulk loads
        "cert_vocabulary": CERTS,
        "site_ids": site_ids.strings(),
        "site_company": site_company,
        "site_lat": lat,
        "site_lon": lon,
        "site_radius_km": radius,
        "cap_company": cap_company,
        "cap_kind": kind,  # positions in TAXONOMY.kinds: the fast form for bulk loads
        "cap_workers": rng.integers(0, 61, cap_company.size),
        "cap_updated_at": updated,
        "restrict_cap": r_rows,
        "restrict_site": r_site,
    }
    return Synthetic(arrays, n_sites, n_c)


def queries(n: int, seed: int, target: bool = False) -> list[Criteria]:
    rng = np.random.default_rng(seed)
    coords, weights = towns()
    out = []
    for _ in range(n):
        town = coords[rng.choice(len(coords), p=weights)]
        lat = float(town[0] + rng.normal(0, 0.1))
        lon = float(town[1] + rng.normal(0, 0.15))
        if target:
            kinds = tuple(str(k) for k in rng.choice(KINDS, int(rng.integers(3, 6)), False))
            certs = frozenset(str(c) for c in rng.choice(CERTS[:4], 2, False))
            out.append(
                Criteria(
                    work_kinds=kinds, lat=lat, lon=lon, max_distance_km=150.0,
                    required_certifications=certs, workers_needed=int(rng.integers(1, 40)),
                    start_date=TODAY + timedelta(days=int(rng.integers(0, 120))), limit=20,
                )
            )  # fmt: skip
            continue
        if rng.random() < 0.15:
            kinds = (str(rng.choice(list(GROUPS))),)
        else:
            kinds = tuple(str(k) for k in rng.choice(KINDS, int(rng.integers(1, 6)), False))
        radius = rng.choice([25.0, 50.0, 75.0, 100.0, 150.0, 200.0, -1.0])
        n_req = int(rng.choice([0, 0, 1, 1, 2, 3]))
        out.append(
            Criteria(
                work_kinds=kinds,
                lat=lat,
                lon=lon,
                max_distance_km=None if radius < 0 else float(radius),
                workers_needed=int(rng.integers(1, 40)) if rng.random() < 0.7 else None,
                start_date=TODAY + timedelta(days=int(rng.integers(0, 120)))
                if rng.random() < 0.6
                else None,
                required_certifications=frozenset(
                    str(c) for c in rng.choice(CERTS[:4], n_req, False)
                ),
                preferred_certifications=frozenset({"pso"}) if rng.random() < 0.3 else frozenset(),
                limit=20,
            )
        )
    return out


def percentiles(samples: list[float]) -> str:
    a = np.array(samples) * 1000.0
    p50, p95, p99 = np.percentile(a, [50, 95, 99])
    return f"p50 {p50:7.3f} ms  p95 {p95:7.3f} ms  p99 {p99:7.3f} ms  max {a.max():7.3f} ms"


def timed(catalogue: Catalogue, qs: list[Criteria]) -> tuple[list[float], float]:
    samples = []
    candidates = 0
    for q in qs:
        t = time.perf_counter()
        result = match(catalogue, q)
        samples.append(time.perf_counter() - t)
        candidates += result.total_candidates
    return samples, candidates / len(qs)


def record(i: int, rng: np.random.Generator) -> CompanyRecord:
    lat, lon = 51.56 + float(rng.normal(0, 0.2)), 5.09 + float(rng.normal(0, 0.3))
    sid = str(uuid.UUID(bytes=rng.bytes(16)))
    return CompanyRecord(
        company_id=str(uuid.UUID(bytes=rng.bytes(16))),
        name=f"Nieuw {i}",
        active=True,
        certifications=frozenset({"pso"}),
        available_from=None,
        sites=(SiteRecord(sid, "Hoofd", "Tilburg", "NL", lat, lon, 50.0),),
        capabilities=(CapabilityRecord("packaging", 10, None, None),),
    )


def breakdown(catalogue: Catalogue, n_sites: int) -> str:
    """Bytes per site of each array of the base part, largest first."""
    part = catalogue.base
    sizes: dict[str, int] = {"grid": part.grid.nbytes}
    for name in part.__slots__:
        value = getattr(part, name)
        if isinstance(value, np.ndarray | IdColumn):
            sizes[name] = value.nbytes
    ranked = sorted(sizes.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{name} {size / n_sites:.1f}" for name, size in ranked if size)


def run(n_sites: int, n_queries: int, seed: int) -> None:
    data = synthesise(n_sites, seed)
    gc.collect()
    tracemalloc.start()
    t = time.perf_counter()
    catalogue = Catalogue.from_columns(TAXONOMY, **data.arrays)  # type: ignore[arg-type]
    build = time.perf_counter() - t
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\n== {n_sites:,} sites, {data.n_companies:,} companies ==\n"
        f"build (from_columns) {build:.2f} s; retained {retained / n_sites:.1f} B/site "
        f"(arrays {catalogue.nbytes / n_sites:.1f} B/site), build peak {peak / 2**20:.0f} MiB"
    )
    del data
    print("  arrays, B/site: " + breakdown(catalogue, n_sites))
    warm = queries(50, seed + 99)
    timed(catalogue, warm)
    for name, qs in (
        ("mix (1,000 criteria)", queries(n_queries, seed + 1)),
        ("target: 150 km, 3-5 kinds, 2 certs", queries(n_queries, seed + 2, target=True)),
    ):
        samples, mean_candidates = timed(catalogue, qs)
        print(f"{name:38s} {percentiles(samples)}  (mean candidates {mean_candidates:,.0f})")

    rng = np.random.default_rng(seed + 3)
    t = time.perf_counter()
    changed = catalogue
    steps = 200
    for i in range(steps):
        changed = changed.with_changes([record(i, rng)])
    per_change = (time.perf_counter() - t) / steps
    samples, _ = timed(changed, queries(min(n_queries, 300), seed + 4))
    print(
        f"with_changes: {per_change * 1000:.2f} ms per single-company change "
        f"(delta {changed.delta_sites} sites); queries with a delta: {percentiles(samples)}"
    )
    t = time.perf_counter()
    changed.compacted()
    print(f"fold delta into base (compacted): {time.perf_counter() - t:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    for n in args.sites:
        run(n, args.queries, args.seed)


if __name__ == "__main__":
    main()
