"""Anonymous grading names students "Student N" everywhere the window names a layer or its
author (the Layers dock, the layer box, the title bar, Compare, the Comments dock, the
Annotations list, the export dialog's choices), through
the window's one naming service, until the teacher shows the names again; and the teacher's
own layer, or a layer marked as not a student, is left out of the class."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grades import mark_content
from reviewer_app.ui.export.options import ExportOptions
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.session.layer_list import NAME_ROLE
from tests.ui.conftest import make_pdf, open_and_wait
from tests.ui.grading.test_grading_ui import STUDENTS, grading, key, sheet_row
from tests.ui.tools.conftest import viewport_point

__all__ = ["grading"]

CTRL = Qt.KeyboardModifier.ControlModifier


def layer_texts(window: MainWindow) -> dict[str, str]:
    """Each layer's text as the Layers dock shows it (its model, what the list draws)."""
    model = window.review.layers_dock.list.model()
    return {
        model.index(r, 0).data(NAME_ROLE): model.index(r, 0).data() for r in range(model.rowCount())
    }


def box_texts(window: MainWindow) -> dict[str, str]:
    box = window.review.layer_box
    return {box.itemData(i): box.itemText(i) for i in range(box.count())}


def student_highlight(window: MainWindow, layer: str) -> None:
    """A highlight amy made herself (its author is her name), with a comment of hers."""
    assert window.document is not None
    root = {
        "v": 2, "type": "pspdfkit/markup/highlight", "pageIndex": 0, "bbox": [60, 60, 100, 20],
        "rects": [[60, 60, 100, 20]], "color": "#fcee7c", "opacity": 1, "creatorName": layer,
        "id": "01HZROOT00000000000000000A",
    }  # fmt: skip
    doc = window.document.id
    window.context.changes.record_change(
        window.engine.create_records(doc, layer, "annotation", [root])
    )
    said = [{"text": "My working is on the back", "creatorName": layer}]
    root_id = str(root["id"])
    window.context.changes.record_change(window.engine.add_comments(doc, layer, root_id, said))


def test_anonymous_mode_names_students_by_number_in_every_room_until_revealed(
    qtbot: QtBot, grading: MainWindow
) -> None:
    window = grading
    student_highlight(window, "amy")
    window.review.refresh_layers()
    qtbot.waitUntil(lambda: "amy" in window.comments.author.itemText(1), timeout=3000)
    assert "amy" in window.windowTitle()
    window.grading.actions.anonymous.trigger()  # Grading > Anonymous Grading
    numbers = {s: sheet_row(window, s)[0] for s in STUDENTS}
    assert sorted(numbers.values()) == ["Student 1", "Student 2", "Student 3"]
    amy = numbers["amy"]
    texts, boxes = layer_texts(window), box_texts(window)
    for student, alias in numbers.items():
        assert texts[student].startswith(alias) and student not in texts[student]
        assert boxes[student] == alias
    assert "amy" not in texts["amy"]  # the authors line too: amy wrote the highlight
    model = window.review.layers_dock.list.model()
    rows = [model.index(r, 0).data().split("\n")[0] for r in range(model.rowCount())]
    own = window.context.own_layer()  # the teacher's, listed though not made yet
    listed_order = [row for row in rows[2:] if row != f"{own} (new)"]  # after base, default
    assert listed_order == ["Student 1", "Student 2", "Student 3"]  # not the names' order
    assert f"— {amy} —" in window.windowTitle() and "amy" not in window.windowTitle()
    compare = window.review.comparing.dock
    window.review.comparing.open(window.review.layers.names())
    a_texts = [compare.a_box.itemText(i) for i in range(compare.a_box.count())]
    assert amy in a_texts and not set(STUDENTS) & set(a_texts)
    compare.a_box.setCurrentIndex(compare.a_box.findData("amy"))
    compare.b_box.setCurrentIndex(compare.b_box.findData("ben"))
    qtbot.mouseClick(compare.compare_button, Qt.MouseButton.LeftButton)
    tree = compare.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0 and tree.topLevelItem(0).childCount() > 0,
                    timeout=5000)  # fmt: skip
    said = [tree.topLevelItem(0).child(i).text(0) for i in range(tree.topLevelItem(0).childCount())]
    assert any(f"Highlight by {amy}" in s for s in said) and not any("amy" in s for s in said)
    assert f"only in A ({amy})" in compare.legend.text()
    pane = window.comments
    qtbot.waitUntil(lambda: pane.author.itemText(1) == amy, timeout=3000)
    assert any(f"Highlight · {amy} ·" in e for e in pane.entries())
    listed = window.review.annotations
    listed.raise_()  # its tab in front: the list follows while on screen
    qtbot.waitUntil(lambda: any(f"Highlight by {amy}" in e for e in listed.entries()), timeout=3000)
    assert not any("amy" in e for e in listed.entries())
    window.view.go_to_page(0)  # hovering amy's highlight: its tooltip names her by number
    marks = window.overlay.items[0]
    qtbot.mouseMove(window.view.viewport(), viewport_point(window, 0, (100, 68)))
    qtbot.waitUntil(lambda: amy in marks.toolTip(), timeout=3000)
    assert "amy" not in marks.toolTip()
    # the next student, as Next Ungraded shows them: still a number in the title bar
    window.view.setFocus()
    key(qtbot, Qt.Key.Key_Return, CTRL)
    assert window.layer in STUDENTS and window.layer not in window.windowTitle()
    window.grading.actions.anonymous.trigger()  # names revealed, everywhere
    assert box_texts(window)["amy"] == "amy" and layer_texts(window)["ben"].startswith("ben")
    assert f"— {window.layer} —" in window.windowTitle()
    window.set_layer("amy")
    qtbot.waitUntil(lambda: pane.author.itemText(1) == "amy", timeout=3000)
    window.grading.actions.anonymous.trigger()
    assert box_texts(window)["amy"] == amy  # the same number as before: stable
    offered: list[str] = []

    def read_and_cancel() -> None:  # File > Export Layers as PDF: its choices
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportOptions):
            QTimer.singleShot(20, read_and_cancel)
            return
        offered.extend(dialog.layers.item(i).text() for i in range(dialog.layers.count()))
        dialog.reject()

    QTimer.singleShot(0, read_and_cancel)
    window.review.ask_export_pdfs()
    assert any(t.startswith(amy) for t in offered) and not any("amy" in t for t in offered)


def test_the_teachers_own_layer_and_a_layer_marked_not_a_student_leave_the_class(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path
) -> None:
    window = grading
    assert window.document is not None
    doc = window.document.id
    window.set_layer("Teacher")  # the user's own layer ("Teacher", see the fixture)
    window.editor.create([mark_content("q1", 0, 70, 70, points=2)])
    assert "Teacher" not in [g.layer for g in window.grading.sheet.model.rows]
    assert window.grading.actions.not_student.isChecked()
    window.set_layer("ben")
    assert not window.grading.actions.not_student.isChecked()
    window.grading.actions.not_student.trigger()  # ben is an answer key, say
    assert [g.layer for g in window.grading.sheet.model.rows] == ["amy", "cat"]
    assert window.engine.student_layers(doc) == ["amy", "cat"]
    assert window.grading.export_csv(tmp_path / "grades.csv")
    with open(tmp_path / "grades.csv", encoding="utf-8-sig", newline="") as file:
        assert [row[0] for row in csv.reader(file)][1:] == ["amy", "cat"]
    window.set_layer("amy")
    window.view.setFocus()
    went = {window.grading.next_ungraded()[0] for _ in range(4)}  # type: ignore[index]
    assert went == {"amy", "cat"}
    window.set_layer("Teacher")
    window.grading.actions.not_student.trigger()  # the teacher says: count it after all
    assert "Teacher" in [g.layer for g in window.grading.sheet.model.rows]
    assert window.engine.layer_roles(doc) == {"Teacher": True, "ben": False}


def test_names_stay_hidden_for_that_document_until_the_teacher_shows_them(
    qtbot: QtBot, grading: MainWindow, tmp_path: Path
) -> None:
    window = grading
    window.grading.actions.anonymous.trigger()
    hidden = box_texts(window)["amy"]
    assert hidden.startswith("Student ")
    other = make_pdf(tmp_path / "other.pdf", pages=2)
    open_and_wait(qtbot, window, other)
    assert not window.grading.actions.anonymous.isChecked()  # another class: names shown
    open_and_wait(qtbot, window, tmp_path / "worksheet.pdf")
    assert window.grading.actions.anonymous.isChecked()
    assert box_texts(window)["amy"] == hidden and sheet_row(window, "amy")[0] == hidden
    window.grading.actions.anonymous.trigger()  # revealed: and so it stays
    open_and_wait(qtbot, window, other)
    open_and_wait(qtbot, window, tmp_path / "worksheet.pdf")
    assert box_texts(window)["amy"] == "amy"
