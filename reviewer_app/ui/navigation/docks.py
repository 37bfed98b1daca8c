"""The side docks: lazily rendered page thumbnails, the PDF outline and the layer's bookmarks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from reviewer_app.instant.records import Record
from reviewer_app.pdf.render_pipe import TileKey
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.viewer.render_cache import TileCache, scale_key
from reviewer_app.ui.viewer.render_client import RenderClient

THUMB_WIDTH = 110
THUMB_BUDGET = 8 * 1024 * 1024  # 130 thumbnails (32 on a screen of device pixel ratio 2):
# several times what the dock shows, and not 48 MB of a 1,000-page document's thumbnails
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class ThumbnailModel(QAbstractListModel):
    """One row per page; a row's image is asked for the first time the view paints it."""

    def __init__(self, client: RenderClient, dpr: float) -> None:
        super().__init__()
        self.client, self.dpr = client, dpr
        self.sizes: list[tuple[float, float]] = []
        self.cache = TileCache(THUMB_BUDGET)
        self.asked: list[TileKey] = []
        self.rendered: set[int] = set()
        self.blanks: dict[tuple[int, int], QImage] = {}
        self._flush = QTimer(singleShot=True, interval=0)
        self._flush.timeout.connect(self._send)
        client.tile_ready.connect(self.add_tile)

    def set_pages(self, sizes: Sequence[tuple[float, float]]) -> None:
        self.beginResetModel()
        self.sizes = list(sizes)
        self.cache.clear()
        self.rendered.clear()
        self.endResetModel()

    def key(self, row: int) -> TileKey:
        width = max(self.sizes[row][0], 1.0)
        return (row, scale_key(THUMB_WIDTH * self.dpr / width), 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sizes)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return str(row + 1)
        if role == PAGE_ROLE:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Page {row + 1}"
        if role == Qt.ItemDataRole.DecorationRole:
            key = self.key(row)
            image = self.cache.get(key)
            if image is None:
                self.asked.append(key)
                self._flush.start()
                return self.blank(row)
            return image
        return None

    def blank(self, row: int) -> QImage:
        """A white page of the row's shape, standing in until its thumbnail arrives."""
        width, height = self.sizes[row]
        size = (THUMB_WIDTH, round(THUMB_WIDTH * height / max(width, 1.0)))
        if size not in self.blanks:
            image = QImage(*size, QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            self.blanks[size] = image
        return self.blanks[size]

    def _send(self) -> None:
        keys = list(dict.fromkeys(self.asked))
        self.asked = []
        self.client.want("thumbs", keys)

    def add_tile(self, channel: str, key: TileKey, image: QImage) -> None:
        if channel != "thumbs" or not 0 <= key[0] < len(self.sizes) or key != self.key(key[0]):
            return
        image.setDevicePixelRatio(self.dpr)
        self.cache.put(key, image)
        self.rendered.add(key[0])
        index = self.index(key[0])
        emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])


class ThumbnailDock(QDockWidget):
    """Page thumbnails; clicking one emits ``page_chosen(int)``."""

    page_chosen = Signal(int)

    def __init__(self, client: RenderClient, parent: QWidget | None = None) -> None:
        super().__init__("Pages", parent)
        self.setObjectName("thumbnails")
        self.model = ThumbnailModel(client, self.devicePixelRatioF())
        self.list = QListView()
        self.list.setAccessibleName("Page thumbnails")
        self.list.setModel(self.model)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.TopToBottom)
        self.list.setWrapping(False)
        self.list.setUniformItemSizes(True)  # else the view sizes (and asks for) every row
        self.list.setIconSize(QSize(THUMB_WIDTH, THUMB_WIDTH * 3 // 2))
        self.list.setSpacing(6)
        self.list.setMovement(QListView.Movement.Static)
        shade = self.list.palette()  # white pages on grey, as in the page view
        shade.setColor(QPalette.ColorRole.Base, QColor("#b8b8b8"))
        self.list.setPalette(shade)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.clicked.connect(lambda index: emit(self.page_chosen, index.row()))
        self.list.activated.connect(lambda index: emit(self.page_chosen, index.row()))
        self.setWidget(self.list)

    def set_pages(self, sizes: Sequence[tuple[float, float]]) -> None:
        self.model.set_pages(sizes)

    def show_current(self, page: int) -> None:
        if 0 <= page < self.model.rowCount():
            index = self.model.index(page)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)


class OutlineDock(QDockWidget):
    """The PDF's table of contents; activating an entry emits ``page_chosen(int)``."""

    page_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Outline", parent)
        self.setObjectName("outline")
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Document outline")
        self.tree.setHeaderHidden(True)
        self.tree.itemActivated.connect(self._chosen)
        self.tree.itemClicked.connect(self._chosen)
        self.setWidget(self.tree)

    def set_outline(self, toc: Sequence[Sequence[Any]]) -> None:
        """Fill from ``doc.get_toc()`` rows: [level, title, page (1-based), ...]."""
        self.tree.clear()
        parents: list[QTreeWidgetItem | None] = [None]
        for level, title, page, *_ in toc:
            level = max(1, min(int(level), len(parents)))
            del parents[level:]
            text = str(title).strip() or "(untitled)"
            parent = parents[-1]
            item = QTreeWidgetItem([text]) if parent is None else QTreeWidgetItem(parent, [text])
            if parent is None:
                self.tree.addTopLevelItem(item)
            item.setData(0, PAGE_ROLE, int(page) - 1)
            parents.append(item)
        self.tree.expandToDepth(0)

    def _chosen(self, item: QTreeWidgetItem) -> None:
        page = item.data(0, PAGE_ROLE)
        if isinstance(page, int) and page >= 0:
            emit(self.page_chosen, page)


class BookmarksDock(QDockWidget):
    """The current layer's bookmarks; activating one emits ``page_chosen(int)``."""

    page_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Bookmarks", parent)
        self.setObjectName("bookmarks")
        self.list = QListWidget()
        self.list.setAccessibleName("Layer bookmarks")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        self.setWidget(self.list)

    def set_bookmarks(self, records: Sequence[Record]) -> None:
        self.list.clear()
        for record in records:
            if record.kind != "bookmark":
                continue
            action = record.content.get("action") or {}
            page = action.get("pageIndex") if action.get("type") == "goTo" else None
            name = str(record.content.get("name") or "").strip() or "(untitled)"
            item = QListWidgetItem(name if page is None else f"{name}  (p. {int(page) + 1})")
            item.setData(PAGE_ROLE, page)
            self.list.addItem(item)

    def _chosen(self, item: QListWidgetItem) -> None:
        page = item.data(PAGE_ROLE)
        if isinstance(page, int):
            emit(self.page_chosen, page)
