"""A note's popup opens where it can be read: beside its icon, on the left when the icon is
at the right edge of what the view shows (where notes go: in the margin)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.tools.text_edit import current_editor
from reviewer_app.ui.viewer.page_view import FIT_WIDTH
from tests.ui.tools.conftest import TURNED, UPRIGHT


def shown_rect(window: MainWindow) -> QRectF:
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


@pytest.mark.parametrize("page", [UPRIGHT, TURNED])
@pytest.mark.parametrize("edge", ["left", "right"])
def test_the_popup_shows_whole_wherever_the_note_is_placed(
    qtbot: QtBot, annotating: MainWindow, page: int, edge: str
) -> None:
    window, view = annotating, annotating.view
    view.go_to_page(page)
    view.set_fit(FIT_WIDTH)  # the page's right edge is the view's
    window.tools.choose("note")
    shown = view.mapFromScene(view.pages[page].sceneBoundingRect()).boundingRect()
    right = min(shown.right(), view.viewport().width())
    x = shown.left() + 20 if edge == "left" else right - 20
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, shown.top() + 80))
    editor = current_editor()
    assert editor is not None
    popup = editor.mapRectToScene(editor.boundingRect())
    assert shown_rect(window).contains(popup), (popup, shown_rect(window))
    icon = window.tools.by_name["note"].preview
    assert icon is not None and shown_rect(window).contains(icon.sceneBoundingRect())
    assert not popup.intersects(icon.sceneBoundingRect())
    qtbot.keyClicks(view, "Seen")


@pytest.mark.parametrize("page", [UPRIGHT, TURNED])
def test_in_a_view_too_narrow_for_it_beside_the_icon_the_popup_opens_under_it(
    qtbot: QtBot, annotating: MainWindow, page: int
) -> None:
    window, view = annotating, annotating.view
    view.go_to_page(page)
    view.set_zoom(1.0)  # a page wider than this narrow view
    window.tools.choose("note")
    middle = view.viewport().rect().center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    editor = current_editor()
    assert editor is not None
    popup = editor.mapRectToScene(editor.boundingRect())
    icon = window.tools.by_name["note"].preview.sceneBoundingRect()
    shown = shown_rect(window)
    assert popup.width() + icon.width() > shown.width() / 2  # no room beside the icon
    assert not popup.intersects(icon) and popup.top() > icon.bottom()
    # seen from where its text starts (its frame's margin aside)
    assert abs(popup.left() - shown.left()) < 3 and popup.top() < shown.bottom()
    qtbot.keyClicks(view, "Seen")
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert current_editor() is None
