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
)
from app.geo.geocoder import preload as _preload_tables
from app.geo.places import (
    AmbiguousLocation,
    PlaceOption,
    Resolved,
    WrongCountry,
    complete_places,
    nearest_country,
    resolve,
)
from app.geo.places import preload as _preload_indexes
from app.geo.regions import (
    Region,
    RegionInfo,
    region_of_place,
    region_of_point,
    region_of_postcode,
    regions,
)
from app.geo.regions import preload as _preload_regions


def preload() -> None:
    """Load the tables and build the name indexes now, e.g. at app start (~0.3 s)."""
    _preload_tables()
    _preload_indexes()
    _preload_regions()


__all__ = [
    "EARTH_RADIUS_KM",
    "SUPPORTED_COUNTRIES",
    "AmbiguousLocation",
    "GeoPoint",
    "PlaceOption",
    "Region",
    "RegionInfo",
    "Resolved",
    "UnknownLocation",
    "WrongCountry",
    "complete_places",
    "geocode",
    "geocode_place",
    "geocode_postcode",
    "haversine_km",
    "haversine_km_array",
    "nearest_country",
    "normalise_country",
    "normalise_place_name",
    "normalise_postcode",
    "preload",
    "region_of_place",
    "region_of_point",
    "region_of_postcode",
    "regions",
    "resolve",
]
