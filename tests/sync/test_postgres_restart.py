"""PostgreSQL restarted mid-sync under a real server process with real sync clients: while
the database is down the server answers 503 naming it (``/readyz`` too, at once, not after the
pool's 30 s wait), the clients retry, and once it is back they converge: every acknowledged
change is on the server exactly once and every replica equals the server.

The test has its own throwaway cluster, so stopping it disturbs no other test's database."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import Retry, SyncClient, SyncError, SyncSession
from tests.postgres import Cluster, running_cluster
from tests.server.conftest import note
from tests.sync.conftest import LiveServer, _server, local_records

STUDENTS = 3
MACHINES = 2
"""Replicas per student's layer (a laptop and a tablet): each pulls what the other pushed."""
EDITS = 12
STOP_AFTER = 8
"""Acknowledged syncs (of all replicas) after which the database is stopped."""
ATTEMPTS = 400
"""Syncs a replica tries before the test gives up (each fails in well under a second)."""
RETRY = Retry(attempts=3, backoff=0.05, max_delay=0.2)

pytestmark = pytest.mark.slow


class CountingClient(SyncClient):
    """The sync client, recording the status of every answer it got (503s included)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statuses: list[int] = []

    def _count(self, answer: requests.Response) -> None:
        self.statuses.append(answer.status_code)
        super()._count(answer)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    with running_cluster() as made:
        yield made


@pytest.fixture
def server(cluster: Cluster, tmp_path: Path) -> Iterator[LiveServer]:
    yield from _server(tmp_path, "--database", cluster.database("restart"))


def ready(server: LiveServer) -> requests.Response:
    return requests.get(f"{server.url}/readyz", timeout=60)


def test_clients_retry_through_a_postgresql_restart_and_converge(
    cluster: Cluster, server: LiveServer, tmp_path: Path
) -> None:
    doc = server.upload()
    replicas: list[tuple[str, LayerEngine, SyncSession, CountingClient]] = []
    for student in range(STUDENTS):
        layer = f"student-{student}"
        token = server.token(doc, layer=layer, user_id=layer)
        for machine in range(MACHINES):
            engine = LayerEngine(tmp_path / "clients" / f"{layer}-{machine}")
            client = CountingClient(server.url, token, retry=RETRY, timeout=(2.0, 30.0))
            replicas.append((layer, engine, SyncSession.open(engine, client, doc), client))
    acknowledged: dict[str, set[str]] = {f"student-{s}": set() for s in range(STUDENTS)}
    lock = threading.Lock()
    synced = 0
    stopped = threading.Event()
    failures_while_down = threading.Event()
    back = threading.Event()

    def sync_until_done(session: SyncSession) -> int:
        """Sync until a sync succeeds (the client itself retries each request); the number
        of failed syncs."""
        for failed in range(ATTEMPTS):
            try:
                session.sync_all()
                return failed
            except SyncError as exc:
                assert exc.status in (None, 503), exc  # 503, or a dropped connection
                if stopped.is_set() and not back.is_set():
                    failures_while_down.set()
        raise AssertionError(f"a replica did not sync in {ATTEMPTS} attempts")

    def replica(index: int) -> int:
        nonlocal synced
        layer, engine, session, _ = replicas[index]
        failed = 0
        for edit in range(EDITS):
            rid = f"m{index}-{edit}"
            engine.create_records(doc, layer, "annotation", [note(0, edit, f"{rid} text", id=rid)])
            if edit > 0 and edit % 3 == 0:  # and change an earlier one of its own
                old = f"m{index}-{edit - 3}"
                changed = note(0, edit, f"{old} changed at {edit}", id=old)
                engine.update_records(doc, layer, "annotation", [changed])
            failed += sync_until_done(session)
            assert session.pending() == 0
            with lock:  # every edit made so far is now on the server
                acknowledged[layer] |= {f"m{index}-{e}" for e in range(edit + 1)}
                synced += 1
                if synced == STOP_AFTER and not back.is_set():
                    cluster.executor.stop()
                    stopped.set()
        return failed

    with ThreadPoolExecutor(len(replicas)) as pool:
        running = [pool.submit(replica, i) for i in range(len(replicas))]
        try:
            if not stopped.wait(timeout=300):
                raise AssertionError([f.result() for f in running if f.done()])
            down = ready(server)  # at once, naming the database
            assert down.status_code == 503, down.text
            assert down.json()["storage"] == "ok"
            assert "the layer database cannot be reached" in down.json()["database"]
            assert failures_while_down.wait(timeout=300)  # a replica met the outage mid-sync
        finally:  # back even when a check failed, so that the replicas end
            with lock:
                back.set()
                was_stopped = stopped.is_set()
            if was_stopped:
                cluster.start()
        failed = sum(f.result() for f in running)
    assert failed > 0
    assert any(503 in client.statuses for *_, client in replicas)
    up = ready(server)
    assert up.status_code == 200 and up.json()["database"] == "ok", up.text

    for _, _, session, _ in replicas:  # one more round: each pulls the others' last
        sync_until_done(session)
    for student in range(STUDENTS):
        layer = f"student-{student}"
        listed = server.call(
            "GET",
            f"/api/documents/{doc}/layers/{layer}/annotations",
            headers={"Accept": "application/x-ndjson"},
        )
        ids = [json.loads(line)["id"] for line in listed.text.splitlines() if line.strip()]
        ours = sorted(i for i in ids if i.startswith("m"))
        assert ours == sorted(acknowledged[layer])  # each acknowledged edit, exactly once
        assert len(ours) == MACHINES * EDITS
        on_server = server.records(doc, layer)
        texts = {rid: text for rid, text in on_server}
        for index in [i for i, r in enumerate(replicas) if r[0] == layer]:
            last_change = {f"m{index}-{e - 3}": e for e in range(3, EDITS, 3)}
            for old, at in last_change.items():
                assert f'"{old} changed at {at}"' in texts[old]
        for name, engine, _, _ in replicas:
            if name == layer:
                assert local_records(engine, doc, layer) == on_server
    for _, engine, session, _ in replicas:
        session.client.close()
        engine.close()
