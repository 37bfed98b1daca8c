"""The select tool: choose annotations, then move, resize, nudge or delete them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QApplication

from reviewer_app.instant.records import Record
from reviewer_app.instant.transform import bbox_of, moved_on_page, scaled
from reviewer_app.instant.validate import MARKUP_TYPES
from reviewer_app.ui.tools.handles import Gesture, SelectionMarks, choosable, outline_of, resized
from reviewer_app.ui.tools.page_tools import PagePoint, Tool
from reviewer_app.ui.tools.text_edit import current_editor, edit_in_place

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

EDITED_IN_PLACE = ("pspdfkit/note", "pspdfkit/text")
THREAD_ROOTS = (*MARKUP_TYPES, "pspdfkit/comment-marker")  # their thread opens instead
NUDGE, BIG_NUDGE = 1.0, 10.0  # points per arrow key press, with Shift
ARROWS = {  # the way each arrow key points on screen
    Qt.Key.Key_Left: (-1.0, 0.0),
    Qt.Key.Key_Right: (1.0, 0.0),
    Qt.Key.Key_Up: (0.0, -1.0),
    Qt.Key.Key_Down: (0.0, 1.0),
}
ADDING = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier


class SelectTool(Tool):
    """Click chooses the topmost annotation (Shift/Ctrl+click adds or removes it), a drag on
    nothing draws a rubber band, a drag on the selection moves it and a handle resizes it.
    Arrows nudge, Esc lets go; ``select_all`` and ``delete_selected`` serve the window's
    actions. The selection is ``tools.selected``, all on one page."""

    name = "select"
    title = "&Select"
    shortcuts = ("V",)
    cursor = Qt.CursorShape.ArrowCursor
    home = True

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        self.marks = SelectionMarks(tools)
        self.gesture: Gesture | None = None
        tools.selection_changed.connect(self._selection_changed)

    # -- lifetime -----------------------------------------------------------------------

    def deactivate(self) -> None:
        self.cancel()
        self.tools.select([])

    def finish(self) -> None:
        """Before a layer switch: a text being edited in place is kept, a drag dropped."""
        editor = current_editor()
        if editor is not None:
            editor.commit()
        self.cancel()

    def cancel(self) -> None:
        gesture, self.gesture = self.gesture, None
        if gesture is not None and gesture.kind in ("move", "resize") and gesture.started:
            self.marks.draw_page_without(gesture.page, hidden=())
        self.marks.clear_band()
        self.marks.show(self.tools.selected)

    def _selection_changed(self) -> None:
        if self.gesture is None:
            self.marks.show(self.tools.selected)

    # -- what is where ------------------------------------------------------------------

    def record_at(self, at: PagePoint) -> Record | None:
        """The topmost annotation drawn under ``at``."""
        item = self.tools.overlay.page_item(at.page)
        marks = item.marks_at(at.pos) if item is not None else []
        found = next((m for m in marks if choosable(m.record)), None)
        return found.record if found is not None else None

    def _in_selection(self, at: PagePoint) -> bool:
        return any(
            outline_of(r).contains(at.pos)
            for r in self.tools.selected
            if r.content.get("pageIndex") == at.page
        )

    def _form_field_at(self, at: PagePoint) -> bool:
        return self.tools.field_at(at.page, at.pos) is not None

    def _editable(self) -> bool:
        return self.tools.editor.can_edit()

    # -- mouse --------------------------------------------------------------------------

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.MiddleButton:
            self.gesture = Gesture("pan", -1, event.position(), event.position())
            return True
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        adding = bool(event.modifiers() & ADDING)
        pixels = event.position()
        handle = self.marks.handle_at(pixels) if self._editable() else None
        if handle is not None:  # (it may stick out of its page; Shift keeps the proportions)
            self.tools.view.setFocus(Qt.FocusReason.MouseFocusReason)
            record = self.tools.selected[0]
            page = int(record.content.get("pageIndex", 0))
            self.gesture = Gesture("resize", page, QPointF(), pixels, [record], handle=handle)
            return True
        if at is None:
            self.tools.select([])
            return False
        if self._form_field_at(at):
            return False
        self.tools.view.setFocus(Qt.FocusReason.MouseFocusReason)
        found = self.record_at(at)
        if adding:
            if found is not None:
                self._toggle(found)
            self.gesture = Gesture("band", at.page, at.pos, pixels)
            return True
        chosen = {r.key for r in self.tools.selected}
        if found is not None and found.key not in chosen:
            self.tools.select([found])
        elif found is None and not self._in_selection(at):
            self.tools.select([])
            self.gesture = Gesture("band", at.page, at.pos, pixels)
            return True
        kind = "move" if self._editable() else "none"
        self.gesture = Gesture(
            kind, at.page, at.pos, pixels, list(self.tools.selected), clicked=found
        )
        return True

    def _toggle(self, record: Record) -> None:
        page = record.content.get("pageIndex")
        kept = [r for r in self.tools.selected if r.content.get("pageIndex") == page]
        if any(r.key == record.key for r in kept):
            self.tools.select([r for r in kept if r.key != record.key])
        else:
            self.tools.select([*kept, record])

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        gesture = self.gesture
        if gesture is None:
            self._hover(at, event)
            return False
        if gesture.kind == "pan":
            self._pan(gesture, event.position())
            return True
        if not gesture.started:
            travel = (event.position() - gesture.pixels).manhattanLength()
            if travel < QApplication.startDragDistance():
                return True
            gesture.started = True
            if gesture.kind in ("move", "resize"):
                self.marks.draw_page_without(gesture.page, hidden={r.key for r in gesture.records})
        scene = self.tools.view.mapToScene(event.position().toPoint())
        on_page = self.tools.point_at(scene, gesture.page)  # clamped to the pressed page
        if on_page is not None:
            self._drag(gesture, on_page, event.modifiers())
        return True

    def _drag(self, gesture: Gesture, at: PagePoint, keys: Qt.KeyboardModifier) -> None:
        if gesture.kind == "band":
            self.marks.show_band(gesture.page, QRectF(gesture.start, at.pos))
        elif gesture.kind == "move":
            gesture.result = self.moved(gesture.records, at.pos - gesture.start)
            self.marks.show(gesture.result, ghosts=True)
        elif gesture.kind == "resize" and len(gesture.records) == 1:
            record = gesture.records[0]
            box = bbox_of(record.content)
            if box is None:
                return
            keep = bool(keys & Qt.KeyboardModifier.ShiftModifier)
            new = resized(box, gesture.handle, (at.pos.x(), at.pos.y()), keep)
            gesture.result = [_with(record, scaled(record.content, box, new))]
            self.marks.show(gesture.result, ghosts=True)

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        gesture, self.gesture = self.gesture, None
        if gesture is None:
            return False
        scene = self.tools.view.mapToScene(event.position().toPoint())
        end = self.tools.point_at(scene, gesture.page)
        if gesture.started and end is not None and gesture.kind in ("move", "resize"):
            self._drag(gesture, end, event.modifiers())  # where the button came up
        if gesture.kind == "band":
            self.marks.clear_band()
            if gesture.started and end is not None:
                self._choose_in_band(gesture, QRectF(gesture.start, end.pos).normalized())
        elif gesture.started and gesture.result:
            self._write(gesture.result)
        elif not gesture.started and gesture.clicked is not None and len(self.tools.selected) > 1:
            self.tools.select([gesture.clicked])  # a click inside a selection: that one alone
        if gesture.kind in ("move", "resize") and gesture.started:
            self.marks.draw_page_without(gesture.page, hidden=())
        self.marks.show(self.tools.selected)
        return True

    def double_click(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if at is None or event.button() != Qt.MouseButton.LeftButton or self._form_field_at(at):
            return False
        found = self.record_at(at)
        if found is None:
            return False
        self.tools.select([found])
        if found.content.get("type") in EDITED_IN_PLACE:
            edit_in_place(self.tools, found)
        elif found.content.get("type") in THREAD_ROOTS:
            self.tools.context.open_thread(found.id)
        return True

    def _hover(self, at: PagePoint | None, event: QMouseEvent) -> None:
        """A resize cursor over a handle, a move cursor over the selection."""
        editable = self._editable()
        handle = self.marks.handle_at(event.position()) if editable else None
        if handle is not None:
            shape = self.marks.handle_cursor(handle)
        elif at is not None and editable and self._in_selection(at):
            shape = Qt.CursorShape.SizeAllCursor
        else:
            shape = self.cursor
        self.tools.view.viewport().setCursor(shape)

    def _pan(self, gesture: Gesture, pixels: QPointF) -> None:
        delta, gesture.start = pixels - gesture.start, pixels
        across, down = self.tools.view.horizontalScrollBar(), self.tools.view.verticalScrollBar()
        across.setValue(across.value() - round(delta.x()))
        down.setValue(down.value() - round(delta.y()))

    def _choose_in_band(self, gesture: Gesture, band: QRectF) -> None:
        kept = [r for r in self.tools.selected if r.content.get("pageIndex") == gesture.page]
        keys = {r.key for r in kept}
        touched = self.marks.touched(gesture.page, band)
        self.tools.select([*kept, *(r for r in touched if r.key not in keys)])

    # -- changes ------------------------------------------------------------------------

    def moved(self, records: list[Record], delta: QPointF) -> list[Record]:
        """``records`` (of one page) shifted by ``delta`` page points, kept on their page."""
        page = records[0].content.get("pageIndex") if records else None
        if not isinstance(page, int) or not 0 <= page < len(self.tools.view.pages):
            return []
        size = self.tools.view.pages[page].unrotated
        contents = moved_on_page([r.content for r in records], delta.x(), delta.y(), size)
        return [_with(r, c) for r, c in zip(records, contents, strict=True)]

    def _write(self, records: list[Record]) -> None:
        """Write the records' new content as one change (one undo step)."""
        self.tools.editor.update([{**r.content, "id": r.id} for r in records])

    def key_press(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape and (self.tools.selected or self.gesture is not None):
            self.cancel()
            self.tools.select([])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and len(self.tools.selected) == 1:
            (chosen,) = self.tools.selected
            if chosen.content.get("type") in THREAD_ROOTS:  # its thread, to reply
                self.tools.context.open_thread(chosen.id)
                return True
        if key in ARROWS and self.tools.selected and self._editable() and self.gesture is None:
            step = BIG_NUDGE if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else NUDGE
            self.nudge(*ARROWS[Qt.Key(key)], step)
            return True
        return False

    def nudge(self, right: float, down: float, step: float) -> None:
        """Move the selection ``step`` points the way an arrow points on screen."""
        page = self.tools.selected[0].content.get("pageIndex")
        if not isinstance(page, int) or not 0 <= page < len(self.tools.view.pages):
            return
        space = self.tools.page_space(page)  # a turned page turns the arrow
        way = space.mapFromScene(QPointF(right, down)) - space.mapFromScene(QPointF(0, 0))
        delta = QPointF(round(way.x()) * step, round(way.y()) * step)
        shifted = self.moved(list(self.tools.selected), delta)
        if shifted and shifted != list(self.tools.selected):
            self._write(shifted)

    def select_all(self) -> None:
        """Choose every annotation drawn on the current page."""
        page = self.tools.view.current_page()
        if self.tools.current is not self:
            self.tools.choose(self.name)
        records = self.tools.overlay.on_page(page) if page >= 0 else []
        self.tools.select([r for r in records if choosable(r)])

    def delete_selected(self) -> None:
        if self.tools.selected and self.gesture is None:
            self.tools.editor.delete([r.key for r in self.tools.selected])

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        corners = [(0.3, 0.1), (0.3, 0.85), (0.48, 0.68), (0.62, 0.95), (0.72, 0.9), (0.58, 0.62)]
        corners.append((0.8, 0.62))
        arrow = QPolygonF(
            [
                QPointF(rect.left() + rect.width() * x, rect.top() + rect.height() * y)
                for x, y in corners
            ]
        )
        painter.setPen(QPen(QColor("#202020"), 1.5))
        painter.setBrush(QColor("#ffffff"))
        painter.drawPolygon(arrow)


def _with(record: Record, content: dict[str, object]) -> Record:
    return Record(
        record.kind, record.id, content, record.created_by, record.updated_by, record.group
    )
