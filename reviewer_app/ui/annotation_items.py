"""Annotation shapes drawn by Qt from Instant JSON records (vector items, crisp at any zoom)."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from reviewer_app.instant.records import Json, Record

ANNOTATION_Z = 10.0
_ARROWS = ("openArrow", "closedArrow", "reverseOpenArrow", "reverseClosedArrow")


def optional_color(value: Any) -> QColor | None:
    """An Instant JSON ``#rrggbb`` colour as a QColor; None when absent."""
    return QColor(value) if isinstance(value, str) and value.startswith("#") else None


def color(value: Any, fallback: str) -> QColor:
    """An Instant JSON ``#rrggbb`` colour as a QColor; ``fallback`` when absent."""
    return optional_color(value) or QColor(fallback)


def bbox(content: Json) -> QRectF:
    x, y, w, h = [*(content.get("bbox") or []), 0, 0, 0, 0][:4]
    return QRectF(float(x), float(y), float(w), float(h))


def pen(content: Json, key: str = "strokeColor", width_key: str = "strokeWidth") -> QPen:
    stroke = color(content.get(key), "#000000")
    result = QPen(stroke, float(content.get(width_key) or 1.0))
    dashes = content.get("strokeDashArray")
    if isinstance(dashes, list) and len(dashes) == 2 and all(dashes):
        result.setDashPattern([float(d) / max(result.widthF(), 0.1) for d in dashes])
    return result


def brush(content: Json, key: str = "fillColor") -> QBrush:
    fill = optional_color(content.get(key))
    return QBrush(fill) if fill else QBrush(Qt.BrushStyle.NoBrush)


def points(value: Any) -> list[QPointF]:
    return [QPointF(float(p[0]), float(p[1])) for p in value or [] if len(p) >= 2]


def text_of(content: Json) -> str:
    text = content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    return str(text or "")


class AnnotationItem(QGraphicsPathItem):
    """One record drawn as a path, with an optional text box and blending mode.

    ``record`` is the drawn record; links are invisible until hovered."""

    def __init__(self, record: Record, path: QPainterPath) -> None:
        super().__init__(path)
        self.record = record
        self.text = ""
        self.text_rect = QRectF()
        self.text_color = QColor("#000000")
        self.font_size = 12.0
        self.multiply = False
        self.hover_outline = False
        self.setZValue(ANNOTATION_Z)
        self.setOpacity(float(record.content.get("opacity", 1.0) or 1.0))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self.hover_outline and not self.isUnderMouse():
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.multiply:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Multiply)
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        painter.drawPath(self.path())
        if self.text:
            font = QFont("Helvetica")
            font.setPointSizeF(max(self.font_size, 1.0))
            painter.setFont(font)
            painter.setPen(self.text_color)
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            painter.drawText(self.text_rect, int(flags) | int(Qt.TextFlag.TextWordWrap), self.text)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.update()


def shape_item(record: Record) -> AnnotationItem:
    content, rect = record.content, bbox(record.content)
    path = QPainterPath()
    stroke = pen(content)
    inner = rect.adjusted(*(stroke.widthF() / 2 * s for s in (1, 1, -1, -1)))
    if content["type"].endswith("ellipse"):
        path.addEllipse(inner)
    else:
        path.addRect(inner)
    item = AnnotationItem(record, path)
    item.setPen(stroke)
    item.setBrush(brush(content))
    return item


def _arrow_head(path: QPainterPath, tip: QPointF, tail: QPointF, size: float, closed: bool) -> None:
    line = QLineF(tip, tail)
    if line.length() == 0:
        return
    angle = math.radians(line.angle())
    left, right = (
        QPointF(
            tip.x() + size * math.cos(angle + s * math.pi / 6),
            tip.y() - size * math.sin(angle + s * math.pi / 6),
        )
        for s in (1, -1)
    )
    path.moveTo(left)
    path.lineTo(tip)
    path.lineTo(right)
    if closed:
        path.closeSubpath()


def line_item(record: Record) -> AnnotationItem:
    content = record.content
    if content["type"].endswith("/line"):
        vertices = points([content.get("startPoint"), content.get("endPoint")])
    else:
        vertices = points(content.get("points"))
    path = QPainterPath()
    if vertices:
        path.moveTo(vertices[0])
        for point in vertices[1:]:
            path.lineTo(point)
    if content["type"].endswith("polygon"):
        path.closeSubpath()
    stroke = pen(content)
    caps = content.get("lineCaps") or {}
    size = max(6.0, stroke.widthF() * 4)
    if len(vertices) >= 2:
        for end, tip, tail in (("start", 0, 1), ("end", -1, -2)):
            if caps.get(end) in _ARROWS:
                closed = "closed" in caps[end].lower()
                _arrow_head(path, vertices[tip], vertices[tail], size, closed)
    item = AnnotationItem(record, path)
    item.setPen(stroke)
    item.setBrush(brush(content))
    return item


def ink_item(record: Record) -> AnnotationItem:
    content = record.content
    path = QPainterPath()
    for line in (content.get("lines") or {}).get("points") or []:
        vertices = points(line)
        if vertices:
            path.moveTo(vertices[0])
            for point in vertices[1:]:
                path.lineTo(point)
    item = AnnotationItem(record, path)
    stroke = pen(content, width_key="lineWidth")
    stroke.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroke.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    item.setPen(stroke)
    return item


def markup_item(record: Record) -> AnnotationItem:
    content = record.content
    kind = content["type"].rsplit("/", 1)[-1]
    mark = color(content.get("color"), "#ffff00" if kind == "highlight" else "#000000")
    path = QPainterPath()
    rects = [QRectF(*map(float, r[:4])) for r in content.get("rects") or [] if len(r) >= 4]
    for rect in rects or [bbox(content)]:
        if kind == "highlight":
            path.addRect(rect)
        elif kind == "squiggly":
            _squiggle(path, rect)
        else:
            y = rect.center().y() if kind == "strikeout" else rect.bottom() - rect.height() * 0.1
            path.moveTo(rect.left(), y)
            path.lineTo(rect.right(), y)
    item = AnnotationItem(record, path)
    if kind == "highlight":
        item.multiply = True
        item.setPen(QPen(Qt.PenStyle.NoPen))
        item.setBrush(QBrush(mark))
    else:
        item.setPen(QPen(mark, max(1.0, (rects[0].height() if rects else 10) / 14)))
    return item


def _squiggle(path: QPainterPath, rect: QRectF) -> None:
    step = max(rect.height() / 6, 1.5)
    y = rect.bottom() - step
    path.moveTo(rect.left(), y)
    x, up = rect.left(), True
    while x < rect.right():
        x = min(x + step, rect.right())
        path.lineTo(x, y - step / 2 if up else y + step / 2)
        up = not up
