"""Marks: records turned into what QPainter draws (page points, vectors: crisp at every zoom)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

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


_ADD: dict[str, Callable[..., None]] = {
    "drawRect": QPainterPath.addRect,
    "drawEllipse": QPainterPath.addEllipse,
    "drawRoundedRect": QPainterPath.addRoundedRect,
    "drawPolyline": QPainterPath.addPolygon,  # an open subpath
    "drawPath": QPainterPath.addPath,
}


_PATHABLE = frozenset(_ADD) | {"drawPolygon", "drawLine", "drawLines"}


def _add_shape(path: QPainterPath, draw: Callable[..., object], args: tuple[Any, ...]) -> None:
    """Add a shape to ``path`` as drawing it with no brush would stroke it."""
    name = getattr(draw, "__name__", "")
    if name in _ADD:
        _ADD[name](path, *args)
    elif name == "drawPolygon":
        path.addPolygon(args[0])
        path.closeSubpath()
    else:
        for line in args[0] if name == "drawLines" else args[:1]:
            path.moveTo(line.p1())
            path.lineTo(line.p2())


def _stroke_only(item: Mark) -> bool:
    return (
        not (item.text or item.hover_only or item.multiply)
        and item.opacity == 1.0
        and item.brush.style() == Qt.BrushStyle.NoBrush
        and all(getattr(draw, "__name__", "") in _PATHABLE for draw, _ in item.shapes)
    )


def batched(marks: list[Mark]) -> list[Mark]:
    """``marks`` to paint, each run of stroke-only marks of one pen merged into one path (one
    paint call instead of hundreds; the same pixels, as opaque strokes of one pen overlap)."""
    result: list[Mark] = []
    run: Mark | None = None
    for item in marks:
        if not _stroke_only(item):
            run = None
            result.append(item)
            continue
        if run is None or run.pen != item.pen:
            run = Mark(item.record, [(QPainter.drawPath, (QPainterPath(),))], item.pen, NO_BRUSH)
            result.append(run)
        for draw, args in item.shapes:
            _add_shape(run.shapes[0][1][0], draw, args)
        run.bounds = run.bounds.united(item.bounds)
    return result


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
