"""The in-place text editor of notes and free text: typed on the page, committed or cancelled."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsTextItem, QStyleOptionGraphicsItem, QWidget

from reviewer_app.instant.records import Record
from reviewer_app.instant.transform import rotation_of, turned_size
from reviewer_app.ui.annotations.marks import page_font, text_of
from reviewer_app.ui.tools.page_tools import PREVIEW_Z
from reviewer_app.ui.viewer.page_items import remove_item

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

PAD = QSizeF(2.0, 1.0)  # free text: where its text starts inside the bbox (as it is drawn)
NOTE_FONT_SIZE = 10.0
NOTE_POPUP_WIDTH = 180.0
NOTE_POPUP_COLOR = QColor("#fff8c4")
EDGE = QColor("#2060d0")
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
_STOPPING = (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)
_MOUSE = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonRelease,
)

Done = Callable[[str | None], None]  # the text on commit, None on cancel


def fitted_size(text: str, font: QFont, width: float | None = None) -> QSizeF:
    """The bbox size (points) that holds ``text`` as free text; wrapped when ``width`` is given."""
    metrics = QFontMetricsF(font)
    inner = (width - 2 * PAD.width()) if width else 1e6
    shown = text if text.strip() else " "
    rect = metrics.boundingRect(QRectF(0, 0, max(inner, 1.0), 1e6), _WRAP, shown)
    fitted = math.ceil(rect.width() + 2 * PAD.width() + 1.0)  # +1: no wrap from rounding
    return QSizeF(width or fitted, math.ceil(rect.height() + 2 * PAD.height()))


class AnnotationTextEditor(QGraphicsTextItem):
    """An editor on a page (a child of its Instant space, above the previews) that has the
    keyboard while it is open: the tools and their shortcuts see no key until it closes.
    Ctrl+Enter, Esc or a click elsewhere keeps the text (Ctrl+Z takes it back, as in
    Acrobat or Xournal++); ``done`` gets the text, or None when it was dropped
    (:meth:`cancel`: its page went, or a layer switch left nowhere to write it)."""

    def __init__(
        self,
        tools: PageTools,
        page: int,
        font: QFont,
        done: Done,
        *,
        color: QColor | None = None,
        background: QColor | None = None,
        width: float | None = None,
        upright: bool = False,
        turn: int = 0,
    ) -> None:
        super().__init__(tools.page_space(page))
        self.tools, self.page, self.done = tools, page, done
        self.background = background or QColor(255, 255, 255, 215)
        self.finished = False
        self._pressed_inside = False
        self.document().setDocumentMargin(0)
        self.setFont(font)
        self.setDefaultTextColor(color or QColor("#000000"))
        self.setTextWidth(width if width else -1)
        self.setZValue(PREVIEW_Z + 1)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        if upright:  # counter the page's /Rotate and the view's rotation: reads level
            t = self.parentItem().sceneTransform()
            self.setRotation(-math.degrees(math.atan2(t.m12(), t.m11())))
        elif turn:  # free text turned as its record will be (see rotation_of)
            self.setRotation(-turn)

    # -- opening and closing ------------------------------------------------------------

    def start(self, text: str) -> None:
        """Show ``text`` with the caret at its end and take the keyboard."""
        global _current
        open_now = current_editor()
        if open_now is not None and open_now is not self:
            open_now.commit()
        _current = self
        self.setPlainText(text)
        cursor = self.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.setTextCursor(cursor)
        view = self.tools.view
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.tools.tool_changed.connect(self.commit)  # another tool chosen: the text is kept

    def text(self) -> str:
        return self.toPlainText()

    def commit(self) -> None:
        self._finish(self.text() if shiboken6.isValid(self) else None)

    def cancel(self) -> None:
        self._finish(None)

    def _finish(self, text: str | None) -> None:
        global _current
        if self.finished:
            return
        self.finished = True
        if _current is self:
            _current = None
        if not shiboken6.isValid(self):  # its page went with a closed document
            self.done(None)
            return
        self.tools.tool_changed.disconnect(self.commit)
        view = self.tools.view
        view.removeEventFilter(self)
        view.viewport().removeEventFilter(self)
        remove_item(self)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.done(text)

    # -- drawing ------------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        text = super().boundingRect()
        text.setWidth(max(text.width(), QFontMetricsF(self.font()).averageCharWidth() * 2))
        return text.adjusted(-PAD.width(), -PAD.height(), PAD.width(), PAD.height())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.fillRect(self.boundingRect(), self.background)
        edge = QPen(EDGE, 0, Qt.PenStyle.DashLine)
        painter.setPen(edge)
        painter.drawRect(self.boundingRect())
        super().paint(painter, option, widget)  # type: ignore[arg-type]  # None is allowed

    # -- keys and mouse -----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Escape:
            self.commit()  # what was typed is kept; an empty box is dropped by ``done``
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            mods & Qt.KeyboardModifier.ControlModifier
        ):
            self.commit()
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() not in _STOPPING:
            self.commit()  # clicking elsewhere commits; a menu or another window does not

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys for the page view come here first (before the tools), and a click beside
        the editor commits it (and does nothing else)."""
        kind = event.type()
        scene = self.scene()
        if self.finished or scene is None:
            return False
        if watched is self.tools.view and isinstance(event, QKeyEvent):
            if kind == QEvent.Type.ShortcutOverride:
                if is_layer_key(event):
                    return False  # the next layer: the text is kept in this one first
                event.accept()  # every other key is typing while the editor is open
                return True
            if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                scene.sendEvent(self, event)
                return True
        if kind in _MOUSE and isinstance(event, QMouseEvent):
            return self._mouse(kind, event)
        return False

    def _mouse(self, kind: QEvent.Type, event: QMouseEvent) -> bool:
        view = self.tools.view
        where = self.mapFromScene(view.mapToScene(event.position().toPoint()))
        inside = self.boundingRect().contains(where)
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._pressed_inside = inside
            if not inside:
                self.commit()
                return True
        if not self._pressed_inside:
            return False
        if kind == QEvent.Type.MouseButtonRelease:
            self._pressed_inside = False
        view.viewportEvent(event)  # straight to the scene: the tools never see it
        return True


_current: AnnotationTextEditor | None = None


def is_layer_key(event: QKeyEvent) -> bool:
    """Ctrl+PgDn or Ctrl+PgUp: the next or previous person's layer (a teacher types a note,
    then goes on to the next student)."""
    keys = (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)
    return event.key() in keys and event.modifiers() == Qt.KeyboardModifier.ControlModifier


def current_editor() -> AnnotationTextEditor | None:
    """The editor open now (one at a time), if any: not one left open in a window since
    closed (what it was typed for went with the window's tools, which it would call)."""
    global _current
    if _current is not None and not shiboken6.isValid(_current.tools):
        _current = None
    return _current


def note_popup(
    tools: PageTools, page: int, icon: QRectF, text: str, done: Done
) -> AnnotationTextEditor:
    """The popup of a note whose icon is ``icon`` (page points): beside it, level on screen;
    on its left when there is no room on its right in what the view shows, and under it
    when there is room on neither side (a narrow view)."""
    editor = AnnotationTextEditor(
        tools,
        page,
        page_font(NOTE_FONT_SIZE),
        done,
        background=NOTE_POPUP_COLOR,
        width=NOTE_POPUP_WIDTH,
        upright=True,
    )
    space = tools.page_space(page)
    shown = space.mapRectToScene(icon)
    width = editor.mapRectToScene(editor.boundingRect()).width()
    view = tools.view
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    left, top = shown.right() + 6, shown.top()
    if left + width > visible.right():  # a note in the right margin: its popup on the left
        left = shown.left() - 6 - width
        if left < visible.left():  # nor room there: under the icon, not over it
            left = max(visible.left(), min(shown.left(), visible.right() - width))
            top = shown.bottom() + 6
    editor.setPos(space.mapFromScene(QPointF(left, top)))
    editor.start(text)
    return editor


def free_text_editor(
    tools: PageTools,
    page: int,
    at: QPointF,
    style: dict[str, Any],
    text: str,
    done: Done,
    kind: type[AnnotationTextEditor] | None = None,
) -> AnnotationTextEditor:
    """A free text editor whose text starts at ``at`` (page points: the box's top-left corner
    as the text reads) with ``style``'s font, colours and ``rotation``; ``style["width"]`` (if
    any) is the box width as the text reads, else the box grows with the text. ``kind``: a
    subclass of the editor to use (one with other keys)."""
    background = style.get("backgroundColor")
    width = style.get("width")
    turn = rotation_of(style)
    editor = (kind or AnnotationTextEditor)(
        tools,
        page,
        page_font(float(style.get("fontSize") or 14), str(style.get("font") or "Helvetica")),
        done,
        color=QColor(str(style.get("fontColor") or "#000000")),
        background=QColor(background) if isinstance(background, str) else None,
        width=float(width) - 2 * PAD.width() if width else None,
        turn=turn,
    )
    editor.setPos(at + _turning(turn).map(QPointF(PAD.width(), PAD.height())))
    editor.start(text)
    return editor


def text_content(text: str) -> dict[str, str]:
    return {"format": "plain", "value": text}


def _turning(turn: int) -> QTransform:
    """Text as it reads → the unrotated page: turned ``turn`` degrees counter-clockwise."""
    return QTransform().rotate(-turn)


def _font_of(style: dict[str, Any]) -> QFont:
    return page_font(float(style.get("fontSize") or 14), str(style.get("font") or "Helvetica"))


def free_text_bbox(at: QPointF, text: str, style: dict[str, Any]) -> list[float]:
    """The bbox (unrotated page) of free text ``text`` starting at ``at`` in ``style``'s font
    (wrapped at ``width``), turned by ``style``'s ``rotation`` about ``at``."""
    size = fitted_size(text, _font_of(style), style.get("width") or None)
    box = _turning(rotation_of(style)).mapRect(QRectF(QPointF(), size)).translated(at)
    return [round(box.x(), 2), round(box.y(), 2), round(box.width(), 2), round(box.height(), 2)]


def _box(content: dict[str, Any]) -> QRectF:
    return QRectF(*[*map(float, content.get("bbox") or []), 0.0, 0.0, 0.0, 0.0][:4])


def reading_corner(content: dict[str, Any]) -> QPointF:
    """Where a free text's text starts: its bbox's top-left corner as the text reads (the
    bbox's top-left when it is not turned)."""
    box, turn = _box(content), rotation_of(content)
    size = QSizeF(*turned_size(box.width(), box.height(), turn))
    return box.topLeft() - _turning(turn).mapRect(QRectF(QPointF(), size)).topLeft()


def chosen_width(content: dict[str, Any]) -> float | None:
    """A free text box's width (as its text reads) if it was chosen (by a drag); None when it
    fits its text on unwrapped lines (the box then grows and shrinks with the text)."""
    box = _box(content)
    width = turned_size(box.width(), box.height(), rotation_of(content))[0]
    fitted = fitted_size(text_of(content), _font_of(content)).width()
    return None if abs(fitted - width) <= 2.0 else width


def refitted(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` (a changed ``old``) with its bbox fitting its text, when it is free text; a box
    whose width was chosen keeps it and grows or shrinks downwards (as the text reads)."""
    if new.get("type") != "pspdfkit/text":
        return new
    style = {**new, "width": chosen_width(old)}
    return {**new, "bbox": free_text_bbox(reading_corner(old), text_of(new), style)}


def edit_in_place(tools: PageTools, record: Record) -> bool:
    """Open the editor on an existing note or free text; on commit its new text is written
    (``tools.editor.update``; an emptied free text is deleted). False for other records."""
    content = record.content
    kind, page = content.get("type"), content.get("pageIndex")
    if kind not in ("pspdfkit/note", "pspdfkit/text") or not isinstance(page, int):
        return False
    if not 0 <= page < len(tools.view.pages) or not tools.editor.can_edit():
        return False
    layer, old = tools.context.layer, text_of(content)

    def done(text: str | None) -> None:
        if text is None or text == old or tools.context.layer != layer:
            return
        current = next((r for r in tools.editor.records("annotation") if r.id == record.id), None)
        if current is None:
            tools.context.notify("Not changed: the annotation was deleted", 8000)
            return
        new = {**current.content, "id": record.id, "text": text_content(text)}
        if kind == "pspdfkit/note":
            tools.editor.update([new])
        elif not text.strip():
            tools.editor.delete([record.key])
        else:
            tools.editor.update([refitted(current.content, new)])

    if kind == "pspdfkit/note":
        icon = _box(content)
        icon.setSize(QSizeF(max(icon.width(), 16.0), max(icon.height(), 16.0)))
        note_popup(tools, page, icon, old, done)
    else:
        style = {**content, "width": chosen_width(content)}
        free_text_editor(tools, page, reading_corner(content), style, old, done)
    return True
