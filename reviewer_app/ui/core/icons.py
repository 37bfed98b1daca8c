"""Icons: the desktop theme's where it has one, else drawn here (so every platform has them).

``themed_icon(name)`` asks the icon theme for the freedesktop name and falls back on a
drawing of ours; ``painted_icon(draw)`` turns a drawing into a crisp icon at two sizes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap

SIZE = 24
INK = QColor("#2f3b4a")
Draw = Callable[[QPainter], None]


def painted_icon(draw: Draw) -> QIcon:
    """An icon painted by ``draw`` on a 24 × 24 canvas (sharp at 1x and 2x)."""
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(SIZE * scale, SIZE * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        pen = QPen(INK, 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        draw(painter)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _open(p: QPainter) -> None:
    path = QPainterPath(QPointF(3, 7))
    for x, y in ((3, 19), (19, 19), (21, 10), (7, 10), (5, 19)):
        path.lineTo(x, y)
    path.moveTo(3, 7)
    for x, y in ((3, 5), (9, 5), (11, 7), (17, 7), (17, 10)):
        path.lineTo(x, y)
    p.drawPath(path)


def _lens(p: QPainter, sign: str) -> None:
    p.drawEllipse(QRectF(3.5, 3.5, 12, 12))
    p.drawLine(QPointF(14, 14), QPointF(20.5, 20.5))
    p.drawLine(QPointF(6.5, 9.5), QPointF(12.5, 9.5))
    if sign == "+":
        p.drawLine(QPointF(9.5, 6.5), QPointF(9.5, 12.5))


def _fit_width(p: QPainter) -> None:
    p.drawLine(QPointF(3, 4), QPointF(3, 20))
    p.drawLine(QPointF(21, 4), QPointF(21, 20))
    p.drawLine(QPointF(6, 12), QPointF(18, 12))
    for x, d in ((6, 1), (18, -1)):
        p.drawLine(QPointF(x, 12), QPointF(x + 3 * d, 9))
        p.drawLine(QPointF(x, 12), QPointF(x + 3 * d, 15))


def _fit_page(p: QPainter) -> None:
    p.drawRect(QRectF(6, 3, 12, 18))
    p.drawLine(QPointF(9, 8), QPointF(15, 8))
    p.drawLine(QPointF(9, 12), QPointF(15, 12))
    p.drawLine(QPointF(9, 16), QPointF(13, 16))


def _rotate(p: QPainter, clockwise: bool) -> None:
    rect = QRectF(4, 5, 15, 15)
    start = 120 if clockwise else 60
    path = QPainterPath()
    path.arcMoveTo(rect, start)
    path.arcTo(rect, start, -280 if clockwise else 280)
    p.drawPath(path)
    angle = math.radians(start)
    tip = QPointF(11.5 + 7.5 * math.cos(angle), 12.5 - 7.5 * math.sin(angle))
    side = 1 if clockwise else -1
    p.drawLine(tip, tip + QPointF(4 * side, 0.5))
    p.drawLine(tip, tip + QPointF(0.5 * side, 4))


def _undo(p: QPainter, forward: bool) -> None:
    flip = -1 if forward else 1
    centre = 12

    def x(value: float) -> float:
        return centre + flip * (value - centre)

    path = QPainterPath(QPointF(x(5), 10))
    path.cubicTo(QPointF(x(10), 5), QPointF(x(19), 6), QPointF(x(19), 13))
    path.cubicTo(QPointF(x(19), 17), QPointF(x(16), 19), QPointF(x(12), 19))
    p.drawPath(path)
    p.drawLine(QPointF(x(5), 10), QPointF(x(5), 4.5))
    p.drawLine(QPointF(x(5), 10), QPointF(x(10.5), 10))


def _select_text(p: QPainter) -> None:
    font = QFont()
    font.setPixelSize(13)
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(1, 3, 14, 16), int(Qt.AlignmentFlag.AlignCenter), "T")
    p.drawLine(QPointF(18, 4), QPointF(18, 20))
    p.drawLine(QPointF(15.5, 4), QPointF(20.5, 4))
    p.drawLine(QPointF(15.5, 20), QPointF(20.5, 20))


DRAWINGS: dict[str, Draw] = {
    "document-open": _open,
    "zoom-in": lambda p: _lens(p, "+"),
    "zoom-out": lambda p: _lens(p, "-"),
    "zoom-fit-width": _fit_width,
    "zoom-fit-best": _fit_page,
    "object-rotate-left": lambda p: _rotate(p, False),
    "object-rotate-right": lambda p: _rotate(p, True),
    "edit-undo": lambda p: _undo(p, False),
    "edit-redo": lambda p: _undo(p, True),
    "edit-select-text": _select_text,
}


def themed_icon(name: str) -> QIcon:
    """The theme's icon ``name`` (freedesktop naming), else our drawing of it."""
    drawing = DRAWINGS[name]
    if QIcon.hasThemeIcon(name):
        return QIcon.fromTheme(name)
    return painted_icon(drawing)
