"""Marks: records turned into what QPainter draws (page points, vectors: crisp at every zoom)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QPainter,
    QPen,
    QPolygonF,
)

from reviewer_app.instant.records import Json, Record

ANNOTATION_Z = 10.0
NO_PEN = QPen(Qt.PenStyle.NoPen)
NO_BRUSH = QBrush(Qt.BrushStyle.NoBrush)
_TEXT_FLAGS = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
    Qt.TextFlag.TextWordWrap
)
TEXT_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}
_MODE = QPainter.CompositionMode
_OVER = _MODE.CompositionMode_SourceOver
BLENDS = {
    "multiply": _MODE.CompositionMode_Multiply,
    "screen": _MODE.CompositionMode_Screen,
    "overlay": _MODE.CompositionMode_Overlay,
    "darken": _MODE.CompositionMode_Darken,
    "lighten": _MODE.CompositionMode_Lighten,
    "colorDodge": _MODE.CompositionMode_ColorDodge,
    "colorBurn": _MODE.CompositionMode_ColorBurn,
    "hardLight": _MODE.CompositionMode_HardLight,
    "softLight": _MODE.CompositionMode_SoftLight,
    "difference": _MODE.CompositionMode_Difference,
    "exclusion": _MODE.CompositionMode_Exclusion,
}
"""Instant JSON blend modes as QPainter draws them (hue, saturation, color and luminosity
have no Qt mode: drawn normally)."""
AFFINE = frozenset({"", "multiply", "screen", "exclusion"})
"""The modes whose result is an affine function of what is under the mark, channel by
channel: marks drawn so may be kept as pixels (``viewer.item_rasters``)."""

Shape = tuple[Callable[..., object], tuple[Any, ...]]  # (unbound QPainter method, its arguments)


BLACK = QColor("#000000")
EVERYWHERE = QRectF(-1e9, -1e9, 2e9, 2e9)  # an exposed area that leaves no mark out
_NO_RECT = QRectF()  # shared defaults: a mark's fields are replaced, never changed in place


@dataclass(eq=False, slots=True)
class Mark:
    """One record ready to paint: its ``shapes`` stroked with ``pen`` and filled with ``brush``,
    an optional text box, and its ``bounds`` (page points, the pen included) for hit tests.
    Pens and brushes may be shared between marks: never change them in place."""

    record: Record
    shapes: list[Shape]
    pen: QPen
    brush: QBrush
    bounds: QRectF = field(default_factory=QRectF)
    opacity: float = 1.0
    blend: str = ""  # an Instant blendMode of BLENDS ("" or another: drawn normally)
    hover_only: bool = False  # links: outlined only under the mouse
    text: str = ""
    text_rect: QRectF = field(default_factory=lambda: _NO_RECT)
    text_color: QColor = field(default_factory=lambda: BLACK)
    font_size: float = 12.0
    font: QFont | None = None  # the text's font, if not Helvetica of font_size
    text_flags: int = _TEXT_FLAGS  # alignment and wrapping
    turn: int = 0  # content rotation: shapes and text drawn turned about the bounds' centre


def shown_rect(rect: QRectF, turn: int) -> QRectF:
    """Where a mark turned by ``turn`` (0, 90, 180, 270) draws its content before it is
    turned: ``rect``'s centre, its sides swapped for 90 and 270 (turned, it fills ``rect``)."""
    if turn % 180 != 90:
        return QRectF(rect)
    shown = QRectF(0, 0, rect.height(), rect.width())
    shown.moveCenter(rect.center())
    return shown


@lru_cache(maxsize=256)
def _parsed(value: str) -> QColor:
    return QColor(value)


def optional_color(value: Any) -> QColor | None:
    """An Instant JSON ``#rrggbb`` colour as a QColor; None when absent."""
    return QColor(_parsed(value)) if isinstance(value, str) and value.startswith("#") else None


def color(value: Any, fallback: str) -> QColor:
    """An Instant JSON ``#rrggbb`` colour as a QColor; ``fallback`` when absent."""
    return optional_color(value) or QColor(_parsed(fallback))


def bbox_numbers(content: Json) -> tuple[float, float, float, float]:
    """``content``'s bbox as x, y, width, height (zeros where missing)."""
    box = content.get("bbox")
    if isinstance(box, list) and len(box) >= 4:
        return float(box[0]), float(box[1]), float(box[2]), float(box[3])
    x, y, w, h = [*(box or []), 0, 0, 0, 0][:4]
    return float(x), float(y), float(w), float(h)


def bbox(content: Json) -> QRectF:
    return QRectF(*bbox_numbers(content))


_SHARED = 512  # pens and brushes kept by style (a layer uses a few; marks share them)
_pens: dict[tuple[Any, ...], QPen] = {}
_brushes: dict[tuple[Any, str], QBrush] = {}


def _new_pen(value: Any, width: Any, dashes: Any, round_caps: bool) -> QPen:
    result = QPen(color(value, "#000000"), float(width or 1.0))
    if isinstance(dashes, (list, tuple)) and len(dashes) == 2 and all(dashes):
        result.setDashPattern([float(d) / max(result.widthF(), 0.1) for d in dashes])
    if round_caps:
        result.setCapStyle(Qt.PenCapStyle.RoundCap)
        result.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return result


def pen(
    content: Json,
    key: str = "strokeColor",
    width_key: str = "strokeWidth",
    round_caps: bool = False,
    width: float | None = None,
) -> QPen:
    """The pen of ``content``'s stroke (``width``, else ``content[width_key]``), shared by the
    marks of the same style (never change it: copy it with ``QPen(pen)`` first)."""
    value, dashes = content.get(key), content.get("strokeDashArray")
    if width is None:
        width = content.get(width_key)
    try:
        style = (value, width, tuple(dashes) if isinstance(dashes, list) else None, round_caps)
        made = _pens.get(style)
    except TypeError:  # an unhashable value in the content: made for this mark alone
        return _new_pen(value, width, dashes, round_caps)
    if made is None:
        if len(_pens) >= _SHARED:
            _pens.clear()
        made = _pens[style] = _new_pen(value, width, dashes, round_caps)
    return made


def brush(content: Json, key: str = "fillColor", fallback: str = "") -> QBrush:
    """The brush of ``content[key]`` (``fallback`` when absent, else none), shared as pens are."""
    value = content.get(key)
    style = (value if isinstance(value, str) else None, fallback)
    made = _brushes.get(style)
    if made is None:
        fill = optional_color(value) or (QColor(_parsed(fallback)) if fallback else None)
        if len(_brushes) >= _SHARED:
            _brushes.clear()
        made = _brushes[style] = QBrush(fill) if fill else NO_BRUSH
    return made


def points(value: Any) -> list[QPointF]:
    return [QPointF(float(p[0]), float(p[1])) for p in value or [] if len(p) >= 2]


def text_of(content: Json) -> str:
    text = content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    return str(text or "")


def mark(record: Record, shapes: list[Shape], stroke: QPen, fill: QBrush, area: QRectF) -> Mark:
    """A mark whose shapes lie within ``area``; its bounds take in half the pen and a pixel."""
    margin = 1.0 if stroke is NO_PEN else stroke.widthF() / 2 + 1.0
    opacity = record.content.get("opacity", 1.0)
    opacity = float(opacity) if isinstance(opacity, (int, float)) and opacity else 1.0
    bounds = area.normalized().adjusted(-margin, -margin, margin, margin)
    blend = record.content.get("blendMode")
    return Mark(record, shapes, stroke, fill, bounds, opacity, blend if blend in BLENDS else "")


def area_of(vertices: list[QPointF]) -> QRectF:
    return QPolygonF(vertices).boundingRect()


@lru_cache(maxsize=64)
def _font(size: float) -> QFont:
    return page_font(size)


@lru_cache(maxsize=64)
def text_font(
    size: float, family: str = "Helvetica", bold: bool = False, italic: bool = False
) -> QFont:
    """A font of ``size`` page points (see :func:`page_font`), shared: never change it."""
    font = page_font(size, family)
    font.setBold(bold)
    font.setItalic(italic)
    return font


def text_flags(align: Any) -> int:
    """Drawing flags of a text box: the Instant ``horizontalAlign`` (left by default), from the
    top, wrapped, and never cut off at the box's edges (readers show what overflows)."""
    horizontal = TEXT_ALIGN.get(align if isinstance(align, str) else "", Qt.AlignmentFlag.AlignLeft)
    return int(horizontal | Qt.AlignmentFlag.AlignTop) | int(
        Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextDontClip
    )


def page_font(size: float, family: str = "Helvetica") -> QFont:
    """A font whose em is ``size`` page points at any zoom: the scene is in points while Qt
    turns a font's points into pixels at the screen's dpi, so the size is given in 72nds of
    the screen's inch."""
    font = QFont(family or "Helvetica")
    screen = QGuiApplication.primaryScreen()
    dpi = screen.logicalDotsPerInchY() if screen is not None else 72.0
    font.setPointSizeF(max(size, 1.0) * 72.0 / (dpi or 72.0))
    return font


_BATCHABLE = frozenset(  # the drawings a run of one pen draws with it, one by one
    getattr(QPainter, f"draw{shape}")
    for shape in ("Rect", "Ellipse", "RoundedRect", "Polyline", "Path", "Polygon", "Line", "Lines")
)


def _stroke_only(item: Mark) -> bool:
    return (
        item.brush is NO_BRUSH
        and item.opacity == 1.0
        and not (item.text or item.hover_only or item.blend or item.turn)
        and all(draw in _BATCHABLE for draw, _ in item.shapes)
    )


def batched(marks: list[Mark]) -> list[Mark]:
    """``marks`` to paint, each run of stroke-only marks of one pen merged into one mark
    (the pen set once, hundreds of rectangles or lines one call; the same pixels, as opaque
    strokes of one pen overlap in any order)."""
    result: list[Mark] = []
    run: list[Mark] = []
    for item in marks:
        alone = not _stroke_only(item)
        if run and not alone and (run[0].pen is item.pen or run[0].pen == item.pen):
            run.append(item)
            continue
        if run:
            result.append(_merged(run))
        run = [] if alone else [item]
        if alone:
            result.append(item)
    if run:
        result.append(_merged(run))
    return result


def _merged(run: list[Mark]) -> Mark:
    """One mark that strokes the shapes of ``run``: its rectangles in one ``drawRects`` and
    its lines in one ``drawLines`` (each still stroked apart, over its own few pixels), the
    others one by one. Not one path: Qt strokes a path of shapes spread over a page two to
    four times slower than the shapes one by one (rectangles, ellipses, ink)."""
    if len(run) == 1:
        return run[0]
    rects: list[QRectF] = []
    lines: list[QLineF] = []
    others: list[Shape] = []
    bounds = QRectF()
    for item in run:
        for draw, args in item.shapes:
            if draw is QPainter.drawRect and len(args) == 1 and isinstance(args[0], QRectF):
                rects.append(args[0])
            elif draw is QPainter.drawLine and len(args) == 1 and isinstance(args[0], QLineF):
                lines.append(args[0])
            elif draw is QPainter.drawPolyline and len(args) == 1 and len(args[0]) == 2:
                lines.append(QLineF(args[0][0], args[0][1]))  # a line annotation
            else:
                others.append((draw, args))
        bounds = bounds.united(item.bounds)
    shapes: list[Shape] = [(QPainter.drawRects, (rects,))] if rects else []
    shapes += [(QPainter.drawLines, (lines,))] if lines else []
    return Mark(run[0].record, shapes + others, run[0].pen, NO_BRUSH, bounds)


def _turn(painter: QPainter, centre: QPointF, turn: int) -> None:
    """Turn what ``painter`` draws next ``turn`` degrees counter-clockwise about ``centre``
    (as seen on the unrotated page, y down: Qt's negative angle)."""
    painter.translate(centre)
    painter.rotate(-turn)
    painter.translate(-centre)


def paint_marks(
    painter: QPainter, marks: Sequence[Mark], exposed: QRectF, hovered: Mark | None = None
) -> None:
    """Paint ``marks`` (bottom first) that meet ``exposed``; links only when ``hovered``."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    base = painter.opacity()
    blend = ""
    for item in marks:
        if (item.hover_only and item is not hovered) or not item.bounds.intersects(exposed):
            continue
        if item.blend != blend:
            blend = item.blend
            painter.setCompositionMode(BLENDS.get(blend, _OVER))
        painter.setOpacity(base * item.opacity)
        if item.turn:
            painter.save()
            _turn(painter, item.bounds.center(), item.turn)
        painter.setPen(item.pen)
        painter.setBrush(item.brush)
        for draw, args in item.shapes:
            draw(painter, *args)
        if item.text:
            painter.setFont(item.font or _font(item.font_size))
            painter.setPen(item.text_color)
            painter.drawText(item.text_rect, item.text_flags, item.text)
        if item.turn:
            painter.restore()
    painter.setCompositionMode(_OVER)
    painter.setOpacity(base)
