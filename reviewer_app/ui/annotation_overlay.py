"""The current layer's annotations over the pages: one painting item per page near the view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotation_page import MarkItem, PageAnnotations
from reviewer_app.ui.annotation_shapes import DRAWERS, mark_of
from reviewer_app.ui.page_items import PageItem
from reviewer_app.ui.page_view import PageView

NEAR = 1  # pages either side of the visible ones that get their item before they show


def annotation_item(record: Record) -> MarkItem | None:
    """An item of its own drawing ``record``, or None for a type we do not draw."""
    drawn = mark_of(record)
    return MarkItem(drawn) if drawn is not None else None


class AnnotationOverlay(QObject):
    """The records of the layer shown, by page. A page gets its PageAnnotations item when it
    comes near the viewport; a layer switch only hands each built item its new records.

    ``undrawn`` holds the records of types Qt does not draw (shown from their PDF appearance)."""

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self.by_page: dict[int, list[Record]] = {}
        self.undrawn: list[Record] = []
        self.items: dict[int, PageAnnotations] = {}
        self._pages: Sequence[PageItem] = []
        view.pages_near.connect(self.build)

    def show(self, pages: Sequence[PageItem], records: Sequence[Record]) -> None:
        """Draw ``records`` (annotations of the current layer) over ``pages``."""
        if pages is not self._pages:
            self.items.clear()  # those belonged to the previous document's pages
            self._pages = pages
        self.by_page, self.undrawn = {}, []
        for record in records:
            page = record.content.get("pageIndex")
            if record.kind != "annotation" or not isinstance(page, int):
                continue
            if not 0 <= page < len(pages):
                continue
            if record.content.get("type") not in DRAWERS:
                self.undrawn.append(record)
                continue
            self.by_page.setdefault(page, []).append(record)
        for page, item in self.items.items():
            item.set_records(self.by_page.get(page, ()))
        if pages:
            first, last = self.view.visible_range()
            self.build(first - NEAR, last + NEAR)

    def build(self, first: int, last: int) -> None:
        """Give the pages from ``first`` to ``last`` with records their item, if not yet."""
        for page in range(max(first, 0), min(last, len(self._pages) - 1) + 1):
            if page in self.items or page not in self.by_page:
                continue
            item = PageAnnotations(self._pages[page].space, self._pages[page].unrotated)
            item.set_records(self.by_page[page])
            self.items[page] = item

    def clear(self) -> None:
        for item in self.items.values():
            try:
                scene = item.scene()
            except RuntimeError:  # its page went with the previous document
                continue
            if scene is not None:
                scene.removeItem(item)
        self.items.clear()
        self.by_page, self.undrawn = {}, []
        self._pages = []

    def page_item(self, page: int) -> PageAnnotations | None:
        """The item painting page ``page``'s annotations, if it was built (near the view)."""
        return self.items.get(page)

    def on_page(self, page: int) -> list[Record]:
        """The records drawn on page ``page``."""
        return list(self.by_page.get(page, ()))

    def record_count(self, page: int | None = None) -> int:
        """How many records are drawn: on page ``page``, or on all pages."""
        if page is not None:
            return len(self.by_page.get(page, ()))
        return sum(len(records) for records in self.by_page.values())
