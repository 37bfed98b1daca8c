"""Note icons painted from a picture drawn once per look and scale, as a font's glyphs are:
a page of notes is a run of image copies, not of antialiased strokes (each rounded box and
its lines cost 20-25 µs through QPainter's stroker, a copy about 2 µs)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen

NOTE_EDGE = QColor("#5b4a00")
NOTE_PEN = QPen(NOTE_EDGE, 0.8)
KEPT = 256  # pictures kept (a look at a zoom each: a page uses one or two)
_MARGIN = 1  # device pixels around the box: half the edge's pen, and antialiasing
_pictures: dict[tuple[float, ...], QImage] = {}


def icon_path(rect: QRectF, radius: float = 2.5) -> QPainterPath:
    """The icon's outline filling ``rect``: a box with rounded corners and three lines of
    "text" in it (the note tool's preview and its toolbar button draw it too)."""
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    left, right = rect.left() + rect.width() * 0.2, rect.left() + rect.width() * 0.8
    for f in (0.3, 0.5, 0.7):
        y = rect.top() + rect.height() * f
        path.moveTo(left, y)
        path.lineTo(right, y)
    return path


def draw_vector(painter: QPainter, rect: QRectF, fill: QBrush) -> None:
    """The icon itself: :func:`icon_path` edged with ``NOTE_PEN``, its box filled with
    ``fill``."""
    painter.setPen(NOTE_PEN)
    painter.setBrush(fill)
    painter.drawPath(icon_path(rect))


def draw(painter: QPainter, rect: QRectF, fill: QBrush, look: tuple[float, ...]) -> None:
    """Paint the icon over ``rect`` (page points; ``look`` is its left, top, width, height
    and colour): a copy of its picture at this scale, at the nearest device pixel; drawn as
    vectors when the page is turned, skewed or mirrored."""
    device = painter.deviceTransform()
    sx, sy = device.m11(), device.m22()
    if sx <= 0 or sy <= 0 or device.isRotating():
        draw_vector(painter, rect, fill)
        return
    left, top, *kind = look
    key = (*kind, sx, sy)
    picture = _pictures.get(key)
    if picture is None:
        picture = _picture(rect, fill, sx, sy)
        if len(_pictures) >= KEPT:
            _pictures.clear()
        _pictures[key] = picture
    # where its pixels go, in page points (no world transform changed: a state change costs
    # more than the copy), from the device pixel nearest to the box's corner
    dx, dy = device.dx(), device.dy()
    x = math.floor(left * sx + dx + 0.5) - _MARGIN
    y = math.floor(top * sy + dy + 0.5) - _MARGIN
    target = QRectF((x - dx) / sx, (y - dy) / sy, picture.width() / sx, picture.height() / sy)
    painter.drawImage(target, picture)


def _picture(rect: QRectF, fill: QBrush, sx: float, sy: float) -> QImage:
    """The icon drawn at the device scale ``sx``, ``sy`` into a picture of its size, with a
    margin of ``_MARGIN`` pixels around."""
    width = math.ceil(rect.width() * sx) + 2 * _MARGIN
    height = math.ceil(rect.height() * sy) + 2 * _MARGIN
    picture = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    picture.fill(Qt.GlobalColor.transparent)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(_MARGIN, _MARGIN)
    painter.scale(sx, sy)
    painter.translate(-rect.left(), -rect.top())
    draw_vector(painter, rect, fill)
    painter.end()
    return picture
