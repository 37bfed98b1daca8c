"""Concurrent writers to one layer through the real server: nothing lost, the database intact."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from reviewer_app.engine.layer_engine import DATABASE_NAME
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen
from tests.server.conftest import SECRET, make_pdf, note, start_server, stop_server

WRITERS = 4
PER_WRITER = 50
LAYER = "shared"
BASE_NOTES = 1
"""The note ``make_pdf`` puts on page 1, which the layer shows too."""


@dataclass
class Live:
    """A server of our own, so the test can open its database afterwards."""

    url: str
    data_dir: Path
    private_key: bytes


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("concurrency")
    private, public = keygen(root / "keys", "ES256")
    env = {"API_AUTH_TOKEN": SECRET}
    proc, url = start_server(root / "data", "--jwt-public-key", str(public), env=env)
    try:
        yield Live(url, root / "data", private.read_bytes())
    finally:
        stop_server(proc)


def authorization(live: Live, document_id: str, writer: int) -> str:
    """Even writers use the server token, odd ones a JWT bound to the shared layer."""
    if writer % 2 == 0:
        return f'Token token="{SECRET}"'
    request = TokenRequest(
        document_id, ["read-document", "write"], layer=LAYER, user_id=f"student-{writer}"
    )
    return f"Bearer {issue_token(request, live.private_key)}"


def write_many(live: Live, document_id: str, writer: int, start: threading.Barrier) -> list[str]:
    """POST ``PER_WRITER`` annotations one at a time; the ids the server answered."""
    headers = {"Authorization": authorization(live, document_id, writer)}
    url = f"{live.url}/api/documents/{document_id}/layers/{LAYER}/annotations"
    ids: list[str] = []
    with requests.Session() as session:
        start.wait(timeout=30)
        for index in range(PER_WRITER):
            body = {"content": note(index % 2, 10 + index, f"writer {writer} note {index}")}
            answer = session.post(url, json=body, headers=headers, timeout=60)
            assert answer.status_code == 200, answer.text
            ids.append(answer.json()["data"]["id"])
    return ids


def test_concurrent_writers_lose_nothing(live: Live) -> None:
    server_auth = {"Authorization": f'Token token="{SECRET}"'}
    uploaded = requests.post(
        f"{live.url}/api/documents",
        data=make_pdf("concurrency"),
        headers={**server_auth, "Content-Type": "application/pdf"},
        timeout=30,
    )
    assert uploaded.status_code == 200, uploaded.text
    doc = uploaded.json()["data"]["document_id"]
    layers = f"{live.url}/api/documents/{doc}/layers"
    created = requests.post(layers, json={"name": LAYER}, headers=server_auth, timeout=30)
    assert created.status_code == 200, created.text
    before = requests.get(
        f"{layers}/{LAYER}/changes", params={"since": 0}, headers=server_auth, timeout=30
    ).json()["data"]["revision"]

    start = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(write_many, live, doc, w, start) for w in range(WRITERS)]
        written = [rid for future in futures for rid in future.result()]

    assert len(written) == len(set(written)) == WRITERS * PER_WRITER
    listed = requests.get(
        f"{layers}/{LAYER}/annotations",
        headers={**server_auth, "Accept": "application/x-ndjson"},
        timeout=30,
    )
    assert listed.status_code == 200
    listed_ids = [json.loads(line)["id"] for line in listed.text.splitlines() if line.strip()]
    feed = requests.get(
        f"{layers}/{LAYER}/changes", params={"since": before}, headers=server_auth, timeout=30
    ).json()["data"]
    layer_ids = {r["id"] for r in feed["upserted"]}
    assert layer_ids == set(written)
    assert feed["revision"] == before + WRITERS * PER_WRITER
    assert len(listed_ids) == len(set(listed_ids)) == BASE_NOTES + WRITERS * PER_WRITER
    assert set(written) <= set(listed_ids)
    with sqlite3.connect(live.data_dir / DATABASE_NAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
