"""Status codes as Document Engine 1.9.0 declares them, and its error shape for every refusal."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import Server

BATCHES = [
    ("POST", "/annotations", {"annotations": []}),
    ("PUT", "/annotations", {"annotations": []}),
    ("POST", "/annotations", {"annotations": "all of them"}),
    ("POST", "/form-field-values", {"formFieldValues": []}),
    ("POST", "/form-field-values", {"formFieldValues": [{"name": "Name", "value": 3}]}),
    ("POST", "/form-field-values", {"formFieldValues": ["Name"]}),
]


def de_error(answer: Any, status: int) -> str:
    """The ``details`` of a refusal in DE's ``{"details", "status"}`` shape."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"details", "status"} and body["status"] == status, body
    details: str = body["details"]
    return details


@pytest.mark.parametrize("layer", ["", "/layers/statuses"])
@pytest.mark.parametrize(("method", "suffix", "body"), BATCHES)
def test_empty_or_invalid_batches_are_422(
    server: Server, doc: str, layer: str, method: str, suffix: str, body: Any
) -> None:
    """DE declares 422, never 400, for these routes; nothing is written."""
    base = f"/api/documents/{doc}{layer}"
    details = de_error(server.request(method, base + suffix, json=body), 422)
    assert "formFieldValues" in details or "annotations" in details or "value" in details
    assert server.request("GET", f"{base}/form-field-values").json()["data"] == {
        "formFieldValues": []
    }


@pytest.mark.parametrize(
    ("method", "path", "status", "words"),
    [
        ("GET", "/api/no-such-thing", 404, "there is no route GET /api/no-such-thing"),
        ("GET", "/api/documents/{doc}/annotations/a/b", 404, "there is no route GET"),
        ("PATCH", "/api/documents/{doc}/layers", 405, "not for PATCH"),
    ],
)
def test_unknown_routes_answer_in_de_shape(
    server: Server, doc: str, method: str, path: str, status: int, words: str
) -> None:
    """Not FastAPI's ``{"detail": ...}``: DE's shape, with a reason naming the route."""
    answer = server.request(method, path.format(doc=doc))
    assert "detail" not in answer.json()
    assert words in de_error(answer, status)
