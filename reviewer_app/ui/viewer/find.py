"""Find in document: the worker searches; every hit is highlighted, one is current."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPen
from PySide6.QtWidgets import (
    QGraphicsRectItem,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.viewer.page_view import PageView
from reviewer_app.ui.viewer.render_client import RenderClient

HIT_COLOR = QColor(255, 200, 0, 110)
CURRENT_HIT_COLOR = QColor(255, 110, 0, 150)
HIT_Z = 5.0


class DocumentSearch(QObject):
    """The hits of the latest search, in page order, and which one is current.

    Emits ``changed()`` when hits arrive, the search ends or the current hit moves."""

    changed = Signal()

    def __init__(self, view: PageView, client: RenderClient) -> None:
        super().__init__(view)
        self.view, self.client = view, client
        self.text = ""
        self.search_id = 0
        self.done = True
        self.hits: list[tuple[int, QRectF]] = []
        self.items: list[QGraphicsRectItem] = []
        self.current = -1
        self._start_page = 0
        client.hits_found.connect(self._add_hits)
        client.search_done.connect(self._finish)

    def start(self, text: str) -> None:
        """Search for ``text`` from the start; the first hit at or after the current page shows."""
        self.clear()
        self.text, self.done = text, not text.strip()
        self.search_id += 1
        self._start_page = max(self.view.current_page(), 0)
        self.client.find(self.search_id, text)
        emit(self.changed)

    def clear(self) -> None:
        for item in self.items:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.items, self.hits, self.current = [], [], -1

    def _add_hits(self, search_id: int, page: int, rects: list[tuple[float, ...]]) -> None:
        if search_id != self.search_id or not 0 <= page < self.view.page_count():
            return
        for x0, y0, x1, y1 in rects:
            rect = QRectF(x0, y0, x1 - x0, y1 - y0)
            item = QGraphicsRectItem(rect, self.view.pages[page].space)
            item.setPen(QPen(Qt.PenStyle.NoPen))
            item.setBrush(QBrush(HIT_COLOR))
            item.setZValue(HIT_Z)
            self.hits.append((page, rect))
            self.items.append(item)
        if self.current < 0 and page >= self._start_page:
            self.select(len(self.hits) - len(rects))
        emit(self.changed)

    def _finish(self, search_id: int) -> None:
        if search_id != self.search_id:
            return
        self.done = True
        if self.current < 0 and self.hits:
            self.select(0)
        emit(self.changed)

    def select(self, index: int) -> None:
        """Make hit ``index`` (wrapping around) current and scroll to it."""
        if not self.hits:
            return
        if 0 <= self.current < len(self.items):
            self.items[self.current].setBrush(QBrush(HIT_COLOR))
        self.current = index % len(self.hits)
        self.items[self.current].setBrush(QBrush(CURRENT_HIT_COLOR))
        page, rect = self.hits[self.current]
        self.view.go_to_page(page, max(0.0, rect.top() - 48))
        emit(self.changed)

    def next(self) -> None:
        self.select(self.current + 1)

    def previous(self) -> None:
        self.select(self.current - 1)

    def status(self) -> str:
        if not self.text:
            return ""
        if not self.hits:
            return "Searching…" if not self.done else "Not found"
        more = "" if self.done else "+"
        return f"{self.current + 1} of {len(self.hits)}{more}"


class FindBar(QWidget):
    """A line to type what to find, with next, previous and close buttons.

    Emits ``closed()`` when Esc or its close button hides it (the pages take the keys back)."""

    closed = Signal()

    def __init__(self, search: DocumentSearch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = search
        self.setAccessibleName("Find bar")
        self.line = QLineEdit(placeholderText="Find in document")
        self.line.setAccessibleName("Find text")
        self.line.returnPressed.connect(self.find_next)
        self.status = QLabel()
        self.status.setAccessibleName("Find status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.line, 1)
        for text, slot, name in (
            ("▲", self.find_previous, "Previous match"),
            ("▼", self.find_next, "Next match"),
            ("✕", self.close_bar, "Close find bar"),
        ):
            button = QToolButton(autoRaise=True)
            button.setText(text)
            button.setAccessibleName(name)
            button.setToolTip(name)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addWidget(self.status)
        search.changed.connect(lambda: self.status.setText(search.status()))

    def open(self) -> None:
        self.show()
        self.line.setFocus()
        self.line.selectAll()

    def find_next(self) -> None:
        if not self.isVisible():
            self.open()
        if self.line.text() != self.search.text:
            self.search.start(self.line.text())
        else:
            self.search.next()

    def find_previous(self) -> None:
        if self.line.text() != self.search.text:
            self.search.start(self.line.text())
        else:
            self.search.previous()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    def close_bar(self) -> None:
        self.hide()
        emit(self.closed)

    def hideEvent(self, event: object) -> None:
        self.search.start("")
        super().hideEvent(event)  # type: ignore[arg-type]
