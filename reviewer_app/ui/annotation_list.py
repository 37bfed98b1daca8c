"""The current layer's annotations as a list: grouped by page or author, filtered, live."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine import Change, RecordKey
from reviewer_app.instant.records import Record
from reviewer_app.ui.signals import emit

RECORD_ROLE = Qt.ItemDataRole.UserRole + 20
ALL = ""


def type_name(record: Record) -> str:
    """``pspdfkit/shape/rectangle`` → ``Rectangle``."""
    kind = str(record.content.get("type") or "annotation")
    return kind.rsplit("/", 1)[-1].replace("-", " ").capitalize()


def colour_of(record: Record) -> str:
    content = record.content
    for key in ("color", "strokeColor", "fillColor", "fontColor", "backgroundColor"):
        value = content.get(key)
        if isinstance(value, str) and value.startswith("#"):
            return value.lower()
    return ""


def author_of(record: Record) -> str:
    return str(record.content.get("creatorName") or record.created_by or "(no author)")


def text_of(record: Record) -> str:
    text = record.content.get("text")
    if isinstance(text, dict):
        text = text.get("value")
    return str(text or record.content.get("note") or "")


def page_of(record: Record) -> int:
    page = record.content.get("pageIndex")
    return page if isinstance(page, int) else -1


def groups_of(tree: QTreeWidget) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
    """A two-level tree's groups, each with its entries."""
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top is not None:
            children = [top.child(j) for j in range(top.childCount())]
            out.append((top, [c for c in children if c is not None]))
    return out


def describe(record: Record) -> str:
    words = text_of(record).replace("\n", " ").strip()
    words = f" — “{words[:60]}”" if words else ""
    return f"{type_name(record)} by {author_of(record)}{words}"


class AnnotationListDock(QDockWidget):
    """Lists the annotations of one layer (``records``), kept up to date by :meth:`apply`.

    Emits ``annotation_chosen(Record)`` when an entry is activated."""

    annotation_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("annotation-list")
        self.records: dict[RecordKey, Record] = {}
        self.layer = ""
        self.group = QComboBox()
        self.group.addItems(["By page", "By author"])
        self.kind = QComboBox()
        self.colour = QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter by text")
        self.text.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        for widget, name in (
            (self.group, "Group annotations"),
            (self.kind, "Filter annotations by type"),
            (self.colour, "Filter annotations by colour"),
            (self.text, "Filter annotations by text"),
            (self.tree, "Annotations of the current layer"),
        ):
            widget.setAccessibleName(name)
        self._refresh = QTimer(self, singleShot=True, interval=0)
        self._refresh.timeout.connect(self.rebuild)
        for box in (self.group, self.kind, self.colour):
            box.currentIndexChanged.connect(self._refresh.start)
        self.text.textChanged.connect(self._refresh.start)
        self.tree.itemActivated.connect(self._chosen)
        self.tree.itemClicked.connect(self._chosen)
        self.visibilityChanged.connect(lambda shown: shown and self._refresh.start())
        self._build()

    def _build(self) -> None:
        filters = QHBoxLayout()
        for widget in (self.group, self.kind, self.colour):
            filters.addWidget(widget)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.text)
        layout.addWidget(self.tree, 1)
        self.setWidget(body)

    def show_layer(self, layer: str, records: Iterable[Record]) -> None:
        """List ``records`` (what ``layer`` shows); annotations only."""
        self.layer = layer
        self.records = {r.key: r for r in records if r.kind == "annotation"}
        self._refresh.start()

    def apply(self, change: Change) -> None:
        """Follow one engine change (ignored unless it is to the listed layer)."""
        if change.layer != self.layer:
            return
        for key in change.deleted:
            self.records.pop(key, None)
        for record in change.upserted:
            if record.kind == "annotation":
                self.records[record.key] = record
        self._refresh.start()

    def _fill_choices(self, box: QComboBox, everything: str, values: Iterable[str]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(everything, ALL)
        for value in sorted(set(values)):
            box.addItem(value or "(none)", value)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)

    def visible_records(self) -> list[Record]:
        kind, colour = self.kind.currentData(), self.colour.currentData()
        words = self.text.text().strip().casefold()
        return [
            r
            for r in self.records.values()
            if (not kind or type_name(r) == kind)
            and (not colour or colour_of(r) == colour)
            and (not words or words in text_of(r).casefold())
        ]

    def rebuild(self) -> None:
        """Fill the tree from ``records`` and the filters."""
        records = list(self.records.values())
        self._fill_choices(self.kind, "All types", (type_name(r) for r in records))
        self._fill_choices(self.colour, "All colours", (colour_of(r) for r in records))
        by_author = self.group.currentIndex() == 1
        groups: dict[object, list[Record]] = defaultdict(list)
        for record in self.visible_records():
            groups[author_of(record) if by_author else page_of(record)].append(record)
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        for group in sorted(groups, key=lambda g: str(g).casefold() if by_author else f"{g:09}"):
            members = sorted(groups[group], key=lambda r: (page_of(r), r.id))
            title = str(group) if by_author else f"Page {int(str(group)) + 1}"
            top = QTreeWidgetItem([f"{title} ({len(members)})"])
            for record in members:
                text = describe(record) + (f" (p. {page_of(record) + 1})" if by_author else "")
                child = QTreeWidgetItem(top, [text])
                child.setData(0, RECORD_ROLE, record)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        self.tree.setUpdatesEnabled(True)

    def entries(self) -> list[str]:
        """Every entry's text, group by group (for tests and screen readers)."""
        out = []
        for top, children in groups_of(self.tree):
            out += [top.text(0), *(child.text(0) for child in children)]
        return out

    def _chosen(self, item: QTreeWidgetItem) -> None:
        record = item.data(0, RECORD_ROLE)
        if isinstance(record, Record):
            emit(self.annotation_chosen, record)
