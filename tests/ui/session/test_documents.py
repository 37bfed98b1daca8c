"""Opening awkward files (passwords, broken PDFs); the outline, thumbnail and bookmark docks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from reviewer_app.importing import import_pdf_bytes
from reviewer_app.resources import sample_document
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.navigation.docks import PAGE_ROLE
from tests.conftest import corpus_file
from tests.ui.conftest import make_pdf, open_and_wait


def test_password_dialog_asks_again_after_a_wrong_password(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_pdf(tmp_path / "locked.pdf", pages=3, password="secret")
    answers = iter(["wrong", "secret"])
    labels: list[str] = []

    def get_text(parent: object, title: str, label: str, *args: object) -> tuple[str, bool]:
        labels.append(label)
        return next(answers), True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    open_and_wait(qtbot, window, path)
    assert len(labels) == 2 and "does not open" in labels[1]
    assert window.view.page_count() == 3


def test_cancelled_password_opens_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_pdf(tmp_path / "locked.pdf", pages=2, password="secret")
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("", False))
    with qtbot.waitSignal(window.opening.not_opened, timeout=15000):
        window.open_file(path)
    assert window.view.page_count() == 0


@pytest.mark.parametrize("name", ["truncated.pdf", "random-bytes.pdf"])
def test_broken_file_gives_a_message_and_the_app_stays_up(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    path = corpus_file(name)
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: messages.append(text))
    with qtbot.waitSignal(window.opening.not_opened, timeout=15000):
        window.open_file(path)
    assert len(messages) == 1 and name in messages[0]
    open_and_wait(qtbot, window, sample_pdf)


def test_outline_entries_navigate_and_untitled_ones_are_named(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_and_wait(qtbot, window, corpus_file("outline-without-title.pdf"))
    tree = window.outline.tree
    items = []
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        items.append(item)
        stack += [item.child(i) for i in range(item.childCount())]
    assert "(untitled)" in [item.text(0) for item in items]
    target = max(items, key=lambda item: item.data(0, PAGE_ROLE))
    assert target.data(0, PAGE_ROLE) > 0
    tree.itemActivated.emit(target, 0)
    assert window.view.current_page() == target.data(0, PAGE_ROLE)


def test_thumbnails_render_lazily_and_navigate(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    model = window.thumbnails.model
    qtbot.waitUntil(lambda: 0 in model.rendered, timeout=10000)
    assert len(model.rendered) < model.rowCount()
    window.thumbnails.list.clicked.emit(model.index(5))
    assert window.view.current_page() == 5


def test_layer_bookmarks_navigate(qtbot: QtBot, window: MainWindow, sample_pdf: Path) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    bookmark = {
        "v": 1,
        "type": "pspdfkit/bookmark",
        "name": "Needle",
        "action": {"type": "goTo", "pageIndex": 6},
    }
    window.engine.create_records(window.document.id, "", "bookmark", [bookmark])
    window.set_layer("")
    entries = window.bookmarks.list
    assert entries.count() == 1 and entries.item(0).text().startswith("Needle")
    entries.itemActivated.emit(entries.item(0))
    assert window.view.current_page() == 6


def test_a_pdf_kept_in_the_data_folder_is_named_by_its_title(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A document downloaded from a server is stored under its SHA-256: the title bar and
    Open Recent named it "87f772d1…7e.pdf"; they show the PDF's title instead."""
    data = sample_document().read_bytes()
    document, _ = import_pdf_bytes(window.engine, data, shown_as="76Y4Y7W9.pdf")  # as sync does
    stored = window.engine.pdf_path(document.id)
    open_and_wait(qtbot, window, stored)
    assert window.windowTitle().startswith("The water cycle: a worksheet — ")
    window.recent_menu.fill()
    assert [a.text() for a in window.recent_menu.actions()] == ["The water cycle: a worksheet"]
    open_and_wait(qtbot, window, sample_document())  # a file of one's own: its file name
    assert window.windowTitle().startswith("sample-worksheet.pdf — ")
