"""Where a teacher's keys go while grading: a digit typed after a click in the Layers list
(the points tool chosen), a score typed on a clicked cell of the score sheet, a question's
name typed after Add Question. Each key went to a tool's shortcut before."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grading_scheme import Question, Scheme
from reviewer_app.ui.main_window import MainWindow
from tests.ui.grading.test_grading_ui import grading, key, marks

__all__ = ["grading"]


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int, column: int = 0) -> None:
    place: QPoint = view.visualRect(view.model().index(row, column)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=place)


def test_a_digit_typed_after_a_click_in_the_layers_list_is_a_mark_with_the_points_tool(
    qtbot: QtBot, grading: MainWindow
) -> None:
    key(qtbot, Qt.Key.Key_Q)
    grading.grading.state.set_question("q1")
    listed = grading.review.layers_dock.list
    click_row(qtbot, listed, grading.review.layers_dock.visible_names().index("ben"))
    qtbot.waitUntil(lambda: grading.layer == "ben" and not grading.reading.pending())
    assert focus() is listed
    qtbot.keyClicks(listed, "2")  # the underline tool's key elsewhere
    assert grading.tools.current.name == "points"
    key(qtbot, Qt.Key.Key_Return)
    assert marks(grading, "ben") == [("q1", 2.0, None)]


def test_a_score_typed_on_a_clicked_cell_of_the_sheet_is_a_direct_score(
    qtbot: QtBot, grading: MainWindow
) -> None:
    sheet = grading.grading.sheet
    sheet.show()
    qtbot.waitExposed(sheet)
    click_row(qtbot, sheet.table, sheet.visible_layers().index("ben"), 1)  # ben, Question 1
    qtbot.waitUntil(lambda: grading.layer == "ben")
    assert focus() is sheet.table  # the keys stay where the teacher clicked
    message = grading.statusBar().currentMessage()
    assert message == "ben: Question 1 (out of 5)"  # what a digit typed now is for
    qtbot.keyClicks(sheet.table, "4")  # the squiggly tool's key elsewhere
    assert grading.tools.current.name == "select"
    key(qtbot, Qt.Key.Key_Return)  # (the table keeps the typed text a turn later)
    qtbot.waitUntil(lambda: marks(grading, "ben") == [("q1", None, 4.0)])
    assert grading.tools.current.name == "select"


def test_add_question_opens_its_name_for_typing_and_tab_goes_on_to_its_maximum(
    qtbot: QtBot, grading: MainWindow
) -> None:
    doc = grading.document
    assert doc is not None
    dock = grading.grading.dock
    dock.show()
    qtbot.waitExposed(dock)
    qtbot.mouseClick(dock.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(focus(), "Why water rises")  # "W", "h"... are no tool keys here
    key(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focus(), "4")
    key(qtbot, Qt.Key.Key_Return)

    def added() -> tuple[str, float]:
        last = grading.engine.grading_scheme(doc.id).questions[-1]
        return last.name, last.max_points

    qtbot.waitUntil(lambda: added() == ("Why water rises", 4))
    assert grading.tools.current.name == "select"
    dock.table.setCurrentCell(0, 1)  # Question 1's maximum, typed over without F2
    dock.table.setFocus()
    qtbot.keyClicks(dock.table, "6")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grading.engine.grading_scheme(doc.id).questions[0].max_points == 6)
    assert grading.tools.current.name == "select"


def test_a_one_point_scheme_reads_point(grading: MainWindow) -> None:
    dock = grading.grading.dock
    dock.show_scheme(Scheme((Question("q", "Named", 1),)), None, None)
    assert dock.total.text() == "Total: 1 point"


def test_a_letter_typed_on_the_sheet_is_still_a_tool_key(qtbot: QtBot, grading: MainWindow) -> None:
    sheet = grading.grading.sheet
    sheet.show()
    qtbot.waitExposed(sheet)
    click_row(qtbot, sheet.table, sheet.visible_layers().index("ben"), 1)
    qtbot.keyClicks(sheet.table, "q")  # the points tool's key: no score starts with it
    assert grading.tools.current.name == "points"
    assert sheet.table.state() != QAbstractItemView.State.EditingState
