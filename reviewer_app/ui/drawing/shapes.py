"""Box tools: drag a box on a page (Shift: a square) for a rectangle or an ellipse."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QAbstractGraphicsShapeItem, QGraphicsEllipseItem, QGraphicsRectItem

from reviewer_app.ui.drawing.shape_geometry import Box, dragged_box, rounded
from reviewer_app.ui.tools.page_tools import PREVIEW_Z, PagePoint, Tool
from reviewer_app.ui.viewer.page_items import remove_item

Preview = QGraphicsRectItem | QGraphicsEllipseItem
MIN_DRAG = 3.0  # page points: a shorter drag is a click
SHAPE_STYLE: dict[str, Any] = {
    "strokeColor": "#e0301e",
    "strokeWidth": 2.0,
    "fillColor": None,
    "opacity": 1.0,
}
ICON_PEN = QPen(QColor("#303030"), 1.6)


def preview_pen(style: dict[str, Any], key: str = "strokeColor") -> QPen:
    """The pen a preview is drawn with: the style's colour and width (at least a hairline)."""
    color = QColor(str(style.get(key) or "#e0301e"))
    pen = QPen(color, max(float(style.get("strokeWidth") or 1.0), 0.5))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def annotation(kind: str, page: int, box: Box, **fields: Any) -> dict[str, Any]:
    """A new Instant JSON annotation of ``kind`` on ``page`` with its ``bbox`` (fields whose
    value is None are left out)."""
    content = {"v": 2, "type": kind, "pageIndex": page, "bbox": rounded(box)}
    content.update({key: value for key, value in fields.items() if value is not None})
    return content


class BoxTool(Tool):
    """A drag from corner to corner shows a preview box (Shift: a square) and ends in
    :meth:`boxed`; a click without a drag ends in :meth:`clicked`."""

    preview_kind: type[Preview] = QGraphicsRectItem

    def __init__(self, box: Any) -> None:
        super().__init__(box)
        self.page: int | None = None
        self.start = QPointF()
        self.preview: Preview | None = None

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if not self.starts_drawing(at, event):
            return False
        self.cancel()
        self.page, self.start = at.page, at.pos
        self.preview = self.preview_kind(self.tools.page_space(at.page))
        self.preview.setZValue(PREVIEW_Z)
        self.style_preview(self.preview)
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.preview is None or at is None or at.page != self.page:
            return False
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.preview.setRect(QRectF(*self.box_to(at, shift)))
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.preview is None or self.page is None:
            return False
        page, start = self.page, self.start
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        box = self.box_to(at, shift) if at is not None and at.page == page else None
        self.cancel()
        if box is None or max(box[2], box[3]) < MIN_DRAG:
            self.clicked(page, (start.x(), start.y()))
        else:
            self.boxed(page, box)
        return True

    def cancel(self) -> None:
        remove_item(self.preview)
        self.preview, self.page = None, None

    def box_to(self, at: PagePoint, square: bool) -> Box:
        size = self.tools.view.pages[at.page].unrotated
        start = (self.start.x(), self.start.y())
        return dragged_box(start, (at.pos.x(), at.pos.y()), size, square)

    def page_size(self, page: int) -> tuple[float, float]:
        width, height = self.tools.view.pages[page].unrotated
        return (float(width), float(height))

    # -- what subclasses do ---------------------------------------------------------------

    def style_preview(self, item: QAbstractGraphicsShapeItem) -> None:
        pen = QPen(QColor("#2060d0"), 1.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        item.setPen(pen)

    def clicked(self, page: int, at: tuple[float, float]) -> None:
        """A click without a drag at page point ``at`` (nothing by default)."""

    def boxed(self, page: int, box: Box) -> None:
        """A box was dragged on ``page``."""


class RectangleTool(BoxTool):
    """Draws ``pspdfkit/shape/rectangle``: a drag is its box; a click makes nothing."""

    name = "rectangle"
    title = "&Rectangle"
    shortcuts = ("8", "R")
    default_style = SHAPE_STYLE
    kind = "pspdfkit/shape/rectangle"

    def style_preview(self, item: QAbstractGraphicsShapeItem) -> None:
        style = self.style()
        item.setPen(preview_pen(style))
        fill = style.get("fillColor")
        item.setBrush(QBrush(QColor(str(fill))) if fill else QBrush(Qt.BrushStyle.NoBrush))
        item.setOpacity(float(style.get("opacity") or 1.0))

    def boxed(self, page: int, box: Box) -> None:
        style = self.style()
        self.tools.editor.create(
            [
                annotation(
                    self.kind,
                    page,
                    box,
                    strokeColor=style.get("strokeColor"),
                    strokeWidth=float(style.get("strokeWidth") or 1.0),
                    fillColor=style.get("fillColor") or None,
                    opacity=float(style.get("opacity") or 1.0),
                )
            ]
        )

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(ICON_PEN)
        painter.drawRect(rect.adjusted(3, 6, -3, -6))


class EllipseTool(RectangleTool):
    """Draws ``pspdfkit/shape/ellipse`` in the dragged box (Shift: a circle)."""

    name = "ellipse"
    title = "&Ellipse"
    shortcuts = ("9", "O")
    kind = "pspdfkit/shape/ellipse"
    preview_kind = QGraphicsEllipseItem

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(ICON_PEN)
        painter.drawEllipse(rect.adjusted(2, 5, -2, -5))
