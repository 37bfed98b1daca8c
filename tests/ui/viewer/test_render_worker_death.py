"""The render worker dying, as a crash in MuPDF would kill it (the test sends the signal to the
real worker process): the viewer starts another and draws the pages again, once; a PDF shown
during two deaths is refused, at once when opened again; a banner over the pages says what
happened; the window stays up and other PDFs open as usual."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.viewer.worker_deaths import WorkerDeaths, what_happened
from tests.ui.conftest import make_pdf, open_and_wait


def crash(qtbot: QtBot, window: MainWindow) -> int:
    """Kill the worker with SIGSEGV and wait until the viewer has handled its death."""
    client, old = window.client, window.client.pid
    with qtbot.waitSignal(client.trouble, timeout=15000):
        os.kill(old, signal.SIGSEGV)
    return old


def test_a_dead_worker_is_replaced_and_the_pages_drawn_again(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    old = crash(qtbot, window)
    client, banner = window.client, window.view.banner
    assert client.pid != old and client.process.poll() is None
    assert banner.isVisible()
    assert "stopped (a segmentation fault) and was started again" in banner.text()
    with qtbot.waitSignal(client.tile_ready, timeout=15000):  # drawn by the new worker
        window.viewer_actions.last_page.trigger()
    qtbot.waitUntil(lambda: 11 in window.view.rendered_pages, timeout=15000)
    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()


def test_a_pdf_that_kills_the_worker_twice_is_refused(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    crash(qtbot, window)
    qtbot.waitUntil(lambda: window.client.reader.replies > 0, timeout=15000)  # shown again
    crash(qtbot, window)
    banner = window.view.banner
    assert banner.isVisible() and "no longer drawn" in banner.text()
    assert "This PDF stopped the page renderer twice (a segmentation fault)" in banner.text()
    assert window.client.process.poll() is None  # a fresh worker waits for the next PDF
    assert window.isVisible()
    pid = window.client.pid
    with qtbot.waitSignal(window.client.trouble, timeout=15000) as said:
        window.open_file(sample_pdf)  # opened again: refused at once, no worker asked
    assert said.args[0].startswith("This PDF's pages cannot be shown: it stopped the page")
    assert "twice before (a segmentation fault)" in said.args[0]
    assert window.client.pid == pid and window.client.process.poll() is None
    other = make_pdf(tmp_path / "other.pdf", pages=3)
    open_and_wait(qtbot, window, other)
    assert not banner.isVisible()  # the next PDF is shown as usual
    assert window.client.pid == pid


def test_workers_that_die_before_answering_are_not_started_for_ever() -> None:
    deaths = WorkerDeaths()
    assert deaths.died(-signal.SIGSEGV, answered=True) is None
    assert deaths.died(-signal.SIGSEGV, answered=False) is None
    assert deaths.died(-signal.SIGSEGV, answered=False) is None
    given_up = deaths.died(-signal.SIGSEGV, answered=False)
    assert given_up == (
        "The page renderer cannot be started (a segmentation fault), so no page can be shown."
    )
    assert what_happened(3) == "exit code 3"
    assert what_happened(-signal.SIGKILL) == "it was killed, perhaps for want of memory"
