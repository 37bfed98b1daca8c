"""Annotation types the overlay does not draw show from their PDF appearance, on their layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from reviewer_app.ui.annotations.page_annotations import PageAnnotations
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait
from tests.ui.tools.conftest import TURNED, UPRIGHT, viewport_point

ATTACHMENT_AT = (300.0, 400.0)  # the icon's top left, unrotated page points
UNDRAWN = "pspdfkit/file-attachment"  # a type the overlay has no drawer for


def _pdf(path: Path) -> tuple[Path, dict[int, tuple[int, list[float]]]]:
    """Two pages (the second turned a quarter), each with a red paperclip file attachment (a
    type the base layer keeps in the PDF only); by page, its object number and Instant bbox."""
    doc = pymupdf.open()
    found = {}
    for index in range(2):
        page = doc.new_page(width=400, height=560)
        annot = page.add_file_annot(
            pymupdf.Point(*ATTACHMENT_AT), b"notes", "n.txt", icon="Paperclip"
        )
        annot.set_colors(stroke=(1, 0, 0))
        annot.update()
        found[index] = (
            annot.xref,
            [annot.rect.x0, annot.rect.y0, annot.rect.width, annot.rect.height],
        )
    doc[TURNED].set_rotation(90)
    doc.save(path)
    return path, found


def _records(found: dict[int, tuple[int, list[float]]]) -> list[dict[str, Any]]:
    return [
        {"v": 2, "type": UNDRAWN, "pageIndex": page, "bbox": box, "pdfObjectId": xref}
        for page, (xref, box) in found.items()
    ]


@pytest.fixture
def shown(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> tuple[MainWindow, dict[int, Any]]:
    path, found = _pdf(tmp_path / "attachments.pdf")
    open_and_wait(qtbot, window, path)
    assert window.document is not None
    window.engine.create_records(window.document.id, "with", "annotation", _records(found))
    window.engine.create_records(window.document.id, "without", "bookmark", [_bookmark()])
    for dock in window.findChildren(QDockWidget):
        dock.hide()  # room for the page
    window.view.set_zoom(0.6)  # whole pages in the viewport
    return window, found


def _bookmark() -> dict[str, Any]:
    return {"v": 1, "type": "pspdfkit/bookmark", "action": {"type": "goTo", "pageIndex": 0}}


def _item(qtbot: QtBot, window: MainWindow, page: int) -> PageAnnotations:
    window.view.go_to_page(page)
    qtbot.waitUntil(lambda: window.overlay.page_item(page) is not None, timeout=5000)
    item = window.overlay.page_item(page)
    assert item is not None
    return item


def _red_pixels(window: MainWindow, page: int, box: list[float]) -> int:
    """Red pixels on screen within ``box`` (Instant points of ``page``)."""
    window.view.viewport().repaint()
    shot = window.view.viewport().grab().toImage()
    x, y, w, h = box
    corners = [viewport_point(window, page, p) for p in ((x, y), (x + w, y + h))]
    left, right = sorted(c.x() for c in corners)
    top, bottom = sorted(c.y() for c in corners)
    count = 0
    for px in range(max(left, 0), min(right, shot.width())):
        for py in range(max(top, 0), min(bottom, shot.height())):
            pixel = QColor(shot.pixel(px, py))
            count += pixel.red() > 180 and pixel.green() < 90 and pixel.blue() < 90
    return count


def test_an_undrawn_annotation_shows_its_pdf_appearance_at_its_bbox(
    qtbot: QtBot, shown: tuple[MainWindow, dict[int, Any]]
) -> None:
    window, found = shown
    window.set_layer("with")
    assert [r.content["type"] for r in window.overlay.undrawn] == [UNDRAWN, UNDRAWN]
    images = []
    for page in (UPRIGHT, TURNED):
        item = _item(qtbot, window, page)
        qtbot.waitUntil(lambda item=item: len(item.appearances) == 1, timeout=5000)
        xref, box = found[page]
        ((rect, image),) = item.appearances.values()
        scale = window.overlay.images[xref][0]
        assert scale == pytest.approx(window.view.render_scale())
        # in page points, where MuPDF draws it: the record's box, to the pixel
        assert rect.contains(QRectF(*box))
        assert rect.width() - box[2] < 1 / scale and rect.height() - box[3] < 1 / scale
        assert image.width() == pytest.approx(box[2] * scale, abs=1)
        assert image.height() == pytest.approx(box[3] * scale, abs=1)
        assert _red_pixels(window, page, box) > 20  # painted there, on screen
        assert _red_pixels(window, page, [box[0] + 40, box[1], box[2], box[3]]) == 0
        images.append(image)
    assert images[0] == images[1]  # the turned page's paperclip is upright in its own page too


def test_only_the_layer_showing_the_record_shows_its_appearance(
    qtbot: QtBot, shown: tuple[MainWindow, dict[int, Any]]
) -> None:
    window, found = shown
    window.set_layer("with")
    item = _item(qtbot, window, UPRIGHT)
    qtbot.waitUntil(lambda: len(item.appearances) == 1, timeout=5000)
    box = found[UPRIGHT][1]
    assert _red_pixels(window, UPRIGHT, box) > 20
    window.set_layer("without")
    assert item.appearances == {} and window.overlay.undrawn == []
    # the attachment itself is one no layer can hold: the page's tiles carry it in every layer
    assert _red_pixels(window, UPRIGHT, box) > 20
    window.set_layer("with")  # back: from the image already there, at once
    assert len(item.appearances) == 1
    assert _red_pixels(window, UPRIGHT, box) > 20
