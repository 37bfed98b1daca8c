"""A choice list picked with the keys: the arrows start from the value shown, Enter picks,
and then the keys go back to the pages (a tool key chooses a tool, not a letter in a field)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from tests.ui.forms.test_forms import USER, form, press, values

__all__ = ["form"]  # the fixture, used by name


def test_arrows_move_from_the_value_shown_and_the_keys_return_to_the_pages(
    qtbot: QtBot, form: MainWindow
) -> None:
    window = form
    for key, picked in ((Qt.Key.Key_Return, "Rome"), (Qt.Key.Key_Escape, "Rome")):
        press(qtbot, window, "city")  # shows Paris, then Rome
        qtbot.waitUntil(lambda: window.forms.popup is not None and window.forms.popup.isVisible())
        popup = window.forms.popup
        assert popup is not None and QApplication.focusWidget() is popup
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, key)
        assert window.forms.popup is None and values(window, USER)["city"] == picked
        assert QApplication.focusWidget() is window.view  # not the Layers filter
        qtbot.keyClick(window.view, Qt.Key.Key_H)
        assert window.tools.current.name == "highlight"
        qtbot.keyClick(window.view, Qt.Key.Key_Escape)
        assert window.tools.current.name == "select"
    assert window.review.layers_dock.filter.text() == ""
