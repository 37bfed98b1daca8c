"""Note icons come from a picture drawn once per look and scale; a mark painted after a note
or a PDF appearance is painted with its own pen and opacity, whatever they set."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QTransform

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations import note_icons
from reviewer_app.ui.annotations.marks import Mark, paint_marks
from reviewer_app.ui.annotations.shapes import Appearance, appearance_mark, mark_of
from tests.ui.conftest import largest_difference

YELLOW = QBrush(QColor("#ffd400"))


def painted(draw: Any, transform: QTransform, size: tuple[int, int] = (160, 120)) -> QImage:
    image = QImage(*size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(transform)
    draw(painter)
    painter.end()
    return image


def icon(painter: QPainter, rect: QRectF) -> None:
    look = (rect.x(), rect.y(), rect.width(), rect.height(), float(YELLOW.color().rgba()))
    note_icons.draw(painter, rect, YELLOW, look)


@pytest.mark.parametrize("scale", [1.0, 2.0, 2.5])
def test_the_icon_from_its_picture_has_the_vector_icons_pixels(scale: float) -> None:
    rect = QRectF(8, 8, 24, 24)  # its corner on a device pixel at these scales
    at = QTransform.fromScale(scale, scale)
    vector = painted(lambda p: note_icons.draw_vector(p, rect, YELLOW), at)
    # the same pixels, but for the rounding of an antialiased edge laid over the page
    assert largest_difference(painted(lambda p: icon(p, rect), at), vector) <= 2
    assert painted(lambda p: icon(p, rect), at) == painted(lambda p: icon(p, rect), at)


def test_a_turned_page_draws_the_icon_as_vectors() -> None:
    rect = QRectF(30, 30, 24, 24)
    turned = QTransform().translate(120, 0).rotate(90)
    vector = painted(lambda p: note_icons.draw_vector(p, rect, YELLOW), turned)
    assert painted(lambda p: icon(p, rect), turned) == vector


def square(record_id: str, x: float) -> Mark:
    content = {"v": 2, "type": "pspdfkit/shape/rectangle", "pageIndex": 0}
    content |= {"bbox": [x, 20, 30, 30], "strokeColor": "#ff0000", "strokeWidth": 4}
    made = mark_of(Record("annotation", record_id, content))
    assert made is not None
    return made


def red_at(image: QImage, transform: QTransform, x: float, y: float) -> bool:
    at = transform.map(QPointF(x + 0.5, y + 0.5))
    return QColor(image.pixel(int(at.x()), int(at.y()))).getRgb()[:3] == (255, 0, 0)


def test_a_mark_after_a_note_draws_with_its_own_pen() -> None:
    """On a turned page the note's icon is drawn as vectors with its own pen; the rectangle
    after it, of the same style as one before the note, is red again."""
    note = {"v": 2, "type": "pspdfkit/note", "pageIndex": 0, "bbox": [60, 70, 24, 24]}
    marks = [square("a", 10), mark_of(Record("annotation", "n", note)), square("b", 100)]
    assert marks[0].pen is marks[2].pen  # one style, one pen
    turned = QTransform().translate(160, 120).rotate(180)
    image = painted(lambda p: paint_marks(p, marks, QRectF(0, 0, 160, 120)), turned)
    assert red_at(image, turned, 100, 35) and red_at(image, turned, 10, 35)  # left edges


def test_a_mark_after_a_pdf_appearance_is_painted_at_its_own_opacity() -> None:
    """A PDF appearance sets the painter's opacity itself (its own, here a half): the
    rectangle after it, whose opacity was set before, is painted opaque again."""
    record = Record("annotation", "s", {"v": 2, "type": "pspdfkit/stamp", "bbox": [60, 70, 20, 20]})
    appearance = Appearance(QRectF(60, 70, 20, 20))
    appearance.image = QImage(20, 20, QImage.Format.Format_ARGB32_Premultiplied)
    appearance.image.fill(QColor("#0000ff"))
    appearance.opacity = 0.5
    marks = [square("a", 10), appearance_mark(record, appearance), square("b", 100)]
    image = painted(lambda p: paint_marks(p, marks, QRectF(0, 0, 160, 120)), QTransform())
    assert QColor(image.pixel(70, 80)).getRgb()[:3] == (128, 128, 255)  # the stamp, at half
    assert red_at(image, QTransform(), 100, 35) and red_at(image, QTransform(), 10, 35)
