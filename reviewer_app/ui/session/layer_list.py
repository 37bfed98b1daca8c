"""The layer list: a plain list with events, one Qt item-model adapter, and the change hub."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from reviewer_app.engine import BASE, DEFAULT
from reviewer_app.engine.summaries import LayerSummary
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.context import layer_title

NAME_ROLE = Qt.ItemDataRole.UserRole + 10
FILTER_ROLE = Qt.ItemDataRole.UserRole + 11
AnyIndex = QModelIndex | QPersistentModelIndex
Listener = Callable[[int], None]


@dataclass(frozen=True)
class LayerRow:
    """One line of the layer list: a layer's summary, with its on-screen texts."""

    summary: LayerSummary

    @property
    def name(self) -> str:
        return self.summary.name

    @property
    def title(self) -> str:
        return layer_title(self.name)

    def details(self, author: Callable[[str], str] = str) -> str:
        s = self.summary
        count = f"{s.annotations} annotation{'s' if s.annotations != 1 else ''}"
        when = local_time(s.updated_at) if s.revision and s.updated_at else "never changed"
        who = ", ".join(author(a) for a in s.authors[:3]) + (" …" if len(s.authors) > 3 else "")
        return " · ".join(p for p in (count, when, who) if p)


def local_time(stamp: str) -> str:
    """An engine time (ISO 8601 UTC) as the user's clock shows it, to the minute."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def shown_order(title: str) -> list[tuple[int, str]]:
    """Where a layer goes by its shown title: by name, numbers by value ("Student 2" before
    "Student 10"), so hidden names are listed in their numbers' order, not the names'."""
    parts = re.split(r"(\d+)", title.casefold())
    return [(1, "") if not p else (0, f"{int(p):012}") if p.isdigit() else (1, p) for p in parts]


class Event:
    """Listeners called with a row index."""

    def __init__(self) -> None:
        self.listeners: list[Listener] = []

    def connect(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def __call__(self, index: int) -> None:
        for listener in self.listeners:
            listener(index)


class LayerList:
    """The document's layers in display order (base, default, others by name).

    Emits ``about_to_insert``/``inserted``, ``about_to_remove``/``removed`` and ``changed``,
    each with a row index, so an adapter can mirror it without resetting."""

    def __init__(self) -> None:
        self.rows: list[LayerRow] = []
        self.pending: set[str] = set()  # listed, but not created until their first change
        self.mark: Callable[[str], str] = lambda _name: ""  # a row's sync mark ("synced"…)
        self.title: Callable[[str], str] = layer_title  # how a layer is named (LayerNames)
        self.author: Callable[[str], str] = str  # how an author is named (LayerNames)
        self.about_to_insert, self.inserted = Event(), Event()
        self.about_to_remove, self.removed = Event(), Event()
        self.changed = Event()
        self.headings: dict[str, str] = {}  # each row's first line as last made (shown)

    def names(self) -> list[str]:
        return [row.name for row in self.rows]

    def index_of(self, name: str) -> int:
        return next((i for i, row in enumerate(self.rows) if row.name == name), -1)

    def heading(self, row: LayerRow) -> str:
        """A row's first line: its title, then its sync mark (from ``mark``) if any; "(new)"
        after a layer listed before its first change makes it, as the Layer box says."""
        shown = self.headings[row.name] = self._heading(row)
        return shown

    def _heading(self, row: LayerRow) -> str:
        title = self.title(row.name)
        if row.name in self.pending:
            return f"{title} (new)"
        mark = "" if row.name == BASE else self.mark(row.name)
        return f"{title} — {mark}" if mark else title

    def marks_changed(self) -> None:
        """The rows' marks may have changed: the rows whose first line did are shown again
        (a sync's every step says so; sixty rows all shown and laid out again took 8 ms)."""
        for index, row in enumerate(self.rows):
            if (made := self.headings.get(row.name)) is not None and made != self._heading(row):
                self.changed(index)

    def names_changed(self) -> None:
        """How layers or authors are named changed: every row is shown again."""
        for index in range(len(self.rows)):
            self.changed(index)

    def sync(
        self, summaries: Sequence[LayerSummary], shown: str = DEFAULT, own: str = DEFAULT
    ) -> None:
        """Make the list show ``summaries`` (the engine's), with the default layer, the
        ``shown`` one and the user's ``own`` always included (before its first change creates
        it: a user who looked at another layer can always go back to theirs)."""
        wanted = list(summaries)
        names = {s.name for s in wanted}
        was, self.pending = self.pending, {shown, own} - names - {DEFAULT, BASE}
        for name in was ^ self.pending:  # its row's mark shows or goes
            if (index := self.index_of(name)) >= 0:
                self.changed(index)
        for name in dict.fromkeys((DEFAULT, shown, own)):
            if name not in names and name != BASE and wanted:  # it reads as the base layer
                base = wanted[0]
                wanted.append(LayerSummary(name, base.annotations, base.authors, 0, None))
        wanted.sort(
            key=lambda s: (s.name != BASE, s.name != DEFAULT, shown_order(self.title(s.name)))
        )
        keep = {s.name for s in wanted}
        for index in reversed(range(len(self.rows))):
            if self.rows[index].name not in keep:
                self.about_to_remove(index)
                self.headings.pop(self.rows[index].name, None)
                del self.rows[index]
                self.removed(index)
        for index, summary in enumerate(wanted):
            row = LayerRow(summary)
            if index < len(self.rows) and self.rows[index].name == summary.name:
                if self.rows[index] != row:
                    self.rows[index] = row
                    self.changed(index)
                continue
            later = self.index_of(summary.name)
            if later > index:  # listed further down: its shown name moved it up
                self.about_to_remove(later)
                del self.rows[later]
                self.removed(later)
            self.about_to_insert(index)
            self.rows.insert(index, row)
            self.inserted(index)


class ListAdapter(QAbstractListModel):
    """Maps a list with row events (like :class:`LayerList`) to Qt rows, without resets."""

    def __init__(self, source: LayerList, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.texts: dict[str, tuple[str, str]] = {}  # a row's two texts, by layer name
        source.about_to_insert.connect(lambda i: self.beginInsertRows(QModelIndex(), i, i))
        source.inserted.connect(self._inserted)
        source.about_to_remove.connect(lambda i: self.beginRemoveRows(QModelIndex(), i, i))
        source.removed.connect(lambda _: self.endRemoveRows())
        source.changed.connect(self._changed)

    def _inserted(self, row: int) -> None:
        self.texts.pop(self.source.rows[row].name, None)
        self.endInsertRows()

    def _changed(self, row: int) -> None:
        self.texts.pop(self.source.rows[row].name, None)
        index = self.index(row)
        emit(self.dataChanged, index, index)

    def _texts(self, row: LayerRow) -> tuple[str, str]:
        """The row's text and its tooltip, made once (Qt asks for them at every layout and
        paint of the list) until the row changes."""
        if (texts := self.texts.get(row.name)) is None:
            heading, details = self.source.heading(row), row.details(self.source.author)
            texts = self.texts[row.name] = (f"{heading}\n{details}", f"{heading}: {details}")
        return texts

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.source.rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not 0 <= index.row() < len(self.source.rows):
            return None
        row = self.source.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts(row)[0]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts(row)[1]
        if role == NAME_ROLE:
            return row.name
        if role == FILTER_ROLE:
            return self.source.title(row.name)
        return None


class LayerEvents(QObject):
    """The UI's change hub: whoever mutates the engine through the UI emits here.

    ``changed(Change)`` after a record change; ``layers_changed()`` after a layer was created,
    deleted or restored."""

    changed = Signal(object)
    layers_changed = Signal()

    def record_change(self, change: object) -> None:
        if change is not None:
            emit(self.changed, change)

    def layer_set_changed(self) -> None:
        emit(self.layers_changed)
