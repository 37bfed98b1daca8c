"""One form widget drawn by Qt in page points from the shown layer's value (crisp at every zoom)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from reviewer_app.pdf.form_widgets import PASSWORD, FormWidget

FORM_Z = 4.0  # over the page, under search hits, the text selection and the annotations
FIELD_FILL = QColor(200, 214, 250, 110)  # the light blue readers give fillable fields
READ_ONLY_FILL = QColor(220, 220, 220, 90)
FIELD_BORDER = QColor("#8a98b8")
CHOSEN_FILL = QColor("#3d6fd6")
FOCUS_GAP, FOCUS_WIDTH = 1.0, 1.2  # points: the frame of a field reached with Tab
FONT_PIXELS = 100  # fonts are made this big and scaled down: sizes in fractions of a point
PAD = 2.0  # points between a field's border and its text
ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}


def content_transform(width: float, height: float, turn: int) -> tuple[QTransform, float, float]:
    """Where a widget's content goes inside its ``width`` × ``height`` rect when it is turned
    ``turn`` degrees counter-clockwise (/MK /R), and the content's own width and height."""
    if turn == 90:
        return QTransform().translate(0, height).rotate(-90), height, width
    if turn == 180:
        return QTransform().translate(width, height).rotate(180), width, height
    if turn == 270:
        return QTransform().translate(width, 0).rotate(90), height, width
    return QTransform(), width, height


def font_size(widget: FormWidget, height: float) -> float:
    """The widget's font size in points; an automatic size fits a line into the field."""
    if widget.font_size > 0:
        return widget.font_size
    if widget.multiline or widget.kind == "list":
        return 10.0
    return max(4.0, min(12.0, (height - 2 * PAD) * 0.8))


def field_font() -> QFont:
    font = QFont("Helvetica")
    font.setPixelSize(FONT_PIXELS)
    return font


def draw_text(
    painter: QPainter, rect: QRectF, text: str, size: float, color: QColor, flags: int
) -> None:
    """``text`` in ``rect`` (page points) at ``size`` points."""
    scale = size / FONT_PIXELS
    painter.save()
    painter.scale(scale, scale)
    painter.setFont(field_font())
    painter.setPen(color)
    box = QRectF(rect.x() / scale, rect.y() / scale, rect.width() / scale, rect.height() / scale)
    painter.drawText(box, flags, text)
    painter.restore()


def as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value in (None, "") else [str(value)]


class FieldItem(QGraphicsItem):
    """Draws ``widget`` with ``value`` (what the layer shown holds for its field); a click on
    it calls ``clicked(item)`` unless the field is read-only. ``focused``: reached with Tab
    (a check box, a radio button or a list of choices), drawn with a focus frame."""

    def __init__(
        self, page: QGraphicsItem, widget: FormWidget, clicked: Callable[[FieldItem], None]
    ) -> None:
        super().__init__(page)
        self.widget = widget
        self.value: Any = None
        self.clicked = clicked
        self.focused = False
        left, top, self.width, self.height = widget.rect
        self.setPos(left, top)
        self.setZValue(FORM_Z)
        if widget.read_only:
            self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        else:
            self.setAcceptedMouseButtons(Qt.MouseButton.LeftButton)
            text = widget.kind == "text"
            self.setCursor(
                Qt.CursorShape.IBeamCursor if text else Qt.CursorShape.PointingHandCursor
            )

    def boundingRect(self) -> QRectF:
        out = FOCUS_GAP + FOCUS_WIDTH if self.focused else 0.0
        return QRectF(0, 0, self.width, self.height).adjusted(-out, -out, out, out)

    def set_value(self, value: Any) -> None:
        if value != self.value:
            self.value = value
            self.update()

    def scene_rect(self) -> QRectF:
        """The field's rect in the scene (its focus frame left out)."""
        return self.mapRectToScene(QRectF(0, 0, self.width, self.height))

    def set_focused(self, focused: bool) -> None:
        if focused != self.focused:
            self.focused = focused
            self.prepareGeometryChange()  # the frame is drawn around the field
            self.update()

    @property
    def checked(self) -> bool:
        """A check box or radio button is on: its field holds this widget's export value."""
        return self.widget.on_state in as_list(self.value) and self.widget.on_state != "Off"

    def shown_text(self) -> str:
        """The text the item draws (choices by their labels, several on lines)."""
        if self.widget.kind in ("checkbox", "radio"):
            return ""
        if self.widget.kind == "text":
            text = "" if self.value is None else str(self.value)
            return "•" * len(text) if self.widget.flags & PASSWORD else text
        return "\n".join(self.widget.label(v) for v in as_list(self.value))

    # -- mouse ---------------------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
        else:
            event.ignore()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.contains(event.pos()):
            self.clicked(self)

    # -- painting ------------------------------------------------------------------------

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = QRectF(0, 0, self.width, self.height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.focused:
            painter.setPen(QPen(CHOSEN_FILL, FOCUS_WIDTH, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            frame = FOCUS_GAP + FOCUS_WIDTH / 2
            painter.drawRect(rect.adjusted(-frame, -frame, frame, frame))
        fill = READ_ONLY_FILL if self.widget.read_only else FIELD_FILL
        pen = QPen(FIELD_BORDER, 0.6)
        painter.setPen(pen)
        painter.setBrush(fill)
        if self.widget.kind == "radio":
            painter.drawEllipse(rect.adjusted(0.3, 0.3, -0.3, -0.3))
        else:
            painter.drawRect(rect.adjusted(0.3, 0.3, -0.3, -0.3))
        transform, width, height = content_transform(self.width, self.height, self.widget.turn)
        painter.save()
        painter.setTransform(transform, True)
        box = QRectF(0, 0, width, height)
        draw = {
            "text": self._draw_text,
            "checkbox": self._draw_check,
            "radio": self._draw_dot,
            "combo": self._draw_combo,
            "list": self._draw_list,
        }[self.widget.kind]
        draw(painter, box)
        painter.restore()

    def _color(self) -> QColor:
        return QColor(self.widget.text_color)

    def _draw_text(self, painter: QPainter, box: QRectF) -> None:
        """The value as the PDF lays it out: aligned by /Q, lines broken at \\n or \\r
        (multiline fields), or one character per cell (comb fields)."""
        size = font_size(self.widget, box.height())
        text = self.shown_text().replace("\r\n", "\n").replace("\r", "\n")
        painter.save()
        painter.setClipRect(box)
        if self.widget.comb:
            self._draw_comb(painter, box, text, size)
            painter.restore()
            return
        inner = box.adjusted(PAD, PAD if self.widget.multiline else 0, -PAD, -PAD)
        flags = int(ALIGN[self.widget.align])
        if self.widget.multiline:
            flags |= int(Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)
        else:
            flags |= int(Qt.AlignmentFlag.AlignVCenter) | int(Qt.TextFlag.TextSingleLine)
            text = text.replace("\n", " ")
        draw_text(painter, inner, text, size, self._color(), flags)
        painter.restore()

    def _draw_comb(self, painter: QPainter, box: QRectF, text: str, size: float) -> None:
        """Each character centred in its cell (the field's width split in /MaxLen), the
        cells parted by lines as readers draw them."""
        cells = self.widget.max_length
        width = box.width() / cells
        painter.setPen(QPen(FIELD_BORDER, 0.6))
        for index in range(1, cells):
            x = box.left() + index * width
            painter.drawLine(QPointF(x, box.top()), QPointF(x, box.bottom()))
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
        for index, char in enumerate(text.replace("\n", "")[:cells]):
            cell = QRectF(box.left() + index * width, box.top(), width, box.height())
            draw_text(painter, cell, char, size, self._color(), flags)

    def _draw_check(self, painter: QPainter, box: QRectF) -> None:
        if not self.checked:
            return
        side = min(box.width(), box.height())
        x0 = box.center().x() - side / 2
        y0 = box.center().y() - side / 2
        path = QPainterPath(QPointF(x0 + side * 0.2, y0 + side * 0.52))
        path.lineTo(QPointF(x0 + side * 0.42, y0 + side * 0.75))
        path.lineTo(QPointF(x0 + side * 0.8, y0 + side * 0.25))
        pen = QPen(self._color(), side * 0.13)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _draw_dot(self, painter: QPainter, box: QRectF) -> None:
        if not self.checked:
            return
        radius = min(box.width(), box.height()) * 0.25
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._color())
        painter.drawEllipse(box.center(), radius, radius)

    def _draw_combo(self, painter: QPainter, box: QRectF) -> None:
        button = min(box.height(), 14.0)
        arrow = QRectF(box.right() - button, box.top(), button, box.height())
        size = font_size(self.widget, box.height())
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        text = box.adjusted(PAD, 0, -button - PAD, 0)
        painter.save()
        painter.setClipRect(box)
        draw_text(painter, text, self.shown_text(), size, self._color(), flags)
        painter.restore()
        c, half = arrow.center(), button * 0.22
        triangle = QPainterPath(QPointF(c.x() - half, c.y() - half / 2))
        triangle.lineTo(QPointF(c.x() + half, c.y() - half / 2))
        triangle.lineTo(QPointF(c.x(), c.y() + half / 2))
        triangle.closeSubpath()
        painter.fillPath(triangle, QColor("#505a70"))

    def _draw_list(self, painter: QPainter, box: QRectF) -> None:
        size = font_size(self.widget, box.height())
        row = size * 1.25
        chosen = set(as_list(self.value))
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.save()
        painter.setClipRect(box)
        for index, (export, label) in enumerate(self.widget.options):
            line = QRectF(box.left(), box.top() + PAD / 2 + index * row, box.width(), row)
            if line.top() > box.bottom():
                break
            color = self._color()
            if export in chosen:
                painter.fillRect(line, CHOSEN_FILL)
                color = QColor(Qt.GlobalColor.white)
            draw_text(painter, line.adjusted(PAD, 0, -PAD, 0), label, size, color, flags)
        painter.restore()
