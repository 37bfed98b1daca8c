"""The current layer's annotations over the pages: one painting item per page near the view."""

from __future__ import annotations

from collections.abc import Container, Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage

from reviewer_app.engine import Change, RecordKey
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.page_annotations import MarkItem, PageAnnotations
from reviewer_app.ui.annotations.shapes import DRAWERS, mark_of
from reviewer_app.ui.viewer.page_items import PageItem
from reviewer_app.ui.viewer.page_view import PageView

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
    comes near the viewport; a layer switch only hands each built item its new records, a
    change (:meth:`apply`) only the items of the pages it touches.

    ``undrawn`` holds the records of types Qt does not draw; those from a PDF object are shown
    from its appearance, drawn alone by the render worker for the pages near the view
    (``images``: object number → (pixels per point, image), for the open document)."""

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self.by_page: dict[int, list[Record]] = {}
        self._page_of: dict[RecordKey, int] | None = None  # where each record of by_page is
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
        self._page_of = None  # made at the first change (a layer switch does without)
        for record in records:
            page = self._page(record)
            if page is None:
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

    def _page(self, record: Record) -> int | None:
        """The page ``record`` is drawn on, or None (not an annotation, or on no page)."""
        page = record.content.get("pageIndex")
        if record.kind != "annotation" or not isinstance(page, int):
            return None
        return page if 0 <= page < len(self._pages) else None

    def apply(self, change: Change, from_base: Container[RecordKey]) -> bool:
        """Follow ``change`` (to the layer shown): only the pages it touches are redrawn,
        and there only where marks came or went. False when it cannot be followed here (a
        record drawn from its PDF appearance, or a PDF annotation back on a page: its place
        among the page's marks is the base layer's): then :meth:`show` the layer again.
        ``from_base`` holds the keys of the base layer's annotations."""
        new = {r.key: r for r in change.upserted if r.kind == "annotation"}
        keys = [key for key in change.keys if key[0] == "annotation"]
        undrawn = {r.key for r in self.undrawn}
        if any(k in undrawn for k in keys) or any(self._not_drawn(r) for r in new.values()):
            return False
        touched: set[int] = set()
        changed = set(keys)
        for key in keys:
            record, page = new.get(key), self.page_of().get(key)
            to = self._page(record) if record is not None else None
            if page is not None and page == to and record is not None:
                self._replace(page, record)
            elif to is not None and record is not None and key in from_base:
                return False  # its place is the base layer's order, not known here
            else:
                if page is not None:
                    self._remove(page, key)
                if to is not None and record is not None:
                    self._insert(to, record, from_base)
            touched.update(p for p in (page, to) if p is not None)
        for page in touched:
            item = self.items.get(page)
            if item is not None:
                item.set_records(self.by_page.get(page, ()), changed)
        if touched and self._pages:
            first, last = self.view.visible_range()
            self.build(first - NEAR, last + NEAR)  # a page's first record gets its item
        return True

    def page_of(self) -> dict[RecordKey, int]:
        """The page of each record drawn."""
        if self._page_of is None:
            self._page_of = {r.key: page for page, rs in self.by_page.items() for r in rs}
        return self._page_of

    def _not_drawn(self, record: Record) -> bool:
        return self._page(record) is not None and record.content.get("type") not in DRAWERS

    def _replace(self, page: int, record: Record) -> None:
        """``record`` in place of its previous version (its place in the paint order)."""
        records = self.by_page[page]
        at = next(i for i, r in enumerate(records) if r.id == record.id)  # annotations all
        records[at] = record

    def _remove(self, page: int, key: RecordKey) -> None:
        records = self.by_page[page]
        records[:] = [r for r in records if r.id != key[1]]
        if not records:
            del self.by_page[page]
        del self.page_of()[key]

    def _insert(self, page: int, record: Record, from_base: Container[RecordKey]) -> None:
        """Put a record of the layer's own (not from the PDF) where a full read puts it: after
        the page's PDF annotations, among the layer's own by id (new ones last: ids are in
        time order)."""
        records = self.by_page.setdefault(page, [])
        at = len(records)
        while at > 0 and records[at - 1].key not in from_base and records[at - 1].id > record.id:
            at -= 1
        records.insert(at, record)
        self.page_of()[record.key] = page

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
        self._page_of = None  # made at the first change (a layer switch does without)
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
