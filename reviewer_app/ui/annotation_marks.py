"""Marks: records turned into what QPainter draws (page points, vectors: crisp at every zoom)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygonF

from reviewer_app.instant.records import Json, Record

ANNOTATION_Z = 10.0
NO_PEN = QPen(Qt.PenStyle.NoPen)
NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)
_TEXT_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
    Qt.TextFlag.TextWordWrap
)
_MULTIPLY = QPainter.CompositionMode.CompositionMode_Multiply
_OVER = QPainter.CompositionMode.CompositionMode_SourceOver

Shape = tuple[Callable[..., object], tuple[Any, ...]]  # (unbound QPainter method, its arguments)


@dataclass(eq=False, slots=True)
class Mark:
    """One record ready to paint: its ``shapes`` stroked with ``pen`` and filled with ``brush``,
    an optional text box, and its ``bounds`` (page points, the pen included) for hit tests."""

    record: Record
    shapes: list[Shape]
    pen: QPen
    brush: QBrush
    bounds: QRectF = field(default_factory=QRectF)
    opacity: float = 1.0
    multiply: bool = False
    hover_only: bool = False  # links: outlined only under the mouse
    text: str = ""
    text_rect: QRectF = field(default_factory=QRectF)
    text_color: QColor = field(default_factory=lambda: QColor("#000000"))
    font_size: float = 12.0
    tooltip: str = ""


@lru_cache(maxsize=256)
def _parsed(value: str) -> QColor:
    return QColor(value)


def optional_color(value: Any) -> QColor | None:
    """An Instant JSON ``#rrggbb`` colour as a QColor; None when absent."""
    return QColor(_parsed(value)) if isinstance(value, str) and value.startswith("#") else None


def color(value: Any, fallback: str) -> QColor:
    """An Instant JSON ``#rrggbb`` colour as a QColor; ``fallback`` when absent."""
    return optional_color(value) or QColor(_parsed(fallback))


def bbox(content: Json) -> QRectF:
    x, y, w, h = [*(content.get("bbox") or []), 0, 0, 0, 0][:4]
    return QRectF(float(x), float(y), float(w), float(h))


def pen(content: Json, key: str = "strokeColor", width_key: str = "strokeWidth") -> QPen:
    result = QPen(color(content.get(key), "#000000"), float(content.get(width_key) or 1.0))
    dashes = content.get("strokeDashArray")
    if isinstance(dashes, list) and len(dashes) == 2 and all(dashes):
        result.setDashPattern([float(d) / max(result.widthF(), 0.1) for d in dashes])
    return result


def brush(content: Json, key: str = "fillColor") -> QBrush:
    fill = optional_color(content.get(key))
    return QBrush(fill) if fill else NO_BRUSH


def points(value: Any) -> list[QPointF]:
    return [QPointF(float(p[0]), float(p[1])) for p in value or [] if len(p) >= 2]


def text_of(content: Json) -> str:
    text = content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    return str(text or "")


def mark(record: Record, shapes: list[Shape], stroke: QPen, fill: QBrush, area: QRectF) -> Mark:
    """A mark whose shapes lie within ``area``; its bounds take in half the pen and a pixel."""
    margin = (stroke.widthF() if stroke.style() != Qt.PenStyle.NoPen else 0.0) / 2 + 1.0
    opacity = float(record.content.get("opacity", 1.0) or 1.0)
    bounds = area.normalized().adjusted(-margin, -margin, margin, margin)
    return Mark(record, shapes, stroke, fill, bounds, opacity)


def area_of(vertices: list[QPointF]) -> QRectF:
    return QPolygonF(vertices).boundingRect()


@lru_cache(maxsize=64)
def _font(size: float) -> QFont:
    font = QFont("Helvetica")
    font.setPointSizeF(max(size, 1.0))
    return font


def paint_marks(
    painter: QPainter, marks: list[Mark], exposed: QRectF, hovered: Mark | None = None
) -> None:
    """Paint ``marks`` (bottom first) that meet ``exposed``; links only when ``hovered``."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base = painter.opacity()
    multiply = False
    for item in marks:
        if (item.hover_only and item is not hovered) or not item.bounds.intersects(exposed):
            continue
        if item.multiply != multiply:
            multiply = item.multiply
            painter.setCompositionMode(_MULTIPLY if multiply else _OVER)
        painter.setOpacity(base * item.opacity)
        painter.setPen(item.pen)
        painter.setBrush(item.brush)
        for draw, args in item.shapes:
            draw(painter, *args)
        if item.text:
            painter.setFont(_font(item.font_size))
            painter.setPen(item.text_color)
            painter.drawText(item.text_rect, _TEXT_FLAGS, item.text)
    painter.setCompositionMode(_OVER)
    painter.setOpacity(base)
