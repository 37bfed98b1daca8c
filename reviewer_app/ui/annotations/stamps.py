"""How stamps and pictures are drawn: a check mark, a cross, framed words, or the picture of the
image's attachment (decoded once)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen, QTransform

from reviewer_app.instant.records import Record
from reviewer_app.instant.transform import rotation_of
from reviewer_app.ui.annotations.marks import (
    NO_BRUSH,
    NO_PEN,
    Mark,
    Shape,
    bbox,
    mark,
    optional_color,
    shown_rect,
)

Loader = Callable[[str], bytes | None]
CACHED_PICTURES = 64  # decoded pictures kept (by attachment id: the same bytes every time)
MISSING = QColor("#909090")
STAMP_RED = QColor("#c0392b")
CHECK_GREEN = QColor("#2e7d32")
GLYPHS = {"Accepted": "check", "Rejected": "cross"}  # as PSPDFKit draws these two stamps
PAPER = QBrush(QColor(255, 255, 255, 160))
_pictures: OrderedDict[str, QImage | None] = OrderedDict()
_loader: list[Loader] = []


def use_attachments(loader: Loader) -> None:
    """Read attachment bytes with ``loader`` (the engine's) from now on."""
    _loader[:] = [loader]


def picture(attachment_id: str) -> QImage | None:
    """The decoded picture of an attachment; None when it is missing or not a picture."""
    if attachment_id in _pictures:
        _pictures.move_to_end(attachment_id)
        return _pictures[attachment_id]
    data = _loader[0](attachment_id) if _loader else None
    image = QImage.fromData(data) if data else None
    found = image if image is not None and not image.isNull() else None
    if found is not None or _loader:
        _pictures[attachment_id] = found
        if len(_pictures) > CACHED_PICTURES:
            _pictures.popitem(last=False)
    return found


def _draw_picture(painter: QPainter, rect: QRectF, image: QImage) -> None:
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(rect, image)


def image(record: Record) -> Mark:
    """The picture stretched over the bbox (its ratio was kept when it was placed), turned by
    its ``rotation``; a grey crossed box when the picture is not stored here."""
    rect = bbox(record.content)
    found = picture(str(record.content.get("imageAttachmentId") or ""))
    if found is not None:
        turn = rotation_of(record.content)
        shapes: list[Shape] = [(_draw_picture, (shown_rect(rect, turn), found))]
        result = mark(record, shapes, NO_PEN, NO_BRUSH, rect)
        result.turn = turn
        return result
    lines = [QLineF(rect.topLeft(), rect.bottomRight()), QLineF(rect.topRight(), rect.bottomLeft())]
    outline: list[Shape] = [(QPainter.drawRect, (rect,)), (QPainter.drawLines, (lines,))]
    return mark(record, outline, QPen(MISSING, 1), NO_BRUSH, rect)


def stamp_words(content: dict[str, object]) -> str:
    """What a stamp says: its title, else its type spelled out ("InitialHere" → INITIAL HERE)."""
    title = str(content.get("title") or "").strip()
    if title:
        return title
    kind = str(content.get("stampType") or "Stamp")
    return "".join(f" {c}" if c.isupper() and i else c for i, c in enumerate(kind)).upper()


def _glyph(kind: str, rect: QRectF) -> QPainterPath:
    """A check mark or a cross in the middle square of ``rect``."""
    side = min(rect.width(), rect.height()) * 0.86
    left = rect.center().x() - side / 2
    top = rect.center().y() - side / 2

    def at(x: float, y: float) -> QPointF:
        return QPointF(left + x * side, top + y * side)

    path = QPainterPath()
    if kind == "check":
        path.moveTo(at(0.12, 0.48))
        path.lineTo(at(0.4, 0.8))
        path.lineTo(at(0.9, 0.14))
    else:
        for a, b in (((0.15, 0.15), (0.85, 0.85)), ((0.15, 0.85), (0.85, 0.15))):
            path.moveTo(at(*a))
            path.lineTo(at(*b))
    return path


def _words_path(words: str, rect: QRectF, margin: float) -> QPainterPath:
    """``words`` as an outline, as large as fits in ``rect`` less ``margin``, centred."""
    font = QFont("Helvetica")
    font.setBold(True)
    font.setPointSizeF(100.0)
    path = QPainterPath()
    path.addText(0, 0, font, words)
    shown = path.boundingRect()
    room = rect.adjusted(margin, margin, -margin, -margin)
    if shown.isEmpty() or room.isEmpty():
        return QPainterPath()
    scale = min(room.width() / shown.width(), room.height() * 0.62 / shown.height())
    move = QTransform()
    move.translate(room.center().x(), room.center().y())
    move.scale(scale, scale)
    move.translate(-shown.center().x(), -shown.center().y())
    return move.map(path)


def _draw_framed(painter: QPainter, rect: QRectF, words: QPainterPath, tint: QColor) -> None:
    painter.drawRoundedRect(rect, 4, 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(tint)
    painter.drawPath(words)


def stamp(record: Record) -> Mark:
    """Accepted as a green check mark, Rejected as a red cross (untitled), every other stamp
    as its words in a frame of its colour (red by default), as the export draws them; turned
    by its ``rotation``."""
    content, rect = record.content, bbox(record.content)
    turn = rotation_of(content)
    shown = shown_rect(rect, turn)
    glyph = None if content.get("title") else GLYPHS.get(str(content.get("stampType")))
    if glyph is not None:
        side = min(rect.width(), rect.height()) * 0.86
        stroke = QPen(CHECK_GREEN if glyph == "check" else STAMP_RED, max(side * 0.13, 0.5))
        stroke.setCapStyle(Qt.PenCapStyle.RoundCap)
        stroke.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        shapes: list[Shape] = [(QPainter.drawPath, (_glyph(glyph, shown),))]
        result = mark(record, shapes, stroke, NO_BRUSH, rect)
    else:
        width = max(1.0, min(rect.width(), rect.height()) * 0.06)
        inner = shown.adjusted(width / 2, width / 2, -width / 2, -width / 2)
        words = _words_path(stamp_words(content), inner, width * 2)
        tint = optional_color(content.get("color")) or STAMP_RED
        framed: list[Shape] = [(_draw_framed, (inner, words, tint))]
        result = mark(record, framed, QPen(tint, width), PAPER, rect)
    result.turn = turn
    return result
