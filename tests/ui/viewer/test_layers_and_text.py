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
    overlay = window.overlay
    base_records = overlay.record_count()
    assert base_records == 1  # the PDF's own highlight, imported into the default layer
    assert overlay.record_count(1) == 1
    page_one = overlay.page_item(1)
    assert page_one is not None and page_one.parentItem() is window.view.pages[1].space
    window.engine.create_records(
        doc.id, "student", "annotation", [_shape(0, 50 * i) for i in range(5)]
    )
    window._imported(window.opened, doc)  # refresh the layer list
    assert window.layer_box.findData("student") >= 0
    cached = len(window.view.cache)
    window.layer_box.setCurrentIndex(window.layer_box.findData("student"))
    assert window.layer == "student"
    assert overlay.record_count() == 6
    assert overlay.record_count(0) == 5
    page_zero = overlay.page_item(0)
    assert page_zero is not None and page_zero.parentItem() is window.view.pages[0].space
    assert len(page_zero.marks()) == 5  # every record of the page is drawn
    assert overlay.page_item(1) is page_one  # the same item, given the new layer's records
    assert len(window.view.cache) == cached  # no page was rendered again
    window.set_layer("")
    assert overlay.record_count() == base_records
    assert overlay.record_count(0) == 0 and not page_zero.marks()


def test_annotations_are_painted_and_found_under_a_point(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    window.view.set_zoom(1.0)  # 100 %, as the points below are chosen for
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    window.engine.create_records(doc.id, "red", "annotation", [_shape(0, 50)])
    window.set_layer("red")
    page = window.overlay.page_item(0)
    assert page is not None
    found = page.marks_at(QPointF(52, 115))  # on the rectangle's left edge
    assert [m.record.content["bbox"] for m in found] == [[50, 100, 40, 30]]
    assert not page.marks_at(QPointF(300, 400))
    window.view.viewport().repaint()
    image = window.view.viewport().grab().toImage()
    edge = window.view.mapFromScene(window.view.pages[0].mapToScene(QPointF(51, 115)))
    pixel = image.pixelColor(edge)
    assert pixel.red() > 200 and pixel.green() < 90 and pixel.blue() < 90


def test_only_pages_near_the_view_get_an_annotation_item(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    doc = window.document
    assert doc is not None
    window.engine.create_records(doc.id, "far", "annotation", [_shape(10, 50)])
    window.set_layer("far")
    assert window.overlay.record_count(10) == 1
    assert window.overlay.page_item(10) is None  # not built while far away
    window.view.go_to_page(10)
    item = window.overlay.page_item(10)
    assert item is not None and len(item.marks()) == 1


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
