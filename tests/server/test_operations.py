"""``/healthz``, ``/readyz`` and ``/metrics`` of a real server: readiness names the part that
does not answer, and a scrape counts requests by route template, pushes and conflicts."""

from __future__ import annotations

from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.server.conftest import BODY_LIMIT, SECRET, Server, note, start_server, stop_server

PUSH_ROUTE = "/api/documents/{document_id}/layers/{layer}/push"


def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of ``/metrics`` by name and labels."""
    answer = requests.get(f"{url}/metrics", timeout=60)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def push(server: Server, layer: str, key: str, rid: str, base: int, text: str) -> None:
    change = {"kind": "annotation", "id": rid, "base_revision": base, "content": note(0, 5, text)}
    body = {"idempotency_key": key, "changes": [change]}
    answer = server.request("POST", f"{layer}/push", json=body)
    assert answer.status_code == 200, answer.text


def test_health_and_readiness_of_a_working_server(server: Server) -> None:
    assert requests.get(f"{server.url}/healthz", timeout=60).json() == {"status": "ok"}
    ready = requests.get(f"{server.url}/readyz", timeout=60)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "storage": "ok"}


def test_readiness_names_the_storage_that_does_not_answer(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    proc, url = start_server(
        tmp_path / "data", "--storage", str(blocked), env={"API_AUTH_TOKEN": SECRET}
    )
    try:
        assert requests.get(f"{url}/healthz", timeout=60).status_code == 200  # alive
        ready = requests.get(f"{url}/readyz", timeout=60)
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "not ready" and body["database"] == "ok"
        assert f"the storage folder {blocked} is unusable" in body["storage"]
    finally:
        stop_server(proc)


def test_a_scrape_counts_requests_by_route_pushes_and_conflicts(server: Server, doc: str) -> None:
    before = scrape(server.url)
    layer = f"/api/documents/{doc}/layers/metered"
    push(server, layer, "m1", "n", 0, "one")
    push(server, layer, "m1", "n", 0, "one")  # a retry: replayed
    push(server, layer, "m2", "n", 0, "stale")  # base 0 is no longer current: a conflict
    too_big = server.request(
        "POST",
        f"{layer}/push",
        data=b" " * (BODY_LIMIT + 1),
        headers={"Content-Type": "application/json"},
    )
    assert too_big.status_code == 413  # answered before routing, counted under its route
    missing = server.request("GET", f"/api/documents/{doc}/no-such-route")
    assert missing.status_code == 404
    after = scrape(server.url)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    pushed = {"method": "POST", "route": PUSH_ROUTE, "status": "200"}
    assert grew("reviewer_http_requests_total", **pushed) == 3
    assert grew("reviewer_http_requests_total", **{**pushed, "status": "413"}) == 1
    assert (
        grew("reviewer_http_request_duration_seconds_count", method="POST", route=PUSH_ROUTE)
        == 4  # the 413 too
    )
    assert grew("reviewer_sync_pushes_total", outcome="applied") == 2
    assert grew("reviewer_sync_pushes_total", outcome="replayed") == 1
    assert grew("reviewer_sync_conflicts_total") == 1
    unmatched = {"method": "GET", "route": "(no route)", "status": "404"}
    assert grew("reviewer_http_requests_total", **unmatched) == 1
    assert not any(doc in str(labels) for _, labels in after)  # no document id in a label
    assert value(after, "reviewer_database_pool", figure="open") >= 1
