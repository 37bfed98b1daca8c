"""The current layer's annotations over the pages: one painting item per page near the view."""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from operator import is_

from PySide6.QtCore import QObject, QRectF, QTimer
from PySide6.QtGui import QImage

from reviewer_app.engine import Change, RecordKey
from reviewer_app.giving_way import let_go
from reviewer_app.instant.kept import kept_place
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.marks import Mark
from reviewer_app.ui.annotations.page_annotations import PageAnnotations
from reviewer_app.ui.annotations.shapes import DRAWERS, Appearance, appearance_mark, cached_mark
from reviewer_app.ui.annotations.sorting import (
    Sorting,
    appearance_object,
    from_pdf,
    never_shown,
    page_of,
    sort_out,
)
from reviewer_app.ui.viewer.page_items import PageItem, remove_item
from reviewer_app.ui.viewer.page_view import PageView

KEPT_SORTINGS = 4  # layers sorted out kept, as a page keeps the marks of the last few
NEAR = 1  # pages either side of the visible ones that get their item before they show
MOST_PIXELS_PER_POINT = 4.0  # appearance images are asked at the view's scale, up to this


def appearance_rect(image: QImage, scale: float) -> QRectF:
    """Where an appearance image from the render worker goes, in page points: its offset is
    its top-left corner in pixels at ``scale`` (see render_worker.annotation_pixels)."""
    offset = image.offset()
    return QRectF(
        offset.x() / scale, offset.y() / scale, image.width() / scale, image.height() / scale
    )


def kept_appearance(
    record: Record, base: Record | None, image: QImage, scale: float
) -> tuple[QRectF, float]:
    """Where ``record``'s PDF appearance (``image``, drawn for the ``base`` record) goes
    (moved and stretched with its bbox), and the opacity it is painted with on top of its own
    (the record's, when the layer changed it, as the export paints it)."""
    rect = appearance_rect(image, scale)
    if base is None or base is record:
        return rect, 1.0
    x, y, width, height = kept_place(
        base.content, record.content, (rect.x(), rect.y(), rect.width(), rect.height())
    )
    opacity = record.content.get("opacity", 1.0)
    if opacity == base.content.get("opacity", 1.0) or not isinstance(opacity, int | float):
        opacity = 1.0
    return QRectF(x, y, width, height), min(max(float(opacity), 0.0), 1.0)


def _same(one: Sequence[Record], other: Sequence[Record]) -> bool:
    """Whether two lists hold the very same records, in the same order."""
    return len(one) == len(other) and all(map(is_, one, other))


class AnnotationOverlay(QObject):
    """The records of the layer shown, by page. A page gets its PageAnnotations item when it
    comes near the viewport; a layer switch only hands each built item its new records, a
    change (:meth:`apply`) only the items of the pages it touches.

    ``undrawn`` holds the records Qt does not draw from the record: those never shown (Hidden,
    NoView), those of types Qt does not draw, and those shown from their PDF appearance (see
    :func:`shown_from_pdf`), drawn alone by the render worker for the pages near the view
    (``images``: object number → (pixels per point, image), for the open document; ``lacking``:
    the objects that draw nothing, whose records are drawn from themselves). ``base`` gives
    the base layer's records by key."""

    def __init__(
        self, view: PageView, base: Callable[[], Mapping[RecordKey, Record]] = dict
    ) -> None:
        super().__init__(view)
        self.view = view
        self.by_page: dict[int, list[Record]] = {}
        self._page_of: dict[RecordKey, int] | None = None  # where each record of by_page is
        self.undrawn: list[Record] = []
        self.from_appearance: dict[int, list[Record]] = {}  # by page
        self.images: dict[int, tuple[float, QImage]] = {}
        self._asked: dict[int, float] = {}  # object number → the scale asked for
        self.lacking: set[int] = set()
        self._arrived: set[int] = set()  # pages with images not placed yet
        self._off_pages: set[RecordKey] = set()  # the keys of undrawn records on no item
        self._asked_pages: dict[int, float] = {}  # page → the scale all its images were asked
        self.items: dict[int, PageAnnotations] = {}
        self._pages: Sequence[PageItem] = []
        self.base = base
        self._sortings: list[tuple[Sequence[Record], Sorting]] = []  # the last layers shown
        self.author: Callable[[str], str] = str  # how tooltips name authors (LayerNames)
        view.pages_near.connect(self.build)
        view.client.appearance_ready.connect(self._appearance_arrived)

    def show(
        self, pages: Sequence[PageItem], records: Sequence[Record], sorting: object = None
    ) -> None:
        """Draw ``records`` (annotations of the current layer) over ``pages``; ``sorting``:
        what :meth:`sorter`'s work made of them off the UI thread, if it did."""
        if pages is not self._pages:
            self.items.clear()  # those belonged to the previous document's pages
            self.images.clear()
            self._asked.clear()
            self.lacking.clear()
            self._pages = pages
            self._sortings = []
        sorting = self._sorted(records, sorting).copy()  # (a change is followed in the copy)
        self.by_page, self.undrawn = sorting.by_page, sorting.undrawn
        self.from_appearance, self._off_pages = sorting.from_appearance, sorting.off_pages
        self._page_of = None  # made at the first change (a layer switch does without)
        self._asked_pages = {}
        for page, item in self.items.items():
            item.set_from_pdf({r.id for r in self.from_appearance.get(page, ())})
            item.set_records(self.by_page.get(page, ()))
            item.set_appearances(self._appearances(page))
        if pages:
            first, last = self.view.visible_range()
            self.build(first - NEAR, last + NEAR)

    def _sorted(self, records: Sequence[Record], made: object) -> Sorting:
        """``records`` sorted out: as ``made`` on the task, or as kept from when they were
        shown last (the engine hands out the same records until the layer changes; checking
        that costs a thousandth of sorting them out), or now."""
        base, pages = self.base(), len(self._pages)
        same = [at for at, (shown, _) in enumerate(self._sortings) if _same(shown, records)]
        kept = self._sortings.pop(same[0])[1] if same else None
        for sorting in (made, kept):
            if isinstance(sorting, Sorting) and sorting.fits(base, self.lacking, pages):
                break
        else:
            sorting = sort_out(records, base, self.lacking, pages)
        if len(self._sortings) >= KEPT_SORTINGS:  # (a layer's records freed out of the turn)
            let_go(self._sortings[KEPT_SORTINGS - 1 :])
        self._sortings = [(records, sorting), *self._sortings[: KEPT_SORTINGS - 1]]
        return sorting

    def sorter(self) -> Callable[[Sequence[Record]], Sorting]:
        """What :meth:`show` makes of a layer's records, as work for another thread (the
        pages and the base layer's records as they are now)."""
        base, pages, count = self.base(), self.view.pages, len(self.view.pages)
        lacking = frozenset(self.lacking) if pages is self._pages else frozenset()
        return lambda records: sort_out(records, base, lacking, count)

    def _page(self, record: Record) -> int | None:
        """The page ``record`` is drawn on, or None (not an annotation, or on no page)."""
        return page_of(record, len(self._pages))

    def apply(self, change: Change, from_base: Container[RecordKey]) -> bool:
        """Follow ``change`` (to the layer shown): only the pages it touches are redrawn,
        and there only where marks came or went. False when it cannot be followed here (a
        record drawn from its PDF appearance, or a PDF annotation back on a page: its place
        among the page's marks is the base layer's): then :meth:`show` the layer again.
        ``from_base`` holds the keys of the base layer's annotations."""
        new = {r.key: r for r in change.upserted if r.kind == "annotation"}
        keys = [key for key in change.keys if key[0] == "annotation"]
        off = self._off_pages
        if any(k in off for k in keys) or any(self._not_drawn(r) for r in new.values()):
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
        self._sort_out(touched, changed, new)
        for page in touched:
            item = self.items.get(page)
            if item is not None:
                item.set_from_pdf({r.id for r in self.from_appearance.get(page, ())})
                item.set_appearances(self._appearances(page, changed))  # (before the marks)
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
        """Whether a record is on a page but on no page's item (see ``undrawn``)."""
        if self._page(record) is None:
            return False
        return never_shown(record) or (
            record.content.get("type") not in DRAWERS and not self._from_pdf(record, self.base())
        )

    def _sort_out(
        self, pages: set[int], changed: set[RecordKey], new: Mapping[RecordKey, Record]
    ) -> None:
        """Which records of ``pages`` are drawn from their PDF appearance, after a change of
        ``changed`` (``new``: their new versions)."""
        base, on_pages = self.base(), self.page_of()
        ids = {key[1] for key in changed}  # (annotations all)
        self.undrawn = [r for r in self.undrawn if r.id not in ids]
        for page in pages:
            self._asked_pages.pop(page, None)
            added = [
                r for key, r in new.items() if on_pages.get(key) == page and self._from_pdf(r, base)
            ]
            self.undrawn.extend(added)
            kept = self.from_appearance.get(page, ())
            shown = [r for r in kept if r.key not in changed] + added
            if shown:
                self.from_appearance[page] = shown
            else:
                self.from_appearance.pop(page, None)

    def _from_pdf(self, record: Record, base: Mapping[RecordKey, Record]) -> bool:
        """Whether ``record`` is drawn from its PDF appearance (see :func:`shown_from_pdf`),
        which draws something."""
        return from_pdf(record, base, self.lacking)

    @staticmethod
    def _object(record: Record) -> int:
        return appearance_object(record) or 0

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
            item.named = self.author
            item.set_from_pdf({r.id for r in self.from_appearance.get(page, ())})
            item.set_records(self.by_page.get(page, ()))
            item.set_appearances(self._appearances(page))
            self.items[page] = item

    def _ask_appearances(self, page: int) -> None:
        """Ask the worker for the appearances page ``page`` lacks at the view's scale."""
        records = self.from_appearance.get(page)
        scale = min(self.view.render_scale(), MOST_PIXELS_PER_POINT)
        if not records or self._asked_pages.get(page, 0.0) >= scale:
            return
        self._asked_pages[page] = scale
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
        if image.isNull():
            self._lacks(page, xref)
            return
        self.images[xref] = (scale, image)
        if not self._arrived:  # placed once the replies that came together are in
            QTimer.singleShot(0, self._place_arrived)
        self._arrived.add(page)

    def _place_arrived(self) -> None:
        pages, self._arrived = self._arrived, set()
        for page in pages:
            item = self.items.get(page)
            if item is not None:
                item.set_appearances(self._appearances(page))

    def _lacks(self, page: int, xref: int) -> None:
        """Object ``xref`` draws nothing: the records of it that Qt draws are drawn from
        themselves (those it does not stay undrawn)."""
        self.lacking.add(xref)
        own = {
            r.id
            for r in self.from_appearance.get(page, ())
            if self._object(r) == xref and r.content.get("type") in DRAWERS
        }
        if not own:
            return
        self.from_appearance[page] = [r for r in self.from_appearance[page] if r.id not in own]
        self.undrawn = [r for r in self.undrawn if r.id not in own]
        item = self.items.get(page)
        if item is not None:
            item.set_from_pdf({r.id for r in self.from_appearance[page]})
            item.set_records(self.by_page.get(page, ()))

    def _appearances(
        self, page: int, keys: Container[RecordKey] | None = None
    ) -> list[tuple[Record, QImage, QRectF, float]]:
        """The appearance images of page ``page``'s records (those of ``keys``) that have one
        yet, each with the place it covers and the opacity it is painted with (see
        :func:`kept_appearance`)."""
        found = []
        base = self.base()
        for record in self.from_appearance.get(page, ()):
            if keys is not None and record.key not in keys:
                continue
            image = self.images.get(self._object(record))
            if image is not None:
                rect, opacity = kept_appearance(record, base.get(record.key), image[1], image[0])
                found.append((record, image[1], rect, opacity))
        return found

    def clear(self) -> None:
        for item in self.items.values():
            remove_item(item)  # (its page may have gone with the previous document)
        self.items.clear()
        self.by_page, self.undrawn, self.from_appearance = {}, [], {}
        self._page_of = None  # made at the first change (a layer switch does without)
        self.images.clear()
        self._asked.clear()
        self.lacking.clear()
        self._asked_pages.clear()
        self._pages = []

    def drawing_of(self, record: Record) -> Mark | None:
        """How ``record`` is drawn where it says (a drag's preview): from its PDF appearance,
        moved or stretched, when it is shown from it and the image came; else from itself."""
        base = self.base()
        image = self.images.get(self._object(record))
        if image is None or never_shown(record) or not self._from_pdf(record, base):
            return cached_mark(record)
        rect, opacity = kept_appearance(record, base.get(record.key), image[1], image[0])
        appearance = Appearance(rect)
        appearance.image, appearance.opacity = image[1], opacity
        return appearance_mark(record, appearance)

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
