"""Sync in the window: Connect to Server, Sync Now (F5), the status indicator, the conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QToolButton, QWidget

from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.sync import CredentialError, CredentialStore, SyncClient, SyncSession, SyncStatus
from reviewer_app.sync.status import SyncReport
from reviewer_app.ui.sync.background import SyncController
from reviewer_app.ui.sync.dialogs import ConflictsDialog, ConnectDialog

if TYPE_CHECKING:
    from reviewer_app.ui.main_window import MainWindow


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


class SyncUi(QObject):
    """Adds sync to ``window``: File > Connect to Server…, Sync Now (F5), Sync Conflicts…,
    a status indicator; syncs in the background on change, every N seconds and on demand."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window, self.engine = window, window.engine
        self.credentials: CredentialStore | None = None
        self.make_client: Callable[[str, str], SyncClient] = SyncClient
        self.controller = SyncController(window.settings.sync_interval(), self)
        self.indicator = SyncIndicator()
        self.dialog: ConflictsDialog | None = None
        self.connect_dialog: ConnectDialog | None = None
        self.applying = False
        window.statusBar().addPermanentWidget(self.indicator)
        self.connect_action = QAction("Connect to &Server…", window)
        self.sync_action = QAction("S&ync Now", window, shortcut=QKeySequence("F5"))
        self.conflicts_action = QAction("Sync &Conflicts…", window)
        self.sync_action.setEnabled(False)
        self.connect_action.triggered.connect(self.ask_connect)
        self.sync_action.triggered.connect(self.controller.sync_now)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.indicator.button.clicked.connect(self.show_conflicts)
        menu = window.file_menu
        menu.insertActions(window.viewer_actions.quit, [self.connect_action, self.sync_action])
        menu.insertAction(window.viewer_actions.quit, self.conflicts_action)
        self.panel_button = window.review.panel.add_wide_button(self.conflicts_action)
        self.panel_button.setVisible(False)
        menu.insertSeparator(window.viewer_actions.quit)
        s = self.controller.signals
        s.status.connect(self._status)
        s.progressed.connect(self.indicator.show_progress, Qt.ConnectionType.QueuedConnection)
        s.opened.connect(self._opened)
        s.synced.connect(self._synced)
        s.failed.connect(self._failed)
        events = window.review.events
        events.changed.connect(self._local_change)
        events.layers_changed.connect(self._local_change)

    @property
    def session(self) -> SyncSession | None:
        return self.controller.session

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
        settings = self.window.settings.store
        document = self.window.document.id if self.window.document else ""
        dialog = ConnectDialog(
            self.window,
            str(settings.value("sync/url", "")),
            document or str(settings.value("sync/document", "")),
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
            self.window.statusBar().showMessage(f"The token is not saved: {exc}")
        self.window.settings.store.setValue("sync/url", url)
        self.window.settings.store.setValue("sync/document", document_id)
        self.indicator.button.setText("Connecting…")
        self.controller.open(self.engine, self.make_client(url, token), document_id)

    def _opened(self, session: SyncSession) -> None:
        document = self.window.document
        if document is None or document.id != session.document_id:
            self.window.open_file(self.engine.pdf_path(session.document_id))
        self.sync_action.setEnabled(True)
        self.controller.attach(session)

    def _status(self, status: SyncStatus) -> None:
        self.indicator.show_status(status)
        self.conflicts_action.setText(f"Sync &Conflicts ({status.conflicts})…")
        self.panel_button.setVisible(bool(status.conflicts or status.deleted_on_server))

    def _local_change(self, *_args: object) -> None:
        if not self.applying:
            self.controller.changed()

    def _synced(self, report: SyncReport) -> None:
        if report.pulled or report.conflicts or report.layers_created or report.layers_deleted:
            self.refresh()
        if report.notices:
            self.window.statusBar().showMessage("; ".join(report.notices), 10000)
        if self.dialog is not None and self.dialog.isVisible():
            self._fill_dialog()

    def _failed(self, message: str) -> None:
        if self.session is None:
            self.indicator.show_status(None)
            self.window.show_error("Not connected", message)
        else:
            self.window.statusBar().showMessage(f"Sync: {message}", 10000)

    def refresh(self) -> None:
        """Show what a sync pulled: the panel's layers, the page's annotations (no new sync)."""
        window = self.window
        if window.document is None or self.session is None:
            return
        if window.document.id != self.session.document_id:
            return
        self.applying = True
        try:
            window.review.events.layer_set_changed()
            names = self.engine.layer_names(window.document.id)
            window.set_layer(window.layer if window.layer in ("", *names) else "")
        finally:
            self.applying = False

    def show_conflicts(self) -> None:
        if self.session is None:
            return
        if self.dialog is None:
            self.dialog = ConflictsDialog(self.window, self.resolve, self.decide)
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
        self.controller.sync_now()

    def decide(self, layer: str, keep: bool) -> None:
        """A layer deleted on the server: send it again (keep) or delete it here too."""
        if self.session is None:
            return
        if keep:
            self.session.send_layer_again(layer)
        else:
            self.session.accept_server_deletion(layer)
        self.refresh()
        self.controller.sync_now()

    def shutdown(self) -> None:
        self.controller.shutdown()
