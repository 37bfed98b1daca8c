"""The text a highlight (or underline, strikeout, squiggly) marks, from the page's words as
the render worker sends them: the Annotations list and the comments pane quote it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from reviewer_app.instant.records import Record
from reviewer_app.instant.validate import MARKUP_TYPES
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.viewer.text_selection import Word

QUOTE_LENGTH = 80


def marked_words(words: Sequence[Word], rects: object) -> str:
    """The words whose middle lies in one of ``rects`` (Instant ``[l, t, w, h]``), in order."""
    if not isinstance(rects, list):
        return ""
    boxes = [r for r in rects if isinstance(r, list) and len(r) == 4]
    found = []
    for x0, y0, x1, y1, text, *_ in words:  # the worker's words: corners on the page, text
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        if any(b[0] <= x <= b[0] + b[2] and b[1] <= y <= b[1] + b[3] for b in boxes):
            found.append(text)
    return " ".join(found)


def clipped(text: str, length: int = QUOTE_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class Quotes(QObject):
    """Quotes of markup annotations, by record id, read from ``page_words(page)`` (the words
    of a page if they arrived; asking for them if not). Emits ``arrived()`` when words that
    were asked for came, so the lists that quote can fill in what they lacked."""

    arrived = Signal()

    def __init__(self, page_words: Callable[[int], list[Word] | None], parent: QObject) -> None:
        super().__init__(parent)
        self.page_words = page_words
        self._cache: dict[tuple[str, str], str] = {}
        self._waiting: set[int] = set()

    def quote(self, record: Record) -> str:
        """The text ``record`` marks ("" for other annotations, or while its words come)."""
        content = record.content
        page = content.get("pageIndex")
        if content.get("type") not in MARKUP_TYPES or not isinstance(page, int):
            return ""
        key = (record.id, repr(content.get("rects")))
        if key in self._cache:
            return self._cache[key]
        words = self.page_words(page)
        if words is None:
            self._waiting.add(page)
            return ""
        text = self._cache[key] = clipped(marked_words(words, content.get("rects")))
        return text

    def words_arrived(self, page: int) -> None:
        """Connect to the source of words: a page asked for has come."""
        if page in self._waiting:
            self._waiting.discard(page)
            emit(self.arrived)

    def forget(self) -> None:
        """Another document is shown."""
        self._cache.clear()
        self._waiting.clear()
