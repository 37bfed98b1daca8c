"""``serve --workers 2``: uvicorn's worker processes over one database (a SQLite file in WAL,
and PostgreSQL) answer as one server: revisions strictly increase under concurrent pushes from
several clients, whichever worker each lands on, an idempotent retry is replayed by any of
them, and a worker killed is replaced while the other goes on answering."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.conftest import store_args
from tests.server.conftest import SECRET, make_pdf, note, start_server, stop_server

CLIENTS = 6
PUSHES = 15
AUTH = {"Authorization": f'Token token="{SECRET}"'}


@dataclass
class Workers:
    proc: subprocess.Popen[str]
    url: str
    data_dir: Path


def worker_pids(supervisor: int) -> set[int]:
    """The worker processes uvicorn's supervisor started (its spawned children)."""
    found: set[int] = set()
    for task in Path(f"/proc/{supervisor}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue  # gone meanwhile
            if b"spawn_main" in command:
                found.add(int(child))
    return found


@pytest.fixture(scope="module")
def workers(
    tmp_path_factory: pytest.TempPathFactory, store: str, request: pytest.FixtureRequest
) -> Iterator[Workers]:
    root = tmp_path_factory.mktemp("workers")
    env = {"API_AUTH_TOKEN": SECRET}
    args = store_args(store, request)
    proc, url = start_server(root / "data", "--workers", "2", *args, env=env)
    try:
        yield Workers(proc, url, root / "data")
    finally:
        stop_server(proc)


def upload(url: str) -> str:
    headers = {**AUTH, "Content-Type": "application/pdf"}
    answer = requests.post(f"{url}/api/documents", data=make_pdf(), headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    document_id: str = answer.json()["data"]["document_id"]
    return document_id


def push_many(layer: str, client: int, start: threading.Barrier) -> list[int]:
    """``PUSHES`` pushes of a new note each, every one on a new connection (so they spread
    over the workers); the revision each was acknowledged with."""
    revisions: list[int] = []
    start.wait(timeout=60)
    for index in range(PUSHES):
        change = {
            "kind": "annotation",
            "id": f"c{client}-n{index}",
            "base_revision": 0,
            "content": note(0, 10 + index, f"client {client} note {index}"),
        }
        body = {"idempotency_key": f"c{client}-k{index}", "changes": [change]}
        answer = requests.post(f"{layer}/push", json=body, headers=AUTH, timeout=60)
        assert answer.status_code == 200, answer.text
        data = answer.json()["data"]
        assert [a["id"] for a in data["applied"]] == [change["id"]] and not data["conflicts"]
        revisions.append(data["revision"])
    return revisions


def test_a_database_the_workers_cannot_open_stops_serve_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "layers.sqlite3").mkdir()  # a folder where the database file should be
    command = [sys.executable, "-m", "reviewer_app.server.cli", "serve", "--insecure-no-auth"]
    run = subprocess.run(
        [*command, "--port", "0", "--workers", "2", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "the layer database cannot be opened" in run.stderr and "listening" not in run.stdout


def test_the_server_runs_two_worker_processes(workers: Workers) -> None:
    assert len(worker_pids(workers.proc.pid)) == 2


def test_concurrent_pushes_through_two_workers_get_strictly_increasing_revisions(
    workers: Workers,
) -> None:
    document_id = upload(workers.url)
    layer = f"{workers.url}/api/documents/{document_id}/layers/shared"
    start = threading.Barrier(CLIENTS)
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(push_many, layer, c, start) for c in range(CLIENTS)]
        results = [f.result() for f in futures]
    for revisions in results:  # each client saw its own pushes in order
        assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)
    every = sorted(r for revisions in results for r in revisions)
    assert every == list(range(1, CLIENTS * PUSHES + 1))  # no gap, no repeat
    feed = requests.get(f"{layer}/changes", params={"since": 0}, headers=AUTH, timeout=60)
    data = feed.json()["data"]
    assert data["revision"] == CLIENTS * PUSHES
    expected = {f"c{c}-n{i}" for c in range(CLIENTS) for i in range(PUSHES)}
    assert {r["id"] for r in data["upserted"]} == expected
    # a retry reaches whichever worker accepts its connection, and is replayed there
    content = note(0, 10, "client 0 note 0")
    first = {"kind": "annotation", "id": "c0-n0", "base_revision": 0, "content": content}
    for _ in range(4):
        body = {"idempotency_key": "c0-k0", "changes": [first]}
        again = requests.post(f"{layer}/push", json=body, headers=AUTH, timeout=60)
        assert again.status_code == 200 and again.json()["data"]["replayed"] is True
    after = requests.get(f"{layer}/changes", params={"since": 0}, headers=AUTH, timeout=60)
    assert after.json()["data"]["revision"] == CLIENTS * PUSHES


def test_a_killed_worker_is_replaced_and_the_other_answers_meanwhile(workers: Workers) -> None:
    document_id = upload(workers.url)
    before = worker_pids(workers.proc.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    while worker_pids(workers.proc.pid) - before == set():  # until uvicorn started another
        try:
            got = requests.get(
                f"{workers.url}/api/documents/{document_id}/layers", headers=AUTH, timeout=60
            )
        except requests.ConnectionError:
            continue  # the connection the dead worker had accepted
        assert got.status_code == 200
        time.sleep(0.05)  # pacing only: the loop waits for the new worker, not for a time
    assert victim not in worker_pids(workers.proc.pid)
    got = requests.get(
        f"{workers.url}/api/documents/{document_id}/layers", headers=AUTH, timeout=60
    )
    assert got.status_code == 200 and got.json()["data"] == [""]


def test_every_scrape_sums_the_figures_of_both_workers(workers: Workers) -> None:
    """prometheus-client's multi-process mode: whichever worker answers ``/metrics`` (a new
    connection each time), the push count is every worker's pushes."""
    from tests.server.test_operations import PUSH_ROUTE, scrape, value

    pushed = {"method": "POST", "route": PUSH_ROUTE, "status": "200"}
    before = value(scrape(workers.url), "reviewer_http_requests_total", **pushed)
    document_id = upload(workers.url)
    layer = f"{workers.url}/api/documents/{document_id}/layers/metered"
    start = threading.Barrier(1)
    push_many(layer, 0, start)
    seen = {
        value(scrape(workers.url), "reviewer_http_requests_total", **pushed) - before
        for _ in range(6)
    }
    assert seen == {PUSHES}
