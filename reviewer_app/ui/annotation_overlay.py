"""The current layer's annotations over the pages: one painting item per page near the view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage

from reviewer_app.instant.records import Record
from reviewer_app.ui.annotation_page import MarkItem, PageAnnotations
from reviewer_app.ui.annotation_shapes import DRAWERS, mark_of
from reviewer_app.ui.page_items import PageItem
from reviewer_app.ui.page_view import PageView

NEAR = 1  # pages either side of the visible ones that get their item before they show
MOST_PIXELS_PER_POINT = 4.0  # appearance images are asked at the view's scale, up to this
NOT_FROM_APPEARANCE = frozenset({"pspdfkit/widget"})  # form fields: drawn by the forms


def appearance_object(record: Record) -> int | None:
    """The PDF object to draw ``record`` from, for a type the overlay does not draw."""
    content = record.content
    object_id = content.get("pdfObjectId")
    if content.get("type") in NOT_FROM_APPEARANCE or isinstance(object_id, bool):
        return None
    return object_id if isinstance(object_id, int) and object_id > 0 else None


def annotation_item(record: Record) -> MarkItem | None:
    """An item of its own drawing ``record``, or None for a type we do not draw."""
    drawn = mark_of(record)
    return MarkItem(drawn) if drawn is not None else None


class AnnotationOverlay(QObject):
    """The records of the layer shown, by page. A page gets its PageAnnotations item when it
    comes near the viewport; a layer switch only hands each built item its new records.

    ``undrawn`` holds the records of types Qt does not draw; those from a PDF object are shown
    from its appearance, drawn alone by the render worker for the pages near the view
    (``images``: object number → (pixels per point, image), for the open document)."""

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self.by_page: dict[int, list[Record]] = {}
        self.undrawn: list[Record] = []
        self.from_appearance: dict[int, list[Record]] = {}  # by page
        self.images: dict[int, tuple[float, QImage]] = {}
        self._asked: dict[int, float] = {}  # object number → the scale asked for
        self.items: dict[int, PageAnnotations] = {}
        self._pages: Sequence[PageItem] = []
        view.pages_near.connect(self.build)
        view.client.appearance_ready.connect(self._appearance_arrived)

    def show(self, pages: Sequence[PageItem], records: Sequence[Record]) -> None:
        """Draw ``records`` (annotations of the current layer) over ``pages``."""
        if pages is not self._pages:
            self.items.clear()  # those belonged to the previous document's pages
            self.images.clear()
            self._asked.clear()
            self._pages = pages
        self.by_page, self.undrawn, self.from_appearance = {}, [], {}
        for record in records:
            page = record.content.get("pageIndex")
            if record.kind != "annotation" or not isinstance(page, int):
                continue
            if not 0 <= page < len(pages):
                continue
            if record.content.get("type") not in DRAWERS:
                self.undrawn.append(record)
                if appearance_object(record) is not None:
                    self.from_appearance.setdefault(page, []).append(record)
                continue
            self.by_page.setdefault(page, []).append(record)
        for page, item in self.items.items():
            item.set_records(self.by_page.get(page, ()))
            item.set_appearances(self._appearances(page))
        if pages:
            first, last = self.view.visible_range()
            self.build(first - NEAR, last + NEAR)

    def build(self, first: int, last: int) -> None:
        """Give the pages from ``first`` to ``last`` with records their item, if not yet."""
        for page in range(max(first, 0), min(last, len(self._pages) - 1) + 1):
            self._ask_appearances(page)
            if page in self.items or not (page in self.by_page or page in self.from_appearance):
                continue
            item = PageAnnotations(self._pages[page].space, self._pages[page].unrotated)
            item.set_records(self.by_page.get(page, ()))
            item.set_appearances(self._appearances(page))
            self.items[page] = item

    def _ask_appearances(self, page: int) -> None:
        """Ask the worker for the appearances page ``page`` lacks at the view's scale."""
        records = self.from_appearance.get(page)
        if not records:
            return
        scale = min(self.view.render_scale(), MOST_PIXELS_PER_POINT)
        wanted: list[int] = []
        for record in records:
            xref = appearance_object(record)
            if xref is not None and self._asked.get(xref, 0.0) < scale and xref not in wanted:
                wanted.append(xref)
                self._asked[xref] = scale
        if wanted:
            self.view.client.appearances(page, scale, wanted)

    def _appearance_arrived(self, page: int, xref: int, scale: float, image: QImage) -> None:
        if xref not in self._asked or scale < self.images.get(xref, (0.0, None))[0]:
            return  # another document's, or sharper one came first
        self.images[xref] = (scale, image)
        item = self.items.get(page)
        if item is not None:
            item.set_appearances(self._appearances(page))

    def _appearances(self, page: int) -> list[tuple[Record, QImage]]:
        """The appearance images of page ``page``'s records that have one yet."""
        found = []
        for record in self.from_appearance.get(page, ()):
            image = self.images.get(appearance_object(record) or 0)
            if image is not None:
                found.append((record, image[1]))
        return found

    def clear(self) -> None:
        for item in self.items.values():
            try:
                scene = item.scene()
            except RuntimeError:  # its page went with the previous document
                continue
            if scene is not None:
                scene.removeItem(item)
        self.items.clear()
        self.by_page, self.undrawn, self.from_appearance = {}, [], {}
        self.images.clear()
        self._asked.clear()
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
