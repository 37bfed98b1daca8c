"""The current layer's annotations as items on their pages: notes, text boxes, stamps, links."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen

from reviewer_app.instant.records import Record
from reviewer_app.ui import annotation_items as shapes
from reviewer_app.ui.annotation_items import (
    AnnotationItem,
    bbox,
    brush,
    color,
    optional_color,
    text_of,
)
from reviewer_app.ui.page_items import PageItem

STAMP_RED = QColor("#c0392b")
LINK_BLUE = QColor("#2a6fdb")


def _note(record: Record) -> AnnotationItem:
    rect = bbox(record.content)
    rect.setSize(rect.size().expandedTo(QSizeF(16, 16)).boundedTo(QSizeF(24, 24)))
    path = QPainterPath()
    path.addRoundedRect(rect, 2.5, 2.5)
    lines = QPainterPath()
    for i in range(3):
        y = rect.top() + rect.height() * (0.3 + 0.2 * i)
        lines.moveTo(rect.left() + rect.width() * 0.2, y)
        lines.lineTo(rect.right() - rect.width() * 0.2, y)
    path.addPath(lines)
    item = AnnotationItem(record, path)
    item.setPen(QPen(QColor("#5b4a00"), 0.8))
    item.setBrush(QBrush(color(record.content.get("color"), "#ffd400")))
    item.setToolTip(text_of(record.content))
    return item


def _free_text(record: Record) -> AnnotationItem:
    content, rect = record.content, bbox(record.content)
    path = QPainterPath()
    path.addRect(rect)
    item = AnnotationItem(record, path)
    border = optional_color(content.get("strokeColor"))
    item.setPen(
        QPen(border, float(content.get("strokeWidth") or 1)) if border else QPen(Qt.PenStyle.NoPen)
    )
    item.setBrush(
        brush(content, "backgroundColor") if content.get("backgroundColor") else brush(content)
    )
    item.text = text_of(content)
    item.text_rect = rect.adjusted(2, 1, -2, -1)
    item.text_color = color(content.get("fontColor"), "#000000")
    item.font_size = float(content.get("fontSize") or 12)
    return item


def _stamp(record: Record) -> AnnotationItem:
    content, rect = record.content, bbox(record.content)
    path = QPainterPath()
    path.addRoundedRect(rect, 4, 4)
    item = AnnotationItem(record, path)
    item.setPen(QPen(STAMP_RED, 2))
    item.setBrush(QBrush(QColor(255, 255, 255, 160)))
    label = content.get("title") or content.get("stampType") or "Stamp"
    item.text = str(label)
    item.text_rect = rect.adjusted(4, 2, -4, -2)
    item.text_color = STAMP_RED
    item.font_size = max(6.0, min(rect.height() * 0.5, 24.0))
    return item


def _link(record: Record) -> AnnotationItem:
    path = QPainterPath()
    path.addRect(bbox(record.content))
    item = AnnotationItem(record, path)
    item.setPen(QPen(LINK_BLUE, 0.75))
    item.setBrush(QBrush(Qt.BrushStyle.NoBrush))
    item.hover_outline = True
    item.setAcceptHoverEvents(True)
    item.setCursor(Qt.CursorShape.PointingHandCursor)
    return item


def _redaction(record: Record) -> AnnotationItem:
    path = QPainterPath()
    for r in record.content.get("rects") or [record.content.get("bbox")]:
        if r and len(r) >= 4:
            path.addRect(QRectF(*map(float, r[:4])))
    item = AnnotationItem(record, path)
    item.setPen(QPen(color(record.content.get("outlineColor"), "#e00000"), 1))
    item.setBrush(QBrush(Qt.BrushStyle.NoBrush))
    return item


DRAWERS: dict[str, Callable[[Record], AnnotationItem]] = {
    "pspdfkit/note": _note,
    "pspdfkit/text": _free_text,
    "pspdfkit/stamp": _stamp,
    "pspdfkit/link": _link,
    "pspdfkit/ink": shapes.ink_item,
    "pspdfkit/shape/rectangle": shapes.shape_item,
    "pspdfkit/shape/ellipse": shapes.shape_item,
    "pspdfkit/shape/line": shapes.line_item,
    "pspdfkit/shape/polygon": shapes.line_item,
    "pspdfkit/shape/polyline": shapes.line_item,
    "pspdfkit/markup/highlight": shapes.markup_item,
    "pspdfkit/markup/underline": shapes.markup_item,
    "pspdfkit/markup/strikeout": shapes.markup_item,
    "pspdfkit/markup/squiggly": shapes.markup_item,
    "pspdfkit/markup/redaction": _redaction,
}


def annotation_item(record: Record) -> AnnotationItem | None:
    """The item drawing ``record``, or None for a type we do not draw."""
    drawer = DRAWERS.get(str(record.content.get("type")))
    return drawer(record) if drawer else None


class AnnotationOverlay:
    """The items of the layer shown, as children of their page items; replaced on a layer switch."""

    def __init__(self) -> None:
        self.items: list[AnnotationItem] = []
        self.undrawn: list[Record] = []

    def show(self, pages: Sequence[PageItem], records: Sequence[Record]) -> None:
        """Draw ``records`` (annotations of the current layer) over ``pages``."""
        self.clear()
        for record in records:
            page = record.content.get("pageIndex")
            if record.kind != "annotation" or not isinstance(page, int):
                continue
            if not 0 <= page < len(pages):
                continue
            item = annotation_item(record)
            if item is None:
                self.undrawn.append(record)
                continue
            item.setParentItem(pages[page])
            self.items.append(item)

    def clear(self) -> None:
        for item in self.items:
            scene = item.scene()
            if scene is not None:
                scene.removeItem(item)
        self.items.clear()
        self.undrawn.clear()

    def on_page(self, page: int) -> list[AnnotationItem]:
        return [i for i in self.items if i.record.content.get("pageIndex") == page]
