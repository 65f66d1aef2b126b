"""Fixtures shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def failing_route(bound_app: Any) -> Iterator[str]:
    """A route that fails as a bug would: the one fault injected here, at the app's edge."""
    path = "/v1/test-only/fails"

    async def fails() -> None:
        raise RuntimeError("a bug")

    bound_app.add_api_route(path, fails, include_in_schema=False)
    try:
        yield path
    finally:
        bound_app.router.routes[:] = [
            r for r in bound_app.router.routes if getattr(r, "path", None) != path
        ]
