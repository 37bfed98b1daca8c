"""The conflicts window: each record changed both here and on the server, both versions shown
side by side (value, author, time, and a drawing at its place on the page), and the layers
the server deleted; the user keeps mine, theirs or both."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.instant.records import Record
from reviewer_app.ui.session.names import LayerNames
from reviewer_app.ui.sync.conflict_view import (
    PaintRecord,
    VersionPane,
    outline_record,
    summary,
    what,
)

CHOICES = (("mine", "Keep &Mine"), ("theirs", "Keep &Theirs"), ("both", "Keep &Both"))
PageSize = Callable[[int], tuple[float, float] | None]
PageImage = Callable[[int], QImage | None]


def page_of(conflict: SyncConflict) -> int | None:
    for record in (conflict.mine, conflict.theirs):
        page = record.content.get("pageIndex") if record is not None else None
        if isinstance(page, int):
            return page
    return None


class ConflictsDialog(QDialog):
    """Lists open conflicts (layer, what, mine, theirs) with both versions of the selected one
    in full below, and the layers deleted on the server; the buttons call
    ``resolve(conflict, choice)`` and ``decide(layer, keep)``. ``paint_record`` draws a
    version on its page (the app's own annotation drawing), ``page_size`` and ``page_image``
    give a page's size in points and its picture (None: not known). ``names`` (the window's
    naming service) names the layers and the authors; the dialog follows its changes."""

    def __init__(
        self,
        parent: QWidget | None,
        resolve: Callable[[SyncConflict, str], None],
        decide: Callable[[str, bool], None],
        paint_record: PaintRecord | None = None,
        page_size: PageSize = lambda _page: None,
        page_image: PageImage = lambda _page: None,
        names: LayerNames | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync Conflicts")
        self.resize(860, 640)
        self.resolve, self.decide = resolve, decide
        self.page_size, self.page_image = page_size, page_image
        self.names = names or LayerNames(self)
        self.names.changed.connect(self._names_changed)
        self.conflicts: list[SyncConflict] = []
        self.deleted_layers: tuple[str, ...] = ()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Layer", "What", "Here (yours)", "On the server"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName("Conflicts")
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column in (2, 3):  # both versions get the same room
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        painter = paint_record or outline_record
        self.mine = VersionPane("Here (yours)", painter)
        self.theirs = VersionPane("On the server", painter)
        versions = QWidget()
        side_by_side = QHBoxLayout(versions)
        side_by_side.setContentsMargins(0, 0, 0, 0)
        side_by_side.addWidget(self.mine)
        side_by_side.addWidget(self.theirs)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(versions)
        split.setSizes([180, 360])
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for choice, text in CHOICES:
            button = self.buttons[choice] = QPushButton(text)
            button.clicked.connect(lambda _=False, c=choice: self._resolve_selected(c))
            row.addWidget(button)
        self._build_deleted_box()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.heading = QLabel(wordWrap=True)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addLayout(row)
        layout.addWidget(self.deleted_box)
        layout.addWidget(close)
        self.tree.itemSelectionChanged.connect(self._selected)
        self.deleted.itemSelectionChanged.connect(self._update_enabled)

    def _build_deleted_box(self) -> None:
        self.deleted = QTreeWidget()
        self.deleted.setHeaderLabels(["Layer deleted on the server (kept here)"])
        self.deleted.setRootIsDecorated(False)
        self.deleted.setMaximumHeight(120)
        self.keep = QPushButton("Keep Layer (Send &Again)")
        self.accept_deletion = QPushButton("&Accept Deletion")
        self.keep.clicked.connect(lambda: self._decide_selected(True))
        self.accept_deletion.clicked.connect(lambda: self._decide_selected(False))
        self.deleted_box = QWidget()
        box = QVBoxLayout(self.deleted_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.deleted)
        layer_row = QHBoxLayout()
        box.addLayout(layer_row)
        layer_row.addWidget(self.keep)
        layer_row.addWidget(self.accept_deletion)

    def show_state(self, conflicts: list[SyncConflict], deleted: tuple[str, ...]) -> None:
        """Fill both lists (selecting the first row of each)."""
        self.conflicts, self.deleted_layers = list(conflicts), tuple(deleted)
        self.tree.clear()
        named, title = self.names.author, self.names.title
        for c in self.conflicts:
            shown = c.mine or c.theirs
            mine, theirs = summary(c.mine, named), summary(c.theirs, named)
            item = QTreeWidgetItem([title(c.layer), what(shown, c.key), mine, theirs])
            item.setToolTip(2, mine)
            item.setToolTip(3, theirs)
            self.tree.addTopLevelItem(item)
        self.deleted.clear()
        for name in deleted:
            item = QTreeWidgetItem([title(name)])
            item.setData(0, 256, name)
            self.deleted.addTopLevelItem(item)
        for tree in (self.tree, self.deleted):
            first = tree.topLevelItem(0)
            if first is not None:
                tree.setCurrentItem(first)
            for column in range(min(2, tree.columnCount() - 1)):
                tree.resizeColumnToContents(column)
        self.deleted_box.setVisible(bool(deleted))
        count = len(self.conflicts)
        self.heading.setText(
            f"{count} record{'s' if count != 1 else ''} changed both here and on the server. "
            "Nothing is lost until you choose: Keep Mine sends yours, Keep Theirs takes the "
            "server's, Keep Both keeps the server's and adds yours as a copy."
            if count
            else "No conflicts."
        )
        self._selected()

    def _names_changed(self) -> None:
        """Names hidden or shown: the lists again, the same rows chosen."""
        row, deleted_row = self.tree.currentIndex().row(), self.deleted.currentIndex().row()
        self.show_state(self.conflicts, self.deleted_layers)
        for tree, at in ((self.tree, row), (self.deleted, deleted_row)):
            item = tree.topLevelItem(at) if at >= 0 else None
            if item is not None:
                tree.setCurrentItem(item)

    def current(self) -> SyncConflict | None:
        row = self.tree.currentIndex().row()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _selected(self) -> None:
        """Show both versions of the selected conflict in full."""
        conflict = self.current()
        mine = conflict.mine if conflict else None
        theirs = conflict.theirs if conflict else None
        page = page_of(conflict) if conflict else None
        size = self.page_size(page) if page is not None else None
        image = self.page_image(page) if page is not None else None
        named = self.names.author
        self.mine.show_version(mine, theirs, size=size, image=image, named=named)
        self.theirs.show_version(theirs, mine, size=size, image=image, named=named)
        for pane in (self.mine, self.theirs):
            pane.setVisible(conflict is not None)
        self._update_enabled()

    def versions(self) -> tuple[Record | None, Record | None]:
        conflict = self.current()
        return (conflict.mine, conflict.theirs) if conflict else (None, None)

    def _update_enabled(self) -> None:
        conflict = self.current()
        for button in self.buttons.values():
            button.setEnabled(conflict is not None)
        twice = conflict is not None and conflict.mine is not None
        twice = twice and conflict is not None and conflict.key[0] != "formFieldValue"
        self.buttons["both"].setEnabled(twice)  # a value or a deletion cannot be kept twice
        layer = self.deleted.currentItem() is not None
        self.keep.setEnabled(layer)
        self.accept_deletion.setEnabled(layer)

    def _resolve_selected(self, choice: str) -> None:
        conflict = self.current()
        if conflict is not None:
            self.resolve(conflict, choice)

    def _decide_selected(self, keep: bool) -> None:
        item = self.deleted.currentItem()
        if item is not None:
            self.decide(str(item.data(0, 256)), keep)
