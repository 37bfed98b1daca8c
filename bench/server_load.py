"""The layer server under hostile load: the latency of light routes while one token floods
heavy ones (layer PDF exports), and the server's peak memory while three large PDFs upload at
once. Each figure gets a fresh server process (its peak memory is its own).

Run with ``.venv/bin/python bench/server_load.py [flood|uploads] [runs]`` (``make bench`` runs
it after ``bench/server.py``).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pymupdf
import requests
from figures import RUNS, Report  # bench/, on the path when run as a script

from reviewer_app.server.process import start_server, stop_server
from reviewer_app.server.tokens import TokenRequest, issue_token, keygen

SECRET = "bench-secret-0123456789abcdef"
AUTH = {"Authorization": f'Token token="{SECRET}"'}
FLOODERS = 45
"""Heavy requests one token keeps going at once (the issue's attack: 45 exports)."""
FLOOD_NOTES = 300
LIGHT_REQUESTS = 200
FLOOR_REQUESTS = 100
LIGHT_SECONDS = 60.0
"""The light calls stop after this long even if fewer than ``LIGHT_REQUESTS`` were made (a
starved server answers one in tens of seconds)."""
LIGHT_TIMEOUT = 60.0
UPLOAD_MB = 190
UPLOADS = 3
KINDS = ("raw", "chunked", "multipart")


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
    """One student's token keeps ``FLOODERS`` layer PDF exports going from another process
    (each thread asks again as soon as it has an answer, whatever the answer: an attacker
    does not honour Retry-After); meanwhile another student's client makes ``LIGHT_REQUESTS``
    light calls one after another (health, listings, the changes feed, a push), each timed.
    The same light calls without the flood, first, are the floor."""
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
        floor_failed: list[int] = []
        floor = sorted(light_calls(url, doc, student, "floor", FLOOR_REQUESTS, floor_failed))
        context = multiprocessing.get_context("spawn")
        stop, flowing, answers = context.Event(), context.Event(), context.Queue()
        flooding = context.Process(
            target=flood, args=(f"{base}/a/pdf", flooder, stop, flowing, answers)
        )
        flooding.start()
        try:
            if not flowing.wait(timeout=300):
                raise RuntimeError("the flood never got an answer")
            failed: list[int] = []
            times = sorted(light_calls(url, doc, student, "flood", LIGHT_REQUESTS, failed))
        finally:
            stop.set()
            statuses: dict[str, int] = answers.get(timeout=600)
            flooding.join()
        return {
            "floor_median_ms": round(statistics.median(floor), 2),
            "floor_p99_ms": percentile(floor, 0.99),
            "light_requests": len(times),
            "light_median_ms": round(statistics.median(times), 2),
            "light_p99_ms": percentile(times, 0.99),
            "light_max_ms": round(times[-1], 2),
            "light_failed": len(failed) + len(floor_failed),
            "flood_answers": statuses,
        }
    finally:
        stop_server(proc)


def flood(url: str, token: str, stop: Any, flowing: Any, answers: Any) -> None:
    """In a process of its own: ``FLOODERS`` threads asking for ``url`` until ``stop``
    (``flowing`` is set once every thread has had an answer); puts the count of each status
    (0: no answer) on ``answers``."""
    statuses: Counter[str] = Counter()
    answered: set[int] = set()

    def one() -> None:
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {token}"
            while not stop.is_set():
                try:
                    statuses[str(session.get(url, timeout=300).status_code)] += 1
                except requests.RequestException:
                    statuses["0"] += 1
                answered.add(threading.get_ident())
                if len(answered) == FLOODERS:
                    flowing.set()

    with ThreadPoolExecutor(FLOODERS) as pool:
        for future in [pool.submit(one) for _ in range(FLOODERS)]:
            future.result()
    answers.put(dict(sorted(statuses.items())))


def light_calls(
    url: str, doc: str, token: str, tag: str, count: int, failed: list[int]
) -> list[float]:
    """``count`` light calls in turn (stopping after ``LIGHT_SECONDS``), each one's time in ms;
    the indexes of those that failed go to ``failed``."""
    layer = f"{url}/api/documents/{doc}/layers/b"
    calls: list[Callable[[requests.Session, int], requests.Response]] = [
        lambda s, _: s.get(f"{url}/healthz", timeout=LIGHT_TIMEOUT),
        lambda s, _: s.get(f"{url}/api/documents/{doc}/layers", timeout=LIGHT_TIMEOUT),
        lambda s, _: s.get(f"{layer}/annotations", timeout=LIGHT_TIMEOUT),
        lambda s, _: s.get(f"{layer}/changes", params={"since": 0}, timeout=LIGHT_TIMEOUT),
        lambda s, i: s.post(
            f"{layer}/push",
            json={
                "idempotency_key": f"{tag}-{i}",
                "changes": [
                    {
                        "kind": "annotation",
                        "id": f"{tag}{i}",
                        "base_revision": 0,
                        "content": note(i),
                    }
                ],
            },
            timeout=LIGHT_TIMEOUT,
        ),
    ]
    times: list[float] = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        start = time.perf_counter()
        for index in range(count):
            if time.perf_counter() - start > LIGHT_SECONDS:
                break
            begin = time.perf_counter()
            try:  # a failure (time out, error status) counts as the time it took
                calls[index % len(calls)](session, index).raise_for_status()
            except requests.RequestException:
                failed.append(index)
            times.append((time.perf_counter() - begin) * 1000)
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


def upload_files(root: Path) -> list[Path]:
    """``UPLOADS`` different PDFs of ``UPLOAD_MB`` MB (one, and copies with another comment
    at the end)."""
    files = root / "pdfs"
    files.mkdir()
    first = files / "0.pdf"
    big_pdf_file(first, UPLOAD_MB)
    for index in range(1, UPLOADS):
        shutil.copyfile(first, files / f"{index}.pdf")
    for index in range(UPLOADS):
        with open(files / f"{index}.pdf", "ab") as out:
            out.write(f"\n% upload {index}\n".encode())
    return [files / f"{index}.pdf" for index in range(UPLOADS)]


def file_chunks(path: Path, head: bytes = b"", tail: bytes = b"") -> Iterator[bytes]:
    """A file as a stream of chunks (requests sends a generator chunked, with no length)."""
    yield head
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            yield chunk
    yield tail


def upload(url: str, path: Path, kind: str) -> int:
    """Upload ``path`` as ``kind``: raw with its length, raw chunked, or multipart chunked."""
    headers = {**AUTH, "Content-Type": "application/pdf"}
    if kind == "raw":
        with path.open("rb") as data:
            answer = requests.post(url, data=data, headers=headers, timeout=1200)
        return answer.status_code
    body = file_chunks(path)
    if kind == "multipart":
        boundary = "bench-boundary"
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        body = file_chunks(path, head, f"\r\n--{boundary}--\r\n".encode())
    return requests.post(url, data=body, headers=headers, timeout=1200).status_code


def concurrent_uploads(root: Path, files: list[Path]) -> dict[str, Any]:
    """The ``files`` uploaded at once (raw, chunked and multipart: streamed from disk by the
    client) to a fresh server; its peak resident memory before and after."""
    proc, url = start_server(root, env={"API_AUTH_TOKEN": SECRET})
    try:
        before = peak_rss_mb(proc.pid)
        begin = time.perf_counter()
        kinds = [KINDS[index % len(KINDS)] for index in range(len(files))]
        with ThreadPoolExecutor(len(files)) as pool:
            statuses = list(pool.map(upload, [f"{url}/api/documents"] * len(files), files, kinds))
        return {
            "uploads": kinds,
            "upload_mb": round(files[0].stat().st_size / 1e6, 1),
            "statuses": statuses,
            "seconds": round(time.perf_counter() - begin, 1),
            "rss_at_start_mb": before,
            "peak_rss_mb": peak_rss_mb(proc.pid),
        }
    finally:
        stop_server(proc)


def run(only: str | None = None, runs: int = RUNS) -> Report:
    """Each figure over ``runs`` runs, each on a fresh server (medians, min and max)."""
    report = Report("server_load")
    with tempfile.TemporaryDirectory() as tmp:
        if only in (None, "flood"):
            rows = []
            for index in range(runs):
                (Path(tmp) / f"f{index}").mkdir()
                rows.append(light_under_flood(Path(tmp) / f"f{index}"))
            what = f"light calls while one token floods {FLOODERS} layer PDF exports"
            report.add("flood.light_p99", [r["light_p99_ms"] for r in rows], note=what)
            report.add("flood.light_median", [r["light_median_ms"] for r in rows], note=what)
            report.add("flood.light_max", [r["light_max_ms"] for r in rows])
            report.add("floor.light_p99", [r["floor_p99_ms"] for r in rows], note="no flood")
            report.add("floor.light_median", [r["floor_median_ms"] for r in rows])
            report.ratio(
                "flood.p99_over_floor",
                "flood.light_p99",
                "floor.light_p99",
                "the same light calls on the same server before the flood",
            )
            report.goal("flood.light_p99", 200, "sync p99 under 200 ms while exports flood")
            report.facts["flood.light_failed"] = sum(r["light_failed"] for r in rows)
            report.facts["flood.light_requests_per_run"] = [r["light_requests"] for r in rows]
            report.facts["flood.answers_last_run"] = rows[-1]["flood_answers"]
        if only in (None, "uploads"):
            files = upload_files(Path(tmp))
            rows = [concurrent_uploads(Path(tmp) / f"u{index}", files) for index in range(runs)]
            what = f"{UPLOADS} uploads of {rows[0]['upload_mb']} MB at once ({', '.join(KINDS)})"
            report.add("uploads.peak_rss", [r["peak_rss_mb"] for r in rows], "MB", what)
            report.add("uploads.rss_at_start", [r["rss_at_start_mb"] for r in rows], "MB")
            report.add("uploads.seconds", [r["seconds"] for r in rows], "s")
            report.goal("uploads.peak_rss", 300, "server peak RSS under 300 MB")
            report.facts["uploads.statuses"] = sorted({s for r in rows for s in r["statuses"]})
    return report


if __name__ == "__main__":
    run(
        sys.argv[1] if len(sys.argv) > 1 else None,
        int(sys.argv[2]) if len(sys.argv) > 2 else RUNS,
    ).save()
