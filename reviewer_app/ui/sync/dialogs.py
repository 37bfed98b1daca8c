"""The sync dialogs: connect to a server, and pick mine / theirs / both for each conflict."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.instant.records import Record
from reviewer_app.ui.session.context import layer_title

CHOICES = (("mine", "Keep &Mine"), ("theirs", "Keep &Theirs"), ("both", "Keep &Both"))


class ConnectDialog(QDialog):
    """Asks for the server URL, the token (JWT or server token) and the remote document id."""

    def __init__(
        self,
        parent: QWidget | None,
        url: str = "",
        document_id: str = "",
        token_for: Callable[[str], str | None] = lambda _url: None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to Server")
        self.token_for = token_for
        self.url = QLineEdit(url, placeholderText="https://reviewer.example.org")
        self.token = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("JWT or server token (kept in the keyring)")
        self.document = QLineEdit(document_id, placeholderText="document id on the server")
        for field, name in ((self.url, "Server URL"), (self.token, "Token")):
            field.setAccessibleName(name)
        self.document.setAccessibleName("Document id")
        form = QFormLayout()
        form.addRow("&Server URL:", self.url)
        form.addRow("&Token:", self.token)
        form.addRow("&Document:", self.document)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Connect")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.url.editingFinished.connect(self._fill_token)
        self.url.textChanged.connect(self._update_ok)
        self.document.textChanged.connect(self._update_ok)
        self.token.textChanged.connect(self._update_ok)
        self._fill_token()
        self._update_ok()

    def _fill_token(self) -> None:
        if not self.token.text() and self.url.text().strip():
            self.token.setText(self.token_for(self.server_url()) or "")

    def _update_ok(self) -> None:
        ready = all(f.text().strip() for f in (self.url, self.token, self.document))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def server_url(self) -> str:
        return self.url.text().strip().rstrip("/")

    def values(self) -> tuple[str, str, str]:
        return self.server_url(), self.token.text().strip(), self.document.text().strip()


def summary(record: Record | None) -> str:
    """One line about a record's version: its type and text, or that it was deleted."""
    if record is None:
        return "(deleted)"
    content = record.content
    kind = str(content.get("type", record.kind)).removeprefix("pspdfkit/")
    text = content.get("text")
    value = text.get("value") if isinstance(text, dict) else text if isinstance(text, str) else ""
    page = content.get("pageIndex")
    where = f"p. {page + 1} " if isinstance(page, int) else ""
    return f"{where}{kind}: {str(value or content.get('name') or '')[:60]}".rstrip(": ")


class ConflictsDialog(QDialog):
    """Lists open conflicts (layer, record, mine, theirs) and layers deleted on the server;
    the buttons call ``resolve(conflict, choice)`` and ``decide(layer, keep)``."""

    def __init__(
        self,
        parent: QWidget | None,
        resolve: Callable[[SyncConflict, str], None],
        decide: Callable[[str, bool], None],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync Conflicts")
        self.resize(760, 420)
        self.resolve, self.decide = resolve, decide
        self.conflicts: list[SyncConflict] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Layer", "Record", "Mine", "Theirs"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName("Conflicts")
        self.deleted = QTreeWidget()
        self.deleted.setHeaderLabels(["Layer deleted on the server (kept here)"])
        self.deleted.setRootIsDecorated(False)
        self.deleted.setMaximumHeight(120)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for choice, text in CHOICES:
            button = self.buttons[choice] = QPushButton(text)
            button.clicked.connect(lambda _=False, c=choice: self._resolve_selected(c))
            row.addWidget(button)
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
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        layout.addWidget(self.deleted_box)
        layout.addWidget(close)
        self.tree.itemSelectionChanged.connect(self._update_enabled)
        self.deleted.itemSelectionChanged.connect(self._update_enabled)

    def show_state(self, conflicts: list[SyncConflict], deleted: tuple[str, ...]) -> None:
        """Fill both lists (selecting the first row of each)."""
        self.conflicts = list(conflicts)
        self.tree.clear()
        for c in self.conflicts:
            item = QTreeWidgetItem(
                [layer_title(c.layer), f"{c.key[0]} {c.key[1]}", summary(c.mine), summary(c.theirs)]
            )
            item.setToolTip(2, summary(c.mine))
            item.setToolTip(3, summary(c.theirs))
            self.tree.addTopLevelItem(item)
        self.deleted.clear()
        for name in deleted:
            item = QTreeWidgetItem([layer_title(name)])
            item.setData(0, 256, name)
            self.deleted.addTopLevelItem(item)
        for tree in (self.tree, self.deleted):
            first = tree.topLevelItem(0)
            if first is not None:
                tree.setCurrentItem(first)
            for column in range(tree.columnCount() - 1):
                tree.resizeColumnToContents(column)
        self.deleted_box.setVisible(bool(deleted))
        count = len(self.conflicts)
        self.heading.setText(
            f"{count} record{'s' if count != 1 else ''} changed both here and on the server. "
            "Nothing is lost until you choose."
            if count
            else "No conflicts."
        )
        self._update_enabled()

    def _update_enabled(self) -> None:
        has = self.tree.currentIndex().isValid() and bool(self.conflicts)
        for button in self.buttons.values():
            button.setEnabled(has)
        layer = self.deleted.currentItem() is not None
        self.keep.setEnabled(layer)
        self.accept_deletion.setEnabled(layer)

    def _resolve_selected(self, choice: str) -> None:
        row = self.tree.currentIndex().row()
        if 0 <= row < len(self.conflicts):
            self.resolve(self.conflicts[row], choice)

    def _decide_selected(self, keep: bool) -> None:
        item = self.deleted.currentItem()
        if item is not None:
            self.decide(str(item.data(0, 256)), keep)
