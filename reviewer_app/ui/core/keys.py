"""Keys a text being typed keeps from the window's shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView


def is_ctrl_enter(event: QKeyEvent) -> bool:
    """Ctrl+Return or Ctrl+Enter (the keypad's)."""
    enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
    return enter and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)


def keeps_ctrl_enter(event: QEvent) -> bool:
    """Claim Ctrl+Enter for a text box that keeps its text with it: Qt asks the focused widget
    (a ShortcutOverride) before a window shortcut (Next Ungraded) may take the key. True when
    claimed (the box then gets the key press)."""
    if (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and is_ctrl_enter(event)
    ):
        event.accept()
        return True
    return False


_TYPING = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


class TypingStartsEdit(QObject):
    """Typing on a table's cell starts editing it with what was typed, as in a spreadsheet
    (the view's AnyKeyPressed trigger), instead of being taken by a window shortcut of that
    key (the tool keys 1-9 and letters). Install on the view: ``view.installEventFilter(
    TypingStartsEdit(view))``. Only a plain printable key (one of ``chars``, when given) on
    an editable current cell of a view not editing yet is claimed."""

    def __init__(self, view: QAbstractItemView, chars: str = "") -> None:
        super().__init__(view)
        self.chars = chars

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QAbstractItemView) or not self.starts_edit(watched, event):
            return False
        if self.chars and event.text() not in self.chars:
            return False  # (a letter on the score sheet: a tool's key)
        event.accept()
        return True

    @staticmethod
    def starts_edit(view: QAbstractItemView, event: QKeyEvent) -> bool:
        text = event.text()
        index = view.currentIndex()
        return (
            bool(view.editTriggers() & QAbstractItemView.EditTrigger.AnyKeyPressed)
            and view.state() != QAbstractItemView.State.EditingState
            and not event.modifiers() & ~_TYPING
            and text.isprintable()
            and not text.isspace()
            and text != ""
            and index.isValid()
            and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        )
