"""Property-based API testing: requests generated from the OpenAPI spec never get a 5xx."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'accord[web]')")
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from hypothesis import HealthCheck, settings  # noqa: E402

from accord.web.app import create_app  # noqa: E402

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(allowed_hosts=("*",)))


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case):
    response = case.call(headers={"X-Accord-Request": "1"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
