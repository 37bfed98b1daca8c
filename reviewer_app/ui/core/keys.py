"""Keys a text being typed keeps from the window's shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent


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
