"""How each annotation type is drawn: a record in, a Mark of QPainter shapes out."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotation_marks import (
    NO_BRUSH,
    NO_PEN,
    Mark,
    Shape,
    area_of,
    bbox,
    brush,
    color,
    mark,
    optional_color,
    pen,
    points,
    text_of,
)

STAMP_RED = QColor("#c0392b")
LINK_BLUE = QColor("#2a6fdb")
NOTE_EDGE = QColor("#5b4a00")
_ARROWS = ("openArrow", "closedArrow", "reverseOpenArrow", "reverseClosedArrow")
P = QPainter


def shape(record: Record) -> Mark:
    content, rect = record.content, bbox(record.content)
    stroke = pen(content)
    inner = rect.adjusted(*(stroke.widthF() / 2 * s for s in (1, 1, -1, -1)))
    draw = P.drawEllipse if content["type"].endswith("ellipse") else P.drawRect
    return mark(record, [(draw, (inner,))], stroke, brush(content), rect)


def _arrow_head(tip: QPointF, tail: QPointF, size: float, closed: bool) -> Shape | None:
    line = QLineF(tip, tail)
    if line.length() == 0:
        return None
    angle = math.radians(line.angle())
    left, right = (
        QPointF(
            tip.x() + size * math.cos(angle + s * math.pi / 6),
            tip.y() - size * math.sin(angle + s * math.pi / 6),
        )
        for s in (1, -1)
    )
    return (P.drawPolygon if closed else P.drawPolyline, (QPolygonF([left, tip, right]),))


def line(record: Record) -> Mark:
    content = record.content
    if content["type"].endswith("/line"):
        vertices = points([content.get("startPoint"), content.get("endPoint")])
    else:
        vertices = points(content.get("points"))
    stroke, fill = pen(content), brush(content)
    shapes: list[Shape] = []
    if content["type"].endswith("polygon"):
        shapes.append((P.drawPolygon, (QPolygonF(vertices),)))
    elif fill.style() != Qt.BrushStyle.NoBrush and len(vertices) > 2:
        path = QPainterPath(vertices[0])  # a filled open line: the fill closes it
        for point in vertices[1:]:
            path.lineTo(point)
        shapes.append((P.drawPath, (path,)))
    elif vertices:
        shapes.append((P.drawPolyline, (QPolygonF(vertices),)))
    caps = content.get("lineCaps") or {}
    size = max(6.0, stroke.widthF() * 4)
    if len(vertices) >= 2:
        for end, tip, tail in (("start", 0, 1), ("end", -1, -2)):
            if caps.get(end) in _ARROWS:
                head = _arrow_head(
                    vertices[tip], vertices[tail], size, "closed" in caps[end].lower()
                )
                if head is not None:
                    shapes.append(head)
    area = area_of(vertices).adjusted(-size, -size, size, size) if caps else area_of(vertices)
    return mark(record, shapes, stroke, fill, area)


def ink(record: Record) -> Mark:
    content = record.content
    lines = [points(v) for v in (content.get("lines") or {}).get("points") or []]
    lines = [v for v in lines if v]
    stroke = pen(content, width_key="lineWidth")
    stroke.setCapStyle(Qt.PenCapStyle.RoundCap)
    stroke.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    area = area_of([p for v in lines for p in v]) if lines else QRectF()
    return mark(record, [(P.drawPolyline, (QPolygonF(v),)) for v in lines], stroke, NO_BRUSH, area)


def _squiggle(rect: QRectF) -> list[QPointF]:
    step = max(rect.height() / 6, 1.5)
    y = rect.bottom() - step
    x, up, result = rect.left(), True, [QPointF(rect.left(), y)]
    while x < rect.right():
        x = min(x + step, rect.right())
        result.append(QPointF(x, y - step / 2 if up else y + step / 2))
        up = not up
    return result


def markup(record: Record) -> Mark:
    content = record.content
    kind = content["type"].rsplit("/", 1)[-1]
    tint = color(content.get("color"), "#ffff00" if kind == "highlight" else "#000000")
    rects = [QRectF(*map(float, r[:4])) for r in content.get("rects") or [] if len(r) >= 4]
    rects = rects or [bbox(content)]
    area = QRectF()
    for rect in rects:
        area = area.united(rect)
    if kind == "highlight":
        result = mark(record, [(P.drawRect, (r,)) for r in rects], NO_PEN, QBrush(tint), area)
        result.multiply = True
        return result
    shapes: list[Shape] = []
    for rect in rects:
        if kind == "squiggly":
            shapes.append((P.drawPolyline, (QPolygonF(_squiggle(rect)),)))
            continue
        y = rect.center().y() if kind == "strikeout" else rect.bottom() - rect.height() * 0.1
        shapes.append((P.drawLine, (QLineF(rect.left(), y, rect.right(), y),)))
    stroke = QPen(tint, max(1.0, rects[0].height() / 14))
    return mark(record, shapes, stroke, NO_BRUSH, area)


def note(record: Record) -> Mark:
    rect = bbox(record.content)
    rect.setSize(rect.size().expandedTo(QSizeF(16, 16)).boundedTo(QSizeF(24, 24)))
    lines = []
    for i in range(3):
        y = rect.top() + rect.height() * (0.3 + 0.2 * i)
        lines.append(
            QLineF(rect.left() + rect.width() * 0.2, y, rect.right() - rect.width() * 0.2, y)
        )
    shapes: list[Shape] = [(P.drawRoundedRect, (rect, 2.5, 2.5)), (P.drawLines, (lines,))]
    fill = QBrush(color(record.content.get("color"), "#ffd400"))
    result = mark(record, shapes, QPen(NOTE_EDGE, 0.8), fill, rect)
    result.tooltip = text_of(record.content)
    return result


def free_text(record: Record) -> Mark:
    content, rect = record.content, bbox(record.content)
    border = optional_color(content.get("strokeColor"))
    stroke = QPen(border, float(content.get("strokeWidth") or 1)) if border else NO_PEN
    fill = brush(content, "backgroundColor") if content.get("backgroundColor") else brush(content)
    result = mark(record, [(P.drawRect, (rect,))], stroke, fill, rect)
    result.text = text_of(content)
    result.text_rect = rect.adjusted(2, 1, -2, -1)
    result.text_color = color(content.get("fontColor"), "#000000")
    result.font_size = float(content.get("fontSize") or 12)
    return result


def stamp(record: Record) -> Mark:
    content, rect = record.content, bbox(record.content)
    fill = QBrush(QColor(255, 255, 255, 160))
    result = mark(record, [(P.drawRoundedRect, (rect, 4, 4))], QPen(STAMP_RED, 2), fill, rect)
    result.text = str(content.get("title") or content.get("stampType") or "Stamp")
    result.text_rect = rect.adjusted(4, 2, -4, -2)
    result.text_color = STAMP_RED
    result.font_size = max(6.0, min(rect.height() * 0.5, 24.0))
    return result


def link(record: Record) -> Mark:
    rect = bbox(record.content)
    result = mark(record, [(P.drawRect, (rect,))], QPen(LINK_BLUE, 0.75), NO_BRUSH, rect)
    result.hover_only = True
    return result


def redaction(record: Record) -> Mark:
    rects = [
        QRectF(*map(float, r[:4]))
        for r in record.content.get("rects") or [record.content.get("bbox")]
        if r and len(r) >= 4
    ]
    area = QRectF()
    for rect in rects:
        area = area.united(rect)
    stroke = QPen(color(record.content.get("outlineColor"), "#e00000"), 1)
    return mark(record, [(P.drawRect, (r,)) for r in rects], stroke, NO_BRUSH, area)


DRAWERS: dict[str, Callable[[Record], Mark]] = {
    "pspdfkit/note": note,
    "pspdfkit/text": free_text,
    "pspdfkit/stamp": stamp,
    "pspdfkit/link": link,
    "pspdfkit/ink": ink,
    "pspdfkit/shape/rectangle": shape,
    "pspdfkit/shape/ellipse": shape,
    "pspdfkit/shape/line": line,
    "pspdfkit/shape/polygon": line,
    "pspdfkit/shape/polyline": line,
    "pspdfkit/markup/highlight": markup,
    "pspdfkit/markup/underline": markup,
    "pspdfkit/markup/strikeout": markup,
    "pspdfkit/markup/squiggly": markup,
    "pspdfkit/markup/redaction": redaction,
}
HOVERED_TYPES = frozenset({"pspdfkit/link", "pspdfkit/note"})  # a hand cursor or a tooltip


CACHED_MARKS = 20_000  # records whose marks are kept (a layer switched back to reuses them)
_VERSIONS = 4  # contents kept per record id (the same record as several layers show it)
_made: OrderedDict[tuple[object, ...], list[tuple[object, Mark | None]]] = OrderedDict()


def mark_of(record: Record) -> Mark | None:
    """The mark drawing ``record``, or None for a type we do not draw."""
    drawer = DRAWERS.get(str(record.content.get("type")))
    return drawer(record) if drawer else None


def cached_mark(record: Record) -> Mark | None:
    """``mark_of(record)``, reused for a record of the same id, metadata and content (marks
    are never changed once made): switching back and forth between layers builds nothing."""
    key = (record.kind, record.id, record.created_by, record.updated_by, record.group)
    content = record.content
    versions = _made.get(key)
    if versions is None:
        versions = _made[key] = []
        if len(_made) > CACHED_MARKS:
            _made.popitem(last=False)
    else:
        _made.move_to_end(key)
        for seen, made in versions:
            if seen == content:  # a dict comparison in C: cheaper than any key made of it
                return made
    made = mark_of(record)
    versions.insert(0, (content, made))  # a record and its content are never changed
    del versions[_VERSIONS:]
    return made
