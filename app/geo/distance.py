"""Great-circle distances on a spherical Earth (haversine formula)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

# IUGG mean Earth radius; the sphere error against the WGS84 ellipsoid is at most ~0.5 %.
EARTH_RADIUS_KM = 6371.0088

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "haversine_km_array"]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in kilometres between two points given in decimal degrees."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2.0) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2.0) ** 2
    # Clamp: rounding can push `a` a hair above 1 for antipodal points.
    a = min(1.0, max(0.0, a))
    return 2.0 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def haversine_km_array(
    lat: float,
    lon: float,
    lats: npt.ArrayLike,
    lons: npt.ArrayLike,
) -> npt.NDArray[np.float64]:
    """Distances in kilometres from one point to many points (vectorised).

    `lats` and `lons` must broadcast against each other; the result has their broadcast shape.
    """
    lats_r = np.radians(np.asarray(lats, dtype=np.float64))
    lons_r = np.radians(np.asarray(lons, dtype=np.float64))
    phi1 = math.radians(lat)
    dphi = lats_r - phi1
    dlmb = lons_r - math.radians(lon)
    a = np.sin(dphi / 2.0) ** 2 + math.cos(phi1) * np.cos(lats_r) * np.sin(dlmb / 2.0) ** 2
    a = np.clip(a, 0.0, 1.0)
    result: npt.NDArray[np.float64] = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return result
