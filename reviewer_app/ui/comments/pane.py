"""The Comments dock: a layer's comment threads by page (or by day), each quoting what its
highlight marks, with its replies in order; reply, edit and delete your own comments,
resolve, reopen or set a review state. Keyboard reachable throughout."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine import Change
from reviewer_app.instant.comments import ROOT_TYPES, STATE_NAMES, comment_words
from reviewer_app.instant.records import Record
from reviewer_app.instant.threads import Thread, author_of, threads_of
from reviewer_app.ui.comments.model import ThreadModel, comment_label, group_threads
from reviewer_app.ui.comments.reply_box import ReplyBox
from reviewer_app.ui.comments.state_menu import StateMenu
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.editor import LayerEditor
from reviewer_app.ui.viewer.quotes import Quotes

ALL = ""
EXPAND_ALL_UP_TO = 1000  # rows; past that only the chosen thread (and its page) is opened
REPLY_KEY, RESOLVE_KEY = QKeySequence("Ctrl+Alt+M"), QKeySequence("Ctrl+Alt+R")


class CommentsDock(QDockWidget):
    """The threads of the layer shown. Follows changes as they happen (:meth:`apply`);
    :meth:`open_thread` brings one forward to reply to (a highlight with no thread yet gets
    an empty one). Emits ``thread_chosen(Record)`` with a thread's root when one is clicked,
    so the page goes there."""

    thread_chosen = Signal(object)

    def __init__(
        self,
        context: DocumentContext,
        editor: LayerEditor,
        quotes: Quotes,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Comments", parent)
        self.setObjectName("comments")
        self.context, self.editor, self.quotes = context, editor, quotes
        self.threads: list[Thread] = []
        self.extra_root: Record | None = None  # a root opened before its first comment
        self.editing: Record | None = None  # the comment whose text the box holds
        self.model = ThreadModel(quotes.quote)
        self.model.author = context.names.author
        self._build_widgets()
        self._build_layout()
        self._connect()
        self._update_buttons()

    # -- building ---------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.state = QComboBox()
        self.state.addItem("All threads", ALL)
        self.state.addItem("Open", "open")
        self.state.addItem("Resolved", "resolved")
        self.author = QComboBox()
        self.author.addItem("All authors", ALL)
        self.sort = QComboBox()
        self.sort.addItems(["By page", "By date"])
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.heading = QLabel("No thread chosen")
        self.heading.setWordWrap(True)
        self.box = ReplyBox()
        self.box.setPlaceholderText("Write a reply (Ctrl+Enter sends it)")
        self.box.setTabChangesFocus(True)
        rows = self.fontMetrics().height()
        self.box.setMaximumHeight(4 * rows)  # the list keeps the room: 8 rows at least
        self.tree.setMinimumHeight(8 * rows + 8)
        self.reply_button = QPushButton("&Reply")
        self.resolve_button = QPushButton("Re&solve")
        self.status_button = QToolButton()
        self.status_button.setText("Status")
        self.status_menu = StateMenu(self.status_button)
        self.status_button.setMenu(self.status_menu)
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.edit_button = QPushButton("Ed&it")  # Alt+E opens the Edit menu
        self.delete_button = QPushButton("&Delete")
        for widget, name in (
            (self.state, "Show threads: all, open or resolved"),
            (self.author, "Show threads of an author"),
            (self.sort, "Sort threads by page or by date"),
            (self.tree, "Comment threads of the current layer"),
            (self.heading, "The chosen thread"),
            (self.box, "Reply to the chosen thread"),
            (self.reply_button, "Send the reply (Ctrl+Enter)"),
            (self.resolve_button, "Resolve or reopen the chosen thread (Ctrl+Alt+R)"),
            (self.status_button, "Set a review status of the chosen thread"),
            (self.edit_button, "Edit your chosen comment"),
            (self.delete_button, "Delete your chosen comment"),
        ):
            widget.setAccessibleName(name)
            widget.setToolTip(name)
        self.reply_action = QAction("Reply to Comment &Thread", self, shortcut=REPLY_KEY)
        self.resolve_action = QAction("Resol&ve or Reopen Thread", self, shortcut=RESOLVE_KEY)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        for box in (self.state, self.author, self.sort):
            filters.addWidget(box)
        buttons = QHBoxLayout()
        for widget in (
            self.reply_button,
            self.resolve_button,
            self.status_button,
            self.edit_button,
            self.delete_button,
        ):
            buttons.addWidget(widget)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.heading)
        layout.addWidget(self.box)
        layout.addLayout(buttons)
        self.setWidget(body)

    def _connect(self) -> None:
        self._refresh = QTimer(self, singleShot=True, interval=0)
        self._refresh.timeout.connect(self.reload)
        self.context.names.changed.connect(self._refresh.start)  # authors named anew
        for box in (self.state, self.author, self.sort):
            box.currentIndexChanged.connect(self.rebuild)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.activated.connect(self._activated)
        self.tree.clicked.connect(self._clicked)
        self.reply_button.clicked.connect(self.send)
        self.box.send.connect(self.send)
        self.box.stop.connect(self._stop_typing)
        self.box.textChanged.connect(self._update_buttons)
        self.resolve_button.clicked.connect(self._toggle_resolved)
        self.reply_action.triggered.connect(self.start_reply)
        self.resolve_action.triggered.connect(self._toggle_resolved)
        self.status_menu.chosen.connect(self._set_state)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.tree)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self._delete)

    # -- what is listed -----------------------------------------------------------------------

    def show_layer(self, records: Iterable[Record]) -> None:
        """List the threads among ``records`` (what the layer shown shows); the thread chosen
        stays chosen when this layer has it too (the user's own layer, made by a first
        reply, shows the thread replied to)."""
        chosen = self.chosen_thread()
        typing = self.box.hasFocus()
        self.editing = None
        self.box.clear()
        self._list(records)
        if chosen is not None and self.choose(chosen.root.id) and typing:
            self.box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.extra_root = None

    def reload(self) -> None:
        """Read the layer shown again and list its threads."""
        doc = self.context.document_id
        self._list(self.context.engine.records(doc, self.context.layer) if doc else [])

    def apply(self, change: Change) -> None:
        """Follow a change of the layer shown that touches comments or what roots them."""
        if change.layer != self.context.layer or change.document_id != self.context.document_id:
            return
        roots = {t.root.id for t in self.threads}
        touched = any(kind == "comment" or rid in roots for kind, rid in change.keys) or any(
            r.content.get("type") in ROOT_TYPES for r in change.upserted
        )
        if touched:
            self._refresh.start()

    def _list(self, records: Iterable[Record]) -> None:
        records = list(records)
        self.threads = threads_of(records)
        if self.extra_root is not None and all(
            t.root.id != self.extra_root.id for t in self.threads
        ):
            shown = {r.id: r for r in records if r.kind == "annotation"}
            root = shown.get(self.extra_root.id)
            if root is not None:
                self.threads += threads_of([root], with_empty=True)
        everyone = {author_of(r) for t in self.threads for r in (t.root, *t.comments)}
        authors = sorted(everyone - {""}, key=str.casefold)
        current = self.author.currentData()
        self.author.blockSignals(True)
        self.author.clear()
        self.author.addItem("All authors", ALL)
        for name in authors:
            self.author.addItem(self.context.names.author(name), name)
        self.author.setCurrentIndex(max(0, self.author.findData(current)))
        self.author.blockSignals(False)
        self.rebuild()

    def rebuild(self) -> None:
        """Fill the list from the threads and the filters, keeping the chosen thread."""
        chosen = self.chosen_thread()
        state, author = self.state.currentData(), self.author.currentData()
        shown = [
            t
            for t in self.threads
            if (not state or (t.resolved if state == "resolved" else not t.resolved))
            and (not author or author in t.authors)
        ]
        self.model.set_groups(group_threads(shown, by_date=self.sort.currentIndex() == 1))
        self._expand()
        if chosen is not None:
            self.choose(chosen.root.id)
        self._update_buttons()

    def _expand(self) -> None:
        """Open every page and thread of a short list; a long one (2,000 threads took 0.3 s
        to open, and a page of hundreds is no overview) lists its pages closed, with their
        counts: a page and a thread open when chosen, or with the Right key."""
        groups = self.model.groups
        if sum(1 + len(t.comments) for g in groups for t in g.threads) <= EXPAND_ALL_UP_TO:
            self.tree.expandAll()

    def open_thread(self, root_id: str) -> None:
        """Show the thread of ``root_id`` (empty, if it has none yet) and get ready to reply."""
        doc = self.context.document_id
        if doc is None:
            return
        if all(t.root.id != root_id for t in self.threads):
            found = [r for r in self.context.engine.records(doc, self.context.layer, "annotation")]
            self.extra_root = next((r for r in found if r.id == root_id), None)
            self._list(self.context.engine.records(doc, self.context.layer))
        self.show()
        self.raise_()
        if not self.choose(root_id):  # filtered out: show every thread
            self.state.setCurrentIndex(0)
            self.author.setCurrentIndex(0)
            self.choose(root_id)
        self.box.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose(self, root_id: str) -> bool:
        index = self.model.find_thread(root_id)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.expand(index.parent())
        self.tree.expand(index)
        self.tree.scrollTo(index)
        return True

    def chosen_thread(self) -> Thread | None:
        return self.model.thread_at(self.tree.currentIndex())

    def chosen_comment(self) -> Record | None:
        return self.model.comment_at(self.tree.currentIndex())

    def entries(self) -> list[str]:
        """Every row's text, depth first (for tests and screen readers)."""
        out: list[str] = []

        def walk(parent: QModelIndex, depth: int) -> None:
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                out.append("  " * depth + str(self.model.data(index)))
                walk(index, depth + 1)

        walk(QModelIndex(), 0)
        return out

    # -- acting -----------------------------------------------------------------------------

    def send(self) -> None:
        """Send the reply typed (or save the comment being edited)."""
        thread, text = self.chosen_thread(), self.box.toPlainText().strip()
        if thread is None or not text:
            return
        if self.editing is not None:
            done = self.editor.edit_comment(self.editing.id, text)
        else:
            done = self.editor.reply(thread.root.id, text)
        if done is not None:
            self.editing = None
            self.box.clear()
            self.extra_root = None

    def start_reply(self) -> None:
        """The window's Reply to Comment Thread: the reply box of the chosen thread, or the
        list to choose one in (Enter on it then goes to the box)."""
        self.show()
        self.raise_()
        target = self.box if self.chosen_thread() is not None else self.tree
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _toggle_resolved(self) -> None:
        thread = self.chosen_thread()
        if thread is not None:
            self._set_state("open" if thread.resolved else "resolved")

    def _set_state(self, state: str) -> None:
        thread = self.chosen_thread()
        if thread is not None:
            self.editor.set_thread_state(thread.root.id, state)

    def _mine(self, comment: Record | None) -> bool:
        me = self.context.settings.user_name()
        return comment is not None and bool(me) and author_of(comment) == me

    def _edit(self) -> None:
        comment = self.chosen_comment()
        if not self._mine(comment):
            return
        assert comment is not None
        self.editing = comment
        self.box.setPlainText(comment_words(comment.content))
        self.box.moveCursor(QTextCursor.MoveOperation.End)
        self.box.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_buttons()

    def _delete(self) -> None:
        comment = self.chosen_comment()
        if self._mine(comment):
            assert comment is not None
            self.editor.delete([("comment", comment.id)])

    def _stop_typing(self) -> None:
        self.editing = None
        self.box.clear()
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_buttons()

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self.editing is not None and self.chosen_comment() is not self.editing:
            self.editing = None
            self.box.clear()
        self._update_buttons()

    def _activated(self, index: QModelIndex) -> None:
        """Enter on a thread or a comment: write in its thread."""
        if self.model.thread_at(index) is not None:
            self._clicked(index)
            self.box.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clicked(self, index: QModelIndex) -> None:
        thread = self.model.thread_at(index)
        if thread is not None:
            emit(self.thread_chosen, thread.root)

    def _update_buttons(self) -> None:
        thread, comment = self.chosen_thread(), self.chosen_comment()
        can = self.editor.can_edit() and thread is not None
        self.reply_button.setText("&Save" if self.editing is not None else "&Reply")
        self.reply_button.setEnabled(can and bool(self.box.toPlainText().strip()))
        self.box.setEnabled(can)
        self.resolve_button.setEnabled(can)
        self.resolve_action.setEnabled(can)
        self.status_button.setEnabled(can)
        resolved = thread is not None and thread.resolved
        self.resolve_button.setText("Re&open" if resolved else "Re&solve")
        mine = can and self._mine(comment)
        self.edit_button.setEnabled(mine)
        self.delete_button.setEnabled(mine)
        if thread is None:
            self.heading.setText(
                "Choose a thread to reply to it."
                if self.model.groups
                else "No thread matches these filters."
                if self.threads
                else "No comment threads yet: double-click a highlight, or use the Note tool."
            )
        else:
            state = STATE_NAMES[thread.state.state]
            who = self.context.names.author(thread.state.by or "")
            by = f" by {who}" if thread.resolved and who else ""
            quote = self.quotes.quote(thread.root)
            said = f"“{quote}” · " if quote else ""
            heading = f"Page {thread.page + 1} · {said}{state}{by}"
            if comment is not None:  # its whole text, which a narrow list cuts short
                heading += f"\n{comment_label(comment, self.context.names.author)}"
            self.heading.setText(heading)
