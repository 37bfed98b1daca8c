"""Grading in the window: the points tool (Q, a click or typed digits), the Grading dock, the
score sheet (rows that follow the marks, a click to a student's mark, typed direct scores,
sorting, anonymous names), Next Ungraded (Ctrl+Enter) and the grades CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grades import mark_content, mark_of
from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import make_pdf, open_and_wait
from tests.ui.tools.conftest import click

SCHEME = Scheme(
    (
        Question("q1", "Question 1", 5, page=0, region=(60, 60, 300, 120)),
        Question("q2", "Question 2", 3, page=0, region=(60, 200, 300, 120)),
        Question("q3", "Question 3", 2, page=1),
    )
)
STUDENTS = ("amy", "ben", "cat")


@pytest.fixture
def grading(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    """A worksheet with a three-question scheme and three students; amy is shown."""
    ViewerSettings().set_user_name("Teacher")
    open_and_wait(qtbot, window, make_pdf(tmp_path / "worksheet.pdf", pages=3))
    doc = window.document
    assert doc is not None
    window.engine.set_grading_scheme(doc.id, SCHEME)
    for name in STUDENTS:
        window.engine.create_layer(doc.id, name)
    window.context.changes.layer_set_changed()
    window.set_layer("amy")
    window.view.set_zoom(1.0)
    window.view.go_to_page(0)
    window.view.setFocus()
    return window


def marks(window: MainWindow, layer: str) -> list[tuple[str, float | None, float | None]]:
    assert window.document is not None
    found = [mark_of(r) for r in window.engine.annotations(window.document.id, layer)]
    return [(m.question, m.points, m.score) for m in found if m is not None]


NO_KEYS = Qt.KeyboardModifier.NoModifier


def key(qtbot: QtBot, qt_key: Qt.Key, mods: Qt.KeyboardModifier = NO_KEYS) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, qt_key, mods)


def sheet_row(window: MainWindow, layer: str) -> list[str]:
    model = window.grading.sheet.model
    row = [g.layer for g in model.rows].index(layer)
    return [model.index(row, c).data() or "" for c in range(model.columnCount())]


def test_q_then_a_click_in_a_question_region_and_typed_points_put_a_mark(
    qtbot: QtBot, grading: MainWindow
) -> None:
    key(qtbot, Qt.Key.Key_Q)
    assert grading.tools.current.name == "points"
    click(qtbot, grading, 0, (100, 250))  # inside question 2's region
    qtbot.keyClicks(QApplication.focusWidget(), "2")
    key(qtbot, Qt.Key.Key_Return)
    assert marks(grading, "amy") == [("q2", 2.0, None)]
    assert sheet_row(grading, "amy")[1:6] == ["", "2", "", "2/10", "2"]  # a points scale
    assert grading.grading.state.question == "q2"
    dock = grading.grading.dock
    assert dock.table.item(1, 3).text() == "2" and dock.table.item(0, 3).text() == "–"
    grading.editor.undo()  # a mark is one undo step like any record
    assert marks(grading, "amy") == []
    assert sheet_row(grading, "amy")[4] == "0/10"


def test_digits_typed_with_the_points_tool_mark_the_current_question_not_choose_tools(
    qtbot: QtBot, grading: MainWindow
) -> None:
    key(qtbot, Qt.Key.Key_Q)
    grading.grading.state.set_question("q1")
    qtbot.keyClicks(grading.view, "3")  # "3" is the strikeout tool's key elsewhere
    assert grading.tools.current.name == "points"
    key(qtbot, Qt.Key.Key_Return)
    qtbot.keyClicks(grading.view, "-1")
    key(qtbot, Qt.Key.Key_Return)
    assert marks(grading, "amy") == [("q1", 3.0, None), ("q1", -1.0, None)]
    assert grading.document is not None
    placed = [
        r.content["bbox"]
        for r in grading.engine.annotations(grading.document.id, "amy")
        if mark_of(r) is not None
    ]
    assert all(x >= 360 and 60 <= y <= 180 for x, y, _, _ in placed)  # beside q1's region
    assert placed[0][1] != placed[1][1]  # one under the other, not on top of each other
    qtbot.keyClicks(grading.view, "2")
    qtbot.keyClicks(QApplication.focusWidget(), "x")
    key(qtbot, Qt.Key.Key_Return)
    assert len(marks(grading, "amy")) == 2  # "2x" is no points: nothing added
    assert "not points" in grading.editor.context.parent().statusBar().currentMessage()  # type: ignore[attr-defined]


def test_marks_over_the_maximum_are_capped_and_flagged_in_the_sheet(
    grading: MainWindow,
) -> None:
    doc = grading.document
    assert doc is not None
    grading.set_layer("ben")
    grading.editor.create([mark_content("q3", 1, 20, 20, points=2),
                           mark_content("q3", 1, 60, 20, points=1.5)])  # fmt: skip
    row = sheet_row(grading, "ben")
    assert row[3] == "2!" and row[4] == "2/10"
    model = grading.grading.sheet.model
    index = model.index([g.layer for g in model.rows].index("ben"), 3)
    assert "3.5 given, capped" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_next_ungraded_walks_the_students_and_their_questions_in_the_sheet_order(
    qtbot: QtBot, grading: MainWindow
) -> None:
    doc = grading.document
    assert doc is not None
    engine = grading.engine
    engine.create_records(doc.id, "amy", "annotation", [mark_content("q1", 0, 70, 70, points=5)])
    engine.create_records(doc.id, "ben", "annotation", [
        mark_content(q, p, 70, 70, points=1) for q, p in (("q1", 0), ("q2", 0), ("q3", 1))
    ])  # fmt: skip
    grading.context.changes.layer_set_changed()
    grading.grading.state.set_question("q1")
    seen = []
    for _ in range(5):
        key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        seen.append((grading.layer, grading.grading.state.question, grading.view.current_page()))
    assert seen == [
        ("amy", "q2", 0),
        ("amy", "q3", 2 - 1),
        ("cat", "q1", 0),  # ben is graded
        ("cat", "q2", 0),
        ("cat", "q3", 1),
    ]
    grading.grading.sheet.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    grading.set_layer("cat")
    grading.grading.state.set_question("q3")
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert (grading.layer, grading.grading.state.question) == ("amy", "q2")  # cat, ben, amy


def test_ctrl_enter_in_the_properties_text_box_keeps_the_text_and_goes_nowhere(
    qtbot: QtBot, grading: MainWindow
) -> None:
    change = grading.editor.create([mark_content("q1", 0, 70, 70, points=1, text="Good start")])
    assert change is not None
    grading.tools.select(list(change.upserted))
    grading.grading.state.set_question("q1")
    box = grading.properties.text
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "Very good start")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert grading.grading.state.question == "q1"  # Next Ungraded would have gone to q2
    (mark,) = [r for r in grading.editor.records("annotation") if r.id == change.upserted[0].id]
    assert mark.content["text"]["value"] == "Very good start"


def test_a_click_in_the_sheet_shows_the_students_mark_and_a_typed_score_is_direct(
    qtbot: QtBot, grading: MainWindow
) -> None:
    doc = grading.document
    assert doc is not None
    grading.engine.create_records(
        doc.id, "cat", "annotation", [mark_content("q3", 1, 50, 300, points=1)]
    )
    grading.context.changes.layer_set_changed()
    sheet = grading.grading.sheet
    sheet.show()
    table = sheet.table
    row = sheet.visible_layers().index("cat")
    rect = table.visualRect(table.model().index(row, 3))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert grading.layer == "cat" and grading.view.current_page() == 1
    assert grading.grading.state.question == "q3"
    cell = table.model().index(sheet.visible_layers().index("ben"), 1)
    table.model().setData(cell, "4")
    assert marks(grading, "ben") == [("q1", None, 4.0)]
    assert sheet_row(grading, "ben")[1] == "4"
    table.model().setData(cell, "4.5")  # the direct score is replaced, not added
    assert marks(grading, "ben") == [("q1", None, 4.5)]
    table.model().setData(cell, "")
    assert marks(grading, "ben") == [] and sheet_row(grading, "ben")[1] == ""


def test_anonymous_grading_names_students_by_number_and_the_names_come_back(
    grading: MainWindow,
) -> None:
    grading.grading.actions.anonymous.setChecked(True)
    names = [sheet_row(grading, s)[0] for s in STUDENTS]
    assert sorted(names) == ["Student 1", "Student 2", "Student 3"]
    grading.grading.actions.anonymous.setChecked(False)
    grading.grading.actions.anonymous.setChecked(True)
    assert [sheet_row(grading, s)[0] for s in STUDENTS] == names  # stable
    grading.grading.actions.anonymous.setChecked(False)
    assert [sheet_row(grading, s)[0] for s in STUDENTS] == list(STUDENTS)


def test_the_grading_dock_edits_the_stored_scheme_and_refuses_a_page_that_is_not_there(
    grading: MainWindow,
) -> None:
    doc = grading.document
    assert doc is not None
    dock = grading.grading.dock
    dock.add_question()
    assert [q.name for q in grading.engine.grading_scheme(doc.id).questions][-1] == "Question 4"
    dock.table.item(3, 1).setText("4")
    assert grading.engine.grading_scheme(doc.id).questions[3].max_points == 4
    dock.table.item(3, 2).setText("9")  # the document has 3 pages
    assert grading.engine.grading_scheme(doc.id).questions[3].page is None
    assert dock.table.item(3, 2).text() == ""
    dock.table.selectRow(3)
    dock.remove_question()
    assert len(grading.engine.grading_scheme(doc.id).questions) == 3
    assert grading.grading.sheet.model.columnCount() == 3 + 4


def test_grades_export_as_csv_from_the_window(grading: MainWindow, tmp_path: Path) -> None:
    grading.editor.create([mark_content("q1", 0, 70, 70, points=4)])
    assert grading.grading.export_csv(tmp_path / "grades.csv", "gradebook")
    with open(tmp_path / "grades.csv", encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:6] == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "worksheet.pdf",
    ]
    assert rows[1][:6] == ["amy", "", "", "amy", "", "4"]


def test_the_hidden_score_sheet_measures_no_cells_and_fits_them_once_shown(
    qtbot: QtBot, grading: MainWindow
) -> None:
    """A class's grades are refilled at every layer set change; while the sheet is hidden
    (as it starts) its columns are not sized to every cell on the UI thread."""
    sheet = grading.grading.sheet
    header = sheet.table.horizontalHeader()
    assert not sheet.isVisible()
    assert header.sectionResizeMode(0) == header.ResizeMode.Fixed
    assert grading.document is not None
    long_name = "a student with a rather long layer name"
    grading.engine.create_layer(grading.document.id, long_name)
    grading.context.changes.layer_set_changed()
    sheet.show()
    qtbot.waitUntil(sheet.isVisible, timeout=5000)
    assert header.sectionResizeMode(0) == header.ResizeMode.ResizeToContents
    wide = sheet.table.fontMetrics().horizontalAdvance(long_name)
    qtbot.waitUntil(lambda: sheet.table.columnWidth(0) >= wide, timeout=5000)
