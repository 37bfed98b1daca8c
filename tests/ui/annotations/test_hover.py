"""Hover (author, date, note text) and the size text is drawn at."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDateTime, QEvent, QLocale, QPointF, Qt
from PySide6.QtGui import QFontInfo, QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from reviewer_app.ui.annotations.marks import page_font
from reviewer_app.ui.annotations.page_annotations import PageAnnotations
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import UPRIGHT, USER, make_annotating_pdf, viewport_point

WHEN = "2026-03-04T09:30:00.000Z"


def _local_short(iso: str) -> str:
    seconds = int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(seconds), QLocale.FormatType.ShortFormat)


CONTENTS: list[dict[str, Any]] = [
    {"type": "pspdfkit/shape/rectangle", "bbox": [40, 200, 60, 40], "strokeColor": "#ff0000"},
    {"type": "pspdfkit/shape/ellipse", "bbox": [120, 200, 60, 40], "strokeColor": "#00aa00"},
    {
        "type": "pspdfkit/ink",
        "bbox": [200, 200, 60, 40],
        "lines": {"points": [[[200, 200], [230, 240], [260, 200]]], "intensities": [[1, 1, 1]]},
        "lineWidth": 4,
        "strokeColor": "#0000ff",
    },
    {
        "type": "pspdfkit/markup/highlight",
        "bbox": [40, 300, 120, 16],
        "rects": [[40, 300, 120, 16]],
        "color": "#ffff00",
    },
    {
        "type": "pspdfkit/shape/line",
        "bbox": [200, 300, 80, 20],
        "startPoint": [200, 310],
        "endPoint": [280, 310],
        "strokeColor": "#000000",
        "strokeWidth": 3,
    },
]
NOTE = {
    "type": "pspdfkit/note",
    "bbox": [300, 400, 24, 24],
    "text": {"format": "plain", "value": "Check <this> sum"},
    "icon": "comment",
}


@pytest.fixture
def shown(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> MainWindow:
    ViewerSettings().set_user_name(USER)
    open_and_wait(qtbot, window, make_annotating_pdf(tmp_path / "hover.pdf"))
    window.view.set_zoom(1.0)
    window.view.go_to_page(UPRIGHT)
    assert window.document is not None
    base = {"v": 2, "pageIndex": UPRIGHT, "createdAt": WHEN, "updatedAt": WHEN, "opacity": 1}
    named = [{**base, **c, "creatorName": USER} for c in CONTENTS]
    unnamed = {**base, **NOTE}  # no creatorName: the record's author (the engine's user) shows
    window.engine.create_records(window.document.id, USER, "annotation", named)
    window.engine.create_records(window.document.id, USER, "annotation", [unnamed], user="amy")
    window.set_layer(USER)
    return window


def _hover(qtbot: QtBot, window: MainWindow, point: tuple[float, float]) -> PageAnnotations:
    """Move the mouse (no button) over page point ``point``: the move event the page view
    turns into hover events for the items under it."""
    item = window.overlay.page_item(UPRIGHT)
    assert item is not None
    viewport = window.view.viewport()
    at = QPointF(viewport_point(window, UPRIGHT, point))
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        at,
        QPointF(viewport.mapToGlobal(at)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, move)
    return item


def _centre(content: dict[str, Any]) -> tuple[float, float]:
    x, y, w, h = content["bbox"]
    return (x + w / 2, y + (h / 2 if content["type"] != "pspdfkit/ink" else 3))


def test_each_drawn_annotation_tells_its_author_and_date(qtbot: QtBot, shown: MainWindow) -> None:
    date = _local_short(WHEN)
    assert date
    for content in CONTENTS:
        assert _hover(qtbot, shown, (10, 10)).toolTip() == ""  # off every mark first
        item = _hover(qtbot, shown, _centre(content))  # hover events are sent at once
        assert USER in item.toolTip() and date in item.toolTip(), content["type"]
        assert item.hovered is not None and item.hovered.record.content["type"] == content["type"]
    assert _hover(qtbot, shown, (380, 540)).toolTip() == ""  # nothing there


@pytest.mark.qt_log_ignore("This plugin does not support (raise|propagateSizeHints)")
def test_a_note_also_shows_its_text(qtbot: QtBot, shown: MainWindow) -> None:
    item = _hover(qtbot, shown, (312, 412))
    assert "amy" in item.toolTip()
    assert "Check &lt;this&gt; sum" in item.toolTip()  # text, not markup
    assert _local_short(WHEN) in item.toolTip()
    viewport = shown.view.viewport()
    at = viewport_point(shown, UPRIGHT, (312, 412))
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)  # what the user sees after a pause
    assert "amy" in QToolTip.text() and "Check &lt;this&gt; sum" in QToolTip.text()
    QToolTip.hideText()


def test_tooltips_are_made_on_hover_only(qtbot: QtBot, shown: MainWindow) -> None:
    item = shown.overlay.page_item(UPRIGHT)
    assert item is not None
    qtbot.waitUntil(lambda: item.marks() != [], timeout=2000)
    assert item.toolTip() == "" and item.acceptHoverEvents()
    assert all(not hasattr(m, "tooltip") for m in item.marks())


def test_annotation_text_is_drawn_at_its_size_in_page_points(qtbot: QtBot) -> None:
    """A 20 pt free text is 20 scene units (points) high, whatever the screen's dpi: a font's
    point size would otherwise be scaled twice (by the dpi and by the view's points→pixels)."""
    for size in (8.0, 14.0, 20.0):
        assert QFontInfo(page_font(size)).pixelSize() == pytest.approx(size, abs=0.6)
