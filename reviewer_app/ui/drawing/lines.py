"""Line tools: a dragged line or arrow (Shift: 45° steps), and polygons and polylines clicked
vertex by vertex."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPolygonF
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsPathItem

from reviewer_app.ui.drawing.shape_geometry import Point, bounds, rounded, snapped
from reviewer_app.ui.drawing.shapes import ICON_PEN, MIN_DRAG, SHAPE_STYLE, annotation, preview_pen
from reviewer_app.ui.tools.page_tools import PREVIEW_Z, PagePoint, Tool
from reviewer_app.ui.viewer.page_items import remove_item

SAME_VERTEX = 2.0  # page points: a click this close to the last vertex adds none


def line_margin(style: dict[str, Any], arrow: bool) -> float:
    """How far the bbox reaches past the points: half the stroke, or the arrow head."""
    width = float(style.get("strokeWidth") or 1.0)
    return max(6.0, width * 4) if arrow else width / 2


class LineTool(Tool):
    """Draws ``pspdfkit/shape/line`` from where the drag starts to where it ends."""

    name = "line"
    title = "&Line"
    shortcuts = ("L",)
    default_style = SHAPE_STYLE
    caps: ClassVar[dict[str, str] | None] = None

    def __init__(self, box: Any) -> None:
        super().__init__(box)
        self.page: int | None = None
        self.start: Point = (0.0, 0.0)
        self.preview: QGraphicsLineItem | None = None

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if not self.starts_drawing(at, event):
            return False
        self.cancel()
        self.page, self.start = at.page, (at.pos.x(), at.pos.y())
        self.preview = QGraphicsLineItem(self.tools.page_space(at.page))
        self.preview.setZValue(PREVIEW_Z)
        self.preview.setPen(preview_pen(self.style()))
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.preview is None or at is None or at.page != self.page:
            return False
        self.preview.setLine(QLineF(QPointF(*self.start), QPointF(*self.end_at(at, event))))
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.preview is None or self.page is None:
            return False
        page, start = self.page, self.start
        end = self.end_at(at, event) if at is not None and at.page == page else start
        self.cancel()
        if QLineF(QPointF(*start), QPointF(*end)).length() >= MIN_DRAG:
            self.create(page, start, end)
        return True

    def cancel(self) -> None:
        remove_item(self.preview)
        self.preview, self.page = None, None

    def end_at(self, at: PagePoint, event: QMouseEvent) -> Point:
        end = (at.pos.x(), at.pos.y())
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            return snapped(self.start, end, self.tools.view.pages[at.page].unrotated)
        return end

    def create(self, page: int, start: Point, end: Point) -> None:
        style = self.style()
        box = bounds([start, end], line_margin(style, self.caps is not None))
        content = annotation(
            "pspdfkit/shape/line",
            page,
            box,
            startPoint=rounded(start),
            endPoint=rounded(end),
            strokeColor=style.get("strokeColor"),
            strokeWidth=float(style.get("strokeWidth") or 1.0),
            opacity=float(style.get("opacity") or 1.0),
            lineCaps=dict(self.caps) if self.caps else None,
        )
        self.tools.editor.create([content])

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(ICON_PEN)
        painter.drawLine(rect.bottomLeft() + QPointF(3, -3), rect.topRight() + QPointF(-3, 3))


class ArrowTool(LineTool):
    """Draws a ``pspdfkit/shape/line`` with an open arrow head at its end."""

    name = "arrow"
    title = "&Arrow"
    shortcuts = ("A",)
    caps: ClassVar[dict[str, str] | None] = {"end": "openArrow"}

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        super().draw_icon(painter, rect)
        tip = rect.topRight() + QPointF(-3, 3)
        painter.drawPolyline(QPolygonF([tip + QPointF(-9, 0), tip, tip + QPointF(0, 9)]))


class PolygonTool(Tool):
    """Draws ``pspdfkit/shape/polygon``: each click adds a vertex, a rubber band follows the
    mouse; a double-click or Enter finishes, Backspace takes back a vertex, Esc drops it all."""

    name = "polygon"
    title = "Pol&ygon"
    shortcuts = ("G",)
    default_style = SHAPE_STYLE
    kind = "pspdfkit/shape/polygon"
    closed = True
    least = 3

    def __init__(self, box: Any) -> None:
        super().__init__(box)
        self.page: int | None = None
        self.vertices: list[Point] = []
        self.mouse: Point | None = None
        self.preview: QGraphicsPathItem | None = None

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if not self.starts_drawing(at, event):
            return False
        if self.page is not None and at.page != self.page:
            return True  # a polygon stays on its page
        if self.page is None:
            self.page = at.page
            self.preview = QGraphicsPathItem(self.tools.page_space(at.page))
            self.preview.setZValue(PREVIEW_Z)
            self.preview.setPen(preview_pen(self.style()))
        point = (at.pos.x(), at.pos.y())
        if (
            not self.vertices
            or QLineF(QPointF(*self.vertices[-1]), QPointF(*point)).length() > SAME_VERTEX
        ):
            self.vertices.append(point)
        self.mouse = point
        self.redraw()
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.page is None or at is None:
            return False
        on_page = self.tools.point_at(at.scene, self.page)
        if on_page is not None:
            self.mouse = (on_page.pos.x(), on_page.pos.y())
            self.redraw()
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return self.page is not None

    def double_click(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.page is None:
            return False
        self.finish()
        return True

    def key_press(self, event: QKeyEvent) -> bool:
        if self.page is None:
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        elif key == Qt.Key.Key_Backspace:
            self.vertices.pop()
            if not self.vertices:
                self.cancel()
            else:
                self.redraw()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        else:
            return False
        return True

    def cancel(self) -> None:
        remove_item(self.preview)
        self.preview, self.page, self.vertices, self.mouse = None, None, [], None

    def redraw(self) -> None:
        if self.preview is None or not self.vertices:
            return
        path = QPainterPath(QPointF(*self.vertices[0]))
        for point in self.vertices[1:]:
            path.lineTo(QPointF(*point))
        if self.mouse is not None and self.mouse != self.vertices[-1]:
            path.lineTo(QPointF(*self.mouse))  # the rubber band
        self.preview.setPath(path)

    def finish(self) -> None:
        """Write the shape if it has enough vertices (else say so and keep drawing)."""
        if self.page is None:
            return
        if len(self.vertices) < self.least:
            noun = "polygon" if self.closed else "polyline"
            message = f"A {noun} needs at least {self.least} points: click to add more"
            self.tools.context.notify(message, 5000)
            return
        page, vertices, style = self.page, list(self.vertices), self.style()
        self.cancel()
        content = annotation(
            self.kind,
            page,
            bounds(vertices, float(style.get("strokeWidth") or 1.0) / 2),
            points=[rounded(p) for p in vertices],
            strokeColor=style.get("strokeColor"),
            strokeWidth=float(style.get("strokeWidth") or 1.0),
            fillColor=(style.get("fillColor") or None) if self.closed else None,
            opacity=float(style.get("opacity") or 1.0),
        )
        self.tools.editor.create([content])

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(ICON_PEN)
        shape = QPolygonF(
            [
                QPointF(rect.left() + rect.width() * x, rect.top() + rect.height() * y)
                for x, y in ((0.15, 0.35), (0.55, 0.1), (0.9, 0.45), (0.7, 0.9), (0.2, 0.8))
            ]
        )
        if self.closed:
            painter.drawPolygon(shape)
        else:
            painter.drawPolyline(shape)


class PolylineTool(PolygonTool):
    """Draws ``pspdfkit/shape/polyline``: like the polygon, open, from two points."""

    name = "polyline"
    title = "Poly&line"
    shortcuts = ("Y",)
    kind = "pspdfkit/shape/polyline"
    closed = False
    least = 2
