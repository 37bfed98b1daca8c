"""Sticky notes and free text: a click (or a drag, for a text box's width) and then typing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from reviewer_app.instant.transform import turned_size
from reviewer_app.ui.annotations import note_icons
from reviewer_app.ui.annotations.note_icons import NOTE_EDGE, icon_path
from reviewer_app.ui.tools.page_tools import PREVIEW_Z, PagePoint, Tool
from reviewer_app.ui.tools.text_edit import (
    AnnotationTextEditor,
    free_text_bbox,
    free_text_editor,
    note_popup,
    reading_corner,
    text_content,
)
from reviewer_app.ui.viewer.page_items import remove_item

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

NOTE_SIZE = 24.0  # points: the note icon's bbox
MIN_BOX_WIDTH = 8.0  # a drag narrower than this is a click


class NoteIcon(QGraphicsItem):
    """The note tool's preview while the note's text is typed: the icon drawn as the note
    will be (:func:`note_icons.draw`: the same picture, at the same device pixel)."""

    def __init__(self, rect: QRectF, fill: QBrush, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.rect, self.fill = rect, fill
        self.look = (rect.x(), rect.y(), rect.width(), rect.height(), float(fill.color().rgba()))

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-1, -1, 1, 1)  # the edge's pen and antialiasing

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)  # (a turned page: vectors)
        note_icons.draw(painter, self.rect, self.fill, self.look)


class _TextTool(Tool):
    """What notes and free text share: one editor open at a time, committed when another
    tool is chosen, on Esc, and before a layer switch (in the layer it was typed in)."""

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        self.editor: AnnotationTextEditor | None = None
        self.preview: NoteIcon | QGraphicsRectItem | None = None

    def deactivate(self) -> None:
        if self.editor is not None:
            self.editor.commit()
        self._drop_preview()

    def cancel(self) -> None:
        if self.editor is not None:
            self.editor.cancel()
        self._drop_preview()

    def finish(self) -> None:
        self.deactivate()

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        return at is not None and event.button() == Qt.MouseButton.LeftButton

    def _drop_preview(self) -> None:
        remove_item(self.preview)
        self.preview = None

    def _closed(self) -> None:
        self.editor = None
        self._drop_preview()


class NoteTool(_TextTool):
    """A click places a note icon and opens its popup; what is typed there starts a comment
    thread: a comment marker (drawn as a sticky note) and its first comment, added as one
    change when the popup is committed, and not at all when it is cancelled or empty.
    Replies follow in the Comments pane."""

    name = "note"
    title = "&Note"
    shortcuts = ("6", "N")
    cursor = Qt.CursorShape.PointingHandCursor
    default_style: ClassVar[dict[str, Any]] = {"color": "#ffd400", "opacity": 1.0}

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if at is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        width, height = self.tools.view.pages[at.page].unrotated
        half = NOTE_SIZE / 2
        x = min(max(at.pos.x() - half, 0.0), max(width - NOTE_SIZE, 0.0))
        y = min(max(at.pos.y() - half, 0.0), max(height - NOTE_SIZE, 0.0))
        icon = QRectF(x, y, NOTE_SIZE, NOTE_SIZE)
        style = self.style()
        fill = QBrush(QColor(str(style.get("color") or "#ffd400")))
        self.preview = NoteIcon(icon, fill, self.tools.page_space(at.page))
        self.preview.setOpacity(float(style.get("opacity", 1.0)))
        self.preview.setZValue(PREVIEW_Z)
        page = at.page
        self.editor = note_popup(self.tools, page, icon, "", lambda t: self._done(page, icon, t))
        return True

    def _done(self, page: int, icon: QRectF, text: str | None) -> None:
        self._closed()
        if text is None or not text.strip():
            return  # cancelled, or nothing said: no note
        content = {
            "v": 2,
            "type": "pspdfkit/comment-marker",
            "pageIndex": page,
            "bbox": [round(icon.x(), 2), round(icon.y(), 2), NOTE_SIZE, NOTE_SIZE],
            "text": text_content(text),  # a marker's text mirrors its first comment
            "icon": "comment",
            "isCommentThreadRoot": True,
            **self.style(),
        }
        self.tools.editor.start_thread(content, text.strip())

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        square = rect.adjusted(2, 3, -2, -3)
        painter.setPen(QPen(NOTE_EDGE, 1.5))
        painter.setBrush(QColor("#ffd400"))
        painter.drawPath(icon_path(square, square.width() * 0.1))


class FreeTextTool(_TextTool):
    """A click opens a text editor on the page (a drag sets the box width, the text then
    wraps); committing adds a ``pspdfkit/text`` whose bbox fits the text. Empty: nothing.
    On a turned page the text is turned with it (``rotation`` = the page's /Rotate) so that
    it reads upright; widths are as the text reads."""

    name = "free_text"
    title = "&Free Text"
    shortcuts = ("7", "T")
    cursor = Qt.CursorShape.IBeamCursor
    default_style: ClassVar[dict[str, Any]] = {
        "fontSize": 14,
        "fontColor": "#000000",
        "font": "Helvetica",
        "opacity": 1.0,
        "backgroundColor": None,
        "strokeColor": None,
        "strokeWidth": 1.0,
    }

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        self.start: PagePoint | None = None

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if at is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        self.start = at
        self.preview = QGraphicsRectItem(QRectF(at.pos, at.pos), self.tools.page_space(at.page))
        self.preview.setPen(QPen(QColor("#2060d0"), 0, Qt.PenStyle.DashLine))
        self.preview.setZValue(PREVIEW_Z)
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self.start is None or at is None or not isinstance(self.preview, QGraphicsRectItem):
            return False
        self.preview.setRect(QRectF(self.start.pos, at.pos).normalized())
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        start, self.start = self.start, None
        if start is None or at is None:
            self._drop_preview()
            return start is not None
        box = QRectF(start.pos, at.pos).normalized()
        turn = self.tools.view.pages[start.page].rotation_pdf
        width = turned_size(box.width(), box.height(), turn)[0]  # as the text reads
        dragged = width >= MIN_BOX_WIDTH
        style = {**self.style(), "width": width if dragged else None, "rotation": turn or None}
        bbox = [box.x(), box.y(), box.width(), box.height()]
        corner = reading_corner({"bbox": bbox, "rotation": turn}) if dragged else start.pos
        self._drop_preview()
        page = start.page
        self.editor = free_text_editor(
            self.tools, page, corner, style, "", lambda t: self._done(page, corner, style, t)
        )
        return True

    def cancel(self) -> None:
        self.start = None
        super().cancel()

    def _done(self, page: int, at: QPointF, style: dict[str, Any], text: str | None) -> None:
        self._closed()
        if text is None or not text.strip():
            return
        content: dict[str, Any] = {
            "v": 2,
            "type": "pspdfkit/text",
            "pageIndex": page,
            "bbox": free_text_bbox(at, text, style),
            "text": text_content(text),
            "horizontalAlign": "left",
            "verticalAlign": "top",
        }
        content.update({k: v for k, v in style.items() if k != "width" and v is not None})
        if "strokeColor" not in content:
            content.pop("strokeWidth", None)
        self.tools.editor.create([content])

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QPen(QColor("#2060d0"), 1.2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(1, 1, -1, -1))
        font = QFont("Serif")
        font.setPixelSize(int(rect.height() * 0.75))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#202020"))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "T")
        cursor = QLineF(rect.right() - 5, rect.top() + 5, rect.right() - 5, rect.bottom() - 5)
        painter.setPen(QPen(QColor("#2060d0"), 1.5))
        painter.drawLine(cursor)
