"""Set Region in the Grading dock: the chosen question's region is dragged on the page and
stored in the scheme (its page too); a click there then marks that question, and Next
Ungraded goes to the region. Esc drops a Set Region not yet dragged."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer_app.engine.grades import mark_content
from reviewer_app.ui.main_window import MainWindow
from tests.journeys.gestures import menu
from tests.ui.grading.test_grading_ui import grading, key, marks
from tests.ui.tools.conftest import LEFT, click, drag

__all__ = ["grading"]


def test_a_region_dragged_on_the_page_is_stored_and_used_by_clicks_and_next_ungraded(
    qtbot: QtBot, grading: MainWindow
) -> None:
    window, dock = grading, grading.grading.dock
    assert window.document is not None
    doc = window.document.id
    dock.table.selectRow(2)  # Question 3: no page, no region yet
    qtbot.mouseClick(dock.region_button, LEFT)
    assert window.tools.current.name == "points"
    drag(qtbot, window, 2, [(100, 400), (200, 450), (400, 520)])  # on page 3
    q3 = window.engine.grading_scheme(doc).question("q3")
    assert q3 is not None and q3.page == 2
    assert q3.region is not None
    assert [round(v) for v in q3.region] == [100, 400, 300, 120]
    assert dock.table.item(2, 2).text() == "3 ▭"
    outlined = {(o.parentItem() is window.view.pages[2].space,
                 tuple(round(v) for v in o.rect().getRect()))
                for o in window.grading.points.outlines}  # fmt: skip
    assert (True, (100, 400, 300, 120)) in outlined and len(outlined) == 3
    # a click inside the region marks question 3, whatever question is current
    window.grading.state.set_question("q1")
    click(qtbot, window, 2, (150, 450))
    qtbot.keyClicks(window.focusWidget(), "1")
    key(qtbot, Qt.Key.Key_Return)
    assert marks(window, "amy") == [("q3", 1.0, None)]
    # Next Ungraded: ben's question 3 is the one left; the page scrolls to its region
    window.engine.create_records(doc, "ben", "annotation", [
        mark_content(q, 0, 70, 70, points=1) for q in ("q1", "q2")
    ])  # fmt: skip
    window.engine.create_records(doc, "amy", "annotation", [
        mark_content(q, 0, 70, 70, points=1) for q in ("q1", "q2")
    ])  # fmt: skip
    window.context.changes.layer_set_changed()
    window.view.go_to_page(0)
    window.view.setFocus()
    key(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert (window.layer, window.grading.state.question) == ("ben", "q3")
    view = window.view
    top = view.pages[2].space.mapToScene(100, 400)
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert view.current_page() == 2 and shown.contains(top)


def test_esc_drops_set_region_and_a_click_without_a_drag_sets_nothing(
    qtbot: QtBot, grading: MainWindow
) -> None:
    window, dock = grading, grading.grading.dock
    assert window.document is not None
    before = window.engine.grading_scheme(window.document.id)
    dock.table.selectRow(0)
    qtbot.mouseClick(dock.region_button, LEFT)
    click(qtbot, window, 0, (300, 300))  # a click is not a region: still waiting
    assert window.grading.points.region_for is not None
    window.view.setFocus()
    key(qtbot, Qt.Key.Key_Escape)
    assert window.grading.points.region_for is None
    assert window.grading.points.outlines == []  # the select tool: no outlines
    window.tools.choose("points")
    drag(qtbot, window, 0, [(300, 300), (400, 400)])  # now a drag is no region
    assert window.engine.grading_scheme(window.document.id) == before


@pytest.mark.qt_log_ignore(
    "This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)  # the menu opened by Alt+R, offscreen
def test_clear_region_from_the_dock_and_the_grading_menu_with_undo(
    qtbot: QtBot, grading: MainWindow
) -> None:
    window, dock = grading, grading.grading.dock
    assert window.document is not None
    doc = window.document.id
    window.show()
    dock.raise_()
    dock.table.selectRow(2)
    assert not dock.clear_region_button.isEnabled()  # question 3 has no region to clear
    qtbot.mouseClick(dock.region_button, LEFT)
    drag(qtbot, window, 2, [(100, 400), (200, 450), (400, 520)])
    assert dock.table.item(2, 2).text() == "3 ▭" and dock.clear_region_button.isEnabled()
    undo = window.grading.actions.undo_scheme
    assert undo.isEnabled()  # Set Region is undoable too
    window.tools.choose("points")
    assert len(window.grading.points.outlines) == 3
    qtbot.mouseClick(dock.clear_region_button, LEFT)  # the dock's button
    q3 = window.engine.grading_scheme(doc).question("q3")
    assert q3 is not None and q3.region is None and q3.page == 2  # the page stays
    assert dock.table.item(2, 2).text() == "3" and not dock.clear_region_button.isEnabled()
    assert len(window.grading.points.outlines) == 2  # its outline is gone from the page
    assert window.statusBar().currentMessage().startswith("Question 3: region cleared")
    # Grading > Undo Scheme Change, from the keyboard: Alt+R, then U
    window.view.setFocus()
    menu(qtbot, Qt.Key.Key_R, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: window.engine.grading_scheme(doc).question("q3").region is not None)
    assert dock.table.item(2, 2).text() == "3 ▭" and len(window.grading.points.outlines) == 3
    # Grading > Clear Question Region (Alt+R, then G) clears the chosen question's region
    window.grading.state.set_question("q3")
    window.view.setFocus()
    menu(qtbot, Qt.Key.Key_R, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: window.engine.grading_scheme(doc).question("q3").region is None)
    undo.trigger()  # and back again; then nothing is left to undo but Set Region itself
    undo.trigger()
    assert window.engine.grading_scheme(doc).question("q3").region is None
    assert window.engine.grading_scheme(doc).question("q3").page == 1  # as before Set Region
    assert not undo.isEnabled()
