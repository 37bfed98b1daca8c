"""How each annotation type is drawn: a record in, a Mark of QPainter shapes out."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF

from reviewer_app.instant.records import Record
from reviewer_app.instant.transform import rotation_of
from reviewer_app.ui.annotations import note_icons
from reviewer_app.ui.annotations.marks import (
    EVERYWHERE,
    NO_BRUSH,
    NO_PEN,
    Mark,
    Shape,
    bbox,
    bbox_numbers,
    brush,
    color,
    mark,
    optional_color,
    paint_marks,
    pen,
    points,
    shown_rect,
    text_flags,
    text_font,
    text_of,
)
from reviewer_app.ui.annotations.note_icons import NOTE_PEN
from reviewer_app.ui.annotations.stamps import image, stamp

STAMP_RED = QColor("#c0392b")
LINK_BLUE = QColor("#2a6fdb")
_ARROWS = ("openArrow", "closedArrow", "reverseOpenArrow", "reverseClosedArrow")
P = QPainter


def shape(record: Record) -> Mark:
    content, rect = record.content, bbox(record.content)
    stroke = pen(content)
    half = stroke.widthF() / 2
    inner = rect.adjusted(half, half, -half, -half)
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
    stroke, fill, polygon = pen(content), brush(content), QPolygonF(vertices)
    shapes: list[Shape] = []
    if content["type"].endswith("polygon"):
        shapes.append((P.drawPolygon, (polygon,)))
    elif fill is not NO_BRUSH and len(vertices) > 2:
        path = QPainterPath(vertices[0])  # a filled open line: the fill closes it
        for point in vertices[1:]:
            path.lineTo(point)
        shapes.append((P.drawPath, (path,)))
    elif vertices:
        shapes.append((P.drawPolyline, (polygon,)))
    area = polygon.boundingRect()
    caps = content.get("lineCaps")
    if caps and isinstance(caps, dict):
        size = max(6.0, stroke.widthF() * 4)
        for end, tip, tail in (("start", 0, 1), ("end", -1, -2)):
            if len(vertices) >= 2 and caps.get(end) in _ARROWS:
                closed = "closed" in caps[end].lower()
                head = _arrow_head(vertices[tip], vertices[tail], size, closed)
                if head is not None:
                    shapes.append(head)
        area.adjust(-size, -size, size, size)
    return mark(record, shapes, stroke, fill, area)


def ink(record: Record) -> Mark:
    content = record.content
    lines = [points(v) for v in (content.get("lines") or {}).get("points") or []]
    polygons = [QPolygonF(v) for v in lines if v]
    stroke = pen(content, width_key="lineWidth", round_caps=True)
    area = QRectF()
    for polygon in polygons:
        area = area.united(polygon.boundingRect())
    return mark(record, [(P.drawPolyline, (p,)) for p in polygons], stroke, NO_BRUSH, area)


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
    rects = [QRectF(*map(float, r[:4])) for r in content.get("rects") or [] if len(r) >= 4]
    rects = rects or [bbox(content)]
    area = QRectF()
    for rect in rects:
        area = area.united(rect)
    if kind == "highlight":
        fill = brush(content, "color", "#ffff00")
        result = mark(record, [(P.drawRect, (r,)) for r in rects], NO_PEN, fill, area)
        result.blend = result.blend or "multiply"  # a highlight never hides its words
        return result
    shapes: list[Shape] = []
    for rect in rects:
        if kind == "squiggly":
            shapes.append((P.drawPolyline, (QPolygonF(_squiggle(rect)),)))
            continue
        y = rect.center().y() if kind == "strikeout" else rect.bottom() - rect.height() * 0.1
        shapes.append((P.drawLine, (QLineF(rect.left(), y, rect.right(), y),)))
    width = max(1.0, rects[0].height() / 14)
    return mark(record, shapes, pen(content, "color", width=width), NO_BRUSH, area)


def note(record: Record) -> Mark:
    x, y, w, h = bbox_numbers(record.content)
    rect = QRectF(x, y, min(max(w, 16.0), 24.0), min(max(h, 16.0), 24.0))
    fill = brush(record.content, "color", "#ffd400")
    look = (rect.x(), rect.y(), rect.width(), rect.height(), float(fill.color().rgba()))
    return mark(record, [(note_icons.draw, (rect, fill, look))], NOTE_PEN, fill, rect)


def free_text(record: Record) -> Mark:
    """Text in its box; with a ``rotation``, laid out in the box as the text reads and turned."""
    content, rect = record.content, bbox(record.content)
    turn = rotation_of(content)
    shown = shown_rect(rect, turn)
    border = optional_color(content.get("strokeColor"))
    stroke = QPen(border, float(content.get("strokeWidth") or 1)) if border else NO_PEN
    fill = brush(content, "backgroundColor") if content.get("backgroundColor") else brush(content)
    result = mark(record, [(P.drawRect, (shown,))], stroke, fill, rect)
    result.turn = turn
    result.text = text_of(content)
    result.text_rect = shown.adjusted(2, 1, -2, -1)
    result.text_color = color(content.get("fontColor"), "#000000")
    result.font_size = float(content.get("fontSize") or 12)
    styles = content.get("fontStyle")
    styles = styles if isinstance(styles, list) else []
    family = content.get("font")
    result.font = text_font(
        result.font_size,
        family if isinstance(family, str) and family else "Helvetica",
        "bold" in styles,
        "italic" in styles,
    )
    result.text_flags = text_flags(content.get("horizontalAlign"))
    return result


def link(record: Record) -> Mark:
    """A link's border, as readers draw it, when it has one (a width and a colour); else an
    outline only under the mouse."""
    content, rect = record.content, bbox(record.content)
    width, border = content.get("borderWidth"), optional_color(content.get("borderColor"))
    if isinstance(width, int | float) and width > 0 and border is not None:
        stroke = QPen(border, float(width))
        stroke.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        if content.get("borderStyle") == "dashed":
            stroke.setDashPattern([3 / float(width), 2 / float(width)])
        half = float(width) / 2
        inner = rect.adjusted(half, half, -half, -half)
        return mark(record, [(P.drawRect, (inner,))], stroke, NO_BRUSH, rect)
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
    "pspdfkit/comment-marker": note,  # a thread's place on the page, drawn as a note
    "pspdfkit/text": free_text,
    "pspdfkit/stamp": stamp,
    "pspdfkit/image": image,
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


def uncached_marks(records: Sequence[Record], enough: int) -> int:
    """How many of ``records`` have no mark made yet (counted up to ``enough + 1``)."""
    count = 0
    for record in records:
        key = (record.kind, record.id, record.created_by, record.updated_by, record.group)
        versions = _made.get(key)
        if versions is None or all(seen != record.content for seen, _ in versions):
            count += 1
            if count > enough:
                break
    return count


def paint_record(painter: QPainter, record: Record) -> None:
    """Draw one record as the page shows it, on a painter in page points (for previews, such
    as the sync conflicts window's)."""
    made = mark_of(record)
    if made is not None:
        paint_marks(painter, [made], EVERYWHERE)


class Appearance:
    """A record's PDF appearance as the render worker drew it: ``image`` (None until it
    comes) over ``rect`` (page points, where MuPDF draws it), painted at ``opacity``."""

    __slots__ = ("image", "opacity", "rect")

    def __init__(self, rect: QRectF) -> None:
        self.image: QImage | None = None
        self.rect = rect
        self.opacity = 1.0


def _draw_appearance(painter: QPainter, appearance: Appearance) -> None:
    if appearance.image is not None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setOpacity(painter.opacity() * appearance.opacity)  # (reset at the next mark)
        painter.drawImage(appearance.rect, appearance.image)


def appearance_mark(record: Record, appearance: Appearance) -> Mark:
    """A mark that paints ``record`` from its PDF appearance (opacity included), with the
    record's blend mode; its bounds hold the record's own drawing too, for hit tests."""
    drawn = cached_mark(record)
    area = appearance.rect.united(bbox(record.content))
    if drawn is not None:
        area = area.united(drawn.bounds)
    made = mark(record, [(_draw_appearance, (appearance,))], NO_PEN, NO_BRUSH, area)
    made.opacity = 1.0
    return made
