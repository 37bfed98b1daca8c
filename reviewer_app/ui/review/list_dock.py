"""The current layer's annotations as a list: grouped by page or author, filtered, live."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine import Change, RecordKey
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.page_annotations import making
from reviewer_app.ui.core import turns
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.review.list_model import AnnotationRows
from reviewer_app.ui.session import describing, list_building
from reviewer_app.ui.session.describing import Group, Named
from reviewer_app.ui.viewer.quotes import Quotes

ALL = ""
BUILD_STEP = 100  # records counted, grouped or sorted between looks at the clock


class AnnotationListDock(QDockWidget):
    """Lists the annotations of one layer (``records``), kept up to date by :meth:`apply`: a
    change moves only its own entries; while the dock is hidden, the list waits to be shown.

    A highlight's entry quotes the text it marks (from ``quotes``, when given) and says how
    many replies its thread has. The entries are rows of ``model`` (no Qt object each),
    described when shown. Emits ``annotation_chosen(Record)`` when an entry is activated."""

    annotation_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("annotation-list")
        self.records: dict[RecordKey, Record] = {}
        self.model = AnnotationRows()
        self.model.describe = self._words
        self._by_author = False  # as the list was last built
        self.layer = ""
        self.replies: Counter[str] = Counter()  # comments per root id
        self._comment_roots: dict[str, str] = {}
        self.quotes: Quotes | None = None
        self.author: Named = str  # how authors are named (anonymous grading hides some)
        self._stale = False  # the list waits for the dock to be shown
        self._seen = False  # on screen (a dock behind another tab is "visible" to Qt)
        self._types: Counter[str] = Counter()  # the choices of the filters, with their use
        self._colours: Counter[str] = Counter()
        self.group = QComboBox()
        self.group.addItems(["By page", "By author"])
        self.kind = QComboBox()
        self.colour = QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText("Filter by text")
        self.text.setClearButtonEnabled(True)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)  # one line each: no layout pass over every row
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for widget, name in (
            (self.group, "Group annotations"),
            (self.kind, "Filter annotations by type"),
            (self.colour, "Filter annotations by colour"),
            (self.text, "Filter annotations by text"),
            (self.tree, "Annotations of the current layer"),
        ):
            widget.setAccessibleName(name)
        self._unsorted: list[Record] | None = None  # the layer's records, not sorted out yet
        self._refresh = QTimer(self, singleShot=True, interval=0)
        self._refresh.timeout.connect(self._due)
        self._building: Iterator[None] | None = None  # a sliced rebuild under way
        for box in (self.group, self.kind, self.colour):
            box.currentIndexChanged.connect(self._refresh.start)
        self.text.textChanged.connect(self._refresh.start)
        self.tree.activated.connect(self._chosen)
        self.tree.clicked.connect(self._chosen)
        self.visibilityChanged.connect(self._shown)
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

    def _shown(self, shown: bool) -> None:
        self._seen = shown
        if shown and self._stale:
            self._rebuild_sliced()

    def on_screen(self) -> bool:
        """Whether the list can be seen (not closed, nor behind another dock's tab)."""
        return self._seen and self.isVisible()

    def show_layer(self, layer: str, records: Iterable[Record]) -> None:
        """List ``records`` (what ``layer`` shows); annotations only."""
        self.layer = layer
        self._unsorted = list(records)  # sorted out when the list is built (or changed)
        self._building = None  # a build under way was of the records shown before
        self._rebuild_later()

    def _sort_out(self, step: int = 0) -> Iterator[None]:
        """The records shown by kind (see sorting_out), pausing every ``step`` (0: never)."""
        if (records := self._unsorted) is None:
            return
        found, roots = yield from list_building.sorting_out(records, step or len(records) + 1)
        if self._unsorted is records:  # (not sorted out meanwhile, by a change)
            self._unsorted, self.records, self._comment_roots = None, found, roots
            self.replies = Counter(roots.values())

    def quotes_arrived(self) -> None:
        """Words came for highlights listed without their quote: their entries say them."""
        self.model.words_changed()

    def names_changed(self) -> None:
        """Authors are named otherwise (anonymous grading): list them again."""
        self._rebuild_later()

    def _due(self) -> None:
        """A rebuild is due: now if the list shows (after the pages' marks being made: the
        layer on the page first), else once it does."""
        if making():
            self._refresh.start(1)
            return
        self._refresh.setInterval(0)
        self._rebuild_sliced() if self.on_screen() else setattr(self, "_stale", True)

    def _rebuild_later(self) -> None:
        """Rebuild the list at the next turn of the event loop, or once the dock shows."""
        if self.on_screen():
            self._refresh.start()
        else:
            self._stale = True

    def apply(self, change: Change) -> None:
        """Follow one engine change (ignored unless it is to the listed layer)."""
        if change.layer != self.layer:
            return
        for _ in self._sort_out():  # (at once)
            pass
        roots = self._count_replies(change)
        keys: set[RecordKey] = change.keys | {("annotation", root) for root in roots}
        before = {key: self.records.pop(key) for key in keys if key in self.records}
        after = [r for r in change.upserted if r.kind == "annotation"]
        after += [before[k] for k in keys - change.keys if k in before]
        self.records.update((r.key, r) for r in after)
        busy = self._refresh.isActive() or self._building is not None
        if self._stale or busy or not self.on_screen():
            self._rebuild_later()
        elif self._choices_follow(before.values(), after):
            for key in keys:
                self._follow(key, before.get(key))

    def _count_replies(self, change: Change) -> set[str]:
        """Keep the reply counts in step with ``change``; the roots whose count moved."""
        moved: set[str] = set()
        for key in change.keys:
            if key[0] == "comment" and key[1] in self._comment_roots:
                root = self._comment_roots.pop(key[1])
                self.replies[root] -= 1
                moved.add(root)
        for record in change.upserted:
            if record.kind == "comment":
                root = self._comment_roots[record.id] = str(record.content.get("rootId"))
                self.replies[root] += 1
                moved.add(root)
        return moved

    def _choices_follow(self, before: Iterable[Record], after: Iterable[Record]) -> bool:
        """Keep the filters' choices in step; False when a chosen one went (the whole list
        is then filled again, without it)."""
        kinds, colours = set(+self._types), set(+self._colours)
        for step, records in ((-1, before), (1, after)):
            for record in records:
                self._types[describing.type_name(record)] += step
                self._colours[describing.colour_of(record)] += step
        kept = True
        for box, everything, counts, was in (
            (self.kind, "All types", self._types, kinds),
            (self.colour, "All colours", self._colours, colours),
        ):
            if set(+counts) != was:
                kept = self._fill_choices(box, everything, +counts) and kept
        if not kept:
            self._refresh.start()
        return kept

    def _follow(self, key: RecordKey, old: Record | None) -> None:
        """Make the entry of ``key`` show its record now (if the filters let it through):
        its row changed in place, or moved (taken, put again, still chosen if it was)."""
        record, listed = self.records.get(key), key in self.model.where()
        shown = record is not None and self._filter()(record)
        if listed and record is not None and shown and self._in_place(old, record):
            self.model.change(record)
            return
        chosen = listed and self.tree.currentIndex() == self.model.row_of(key)
        if listed:
            self.model.take(key)
        if record is not None and shown:
            group = self.model.put(record, self._group_of(record))
            if group is not None:
                self.tree.expand(group)
            if chosen:
                self.tree.setCurrentIndex(self.model.row_of(key))

    def _in_place(self, old: Record | None, new: Record) -> bool:
        """Whether ``new`` is listed where ``old`` was (same group, same page)."""
        if old is None:
            return False
        same_page = describing.page_of(old) == describing.page_of(new)
        return self._group_of(old) == self._group_of(new) and same_page

    def _fill_choices(self, box: QComboBox, everything: str, values: Iterable[str]) -> bool:
        """Offer ``values``; False when the choice made is no longer among them."""
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(everything, ALL)
        for value in sorted(set(values)):
            box.addItem(value or "(none)", value)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.blockSignals(False)
        return not current or box.currentData() == current

    def _filter(self) -> Callable[[Record], bool]:
        """What the filters let through (their choices read once, not per record)."""
        kind, colour = self.kind.currentData(), self.colour.currentData()
        words = self.text.text().strip().casefold()
        return lambda record: (
            (not kind or describing.type_name(record) == kind)
            and (not colour or describing.colour_of(record) == colour)
            and (not words or words in describing.text_of(record).casefold())
        )

    def rebuild(self) -> None:
        """List ``records`` as the filters let through, now."""
        self._refresh.stop()
        self._building = None
        turns.drop(self)
        for _ in self._rebuilding():
            pass

    def _rebuild_sliced(self) -> None:
        """List ``records`` as :meth:`rebuild` does, its counting, grouping and sorting done
        a slice per event-loop turn (the list shown stays until the new one is ready)."""
        self._refresh.stop()
        self._building = self._rebuilding()
        turns.later(self, self._step, turns.LISTS)

    def _step(self, deadline: float) -> bool:
        """A turn's slice of the build; True once it is listed."""
        if (building := self._building) is not None:
            for _ in building:
                if time.perf_counter() > deadline:
                    return False
            self._building = None
        return True

    def _rebuilding(self) -> Iterator[None]:
        """:meth:`rebuild`'s steps, pausing (yield) every BUILD_STEP records; listed at
        the end at once (a reset of the model: no Qt object per entry)."""
        self._stale = False
        yield from self._sort_out(BUILD_STEP * 4)
        records = list(self.records.values())
        self._types, self._colours = yield from list_building.counting(records, BUILD_STEP)
        self._fill_choices(self.kind, "All types", self._types)
        self._fill_choices(self.colour, "All colours", self._colours)
        passes, group_of = self._filter(), self._grouping()
        ordered = yield from list_building.grouping(records, passes, group_of, BUILD_STEP)
        current = self.model.record_at(self.tree.currentIndex())
        self._by_author = self.group.currentIndex() == 1
        for group in self.model.show(ordered):
            self.tree.expand(group)
        if current is not None:  # the entry chosen stays chosen
            self.tree.setCurrentIndex(self.model.row_of(current.key))

    def filling(self) -> bool:
        """Whether the list is still being built (a slice per event-loop turn)."""
        return self._building is not None

    # -- entries --------------------------------------------------------------------------

    def _group_of(self, record: Record) -> Group:
        return self._grouping()(record)

    def _grouping(self) -> Callable[[Record], Group]:
        """Each record's group, as the list is grouped now."""
        if self.group.currentIndex() == 1:
            author, author_of = self.author, describing.author_of
            return lambda record: author(author_of(record))
        return describing.page_of

    def _words(self, record: Record) -> str:
        """An entry's words (asked for by the model when its row is shown)."""
        quote = self.quotes.quote(record) if self.quotes is not None else ""
        said = describing.describe(record, quote, self.replies[record.id], self.author)
        return said + (f" (p. {describing.page_of(record) + 1})" if self._by_author else "")

    def entries(self) -> list[str]:
        """Every entry's text, group by group (for tests and screen readers): the list as
        it is, or as it will be once shown."""
        if self._stale or self._refresh.isActive() or self._building is not None:
            self.rebuild()
        return [line for heading, lines in self.shown() for line in (heading, *lines)]

    def shown(self) -> list[tuple[str, list[str]]]:
        """Each group's heading and its entries' texts, as listed now."""
        return list(self.model.groups())

    def keys_listed(self) -> set[RecordKey]:
        """The records that have an entry now."""
        return set(self.model.where())

    def _chosen(self, index: QModelIndex) -> None:
        record = self.model.record_at(index)
        if record is not None:
            emit(self.annotation_chosen, record)
