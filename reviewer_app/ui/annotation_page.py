"""One item per page that paints all of the page's annotations, and finds the one under a point."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotation_marks import ANNOTATION_Z, Mark, batched, paint_marks
from reviewer_app.ui.annotation_shapes import HOVERED_TYPES, cached_mark

MARGIN = 24.0  # points around the page where a mark may still reach
PLANS = 4  # batched paint plans kept per page


class PageAnnotations(QGraphicsItem):
    """The annotations of one page, painted in page points by one item (a thousand items cost a
    thousand times the bookkeeping). Marks are made from the records on first use; ``set_records``
    swaps the records and repaints. Appearance images (for types not drawn here) go under them."""

    def __init__(self, page: QGraphicsItem, size: tuple[float, float]) -> None:
        super().__init__(page)
        self.size = size
        self.records: list[Record] = []
        self.appearances: dict[str, tuple[QRectF, QImage]] = {}
        self.hovered: Mark | None = None
        self._marks: list[Mark] | None = []
        self._painted: list[Mark] | None = []  # the marks with stroke runs merged (batched)
        self._plans: dict[tuple[int, ...], tuple[list[Mark], list[Mark]]] = {}
        self.setZValue(ANNOTATION_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self.size).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)

    def set_records(self, records: Sequence[Record]) -> None:
        """Draw ``records`` from now on (marks are made at the next paint)."""
        self.records = list(records)
        self._marks = self._painted = None
        self.hovered = None
        self.setToolTip("")
        self.unsetCursor()
        types = {r.content.get("type") for r in self.records}
        self.setAcceptHoverEvents(bool(types & HOVERED_TYPES))
        self.update()

    def marks(self) -> list[Mark]:
        """The drawn records' marks, bottom first."""
        if self._marks is None:
            made = (cached_mark(record) for record in self.records)
            self._marks = [m for m in made if m is not None]
        return self._marks

    def _plan(self, marks: list[Mark]) -> list[Mark]:
        """``batched(marks)``, kept for the last few sets of marks (the layers switched
        between); the marks are kept with it, so that their ids stay theirs."""
        key = tuple(map(id, marks))
        if key not in self._plans:
            if len(self._plans) >= PLANS:
                del self._plans[next(iter(self._plans))]
            self._plans[key] = (marks, batched(marks))
        return self._plans[key][1]

    def marks_at(self, point: QPointF) -> list[Mark]:
        """The marks whose bounds hold ``point`` (page points), topmost first."""
        return [m for m in reversed(self.marks()) if m.bounds.contains(point)]

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for rect, image in self.appearances.values():
            if rect.intersects(exposed):
                painter.drawImage(rect, image)
        if self._painted is None:
            self._painted = self._plan(self.marks())
        paint_marks(painter, self._painted, exposed, self.hovered)

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        found = next((m for m in self.marks_at(event.pos()) if m.hover_only or m.tooltip), None)
        if found is self.hovered:
            return
        for old_or_new in (self.hovered, found):
            if old_or_new is not None:
                self.update(old_or_new.bounds)
        self.hovered = found
        self.setToolTip(found.tooltip if found is not None else "")
        if found is not None and found.hover_only:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        if self.hovered is not None:
            self.update(self.hovered.bounds)
        self.hovered = None
        self.setToolTip("")
        self.unsetCursor()


class MarkItem(QGraphicsItem):
    """A single record drawn as its own item (for a few marks over a view, such as a
    comparison's other side); ``mark`` is what it paints."""

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.record = mark.record
        self.setZValue(ANNOTATION_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setToolTip(mark.tooltip)

    def boundingRect(self) -> QRectF:
        return self.mark.bounds

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        paint_marks(painter, [self.mark], self.mark.bounds)
