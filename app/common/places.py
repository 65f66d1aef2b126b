"""Locations typed by people, resolved by `app.geo.resolve`, with every refusal a field error
that says what was meant: unknown, in another country, or which places it could be."""

from __future__ import annotations

from typing import Any

from app.errors import AmbiguousLocationError, UnknownLocationError, field_error
from app.geo import AmbiguousLocation, PlaceOption, Resolved, UnknownLocation, WrongCountry, resolve


def option_json(option: PlaceOption) -> dict[str, Any]:
    out: dict[str, Any] = {"place": option.place, "country": option.country}
    if option.postcode is not None:
        out["postcode"] = option.postcode
    return {**out, "lat": option.lat, "lon": option.lon}


def resolve_or_refuse(
    *, postcode: str | None, place: str | None, country: str | None, field: str,
    place_field: str = "place",
) -> Resolved:
    """`app.geo.resolve`, or a 422 whose field error sits at `{field}.postcode`,
    `{field}.{place_field}` or `{field}.country`."""
    try:
        return resolve(postcode=postcode, place=place, country=country)
    except AmbiguousLocation as exc:
        where = f"{field}.{'postcode' if exc.kind == 'postcode' else place_field}"
        names = " or ".join(f"{a.place} ({a.country})" for a in exc.alternatives)
        raise AmbiguousLocationError(
            f"'{exc.value}' can be more than one place: {names}.",
            errors=[field_error(
                where, f"'{exc.value}' can be: {names}", "ambiguous_location",
                code="ambiguous_place", value=exc.value,
                alternatives=[option_json(a) for a in exc.alternatives],
            )],
        ) from None
    except UnknownLocation as exc:
        if exc.kind == "country":
            raise UnknownLocationError(
                f"Unsupported country '{exc.value}': use NL or BE.",
                errors=[field_error(f"{field}.country", "use NL or BE", "unknown_location",
                                    code="unknown_country", value=exc.value)],
            ) from None
        kind = "postcode" if exc.kind == "postcode" else "place"
        where = f"{field}.{'postcode' if kind == 'postcode' else place_field}"
        in_country = f" in {exc.country}" if exc.country else ""
        if isinstance(exc, WrongCountry):
            others = ", ".join(f"{a.place} ({a.country})" for a in exc.alternatives)
            raise UnknownLocationError(
                f"Unknown {kind} '{exc.value}'{in_country}; it is in {others}.",
                errors=[field_error(
                    where, f"unknown {kind} '{exc.value}'{in_country}; it is in {others}",
                    "unknown_location", code="wrong_country", value=exc.value,
                    country=exc.country, alternatives=[option_json(a) for a in exc.alternatives],
                )],
            ) from None
        raise UnknownLocationError(
            f"Unknown {kind} '{exc.value}'{in_country}.",
            errors=[field_error(where, f"unknown {kind} '{exc.value}'", "unknown_location",
                                code="unknown_place" if kind == "place" else "unknown_postcode",
                                value=exc.value, country=exc.country)],
        ) from None
