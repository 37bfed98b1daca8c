"""The layer's annotations drawn over the pages, find in document, and text selection."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import NEEDLE_PAGES, open_and_wait


def _shape(page: int, x: float) -> dict[str, object]:
    return {
        "v": 2,
        "type": "pspdfkit/shape/rectangle",
        "pageIndex": page,
        "bbox": [x, 100, 40, 30],
        "strokeColor": "#ff0000",
        "strokeWidth": 2,
    }


def test_layer_switch_redraws_the_overlays_only(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    base_items = len(window.overlay.items)
    assert base_items == 1  # the PDF's own highlight, imported into the default layer
    assert window.overlay.items[0].parentItem() is window.view.pages[1]
    window.engine.create_records(
        doc.id, "student", "annotation", [_shape(0, 50 * i) for i in range(5)]
    )
    window._imported(window.opened, doc)  # refresh the layer list
    assert window.layer_box.findData("student") >= 0
    cached = len(window.view.cache)
    window.layer_box.setCurrentIndex(window.layer_box.findData("student"))
    assert window.layer == "student"
    assert len(window.overlay.items) == 6
    assert len(window.overlay.on_page(0)) == 5
    assert len(window.view.cache) == cached  # no page was rendered again
    window.set_layer("")
    assert len(window.overlay.items) == base_items


def test_find_highlights_every_hit_and_steps_through_them(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    window.viewer_actions.find.trigger()
    bar = window.find_bar
    assert bar.isVisible()
    bar.line.setText("needle")
    bar.find_next()
    search = window.search
    qtbot.waitUntil(lambda: search.done and len(search.hits) == len(NEEDLE_PAGES), timeout=10000)
    assert [page for page, _ in search.hits] == list(NEEDLE_PAGES)
    assert all(item.parentItem() is not None for item in search.items)
    assert search.current == 0 and window.view.current_page() == NEEDLE_PAGES[0]
    window.viewer_actions.find_next.trigger()
    assert window.view.current_page() == NEEDLE_PAGES[1]
    assert bar.status.text() == "2 of 2"
    window.viewer_actions.find_previous.trigger()
    assert window.view.current_page() == NEEDLE_PAGES[0]
    bar.line.setText("no such words")
    bar.find_next()
    qtbot.waitUntil(lambda: search.done, timeout=10000)
    assert not search.items and bar.status.text() == "Not found"


def test_select_text_by_dragging_and_copy(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    window.viewer_actions.select_text.setChecked(True)
    page = window.view.pages[0]
    selection = window.selection
    selection.press(page.mapToScene(QPointF(74, 120)))
    selection.drag_to(page.mapToScene(QPointF(300, 128)))
    qtbot.waitUntil(lambda: bool(selection.selected), timeout=10000)
    assert selection.text().startswith("Some words to select")
    window.viewer_actions.copy.trigger()
    assert QGuiApplication.clipboard().text() == selection.text()
    assert selection.items
