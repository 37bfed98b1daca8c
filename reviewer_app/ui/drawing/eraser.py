"""The eraser: a drag over ink removes the strokes it touches (other annotations stay)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem

from reviewer_app.instant.ink_strokes import Point, line_touched, lines_bbox
from reviewer_app.instant.records import Record
from reviewer_app.ui.tools.page_tools import PREVIEW_Z, PagePoint, Tool
from reviewer_app.ui.viewer.page_items import remove_item

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

REACH = 4.0  # points beyond a stroke's half width that still touch it
INK = "pspdfkit/ink"


def ink_lines(record: Record) -> list[list[Any]]:
    points = (record.content.get("lines") or {}).get("points")
    return [line for line in points if isinstance(line, list)] if isinstance(points, list) else []


def without_lines(record: Record, gone: set[int]) -> dict[str, Any] | None:
    """``record``'s content with the strokes numbered ``gone`` taken out; None if none is left."""
    content = record.content
    lines = content.get("lines") or {}
    points = ink_lines(record)
    kept = [i for i in range(len(points)) if i not in gone]
    if not kept:
        return None
    new_lines: dict[str, Any] = {**lines, "points": [points[i] for i in kept]}
    intensities = lines.get("intensities")
    if isinstance(intensities, list) and len(intensities) == len(points):
        new_lines["intensities"] = [intensities[i] for i in kept]
    else:
        new_lines.pop("intensities", None)
    width = float(content.get("lineWidth") or 1.0)
    bbox = lines_bbox(new_lines["points"], width)
    return {**content, "id": record.id, "lines": new_lines, "bbox": bbox}


class EraserTool(Tool):
    """Drag over ink: each stroke (ink line) the eraser comes within its half width plus
    :data:`REACH` points of goes. While dragging, the page is drawn without the touched
    strokes (the overlay item of the page shows trimmed copies; a circle shows the eraser);
    on release one update trims the inks that keep strokes and one delete removes those
    left empty. Esc puts everything back."""

    name = "eraser"
    title = "&Eraser"
    shortcuts = ("E",)

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        self._page = -1
        self._last: Point = (0.0, 0.0)
        self._inks: list[Record] = []
        self._touched: dict[str, set[int]] = {}
        self._circle: QGraphicsEllipseItem | None = None

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if not self.starts_drawing(at, event):
            return False
        self.cancel()
        self._page = at.page
        overlay = self.tools.overlay
        self._inks = [r for r in overlay.on_page(at.page) if r.content.get("type") == INK]
        self._circle = QGraphicsEllipseItem(self.tools.page_space(at.page))
        self._circle.setPen(QPen(QColor(60, 60, 60, 200), 0))
        self._circle.setBrush(QBrush(QColor(255, 255, 255, 90)))
        self._circle.setZValue(PREVIEW_Z)
        self._last = (at.pos.x(), at.pos.y())
        self._rub(at.pos)
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self._page < 0 or at is None:
            return False
        self._rub(at.pos)
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self._page < 0:
            return False
        if at is not None:
            self._rub(at.pos)
        touched = [(r, self._touched[r.id]) for r in self._inks if r.id in self._touched]
        trimmed = [c for c in (without_lines(r, gone) for r, gone in touched) if c is not None]
        emptied = [r.key for r, gone in touched if without_lines(r, gone) is None]
        if trimmed or emptied:
            self.tools.editor.edit(trimmed, emptied)  # one undo step, whatever it touched
        self.cancel()
        return True

    def cancel(self) -> None:
        remove_item(self._circle)
        self._circle = None
        if self._touched:
            self._show_page(self.tools.overlay.on_page(self._page))
        self._page, self._inks, self._touched = -1, [], {}

    def _rub(self, pos: QPointF) -> None:
        """The eraser moved from the last point to ``pos``: note the strokes it touched."""
        here = (pos.x(), pos.y())
        found = False
        for record in self._inks:
            gone = self._touched.get(record.id, set())
            reach = float(record.content.get("lineWidth") or 1.0) / 2 + REACH
            for index, line in enumerate(ink_lines(record)):
                if index not in gone and line_touched(line, self._last, here, reach):
                    self._touched.setdefault(record.id, set()).add(index)
                    found = True
        self._last = here
        if self._circle is not None:
            self._circle.setRect(QRectF(pos.x() - REACH, pos.y() - REACH, 2 * REACH, 2 * REACH))
        if found:
            self._show_page(self._erased_view())

    def _erased_view(self) -> list[Record]:
        """The page's records as they will be: touched strokes gone."""
        shown: list[Record] = []
        for record in self.tools.overlay.on_page(self._page):
            gone = self._touched.get(record.id)
            if not gone or record.content.get("type") != INK:
                shown.append(record)
                continue
            content = without_lines(record, gone)
            if content is not None:
                shown.append(replace(record, content=content))
        return shown

    def _show_page(self, records: list[Record]) -> None:
        item = self.tools.overlay.page_item(self._page)
        if item is not None:
            item.set_records(records)

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        w, h, x, y = rect.width(), rect.height(), rect.left(), rect.top()
        painter.save()
        painter.translate(x + w / 2, y + h / 2)
        painter.rotate(-35)
        body = QRectF(-w * 0.42, -h * 0.2, w * 0.84, h * 0.4)
        painter.setPen(QPen(QColor("#303030"), 1.2))
        painter.setBrush(QColor("#f48fb1"))
        painter.drawRoundedRect(body, 2, 2)
        painter.setBrush(QColor("#90caf9"))
        painter.drawRoundedRect(
            QRectF(body.left(), body.top(), body.width() * 0.35, body.height()), 2, 2
        )
        painter.restore()
        painter.setPen(QPen(QColor("#909090"), 1.0))
        painter.drawLine(QPointF(x + w * 0.1, y + h * 0.95), QPointF(x + w * 0.9, y + h * 0.95))
