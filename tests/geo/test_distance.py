from __future__ import annotations

import math

import numpy as np
import pytest

from app.geo import EARTH_RADIUS_KM, haversine_km, haversine_km_array

AMSTERDAM = (52.3676, 4.9041)
ROTTERDAM = (51.9244, 4.4777)
TILBURG = (51.5555, 5.0913)
GENT = (51.0500, 3.7167)


def test_amsterdam_rotterdam_is_about_57_km() -> None:
    assert haversine_km(*AMSTERDAM, *ROTTERDAM) == pytest.approx(57.0, abs=2.0)


def test_symmetric() -> None:
    assert haversine_km(*AMSTERDAM, *GENT) == pytest.approx(haversine_km(*GENT, *AMSTERDAM))


def test_zero_at_same_point() -> None:
    assert haversine_km(*TILBURG, *TILBURG) == 0.0


def test_quarter_meridian_and_antipodes() -> None:
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_dateline_crossing_is_short() -> None:
    assert haversine_km(0.0, 179.5, 0.0, -179.5) == pytest.approx(111.2, abs=0.5)


def test_earth_radius() -> None:
    assert EARTH_RADIUS_KM == 6371.0088


def test_vectorised_equals_scalar() -> None:
    lats = np.array([ROTTERDAM[0], TILBURG[0], GENT[0], AMSTERDAM[0], -33.9, 0.0])
    lons = np.array([ROTTERDAM[1], TILBURG[1], GENT[1], AMSTERDAM[1], 18.4, -175.0])
    got = haversine_km_array(*AMSTERDAM, lats, lons)
    expected = [haversine_km(*AMSTERDAM, la, lo) for la, lo in zip(lats, lons, strict=True)]
    assert got.shape == lats.shape
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-9)
    assert got[3] == 0.0


def test_vectorised_accepts_lists_and_empty() -> None:
    got = haversine_km_array(*AMSTERDAM, [ROTTERDAM[0]], [ROTTERDAM[1]])
    assert got[0] == pytest.approx(haversine_km(*AMSTERDAM, *ROTTERDAM))
    assert haversine_km_array(0.0, 0.0, np.array([]), np.array([])).shape == (0,)
