"""The select tool: click an annotation to select it; a drag over nothing scrolls the view."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QPolygonF

from reviewer_app.ui.tools.base import PagePoint, Tool


class SelectTool(Tool):
    """Selects the topmost annotation under a click (none on a click on nothing)."""

    name = "select"
    title = "&Select"
    shortcuts = ("V",)
    cursor = Qt.CursorShape.ArrowCursor
    pans = True

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if at is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        item = self.box.window.overlay.page_item(at.page)
        marks = item.marks_at(at.pos) if item is not None else []
        found = next((m for m in marks if not m.hover_only), None)
        self.box.select([found.record] if found is not None else [])
        return found is not None

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        arrow = QPolygonF(
            [
                QPointF(rect.left() + rect.width() * x, rect.top() + rect.height() * y)
                for x, y in (
                    (0.3, 0.1),
                    (0.3, 0.85),
                    (0.48, 0.68),
                    (0.62, 0.95),
                    (0.72, 0.9),
                    (0.58, 0.62),
                    (0.8, 0.62),
                )
            ]
        )
        painter.setPen(QPen(QColor("#202020"), 1.5))
        painter.setBrush(QColor("#ffffff"))
        painter.drawPolygon(arrow)
