"""PageView: pages stacked for continuous scrolling, zoomed and turned, rendered tile by tile."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QTransform, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsScene, QGraphicsView, QInputDialog, QWidget

from reviewer_app.collector import keep_frozen, release_frozen
from reviewer_app.pdf.render_pipe import TileKey
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.viewer import item_rasters
from reviewer_app.ui.viewer.page_items import PageItem, place_pages
from reviewer_app.ui.viewer.render_cache import TileCache, scale_key, tile_rect, tiles_covering
from reviewer_app.ui.viewer.render_client import RenderClient
from reviewer_app.ui.viewer.trouble_banner import TroubleBanner

GAP = 8.0
MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.1, 8.0, 1.25
FIT_WIDTH, FIT_PAGE, CUSTOM = "fit-width", "fit-page", "custom"
PREFETCH = 1.0  # viewports rendered ahead below and above the visible pages


class PageView(QGraphicsView):
    """Shows a document's pages; asks ``client`` for the tiles near the viewport only.

    Emits ``current_page_changed(int)``, ``zoom_changed(float)``, ``page_sharp(int)`` when a
    page was painted with every visible tile at the current scale, and ``pages_near(first,
    last)`` before pages from ``first`` to ``last`` (the visible ones and a neighbour each side)
    are painted."""

    current_page_changed = Signal(int)
    zoom_changed = Signal(float)
    page_sharp = Signal(int)
    pages_near = Signal(int, int)

    def __init__(self, client: RenderClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.cache = TileCache()
        self.pages: list[PageItem] = []
        self.spans: list[tuple[float, float]] = []
        self.tops: list[float] = []
        self.zoom, self.fit, self.rotation = 1.0, FIT_WIDTH, 0
        self.rendered_pages: set[int] = set()
        self._current = -1
        self._down, self._last_top = True, 0
        self.unsharp_paints = 0  # paints of a page before all its exposed tiles were there
        self.setScene(QGraphicsScene(self))
        self.scene().setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setBackgroundBrush(Qt.GlobalColor.darkGray)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        # Always there: a scroll bar that came and went with the zoom would change the width
        # that fit-width fits, which would change the zoom again, without end.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Pages")
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self._request_timer = QTimer(self, singleShot=True, interval=0)
        self._request_timer.timeout.connect(self.request_visible)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        client.tile_ready.connect(self.add_tile)
        self.banner = TroubleBanner(self)  # the render worker died: what happened
        client.trouble.connect(self.banner.say)

    # -- document ------------------------------------------------------------------------

    def show_pages(
        self, sizes: Sequence[tuple[float, float]], rotations: Sequence[int] = ()
    ) -> None:
        """Lay out pages of these sizes (points, as they show) with these /Rotate values;
        nothing is rendered until it is visible. The pages take the keys (the page and tool
        keys act at once, not on the Layers filter, the window's first text field)."""
        self.clear()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        turns = list(rotations) or [0] * len(sizes)
        self.pages = [
            PageItem(i, size, self.cache, self.render_scale, self._note_painted, turns[i])
            for i, size in enumerate(sizes)
        ]
        for item in self.pages:
            self.scene().addItem(item)
        self._layout()
        self.apply_fit()
        self.go_to_page(0)
        # what lives as long as the document leaves the collector's full passes, which took
        # 40-60 ms of a layer switch once thousands of pages and records were alive
        keep_frozen()

    def clear(self) -> None:
        release_frozen()  # the previous document's objects may be collected again
        self.scene().clear()
        item_rasters.clear()
        self.pages, self.spans, self.tops = [], [], []
        self.cache.clear()
        self.rendered_pages.clear()
        self._current = -1

    def _layout(self) -> None:
        self.spans = place_pages(self.pages, self.rotation, GAP)
        self.tops = [top for top, _ in self.spans]
        width = max((item.sceneBoundingRect().width() for item in self.pages), default=0.0)
        bottom = self.spans[-1][0] + self.spans[-1][1] + GAP if self.spans else 0.0
        self.scene().setSceneRect(QRectF(0, 0, width, bottom))

    # -- zoom and rotation ---------------------------------------------------------------

    def pixels_per_point(self) -> float:
        return self.zoom * self.logicalDpiY() / 72.0

    def render_scale(self) -> float:
        return scale_key(self.pixels_per_point() * self.devicePixelRatioF())

    def set_zoom(self, zoom: float, fit: str = CUSTOM) -> None:
        page = self.current_page()
        self.fit = fit
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        ppp = self.pixels_per_point()
        self.setTransform(QTransform.fromScale(ppp, ppp))
        emit(self.zoom_changed, self.zoom)
        if fit != CUSTOM and page >= 0:
            self.go_to_page(page)
        self.schedule_requests()

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom * factor)

    def set_fit(self, fit: str) -> None:
        self.fit = fit
        self.apply_fit()

    def apply_fit(self) -> None:
        """Re-apply fit width / fit page (after a resize, a rotation or a new document)."""
        if self.fit == CUSTOM or not self.pages:
            self.set_zoom(self.zoom, self.fit)  # (a fit chosen before a document stays)
            return
        page = self.pages[max(0, self.current_page())].sceneBoundingRect()
        unit = self.logicalDpiY() / 72.0
        width_zoom = (self.viewport().width() - 12) / (page.width() * unit)
        height_zoom = (self.viewport().height() - 2) / ((page.height() + GAP) * unit)
        zoom = width_zoom if self.fit == FIT_WIDTH else min(width_zoom, height_zoom)
        self.set_zoom(zoom, self.fit)

    def rotate_by(self, degrees: int) -> None:
        page = self.current_page()
        self.rotation = (self.rotation + degrees) % 360
        self._layout()
        self.apply_fit()
        self.go_to_page(max(page, 0))

    # -- navigation ----------------------------------------------------------------------

    def page_count(self) -> int:
        return len(self.pages)

    def current_page(self) -> int:
        return self._current

    def ask_page(self) -> None:
        """Go > Go to Page…: ask for a page number, then show that page."""
        count = self.page_count()
        page, ok = QInputDialog.getInt(
            self, "Go to Page", f"Page (1–{count}):", self.current_page() + 1, 1, count
        )
        if ok:
            self.go_to_page(page - 1)

    def go_to_page(self, index: int, offset: float = 0.0) -> None:
        """Scroll so that page ``index`` (clamped) starts at the top, ``offset`` points in."""
        if not self.pages:
            return
        index = min(max(index, 0), len(self.pages) - 1)
        top = self.spans[index][0] - GAP / 2 + offset
        self.verticalScrollBar().setValue(round(top * self.pixels_per_point()))
        self._set_current(index)
        self.request_visible()

    def _scrolled(self) -> None:
        """Ask for what came into view at once: a timer would only delay the first page."""
        top = self.verticalScrollBar().value()
        if top != self._last_top:
            self._down, self._last_top = top > self._last_top, top
        self.request_visible()  # first: the page shows before the panels follow it
        self._set_current(self._page_at_top())

    def _page_at_top(self) -> int:
        if not self.spans:
            return -1
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum() > 0:
            return self.visible_range()[1]
        top = self.mapToScene(0, self.viewport().height() // 5).y()
        index = bisect.bisect_right(self.tops, top) - 1
        return min(max(index, 0), len(self.pages) - 1)

    def _set_current(self, index: int) -> None:
        if index != self._current:
            self._current = index
            emit(self.current_page_changed, index)

    def visible_area(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def visible_range(self) -> tuple[int, int]:
        """The first and last page that show in the viewport."""
        area, tops = self.visible_area(), self.tops
        first = max(0, bisect.bisect_right(tops, area.top()) - 1)
        last = max(first, bisect.bisect_right(tops, area.bottom()) - 1)
        return first, min(last, len(self.pages) - 1)

    def page_at(self, scene_pos: QPointF) -> PageItem | None:
        first, last = self.visible_range()
        for item in self.pages[first : last + 1]:
            if item.sceneBoundingRect().contains(scene_pos):
                return item
        return None

    # -- rendering -----------------------------------------------------------------------

    def schedule_requests(self) -> None:
        self._request_timer.start()

    def request_visible(self) -> None:
        """Ask for the missing tiles of the visible pages, then render ahead: those within
        PREFETCH viewports below and above (the scrolling direction first). A new request
        replaces the queue, so what was scrolled away before it was rendered is dropped."""
        if not self.pages:
            return
        scale, area = self.render_scale(), self.visible_area()
        first, last = self.visible_range()
        emit(self.pages_near, first - 1, last + 1)
        keys: list[TileKey] = []
        for index in range(first, last + 1):
            keys += self._missing(index, scale, area)
        margin = area.height() * PREFETCH
        below = QRectF(area.left(), area.bottom(), area.width(), margin)
        above = QRectF(area.left(), area.top() - margin, area.width(), margin)
        for ahead, nearest_last in ((below, False), (above, True))[:: 1 if self._down else -1]:
            keys += self._ahead(ahead, scale, nearest_last)
        self.client.want("view", list(dict.fromkeys(keys)))

    def _ahead(self, area: QRectF, scale: float, reverse: bool) -> list[TileKey]:
        """The missing tiles within ``area`` (scene points), the pages nearest the view first."""
        tops = self.tops
        first = max(0, bisect.bisect_right(tops, area.top()) - 1)
        last = min(len(self.pages) - 1, max(first, bisect.bisect_right(tops, area.bottom()) - 1))
        pages = range(last, first - 1, -1) if reverse else range(first, last + 1)
        return [key for index in pages for key in self._missing(index, scale, area)]

    def _missing(self, index: int, scale: float, area: QRectF) -> list[TileKey]:
        item = self.pages[index]
        local = item.mapRectFromScene(area)
        return [k for k in tiles_covering(index, scale, local, item.size) if k not in self.cache]

    def add_tile(self, channel: str, key: TileKey, image: QImage) -> None:
        if channel != "view" or not 0 <= key[0] < len(self.pages):
            return
        self.cache.put(key, image)
        self.rendered_pages.add(key[0])
        item = self.pages[key[0]]
        first, last = self.visible_range()
        if key[1] == self.render_scale() and first <= key[0] <= last:
            # a visible page's sharp image: paint it now rather than two event-loop turns later
            area = self.mapFromScene(item.mapRectToScene(tile_rect(key, image, item.size)))
            self.viewport().repaint(area.boundingRect().adjusted(-1, -1, 1, 1))
        else:
            item.update()

    def _note_painted(self, index: int, sharp: bool) -> None:
        if not sharp:
            self.unsharp_paints += 1
        else:  # (a bool argument in a signal leaks refcounts in PySide6 6.x: avoided)
            emit(self.page_sharp, index)

    # -- events --------------------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
                self.zoom_by(ZOOM_STEP**steps)
                self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.fit != CUSTOM:
            self.apply_fit()
        self.schedule_requests()
