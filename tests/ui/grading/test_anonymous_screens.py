"""With Anonymous Grading on, no window, dialog, tooltip, status bar message or undo step
names a student: every text on screen is read while the teacher prints, returns the papers,
forks, deletes, exports and undoes a merge. The files keep the real names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grades import mark_content
from reviewer_app.ui.export.return_all import ReturnOptions
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.class_import import import_class_in_background
from tests.server.conftest import note
from tests.ui.conftest import when_modal
from tests.ui.grading.screen_texts import every_dock_texts, names_in, screen_texts
from tests.ui.grading.test_anonymous_names import student_highlight
from tests.ui.grading.test_grading_ui import STUDENTS, grading

__all__ = ["grading"]


def no_names_on_screen(qtbot: QtBot, window: MainWindow, where: str) -> None:
    """Once the window has caught up (lists are filled a turn later), no text of any window,
    with each dock in front in turn, says a student's name."""
    said: list[str] = []

    def clean() -> bool:
        said[:] = names_in(every_dock_texts(window), STUDENTS)
        return not said

    try:
        qtbot.waitUntil(clean, timeout=3000)
    except AssertionError:
        raise AssertionError(f"{where}: a student's name on screen: {said}") from None


class Seen:
    """The screen read while a modal dialog was up, then the dialog answered."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def read(self, dialog: QWidget) -> None:
        self.texts = screen_texts()
        assert self.texts, "nothing was read"


def test_no_student_name_on_screen_while_names_are_hidden(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = grading
    doc = window.document
    assert doc is not None
    student_highlight(window, "amy")  # amy's own highlight and comment: she is their author
    ben_note = note(0, 300, "My answer", id="01HZBEN0000000000000000000", creatorName="ben")
    window.engine.create_records(doc.id, "ben", "annotation", [ben_note])
    window.engine.create_records(
        doc.id, "cat", "annotation", [mark_content("q1", 0, 70, 70, points=2)]
    )
    window.review.refresh_layers()
    window.grading.actions.anonymous.trigger()
    alias = {s: window.context.names.title(s) for s in STUDENTS}
    said: list[str] = []  # what the status bar is given
    window.context.message.connect(lambda text, _ms: said.append(text))
    assert sorted(alias.values()) == ["Student 1", "Student 2", "Student 3"]
    no_names_on_screen(qtbot, window, "amy shown")

    # amy resolved her own thread: the Comments dock says who, by her number
    root = "01HZROOT00000000000000000A"  # student_highlight's
    resolved = window.engine.set_thread_state(doc.id, "amy", root, "resolved", by="amy")
    window.context.changes.record_change(resolved)
    window.context.open_thread(root)
    heading = window.comments.heading
    qtbot.waitUntil(lambda: "Resolved by" in heading.text(), timeout=5000)
    assert f"Resolved by {alias['amy']}" in heading.text()
    no_names_on_screen(qtbot, window, "amy's resolved thread")

    # Undo names a merge's source: "Undo Copy from 'Student N'"
    window.set_layer("ben")
    change = window.engine.copy_records(doc.id, "amy", "ben")
    window.context.changes.record_change(change)
    window.editor.history_changed.emit()
    assert window.viewer_actions.undo.text() == f"&Undo Copy from '{alias['amy']}'"
    no_names_on_screen(qtbot, window, "after a merge")
    window.grading.actions.anonymous.trigger()  # names shown: the undo step says amy again
    assert window.viewer_actions.undo.text() == "&Undo Copy from 'amy'"
    window.grading.actions.anonymous.trigger()
    assert "amy" not in window.viewer_actions.undo.text()

    # Fork: the dialog asks for the copy's name; a name taken is an error box
    forking, erring = Seen(), Seen()

    def fork_as_cat(dialog: QWidget) -> None:
        forking.read(dialog)
        assert isinstance(dialog, QInputDialog)
        assert dialog.labelText() == f"Name of the copy of {alias['ben']}:"
        when_modal(QMessageBox, lambda box: (erring.read(box), box.accept()))
        dialog.setTextValue("cat")
        dialog.accept()

    timer = when_modal(QInputDialog, fork_as_cat)
    window.review.ask_fork_layer()
    timer.stop()
    assert forking.texts and not names_in(forking.texts, STUDENTS)
    said = [t for t in erring.texts if t.startswith("layer ")]  # the engine's sentence
    assert said and alias["cat"] in said[0], said  # cat's name is taken: said by her number
    assert not names_in(erring.texts, STUDENTS), erring.texts

    # Export Instant JSON: the file name offered is the alias
    saving = Seen()

    def read_and_cancel(dialog: QWidget) -> None:
        saving.read(dialog)
        dialog.close()

    timer = when_modal(QFileDialog, read_and_cancel)
    window.review.ask_export_json()
    timer.stop()
    assert saving.texts and any(f"{alias['ben']}.json" in t for t in saving.texts)
    assert not names_in(saving.texts, STUDENTS), names_in(saving.texts, STUDENTS)

    # Export as XFDF: the name offered, and what the status bar says once written
    xfdf = Seen()

    def read_and_write(dialog: QWidget) -> None:
        xfdf.read(dialog)
        assert isinstance(dialog, QFileDialog)
        dialog.setDirectory(str(tmp_path))  # the name offered, in the test's folder
        dialog.accept()

    timer = when_modal(QFileDialog, read_and_write)
    window.review.actions.export_xfdf.trigger()  # Layers > More > Export Layer as XFDF
    timer.stop()
    assert any(f"{alias['ben']}.xfdf" in t for t in xfdf.texts)
    assert not names_in(xfdf.texts, STUDENTS), names_in(xfdf.texts, STUDENTS)
    task = window.review.xfdf.running
    assert task is not None
    qtbot.waitUntil(lambda: task.done, timeout=20000)
    written = f"{alias['ben']}.xfdf"
    assert any(f"values of {alias['ben']} to {written}" in m for m in said), said
    assert (tmp_path / written).exists()

    # Print: the dialog, the job's name (seen in the printer's queue), the progress, the end
    printing = Seen()

    def print_it(dialog: QWidget) -> None:
        printing.read(dialog)
        assert isinstance(dialog, QPrintDialog)
        dialog.accept()

    timer = when_modal(QPrintDialog, print_it)
    window.viewer_actions.print_layer.trigger()  # File > Print
    job = window.review.printing
    assert job is not None
    job.printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert job.printer.docName() == f"worksheet.pdf — {alias['ben']}"
    labels: list[str] = []
    job.run.finished.connect(lambda *_: labels.append(job.progress.labelText()))
    with qtbot.waitSignal(job.ended, timeout=120000):
        pass
    timer.stop()
    assert printing.texts and not names_in(printing.texts, STUDENTS)
    assert job.message.startswith(f"Printed {alias['ben']}: ")
    assert window.statusBar().currentMessage() == job.message
    no_names_on_screen(qtbot, window, "printed")

    # Return All: the progress names students by number; the files by name
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "back"))
    monkeypatch.setattr(ReturnOptions, "exec", lambda self: QDialog.DialogCode.Accepted)
    window.grading.actions.return_all.trigger()
    export = window.grading.returning
    assert export is not None
    progress: list[str] = []
    export.run.progressed.connect(lambda *_: progress.append(export.dialog.labelText()))
    export.run.progressed.connect(lambda *_: progress.extend(screen_texts()))
    with qtbot.waitSignal(export.ended, timeout=120000):
        pass
    assert any(t.startswith(f"Exported {alias['amy']} (") for t in progress)
    assert not names_in(progress, STUDENTS), names_in(progress, STUDENTS)
    assert sorted(p.stem for p in export.paths) == ["amy", "ben", "cat"]  # back to them
    no_names_on_screen(qtbot, window, "papers returned")
    assert export.result_box is not None
    export.result_box.close()

    # Delete: the question, and what the status bar says after
    deleting = Seen()

    def read_and_delete(box: QWidget) -> None:
        deleting.read(box)
        assert isinstance(box, QMessageBox)
        box.button(QMessageBox.StandardButton.Yes).click()

    window.set_layer("cat")
    timer = when_modal(QMessageBox, read_and_delete)
    window.review.ask_delete_layer()
    timer.stop()
    assert any(f"Delete {alias['cat']} and all" in t for t in deleting.texts)
    assert not names_in(deleting.texts, STUDENTS), names_in(deleting.texts, STUDENTS)
    assert window.statusBar().currentMessage().startswith(f"Deleted {alias['cat']} ")
    no_names_on_screen(qtbot, window, "cat deleted")


def test_a_class_imported_while_names_are_hidden_is_reported_by_number(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path
) -> None:
    window = grading
    doc = window.document
    assert doc is not None
    window.grading.actions.anonymous.trigger()
    (tmp_path / "dan.json").write_text(json.dumps(window.engine.export_instant(doc.id, "amy")))
    task = import_class_in_background(window.context, window.tasks, [tmp_path / "dan.json"])
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: "dan" in window.grading.sheet.visible_layers())
    dan = window.context.names.title("dan")
    assert dan == "Student 4"  # a new student: the next number
    box = QApplication.activeModalWidget() or next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    assert isinstance(box, QMessageBox)
    assert f"{dan}.json → layer “{dan}”" in box.informativeText()
    said = names_in([*screen_texts(), box.informativeText()], (*STUDENTS, "dan"))
    assert not said, said
    box.close()
