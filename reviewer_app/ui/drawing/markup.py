"""Text markup tools: highlight, underline, strike out or squiggle the words under a drag."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsRectItem

from reviewer_app.ui.tools.page_tools import PREVIEW_Z, PagePoint, Tool
from reviewer_app.ui.viewer.page_items import remove_item
from reviewer_app.ui.viewer.text_selection import Word, nearest_word, words_text

if TYPE_CHECKING:
    from reviewer_app.ui.tools.page_tools import PageTools

CLICK = 3  # viewport pixels a drag must exceed; a click marks nothing
PREVIEW_ALPHA = 90
Rect = list[float]


def marked_words(words: Sequence[Word], anchor: QPointF, end: QPointF) -> list[Word]:
    """The words from the one nearest ``anchor`` to the one nearest ``end``, in reading order
    (as the text selection takes them)."""
    if not words:
        return []
    first, last = sorted((nearest_word(list(words), anchor), nearest_word(list(words), end)))
    return list(words[first : last + 1])


def line_rects(words: Sequence[Word]) -> list[Rect]:
    """One Instant rect [x, y, w, h] per text line of ``words`` (its words' boxes merged)."""
    lines: dict[tuple[int, int], list[float]] = {}
    for word in words:
        x0, y0, x1, y1 = (float(v) for v in word[:4])
        box = lines.setdefault((int(word[5]), int(word[6])), [x0, y0, x1, y1])
        box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    return [[round(v, 2) for v in (x0, y0, x1 - x0, y1 - y0)] for x0, y0, x1, y1 in lines.values()]


def union(rects: Sequence[Rect]) -> Rect:
    x0 = min(r[0] for r in rects)
    y0 = min(r[1] for r in rects)
    x1 = max(r[0] + r[2] for r in rects)
    y1 = max(r[1] + r[3] for r in rects)
    return [round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2)]


def dragged_rect(anchor: QPointF, end: QPointF) -> Rect:
    """The dragged rectangle, for a page without text (at least a point high)."""
    rect = QRectF(anchor, end).normalized()
    return [round(v, 2) for v in (rect.x(), rect.y(), rect.width(), max(rect.height(), 1.0))]


@dataclass
class Waiting:
    """A markup released before its page's words arrived: made when they do."""

    document: str
    page: int
    anchor: QPointF
    end: QPointF
    style: dict[str, Any]


class MarkupTool(Tool):
    """Drag over text: the words under the drag (first to last in reading order) are marked
    with one rect per line; on a page without text, the dragged rectangle is."""

    kind: ClassVar[str] = "highlight"
    cursor = Qt.CursorShape.IBeamCursor

    def __init__(self, tools: PageTools) -> None:
        super().__init__(tools)
        self._page = -1
        self._anchor = self._end = QPointF()
        self._pressed_at = QPointF()
        self._tint = QColor()
        self._items: list[QGraphicsRectItem] = []
        self._waiting: list[Waiting] = []
        tools.text.words_arrived.connect(self._words_arrived)

    def words(self, page: int) -> list[Word] | None:
        """The page's words (Instant coordinates) if they arrived; they are asked for if not."""
        return self.tools.text.page_words(page)

    # -- the drag -----------------------------------------------------------------------

    def press(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if not self.starts_drawing(at, event):
            return False
        self.cancel()
        self._page, self._anchor, self._end = at.page, at.pos, at.pos
        self._pressed_at = event.position()
        self._tint = QColor(str(self.style().get("color") or "#ffeb3b"))
        self._tint.setAlpha(PREVIEW_ALPHA)
        self.words(at.page)
        return True

    def move(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self._page < 0 or at is None:
            return False
        self._end = at.pos
        self._show(self._rects(self._page, self._anchor, self._end))
        return True

    def release(self, at: PagePoint | None, event: QMouseEvent) -> bool:
        if self._page < 0:
            return False
        if at is not None:
            self._end = at.pos
        page, anchor, end = self._page, self._anchor, self._end
        dragged = (event.position() - self._pressed_at).manhattanLength() >= CLICK
        self.cancel()
        document = self.tools.editor.document_id
        if dragged and document is not None:
            waiting = Waiting(document, page, anchor, end, self.style())
            words = self.tools.text.words.get(page)
            if words is None:
                self._waiting.append(waiting)
            else:
                self._make(waiting, words)
        return True

    def cancel(self) -> None:
        for item in self._items:
            remove_item(item)
        self._items = []
        self._page = -1

    # -- the record ---------------------------------------------------------------------

    def _rects(self, page: int, anchor: QPointF, end: QPointF) -> list[Rect]:
        words = self.tools.text.words.get(page)
        if not words:
            return [dragged_rect(anchor, end)]
        return line_rects(marked_words(words, anchor, end))

    def _make(self, waiting: Waiting, words: list[Word]) -> None:
        marked = marked_words(words, waiting.anchor, waiting.end)
        rects = line_rects(marked) if marked else [dragged_rect(waiting.anchor, waiting.end)]
        content: dict[str, Any] = {
            "v": 2,
            "type": f"pspdfkit/markup/{self.kind}",
            "pageIndex": waiting.page,
            "bbox": union(rects),
            "rects": rects,
            **waiting.style,
        }
        if self.kind == "highlight":
            content.setdefault("blendMode", "multiply")
        if marked:  # the words marked, for search and lists (markup has no text of its own)
            content["customData"] = {"markedText": words_text(marked)}
        self.tools.editor.create([content])

    def _words_arrived(self, page: int, words: list[Word]) -> None:
        ready = [w for w in self._waiting if w.page == page]
        self._waiting = [w for w in self._waiting if w.page != page]
        for waiting in ready:
            if waiting.document == self.tools.editor.document_id:
                self._make(waiting, words)
        if page == self._page:
            self._show(self._rects(page, self._anchor, self._end))

    def _show(self, rects: Sequence[Rect]) -> None:
        for item in self._items:
            remove_item(item)
        self._items = []
        space = self.tools.page_space(self._page)
        for x, y, w, h in rects:
            item = QGraphicsRectItem(QRectF(x, y, w, h), space)
            item.setPen(QPen(Qt.PenStyle.NoPen))
            item.setBrush(QBrush(self._tint))
            item.setZValue(PREVIEW_Z)
            self._items.append(item)

    # -- the icon -----------------------------------------------------------------------

    def draw_icon(self, painter: QPainter, rect: QRectF) -> None:
        tint = QColor(str(self.default_style.get("color")))
        text = rect.adjusted(0, rect.height() * 0.1, 0, -rect.height() * 0.2)
        if self.kind == "highlight":
            painter.fillRect(text.adjusted(0, text.height() * 0.15, 0, 0), tint)
        font = QFont()
        font.setPixelSize(int(rect.height() * 0.6))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#303030"))
        painter.drawText(text, int(Qt.AlignmentFlag.AlignCenter), "ab")
        painter.setPen(QPen(tint, max(2.0, rect.height() / 10)))
        left, right = rect.left() + 1, rect.right() - 1
        if self.kind == "underline":
            y = rect.bottom() - rect.height() * 0.12
            painter.drawLine(QLineF(left, y, right, y))
        elif self.kind == "strikeout":
            y = text.center().y() + 1
            painter.drawLine(QLineF(left, y, right, y))
        elif self.kind == "squiggly":
            y, step = rect.bottom() - rect.height() * 0.12, rect.width() / 8
            wave = [QPointF(left + i * step, y + (-2 if i % 2 else 2)) for i in range(9)]
            painter.drawPolyline(QPolygonF(wave))


class HighlightTool(MarkupTool):
    name = "highlight"
    title = "&Highlight"
    shortcuts = ("1", "H")
    kind = "highlight"
    default_style: ClassVar[dict[str, Any]] = {"color": "#ffeb3b", "opacity": 1.0}


class UnderlineTool(MarkupTool):
    name = "underline"
    title = "&Underline"
    shortcuts = ("2", "U")
    kind = "underline"
    default_style: ClassVar[dict[str, Any]] = {"color": "#1e88e5", "opacity": 1.0}


class StrikeoutTool(MarkupTool):
    name = "strikeout"
    title = "Stri&ke out"
    shortcuts = ("3", "K")
    kind = "strikeout"
    default_style: ClassVar[dict[str, Any]] = {"color": "#e53935", "opacity": 1.0}


class SquigglyTool(MarkupTool):
    name = "squiggly"
    title = "S&quiggly"
    shortcuts = ("4",)
    kind = "squiggly"
    default_style: ClassVar[dict[str, Any]] = {"color": "#43a047", "opacity": 1.0}
