"""The HSDS 3.1 checks of tests/hsds/schema/ (see its README), as jsonschema validators."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

SCHEMA_DIR = Path(__file__).with_name("schema")
BASE = "https://loket.invalid/hsds/"

# Every format HSDS uses must really be checked: a FormatChecker silently passes a format whose
# checker's package is missing (date-time needs rfc3339-validator, uri rfc3986-validator).
FORMATS = ("uuid", "date", "date-time", "uri", "email")


@cache
def _registry() -> Registry:  # type: ignore[type-arg]
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(resources)


def format_checker() -> FormatChecker:
    checker = FormatChecker()
    missing = [f for f in FORMATS if f not in checker.checkers]
    assert not missing, f"install the format checkers for {missing}"
    return checker


@cache
def validator(name: str) -> Draft202012Validator:
    schema = _registry().contents(f"{BASE}{name}.json")
    return Draft202012Validator(schema, registry=_registry(), format_checker=format_checker())


def errors(name: str, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(name).iter_errors(instance)]


def assert_valid(name: str, instance: Any) -> None:
    found = errors(name, instance)
    assert not found, f"not valid HSDS {name}:\n" + "\n".join(found[:20])


def assert_page(item: str, body: Any) -> None:
    """A page of the HSDS page shape whose every entry is a valid `item`."""
    assert_valid("page", body)
    assert body["size"] == len(body["contents"])
    assert body["empty"] is (body["size"] == 0)
    for entry in body["contents"]:
        assert_valid(item, entry)
