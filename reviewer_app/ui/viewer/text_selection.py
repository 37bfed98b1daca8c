"""Text selection: drag over a page in text-select mode to select words, then copy them."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QMouseEvent, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsView

from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.viewer.page_view import PageView
from reviewer_app.ui.viewer.render_client import RenderClient

SELECTION_COLOR = QColor(40, 110, 230, 80)
SELECTION_Z = 6.0
Word = tuple[float, float, float, float, str, int, int]


def nearest_word(words: list[Word], point: QPointF) -> int:
    """The index of the word under ``point``, else of the closest one."""

    def distance(word: Word) -> float:
        x0, y0, x1, y1 = word[:4]
        dx = max(x0 - point.x(), 0.0, point.x() - x1)
        dy = max(y0 - point.y(), 0.0, point.y() - y1)
        return math.hypot(dx, dy * 2)

    return min(range(len(words)), key=lambda i: distance(words[i]))


def words_text(words: list[Word]) -> str:
    """Words joined by spaces, a line break where a line or block ends."""
    parts: list[str] = []
    previous: tuple[int, int] | None = None
    for word in words:
        line = (word[5], word[6])
        if previous is not None:
            parts.append(" " if line == previous else "\n")
        parts.append(word[4])
        previous = line
    return "".join(parts)


class TextSelection(QObject):
    """The words selected on one page; active only in text-select mode. ``words`` holds each
    page's words as they arrive from the render worker (``page_words`` asks for them).

    Emits ``changed(str)`` with the selected text and ``words_arrived(page, words)``."""

    changed = Signal(str)
    words_arrived = Signal(int, list)

    def __init__(self, view: PageView, client: RenderClient) -> None:
        super().__init__(view)
        self.view, self.client = view, client
        self.active = False
        self.words: dict[int, list[Word]] = {}
        self.page = -1
        self.anchor = self.end = QPointF()
        self.selected: list[Word] = []
        self.items: list[QGraphicsRectItem] = []
        client.words_ready.connect(self._words_arrived)
        view.viewport().installEventFilter(self)

    def set_active(self, active: bool) -> None:
        self.active = active
        drag = QGraphicsView.DragMode.NoDrag if active else QGraphicsView.DragMode.ScrollHandDrag
        self.view.setDragMode(drag)
        cursor = Qt.CursorShape.IBeamCursor if active else Qt.CursorShape.OpenHandCursor
        self.view.viewport().setCursor(cursor)

    def reset(self) -> None:
        """Forget the document's words (a new document is shown)."""
        self.words.clear()
        self.page = -1
        self.select_words([])

    def page_words(self, page: int) -> list[Word] | None:
        """The words of ``page`` (Instant coordinates) if they arrived; asked for if not."""
        found = self.words.get(page)
        if found is None:
            self.client.words(page)
        return found

    def text(self) -> str:
        return words_text(self.selected)

    def copy(self) -> bool:
        if not self.selected:
            return False
        QGuiApplication.clipboard().setText(self.text())
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active or not isinstance(event, QMouseEvent):
            return False
        scene_pos = self.view.mapToScene(event.position().toPoint())
        if event.type() == QEvent.Type.MouseButtonPress:
            self.press(scene_pos)
            return True
        if event.type() == QEvent.Type.MouseMove and event.buttons():
            self.drag_to(scene_pos)
            return True
        return event.type() == QEvent.Type.MouseButtonRelease

    def press(self, scene_pos: QPointF) -> None:
        item = self.view.page_at(scene_pos)
        self.select_words([])
        if item is None:
            self.page = -1
            return
        self.page = item.index
        self.anchor = self.end = item.to_page(scene_pos)
        if self.page not in self.words:
            self.client.words(self.page)

    def drag_to(self, scene_pos: QPointF) -> None:
        if self.page < 0:
            return
        self.end = self.view.pages[self.page].to_page(scene_pos)
        self._update()

    def _words_arrived(self, page: int, words: list[Word]) -> None:
        self.words[page] = words
        if page == self.page:
            self._update()
        emit(self.words_arrived, page, words)

    def _update(self) -> None:
        words = self.words.get(self.page)
        if not words or self.anchor == self.end:
            self.select_words([])
            return
        first, last = sorted((nearest_word(words, self.anchor), nearest_word(words, self.end)))
        self.select_words(words[first : last + 1])

    def select_words(self, words: list[Word]) -> None:
        for item in self.items:
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.items = []
        self.selected = words
        if words and 0 <= self.page < self.view.page_count():
            for x0, y0, x1, y1 in (w[:4] for w in words):
                item = QGraphicsRectItem(
                    QRectF(x0, y0, x1 - x0, y1 - y0), self.view.pages[self.page].space
                )
                item.setPen(QPen(Qt.PenStyle.NoPen))
                item.setBrush(QBrush(SELECTION_COLOR))
                item.setZValue(SELECTION_Z)
                self.items.append(item)
        emit(self.changed, self.text())
