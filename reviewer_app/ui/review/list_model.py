"""The Annotations list's rows as a Qt model: a row per group (a page, or an author), the
group's annotations under it, described only when a view shows them.

An annotation's row is an empty slot of its group's item: no Qt object is made per
annotation, and listing another layer is one reset. The model is a QStandardItemModel so
that the view's layout, which asks for every row's index and children, stays in C++: a
model written in Python answers those calls from Python, 2-7 µs a row at every layout
(20-70 ms for 10,000 rows, measured), where this one takes about 1 ms."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from reviewer_app.engine import RecordKey
from reviewer_app.instant.records import Record
from reviewer_app.ui.session import describing
from reviewer_app.ui.session.describing import RECORD_ROLE, Group
from reviewer_app.ui.session.list_building import Grouped

Index = QModelIndex | QPersistentModelIndex
Roles = Qt.ItemDataRole
TEXT_ROLES = frozenset({Roles.DisplayRole, Roles.AccessibleTextRole, Roles.ToolTipRole})


def title(group: Group, count: int) -> str:
    """``Page 3 (12)``, or ``Ann (4)``: a group's heading with its count."""
    return f"{f'Page {group + 1}' if isinstance(group, int) else group} ({count})"


def _top(rows: int) -> QStandardItem:
    """A group's item: its annotations' rows are empty slots (no item made for them)."""
    top = QStandardItem()
    top.setColumnCount(1)
    top.setRowCount(rows)
    return top


class AnnotationRows(QStandardItemModel):
    """The groups listed (``order``), each one's records in entry order (``members``);
    ``describe(record)`` gives an entry's words (asked when a view shows its row). Records
    are put, taken and changed one at a time (rows inserted, removed or changed), or all
    listed anew by :meth:`show` (a reset)."""

    def __init__(self) -> None:
        super().__init__()
        self.describe: Callable[[Record], str] = describing.describe
        self.order: list[Group] = []
        self.members: dict[Group, list[Record]] = {}
        self._tops: dict[Group, QStandardItem] = {}
        self._where: dict[RecordKey, tuple[Group, Record]] | None = None  # made when needed

    def show(self, ordered: Grouped) -> list[QModelIndex]:
        """List ``ordered`` (groups in order, each one's records in entry order) in place of
        what was listed: one reset. The groups' indexes (for the view to expand them)."""
        self.clear()
        self.setColumnCount(1)
        self.order = [group for group, _ in ordered]
        self.members = dict(ordered)
        self._where = None
        self._tops = {group: _top(len(records)) for group, records in ordered}
        if ordered:
            self.invisibleRootItem().appendRows(list(self._tops.values()))
        return [self.index(row, 0) for row in range(len(self.order))]

    # -- what is listed ----------------------------------------------------------------

    def record_at(self, index: Index) -> Record | None:
        """The record of an entry's row (None for a group's row)."""
        parent = index.parent()
        if not parent.isValid() or parent.row() >= len(self.order):
            return None
        members = self.members.get(self.order[parent.row()], [])
        return members[index.row()] if 0 <= index.row() < len(members) else None

    def where(self) -> dict[RecordKey, tuple[Group, Record]]:
        """Each listed record's group and the record as listed, by key."""
        if self._where is None:
            self._where = {
                r.key: (group, r) for group, records in self.members.items() for r in records
            }
        return self._where

    def row_of(self, key: RecordKey) -> QModelIndex:
        """The row of ``key``'s entry (an invalid index if it is not listed)."""
        found = self.where().get(key)
        if found is None:
            return QModelIndex()
        return self.index(self._place(*found), 0, self._tops[found[0]].index())

    def groups(self) -> Iterator[tuple[str, list[str]]]:
        """Each group's heading and its entries' words, as listed."""
        for group in self.order:
            members = self.members[group]
            yield title(group, len(members)), [self.describe(r) for r in members]

    def _place(self, group: Group, listed: Record) -> int:
        """The row of ``listed`` (a record as listed) in ``group``."""
        members = self.members[group]
        row = bisect_left(members, describing.entry_order(listed), key=describing.entry_order)
        if row < len(members) and members[row].key == listed.key:  # (entry orders are unique)
            return row
        return next(row for row, r in enumerate(members) if r.key == listed.key)

    # -- changes -----------------------------------------------------------------------

    def put(self, record: Record, group: Group) -> QModelIndex | None:
        """List ``record`` in ``group``, in its place; the group's index if the group is
        new (for the view to expand it)."""
        members = self.members.get(group)
        made = members is None
        if members is None:
            at = bisect_left(self.order, describing.group_order(group), key=describing.group_order)
            self.order.insert(at, group)
            members = self.members[group] = []
            top = self._tops[group] = _top(0)
            self.invisibleRootItem().insertRow(at, top)
        row = bisect_left(members, describing.entry_order(record), key=describing.entry_order)
        members.insert(row, record)
        self.where()[record.key] = (group, record)
        self._tops[group].insertRows(row, 1)
        self._counted(group)
        return self._tops[group].index() if made else None

    def take(self, key: RecordKey) -> None:
        """Remove ``key``'s entry (and its group, if that was its last)."""
        found = self.where().pop(key, None)
        if found is None:
            return
        group = found[0]
        row, top = self._place(*found), self._tops[group]
        top.removeRows(row, 1)
        del self.members[group][row]
        if self.members[group]:
            self._counted(group)
            return
        self.invisibleRootItem().removeRow(top.row())
        self.order.remove(group)
        del self.members[group], self._tops[group]

    def change(self, record: Record) -> None:
        """``record`` is listed where it was (same group and place): its row says it anew."""
        group, listed = self.where()[record.key]
        row = self._place(group, listed)
        self.members[group][row] = record
        self.where()[record.key] = (group, record)
        index = self.index(row, 0, self._tops[group].index())
        self.dataChanged.emit(index, index)

    def words_changed(self) -> None:
        """Every entry may read otherwise (quotes came): the views ask for them again."""
        for group in self.order:
            top = self._tops[group].index()
            last = len(self.members[group]) - 1
            self.dataChanged.emit(self.index(0, 0, top), self.index(last, 0, top))

    def _counted(self, group: Group) -> None:
        index = self._tops[group].index()
        self.dataChanged.emit(index, index)

    # -- QStandardItemModel ------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == RECORD_ROLE:
            return self.record_at(index)
        if role not in TEXT_ROLES or not index.isValid():
            return None
        parent = index.parent()
        if parent.isValid():
            record = self.record_at(index)
            return None if record is None else self.describe(record)
        if index.row() >= len(self.order):
            return None
        group = self.order[index.row()]
        return title(group, len(self.members[group]))
