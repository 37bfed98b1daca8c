"""The window's toolbar (icons, the page box, the zoom box), the Layers dock's buttons and the
Help menu (the keyboard-shortcut sheet built from the menus, About)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar, QToolButton
from pytestqt.qtbot import QtBot

from reviewer_app import __version__
from reviewer_app.ui.help import about_html, sheet_html
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.viewer.page_view import CUSTOM, FIT_PAGE, FIT_WIDTH
from tests.ui.conftest import open_and_wait


def test_every_viewer_action_on_the_toolbar_has_an_icon(window: MainWindow) -> None:
    a = window.viewer_actions
    for action in (a.open, a.zoom_in, a.zoom_out, a.fit_width, a.fit_page, a.rotate_left):
        icon = action.icon()
        assert not icon.isNull() and not icon.pixmap(24, 24).toImage().isNull()
        image = icon.pixmap(24, 24).toImage()
        inked = sum(image.pixelColor(x, y).alpha() > 0 for x in range(24) for y in range(24))
        assert inked > 20, action.text()  # something is drawn


def test_the_page_box_follows_the_page_and_goes_where_typed(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    box = window.page_box
    assert box.line.text() == "1" and box.count.text() == " of 12"
    window.view.go_to_page(4)
    assert box.line.text() == "5"
    box.line.setFocus()
    box.line.selectAll()
    qtbot.keyClicks(box.line, "9")  # a digit is a tool key elsewhere, but here it is typed
    qtbot.keyClick(box.line, Qt.Key.Key_Return)
    assert window.view.current_page() == 8 and window.tools.current.name == "select"
    assert window.view.hasFocus()  # the pages take the keys back
    box.line.setFocus()
    box.line.selectAll()
    qtbot.keyClicks(box.line, "99")  # beyond the last page: Enter is not taken
    qtbot.keyClick(box.line, Qt.Key.Key_Return)
    assert window.view.current_page() == 8
    qtbot.keyClick(box.line, Qt.Key.Key_Escape)  # gives up: the box shows the page again
    assert box.line.text() == "9" and window.view.hasFocus()


def test_the_zoom_box_shows_and_sets_the_zoom(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    box, view = window.zoom_box, window.view
    assert view.fit == FIT_WIDTH and box.currentText() == "Fit Width"
    box.activated.emit(box.findData(200))
    assert view.fit == CUSTOM and view.zoom == 2.0 and box.currentText() == "200 %"
    box.activated.emit(box.findData(FIT_PAGE))
    assert view.fit == FIT_PAGE and box.currentText() == "Fit Page"
    line = box.lineEdit()
    assert line is not None
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "130")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert abs(view.zoom - 1.3) < 1e-9 and box.currentText() == "130 %"
    window.viewer_actions.zoom_in.trigger()
    assert box.currentText() == f"{view.zoom * 100:.0f} %"


def test_rare_layer_commands_wait_in_more(window: MainWindow) -> None:
    dock = window.review.layers_dock
    actions = window.review.actions
    buttons = [b for b in dock.findChildren(QToolButton) if b.defaultAction() is not None]
    shown = {b.defaultAction() for b in buttons if b.isVisibleTo(dock)}
    assert actions.new_layer in shown and actions.compare in shown
    assert actions.import_json not in shown and actions.undo_delete not in shown
    assert dock.more.actions() == [
        *(actions.undo_delete, actions.import_json, actions.export_json),
        *(actions.import_xfdf, actions.export_xfdf),
    ]


def test_the_shortcut_sheet_lists_every_menu_shortcut_a_keyboard_has(window: MainWindow) -> None:
    sheet = sheet_html(window.help.menus)
    for keys, what in (("Ctrl+O", "Open"), ("F5", "Sync Now"), ("Ctrl+PgDown", "Next Layer")):
        assert keys in sheet and what in sheet
    assert "Ctrl+Shift+M" in sheet and "Compare Layers" in sheet
    assert "F14" not in sheet and "Zoom In</b>" not in sheet  # no keys a keyboard lacks
    assert "<b>Arrow keys (Shift: by 10 pt)</b>" in sheet  # the page's own keys too, the
    assert "<b>Esc</b>" in sheet  # keys in bold on the left as in the menus' tables
    window.help.shortcuts.trigger()
    assert window.help.sheet is not None and window.help.sheet.isVisible()
    assert "Keyboard shortcuts" in window.help.sheet.text.toPlainText()
    window.help.sheet.close()


def test_about_names_the_version_licence_and_data_folder(window: MainWindow) -> None:
    text = about_html(window.engine.data_dir, window.settings.path())
    assert __version__ in text and "AGPL-3.0-or-later" in text
    assert str(window.engine.data_dir) in text and window.settings.path() in text
    assert window.help.about in window.help.menus[-1].actions()


def test_the_left_docks_tabs_show_their_whole_titles_at_the_first_start(
    qtbot: QtBot, window: MainWindow
) -> None:
    """At 160 px the tabs read "P...", "O...", "Bo..."; the first layout makes room for them."""
    bars = [bar for bar in window.findChildren(QTabBar) if bar.count() == 3 and bar.isVisible()]
    titles = {window.thumbnails.windowTitle(), "Outline", "Bookmarks"}
    (bar,) = [b for b in bars if {b.tabText(i) for i in range(b.count())} == titles]
    qtbot.waitUntil(lambda: bar.width() > 0)
    for i in range(bar.count()):
        needed = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
        assert bar.tabRect(i).width() > needed, bar.tabText(i)
