"""The render server process: what it tells of its renders, and the pages it weighs unasked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from reviewer_app.pdf.annotations import CONVERTERS
from reviewer_app.pdf.outline import outline
from reviewer_app.pdf.render import LAYER_SUBTYPES
from reviewer_app.pdf.render_worker import read_message, write_message
from tests.conftest import modules_loaded_by
from tests.pdf import cases


def _pdf(path: Path, pages: int, lines: int) -> Path:
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page(width=300, height=400)
        for line in range(lines + index % 3):
            page.insert_text((30, 40 + line * 14), f"{index}: line {line}", fontsize=9)
    doc.save(path)
    return path


class Worker:
    def __init__(self) -> None:
        command = [sys.executable, "-m", "reviewer_app.pdf.render_worker"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        write_message(self.process.stdin, message)

    def until(self, op: str) -> dict[str, Any]:
        assert self.process.stdout is not None
        while (message := read_message(self.process.stdout)) is not None:
            if message["op"] == op:
                return message
        raise AssertionError(f"the worker ended before a {op!r} reply")

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.stdout.close()


@pytest.fixture
def worker() -> Iterator[Worker]:
    started = Worker()
    yield started
    started.close()


def test_replies_carry_the_newest_generation(worker: Worker, tmp_path: Path) -> None:
    first = _pdf(tmp_path / "first.pdf", pages=2, lines=5)
    second = _pdf(tmp_path / "second.pdf", pages=3, lines=8)
    worker.send({"op": "open", "path": str(first), "generation": 1})
    worker.until("opened")
    worker.send({"op": "open", "path": str(second), "generation": 2})
    opened = worker.until("opened")
    assert (opened["generation"], opened["pages"]) == (2, 3)
    worker.send({"op": "want", "channel": "view", "keys": [(1, 2.0, 0, 0)]})
    tile = worker.until("tile")
    assert (tile["width"], tile["height"]) == (600, 800)  # of the second PDF's page
    assert tile["generation"] == 2


def test_the_worker_reads_the_form_for_the_window(worker: Worker, tmp_path: Path) -> None:
    """The window's form fields come from the worker (no PyMuPDF work in the window's
    process): their places, alignment (/Q) and comb cells; a PDF without a form has none."""
    form = tmp_path / "form.pdf"
    form.write_bytes(cases.form_layouts())
    worker.send({"op": "open", "path": str(form), "password": None, "generation": 3})
    worker.send({"op": "fields"})
    reply = worker.until("fields")
    assert reply["error"] == "" and reply["generation"] == 3
    widgets = {w.name: w for w in reply["widgets"]}
    assert {n: w.align for n, w in widgets.items()} == {
        "centred": "center",
        "right": "right",
        "lines": "left",
        "comb": "left",
    }
    assert widgets["comb"].comb and widgets["comb"].max_length == 6
    assert widgets["centred"].rect == pytest.approx((60, 100, 240, 22))
    assert widgets["lines"].pdf_value == "line one\rline two\rline three"
    plain = _pdf(tmp_path / "plain.pdf", 1, 3)
    worker.send({"op": "open", "path": str(plain), "password": None, "generation": 4})
    worker.send({"op": "fields"})
    assert worker.until("fields")["widgets"] == []


def test_asked_for_its_outline_the_open_reply_carries_what_the_sandbox_job_reads(
    worker: Worker, tmp_path: Path
) -> None:
    """The app's first PDF is read by the render worker: the same sizes, rotations and
    outline as the PDF sandbox's ``outline`` job; without ``outline`` only the page count."""
    path = _pdf(tmp_path / "turned.pdf", pages=3, lines=2)
    doc = pymupdf.open(path)
    doc[1].set_rotation(90)
    doc.set_toc([[1, "Start", 1], [2, "Turned", 2]])
    doc.saveIncr()
    doc.close()
    worker.send({"op": "open", "path": str(path), "generation": 1, "outline": True})
    opened = worker.until("opened")
    sizes, rotations, toc = outline(path, None, path.name)
    assert (opened["sizes"], opened["rotations"], opened["toc"]) == (sizes, rotations, toc)
    assert opened["rotations"] == [0, 90, 0] and opened["sizes"][1] == (400.0, 300.0)
    assert opened["toc"] == [[1, "Start", 1], [2, "Turned", 2]] and opened["pages"] == 3
    worker.send({"op": "open", "path": str(path), "generation": 2})
    assert "sizes" not in worker.until("opened")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"no PDF here " * 50)
    worker.send({"op": "open", "path": str(junk), "generation": 3, "outline": True})
    error = worker.until("error")
    assert "junk.pdf" in error["message"] and error["generation"] == 3


def test_the_worker_draws_pages_without_instants_modules() -> None:
    """Its first tile waits for its imports: PyMuPDF, not the annotation converters and
    Instant's validation (about as long again). The subtypes it leaves to the layers are the
    converters' own."""
    among = (
        "reviewer_app.instant",
        "reviewer_app.pdf.annotations",
        "reviewer_app.pdf.form_widgets",
    )
    assert modules_loaded_by("import reviewer_app.pdf.render_worker", among) == []
    assert set(CONVERTERS) == LAYER_SUBTYPES
