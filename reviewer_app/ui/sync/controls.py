"""SyncControls: Connect to Server, Sync Now (F5), Disconnect, the status, the conflicts window."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence

from reviewer_app import sync
from reviewer_app.engine import BASE, DEFAULT, Document, EngineError
from reviewer_app.engine.conflicts import SyncConflict
from reviewer_app.sync import (
    CredentialError,
    CredentialStore,
    SyncError,
    SyncStatus,
    log_to_file,
    read_token,
)
from reviewer_app.sync.credentials import MissingToken
from reviewer_app.sync.messages import server_name
from reviewer_app.sync.status import SyncReport
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.tasks import TaskRunner
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.sync.background import BackgroundSync
from reviewer_app.ui.sync.conflict_view import PaintRecord

if TYPE_CHECKING:  # the HTTP side loads at the first connection, not at start-up
    from reviewer_app.sync import SyncClient, SyncSession
from reviewer_app.ui.sync.conflicts_dialog import ConflictsDialog
from reviewer_app.ui.sync.conflicts_window import ConflictsWindow
from reviewer_app.ui.sync.connect_dialog import ConnectDialog
from reviewer_app.ui.sync.connections import Connection, Connections, TokenKeeping
from reviewer_app.ui.sync.indicator import SyncIndicator

MARKS = {
    "synced": "synced",
    "pending": "pending",
    "local": "local only",
    "conflict": "conflict",
    "deleted": "deleted on server",
}
RECOUNT_MS = 150  # the status is read again this long after the last local change


def new_client(url: str, token: str) -> SyncClient:
    """A client for ``url`` (requests and jwt are loaded here, at the first connection)."""
    return sync.SyncClient(url, token)


class SyncControls(QObject):
    """Sync for the document shown: the actions ``connect_action`` (Connect to Server…),
    ``sync_action`` (Sync Now, F5), ``disconnect_action`` and ``conflicts_action`` (Sync
    Conflicts…) for the window's File menu, the status bar's ``indicator``, and
    :meth:`layer_mark` for the Layers rows.

    A document's connection is remembered (``connections``), so opening the document again
    reconnects in the background; only the document shown syncs. While its token is bound
    to one layer, that layer is the user's own (``context.bound_layer_of``).

    Emits ``attention(bool)``: whether conflicts or layers deleted on the server wait for the
    user's decision; ``marks_changed()``: the layers' sync marks may have changed."""

    attention = Signal(bool)
    marks_changed = Signal()
    keep_failed = Signal(str)  # from the sync lane: the token could not be written

    def __init__(self, context: DocumentContext, paint_record: PaintRecord | None = None) -> None:
        super().__init__(context)
        self.context, self.engine = context, context.engine
        self.credentials: CredentialStore | None = None
        self.make_client: Callable[[str, str], SyncClient] = new_client
        self.connections = Connections(context.settings.store)
        context.bound_layer_of = self.connections.own_layer
        self.background = BackgroundSync(context.settings.sync_interval(), self)
        self.indicator = SyncIndicator()
        self.indicator.shown = context.names.shown  # a layer syncing, an error naming one
        self.conflicts = ConflictsWindow(
            context, lambda: self.session, self.resolve, self.decide, paint_record
        )
        self.connect_dialog: ConnectDialog | None = None
        self.opening: str | None = None  # the document a connection is being opened for
        self.explicit = False  # asked for in Connect to Server: show the document once open
        self.applying = False
        self.tokens = TokenKeeping(self.store)
        self.log_path = log_to_file()
        self._recount = QTimer(self, singleShot=True, interval=RECOUNT_MS)
        self._recount.timeout.connect(self._recount_now)
        self.recounting = TaskRunner(at_once=1, parent=self)  # the counts read off the UI
        self._build_actions()
        b = self.background
        b.status.connect(self._status)
        b.progressed.connect(self.indicator.show_progress)
        b.opened.connect(self._opened)
        b.open_failed.connect(self._open_failed)
        b.synced.connect(self._synced)
        b.failed.connect(self._failed)
        context.changes.changed.connect(self._local_change)
        context.changes.layers_changed.connect(self._local_change)
        context.document_changed.connect(self._document_changed)
        self.keep_failed.connect(self.context.notify)

    def _build_actions(self) -> None:
        parent = self.context.dialog_parent
        self.connect_action = QAction("Connect to &Server…", parent)
        self.sync_action = QAction("S&ync Now", parent, shortcut=QKeySequence("F5"))
        self.disconnect_action = QAction("&Disconnect from Server", parent)
        self.disconnect_action.setToolTip("Stop syncing this document and forget its server")
        self.conflicts_action = QAction("Sync &Conflicts…", parent)
        self.connect_action.triggered.connect(self.ask_connect)
        self.sync_action.triggered.connect(self.background.sync_now)
        self.disconnect_action.triggered.connect(self.forget_connection)
        self.conflicts_action.triggered.connect(self.show_conflicts)
        self.indicator.button.clicked.connect(self.show_conflicts)
        self._update_actions()

    def actions(self) -> list[QAction]:
        return [
            self.connect_action,
            self.sync_action,
            self.disconnect_action,
            self.conflicts_action,
        ]

    @property
    def session(self) -> SyncSession | None:
        return self.background.session

    @property
    def dialog(self) -> ConflictsDialog | None:
        """The conflicts dialog, once shown."""
        return self.conflicts.dialog

    def store(self) -> CredentialStore:
        if self.credentials is None:
            self.credentials = CredentialStore()
        return self.credentials

    def _token_for(self, url: str) -> str | None:
        try:
            return self.store().get(url)
        except CredentialError:
            return None

    def _update_actions(self) -> None:
        doc = self.context.document_id
        connected = doc is not None and (
            self.connections.get(doc) is not None or self._session_of(doc) is not None
        )
        self.sync_action.setEnabled(self._session_of(doc) is not None)
        self.conflicts_action.setEnabled(self._session_of(doc) is not None)
        self.disconnect_action.setEnabled(connected)

    def _session_of(self, document_id: str | None) -> SyncSession | None:
        session = self.session
        return session if session is not None and session.document_id == document_id else None

    # -- connecting ----------------------------------------------------------------------

    def ask_connect(self) -> None:
        """Show the Connect to Server dialog (window-modal); Connect checks the token with the
        server first, and only then keeps it and opens the document."""
        settings = self.context.settings.store
        doc = self.context.document_id
        known = self.connections.get(doc) if doc else None
        dialog = ConnectDialog(
            self.context.dialog_parent,
            known.url if known else str(settings.value("sync/url", "")),
            doc or str(settings.value("sync/document", "")),
            self._token_for,
            self.check,
        )
        dialog.accepted.connect(lambda: self.connect_to(*dialog.values()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _: self.context.give_keys_to_pages())
        self.connect_dialog = dialog
        dialog.open()

    def check(self, url: str, token: str, document_id: str) -> object:
        """Whether the server takes the token for the document (run in the background)."""
        client = self.make_client(url, token)
        client.retry = sync.Retry(attempts=2, backoff=0.25, max_delay=1.0)  # the user waits
        try:
            return sync.check_access(client, document_id)
        finally:
            client.close()

    def connect_to(self, url: str, token: str, document_id: str) -> None:
        """Keep the connection; on the sync lane, keep the token, then open the document
        (downloaded once) and sync it; the token's layer is the user's own if bound to one."""
        try:
            own = read_token(token).own_layer
        except SyncError:
            own = None
        self.connections.remember(document_id, Connection(url, document_id, own))
        self.context.settings.store.setValue("sync/url", url)
        self.context.settings.store.setValue("sync/document", document_id)
        self._open(document_id, url, self._keeping(url, token), explicit=True)
        if self.context.document_id == document_id and own is not None:
            self.context.show_layer(own)

    def _keeping(self, url: str, token: str) -> Callable[[], SyncClient]:
        """The client for ``url``, made (on the sync lane) once ``token`` is kept; not
        written back if Disconnect deleted it meanwhile."""
        keep = self.tokens.keeper(url, token)

        def make() -> SyncClient:
            try:
                keep()
            except (CredentialError, OSError) as exc:
                said = f"The token could not be saved ({exc}); it works until you quit."
                emit(self.keep_failed, said)
            return self.make_client(url, token)

        return make

    def _open(
        self, document_id: str, url: str, make: Callable[[], SyncClient], explicit: bool
    ) -> None:
        self.opening, self.explicit = document_id, explicit
        self.indicator.show_connecting(server_name(url))
        self.background.open(self.engine, make, document_id, url)

    def reconnect(self, document_id: str, connection: Connection) -> None:
        """Connect again with the kept token (read in the background), without asking."""
        url = connection.url

        def make() -> SyncClient:
            token = self.store().get(url)
            if not token:
                raise MissingToken(f"no token is kept for {url}")
            return self.make_client(url, token)

        self._open(document_id, url, make, explicit=False)

    def _opened(self, session: SyncSession) -> None:
        shown = self.context.document_id
        wanted = session.document_id == self.opening and (
            self.explicit or session.document_id == shown
        )
        if not wanted:  # another document was opened meanwhile
            self.background.close_later(session)
            return
        self.opening = None
        self.background.attach(session)
        self._update_actions()
        if shown != session.document_id:
            self.context.open_file(self.engine.pdf_path(session.document_id))

    def _open_failed(self, message: str) -> None:
        explicit, self.opening = self.explicit, None
        self.indicator.show_status(None)
        if explicit:
            self.context.show_error("Not connected", message)
        else:
            self.indicator.button.setText("Not connected")
            said = self.context.names.shown(message)
            self.indicator.button.setToolTip(f"{said}\nThe details are in {self.log_path}.")
            self.context.notify(message, 10000)

    def _document_changed(self, document: Document | None) -> None:
        """Another document is shown: sync it if it has a connection, else stop syncing."""
        self._update_actions()
        if document is None or self._session_of(document.id) is not None:
            return
        if self.opening == document.id:
            return
        if self.session is not None:
            self.background.attach(None)  # its changes wait until it is opened again
        self.opening = None
        connection = self.connections.get(document.id)
        if connection is None:
            self.indicator.show_status(None)
        else:
            self.reconnect(document.id, connection)
        self._update_actions()
        emit(self.marks_changed)
        emit(self.attention, False)

    def forget_connection(self) -> None:
        """Forget the shown document's connection: it stops syncing and a reopen does not
        reconnect. The token is deleted too when no other document uses its server."""
        doc = self.context.document_id
        if doc is None:
            return
        connection = self.connections.get(doc)
        session = self._session_of(doc)
        pending = session.status.pending if session is not None else 0
        self.connections.forget(doc)
        if session is not None or self.opening == doc:
            self.background.attach(None)
        self.opening = None
        if connection is not None and not self.connections.documents_using(connection.url):
            try:
                self.tokens.delete(connection.url)  # (not written back by a waiting keep)
            except (CredentialError, OSError) as exc:
                self.context.notify(f"The token could not be deleted: {exc}", 10000)
        self.indicator.show_status(None)
        self._update_actions()
        emit(self.marks_changed)
        emit(self.attention, False)
        host = server_name(connection.url) if connection else "the server"
        kept = f" {pending} changes not sent stay on this computer." if pending else ""
        self.context.notify(f"Disconnected from {host}.{kept}", 10000)

    # -- following sync ------------------------------------------------------------------

    def _status(self, status: SyncStatus) -> None:
        session = self.session
        server = server_name(session.client.url) if session is not None else "the server"
        self.indicator.show_status(status, server)
        self.conflicts_action.setText(f"Sync &Conflicts ({status.conflicts})…")
        emit(self.attention, bool(status.conflicts or status.deleted_on_server))
        emit(self.marks_changed)

    def layer_mark(self, name: str) -> str:
        """The Layers row's sync mark for ``name``: "synced", "pending", "local only",
        "conflict", "deleted on server", or "" (not connected, or not known yet)."""
        session = self._session_of(self.context.document_id)
        state = session.status.layer_state(name) if session is not None else None
        return MARKS.get(state or "", "")

    def _local_change(self, *_args: object) -> None:
        if not self.applying:
            self.background.changed()
            self._recount.start()

    def _recount_now(self) -> None:
        """Count the changes waiting on a task (every synced layer's outbox is read): the
        status board tells the indicator, and a sync that ends meanwhile has the last word."""
        session = self._session_of(self.context.document_id)
        if session is not None and not self.recounting.busy():
            self.recounting.run(lambda _: session.recount(), name="sync recount")
        elif session is not None:
            self._recount.start()  # once the count under way has ended

    def _synced(self, report: SyncReport) -> None:
        if report.pulled or report.conflicts or report.layers_created or report.layers_deleted:
            self.refresh()
        if report.notices:
            self.context.notify("; ".join(report.notices), 10000)
        self.conflicts.refill()

    def _failed(self, message: str) -> None:
        self.context.notify(message, 10000)

    def refresh(self) -> None:
        """Show what a sync pulled: the panel's layers, the page's annotations (no new sync).
        The layer shown stays, unless it is gone: then the user's own is shown (never the
        default layer, which everyone shares)."""
        context = self.context
        if context.document is None or self._session_of(context.document.id) is None:
            return
        self.applying = True
        try:
            context.changes.layer_set_changed()
            names = set(self.engine.layer_names(context.document.id))
            own = context.own_layer()
            stays = context.layer in names or context.layer in (DEFAULT, BASE, own)
            context.show_layer(context.layer if stays else own)
        finally:
            self.applying = False

    def show_conflicts(self) -> None:
        if self.session is not None:
            self.conflicts.show()

    def resolve(self, conflict: SyncConflict, choice: str) -> None:
        """Apply the user's choice here, show it, then sync it."""
        if self.session is None:
            return
        try:
            self.session.resolve(conflict, choice)
        except EngineError as exc:
            self.context.notify(f"Not resolved: {exc}", 8000)
            return
        self.refresh()
        self.conflicts.refill()
        self.background.sync_now()

    def decide(self, layer: str, keep: bool) -> None:
        """A layer deleted on the server: send it again (keep) or delete it here too."""
        if self.session is None:
            return
        if keep:
            self.session.send_layer_again(layer)
        else:
            self.session.accept_server_deletion(layer)
        self.session.recount()  # the dialog drops the layer now, not when the sync ends
        self.refresh()
        self.conflicts.refill()
        self.background.sync_now()

    def shutdown(self) -> None:
        self.recounting.shutdown()
        self.background.shutdown()
