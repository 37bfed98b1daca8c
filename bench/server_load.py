"""The layer server under hostile load: the latency of light routes while one token floods
heavy ones (layer PDF exports), and the server's peak memory while three large PDFs upload at
once. Each figure gets a fresh server process (its peak memory is its own).

Run with ``.venv/bin/python bench/server_load.py`` (``bench/server.py`` prints these too).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pymupdf
import requests

from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen

SECRET = "bench-secret-0123456789abcdef"
AUTH = {"Authorization": f'Token token="{SECRET}"'}
FLOODERS = 45
"""Heavy requests one token keeps going at once (the issue's attack: 45 exports)."""
FLOOD_NOTES = 300
LIGHT_REQUESTS = 300
LIGHT_SECONDS = 60.0
"""The light calls stop after this long even if fewer than ``LIGHT_REQUESTS`` were made (a
starved server answers one in tens of seconds)."""
LIGHT_TIMEOUT = 60.0
UPLOAD_MB = 190
UPLOADS = 3


def note(index: int) -> dict[str, Any]:
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": 0,
        "bbox": [10 + index % 500, 10 + index % 700, 24, 24],
        "text": {"format": "plain", "value": f"flood note {index}"},
        "icon": "comment",
        "opacity": 1,
    }


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (Linux ``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc (Linux only)")


def percentile(ordered: list[float], q: float) -> float:
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 2)


def small_pdf() -> bytes:
    doc = pymupdf.open()
    for index in range(3):
        doc.new_page().insert_text((72, 72), f"load bench page {index} {time.time_ns()}")
    data: bytes = doc.tobytes()
    doc.close()
    return data


def light_under_flood(root: Path) -> dict[str, Any]:
    """One student's token keeps ``FLOODERS`` layer PDF exports going (each thread asks again
    as soon as it has an answer, whatever the answer); meanwhile another student's client
    makes ``LIGHT_REQUESTS`` light calls one after another (health, listings, the changes
    feed, a push) and each is timed."""
    private, public = keygen(root / "keys", "ES256")
    proc, url = start_server(
        root / "flood", "--jwt-public-key", str(public), env={"API_AUTH_TOKEN": SECRET}
    )
    try:
        up = requests.post(
            f"{url}/api/documents",
            data=small_pdf(),
            headers={**AUTH, "Content-Type": "application/pdf"},
            timeout=120,
        )
        up.raise_for_status()
        doc = up.json()["data"]["document_id"]
        base = f"{url}/api/documents/{doc}/layers"
        body = {"annotations": [{"content": note(i)} for i in range(FLOOD_NOTES)]}
        requests.post(f"{base}/a/annotations", json=body, headers=AUTH, timeout=120)
        pem = private.read_bytes()
        flooder = issue_token(TokenRequest(doc, ["read-document", "download"], layer="a"), pem)
        student = issue_token(TokenRequest(doc, ["read-document", "write"], layer="b"), pem)
        statuses: Counter[int] = Counter()
        stop = threading.Event()

        def flood() -> None:
            with requests.Session() as session:
                session.headers["Authorization"] = f"Bearer {flooder}"
                while not stop.is_set():
                    try:
                        answer = session.get(f"{base}/a/pdf", timeout=300)
                        statuses[answer.status_code] += 1
                    except requests.RequestException:
                        statuses[0] += 1

        failed: list[int] = []
        times = light_calls(url, doc, student, stop, flood, failed)
        ordered = sorted(times)
        return {
            "light_requests": len(times),
            "light_median_ms": round(statistics.median(ordered), 2),
            "light_p99_ms": percentile(ordered, 0.99),
            "light_max_ms": round(ordered[-1], 2),
            "light_failed": len(failed),
            "flood_answers": {str(k): v for k, v in sorted(statuses.items())},
        }
    finally:
        stop_server(proc)


def light_calls(
    url: str,
    doc: str,
    token: str,
    stop: threading.Event,
    flood: Callable[[], None],
    failed: list[int],
) -> list[float]:
    layer = f"{url}/api/documents/{doc}/layers/b"
    calls: list[Callable[[requests.Session, int], requests.Response]] = [
        lambda s, _: s.get(f"{url}/healthz", timeout=LIGHT_TIMEOUT),
        lambda s, _: s.get(f"{url}/api/documents/{doc}/layers", timeout=LIGHT_TIMEOUT),
        lambda s, _: s.get(f"{layer}/annotations", timeout=LIGHT_TIMEOUT),
        lambda s, _: s.get(f"{layer}/changes", params={"since": 0}, timeout=LIGHT_TIMEOUT),
        lambda s, i: s.post(
            f"{layer}/push",
            json={
                "idempotency_key": f"light-{i}",
                "changes": [
                    {"kind": "annotation", "id": f"l{i}", "base_revision": 0, "content": note(i)}
                ],
            },
            timeout=LIGHT_TIMEOUT,
        ),
    ]
    times: list[float] = []
    with ThreadPoolExecutor(FLOODERS) as pool, requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        flooding = [pool.submit(flood) for _ in range(FLOODERS)]
        start = time.perf_counter()
        try:
            for index in range(LIGHT_REQUESTS):
                if time.perf_counter() - start > LIGHT_SECONDS:
                    break
                begin = time.perf_counter()
                try:  # a failure (time out, error status) counts as the time it took
                    calls[index % len(calls)](session, index).raise_for_status()
                except requests.RequestException:
                    failed.append(index)
                times.append((time.perf_counter() - begin) * 1000)
        finally:
            stop.set()
            for future in flooding:
                future.result()
    return times


def big_pdf_file(path: Path, megabytes: int) -> None:
    """A one-page PDF of about ``megabytes`` MB (a page-sized image of incompressible noise)."""
    side = int((megabytes * 1_000_000 / 3) ** 0.5)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, side, side), False)
    pix.samples_mv[:] = os.urandom(len(pix.samples_mv))
    doc = pymupdf.open()
    doc.new_page().insert_image(pymupdf.Rect(0, 0, 595, 842), pixmap=pix)
    doc.save(path, garbage=1, deflate=True)
    doc.close()


def concurrent_uploads(root: Path) -> dict[str, Any]:
    """``UPLOADS`` different PDFs of ``UPLOAD_MB`` MB each, uploaded at once (streamed from
    files by the client); the server's peak resident memory before and after."""
    files = root / "pdfs"
    files.mkdir()
    first = files / "0.pdf"
    big_pdf_file(first, UPLOAD_MB)
    for index in range(1, UPLOADS):  # the same PDF with a different comment at its end
        shutil.copyfile(first, files / f"{index}.pdf")
    for index in range(UPLOADS):
        with open(files / f"{index}.pdf", "ab") as out:
            out.write(f"\n% upload {index}\n".encode())
    proc, url = start_server(root / "uploads", env={"API_AUTH_TOKEN": SECRET})
    try:
        before = peak_rss_mb(proc.pid)
        begin = time.perf_counter()

        def upload(index: int) -> int:
            with open(files / f"{index}.pdf", "rb") as data:
                answer = requests.post(
                    f"{url}/api/documents",
                    data=data,
                    headers={**AUTH, "Content-Type": "application/pdf"},
                    timeout=1200,
                )
            return answer.status_code

        with ThreadPoolExecutor(UPLOADS) as pool:
            statuses = list(pool.map(upload, range(UPLOADS)))
        return {
            "uploads": UPLOADS,
            "upload_mb": round((files / "0.pdf").stat().st_size / 1e6, 1),
            "statuses": statuses,
            "seconds": round(time.perf_counter() - begin, 1),
            "rss_at_start_mb": before,
            "peak_rss_mb": peak_rss_mb(proc.pid),
        }
    finally:
        stop_server(proc)


def run(only: str | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if only in (None, "flood"):
            (Path(tmp) / "f").mkdir()
            results["light_under_flood"] = light_under_flood(Path(tmp) / "f")
        if only in (None, "uploads"):
            (Path(tmp) / "u").mkdir()
            results["concurrent_uploads"] = concurrent_uploads(Path(tmp) / "u")
    return results


def report(results: dict[str, Any]) -> None:
    flood = results.get("light_under_flood")
    if flood:
        print(
            f"light routes while one token floods {FLOODERS} layer PDF exports: "
            f"median {flood['light_median_ms']} ms, p99 {flood['light_p99_ms']} ms, "
            f"max {flood['light_max_ms']} ms ({flood['light_requests']} requests, "
            f"{flood['light_failed']} failed); "
            f"flood answers {flood['flood_answers']}"
        )
    uploads = results.get("concurrent_uploads")
    if uploads:
        print(
            f"{uploads['uploads']} uploads of {uploads['upload_mb']} MB at once: server peak "
            f"RSS {uploads['peak_rss_mb']} MB (at start {uploads['rss_at_start_mb']} MB), "
            f"{uploads['seconds']} s, statuses {uploads['statuses']}"
        )


if __name__ == "__main__":
    found = run(sys.argv[1] if len(sys.argv) > 1 else None)
    report(found)
    print(json.dumps(found))
