"""The comment bank's palette (key B): the teacher's reusable comments, most used first,
filtered as one types; Enter places the chosen one. It also edits the bank: add, change
points (and apply them to every student who got the comment), delete, import, export."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine.comment_bank import BankComment
from reviewer_app.engine.grades import mark_text
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.drawing.stamps import CHOICES


def comment_line(comment: BankComment) -> str:
    points = f"{mark_text(comment.points)}  " if comment.points is not None else ""
    used = f"   ({comment.uses}×)" if comment.uses else ""
    look = f"   [{look_name(comment.stamp)} stamp]" if comment.stamp else ""
    return f"{points}{comment.text}{look}{used}"


def look_name(stamp_type: str | None) -> str:
    """The stamp tool's name of a look ("Check mark" for Accepted), else the type's."""
    choice = next((c for c in CHOICES if c.stamp_type == stamp_type), None)
    return choice.label.replace("&", "").rstrip("…") if choice else str(stamp_type)


class CommentPalette(QDialog):
    """Lists ``comments`` (most used first) under a search field. Enter (or a double click)
    emits ``chosen(id)`` and closes; the buttons emit ``add_requested(text)`` (the search
    text), ``points_requested(id)``, ``delete_requested(id)``, ``import_requested()`` and
    ``export_requested()``. :meth:`show_comments` fills it again after a change."""

    chosen = Signal(str)
    add_requested = Signal(str)
    points_requested = Signal(str)
    look_requested = Signal(str)
    delete_requested = Signal(str)
    import_requested = Signal()
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Comment Bank")
        self.setObjectName("comment-bank")
        self.resize(460, 380)
        self.comments: list[BankComment] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type to find a comment; Enter places it")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Comments")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.add_button = QPushButton("&Add Typed Text")
        self.points_button = QPushButton("&Points…")
        self.look_button = QPushButton("&Look…")
        self.look_button.setToolTip("Place the comment as a stamp (one of the stamp tool's looks)")
        self.delete_button = QPushButton("&Delete")
        self.import_button = QPushButton("&Import…")
        self.export_button = QPushButton("E&xport…")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.points_button, self.look_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.import_button, self.export_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(lambda _: self.choose())
        self.add_button.clicked.connect(lambda: emit(self.add_requested, self.search.text()))
        self.points_button.clicked.connect(lambda: self._about_current(self.points_requested))
        self.look_button.clicked.connect(lambda: self._about_current(self.look_requested))
        self.delete_button.clicked.connect(lambda: self._about_current(self.delete_requested))
        self.import_button.clicked.connect(lambda: emit(self.import_requested))
        self.export_button.clicked.connect(lambda: emit(self.export_requested))

    def show_comments(self, comments: list[BankComment], hint: str = "") -> None:
        keep = self.current_id()
        self.comments = comments
        self.hint.setText(hint)
        self.list.clear()
        for comment in comments:
            item = QListWidgetItem(comment_line(comment))
            item.setData(Qt.ItemDataRole.UserRole, comment.id)
            item.setToolTip(comment.text)
            self.list.addItem(item)
        self._filter(self.search.text(), keep)

    def open_palette(self) -> None:
        """Show it with an empty search and the most used comment chosen."""
        self.search.clear()
        self._filter("")
        self.show()
        self.activateWindow()
        self.search.setFocus()

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else item.data(Qt.ItemDataRole.UserRole)

    def choose(self) -> None:
        comment = self.current_id()
        if comment is not None:
            self.accept()
            emit(self.chosen, comment)

    def _about_current(self, signal: object) -> None:
        comment = self.current_id()
        if comment is not None:
            emit(signal, comment)  # type: ignore[arg-type]

    def _filter(self, text: str, keep: str | None = None) -> None:
        """Hide the comments without every typed word; choose ``keep`` if shown, else the
        first (most used) shown."""
        words = text.casefold().split()
        shown = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(not all(w in item.text().casefold() for w in words))
            if not item.isHidden():
                shown.append(item)
        kept = [i for i in shown if i.data(Qt.ItemDataRole.UserRole) == keep]
        chosen = kept or shown
        if chosen:
            self.list.setCurrentItem(chosen[0])
        else:
            self.list.setCurrentRow(-1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the search field move in the list; Enter places."""
        if watched is self.search and isinstance(event, QKeyEvent):
            if event.type() != QEvent.Type.KeyPress:
                return False
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._step(-1 if event.key() == Qt.Key.Key_Up else 1)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.choose()
                return True
        return False

    def _step(self, delta: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        current = self.list.currentRow()
        at = rows.index(current) if current in rows else -1
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, at + delta))])
