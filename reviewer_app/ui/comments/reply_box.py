"""Where a reply is typed in the Comments dock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit

from reviewer_app.ui.core.keys import keeps_ctrl_enter
from reviewer_app.ui.core.signals import emit


class ReplyBox(QPlainTextEdit):
    """Where a reply is typed: Ctrl+Enter sends it, Esc stops (an edit is dropped)."""

    send = Signal()
    stop = Signal()

    def event(self, event: QEvent) -> bool:
        return keeps_ctrl_enter(event) or super().event(event)  # before Next Ungraded

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            emit(self.send)
            return
        if event.key() == Qt.Key.Key_Escape:
            emit(self.stop)
            return
        super().keyPressEvent(event)
