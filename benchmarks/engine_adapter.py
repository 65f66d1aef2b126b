"""The one place the benchmark calls the matching engine (`app.matching`).

Builds a catalogue from a generated `Dataset` with `Catalogue.from_columns` (the columns the
service reads from its database), turns request bodies into `Criteria`, and runs `match`.
"""

from __future__ import annotations

import gc
import tracemalloc
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from app.matching.catalogue import Catalogue, CatalogueColumns
from app.matching.engine import match
from app.matching.types import Criteria, ScoringParams, Taxonomy, Weights, WorkKindNode
from benchmarks.generate import Dataset, TaxonomyRows

# The service's defaults (app.config.Settings): the SQL reference is given the same numbers.
WEIGHTS = Weights()
PARAMS = ScoringParams()


@dataclass(frozen=True, slots=True)
class Entry:
    company_id: str
    site_id: str
    score: float
    distance_km: float | None


@dataclass(frozen=True, slots=True)
class Answer:
    entries: tuple[Entry, ...]
    total_candidates: int


def scoring() -> dict[str, float]:
    """Weights and parameters as plain numbers, for the SQL reference."""
    return {
        "w_work_kinds": WEIGHTS.work_kinds,
        "w_distance": WEIGHTS.distance,
        "w_capacity": WEIGHTS.capacity,
        "w_availability": WEIGHTS.availability,
        "w_certifications": WEIGHTS.certifications,
        "sibling_credit": PARAMS.sibling_credit,
        "distance_half_km": PARAMS.distance_half_km,
        "availability_grace_days": PARAMS.availability_grace_days,
    }


def taxonomy(rows: TaxonomyRows) -> Taxonomy:
    return Taxonomy(nodes=tuple(
        WorkKindNode(code=c, parent=p, label_nl=nl, label_en=en) for c, p, nl, en in rows.work_kinds
    ))


def build_catalogue(ds: Dataset) -> Catalogue:
    """The catalogue as the service builds it: from columns."""
    return Catalogue.from_columns(taxonomy(ds.taxonomy), columns(ds))


def columns(ds: Dataset) -> CatalogueColumns:
    """The dataset as the columns the service reads from its database."""
    kinds = np.array(ds.taxonomy.kinds)
    certs = np.array(ds.taxonomy.cert_codes)
    bits = (ds.company_certs[:, None] >> np.arange(len(certs), dtype=np.uint8)) & 1
    cert_company, cert_index = np.nonzero(bits)
    restricted = ds.cap_sites != 0
    r_cap, r_pos = [], []
    for j in range(8):
        at = np.flatnonzero(restricted & ((ds.cap_sites >> j) & 1 == 1))
        r_cap.append(at)
        r_pos.append(ds.company_first_site[ds.cap_company[at]] + j)
    return CatalogueColumns(
        company_ids=ds.company_id,
        company_active=ds.company_active,
        company_available=ds.company_available,
        cert_company=cert_company,
        cert_code=certs[cert_index].tolist(),
        site_ids=ds.site_id,
        site_company=ds.site_company,
        site_lat=ds.site_lat,
        site_lon=ds.site_lon,
        site_radius_km=ds.site_radius,
        cap_company=ds.cap_company,
        cap_kind=kinds[ds.cap_kind].tolist(),
        cap_workers=ds.cap_capacity,
        cap_updated_at=[None] * len(ds.cap_company),
        restrict_cap=np.concatenate(r_cap),
        restrict_site=np.concatenate(r_pos),
    )


def measure_memory(ds: Dataset) -> int:
    """Bytes the catalogue keeps, by tracemalloc. The inputs are made inside the traced window
    and released before the catalogue is measured, so what it keeps of them counts, once."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        catalogue = build_catalogue(ds)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del catalogue
    return kept


def criteria(body: dict[str, Any]) -> Criteria:
    location = body.get("location") or {}
    start = body.get("start_date")
    distance = body.get("max_distance_km")
    return Criteria(
        work_kinds=tuple(body["work_kinds"]),
        lat=location.get("lat"),
        lon=location.get("lon"),
        max_distance_km=None if distance is None else float(distance),
        workers_needed=body.get("workers_needed"),
        start_date=None if start is None else date.fromisoformat(start),
        required_certifications=frozenset(body.get("required_certifications", ())),
        preferred_certifications=frozenset(body.get("preferred_certifications", ())),
        limit=body.get("limit", 20),
    )


def run(catalogue: Catalogue, crit: Criteria) -> Answer:
    """The engine's answer (`match`, with every component and fact the API explains), read
    as the SQL reference answers: ids, scores, distances and total_candidates."""
    result = match(catalogue, crit, WEIGHTS, PARAMS)
    return Answer(
        entries=tuple(Entry(m.company_id, m.site_id, m.score, m.distance_km)
                      for m in result.matches),
        total_candidates=result.total_candidates,
    )
