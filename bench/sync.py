"""Offline-first sync figures over loopback: time and bytes on the wire.

Starts ``reviewer-server serve`` on 127.0.0.1 (port 0) in a temporary folder, with client
replicas (``LayerEngine`` + ``SyncSession``) in the same folder, and measures:

- sending 1,000 changes made offline (one edit each) with one ``sync_all()``;
- the first sync of a document with 30 layers of 100 annotations (teacher token, every layer);
- a sync with nothing to do.

Bytes are the request and answer bodies counted by ``SyncClient`` (HTTP headers excluded).
Prints a table and writes ``bench/results/sync.json``. Run with ``.venv/bin/python bench/sync.py``.
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pymupdf
import requests

from reviewer_app.engine import LayerEngine
from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen
from reviewer_app.sync import SyncClient, SyncSession

RESULTS = Path(__file__).with_name("results")
SECRET = "bench-secret-0123456789abcdef"
OFFLINE_CHANGES = 1000
LAYERS = 30
PER_LAYER = 100
PAGES = 10


def make_pdf(pages: int) -> bytes:
    """A small text PDF with unique bytes (so each call gives a new document id)."""
    doc = pymupdf.open()
    tag = uuid.uuid4().hex
    for index in range(pages):
        doc.new_page().insert_text((72, 72), f"{tag} page {index + 1}")
    data = bytes(doc.tobytes(garbage=1, deflate=True))
    doc.close()
    return data


def note(index: int, text: str) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": index % PAGES,
        "bbox": [10 + index % 500, 10 + index % 700, 24, 24],
        "text": {"format": "plain", "value": text},
        "icon": "comment",
        "opacity": 1,
    }


class Bench:
    def __init__(self, url: str, root: Path, private_key: bytes) -> None:
        self.url, self.root, self.private_key = url, root, private_key
        self.opened: list[tuple[LayerEngine, SyncSession]] = []

    def upload(self) -> str:
        answer = requests.post(
            self.url + "/api/documents",
            data=make_pdf(PAGES),
            headers={"Authorization": f'Token token="{SECRET}"', "Content-Type": "application/pdf"},
            timeout=60,
        )
        answer.raise_for_status()
        return str(answer.json()["data"]["document_id"])

    def replica(self, name: str, document_id: str) -> SyncSession:
        token = issue_token(
            TokenRequest(document_id, ["all"], layers=["*"], user_id="teacher"), self.private_key
        )
        engine = LayerEngine(self.root / "clients" / name)
        session = SyncSession.open(engine, SyncClient(self.url, token), document_id)
        self.opened.append((engine, session))
        return session

    def close(self) -> None:
        for engine, session in self.opened:
            session.client.close()
            engine.close()


def wire(session: SyncSession) -> int:
    return session.client.bytes_sent + session.client.bytes_received


def timed_sync(session: SyncSession) -> dict[str, Any]:
    """One ``sync_all()``: seconds, bytes sent and received, what it did."""
    sent, received = session.client.bytes_sent, session.client.bytes_received
    began = time.perf_counter()
    report = session.sync_all()
    seconds = time.perf_counter() - began
    return {
        "seconds": round(seconds, 3),
        "bytes_sent": session.client.bytes_sent - sent,
        "bytes_received": session.client.bytes_received - received,
        "bytes": session.client.bytes_sent - sent + session.client.bytes_received - received,
        "pulled": report.pulled,
        "pushed": report.pushed,
    }


def offline_changes(bench: Bench) -> dict[str, Any]:
    """1,000 edits made offline, one at a time, then one sync sends them."""
    doc = bench.upload()
    session = bench.replica("offline", doc)
    engine = session.engine
    for index in range(OFFLINE_CHANGES):
        engine.create_records(doc, "grading", "annotation", [note(index, f"offline {index}")])
    assert session.pending() == OFFLINE_CHANGES
    result = timed_sync(session)
    assert session.pending() == 0 and result["pushed"] == OFFLINE_CHANGES, result
    result["changes"] = OFFLINE_CHANGES
    result["nothing_to_do"] = timed_sync(session)
    return result


def first_sync(bench: Bench) -> dict[str, Any]:
    """A document with 30 layers of 100 annotations, pulled by a fresh replica."""
    doc = bench.upload()
    seeder = bench.replica("seeder", doc)
    for layer in range(LAYERS):
        items = [note(i, f"layer {layer} note {i}") for i in range(PER_LAYER)]
        seeder.engine.create_records(doc, f"student-{layer:02}", "annotation", items)
    seeded = timed_sync(seeder)
    began = time.perf_counter()
    fresh = bench.replica("teacher", doc)  # downloads the PDF once
    opened = time.perf_counter() - began
    opened_bytes = wire(fresh)
    result = timed_sync(fresh)
    layers = [n for n in fresh.engine.layer_names(doc) if n.startswith("student-")]
    count = sum(len(fresh.engine.annotations(doc, n)) for n in layers)
    assert len(layers) == LAYERS and count >= LAYERS * PER_LAYER, (layers, count)
    result.update(
        layers=LAYERS,
        annotations_per_layer=PER_LAYER,
        open_seconds=round(opened, 3),
        open_bytes=opened_bytes,
        seed_push=seeded,
        nothing_to_do=timed_sync(fresh),
    )
    return result


def run(url: str, root: Path, private_key: bytes) -> dict[str, Any]:
    bench = Bench(url, root, private_key)
    try:
        offline = offline_changes(bench)
        first = first_sync(bench)
    finally:
        bench.close()
    return {
        "bytes_counted": "request and answer bodies (SyncClient), HTTP headers excluded",
        "offline_1000_changes": offline,
        "first_sync_30x100": first,
        "nothing_to_do": first.pop("nothing_to_do"),
        "nothing_to_do_after_push": offline.pop("nothing_to_do"),
    }


def report(results: dict[str, Any]) -> None:
    offline, first = results["offline_1000_changes"], results["first_sync_30x100"]
    idle = results["nothing_to_do"]
    print(f"{'sync':<42}{'seconds':>9}{'bytes sent':>13}{'bytes recv':>13}")
    rows = [
        (f"{offline['changes']:,} offline changes", offline),
        (f"first sync, {first['layers']} layers x {first['annotations_per_layer']}", first),
        ("nothing to do (30-layer document)", idle),
        ("nothing to do (1-layer document)", results["nothing_to_do_after_push"]),
    ]
    for label, row in rows:
        print(f"{label:<42}{row['seconds']:>9}{row['bytes_sent']:>13,}{row['bytes_received']:>13,}")
    print(
        f"opening the remote document (PDF download): {first['open_seconds']} s, "
        f"{first['open_bytes']:,} B; bytes are bodies only (headers excluded)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        private, public = keygen(root / "keys", "ES256")
        proc, url = start_server(
            root / "data", "--jwt-public-key", str(public), env={"API_AUTH_TOKEN": SECRET}
        )
        try:
            results = run(url, root, private.read_bytes())
        finally:
            stop_server(proc)
    report(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sync.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
