"""Peak memory of importing a 50 MB PDF through the server (issue 16: it peaked at 781 MB).

Starts ``reviewer-server`` on 127.0.0.1, uploads RUNS different 50 MB PDFs of each shape (a
page of incompressible noise, as a big scan; 500 pages of noise with 20 notes each, 10,000
annotations to extract) as multipart forms, and samples, every few
milliseconds, the resident memory of the server process and of its PDF worker processes
(children). The floor: the extraction alone (``extract_base_layer``) in a fresh process, and
that process before it (Python with PyMuPDF loaded). Prints medians (the first upload, with a
cold worker, kept as a fact) and writes ``bench/results/import_memory.json``.
Run with ``.venv/bin/python bench/import_memory.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pymupdf
import requests
from figures import RUNS, Report  # bench/, on the path when run as a script
from server import AUTH, SECRET, big_pdf

from reviewer_app.server.process import start_server, stop_server

MEGABYTES = 50
MB = 1 << 20


def many_pages(pages: int = 500, per_page_kb: int = 100) -> bytes:
    """``pages`` pages, each a ``per_page_kb`` kB image of noise and 20 sticky notes."""
    side = int((per_page_kb * 1000 / 3) ** 0.5)
    doc = pymupdf.open()
    for _ in range(pages):
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, side, side), False)
        pix.samples_mv[:] = os.urandom(len(pix.samples_mv))
        page = doc.new_page()
        page.insert_image(pymupdf.Rect(0, 0, 595, 842), pixmap=pix)
        for k in range(20):
            page.add_text_annot((20 + k * 25, 20), f"note {k}")
    data = bytes(doc.tobytes(garbage=1, deflate=True))
    doc.close()
    return data


def rss(pid: int) -> int:
    """Resident bytes of process ``pid`` (0 once it has gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class Peaks(threading.Thread):
    """Samples the server's RSS and its children's (each worker apart) until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.server = 0
        self.worker = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.005):
            self.server = max(self.server, rss(self.pid))
            for child in children(self.pid):
                self.worker = max(self.worker, rss(child))


def upload(url: str, pid: int, pdf: bytes) -> tuple[int, int]:
    """The peak RSS of the server and of a worker while ``pdf`` is uploaded and imported."""
    peaks = Peaks(pid)
    peaks.start()
    files = {"file": ("upload.pdf", pdf, "application/pdf")}
    answer = requests.post(f"{url}/api/documents", files=files, headers=AUTH, timeout=600)
    peaks.done.set()
    peaks.join()
    answer.raise_for_status()
    return peaks.server, peaks.worker


FLOOR = """
import sys
from pathlib import Path
from reviewer_app.pdf import extract_base_layer
def peak():  # VmHWM: this process's own (ru_maxrss keeps the parent's from before exec)
    line = [x for x in Path("/proc/self/status").read_text().splitlines() if "VmHWM" in x]
    return int(line[0].split()[1]) * 1024
data = Path(sys.argv[1]).read_bytes()
before = peak()
extract_base_layer(data)
print(before, peak())
"""


def floor(pdf: bytes, folder: Path) -> tuple[int, int]:
    """Peak RSS of a fresh process before and after extracting ``pdf`` (no server at all)."""
    path = folder / "floor.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [sys.executable, "-c", FLOOR, str(path)], capture_output=True, text=True, check=True
    )
    before, after = out.stdout.split()
    return int(before), int(after)


def measure(shape: str, pdfs: list[bytes], report: Report) -> None:
    """The figures of one shape of PDF: ``pdfs`` are RUNS + 1 different PDFs of it."""
    report.facts[f"{shape}.pdf_mb"] = round(len(pdfs[0]) / MB, 1)
    with tempfile.TemporaryDirectory() as folder:
        proc, url = start_server(Path(folder) / "data", env={"API_AUTH_TOKEN": SECRET})
        try:
            report.facts[f"{shape}.server_idle_mb"] = round(rss(proc.pid) / MB, 1)
            cold = upload(url, proc.pid, pdfs[0])
            warm = [upload(url, proc.pid, pdf) for pdf in pdfs[1:]]
        finally:
            stop_server(proc)
        floors = [floor(pdfs[0], Path(folder)) for _ in range(RUNS)]
    report.facts[f"{shape}.first_upload_server_peak_mb"] = round(cold[0] / MB, 1)
    report.facts[f"{shape}.first_upload_worker_peak_mb"] = round(cold[1] / MB, 1)
    report.add(f"{shape}.server_peak", [w[0] / MB for w in warm], "MB", "the server process")
    report.add(f"{shape}.worker_peak", [w[1] / MB for w in warm], "MB", "its PDF worker")
    report.add(f"{shape}.floor", [f[1] / MB for f in floors], "MB", "extraction alone")
    report.ratio(
        f"{shape}.server_over_floor",
        f"{shape}.server_peak",
        f"{shape}.floor",
        "a fresh process extracting the same PDF (no server)",
    )
    report.goal(f"{shape}.server_peak", 300, "a 50 MB import peaks the server under 300 MB")


def main() -> None:
    report = Report("import_memory")
    measure("scan", [big_pdf(MEGABYTES) for _ in range(RUNS + 1)], report)
    measure("pages", [many_pages() for _ in range(RUNS + 1)], report)
    report.save()


if __name__ == "__main__":
    main()
