"""The pen: one drag draws one freehand stroke, smoothed, with the tablet's pressure if any."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPathItem

from reviewer_app.instant.ink_strokes import Point, lines_bbox, smooth_stroke
from reviewer_app.ui.tools.page_tools import PREVIEW_Z, PagePoint, Tool
from reviewer_app.ui.viewer.page_items import remove_item

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

PIECE = 32  # points per preview item: a move repaints only the last piece, not the stroke


def stroke_pen(style: dict[str, Any]) -> QPen:
    """The pen a stroke of ``style`` is drawn with (round ends and joins, like the overlay)."""
    pen = QPen(QColor(str(style.get("strokeColor") or "#000000")))
    pen.setWidthF(max(float(style.get("lineWidth") or 1.0), 0.1))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


class InkTool(Tool):
    """Freehand drawing: the drag's points, softened and simplified on release, become one
    ``pspdfkit/ink`` record with one line. Pen pressure (tablets) goes to ``intensities``
    and sets ``isDrawnNaturally``; a mouse stores 1.0 everywhere. The preview is built in
    pieces of :data:`PIECE` points so each move costs the same however long the stroke."""

    name = "ink"
    title = "&Pen"
    shortcuts = ("5", "P")
    default_style: ClassVar[dict[str, Any]] = {
        "strokeColor": "#1e40af",
        "lineWidth": 2.0,
        "opacity": 1.0,
    }

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        self._page = -1
        self._points: list[Point] = []
        self._pressures: list[float | None] = []
        self._pieces: list[QGraphicsPathItem] = []
        self._pen = QPen()
        self._opacity = 1.0
        self._in_piece = 0

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if not self.starts_drawing(at, event):
            return False
        self.cancel()
        style = self.style()
        self._page = at.page
        self._pen = stroke_pen(style)
        self._opacity = min(max(float(style.get("opacity", 1.0) or 1.0), 0.0), 1.0)
        if self._opacity < 1.0:  # round ends would overlap, darker, where two pieces meet
            self._pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self._add(at.pos)
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self._page < 0 or at is None:
            return False
        self._add(at.pos)
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self._page < 0:
            return False
        if at is not None:
            self._add(at.pos)
        page, points, pressures = self._page, self._points, self._pressures
        if len(set(points)) >= 2:  # a click without a drag draws nothing
            self.tools.editor.create([self._content(page, points, pressures)])
        self.cancel()
        return True

    def cancel(self) -> None:
        for item in self._pieces:
            remove_item(item)
        self._pieces, self._points, self._pressures = [], [], []
        self._page, self._in_piece = -1, 0

    def _add(self, pos: QPointF) -> None:
        """One more point: stored, and drawn by extending the last preview piece."""
        point = (pos.x(), pos.y())
        if self._points and self._points[-1] == point:
            return
        self._points.append(point)
        self._pressures.append(self.tools.pressure)
        if not self._pieces or self._in_piece >= PIECE:
            start = QPointF(*self._points[-2]) if len(self._points) > 1 else pos
            path = QPainterPath()
            path.moveTo(start)
            item = QGraphicsPathItem(self.tools.page_space(self._page))
            item.setPath(path)  # the constructor drops a path that only moves
            item.setPen(self._pen)
            item.setOpacity(self._opacity)
            item.setZValue(PREVIEW_Z)
            self._pieces.append(item)
            self._in_piece = 0
        piece = self._pieces[-1]
        path = piece.path()
        path.lineTo(pos)
        piece.setPath(path)
        self._in_piece += 1

    def _content(
        self, page: int, points: list[Point], pressures: list[float | None]
    ) -> dict[str, Any]:
        natural = any(p is not None for p in pressures)
        given = [1.0 if p is None else p for p in pressures]
        line, intensities = smooth_stroke(points, given)
        style = self.style()
        width = float(style.get("lineWidth") or 1.0)
        return {
            "v": 2,
            "type": "pspdfkit/ink",
            "pageIndex": page,
            "bbox": lines_bbox([line], width),
            "lines": {"points": [[list(p) for p in line]], "intensities": [intensities]},
            "isDrawnNaturally": natural,
            **style,
        }

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        w, h, x, y = rect.width(), rect.height(), rect.left(), rect.top()
        wave = QPainterPath(QPointF(x, y + h * 0.85))
        wave.cubicTo(x + w * 0.25, y + h * 0.55, x + w * 0.4, y + h, x + w * 0.6, y + h * 0.8)
        pen = QPen(QColor(str(self.default_style["strokeColor"])), 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPath(wave)
        body = QPolygonF(
            [
                QPointF(x + w * 0.58, y + h * 0.72),  # the nib's tip
                QPointF(x + w * 0.66, y + h * 0.5),
                QPointF(x + w * 0.95, y + h * 0.2),
                QPointF(x + w * 0.82, y + h * 0.07),
                QPointF(x + w * 0.52, y + h * 0.38),
            ]
        )
        painter.setPen(QPen(QColor("#303030"), 1.2))
        painter.setBrush(QColor("#f2c14e"))
        painter.drawPolygon(body)
