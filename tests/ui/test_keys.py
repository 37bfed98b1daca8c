"""Keys act on the document wherever the focus is, except in a text being typed: page keys
and tool keys after a click in the Layers dock or after the find bar closes, typing in the
filter, and a note's text kept on Esc."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import make_pdf, open_and_wait

KEYS_PDF_PAGES = 12


def shown_with_layers(qtbot: QtBot, window: MainWindow, pdf: Path) -> MainWindow:
    open_and_wait(qtbot, window, pdf)
    assert window.document is not None
    for name in ("amy", "ben", "cat"):
        window.engine.create_layer(window.document.id, name)
    window.review.refresh_layers()
    window.set_layer("amy")
    return window


def click_layer_row(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """A mouse click on ``name``'s row of the Layers dock (the list then has the focus)."""
    dock = window.review.layers_dock
    names = dock.visible_names()
    index = dock.proxy.index(names.index(name), 0)
    rect = dock.list.visualRect(index)
    qtbot.mouseClick(dock.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.layer == name


def key(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key press sent where the keyboard focus is, as a user's key would be."""
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key, modifier)


def test_page_keys_move_the_pages_after_a_click_in_the_layers_dock(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    shown_with_layers(qtbot, window, sample_pdf)
    click_layer_row(qtbot, window, "ben")
    assert QApplication.focusWidget() is window.review.layers_dock.list
    start = window.view.current_page()
    key(qtbot, Qt.Key.Key_PageDown)
    assert window.view.current_page() == start + 1 and window.layer == "ben"
    key(qtbot, Qt.Key.Key_End)
    assert window.view.current_page() == KEYS_PDF_PAGES - 1 and window.layer == "ben"
    key(qtbot, Qt.Key.Key_Home)
    assert window.view.current_page() == 0 and window.layer == "ben"
    key(qtbot, Qt.Key.Key_R)  # a tool key, still in the dock
    assert window.tools.current.name == "rectangle" and window.layer == "ben"


def test_tool_keys_work_after_the_find_bar_closes(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    shown_with_layers(qtbot, window, sample_pdf)
    window.view.setFocus()
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.find_bar.line
    qtbot.keyClicks(window.find_bar.line, "h")  # typed into the bar: no tool chosen
    assert window.find_bar.line.text() == "h" and window.tools.current.name == "select"
    key(qtbot, Qt.Key.Key_Escape)
    assert window.find_bar.isHidden()
    key(qtbot, Qt.Key.Key_H)
    assert window.tools.current.name == "highlight"
    key(qtbot, Qt.Key.Key_Escape)
    assert window.tools.current.name == "select"


def test_typing_in_the_layers_filter_keeps_the_layer_shown(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    shown_with_layers(qtbot, window, sample_pdf)
    dock = window.review.layers_dock
    dock.focus_filter()
    qtbot.keyClicks(dock.filter, "ben")  # hides amy, the layer shown; and "b" is no tool key
    assert dock.visible_names() == ["ben"]
    assert window.layer == "amy" and window.tools.current.name == "select"
    dock.filter.clear()
    assert window.layer == "amy" and dock.list.currentIndex().data(Qt.ItemDataRole.DisplayRole)
    assert dock.current == "amy"


def test_find_layer_then_enter_shows_the_first_match_and_the_keys_go_on(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """Ctrl+L, a few letters, Enter: the first layer the filter lets through is shown, and
    the keys go on from there (Down to the next match, a tool key to the tools)."""
    shown_with_layers(qtbot, window, sample_pdf)
    for name in ("ben 2", "cat 2"):
        window.engine.create_layer(window.document.id, name)  # type: ignore[union-attr]
    window.review.refresh_layers()
    window.view.setFocus()
    key(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dock = window.review.layers_dock
    assert QApplication.focusWidget() is dock.filter
    qtbot.keyClicks(dock.filter, "ben")
    key(qtbot, Qt.Key.Key_Return)
    assert window.layer == "ben" and QApplication.focusWidget() is dock.list
    key(qtbot, Qt.Key.Key_Down)
    assert window.layer == "ben 2"
    key(qtbot, Qt.Key.Key_R)
    assert window.tools.current.name == "rectangle" and window.layer == "ben 2"


def test_no_two_actions_share_a_key_and_ctrl_q_quits_everywhere(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    """A key two actions claim does nothing at all (Qt calls it ambiguous). Standard keys
    differ by platform: Windows' Find Next has Ctrl+G (Go to Page here) and Windows has no
    Quit key, which is what the offscreen platform of these tests gives."""
    open_and_wait(qtbot, window, sample_pdf)
    claimed: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            claimed.setdefault(sequence.toString(), []).append(action.text())
    assert {k: v for k, v in claimed.items() if len(v) > 1} == {}
    assert "Ctrl+Q" in [s.toString() for s in window.viewer_actions.quit.shortcuts()]
    window.view.setFocus()
    asked: list[str] = []

    def answer_page_three() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer_page_three)
            return
        asked.append(dialog.windowTitle())
        dialog.setIntValue(3)
        dialog.accept()

    QTimer.singleShot(0, answer_page_three)
    key(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Go to Page"] and window.view.current_page() == 2
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # back (FocusReturn)
    qtbot.keyClick(window.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_pages_have_the_keys_when_the_window_opens_and_after_a_file_opens(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, tmp_path: Path
) -> None:
    """At start the first text field of the window (the Layers filter) took the keys: H typed
    an "h" there, and hid the layers, instead of choosing the highlighter."""
    open_and_wait(qtbot, window, sample_pdf)
    assert QApplication.focusWidget() is window.view
    key(qtbot, Qt.Key.Key_H)
    assert window.tools.current.name == "highlight"
    assert window.review.layers_dock.filter.text() == ""
    key(qtbot, Qt.Key.Key_Escape)
    window.review.layers_dock.focus_filter()  # the user was filtering, then opens a file
    open_and_wait(qtbot, window, make_pdf(tmp_path / "other.pdf"))
    key(qtbot, Qt.Key.Key_End)
    assert window.view.current_page() == KEYS_PDF_PAGES - 1
