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
        return _ranges(
            float(lat), float(lon), max_km is not None, 0.0 if max_km is None else float(max_km),
            np.array(self.tier_max, dtype=np.float64), self.cell_deg, self.n_rows, self.n_cols,
            self.cell_keys, self.cell_start,
        )

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


@numba.njit(cache=True, nogil=True)
def _ranges(lat, lon, has_limit, max_km, tier_max, cell_deg, n_rows, n_cols, cell_keys,
            cell_start):
    """`Grid.ranges` for a point on the globe. Per tier, the radius is its largest service
    radius, or the limit if that is smaller; per row of cells within reach of the largest,
    the longitude span that may hold a point within each tier's radius (the bound in the
    module's docstring; the row's trigonometry is shared by the tiers), as cell-key ranges;
    then their site positions, sorted and merged."""
    n_cells = n_rows * n_cols
    n_tiers = tier_max.size
    hav_theta = np.full(n_tiers, -1.0)  # -1: the tier is not searched
    whole = np.zeros(n_tiers, dtype=np.bool_)
    theta_max = -1.0
    for t in range(n_tiers):
        radius = tier_max[t] if not has_limit or tier_max[t] < max_km else max_km
        if not (tier_max[t] >= 0.0 and radius >= 0.0):
            continue
        theta = (radius * (1.0 + _REL_MARGIN) + _ABS_MARGIN_KM) / EARTH_RADIUS_KM
        if theta >= math.pi:
            whole[t] = True
        else:
            hav_theta[t] = math.sin(theta / 2.0) ** 2
            theta_max = max(theta_max, theta)
    row_lo, row_hi = 0, -1
    if theta_max >= 0.0:
        theta_deg = math.degrees(theta_max) + _DEG_MARGIN
        row_lo = max(0, math.floor((lat - theta_deg + 90.0) / cell_deg))
        row_hi = min(n_rows - 1, math.floor((lat + theta_deg + 90.0) / cell_deg))
    n_spans = n_tiers + 2 * n_tiers * max(0, row_hi - row_lo + 1)
    lo_keys = np.empty(n_spans, dtype=np.int64)
    hi_keys = np.empty(n_spans, dtype=np.int64)
    n = 0
    for t in range(n_tiers):
        if whole[t]:
            lo_keys[n] = t * n_cells
            hi_keys[n] = t * n_cells + n_cells - 1
            n += 1
    cos_q = math.cos(math.radians(lat))
    for row in range(row_lo, row_hi + 1):
        south = row * cell_deg - 90.0
        north = min(90.0, south + cell_deg)
        gap = max(0.0, south - lat, lat - north)
        hav_gap = math.sin(math.radians(gap) / 2.0) ** 2
        cos_band = max(0.0, min(math.cos(math.radians(south)), math.cos(math.radians(north))))
        denom = cos_q * cos_band
        first = row * n_cols
        for t in range(n_tiers):
            if hav_theta[t] < 0.0:
                continue
            room = hav_theta[t] - hav_gap
            if room < 0.0:
                continue  # the tier's radius does not reach this row
            offset = t * n_cells + first
            if denom <= 0.0 or room >= denom:
                lo_keys[n], hi_keys[n] = offset, offset + n_cols - 1
                n += 1
                continue
            half = math.degrees(2.0 * math.asin(math.sqrt(room / denom)))
            half = half * (1.0 + _REL_MARGIN) + _DEG_MARGIN
            if half >= 180.0:
                lo_keys[n], hi_keys[n] = offset, offset + n_cols - 1
                n += 1
                continue
            lo = lon + 180.0 - half
            hi = lon + 180.0 + half
            lo_turn, hi_turn = math.floor(lo / 360.0), math.floor(hi / 360.0)
            col_lo = min(n_cols - 1, math.floor((lo - 360.0 * lo_turn) / cell_deg))
            col_hi = min(n_cols - 1, math.floor((hi - 360.0 * hi_turn) / cell_deg))
            if lo_turn == hi_turn:
                lo_keys[n], hi_keys[n] = offset + col_lo, offset + col_hi
                n += 1
            else:
                lo_keys[n], hi_keys[n] = offset + col_lo, offset + n_cols - 1
                lo_keys[n + 1], hi_keys[n + 1] = offset, offset + col_hi
                n += 2
    starts = cell_start[np.searchsorted(cell_keys, lo_keys[:n], side="left")]
    ends = cell_start[np.searchsorted(cell_keys, hi_keys[:n], side="right")]
    order = np.argsort(starts, kind="mergesort")
    out_starts = np.empty(n, dtype=np.intp)
    out_ends = np.empty(n, dtype=np.intp)
    m = 0
    for i in order:
        if ends[i] <= starts[i]:
            continue
        if m > 0 and starts[i] <= out_ends[m - 1]:  # touching or overlapping ranges merge
            out_ends[m - 1] = max(out_ends[m - 1], ends[i])
        else:
            out_starts[m] = starts[i]
            out_ends[m] = ends[i]
            m += 1
    return out_starts[:m], out_ends[:m]
