"""Return All: every student's paper with their score box and the comments summary, written
in the export's child process with progress, cancellable, whole files only; and Import a
Class, which brings the students' files in the background."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grades import mark_content
from reviewer_app.ui.export.return_all import ReturnOptions, return_request, start_return
from reviewer_app.ui.main_window import MainWindow
from tests.ui.export.conftest import no_leftover_exports
from tests.ui.grading.test_grading_ui import grading

__all__ = ["grading", "no_leftover_exports"]


def page_texts(path: Path) -> list[str]:
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages]


def test_return_all_writes_each_students_paper_with_their_score_box(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = grading.document
    assert doc is not None
    engine = grading.engine
    engine.create_records(doc.id, "amy", "annotation", [
        mark_content("q1", 0, 370, 70, points=4), mark_content("q3", 1, 370, 40, points=2),
        mark_content("q2", 0, 370, 210, points=1, text="+1 Check the units", comment="c"),
    ])  # fmt: skip
    engine.create_records(doc.id, "ben", "annotation", [mark_content("q1", 0, 370, 70, points=6)])
    grading.context.changes.layer_set_changed()
    engine.create_records(doc.id, "key", "annotation", [mark_content("q1", 0, 370, 70, points=5)])
    grading.set_layer("key")  # an answer key: not a student, so not returned
    grading.grading.actions.not_student.trigger()
    grading.grading.actions.anonymous.trigger()  # names hidden on screen; files keep them
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "back"))
    monkeypatch.setattr(ReturnOptions, "exec", lambda self: QDialog.DialogCode.Accepted)
    grading.grading.actions.return_all.trigger()
    export = grading.grading.returning
    assert export is not None and export.dialog.windowTitle() == "Returning papers"
    with qtbot.waitSignal(export.ended, timeout=120000):
        pass
    assert "3 PDFs written" in export.message
    files = {p.stem: p for p in export.paths}
    assert sorted(files) == ["amy", "ben", "cat"]  # named after the students they go back to
    amy = page_texts(files["amy"])
    for line in ("worksheet.pdf: amy", "Question 1: 4 / 5", "Question 2: 1 / 3",
                 "Question 3: 2 / 2", "Total: 7 / 10"):  # fmt: skip
        assert line in amy[0]
    assert "Check the units" in amy[-1]  # the comments summary after the last page
    assert len(amy) == 3 + 1
    ben = page_texts(files["ben"])[0]
    assert "Question 1: 5 / 5 (capped)" in ben and "Question 3: - / 2" in ben
    assert "Total: 0 / 10" in page_texts(files["cat"])[0]


def test_return_all_can_be_cancelled_and_leaves_only_whole_papers(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path
) -> None:
    doc = grading.document
    assert doc is not None
    for n in range(12):
        grading.engine.create_records(
            doc.id, f"student {n:02}", "annotation", [mark_content("q1", 0, 370, 70, points=1)]
        )
    grading.context.changes.layer_set_changed()
    rows = grading.engine.class_grades(doc.id)
    request = return_request(grading.context, grading.grading.scheme, rows, tmp_path / "out",
                             flatten=True)  # fmt: skip
    export = start_return(grading, request)
    with qtbot.waitSignal(export.ended, timeout=120000):
        button = export.dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()
    assert export.message.startswith("Export cancelled")
    assert len(export.paths) < len(rows)
    assert sorted((tmp_path / "out").glob("*")) == sorted(export.paths)
    for path in export.paths:
        assert "Total: 1 / 10" in page_texts(path)[0]


def test_a_class_of_files_imported_in_the_background_becomes_rows_of_the_sheet(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path
) -> None:
    from reviewer_app.ui.session.class_import import import_class_in_background

    doc = grading.document
    assert doc is not None
    grading.engine.create_records(
        doc.id, "amy", "annotation", [mark_content("q1", 0, 370, 70, points=3)]
    )
    (tmp_path / "eve.json").write_text(json.dumps(grading.engine.export_instant(doc.id, "amy")))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 broken")
    task = import_class_in_background(
        grading.context, grading.tasks, [tmp_path / "eve.json", tmp_path / "notes.pdf"]
    )
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: "eve" in grading.grading.sheet.visible_layers())
    assert "notes" not in grading.grading.sheet.visible_layers()
    eve = next(g for g in grading.grading.sheet.model.rows if g.layer == "eve")
    assert eve.total == 3  # the marks came with the file
    assert "1 of 2 files imported" in grading.statusBar().currentMessage()
