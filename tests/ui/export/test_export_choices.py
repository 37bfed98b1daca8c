"""The Export dialog as a teacher uses it: tick the students, flatten with a comments summary,
then open the folder the PDFs went to."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.ui.export.dialog import PdfExport
from reviewer_app.ui.export.options import ExportOptions, LayerChoice, layer_choices
from reviewer_app.ui.export.run import ExportRequest
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait


def note(page: int, words: str) -> dict[str, object]:
    return {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": page,
        "bbox": [60, 200, 24, 24],
        "opacity": 1,
        "icon": "comment",
        "color": "#ffd54f",
        "creatorName": "Ms Okafor",
        "text": {"format": "plain", "value": words},
    }


def three_students(window: MainWindow) -> None:
    doc = window.document
    assert doc is not None
    for name, words in (("alice", "Units?"), ("bob", "Good"), ("carol", "See me")):
        window.engine.create_records(doc.id, name, "annotation", [note(1, words)])
    window.review.refresh_layers()


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click a check box where a user does: on its box, at its left end."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def options(choices: list[LayerChoice], current: str = "bob") -> ExportOptions:
    return ExportOptions(choices, current)


def test_every_layer_is_ticked_but_a_default_layer_with_nothing_of_its_own(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    three_students(window)
    rows, pending = window.review.layers.rows, window.review.layers.pending
    choices = layer_choices(rows, {"alice": 1, "bob": 1, "carol": 1}, pending)
    assert [(c.name, c.ticked) for c in choices] == [
        ("", False),
        ("alice", True),
        ("bob", True),
        ("carol", True),
    ]
    assert "same as the PDF" in choices[0].details and "1 annotation" not in choices[0].details
    changed = layer_choices(rows, {"": 2, "alice": 1}, pending)
    assert [c.name for c in changed if c.ticked] == ["", "alice", "bob", "carol"]


def test_select_all_none_and_only_the_current_layer(qtbot: QtBot) -> None:
    dialog = options([LayerChoice("", "", False), LayerChoice("alice"), LayerChoice("bob")])
    qtbot.addWidget(dialog)
    assert dialog.chosen() == ["alice", "bob"] and dialog.count.text() == "2 of 3 layers"
    qtbot.mouseClick(dialog.select_none, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == [] and not dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.only_current, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == ["bob"] and dialog.ok.isEnabled()
    assert dialog.layers.currentItem().font().bold()  # the layer shown in the window
    qtbot.mouseClick(dialog.select_all, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == ["", "alice", "bob"] and dialog.count.text() == "3 of 3 layers"
    dialog.layers.setFocus()
    dialog.layers.setCurrentRow(1)
    qtbot.keyClick(dialog.layers, Qt.Key.Key_Space)  # the keyboard unticks a row too
    assert dialog.chosen() == ["", "bob"]


def test_the_summary_follows_flatten_until_the_user_sets_it(qtbot: QtBot) -> None:
    dialog = options([LayerChoice("alice")])
    qtbot.addWidget(dialog)
    assert not dialog.flatten.isChecked() and not dialog.summary.isChecked()
    tick(qtbot, dialog.flatten)
    assert dialog.summary.isChecked()  # a flattened note keeps only its icon: on by default
    tick(qtbot, dialog.flatten)
    assert not dialog.summary.isChecked()
    tick(qtbot, dialog.flatten)
    tick(qtbot, dialog.summary)  # the user says no
    assert not dialog.summary.isChecked()
    tick(qtbot, dialog.flatten)
    tick(qtbot, dialog.flatten)
    assert dialog.flatten.isChecked() and not dialog.summary.isChecked()


def test_export_the_ticked_students_then_open_their_folder(
    qtbot: QtBot,
    window: MainWindow,
    sample_pdf: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QDesktopServices.openUrl is replaced (no desktop runs here to open a folder): the only
    stand-in of the test, which checks the folder the app asks the desktop to show."""
    open_and_wait(qtbot, window, sample_pdf)
    three_students(window)
    folder = tmp_path / "marked"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    seen: list[list[str]] = []

    def untick_bob_and_flatten() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ExportOptions)
        seen.append(dialog.chosen())
        dialog.layers.setFocus()
        dialog.layers.setCurrentRow(dialog.chosen().index("bob") + 1)
        qtbot.keyClick(dialog.layers, Qt.Key.Key_Space)
        tick(qtbot, dialog.flatten)
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, untick_bob_and_flatten)
    window.review.actions.export_pdfs.trigger()
    export = window.review.export
    assert export is not None and seen == [["alice", "bob", "carol"]]
    with qtbot.waitSignal(export.ended, timeout=60000):
        pass
    assert sorted(p.name for p in folder.iterdir()) == ["alice.pdf", "carol.pdf"]
    with pymupdf.open(folder / "carol.pdf") as pdf:
        assert pdf.page_count == 13 and not any(list(page.annots()) for page in pdf)
        summary = pdf[12].get_text()
    assert "sample.pdf" in summary and "Layer: carol" in summary
    assert "See me" in summary and "Ms Okafor" in summary and "Page 2" in summary
    box = export.result_box
    assert box is not None and box.isVisible() and "2 PDFs written to" in box.text()
    assert export.open_folder_button is not None
    qtbot.mouseClick(export.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(folder))]
    assert window.statusBar().currentMessage() == export.message


def test_open_folder_says_where_the_pdfs_are_when_no_file_manager_answers(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QDesktopServices.openUrl is replaced (no desktop runs here): it answers "not opened",
    as it does on a machine without a file manager."""
    parent = QWidget()
    qtbot.addWidget(parent)
    export = PdfExport(parent, ExportRequest(tmp_path, "doc", ("alice",), tmp_path / "out"))
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    said: list[str] = []
    timer = QTimer(interval=20)

    def answer() -> None:
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                timer.stop()
                said.append(box.text())
                box.accept()

    timer.timeout.connect(answer)
    timer.start()
    assert export.open_folder() is False
    assert said and said[0].endswith(f"The PDFs are in {tmp_path / 'out'}")
    export.dialog.close()
