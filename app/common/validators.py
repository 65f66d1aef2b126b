"""Field types shared by several domains. Every string has a length cap, every number a range."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, TypeVar

import phonenumbers
from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    AwareDatetime,
    BeforeValidator,
    EmailStr,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

# What neither database can store: NUL (PostgreSQL text refuses it) and unpaired UTF-16
# surrogates (not encodable as UTF-8, so neither driver can send them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_MESSAGE = "text may not contain NUL (\\u0000) or unpaired surrogate characters"


def is_storable(value: str) -> bool:
    return _UNSTORABLE.search(value) is None


def reject_nul(value: str) -> str:
    """Refuse text the databases cannot store up front (422, not a 500), on SQLite too, so
    both databases accept the same input. Every HTTP input is checked centrally as well
    (app.common.http.reject_unstorable_text); this covers other ways in, like the importer."""
    if not is_storable(value):
        raise PydanticCustomError("unstorable_text", UNSTORABLE_MESSAGE)
    return value


NoNul = AfterValidator(reject_nul)


def _refuse_bool(value: object) -> object:
    # JSON true/false is no coordinate (Pydantic would read it as 1.0 or 0.0).
    if isinstance(value, bool):
        raise PydanticCustomError("not_number", "Input should be a valid number")
    return value


NOT_BOOL = BeforeValidator(_refuse_bool)

Text200 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoNul
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), NoNul]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), NoNul]
CountryCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{2}$"),
    Field(description="ISO 3166-1 alpha-2 country code", examples=["NL"]),
]
Code = Annotated[
    str,
    StringConstraints(max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
    Field(description="A stable kebab-case code", examples=["packaging"]),
]
Email = Annotated[EmailStr, StringConstraints(max_length=320)]


def _url_max_length(url: AnyHttpUrl) -> str:
    text = str(url)
    if len(text) > 2048:
        raise PydanticCustomError(
            "string_too_long", "URL is longer than {max_length} characters",
            {"max_length": 2048},
        )
    return text


WebUrl = Annotated[
    AnyHttpUrl,
    AfterValidator(_url_max_length),
    Field(description="An http(s) URL", examples=["https://www.example.org"]),
]


def normalise_phone(value: str, default_region: str = "NL") -> str:
    """Parse a phone number (national numbers read as Dutch unless prefixed) and return E.164."""
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException as exc:
        raise PydanticCustomError("invalid_phone", f"not a phone number: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise PydanticCustomError("invalid_phone", "not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=40),
    AfterValidator(normalise_phone),
    Field(description="Phone number; stored and returned as E.164", examples=["+31135000000"]),
]


# Every date and timestamp a client sends lies in these years, as written. Python's date
# arithmetic (a deadline plus working days, a timestamp moved to UTC by its offset) and the
# databases then never meet year 1 or 9999, where they overflow (a 500).
FIRST_YEAR, LAST_YEAR = 1900, 2100
YEARS_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-"  # the same window, said in the OpenAPI schema
YEARS_MESSAGE = f"must lie in the years {FIRST_YEAR} to {LAST_YEAR}"


_D = TypeVar("_D", bound=date)


def in_year_window(value: date) -> bool:
    """For a datetime: the year as written, before any move to UTC (which could overflow)."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def _check_years(value: _D) -> _D:
    if not in_year_window(value):
        raise PydanticCustomError(
            "date_out_of_range", YEARS_MESSAGE, {"min_year": FIRST_YEAR, "max_year": LAST_YEAR}
        )
    return value


_YEARS_IN_SCHEMA = Field(json_schema_extra={"pattern": YEARS_PATTERN})
BusinessDate = Annotated[date, AfterValidator(_check_years), _YEARS_IN_SCHEMA]
Timestamp = Annotated[AwareDatetime, AfterValidator(_check_years), _YEARS_IN_SCHEMA]
