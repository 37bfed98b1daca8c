"""Comparing by the keyboard: Ctrl+Shift+M opens the Compare dock on layer A's box; Enter
there (or on B's) compares, as a form's default button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.ui.compare.comparison import Comparison
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.review.layer_review import LayerReview
from tests.ui.review.test_review_panel import make_differences, review

__all__ = ["review"]


def test_enter_on_a_layer_box_compares(
    qtbot: QtBot, review: LayerReview, window: MainWindow
) -> None:
    make_differences(review)
    window.set_layer("alice")
    qtbot.waitUntil(lambda: window.layer == "alice" and not window.reading.pending())
    window.view.setFocus()
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dock = review.comparing.dock
    assert QApplication.focusWidget() is dock.a_box
    assert (dock.a_box.currentData(), dock.b_box.currentData()) == ("alice", "bob")
    with qtbot.waitSignal(review.comparing.compared, timeout=10_000) as shown:
        qtbot.keyClick(dock.a_box, Qt.Key.Key_Return)
    comparison = shown.args[0]
    assert isinstance(comparison, Comparison)
    assert {d.key[1] for d in comparison.differences} == {"a1", "a2", "b9"}
