"""Layer server figures over loopback: latencies, writer throughput and bytes on the wire.

Starts ``reviewer-server serve`` on 127.0.0.1 (port 0) in a temporary data directory, prints a
table and writes ``bench/results/server.json``. Run with ``.venv/bin/python bench/server.py``.
``--scale`` (and ``--database postgresql://...``) compares the ways of running the server
under 30 to 1,000 syncing clients instead (see ``bench/server_scale.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pymupdf
import requests

from reviewer_app.server.process import start_server, stop_server

RESULTS = Path(__file__).with_name("results")
SECRET = "bench-secret-0123456789abcdef"
AUTH = {"Authorization": f'Token token="{SECRET}"'}
PAGES = 50
SINGLE_CREATES = 200
LIST_REPEAT = 20
NDJSON_REPEAT = 5
FEED_REPEAT = 50
PUSHES = 10
PUSH_SIZE = 500
WRITERS = 4
PER_WRITER = 100


def make_pdf(pages: int) -> bytes:
    """A real text PDF of ``pages`` pages."""
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page()
        for line in range(40):
            page.insert_text((50, 60 + line * 18), f"Page {index + 1}, line {line + 1}: " * 3)
    data = bytes(doc.tobytes(garbage=1, deflate=True))
    doc.close()
    return data


def note(index: int, rid: str | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": index % PAGES,
        "bbox": [10 + index % 500, 10, 24, 24],
        "text": {"format": "plain", "value": f"bench note {index}"},
        "icon": "comment",
        "opacity": 1,
    }
    if rid is not None:
        content["id"] = rid
    return content


def summary(times: list[float]) -> dict[str, float]:
    """Median, p95 and p99 in milliseconds, and requests per second one after another."""
    ordered = sorted(times)

    def rank(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)

    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "requests_per_s": round(1000 * len(ordered) / sum(ordered), 1),
    }


def timed(call: Callable[[int], requests.Response], repeat: int) -> dict[str, float]:
    times = []
    for index in range(repeat):
        begin = time.perf_counter()
        answer = call(index)
        times.append((time.perf_counter() - begin) * 1000)
        answer.raise_for_status()
    return {**summary(times), "runs": repeat}


def header_bytes(headers: Mapping[str, str | bytes]) -> int:
    return sum(len(f"{k}: {v!s}\r\n") for k, v in headers.items())


def wire_bytes(answer: requests.Response) -> int:
    """Bytes of one exchange: request line, headers and body, response headers and body."""
    sent = answer.request
    body = sent.body if isinstance(sent.body, bytes) else str(sent.body or "").encode()
    request = len(f"{sent.method!s} {sent.path_url} HTTP/1.1\r\n") + header_bytes(sent.headers)
    response = len("HTTP/1.1 200 OK\r\n") + header_bytes(answer.headers)
    size = len(body)
    return request + 2 + size + response + 2 + len(answer.content)


class Client:
    """A keep-alive session on one document."""

    def __init__(self, url: str, document_id: str) -> None:
        self.session = requests.Session()
        self.session.headers.update(AUTH)
        self.doc = f"{url}/api/documents/{document_id}"

    def layer(self, name: str) -> str:
        return f"{self.doc}/layers/{name}"

    def create_layer(self, name: str) -> requests.Response:
        answer = self.session.post(f"{self.doc}/layers", json={"name": name}, timeout=60)
        answer.raise_for_status()
        return answer

    def fill(self, name: str, count: int, batch: int = 1000) -> None:
        for first in range(0, count, batch):
            body = {"annotations": [{"content": note(i)} for i in range(first, first + batch)]}
            answer = self.session.post(f"{self.layer(name)}/annotations", json=body, timeout=120)
            answer.raise_for_status()

    def revision(self, name: str) -> int:
        answer = self.session.get(f"{self.layer(name)}/changes", params={"since": 0}, timeout=60)
        return int(answer.json()["data"]["revision"])


def concurrent_writers(url: str, document_id: str) -> dict[str, float]:
    """``WRITERS`` threads creating ``PER_WRITER`` annotations each in one shared layer."""
    Client(url, document_id).create_layer("crowd")
    barrier = threading.Barrier(WRITERS + 1)

    def write(writer: int) -> None:
        client = Client(url, document_id)
        target = f"{client.layer('crowd')}/annotations"
        barrier.wait()
        for index in range(PER_WRITER):
            client.session.post(
                target, json={"content": note(writer * PER_WRITER + index)}, timeout=60
            ).raise_for_status()

    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(write, w) for w in range(WRITERS)]
        barrier.wait()
        begin = time.perf_counter()
        for future in futures:
            future.result()
        elapsed = time.perf_counter() - begin
    total = WRITERS * PER_WRITER
    return {"writers": WRITERS, "writes": total, "writes_per_s": round(total / elapsed, 1)}


def big_pdf(megabytes: int) -> bytes:
    """A one-page PDF of about ``megabytes`` MB (a page-sized image of incompressible noise)."""
    side = int((megabytes * 1_000_000 / 3) ** 0.5)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, side, side), False)
    pix.set_rect(pix.irect, (0, 0, 0))
    noise = os.urandom(len(pix.samples_mv))
    pix.samples_mv[:] = noise
    doc = pymupdf.open()
    doc.new_page().insert_image(pymupdf.Rect(0, 0, 595, 842), pixmap=pix)
    data = bytes(doc.tobytes(garbage=1, deflate=True))
    doc.close()
    return data


def layer_on_big_document(url: str) -> dict[str, int]:
    """Bytes on the wire to add a layer with 10 annotations to a 10 MB document."""
    pdf = big_pdf(10)
    upload = requests.post(
        f"{url}/api/documents",
        data=pdf,
        headers={**AUTH, "Content-Type": "application/pdf"},
        timeout=300,
    )
    upload.raise_for_status()
    client = Client(url, upload.json()["data"]["document_id"])
    created = client.create_layer("student")
    body = {"annotations": [{"content": note(i)} for i in range(10)]}
    added = client.session.post(f"{client.layer('student')}/annotations", json=body, timeout=60)
    added.raise_for_status()
    return {
        "pdf_bytes": len(pdf),
        "layer_with_10_annotations_bytes": wire_bytes(created) + wire_bytes(added),
    }


CLASS_SIZE = 30


def class_syncs_at_once(url: str, document_id: str) -> dict[str, float]:
    """30 students at the end of a lesson: each pushes 10 changes to their own layer and pulls
    its changes feed, all at once (what one sync of a student's client sends)."""
    barrier = threading.Barrier(CLASS_SIZE + 1)
    times: list[float] = []

    def student(n: int) -> None:
        client = Client(url, document_id)
        layer = client.layer(f"student-{n:02d}")
        changes = [
            {"kind": "annotation", "id": f"s{n}-{i}", "base_revision": 0, "content": note(i)}
            for i in range(10)
        ]
        barrier.wait()
        begin = time.perf_counter()
        client.session.post(
            f"{layer}/push", json={"idempotency_key": f"class-{n}", "changes": changes}, timeout=60
        ).raise_for_status()
        client.session.get(f"{layer}/changes", params={"since": 0}, timeout=60).raise_for_status()
        times.append((time.perf_counter() - begin) * 1000)

    with ThreadPoolExecutor(CLASS_SIZE) as pool:
        futures = [pool.submit(student, n) for n in range(CLASS_SIZE)]
        barrier.wait()
        begin = time.perf_counter()
        for future in futures:
            future.result()
        elapsed = time.perf_counter() - begin
    return {**summary(times), "clients": CLASS_SIZE, "syncs_per_s": round(CLASS_SIZE / elapsed, 1)}


def run(url: str) -> dict[str, Any]:
    pdf = make_pdf(PAGES)
    upload = requests.post(
        f"{url}/api/documents",
        data=pdf,
        headers={**AUTH, "Content-Type": "application/pdf"},
        timeout=120,
    )
    upload.raise_for_status()
    document_id = upload.json()["data"]["document_id"]
    client = Client(url, document_id)
    results: dict[str, Any] = {"pages": PAGES, "pdf_bytes": len(pdf)}

    new_layer = client.create_layer("wire")
    added = client.session.post(
        f"{client.layer('wire')}/annotations", json={"content": note(0)}, timeout=60
    )
    added.raise_for_status()
    results["wire"] = {
        "create_layer_bytes": wire_bytes(new_layer),
        "add_annotation_bytes": wire_bytes(added),
        "upload_pdf_bytes": wire_bytes(upload),
    }

    client.create_layer("single")
    single = f"{client.layer('single')}/annotations"
    results["create_one"] = timed(
        lambda i: client.session.post(single, json={"content": note(i)}, timeout=60),
        SINGLE_CREATES,
    )

    client.create_layer("k1")
    client.fill("k1", 1000)
    listing = f"{client.layer('k1')}/annotations"
    results["list_1000_json"] = timed(
        lambda _: client.session.get(listing, timeout=60), LIST_REPEAT
    )

    client.create_layer("k10")
    client.fill("k10", 10_000)
    big = f"{client.layer('k10')}/annotations"
    ndjson = {"Accept": "application/x-ndjson"}
    results["list_10000_ndjson"] = timed(
        lambda _: client.session.get(big, headers=ndjson, timeout=120), NDJSON_REPEAT
    )

    client.fill("k10", 10, batch=10)
    recent = client.revision("k10") - 1
    feed = f"{client.layer('k10')}/changes"
    results["changes_since_recent"] = timed(
        lambda _: client.session.get(feed, params={"since": recent}, timeout=60), FEED_REPEAT
    )

    client.create_layer("sync")
    push = f"{client.layer('sync')}/push"

    def one_push(index: int) -> requests.Response:
        changes: list[Any] = [
            {"kind": "annotation", "id": f"p{index}-{i}", "base_revision": 0, "content": note(i)}
            for i in range(PUSH_SIZE)
        ]
        return client.session.post(
            push, json={"idempotency_key": f"bench-{index}", "changes": changes}, timeout=120
        )

    results["push_500"] = timed(one_push, PUSHES)
    results["concurrent_writers"] = concurrent_writers(url, document_id)
    results["class_sync"] = class_syncs_at_once(url, document_id)
    results["big_document"] = layer_on_big_document(url)
    return results


def report(results: dict[str, Any]) -> None:
    print(f"{'operation':<26}{'median ms':>12}{'p95 ms':>10}{'p99 ms':>10}{'req/s':>10}")
    keys = (
        "create_one",
        "list_1000_json",
        "list_10000_ndjson",
        "changes_since_recent",
        "push_500",
        "class_sync",
    )
    for key in keys:
        row = results[key]
        print(
            f"{key:<26}{row['median_ms']:>12}{row['p95_ms']:>10}{row['p99_ms']:>10}"
            f"{row['requests_per_s']:>10}"
        )
    print(
        f"{CLASS_SIZE} students syncing at once: {results['class_sync']['syncs_per_s']} "
        "syncs/s (push 10 changes + pull the feed each)"
    )
    big = results["big_document"]
    print(
        f"a layer with 10 annotations on a {big['pdf_bytes']:,} B document: "
        f"{big['layer_with_10_annotations_bytes']:,} B on the wire"
    )
    crowd = results["concurrent_writers"]
    print(f"{crowd['writers']} concurrent writers: {crowd['writes_per_s']} annotations/s")
    wire = results["wire"]
    print(
        f"PDF {results['pdf_bytes']:,} bytes ({PAGES} pages); upload exchange "
        f"{wire['upload_pdf_bytes']:,} B; new layer {wire['create_layer_bytes']:,} B; "
        f"add one annotation {wire['add_annotation_bytes']:,} B"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Layer server figures over loopback.")
    parser.add_argument("--scale", action="store_true", help="clients x setups (server_scale.py)")
    parser.add_argument("--database", help="with --scale: a PostgreSQL URL for its setups")
    args = parser.parse_args()
    if args.scale or args.database:
        import server_scale  # bench/, on the path when run as a script

        server_scale.main(["--database", args.database] if args.database else [])
        return
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(Path(tmp) / "data", env={"API_AUTH_TOKEN": SECRET})
        try:
            results = run(url)
        finally:
            stop_server(proc)
    report(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "server.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
