"""A banner across the top of the pages saying what went wrong with the page renderer (its
worker process died: restarted, or the PDF is refused), until it is clicked away or the next
document opens."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractScrollArea, QLabel

STYLE = (
    "QLabel { background: #fff4ce; color: #3b2f00; border-bottom: 1px solid #c8a600;"
    " padding: 8px 12px; }"
)


class TroubleBanner(QLabel):
    """Shown over the top of ``view``'s pages by :meth:`say`; a click hides it."""

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view)
        self.view = view
        self.setWordWrap(True)
        self.setStyleSheet(STYLE)
        self.setAccessibleName("Page renderer message")
        self.setToolTip("Click to close")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.hide()
        view.installEventFilter(self)

    def say(self, message: str) -> None:
        """Show ``message`` (an empty one hides the banner)."""
        if not message:
            self.hide()
            return
        self.setText(f"⚠ {message}")
        self._place()
        self.show()
        self.raise_()

    def _place(self) -> None:
        area = self.view.viewport().geometry()
        width = area.width()
        self.setFixedWidth(width)
        self.move(area.left(), area.top())
        self.setFixedHeight(self.heightForWidth(width))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
