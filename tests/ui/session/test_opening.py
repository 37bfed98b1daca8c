"""Opening a PDF does not stop the window: its pages are read on a task, then shown; a file
opened meanwhile, or the window closed, drops the earlier read."""

from __future__ import annotations

import threading
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.engine import BASE
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.opening import OpenedPdf
from tests.ui.conftest import layer_read, make_pdf, open_and_wait


def test_open_returns_at_once_says_so_and_shows_the_pages_when_read(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = make_pdf(tmp_path / "five.pdf", pages=5)
    with qtbot.waitSignal(window.opening.opened, timeout=15000) as shown:
        window.open_file(path)
        assert window.view.page_count() == 0  # not read yet: the event loop runs meanwhile
        assert window.opening.opening() and window.opening.busy.isVisibleTo(window)
        assert window.statusBar().currentMessage() == "Opening five.pdf…"
    opened = shown.args[0]
    assert isinstance(opened, OpenedPdf) and opened.path == path
    assert window.view.page_count() == 5 and window.opened is opened
    assert not window.opening.opening() and not window.opening.busy.isVisibleTo(window)
    assert window.statusBar().currentMessage() == ""
    assert "five.pdf" in window.windowTitle()


def test_a_file_opened_meanwhile_wins_and_the_earlier_read_is_dropped(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    first, second = make_pdf(tmp_path / "a.pdf", pages=3), make_pdf(tmp_path / "b.pdf", pages=7)
    shown: list[Path] = []
    window.opening.opened.connect(lambda opened: shown.append(opened.path))
    window.open_file(first)
    earlier = window.opening.task
    assert earlier is not None
    with qtbot.waitSignal(window.opening.opened, timeout=15000):
        window.open_file(second)
    qtbot.waitUntil(lambda: earlier.done, timeout=15000)  # its result came back and was dropped
    qtbot.wait(0)  # the event loop runs once more: nothing is shown late
    assert shown == [second]
    assert window.view.page_count() == 7 and window.opened is not None
    assert window.opened.path == second
    qtbot.waitUntil(lambda: window.document is not None, timeout=15000)
    assert window.document is not None and window.document.file_name == "b.pdf"


def test_closing_the_window_while_a_file_is_read_shows_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    ended: list[object] = []
    window.opening.opened.connect(ended.append)
    window.opening.not_opened.connect(ended.append)
    window.open_file(make_pdf(tmp_path / "late.pdf", pages=4))
    task = window.opening.task
    assert task is not None
    window.close()
    qtbot.waitUntil(lambda: task.done or not task.running(), timeout=15000)
    qtbot.wait(0)
    assert ended == [] and messages == []
    assert window.view.page_count() == 0 and window.opened is None


def test_a_file_that_cannot_be_read_is_a_message_after_the_read(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    missing = tmp_path / "gone.pdf"
    with qtbot.waitSignal(window.opening.not_opened, timeout=15000) as refused:
        window.open_file(missing)
        assert messages == []  # said once the task has tried
    assert refused.args[0] == missing
    assert len(messages) == 1 and "gone.pdf cannot be opened" in messages[0]
    assert "No such file" in messages[0]
    assert not window.opening.busy.isVisibleTo(window)


def annotated(path: Path, count: int, pages: int) -> Path:
    """``count`` square annotations spread over ``pages`` pages."""
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page()
        for i in range(count // pages):
            x, y = 20 + (i % 10) * 55, 100 + (i // 10) * 60
            page.add_rect_annot(pymupdf.Rect(x, y, x + 40, y + 40)).update()
    doc.save(path)
    return path


def test_the_base_layer_is_read_and_keyed_on_the_import_task(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page overlay asks for the base layer's annotations by key: the import made them,
    so the UI thread reads nothing of the base layer to draw the pages."""
    import threading

    from reviewer_app.engine import BASE

    readers: list[threading.Thread] = []
    records = window.engine.records

    def noted(document_id: str, layer: str, *args: object, **kwargs: object) -> object:
        if layer == BASE:
            readers.append(threading.current_thread())
        return records(document_id, layer, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(window.engine, "records", noted)
    open_and_wait(qtbot, window, annotated(tmp_path / "marked.pdf", 40, pages=2))
    layer_read(qtbot, window)
    assert window.overlay.record_count() == 40
    base = window.context.base_records()
    assert len(base) == 40 and all(key[0] == "annotation" for key in base)
    assert readers and threading.main_thread() not in readers


def test_a_document_closed_while_it_is_imported_leaves_nothing_of_it_behind(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Another file opened while the first is still being imported: the first import's
    result (its document, its base layer's annotations) never reaches the window."""
    first = annotated(tmp_path / "first.pdf", 60, pages=3)
    second = make_pdf(tmp_path / "second.pdf", pages=4)
    with qtbot.waitSignal(window.opening.opened, timeout=15000):
        window.open_file(first)
    window.importer.page_sharp()  # the import starts now, not once the first page is sharp
    importing = window.importer.task
    assert importing is not None and not importing.done
    open_and_wait(qtbot, window, second)
    qtbot.waitUntil(lambda: importing.done or importing.cancelled, timeout=15000)
    layer_read(qtbot, window)
    assert window.document is not None and window.opened is not None
    assert window.opened.path == second and window.view.page_count() == 4
    shown = window.engine.records(window.document.id, BASE, "annotation")  # the second's own
    assert len(shown) < 60 and window.overlay.record_count() == len(shown)
    assert set(window.context.base_records()) == {r.key for r in shown}
