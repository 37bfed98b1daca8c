"""The app's first PDF is read by the render worker that draws it (its ``opened`` reply carries
the page sizes, rotations and outline), so no PDF sandbox worker starts before page 1 is on
screen. What the sandbox guarantees still holds: a PDF it cannot read gets its clear error, a
PDF that crashes a worker is said to and remembered, and a remembered one is refused at once,
without the render worker being asked."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.pdf import sandbox
from reviewer_app.pdf.sandbox import REMEMBERED_FILE, PdfSandbox, shared_sandbox
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session import opening
from tests.pdf import sandbox_jobs
from tests.ui.conftest import make_pdf
from tests.ui.test_staged_start import staged


@pytest.fixture
def own_sandbox(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[PdfSandbox]:
    """The program's sandbox, fresh (no worker yet) and remembering in the test's folder,
    its jobs noted in ``jobs``."""
    fresh = PdfSandbox(workers=1, remembered=tmp_path / REMEMBERED_FILE)
    fresh.jobs = []  # type: ignore[attr-defined]
    run = fresh.run

    def noted(job: Any, *args: Any, **kwargs: Any) -> Any:
        fresh.jobs.append(job.__name__)  # type: ignore[attr-defined]
        return run(job, *args, **kwargs)

    monkeypatch.setattr(fresh, "run", noted)
    monkeypatch.setattr(sandbox, "_shared", fresh)
    yield fresh
    fresh.close()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append(text))
    return said


def test_the_first_pdf_is_shown_before_any_pdf_worker_starts(
    qtbot: QtBot, engine: LayerEngine, tmp_path: Path, own_sandbox: PdfSandbox
) -> None:
    pdf = make_pdf(tmp_path / "six.pdf", pages=6)
    window = staged(qtbot, engine, pdf)
    at_sharp: list[tuple[list[str], object]] = []  # the sandbox's jobs, its worker context
    window.view.page_sharp.connect(
        lambda _: at_sharp.append((list(own_sandbox.jobs), own_sandbox._context))  # type: ignore[attr-defined]
    )
    qtbot.waitUntil(lambda: bool(at_sharp), timeout=15000)
    assert at_sharp[0] == ([], None)  # no job, no worker process started
    assert window.view.page_count() == 6 and window.client.document == (str(pdf), None)
    qtbot.waitUntil(lambda: window.built and window.document is not None, timeout=15000)
    assert window.opened is not None and window.opened.path == pdf
    assert len(window.opened.sizes) == 6 and window.opened.rotations == [0] * 6
    assert window.thumbnails.model.rowCount() == 6
    assert own_sandbox.jobs == ["extract"]  # the import into the engine, after the first page


def test_a_first_file_that_is_no_pdf_gets_the_sandboxs_clear_error(
    qtbot: QtBot, engine: LayerEngine, tmp_path: Path, own_sandbox: PdfSandbox, messages: list[str]
) -> None:
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a PDF at all, " * 100)
    window = staged(qtbot, engine, junk)
    with qtbot.waitSignal(window.opening.not_opened, timeout=15000):
        pass
    assert own_sandbox.jobs == ["outline"]  # the renderer could not: the sandbox says why
    assert len(messages) == 1 and messages[0].startswith("junk.pdf cannot be opened.")
    assert "damaged PDF" in messages[0] or "not a PDF" in messages[0]
    assert window.client.document is None and window.view.page_count() == 0
    qtbot.waitUntil(lambda: window.built)  # the rest of the window comes all the same


def test_a_first_pdf_that_kills_the_renderer_is_read_by_the_sandbox_which_remembers_a_crash(
    qtbot: QtBot,
    engine: LayerEngine,
    tmp_path: Path,
    own_sandbox: PdfSandbox,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The render worker dies reading the first PDF (SIGSEGV sent to it before it reads the
    request, as a crash in MuPDF would end it); the sandbox then reads the PDF, and its worker
    crashes too (a job that dies as MuPDF would: no PDF here crashes MuPDF on purpose)."""
    pdf = make_pdf(tmp_path / "bad.pdf", pages=2)
    ran, read = tmp_path / "ran", opening.read_outline

    def crashing_read(path: Path, password: str | None) -> Any:
        if path != pdf:
            return read(path, password)
        return shared_sandbox().run(sandbox_jobs.crash, path.read_bytes(), str(ran))

    monkeypatch.setattr(opening, "read_outline", crashing_read)
    window = MainWindow(engine, None, staged=True)
    qtbot.addWidget(window)
    window.show()
    worker = window.client.pid
    os.kill(worker, signal.SIGSTOP)  # it reads nothing until it is gone
    window.open_file(pdf)
    os.kill(worker, signal.SIGSEGV)
    os.kill(worker, signal.SIGCONT)
    with qtbot.waitSignal(window.opening.not_opened, timeout=30000):
        pass
    assert ran.read_text() == "ran\n"  # the sandbox's worker was asked once
    assert len(messages) == 1 and "bad.pdf cannot be opened" in messages[0]
    assert "this PDF could not be processed: it crashed the PDF reader" in messages[0]
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    remembered = (tmp_path / REMEMBERED_FILE).read_text()
    assert remembered.startswith(f"{digest} it crashed the PDF reader (a segmentation fault)")
    client = window.client
    assert client.pid != worker and client.process.poll() is None  # a fresh worker waits
    assert client.document is None  # the PDF was not sent to it again
    assert not window.view.banner.isVisible()  # one message, not a second in a banner
    window.close()

    again = MainWindow(engine, None, staged=True)  # the next start, same data folder
    qtbot.addWidget(again)
    again.show()
    with qtbot.waitSignal(again.opening.not_opened, timeout=15000):
        again.open_file(pdf)
    assert "refused at once: this PDF was seen before" in messages[1]
    assert again.client.document is None  # the render worker was not asked
    assert ran.read_text() == "ran\n"
    other = make_pdf(tmp_path / "other.pdf", pages=3)
    again.open_file(other)  # (read by the sandbox: the real outline job)
    qtbot.waitUntil(lambda: again.view.page_count() == 3, timeout=15000)
