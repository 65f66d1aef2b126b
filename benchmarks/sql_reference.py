"""The baseline: each criteria answered by ONE SQL query over the denormalised `bench_site`
table (see `load_postgis.py`), with the engine's hard filters, score, rounding and order.

Written from the rules in README.md ("How matching behaves") and the documented rounding of
`app/matching/engine.py`, not from the engine's code:

- hard filters: company active; the site offers an asked kind (or a kind of an asked group);
  the company holds every required certification; the site lies within `max_distance_km` of
  the asked point and the point within the site's service radius;
- distance: haversine on a sphere of radius 6371.0088 km, in float8, in the same order of
  operations as numpy, so it agrees to the last bit or so. `ST_DWithin` on the geography (GiST)
  is only the index prefilter, with a 1% + 1 km margin, reaching min(max_distance_km, largest
  service radius in the table) - the second bound makes queries without max_distance_km use
  the index too; the exact filter is the haversine;
- score: the weighted mean of the applicable components (work kinds, distance, capacity,
  availability, preferred certifications), x100, rounded to 2 decimals (round half to even,
  as `rint`/numpy do); distance key rounded to 3 decimals;
- best site per company (`DISTINCT ON`: score desc, distance key, site id), then the top k by
  score desc, distance key, company id. `count(*) OVER ()` gives total_candidates.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from datetime import date
from typing import Any

import psycopg

from benchmarks.engine_adapter import Answer, Entry
from benchmarks.generate import TaxonomyRows

EARTH_RADIUS_KM = 6371.0088
DEG = math.pi / 180.0  # the constant numpy's radians() and Python's math.radians() use
F = "::float8"


def _f(x: float) -> str:
    """A float8 literal that reads back as exactly `x`."""
    return f"{float(x)!r}{F}"


def _ints(values: Sequence[int]) -> str:
    return "'{" + ",".join(str(int(v)) for v in values) + "}'::int[]"


class SqlReference:
    """Builds and runs the reference query; kinds and certifications are numbered from 1."""

    def __init__(self, taxonomy: TaxonomyRows, scoring: dict[str, float],
                 max_radius_km: float | None = None) -> None:
        """`max_radius_km`: the largest service radius in `bench_site` (see
        `largest_radius`), given to the planner as a constant; None: looked up in the query."""
        self.tax = taxonomy
        self.kind_no = {k: i + 1 for i, k in enumerate(taxonomy.kinds)}
        self.cert_no = {c: i + 1 for i, c in enumerate(taxonomy.cert_codes)}
        self.s = scoring
        self.max_radius_km = max_radius_km

    @staticmethod
    def largest_radius(conn: psycopg.Connection[Any]) -> float:
        """The largest service radius in `bench_site` (read once; the rows do not change
        during a benchmark)."""
        row = conn.execute("SELECT max(service_radius_km) FROM bench_site").fetchone()
        return float(row[0]) if row and row[0] is not None else 0.0

    def expand(self, asked: Sequence[str]) -> list[str]:
        out: dict[str, None] = {}
        for code in asked:
            for kind in self.tax.kinds_in(code) if code in self.tax.groups else (code,):
                out[kind] = None
        return list(out)

    def query(self, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        s, tax = self.s, self.tax
        asked = list(dict.fromkeys(body["work_kinds"]))
        wanted = [self.kind_no[k] for k in self.expand(asked)]
        params: dict[str, Any] = {"limit": int(body.get("limit", 20))}
        where = ["s.active", f"s.kinds && {_ints(wanted)}"]
        required = [self.cert_no.get(c, 0) for c in body.get("required_certifications", ())]
        if required:
            where.append(f"s.certs @> {_ints(required)}")

        # Components: (weight, expression over the row `c`), in the engine's order.
        terms = []
        for code in asked:
            if code in tax.groups:
                group = [self.kind_no[k] for k in tax.kinds_in(code)]
                terms.append(f"(CASE WHEN c.kinds && {_ints(group)} THEN 1.0{F} ELSE 0.0{F} END)")
                continue
            siblings = [self.kind_no[k] for k in tax.kinds_in(tax.group_of(code)) if k != code]
            terms.append(
                f"(CASE WHEN {self.kind_no[code]} = ANY(c.kinds) THEN 1.0{F}"
                f" WHEN c.kinds && {_ints(siblings)} THEN {_f(s['sibling_credit'])}"
                f" ELSE 0.0{F} END)")
        work = f"least(greatest(({' + '.join(terms)}) / {_f(len(asked))}, 0.0{F}), 1.0{F})"
        parts = [(s["w_work_kinds"], work)]

        location = body.get("location")
        max_km = body.get("max_distance_km")
        if location is not None:
            lat, lon = float(location["lat"]), float(location["lon"])
            phi1 = lat * DEG
            params.update(lat=lat, lon=lon, phi1=phi1, lmb1=lon * DEG, cos_phi1=math.cos(phi1),
                          deg=DEG, two_r=2.0 * EARTH_RADIUS_KM)
            # Prefilter reach: nothing lies farther than max_distance_km, nor - a hard filter -
            # than the largest service radius. Margin: 1% + 1 km (this sphere vs. PostGIS's).
            if max_km is not None:
                params["max_km"] = float(max_km)
            if self.max_radius_km is not None:  # a constant the planner can estimate with
                reach_km = self.max_radius_km if max_km is None else min(float(max_km),
                                                                         self.max_radius_km)
                params["reach_m"] = (reach_km * 1.01 + 1.0) * 1000.0
                reach = f"%(reach_m)s{F}"
            else:  # correct whatever the data, but opaque to the planner's row estimates
                largest = "(SELECT max(service_radius_km) FROM bench_site)"
                if max_km is not None:
                    largest = f"least(%(max_km)s{F}, {largest})"
                reach = f"({largest} * 1.01{F} + 1.0{F}) * 1000.0{F}"
            where.append(
                "ST_DWithin(s.geog, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography,"
                f" {reach}, false)")
            if max_km is not None:
                distance = f"least(greatest(1.0{F} - c.km / %(max_km)s{F}, 0.0{F}), 1.0{F})"
            else:
                half = _f(s["distance_half_km"])
                distance = f"{half} / ({half} + c.km)"
            parts.append((s["w_distance"], distance))
            km = (
                "%(two_r)s::float8 * asin(sqrt(least(greatest("
                "sin((s.lat * %(deg)s::float8 - %(phi1)s::float8) / 2.0::float8)"
                " * sin((s.lat * %(deg)s::float8 - %(phi1)s::float8) / 2.0::float8)"
                " + %(cos_phi1)s::float8 * cos(s.lat * %(deg)s::float8)"
                " * (sin((s.lon * %(deg)s::float8 - %(lmb1)s::float8) / 2.0::float8)"
                " * sin((s.lon * %(deg)s::float8 - %(lmb1)s::float8) / 2.0::float8)),"
                " 0.0::float8), 1.0::float8)))")
            cut = "c.km <= c.service_radius_km"
            if max_km is not None:
                cut += f" AND c.km <= %(max_km)s{F}"
            dist_key = f"round(c.km * 1000.0{F}) / 1000.0{F}"
        else:
            km, cut, dist_key = f"NULL{F}", "true", f"0.0{F}"

        needed = body.get("workers_needed")
        if needed is not None:
            avail = f"greatest({', '.join(f'c.capacity[{k}]' for k in wanted)})"
            cap = (f"1.0{F}" if needed <= 0
                   else f"least(1.0{F}, {avail}::float8 / {_f(needed)})")
            parts.append((s["w_capacity"], cap))
        start = body.get("start_date")
        if start is not None:
            params["start"] = date.fromisoformat(start)
            grace = _f(s["availability_grace_days"])
            parts.append((s["w_availability"],
                          f"(CASE WHEN c.available_from IS NULL OR c.available_from <= %(start)s"
                          f" THEN 1.0{F} ELSE least(greatest(1.0{F} - (c.available_from"
                          f" - %(start)s::date)::float8 / {grace}, 0.0{F}), 1.0{F}) END)"))
        preferred = body.get("preferred_certifications") or []
        if preferred:
            held = " + ".join(f"(c.certs @> {_ints([self.cert_no.get(p, 0)])})::int"
                              for p in preferred)
            parts.append((s["w_certifications"], f"({held})::float8 / {_f(len(preferred))}"))

        weight_sum = sum(w for w, _ in parts)
        weighted = " + ".join(f"{_f(w)} * {expr}" for w, expr in parts)
        score = (f"round(least(greatest(100.0{F} * ({weighted}) / {_f(weight_sum)}, 0.0{F}),"
                 f" 100.0{F}) * 100.0{F}) / 100.0{F}")
        sql = f"""
SELECT company_id, site_id, score, dist_key, count(*) OVER () AS total
FROM (
  SELECT DISTINCT ON (c.company_id) c.company_id, c.site_id, {score} AS score,
         {dist_key} AS dist_key
  FROM (
    SELECT s.company_id, s.site_id, s.kinds, s.capacity, s.certs, s.available_from,
           s.service_radius_km, {km} AS km
    FROM bench_site s
    WHERE {' AND '.join(where)}
    OFFSET 0
  ) c
  WHERE {cut}
  ORDER BY c.company_id, score DESC, dist_key, c.site_id
) best
ORDER BY score DESC, dist_key, company_id
LIMIT %(limit)s"""
        return sql, params

    def run(self, conn: psycopg.Connection[Any], body: dict[str, Any]) -> Answer:
        sql, params = self.query(body)
        rows = conn.execute(sql, params).fetchall()
        has_location = body.get("location") is not None
        return Answer(
            entries=tuple(Entry(str(r[0]), str(r[1]), r[2], r[3] if has_location else None)
                          for r in rows),
            total_candidates=rows[0][4] if rows else 0,
        )

    def timed(self, conn: psycopg.Connection[Any], body: dict[str, Any]) -> tuple[Answer, float]:
        t0 = time.perf_counter()
        answer = self.run(conn, body)
        return answer, time.perf_counter() - t0


def compare(engine: Answer, sql: Answer, limit: int, tol: float = 1e-6) -> str | None:
    """None when the two top-k lists agree; else a short description of the first difference.

    Entries must match position by position (company and score), except that entries whose
    scores differ by less than `tol` may appear in another order, and - at the end of a full
    list - a tie group cut by the limit may hold different members.
    """
    e, q = engine.entries, sql.entries
    if len(e) != len(q):
        return f"{len(e)} engine entries vs {len(q)} SQL entries"
    if engine.total_candidates != sql.total_candidates:
        return f"total_candidates {engine.total_candidates} vs {sql.total_candidates}"
    i = 0
    while i < len(e):
        if abs(e[i].score - q[i].score) >= tol:
            return f"#{i + 1}: score {e[i].score} ({e[i].company_id}) vs {q[i].score} " \
                   f"({q[i].company_id})"
        j = i
        while j + 1 < len(e) and abs(e[j + 1].score - e[i].score) < tol:
            j += 1
        group_e = {x.company_id for x in e[i:j + 1]}
        group_q = {x.company_id for x in q[i:j + 1]}
        cut = j + 1 == len(e) and len(e) == limit
        if group_e != group_q and not cut:
            return f"#{i + 1}-{j + 1}: companies differ among equal scores"
        if not cut:
            by_company = {x.company_id: x.site_id for x in q[i:j + 1]}
            for x in e[i:j + 1]:
                if by_company[x.company_id] != x.site_id:
                    return f"{x.company_id}: site {x.site_id} vs {by_company[x.company_id]}"
        i = j + 1
    return None
