"""Schemathesis over our own ``/openapi.json``: no request it generates makes the server fail."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from tests.server.conftest import SECRET, Server

MAX_EXAMPLES = 5
LAYER = "fuzzed"
DELETE_DOCUMENT = ("DELETE", "/api/documents/{document_id}")
"""Walked last: it removes the real document the others use."""
AUTH = {"Authorization": f'Token token="{SECRET}"'}


@pytest.mark.slow
def test_no_server_errors(server: Server, doc: str) -> None:
    """Every operation answers below 500 (half the time on a real document and layer).

    The operations are walked by hand: schemathesis' lazy pytest fixture does not run on our
    pytest (it sets ``node._nodeid``, which pytest 9 no longer has).
    """
    created = server.request("POST", f"/api/documents/{doc}/layers", json={"name": LAYER})
    assert created.status_code == 200, created.text
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: (op.method.upper(), op.path) == DELETE_DOCUMENT)
    assert len(operations) > 20
    with_body = [op for op in operations if op.body]
    assert {(op.method.upper(), op.path.rsplit("/", 1)[-1]) for op in with_body} >= {
        ("POST", "layers"),
        ("POST", "annotations"),
        ("PUT", "annotations"),
        ("POST", "push"),
    }
    for operation in operations:

        @given(case=operation.as_strategy(), real=st.booleans())
        @settings(
            max_examples=MAX_EXAMPLES,
            derandomize=True,  # the same examples every run
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case, real: bool) -> None:
            params = case.path_parameters or {}
            if real and "document_id" in params:
                params["document_id"] = doc
            if real and "layer" in params:
                params["layer"] = LAYER
            case.call_and_validate(
                base_url=server.url,
                session=server.session,
                headers=AUTH,
                checks=[not_a_server_error],
                timeout=30,
            )

        check()
