"""Issue 16's rule for the server: PyMuPDF never reads a user's PDF in the server's process,
only in the sandbox's worker processes. Checked two ways: the server modules' imports (no
PyMuPDF, and the PDF package's jobs only handed to a sandbox), and a real server whose own
PyMuPDF is trapped answering every route that reads a PDF. A PDF that crashes the reader costs
only its own requests on each of those routes."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from reviewer_app.engine import LayerEngine
from tests.pdf.builders import deep_page_tree_pdf
from tests.server.conftest import SECRET
from tests.server.test_apply_instructions import SECOND, instructions
from tests.server.test_de_conformance import HIGHLIGHT, form_pdf
from tests.server.test_hostile_pdfs import refused

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "reviewer_app" / "server"
PDF_NAMES = {  # what server modules may take from reviewer_app.pdf: errors, types, the sandbox
    "reviewer_app.pdf": {"BrokenPdf", "PasswordRequired", "PdfError", "WrongPassword", "jobs"},
    "reviewer_app.pdf.errors": {"PdfWorkersBusy"},
    "reviewer_app.pdf.stopping": {"Stopped", "stop_signal"},
    "reviewer_app.pdf.sandbox": {"Limits", "PdfSandbox", "REMEMBERED_FILE"},
    "reviewer_app.pdf.page_content": {"FormField"},  # a job's answer
    "reviewer_app.pdf.page_image": {"FORMATS"},  # what a page image job can write
}


def rule_breaches(path: Path) -> list[str]:
    """Where a server module could run PyMuPDF itself: importing it (or a PDF module's
    function), or calling a job rather than handing it to a sandbox's ``run``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in ("pymupdf", "fitz")]
            found += [a.name for a in node.names if a.name.startswith("reviewer_app.pdf")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in ("pymupdf", "fitz"):
                found.append(node.module)
            elif node.module.startswith("reviewer_app.pdf"):
                allowed = PDF_NAMES.get(node.module, set())
                found += [f"{node.module}.{a.name}" for a in node.names if a.name not in allowed]
        elif isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "jobs":
            call = parents.get(node)
            if not isinstance(call, ast.Call) or node not in call.args[:3] or call.func is node:
                found.append(f"jobs.{node.attr} on line {node.lineno}, not handed to a sandbox")
    return found


def test_server_modules_leave_pymupdf_to_the_workers() -> None:
    breaches = {p.name: found for p in sorted(SERVER.glob("*.py")) if (found := rule_breaches(p))}
    assert breaches == {}


def test_the_rule_sees_a_direct_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pymupdf\nfrom reviewer_app.pdf import jobs, open_pdf\n"
        "from reviewer_app.pdf.page_content import text_lines\n"
        "x = jobs.outline_elements(path, None, 'x')\ny = sandbox.run(jobs.page_boxes, path)\n",
        encoding="utf-8",
    )
    assert rule_breaches(bad) == [
        "pymupdf",
        "reviewer_app.pdf.open_pdf",
        "reviewer_app.pdf.page_content.text_lines",
        "jobs.outline_elements on line 4, not handed to a sandbox",
    ]


class Trapped:
    """A real server process whose own PyMuPDF refuses to open PDFs (tests/server/
    trapped_server.py)."""

    def __init__(self, root: Path) -> None:
        self.trap_log = root / "trap.log"
        self.data = root / "data"
        command = [sys.executable, "-m", "tests.server.trapped_server", str(self.trap_log)]
        command += ["serve", "--port", "0", "--data-dir", str(self.data)]
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={"API_AUTH_TOKEN": SECRET, "PATH": "/usr/bin:/bin"},
        )
        assert self.proc.stdout is not None
        for line in self.proc.stdout:  # ends when the server exits
            if "listening on " in line:
                self.url = line.rsplit("listening on ", 1)[1].strip()
                return
        raise RuntimeError(f"the trapped server exited with {self.proc.wait()}")

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f'Token token="{SECRET}"', **kwargs.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=60, **kwargs)

    def traps(self) -> str:
        return self.trap_log.read_text(encoding="utf-8") if self.trap_log.exists() else ""

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def trapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trapped]:
    server = Trapped(tmp_path_factory.mktemp("trapped"))
    try:
        yield server
    finally:
        server.stop()


def read_routes(doc: str, base: str, widget: str) -> list[str]:
    return [
        f"/api/documents/{doc}/outline.json",  # the PDF's own: no layer twin
        f"/api/documents/{doc}/search?q=quick",  # no layer twin either
        f"{base}/document_info",
        f"{base}/form-fields",
        f"{base}/form-fields/Name",
        f"{base}/form-field-widgets",
        f"{base}/form-field-widgets/{widget}",
        f"{base}/pages/text",
        f"{base}/pages/0/text",
        f"{base}/pages/0/highlighted",
        f"{base}/document.xfdf",
        f"{base}/ocg-layers",
        f"{base}/pages/0/image?width=60",
        f"{base}/pages/0/image?width=60&render_ap_streams=true",
    ]


@pytest.mark.parametrize("layer", ["", "/layers/trapped"])
def test_every_pdf_read_runs_in_a_worker(trapped: Trapped, layer: str) -> None:
    form = form_pdf()
    parts: dict[str, Any] = {
        "file": ("form.pdf", form, "application/pdf"),
        "attachment": ("marks.xfdf", SECOND.encode(), "application/vnd.adobe.xfdf"),
    }
    made = trapped.call("POST", "/api/documents", files=parts)
    assert made.status_code == 200, made.text
    doc = made.json()["data"]["document_id"]
    base = f"/api/documents/{doc}{layer}"
    assert trapped.call("POST", f"{base}/annotations", json={"content": HIGHLIGHT}).ok
    widgets = trapped.call("GET", f"{base}/form-field-widgets").json()["data"]
    answers = {path: trapped.call("GET", path) for path in read_routes(doc, base, widgets[0]["id"])}
    assert {p: a.status_code for p, a in answers.items()} == dict.fromkeys(answers, 200)
    (marked,) = answers[f"{base}/pages/0/highlighted"].json()["data"]
    assert marked["text"].startswith("The quick brown fox jumps")  # read in a worker
    attached = trapped.call("GET", f"/api/documents/{doc}/annotations/second-square")
    assert attached.status_code == 200  # the upload's XFDF, on the default layer
    xfdf = {"instructions": (None, json.dumps(instructions("more"))), "more": ("m", SECOND)}
    assert trapped.call("POST", f"{base}/apply_instructions", files=xfdf).status_code == 200
    assert trapped.call("GET", f"{base}/pdf").content.startswith(b"%PDF-")
    copied = trapped.call("POST", f"{base}/copy_with_instant_json", files={})
    assert copied.status_code == 200, copied.text
    assert trapped.traps() == ""  # nothing opened a PDF in the server's process
    assert trapped.proc.poll() is None


def test_the_trap_catches_a_pdf_opened_in_the_server(tmp_path: Path) -> None:
    """The trap itself: the same module run as a program traps an open (and not a new PDF)."""
    log = tmp_path / "trap.log"
    script = (
        "import sys, pymupdf; "
        "from tests.server.trapped_server import trap; from pathlib import Path; "
        "trap(Path(sys.argv[1])); pymupdf.open().close(); pymupdf.open(stream=b'%PDF-1.4')"
    )
    ran = subprocess.run([sys.executable, "-c", script, str(log)], cwd=ROOT, capture_output=True)
    assert b"opened a PDF in the server's own process" in ran.stderr
    assert log.read_text(encoding="utf-8").splitlines().count("----") == 1  # one open


def test_a_pdf_that_crashed_the_reader_is_refused_by_every_read(trapped: Trapped) -> None:
    """The deep page tree reads well (MuPDF finds its one page) but crashes the writer: once
    it has, every read of it is a 422 at once, and the server answers on."""
    with LayerEngine(trapped.data) as engine:  # stored before uploads were checked
        deep = engine.add_document(
            deep_page_tree_pdf(70_000), records=[], page_count=1, file_name="deep.pdf"
        )
    base = f"/api/documents/{deep.id}"
    assert trapped.call("GET", f"{base}/pages/0/text").json() == {"textLines": []}
    assert "crashed the PDF reader" in refused(trapped.call("GET", f"{base}/pdf"))
    for path in read_routes(deep.id, base, "w"):
        if path.endswith("/highlighted"):
            continue  # no highlight on it: nothing to read
        assert "refused at once" in refused(trapped.call("GET", path)), path
    assert trapped.call("GET", "/healthz").json() == {"status": "ok"}
    assert trapped.proc.poll() is None and trapped.traps() == ""
