"""A page's marks kept as pixels (``viewer.item_rasters``): laid over the page they give the
pixels the marks give painted (multiplying highlights included), at any scale, turn and
whole-pixel scroll; they serve a layer switched back to; they are not used where they would
differ (another blend mode, a link outlined under the mouse, a new appearance image)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QTransform
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations import page_annotations
from reviewer_app.ui.annotations.marks import EVERYWHERE, Mark, paint_marks
from reviewer_app.ui.annotations.page_annotations import PageAnnotations
from reviewer_app.ui.annotations.shapes import mark_of
from reviewer_app.ui.core import turns
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.viewer import item_rasters
from reviewer_app.ui.viewer.item_rasters import Raster
from tests.ui.conftest import largest_difference, layer_read, open_and_wait

AA = QPainter.RenderHint.Antialiasing
KINDS = ["rectangle", "ellipse", "line", "highlight", "ink", "note", "text"]


def content(i: int, page: int = 0, blend: str | None = None) -> dict[str, Any]:
    """The ``i``th of a mix of annotations spread over a 400 × 500 page: shapes, lines, ink,
    notes, free text, and highlights (drawn multiplying the page)."""
    x, y = 10 + (i * 37) % 340, 10 + (i * 53) % 450
    kind = KINDS[i % len(KINDS)]
    made: dict[str, Any] = {"v": 2, "pageIndex": page, "bbox": [x, y, 40, 18], "opacity": 1}
    made["type"] = {
        "highlight": "pspdfkit/markup/highlight",
        "ink": "pspdfkit/ink",
        "note": "pspdfkit/note",
        "text": "pspdfkit/text",
    }.get(kind, f"pspdfkit/shape/{kind}")
    made |= {"strokeColor": ["#d03030", "#3050d0"][i % 2], "strokeWidth": 1 + i % 3}
    made |= {"color": "#ffee00", "startPoint": [x, y], "endPoint": [x + 40, y + 18]}
    made |= {"rects": [[x, y, 40, 18]], "lineWidth": 2, "fontSize": 10, "fontColor": "#000000"}
    made["lines"] = {"points": [[[x, y], [x + 15, y + 18], [x + 40, y]]], "intensities": []}
    made |= {"text": {"format": "plain", "value": f"note {i}"}, "icon": "comment"}
    made |= {"horizontalAlign": "left", "verticalAlign": "top"}
    if i % 11 == 0:
        made["opacity"] = 0.5
    if blend:
        made["blendMode"] = blend
    return made


def marks(count: int) -> list[Mark]:
    made = (mark_of(Record("annotation", f"a{i}", content(i))) for i in range(count))
    return [m for m in made if m is not None]


def page(size: tuple[int, int] = (520, 620)) -> QImage:
    """A page under the marks with every level of grey and colour in it."""
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    across = QLinearGradient(0, 0, size[0], 0)
    across.setColorAt(0, QColor("black"))
    across.setColorAt(0.5, QColor("#3080ff"))
    across.setColorAt(1, QColor("white"))
    painter.fillRect(image.rect(), across)
    painter.setPen(QColor("#20a040"))
    for row in range(0, size[1], 9):
        painter.drawText(0, row, "Some words of the page under the marks " * 3)
    painter.end()
    return image


def painted(drawing: list[Mark], device: QTransform, ratio: float = 1.0) -> QImage:
    image = page()
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(QTransform(device) * QTransform.fromScale(1 / ratio, 1 / ratio))
    paint_marks(painter, drawing, EVERYWHERE)
    painter.end()
    return image


def made(drawing: list[Mark], device: QTransform, region: QRect) -> Raster:
    raster = Raster(drawing, lambda p, part: paint_marks(p, part, EVERYWHERE), device, region, AA)
    while not raster.step(time.perf_counter() + 1):
        pass
    return raster


def laid(
    raster: Raster, device: QTransform, ratio: float = 1.0, exposed: QRectF = EVERYWHERE
) -> tuple[QImage, bool]:
    image = page()
    image.setDevicePixelRatio(ratio)
    painter = QPainter(image)
    painter.setTransform(QTransform(device) * QTransform.fromScale(1 / ratio, 1 / ratio))
    served = raster.lay(painter, exposed, image.rect())
    painter.end()
    return image, served


@pytest.mark.parametrize(
    ("device", "ratio"),
    [
        (QTransform(1.25, 0, 0, 1.25, 3.3, 7.7), 1.0),  # a zoom, a page off the pixel grid
        (QTransform(2, 0, 0, 2, 10, 4), 2.0),  # a screen of two device pixels per point
        (QTransform(0, 1, -1, 0, 515, 2), 1.0),  # a page turned a quarter
    ],
)
def test_the_raster_laid_over_the_page_has_the_marks_pixels(
    qapp: Any, device: QTransform, ratio: float
) -> None:
    drawing = marks(140)
    assert any(m.blend == "multiply" for m in drawing)  # the highlights multiply the page
    raster = made(drawing, device, QRect(0, 0, 520, 620))
    image, served = laid(raster, device, ratio)
    assert served
    painted_ = painted(drawing, device, ratio)
    assert painted_ != page()  # (the marks are on it)
    # the same pixels, but for the rounding of values kept in 8 bits (a raster of another
    # drawing differs by far more)
    assert largest_difference(image, painted_) <= 3
    assert largest_difference(laid(made(marks(139), device, raster.region), device)[0], image) > 60


def test_a_view_moved_by_whole_pixels_is_served_and_another_view_is_not(qapp: Any) -> None:
    device = QTransform(1.2, 0, 0, 1.2, 20.25, 10.5)
    drawing = marks(70)
    raster = made(drawing, device, QRect(0, 0, 520, 640))
    scrolled = QTransform(device) * QTransform.fromTranslate(-7, -12)  # as a scroll moves it
    image, served = laid(raster, scrolled, exposed=QRectF(0, 0, 400, 500))  # the page
    assert served
    assert largest_difference(image, painted(drawing, scrolled)) <= 3
    for other in (
        QTransform(device) * QTransform.fromTranslate(0.5, 0),  # half a pixel over
        QTransform(device) * QTransform.fromScale(1.1, 1.1),  # zoomed
    ):
        assert laid(raster, other) == (page(), False)
    # a place the raster does not hold: not served (the item paints itself there)
    assert laid(made(drawing, device, QRect(0, 0, 200, 200)), device) == (page(), False)


# an item of a view, as the page view holds them ------------------------------------------


class Scene:
    """A view showing one page (a white rectangle) and its PageAnnotations item, in a window
    (away from the window's corner, as the page view is)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.scene = QGraphicsScene()
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.view = QGraphicsView(self.scene)
        # the page where it is whatever the view's size, which may change as the window
        # settles (centred, it would move by half a pixel: another view for a raster)
        self.scene.setSceneRect(-30, -30, 460, 560)
        self.view.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for bars in (self.view.setHorizontalScrollBarPolicy, self.view.setVerticalScrollBarPolicy):
            bars(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self.window)
        layout.addWidget(self.view)
        layout.setContentsMargins(70, 40, 10, 10)
        self.window.resize(560, 640)
        sheet = QGraphicsRectItem(0, 0, 400, 500)
        sheet.setBrush(Qt.GlobalColor.white)
        self.scene.addItem(sheet)
        self.item = PageAnnotations(sheet, (400, 500))
        self.window.show()
        qtbot.waitExposed(self.window)
        self.qtbot = qtbot

    def grab(self, mark_by_mark: bool = False) -> QImage:
        """What the view shows once the marks are made (``mark_by_mark``: with no raster,
        as the item paints itself); then the raster this paint asked for is made (the
        window left alone)."""
        self.qtbot.waitUntil(lambda: not turns.busy() and not page_annotations.making())
        if mark_by_mark:
            item_rasters.clear()
        image = self.window.grab().toImage()  # (the view painted where it is in the window)
        self.qtbot.waitUntil(lambda: not item_rasters.pending())
        return image

    def from_raster(self, served: list[bool]) -> QImage:
        """What the view shows painted from a raster, once one serves (it is made when the
        view has stayed a moment: a view that moved meanwhile asks for another)."""
        grabbed: list[QImage] = []

        def grab_served() -> bool:
            self.grab()
            del served[:]
            grabbed.append(self.window.grab().toImage())
            return served == [True]

        self.qtbot.waitUntil(grab_served, timeout=10000)
        return grabbed[-1]


def records(count: int, blend: str | None = None, prefix: str = "a") -> list[Record]:
    return [Record("annotation", f"{prefix}{i}", content(i, blend=blend)) for i in range(count)]


@pytest.fixture(autouse=True)
def no_rasters() -> Any:
    item_rasters.clear()  # (another test's)
    yield
    item_rasters.clear()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each raster asked to lay its pixels: whether it did."""
    laid_: list[bool] = []
    lay = Raster.lay

    def counted(raster: Raster, *args: Any) -> bool:
        laid_.append(lay(raster, *args))
        return laid_[-1]

    monkeypatch.setattr(Raster, "lay", counted)
    return laid_


def test_a_page_of_many_marks_is_painted_from_its_raster_once_made(
    qtbot: QtBot, served: list[bool]
) -> None:
    shown = Scene(qtbot)
    first = records(160)
    shown.item.set_records(first)
    painted_ = shown.grab(mark_by_mark=True)  # its raster made after
    assert largest_difference(shown.from_raster(served), painted_) <= 3
    # another layer, then the first again: its raster serves the first paint at once
    shown.item.set_records(records(150, prefix="b"))
    other = shown.grab()
    assert largest_difference(other, painted_) > 60
    shown.item.set_records(first)
    del served[:]
    back = shown.window.grab().toImage()
    assert served == [True]
    assert largest_difference(back, painted_) <= 3


def test_few_marks_or_other_blend_modes_are_painted_mark_by_mark(
    qtbot: QtBot, served: list[bool]
) -> None:
    shown = Scene(qtbot)
    for drawing in (records(40), records(160, blend="darken")):  # darken: not affine
        shown.item.set_records(drawing)
        shown.grab()
        shown.grab()
        assert item_rasters.kept_bytes() == 0
    assert served == []


def test_a_link_outlined_under_the_mouse_is_painted(qtbot: QtBot, served: list[bool]) -> None:
    shown = Scene(qtbot)
    link = {"v": 2, "type": "pspdfkit/link", "pageIndex": 0, "bbox": [150, 150, 100, 40]}
    drawing = [*records(160), Record("annotation", "link", link)]
    shown.item.set_records(drawing)
    plain = shown.grab(mark_by_mark=True)
    shown.from_raster(served)
    shown.item.hovered = next(m for m in shown.item.marks() if m.record.id == "link")
    del served[:]
    outlined = shown.window.grab().toImage()
    assert served == []  # not asked: the item painted itself
    assert largest_difference(outlined, plain) > 60


def test_a_new_appearance_image_is_shown_not_the_raster_before(
    qtbot: QtBot, served: list[bool]
) -> None:
    shown = Scene(qtbot)
    drawing = records(160)
    shown.item.set_from_pdf({"a0"})  # a0 painted from its PDF appearance image
    shown.item.set_records(drawing)

    def appearance(colour: str) -> None:
        image = QImage(40, 40, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(colour))
        shown.item.set_appearances([(drawing[0], image, QRectF(300, 420, 40, 40), 1.0)])

    appearance("#ff0000")
    shown.from_raster(served)
    appearance("#0000ff")
    blue = shown.grab()
    where = shown.view.viewport().mapTo(shown.window, shown.view.mapFromScene(QPointF(320, 440)))
    assert QColor(blue.pixel(where)).name() == "#0000ff"


def test_rasters_are_kept_within_their_budget(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, served: list[bool]
) -> None:
    shown = Scene(qtbot)
    first = records(160)
    shown.item.set_records(first)
    shown.grab()
    one = item_rasters.kept_bytes()
    assert one > 0
    monkeypatch.setattr(item_rasters, "BUDGET", one)
    shown.item.set_records(records(160, prefix="b"))
    shown.grab()
    assert item_rasters.kept_bytes() == one  # the first layer's dropped
    shown.item.set_records(first)
    del served[:]
    shown.window.grab()
    assert True not in served  # painted mark by mark again


# the window: a reviewer switching between two big layers ----------------------------------


def test_switching_back_to_a_layer_paints_it_from_its_raster(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, served: list[bool]
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    assert window.document is not None
    for name in ("one", "two"):
        drawn = [content(i + len(name)) for i in range(300)]
        window.engine.create_records(window.document.id, name, "annotation", drawn)

    def on_screen() -> QImage:
        """The page view as the window shows it (painted where it lies in the window)."""
        viewport = window.view.viewport()
        place = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
        return window.grab().toImage().copy(place)

    def show(name: str, mark_by_mark: bool = False) -> QImage:
        window.set_layer(name)
        layer_read(qtbot, window)
        qtbot.waitUntil(lambda: not turns.busy() and not page_annotations.making())
        if mark_by_mark:
            item_rasters.clear()  # (the one made after its paint on screen)
        image = on_screen()
        qtbot.waitUntil(lambda: not item_rasters.pending())
        return image

    one = show("one", mark_by_mark=True)  # its raster made after
    show("two")
    del served[:]
    window.set_layer("one")
    layer_read(qtbot, window)
    qtbot.waitUntil(lambda: not turns.busy() and not page_annotations.making())
    back = on_screen()
    assert served[0] is True  # its first paint, and each after
    assert False not in served
    assert largest_difference(back, one) <= 3
