"""UI test fixtures: settings in a temporary INI file, generated PDFs, no leftover workers."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.engine import LayerEngine
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.core.tasks import running_tasks
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.tools.clipboard import release_clipboard
from reviewer_app.ui.viewer.render_client import RenderClient

NEEDLE_PAGES = (2, 6)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform warns that it cannot propagate size hints: not our problem."""
    ignore = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(ignore)


@pytest.fixture(autouse=True)
def settings_in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Every QSettings the app opens lives under the test's temporary folder."""
    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture(autouse=True, scope="session")
def clipboard_released() -> Iterator[None]:
    """What the app does when it ends: no annotations left on the clipboard (PySide6 crashes
    at exit while the clipboard holds a QMimeData made in Python)."""
    yield
    if QApplication.instance() is not None:
        release_clipboard()


@pytest.fixture(autouse=True)
def no_leftover_workers() -> Iterator[None]:
    """Fail a test that leaves a render worker process running (after its windows closed)."""
    yield
    leftovers = list(RenderClient.live)
    for client in leftovers:
        client.shutdown()
    assert not leftovers, f"render workers left running: {[c.pid for c in leftovers]}"


STUCK_DIALOG_SECONDS = 10


@pytest.fixture(autouse=True)
def no_stuck_dialog(qtbot: QtBot) -> Iterator[None]:
    """A modal dialog nobody answers would hang the whole run: one left open this long is
    closed and fails the test, naming it (a test that answers its dialogs does so at once).
    A progress dialog asks nothing: it closes when its work ends, however long a loaded
    machine takes, so it is left to the test's own wait."""
    seen: dict[int, float] = {}
    stuck: list[str] = []

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None or isinstance(modal, QProgressDialog):
            seen.clear()
            return
        first = seen.setdefault(id(modal), time.monotonic())
        if time.monotonic() - first > STUCK_DIALOG_SECONDS:
            text = modal.text() if isinstance(modal, QMessageBox) else ""
            stuck.append(f"{type(modal).__name__} {modal.windowTitle()!r} {text!r}")
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()

    watchdog = QTimer(interval=500)
    watchdog.timeout.connect(look)
    watchdog.start()
    yield
    watchdog.stop()
    assert not stuck, f"a modal dialog nobody answered: {stuck}"


@pytest.fixture(autouse=True)
def no_leftover_tasks(qtbot: QtBot) -> Iterator[None]:
    """Fail a test whose background tasks are still running a while after it ended (a task
    the window abandoned must still end by itself once its work returns)."""
    yield
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: not running_tasks(), timeout=10000)
    left = [task.name for task in running_tasks()]
    assert not left, f"background tasks left running: {left}"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[LayerEngine]:
    with LayerEngine(tmp_path / "data") as layer_engine:
        yield layer_engine


@pytest.fixture
def window(qtbot: QtBot, engine: LayerEngine) -> MainWindow:
    main = MainWindow(engine, ViewerSettings())
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def largest_difference(a: QImage, b: QImage) -> int:
    """The largest difference of one channel (alpha included) between two images' pixels."""
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    assert a.size() == b.size()
    return max(abs(x - y) for x, y in zip(bytes(a.constBits()), bytes(b.constBits()), strict=True))


def make_pdf(path: Path, pages: int = 12, password: str | None = None) -> Path:
    """A text PDF: "Page N" on each page, "needle" on NEEDLE_PAGES, an outline, a highlight."""
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page(width=420, height=595)
        page.insert_text((72, 90), f"Page {index + 1} of the test document", fontsize=14)
        page.insert_text((72, 130), "Some words to select and copy here.", fontsize=12)
        if index in NEEDLE_PAGES:
            page.insert_text((72, 300), "a needle in the haystack", fontsize=12)
    doc[1].add_highlight_annot(doc[1].search_for("Some words")[0])
    doc.set_toc([[1, "Start", 1], [1, "Middle", pages // 2], [2, "Deeper", pages // 2 + 1]])
    options = {}
    if password:
        options = {"encryption": pymupdf.PDF_ENCRYPT_AES_256, "user_pw": password, "owner_pw": "o"}
    doc.save(path, **options)
    return path


@pytest.fixture
def sample_pdf(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "sample.pdf")


def layer_read(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the layer asked for is shown: a big one is read on a task first."""
    qtbot.waitUntil(lambda: not window.reading.pending(), timeout=15000)


def open_and_wait(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    """Open ``path`` and wait until it is imported and its first visible page is drawn sharp."""
    with qtbot.waitSignal(window.opening.opened, timeout=15000):
        window.open_file(path)  # returns at once: the pages are read on a task
    qtbot.waitUntil(lambda: window.document is not None, timeout=15000)
    qtbot.waitUntil(lambda: window.view.current_page() in window.view.rendered_pages, timeout=15000)


def when_modal(kind: type, answer: Callable[[QWidget], None]) -> QTimer:
    """Once a modal window of ``kind`` is up (it runs its own event loop), ``answer`` it."""
    timer = QTimer(interval=20)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            timer.stop()
            answer(dialog)

    timer.timeout.connect(look)
    timer.start()
    return timer
