"""SyncControls: Connect to Server, Sync Now (F5), the status indicator, the conflicts window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QToolButton, QWidget

from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.sync import CredentialError, CredentialStore, SyncClient, SyncSession, SyncStatus
from reviewer_app.sync.status import SyncReport
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.sync.background import BackgroundSync
from reviewer_app.ui.sync.dialogs import ConflictsDialog, ConnectDialog


def describe(status: SyncStatus | None) -> str:
    """The indicator's text: "Synced", "Syncing…", "Offline · 3 pending", "2 conflicts"…"""
    if status is None:
        return "Not connected"
    parts = [
        {"synced": "Synced", "syncing": "Syncing…", "offline": "Offline", "error": "Sync error"}[
            status.state
        ]
    ]
    if status.pending:
        parts.append(f"{status.pending} pending")
    if status.conflicts:
        parts.append(f"{status.conflicts} conflict{'s' if status.conflicts != 1 else ''}")
    if status.deleted_on_server:
        parts.append(f"{len(status.deleted_on_server)} deleted on server")
    return " · ".join(parts)


class SyncIndicator(QWidget):
    """The status bar's sync state (a button that opens the conflicts) and a progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QToolButton(autoRaise=True)
        self.button.setAccessibleName("Sync status")
        self.progress = QProgressBar(textVisible=False)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Sync progress")
        self.progress.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.button)
        self.show_status(None)

    def text(self) -> str:
        return self.button.text()

    def show_status(self, status: SyncStatus | None) -> None:
        self.button.setText(describe(status))
        tip = "Not connected to a server"
        if status is not None:
            last = status.last_synced
            when = last.astimezone().strftime("%H:%M:%S") if last else ""
            tip = status.error or (f"Last synced at {when}" if when else "Not synced yet")
        self.button.setToolTip(tip)
        if status is None or status.state != "syncing":
            self.progress.hide()

    def show_progress(self, done: int, total: int, message: str) -> None:
        if total > 1 and done < total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setToolTip(f"Syncing {message} ({done}/{total})")
            self.progress.show()
        else:
            self.progress.hide()


class SyncControls(QObject):
    """Sync for the document shown: the actions ``connect_action`` (Connect to Server…),
    ``sync_action`` (Sync Now, F5) and ``conflicts_action`` (Sync Conflicts…) for the window's
    menus, the status bar's ``indicator``; syncs in the background on change, every N seconds
    and on demand.

    Emits ``attention(bool)``: whether conflicts or layers deleted on the server wait for the
    user's decision (the window shows a button for them in the Layers dock)."""

    attention = Signal(bool)

    def __init__(self, context: DocumentContext) -> None:
        super().__init__(context)
        self.context, self.engine = context, context.engine
        self.credentials: CredentialStore | None = None
        self.make_client: Callable[[str, str], SyncClient] = SyncClient
        self.background = BackgroundSync(context.settings.sync_interval(), self)
        self.indicator = SyncIndicator()
        self.dialog: ConflictsDialog | None = None
        self.connect_dialog: ConnectDialog | None = None
        self.applying = False
        parent = context.dialog_parent
        self.connect_action = QAction("Connect to &Server…", parent)
        self.sync_action = QAction("S&ync Now", parent, shortcut=QKeySequence("F5"))
        self.conflicts_action = QAction("Sync &Conflicts…", parent)
        self.sync_action.setEnabled(False)
        self.connect_action.triggered.connect(self.ask_connect)
        self.sync_action.triggered.connect(self.background.sync_now)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.indicator.button.clicked.connect(self.show_conflicts)
        b = self.background
        b.status.connect(self._status)
        b.progressed.connect(self.indicator.show_progress)
        b.opened.connect(self._opened)
        b.synced.connect(self._synced)
        b.failed.connect(self._failed)
        context.changes.changed.connect(self._local_change)
        context.changes.layers_changed.connect(self._local_change)

    def actions(self) -> list[QAction]:
        return [self.connect_action, self.sync_action, self.conflicts_action]

    @property
    def session(self) -> SyncSession | None:
        return self.background.session

    def store(self) -> CredentialStore:
        if self.credentials is None:
            self.credentials = CredentialStore()
        return self.credentials

    def _token_for(self, url: str) -> str | None:
        try:
            return self.store().get(url)
        except CredentialError:
            return None

    def ask_connect(self) -> None:
        """Show the Connect to Server dialog (window-modal); Connect opens the document."""
        settings = self.context.settings.store
        dialog = ConnectDialog(
            self.context.dialog_parent,
            str(settings.value("sync/url", "")),
            self.context.document_id or str(settings.value("sync/document", "")),
            self._token_for,
        )
        dialog.accepted.connect(lambda: self.connect_to(*dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        self.connect_dialog = dialog
        dialog.open()

    def connect_to(self, url: str, token: str, document_id: str) -> None:
        """Keep the token, then open the document (downloaded once) and sync it."""
        try:
            self.store().set(url, token)
        except (CredentialError, OSError) as exc:
            self.context.notify(f"The token is not saved: {exc}")
        self.context.settings.store.setValue("sync/url", url)
        self.context.settings.store.setValue("sync/document", document_id)
        self.indicator.button.setText("Connecting…")
        self.background.open(self.engine, self.make_client(url, token), document_id)

    def _opened(self, session: SyncSession) -> None:
        if self.context.document_id != session.document_id:
            self.context.open_file(self.engine.pdf_path(session.document_id))
        self.sync_action.setEnabled(True)
        self.background.attach(session)

    def _status(self, status: SyncStatus) -> None:
        self.indicator.show_status(status)
        self.conflicts_action.setText(f"Sync &Conflicts ({status.conflicts})…")
        emit(self.attention, bool(status.conflicts or status.deleted_on_server))

    def _local_change(self, *_args: object) -> None:
        if not self.applying:
            self.background.changed()

    def _synced(self, report: SyncReport) -> None:
        if report.pulled or report.conflicts or report.layers_created or report.layers_deleted:
            self.refresh()
        if report.notices:
            self.context.notify("; ".join(report.notices), 10000)
        if self.dialog is not None and self.dialog.isVisible():
            self._fill_dialog()

    def _failed(self, message: str) -> None:
        if self.session is None:
            self.indicator.show_status(None)
            self.context.show_error("Not connected", message)
        else:
            self.context.notify(f"Sync: {message}", 10000)

    def refresh(self) -> None:
        """Show what a sync pulled: the panel's layers, the page's annotations (no new sync)."""
        context = self.context
        if context.document is None or self.session is None:
            return
        if context.document.id != self.session.document_id:
            return
        self.applying = True
        try:
            context.changes.layer_set_changed()
            names = self.engine.layer_names(context.document.id)
            context.show_layer(context.layer if context.layer in ("", *names) else "")
        finally:
            self.applying = False

    def show_conflicts(self) -> None:
        if self.session is None:
            return
        if self.dialog is None:
            self.dialog = ConflictsDialog(self.context.dialog_parent, self.resolve, self.decide)
        self._fill_dialog()
        self.dialog.show()
        self.dialog.activateWindow()

    def _fill_dialog(self) -> None:
        if self.dialog is not None and self.session is not None:
            status = self.session.status
            self.dialog.show_state(self.session.conflicts(), status.deleted_on_server)

    def resolve(self, conflict: SyncConflict, choice: str) -> None:
        """Apply the user's choice here, show it, then sync it."""
        if self.session is None:
            return
        self.session.resolve(conflict, choice)
        self.refresh()
        self._fill_dialog()
        self.background.sync_now()

    def decide(self, layer: str, keep: bool) -> None:
        """A layer deleted on the server: send it again (keep) or delete it here too."""
        if self.session is None:
            return
        if keep:
            self.session.send_layer_again(layer)
        else:
            self.session.accept_server_deletion(layer)
        self.refresh()
        self.background.sync_now()

    def shutdown(self) -> None:
        self.background.shutdown()
