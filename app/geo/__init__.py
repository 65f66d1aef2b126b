"""Offline geocoding for the Netherlands and Belgium, plus great-circle distances.

Pure Python + numpy; data derived from GeoNames (CC BY 4.0), see docs/geodata.md.
"""

from app.geo.distance import EARTH_RADIUS_KM, haversine_km, haversine_km_array
from app.geo.geocoder import (
    SUPPORTED_COUNTRIES,
    GeoPoint,
    UnknownLocation,
    geocode,
    geocode_place,
    geocode_postcode,
    normalise_country,
    normalise_place_name,
    normalise_postcode,
    preload,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "SUPPORTED_COUNTRIES",
    "GeoPoint",
    "UnknownLocation",
    "geocode",
    "geocode_place",
    "geocode_postcode",
    "haversine_km",
    "haversine_km_array",
    "normalise_country",
    "normalise_place_name",
    "normalise_postcode",
    "preload",
]
