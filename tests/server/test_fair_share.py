"""Fair sharing: heavy requests (layer PDFs, uploads) get a few slots per token and a bounded
queue in all, and 429 with Retry-After past them, while light routes keep answering; a heavy
request whose client goes away stops its work."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from reviewer_app.server.fair import PDF_WORK, UPLOAD, Busy, HeavyGate, heavy_kind
from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen
from tests.server.conftest import SECRET, make_pdf, note

AUTH = {"Authorization": f'Token token="{SECRET}"'}
LOG_WAIT = 60.0
"""How long a test waits for a line in the server's log before it fails."""


# -- the gate on its own --------------------------------------------------------------------


def test_heavy_routes_are_told_from_light_ones() -> None:
    assert heavy_kind("POST", "/api/documents") == UPLOAD
    assert heavy_kind("POST", "/api/documents/d/layers/a/attachments") == UPLOAD
    assert heavy_kind("POST", "/api/documents/d/attachments") == UPLOAD
    assert heavy_kind("GET", "/api/documents/d/layers/a/pdf") == PDF_WORK
    assert heavy_kind("POST", "/api/documents/d/layers/a/pdf") == PDF_WORK
    assert heavy_kind("GET", "/api/documents/d/document_info") == PDF_WORK
    assert heavy_kind("GET", "/api/documents/d/layers/a/document_info") == PDF_WORK
    assert heavy_kind("GET", "/api/documents/d/pdf") == PDF_WORK  # the default layer's PDF
    assert heavy_kind("POST", "/api/documents/d/pdf_with_instant_json") == PDF_WORK
    assert heavy_kind("POST", "/api/documents/d/layers/a/copy_with_instant_json") == PDF_WORK
    for method, path in [
        ("GET", "/healthz"),
        ("GET", "/api/documents/d/layers"),
        ("GET", "/api/documents/d/layers/a/changes"),
        ("POST", "/api/documents/d/layers/a/push"),
        ("GET", "/api/documents/d/layers/a/annotations"),
        ("DELETE", "/api/documents/d/layers/pdf"),
    ]:
        assert heavy_kind(method, path) is None, path


def test_a_token_past_its_limit_is_busy_while_another_gets_a_slot() -> None:
    async def scenario() -> None:
        gate = HeavyGate(per_token=2, running=4, queue=4)
        await gate.enter("a")
        await gate.enter("a")
        with pytest.raises(Busy) as busy:
            await gate.enter("a")
        assert "this token" in busy.value.reason and busy.value.retry_after >= 1
        await gate.enter("b")  # another token is not held back by a's limit
        gate.leave("a", 0.5)
        await gate.enter("a")  # a slot of a's own came back
        assert gate.running == 3

    asyncio.run(scenario())


def test_past_the_running_slots_requests_queue_in_order_then_are_busy() -> None:
    async def scenario() -> None:
        gate = HeavyGate(per_token=10, running=1, queue=2)
        await gate.enter("a")
        order: list[str] = []

        async def wait(key: str) -> None:
            await gate.enter(key)
            order.append(key)

        first = asyncio.create_task(wait("b"))
        second = asyncio.create_task(wait("c"))
        await asyncio.sleep(0)  # both are queued now
        assert len(gate.waiting) == 2
        with pytest.raises(Busy) as busy:
            await gate.enter("d")
        assert "server is busy" in busy.value.reason
        gate.leave("a", 1.0)
        await first
        assert order == ["b"] and not second.done()
        gate.leave("b", 1.0)
        await second
        assert order == ["b", "c"] and gate.running == 1

    asyncio.run(scenario())


def test_a_request_that_gives_up_waiting_leaves_no_slot_taken() -> None:
    async def scenario() -> None:
        gate = HeavyGate(per_token=1, running=1, queue=4)
        await gate.enter("a")
        waiting = asyncio.create_task(gate.enter("b"))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert not gate.waiting and "b" not in gate.by_token
        gate.leave("a", 0.1)
        assert gate.running == 0
        await gate.enter("b")  # b's slot was given back when it gave up

    asyncio.run(scenario())


# -- a real server ----------------------------------------------------------------------------


class Flooded:
    """A server with small heavy limits, a document, a layer ``a`` of many notes and keys."""

    def __init__(self, root: Path, notes: int, **limits: str) -> None:
        self.private, public = keygen(root / "keys", "ES256")
        self.log = root / "server.log"
        env = {"API_AUTH_TOKEN": SECRET, **limits}
        with self.log.open("w") as log:
            self.proc, self.url = start_server(
                root / "data", "--jwt-public-key", str(public), env=env, stderr=log
            )
        up = requests.post(
            f"{self.url}/api/documents",
            data=make_pdf(),
            headers={**AUTH, "Content-Type": "application/pdf"},
            timeout=60,
        )
        assert up.status_code == 200, up.text
        self.doc = up.json()["data"]["document_id"]
        self.base = f"{self.url}/api/documents/{self.doc}/layers"
        batch = {"annotations": [{"content": note(0, 10 + i % 400, f"n{i}")} for i in range(notes)]}
        made = requests.post(f"{self.base}/a/annotations", json=batch, headers=AUTH, timeout=120)
        assert made.status_code == 200, made.text

    def token(self, layer: str, *permissions: str) -> str:
        request = TokenRequest(self.doc, list(permissions), layer=layer)
        return issue_token(request, self.private.read_bytes())

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log.read_text().splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines

    def wait_for_log(self, event: str, path: str) -> dict[str, Any]:
        """The first log entry of ``event`` for ``path``, waiting for the server to write it."""
        deadline = time.monotonic() + LOG_WAIT
        while time.monotonic() < deadline:
            for entry in self.log_lines():
                if entry.get("event") == event and entry.get("path") == path:
                    return entry
            time.sleep(0.02)
        raise AssertionError(f"the server never logged {event!r} for {path}")


@pytest.fixture
def flooded(tmp_path: Path) -> Iterator[Flooded]:
    server = Flooded(tmp_path, 400, HEAVY_PER_TOKEN="2", HEAVY_RUNNING="2", HEAVY_QUEUE="2")
    yield server
    stop_server(server.proc)


def test_one_token_flooding_exports_gets_429s_while_another_tokens_sync_all_succeeds(
    flooded: Flooded,
) -> None:
    flooder = flooded.token("a", "read-document", "download")
    student = flooded.token("b", "read-document", "write")
    answers: list[requests.Response] = []
    lock = threading.Lock()
    start = threading.Barrier(6)

    def flood() -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {flooder}"
            start.wait()
            for _ in range(3):
                answer = session.get(f"{flooded.base}/a/pdf", timeout=300)
                with lock:
                    answers.append(answer)

    threads = [threading.Thread(target=flood) for _ in range(6)]
    for thread in threads:
        thread.start()
    revisions = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {student}"
        for index in range(20):
            push = {
                "idempotency_key": f"k{index}",
                "changes": [
                    {
                        "kind": "annotation",
                        "id": f"s{index}",
                        "base_revision": 0,
                        "content": note(0, 10, f"student {index}"),
                    }
                ],
            }
            pushed = session.post(f"{flooded.base}/b/push", json=push, timeout=60)
            assert pushed.status_code == 200, pushed.text
            assert pushed.json()["data"]["applied"], pushed.text
            revisions.append(pushed.json()["data"]["revision"])
            feed = session.get(f"{flooded.base}/b/changes", params={"since": 0}, timeout=60)
            assert feed.status_code == 200, feed.text
            upserted = feed.json()["data"]["upserted"]
            assert {f"s{i}" for i in range(index + 1)} <= {r["id"] for r in upserted}
    for thread in threads:
        thread.join()
    assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)
    statuses = [answer.status_code for answer in answers]
    assert set(statuses) <= {200, 429}, statuses
    assert 200 in statuses and 429 in statuses, statuses
    for answer in answers:
        if answer.status_code == 200:
            assert answer.content.startswith(b"%PDF-")
        else:
            assert answer.headers["Retry-After"].isdigit()
            assert int(answer.headers["Retry-After"]) >= 1
            body = answer.json()
            assert set(body) == {"details", "status"} and body["status"] == 429
            assert "this token" in body["details"]


def raw_get(url: str, path: str, token: str) -> socket.socket:
    """A GET sent on a plain socket, left unread (the test closes it to go away)."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=30)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n"
    sock.sendall(request.encode())
    return sock


@pytest.fixture
def slow_export(tmp_path: Path) -> Iterator[Flooded]:
    server = Flooded(tmp_path, 3000, HEAVY_PER_TOKEN="1")
    yield server
    stop_server(server.proc)


def test_an_export_stops_when_its_client_goes_away(slow_export: Flooded) -> None:
    token = slow_export.token("a", "read-document", "download")
    path = f"/api/documents/{slow_export.doc}/layers/a/pdf"
    sock = raw_get(slow_export.url, path, token)
    slow_export.wait_for_log("heavy request started", path)
    sock.close()
    gone = slow_export.wait_for_log("client went away", path)
    assert gone["work_stopped"] is True, gone
    # its slot is free again: the token's one heavy request at a time is allowed
    answer = requests.get(
        f"{slow_export.url}/api/documents/{slow_export.doc}/document_info",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text


def test_a_stop_signal_reaches_the_thread_pool_and_stops_work_there() -> None:
    """The server sets the signal in the request's task; the route's work runs in a thread of
    the pool, which must see it (anyio copies the context into the thread)."""
    from starlette.concurrency import run_in_threadpool

    from reviewer_app.pdf.stopping import Stopped, current_signal, stop_point, stop_signal

    async def scenario() -> None:
        event = threading.Event()
        with stop_signal(event):
            assert await run_in_threadpool(current_signal) is event
            await run_in_threadpool(stop_point, "before")  # not set: goes on
            event.set()
            with pytest.raises(Stopped, match="nobody waits"):
                await run_in_threadpool(stop_point, "after")
        assert current_signal() is None

    asyncio.run(scenario())
