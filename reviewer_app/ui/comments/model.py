"""The comment threads of a layer as a three-level Qt model: groups (a page, or a day when
sorted by date), their threads, and each thread's comments. Rows are described when a view
asks for them, so a layer of thousands of threads lists at once."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from reviewer_app.instant.comments import STATE_NAMES, comment_words
from reviewer_app.instant.records import Record
from reviewer_app.instant.threads import Thread, author_of
from reviewer_app.pdf.comments import KIND_NAMES, shown_date

DISPLAY = Qt.ItemDataRole.DisplayRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 30
THREAD_ROLE = Qt.ItemDataRole.UserRole + 31
COMMENTS = 1 << 40  # internal ids from here on: a comment row, its thread's number added
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


@dataclass(frozen=True)
class Group:
    """A heading of the list ("Page 3", or a day) and its threads, in order."""

    title: str
    threads: tuple[Thread, ...]


def latest(thread: Thread) -> str:
    """When the thread last had something written (ISO 8601, "" when unknown)."""
    dates = [
        str(r.content.get("updatedAt") or r.content.get("createdAt") or "")
        for r in (thread.root, *thread.comments)
    ]
    return max([*dates, thread.state.at or ""])


def thread_label(thread: Thread, quote: str, named: Callable[[str], str] = str) -> str:
    """``Highlight · Ann · Resolved · 3 comments — “the marked words”``: the state and
    count first, where a narrow list does not cut them (the heading quotes in full)."""
    content = thread.root.content
    kind = KIND_NAMES.get(str(content.get("type")), "Annotation")
    tail = f" — “{quote}”" if quote else ""
    count = len(thread.comments)
    state = STATE_NAMES.get(thread.state.state, thread.state.state)
    replies = f"{count} comment{'s' * (count != 1)}"
    who = named(author_of(thread.root))
    return f"{kind}{f' · {who}' if who else ''} · {state} · {replies}{tail}"


def comment_label(comment: Record, named: Callable[[str], str] = str) -> str:
    """``Ann, 2024-05-03 14:02: the words``."""
    when = shown_date(comment.content.get("createdAt"))
    who = named(author_of(comment)) or "Someone"
    words = " ".join(comment_words(comment.content).split())
    return f"{who}, {when}: {words}" if when else f"{who}: {words}"


class ThreadModel(QAbstractItemModel):
    """Groups → threads → comments (see :class:`Group`); ``quote(record)`` gives the text a
    thread's root marks (asked when the row is shown)."""

    def __init__(self, quote: Callable[[Record], str]) -> None:
        super().__init__()
        self.author: Callable[[str], str] = str  # how an author is named (LayerNames)
        self.quote = quote
        self.groups: list[Group] = []
        self._flat: list[tuple[int, int]] = []  # thread number → (group row, thread row)

    def set_groups(self, groups: Sequence[Group]) -> None:
        self.beginResetModel()
        self.groups = list(groups)
        self._flat = [
            (g, t) for g, group in enumerate(self.groups) for t in range(len(group.threads))
        ]
        self._numbers = {pair: n for n, pair in enumerate(self._flat)}
        self.endResetModel()

    def thread_at(self, index: Index) -> Thread | None:
        """The thread of a thread row or of one of its comments."""
        found = self._place(index)
        if found is None or found[1] is None:
            return None
        return self.groups[found[0]].threads[found[1]]

    def comment_at(self, index: Index) -> Record | None:
        found = self._place(index)
        if found is None or found[2] is None:
            return None
        return self.groups[found[0]].threads[found[1]].comments[found[2]]  # type: ignore[index]

    def find_thread(self, root_id: str) -> QModelIndex:
        for g, group in enumerate(self.groups):
            for t, thread in enumerate(group.threads):
                if thread.root.id == root_id:
                    return self.index(t, 0, self.index(g, 0))
        return QModelIndex()

    def _place(self, index: Index) -> tuple[int, int | None, int | None] | None:
        """(group, thread, comment) rows of ``index`` (None below the level it is at)."""
        if not index.isValid():
            return None
        ident = index.internalId()
        if ident == 0:
            return (index.row(), None, None)
        if ident < COMMENTS:
            return (ident - 1, index.row(), None)
        group, thread = self._flat[ident - COMMENTS]
        return (group, thread, index.row())

    # -- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if column != 0 or row < 0 or row >= self.rowCount(parent):
            return QModelIndex()
        place = self._place(parent)
        if place is None:
            return self.createIndex(row, 0, 0)
        if place[1] is None:
            return self.createIndex(row, 0, place[0] + 1)
        return self.createIndex(row, 0, COMMENTS + self._numbers[(place[0], place[1])])

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        place = self._place(index)
        if place is None or place[1] is None:
            return QModelIndex()
        if place[2] is None:
            return self.createIndex(place[0], 0, 0)
        return self.createIndex(place[1], 0, place[0] + 1)

    def rowCount(self, parent: Index = ROOT) -> int:
        place = self._place(parent)
        if place is None:
            return len(self.groups)
        if place[1] is None:
            return len(self.groups[place[0]].threads)
        if place[2] is None:
            return len(self.groups[place[0]].threads[place[1]].comments)
        return 0

    def columnCount(self, parent: Index = ROOT) -> int:
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        place = self._place(index)
        if place is None:
            return None
        group = self.groups[place[0]]
        if place[1] is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                count = len(group.threads)
                return f"{group.title} ({count} thread{'s' * (count != 1)})"
            return None
        thread = group.threads[place[1]]
        if role == THREAD_ROLE:
            return thread
        if place[2] is None:
            if role in (DISPLAY, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
                return thread_label(thread, self.quote(thread.root), self.author)
            if role == RECORD_ROLE:
                return thread.root
            return None
        comment = thread.comments[place[2]]
        if role in (DISPLAY, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return comment_label(comment, self.author)
        if role == RECORD_ROLE:
            return comment
        return None


def group_threads(threads: list[Thread], *, by_date: bool) -> list[Group]:
    """Threads under their page (in page order), or under the day of their latest activity
    (newest first, threads newest first)."""
    if not by_date:
        ordered = sorted(threads, key=lambda t: t.page)
        return [
            Group(f"Page {page + 1}", tuple(group))
            for page, group in itertools.groupby(ordered, key=lambda t: t.page)
        ]
    ordered = sorted(threads, key=latest, reverse=True)
    return [
        Group(day or "Undated", tuple(group))
        for day, group in itertools.groupby(ordered, key=lambda t: latest(t)[:10])
    ]
