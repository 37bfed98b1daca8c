"""Offline-first sync figures over loopback: time and bytes on the wire.

Starts ``reviewer-server serve`` on 127.0.0.1 (port 0) in a temporary folder, with client
replicas (``LayerEngine`` + ``SyncSession``) in the same folder, and measures:

- sending 1,000 changes made offline (one edit each) with one ``sync_all()``;
- the first sync of a document with 30 layers of 100 annotations (teacher token, every layer);
- a sync with nothing to do.

Bytes are counted on the wire by a TCP relay between the client and the server (request lines,
headers with the JWT, bodies: everything HTTP sends; bench/wire.py), against the floor of the
records' own JSON. Each figure is a median over several runs: the 1,000 changes on a new
document each run, the first sync by a new replica each run (cold), the nothing-to-do sync
repeated (warm). Prints a table and writes ``bench/results/sync.json``; ``make bench``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pymupdf
import requests
from figures import RUNS, Report  # bench/, on the path when run as a script
from wire import WireCounter

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
        self.wire = WireCounter(url)
        self.opened: list[tuple[LayerEngine, SyncSession]] = []
        self.requests = 0

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
        """A client replica talking to the server through the counting relay."""
        token = issue_token(
            TokenRequest(document_id, ["all"], layers=["*"], user_id="teacher"), self.private_key
        )
        engine = LayerEngine(self.root / "clients" / name)
        client = SyncClient(self.wire.url, token)
        client.session.hooks["response"].append(self.counted)
        session = SyncSession.open(engine, client, document_id)
        self.opened.append((engine, session))
        return session

    def counted(self, answer: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self.requests += 1
        return answer

    def sync(self, session: SyncSession) -> dict[str, Any]:
        """One ``sync_all()``: milliseconds, bytes on the wire each way, requests, what it did."""
        (sent, received), requests_before = self.wire.snapshot(), self.requests
        began = time.perf_counter()
        report = session.sync_all()
        ms = (time.perf_counter() - began) * 1000
        now_sent, now_received = self.wire.snapshot()
        return {
            "ms": ms,
            "sent": now_sent - sent,
            "received": now_received - received,
            "requests": self.requests - requests_before,
            "pulled": report.pulled,
            "pushed": report.pushed,
        }

    def close(self) -> None:
        for engine, session in self.opened:
            session.client.close()
            engine.close()
        self.wire.close()


def payload(records: list[dict[str, Any]]) -> int:
    """The floor of what a sync must carry: the records' own compact JSON."""
    return sum(len(json.dumps(r, separators=(",", ":")).encode()) for r in records)


def offline_changes(bench: Bench, report: Report) -> None:
    """1,000 edits made offline one at a time, then one sync sends them; a new document each
    run. Then a sync with nothing to do on that one-layer document."""
    runs, idle = [], []
    for run in range(RUNS):
        doc = bench.upload()
        session = bench.replica(f"offline {run}", doc)
        notes = [note(i, f"offline {i}") for i in range(OFFLINE_CHANGES)]
        for item in notes:
            session.engine.create_records(doc, "grading", "annotation", [item])
        assert session.pending() == OFFLINE_CHANGES
        result = bench.sync(session)
        assert session.pending() == 0 and result["pushed"] == OFFLINE_CHANGES, result
        runs.append(result | {"floor": payload(notes)})
        idle.append(bench.sync(session))
    report.add("offline_1000.time", [r["ms"] for r in runs])
    report.add("offline_1000.bytes", [r["sent"] + r["received"] for r in runs], "B")
    report.add("offline_1000.floor_bytes", [r["floor"] for r in runs], "B")
    report.ratio(
        "offline_1000.bytes_vs_floor",
        "offline_1000.bytes",
        "offline_1000.floor_bytes",
        "the 1,000 records' compact JSON",
    )
    report.add("offline_1000.requests", [r["requests"] for r in runs], "n")
    report.add("nothing_to_do_1_layer.time", [r["ms"] for r in idle])
    report.add("nothing_to_do_1_layer.bytes", [r["sent"] + r["received"] for r in idle], "B")
    report.add("nothing_to_do_1_layer.requests", [r["requests"] for r in idle], "n")


def first_sync(bench: Bench, report: Report) -> None:
    """A document with 30 layers of 100 annotations: opened and synced by a new replica each
    run (cold: the PDF downloaded, every layer pulled), then synced again with nothing to do
    (warm)."""
    doc = bench.upload()
    seeder = bench.replica("seeder", doc)
    seeded: list[dict[str, Any]] = []
    for layer in range(LAYERS):
        items = [note(i, f"layer {layer} note {i}") for i in range(PER_LAYER)]
        seeded += items
        seeder.engine.create_records(doc, f"student-{layer:02}", "annotation", items)
    bench.sync(seeder)
    opens, firsts, idle = [], [], []
    for run in range(RUNS):
        (sent, received), began = bench.wire.snapshot(), time.perf_counter()
        fresh = bench.replica(f"teacher {run}", doc)  # downloads the PDF once
        opened_ms = (time.perf_counter() - began) * 1000
        now_sent, now_received = bench.wire.snapshot()
        opens.append({"ms": opened_ms, "bytes": now_sent - sent + now_received - received})
        firsts.append(bench.sync(fresh))
        layers = [n for n in fresh.engine.layer_names(doc) if n.startswith("student-")]
        count = sum(len(fresh.engine.annotations(doc, n)) for n in layers)
        assert len(layers) == LAYERS and count >= LAYERS * PER_LAYER, (layers, count)
        idle.append(bench.sync(fresh))
    report.add("open_remote_document.time", [o["ms"] for o in opens], note="the PDF downloaded")
    report.add("open_remote_document.bytes", [o["bytes"] for o in opens], "B")
    report.add("first_sync_30x100.time", [r["ms"] for r in firsts])
    report.add("first_sync_30x100.bytes", [r["sent"] + r["received"] for r in firsts], "B")
    report.add("first_sync_30x100.floor_bytes", [payload(seeded)], "B")
    report.ratio(
        "first_sync_30x100.bytes_vs_floor",
        "first_sync_30x100.bytes",
        "first_sync_30x100.floor_bytes",
        "the 3,000 records' compact JSON",
    )
    report.add("first_sync_30x100.requests", [r["requests"] for r in firsts], "n")
    report.add("nothing_to_do_30_layers.time", [r["ms"] for r in idle])
    report.add("nothing_to_do_30_layers.bytes", [r["sent"] + r["received"] for r in idle], "B")
    report.add("nothing_to_do_30_layers.requests", [r["requests"] for r in idle], "n")


def main() -> int:
    report = Report("sync")
    report.facts["bytes"] = "on the wire: HTTP request lines, headers (with the JWT) and bodies"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        private, public = keygen(root / "keys", "ES256")
        proc, url = start_server(
            root / "data", "--jwt-public-key", str(public), env={"API_AUTH_TOKEN": SECRET}
        )
        bench = Bench(url, root, private.read_bytes())
        try:
            offline_changes(bench, report)
            first_sync(bench, report)
        finally:
            bench.close()
            stop_server(proc)
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
