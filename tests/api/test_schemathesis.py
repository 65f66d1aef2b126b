"""Property-based API tests generated from the app's own OpenAPI document.

Every operation is called with generated valid and invalid data, authenticated as an operator,
against the live server on the test's database. Checks: no 5xx ever, responses conform to the
documented schemas, schema-invalid input is rejected, and declared auth is enforced.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session

from app.accounts.principal import Role
from app.config import Settings
from app.main import create_app
from tests.conftest import TEST_SECRET_KEY, LiveServer, make_key
from tests.factories import create_company

pytestmark = pytest.mark.slow

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    negative_data_rejection,
    status_code_conformance,
    ignored_auth,
]


# The OpenAPI document does not depend on the database, so it is read from an app built here.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(env="test", database_url="sqlite://", secret_key=TEST_SECRET_KEY)).openapi()
)


@pytest.fixture
def admin_token(bound_app: Any, session: Session) -> str:
    # A few real companies, so reads and matches have something to find.
    create_company(session, "Werkbedrijf Tilburg", town="Tilburg")
    create_company(session, "Maatwerkbedrijf Gent", town="Gent", kinds={"cleaning": 8})
    return make_key(session, Role.admin, name="schemathesis")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_contract(case: schemathesis.Case, admin_token: str, live_server: LiveServer) -> None:
    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=CHECKS,
    )
