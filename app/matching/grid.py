"""A uniform latitude/longitude grid over sites sorted by cell, for a geographic prefilter.

Sites are split into service-radius tiers, so that a search without a distance limit looks at
the sites of small radius only near the asked location, however far a few other sites serve.
They are stored sorted by key = tier * n_cells + row * n_cols + col, which makes the sites of a
run of cells in one row of one tier a contiguous range of positions. Sites that no tier holds
(service radius beyond the last tier, or coordinates or radius that are not finite numbers on
the globe) come last and are scanned by every query.

For a point and a radius, `ranges()` returns position ranges that hold every site whose
great-circle distance could be within the radius: a superset, since the caller computes exact
distances afterwards. The bound is rigorous on the sphere. For a point P in a latitude band
[a, b] and a longitude offset dl from the query point Q,

    hav(central angle) = hav(dlat) + cos(lat_Q) cos(lat_P) hav(dl)
                      >= hav(dlat_min) + cos(lat_Q) min(cos a, cos b) hav(dl)

(cos is concave on [-90, 90] degrees); solving for dl gives the longitude span of each row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numba
import numpy as np
import numpy.typing as npt

from app.geo import EARTH_RADIUS_KM

NO_CELL = np.iinfo(np.int64).max  # key of the sites that every query scans
IntArray = npt.NDArray[np.intp]
_NONE = np.zeros(0, dtype=np.intp)

# The exact test happens later in float64; the prefilter only needs to be generous by more
# than any rounding in it.
_REL_MARGIN = 1e-9
_ABS_MARGIN_KM = 1e-6
_DEG_MARGIN = 1e-7


def choose_tiers(
    radius: npt.NDArray[np.floating], wide_km: float, max_tiers: int | None = None
) -> tuple[float, ...]:
    """Tier bounds for these radii: at most `max_tiers` (by default more for more sites, as the
    per-query cost of a tier only pays off on large catalogues), chosen to minimise the area a
    search without a distance limit scans: sum over tiers of (sites in it) * (its largest
    radius)^2, by dynamic programming over (at most 64) candidate bounds."""
    r = radius.astype(np.float64)
    with np.errstate(invalid="ignore"):
        r = r[np.isfinite(r) & (r >= 0.0) & (r <= wide_km)]
    if max_tiers is None:
        max_tiers = max(1, min(16, int(math.log2(max(r.size, 1) / 2000.0 + 1.0)) + 1))
    if r.size == 0:
        return (float(wide_km),)
    values, counts = np.unique(r, return_counts=True)
    if values.size > 64:  # candidate bounds: quantiles of the distinct values by site count
        cut = np.searchsorted(np.cumsum(counts), np.linspace(0, counts.sum(), 65)[1:], "left")
        cut = np.unique(np.minimum(cut, values.size - 1))
        counts = np.diff(np.r_[0, np.cumsum(counts)[cut]])
        values = values[cut]
    m = values.size
    k = min(max_tiers, m)
    prefix = np.r_[0, np.cumsum(counts)].tolist()
    sq = (values**2).tolist()
    inf = float("inf")
    # cost[j][i]: best cost of covering values[:i] with j tiers, the last ending at i - 1.
    cost = [[inf] * (m + 1) for _ in range(k + 1)]
    back = [[0] * (m + 1) for _ in range(k + 1)]
    cost[0][0] = 0.0
    for j in range(1, k + 1):
        for i in range(1, m + 1):
            for h in range(j - 1, i):
                c = cost[j - 1][h] + (prefix[i] - prefix[h]) * sq[i - 1]
                if c < cost[j][i]:
                    cost[j][i], back[j][i] = c, h
    j = min(range(1, k + 1), key=lambda t: cost[t][m])
    bounds: list[float] = []
    i = m
    while j > 0:
        bounds.append(float(values[i - 1]))
        i, j = back[j][i], j - 1
    bounds.reverse()
    if bounds[-1] < wide_km:
        bounds.append(float(wide_km))  # an empty last tier: radii up to wide_km go there
    return tuple(bounds)


class Grid:
    """Cell geometry, radius tiers and the non-empty cells of one sorted site column."""

    __slots__ = (
        "cell_deg",
        "cell_keys",
        "cell_start",
        "n_cells",
        "n_cols",
        "n_gridded",
        "n_rows",
        "tier_bounds",
        "tier_max",
    )

    cell_deg: float
    n_rows: int
    n_cols: int
    n_cells: int
    tier_bounds: tuple[float, ...]  # tier t holds radii in (bounds[t-1], bounds[t]]
    tier_max: tuple[float, ...]  # largest radius in each tier; -1.0 for an empty tier
    cell_keys: npt.NDArray[np.int64]  # sorted keys of the non-empty cells
    cell_start: npt.NDArray[np.int64]  # (len(cell_keys) + 1,) first site position per cell
    n_gridded: int  # sites [0, n_gridded) are in cells; the rest are always scanned

    def __init__(self, cell_deg: float, tier_bounds: Sequence[float]) -> None:
        if not (math.isfinite(cell_deg) and 0.0 < cell_deg <= 90.0):
            raise ValueError("cell_deg must be in (0, 90]")
        bounds = tuple(float(b) for b in tier_bounds)
        if not bounds or any(not math.isfinite(b) for b in bounds):
            raise ValueError("radius tiers must be finite numbers")
        if list(bounds) != sorted(set(bounds)):
            raise ValueError("radius tiers must increase")
        n_rows = math.ceil(180.0 / cell_deg)
        n_cols = math.ceil(360.0 / cell_deg)
        self._set(
            cell_deg=float(cell_deg),
            n_rows=n_rows,
            n_cols=n_cols,
            n_cells=n_rows * n_cols,
            tier_bounds=bounds,
            tier_max=tuple(-1.0 for _ in bounds),
            cell_keys=np.zeros(0, dtype=np.int64),
            cell_start=np.zeros(1, dtype=np.int64),
            n_gridded=0,
        )

    def _set(self, **fields: object) -> None:
        for name, value in fields.items():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Grid is immutable")

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._set(**state)

    @property
    def nbytes(self) -> int:
        return int(self.cell_keys.nbytes + self.cell_start.nbytes)

    # --- building --------------------------------------------------------------------------

    def keys(
        self,
        lat: npt.NDArray[np.float64],
        lon: npt.NDArray[np.float64],
        radius: npt.NDArray[np.floating],
    ) -> npt.NDArray[np.int64]:
        """Sort key per site; NO_CELL for the sites that are always scanned."""
        radius64 = radius.astype(np.float64)
        with np.errstate(invalid="ignore"):
            placed = (
                np.isfinite(lat)
                & (np.abs(lat) <= 90.0)
                & np.isfinite(lon)
                & (np.abs(lon) <= 360.0)
                & np.isfinite(radius64)
                & (radius64 <= self.tier_bounds[-1])
            )
        safe_lat = np.where(placed, lat, 0.0)
        safe_lon = np.where(placed, lon, 0.0)
        row = np.clip(np.floor((safe_lat + 90.0) / self.cell_deg), 0, self.n_rows - 1)
        col = np.floor(np.mod(safe_lon + 180.0, 360.0) / self.cell_deg)
        col = np.clip(col, 0, self.n_cols - 1)
        tier = np.searchsorted(
            np.array(self.tier_bounds), np.where(placed, radius64, 0.0), side="left"
        )
        key = tier.astype(np.int64) * self.n_cells + row.astype(np.int64) * self.n_cols
        key += col.astype(np.int64)
        return np.where(placed, key, NO_CELL)

    def indexed(
        self, sorted_keys: npt.NDArray[np.int64], sorted_radius: npt.NDArray[np.floating]
    ) -> Grid:
        """This geometry over a site column sorted by `keys()`."""
        n_gridded = int(np.searchsorted(sorted_keys, NO_CELL, side="left"))
        gridded = sorted_keys[:n_gridded]
        starts = (
            np.flatnonzero(np.r_[True, gridded[1:] != gridded[:-1]])
            if n_gridded
            else np.zeros(0, dtype=np.intp)
        )
        tier_of = gridded // self.n_cells
        tier_max = []
        for t in range(len(self.tier_bounds)):
            lo, hi = np.searchsorted(tier_of, [t, t + 1], side="left")
            tier_max.append(float(sorted_radius[lo:hi].max()) if hi > lo else -1.0)
        grid = Grid(self.cell_deg, self.tier_bounds)
        grid._set(
            cell_keys=gridded[starts].astype(np.int64),
            cell_start=np.r_[starts, n_gridded].astype(np.int64),
            n_gridded=n_gridded,
            tier_max=tuple(tier_max),
        )
        return grid

    # --- querying --------------------------------------------------------------------------

    def ranges(self, lat: float, lon: float, max_km: float | None) -> tuple[IntArray, IntArray]:
        """Position ranges [starts[i], ends[i]) of the gridded sites that may lie within
        `max_km` of (lat, lon) AND have the point within their service radius (max_km None:
        no limit). Sorted, disjoint and not touching."""
        if self.n_gridded == 0:
            return _NONE, _NONE
        if not (-90.0 <= lat <= 90.0 and -360.0 <= lon <= 360.0):
            return np.zeros(1, np.intp), np.full(1, self.n_gridded, np.intp)  # scan it all
        tiers: list[int] = []
        radii: list[float] = []
        for tier, tier_max in enumerate(self.tier_max):
            radius = tier_max if max_km is None else min(max_km, tier_max)
            if tier_max >= 0.0 and radius >= 0.0:
                tiers.append(tier)
                radii.append(radius)
        if not tiers:
            return _NONE, _NONE
        by_radius = self._spans(lat, lon, sorted(set(radii)))
        keys: list[tuple[int, int]] = []
        for tier, radius in zip(tiers, radii, strict=True):
            offset = tier * self.n_cells
            keys.extend((lo + offset, hi + offset) for lo, hi in by_radius[radius])
        bounds = np.array(keys, dtype=np.int64).reshape(-1, 2)
        lo_keys, hi_keys = bounds[:, 0], bounds[:, 1]
        starts = self.cell_start[np.searchsorted(self.cell_keys, lo_keys, side="left")]
        ends = self.cell_start[np.searchsorted(self.cell_keys, hi_keys, side="right")]
        keep = ends > starts
        if not keep.all():
            starts, ends = starts[keep], ends[keep]
        if starts.size <= 1:
            return starts.astype(np.intp), ends.astype(np.intp)
        order = np.argsort(starts, kind="stable")
        starts, ends = starts[order], np.maximum.accumulate(ends[order])
        begin = np.r_[True, starts[1:] > ends[:-1]]  # touching or overlapping ranges merge
        last = np.r_[begin[1:], True]
        return starts[begin].astype(np.intp), ends[last].astype(np.intp)

    def band_ranges(
        self, lat: float, max_km: float | None
    ) -> tuple[IntArray, IntArray]:
        """Like `ranges()`, coarser and cheaper: per tier, the rows of cells within reach in
        latitude alone, as one range (a tier's sites are sorted by row). For small parts, where
        working out the longitude span of every row costs more than scanning past it."""
        if self.n_gridded == 0:
            return _NONE, _NONE
        if not -90.0 <= lat <= 90.0:
            return np.zeros(1, np.intp), np.full(1, self.n_gridded, np.intp)
        return _band_ranges(
            float(lat), max_km is not None, 0.0 if max_km is None else float(max_km),
            np.array(self.tier_max, dtype=np.float64), self.cell_deg, self.n_rows, self.n_cols,
            self.cell_keys, self.cell_start,
        )

    def _spans(
        self, lat: float, lon: float, radii: list[float]
    ) -> dict[float, list[tuple[int, int]]]:
        """Per radius: inclusive cell-key ranges (tier 0) that may hold a point within it.
        (Plain Python: for the ten-odd rows of a query it beats numpy's per-call overhead.
        The per-row trigonometry is shared by all radii.)"""
        n_cols, cell = self.n_cols, self.cell_deg
        out: dict[float, list[tuple[int, int]]] = {r: [] for r in radii}
        thetas = []
        for r in sorted(radii, reverse=True):
            theta = (r * (1.0 + _REL_MARGIN) + _ABS_MARGIN_KM) / EARTH_RADIUS_KM
            if theta >= math.pi:
                out[r].append((0, self.n_cells - 1))
            else:
                thetas.append((r, theta, math.sin(theta / 2.0) ** 2))
        if not thetas:
            return out
        theta_deg = math.degrees(thetas[0][1]) + _DEG_MARGIN
        row_lo = max(0, math.floor((lat - theta_deg + 90.0) / cell))
        row_hi = min(self.n_rows - 1, math.floor((lat + theta_deg + 90.0) / cell))
        cos_q = math.cos(math.radians(lat))
        for row in range(row_lo, row_hi + 1):
            south = row * cell - 90.0
            north = min(90.0, south + cell)
            gap = max(0.0, south - lat, lat - north)
            hav_gap = math.sin(math.radians(gap) / 2.0) ** 2
            cos_band = max(0.0, min(math.cos(math.radians(south)), math.cos(math.radians(north))))
            denom = cos_q * cos_band
            first = row * n_cols
            for r, _, hav_theta in thetas:  # largest radius first
                room = hav_theta - hav_gap
                if room < 0.0:
                    break  # and the smaller radii do not reach this row either
                spans = out[r]
                if denom <= 0.0 or room >= denom:
                    spans.append((first, first + n_cols - 1))
                    continue
                half = math.degrees(2.0 * math.asin(math.sqrt(room / denom)))
                half = half * (1.0 + _REL_MARGIN) + _DEG_MARGIN
                if half >= 180.0:
                    spans.append((first, first + n_cols - 1))
                    continue
                lo = lon + 180.0 - half
                hi = lon + 180.0 + half
                lo_turn, hi_turn = math.floor(lo / 360.0), math.floor(hi / 360.0)
                col_lo = min(n_cols - 1, math.floor((lo - 360.0 * lo_turn) / cell))
                col_hi = min(n_cols - 1, math.floor((hi - 360.0 * hi_turn) / cell))
                if lo_turn == hi_turn:
                    spans.append((first + col_lo, first + col_hi))
                else:
                    spans.append((first + col_lo, first + n_cols - 1))
                    spans.append((first, first + col_hi))
        return out


@numba.njit(cache=True, nogil=True)
def _band_ranges(lat, has_limit, max_km, tier_max, cell_deg, n_rows, n_cols, cell_keys, cell_start):
    n_cells = n_rows * n_cols
    starts = np.empty(tier_max.size, dtype=np.intp)
    ends = np.empty(tier_max.size, dtype=np.intp)
    n = 0
    for tier in range(tier_max.size):
        radius = tier_max[tier]
        if has_limit and not max_km >= radius:
            radius = max_km
        if not (tier_max[tier] >= 0.0 and radius >= 0.0):
            continue
        reach = math.degrees((radius * (1.0 + _REL_MARGIN) + _ABS_MARGIN_KM) / EARTH_RADIUS_KM)
        reach += _DEG_MARGIN
        row_lo = max(0, math.floor((lat - reach + 90.0) / cell_deg))
        row_hi = min(n_rows - 1, math.floor((lat + reach + 90.0) / cell_deg))
        lo_key = tier * n_cells + row_lo * n_cols
        hi_key = tier * n_cells + row_hi * n_cols + n_cols - 1
        start = cell_start[np.searchsorted(cell_keys, lo_key, side="left")]
        end = cell_start[np.searchsorted(cell_keys, hi_key, side="right")]
        if end > start:
            starts[n] = start
            ends[n] = end
            n += 1
    return starts[:n], ends[:n]
