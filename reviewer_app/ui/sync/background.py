"""BackgroundSync: sync jobs run one after another on a task lane; timers decide when."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer_app import sync
from reviewer_app.engine import LayerEngine
from reviewer_app.sync import SyncStatus, explain, log_failure
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.tasks import TaskControl, TaskRunner

if TYPE_CHECKING:  # the HTTP side loads at the first connection, not at start-up
    from reviewer_app.sync import SyncClient, SyncSession

DEBOUNCE_MS = 1000
NICER = 10  # the sync thread's lower CPU priority (see TaskRunner): the window paints first


def failure_text(exc: BaseException, url: str) -> str:
    """What a failed job tells the user: a sentence (the details go to the log file)."""
    return explain(exc, url)


class BackgroundSync(QObject):
    """Runs sync in the background for one connected document: on change (debounced), every
    ``interval`` seconds, and on demand; never more than one job at a time (a request made
    while one runs starts another right after it).

    Emits, on the UI thread: ``status(SyncStatus)`` (of the attached session only),
    ``progressed(done, total, message)``, ``opened(session)`` or ``open_failed(message)``,
    ``synced(report)`` or ``failed(message)``. Messages are sentences for a person; each
    failure is written to the sync log with its details. Nothing here waits for a job:
    :meth:`shutdown` returns at once, even while a request hangs."""

    status = Signal(object)
    progressed = Signal(int, int, str)
    opened = Signal(object)
    open_failed = Signal(str)
    synced = Signal(object)
    failed = Signal(str)
    _session_status = Signal(object, object)  # (session, status), from the sync thread

    def __init__(self, interval_s: int = 30, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = TaskRunner(at_once=1, parent=self, nicer=NICER)
        self.session: SyncSession | None = None
        self.running = False
        self.again = False
        self.held: tuple[SyncSession, SyncStatus] | None = None  # see _status_of
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self.sync_now)
        self.ticker = QTimer(self, interval=max(1, interval_s) * 1000)
        self.ticker.timeout.connect(self.sync_now)
        self._session_status.connect(self._status_of)

    def open(
        self,
        engine: LayerEngine,
        make_client: Callable[[], SyncClient],
        document_id: str,
        url: str,
    ) -> None:
        """Make the client (reading the token may take a while) and download the document if
        needed, in the background, then emit ``opened`` (or ``open_failed``)."""

        def work(control: TaskControl) -> SyncSession:
            made: list[SyncSession] = []
            session = sync.SyncSession.open(
                engine,
                make_client(),
                document_id,
                progress=control.progress,
                on_status=lambda status: emit(
                    self._session_status, made[0] if made else None, status
                ),
            )
            made.append(session)
            return session

        def failed(exc: BaseException) -> None:
            log_failure(exc, f"connecting to {url} for document {document_id}")
            emit(self.open_failed, failure_text(exc, url))

        self.lane.run(
            work,
            name="sync: open",
            returned=lambda session: emit(self.opened, session),
            errored=failed,
            progressed=self._progressed,
        )

    def _status_of(self, session: SyncSession | None, status: SyncStatus) -> None:
        """A status of the attached session is shown; the one a running sync ends with waits
        for its report: "Synced" must not show before the layers it pulled are listed."""
        if session is None or session is not self.session:
            return
        if self.running and not status.under_way:
            self.held = (session, status)
            return
        emit(self.status, status)

    def attach(self, session: SyncSession | None) -> None:
        """Sync ``session`` from now on (None: stop syncing). The previous session's client is
        closed once its running job has ended (in the lane, never waited for here)."""
        old, self.session = self.session, session
        if old is not None and old is not session:
            old.stop()  # its running job sends nothing more
            self.close_later(old)
        if session is None:
            self.ticker.stop()
            self.debounce.stop()
            return
        emit(self.status, session.status)
        self.ticker.start()
        self.sync_now()

    def close_later(self, session: SyncSession) -> None:
        """Close ``session``'s connection after the lane's running job."""
        self.lane.run(lambda _: session.client.close(), name="sync: close the old client")

    def set_interval(self, seconds: int) -> None:
        self.ticker.setInterval(max(1, seconds) * 1000)

    def changed(self) -> None:
        """A local change: sync about a second after the last one."""
        if self.session is not None:
            self.debounce.start()

    def sync_now(self) -> None:
        if self.session is None:
            return
        self.debounce.stop()
        if self.running:
            self.again = True
            return
        self.running, self.again = True, False
        session = self.session
        self.lane.run(
            lambda control: session.sync_all(),
            name="sync",
            returned=lambda report: self._synced(session, report),
            errored=lambda exc: self._failed(session, exc),
        )

    def _progressed(self, done: int, total: int, message: str) -> None:
        emit(self.progressed, done, total, message)

    def _synced(self, session: SyncSession, report: Any) -> None:
        if session is self.session:
            emit(self.synced, report)
        self._ended()

    def _failed(self, session: SyncSession, exc: BaseException) -> None:
        log_failure(exc, f"syncing document {session.document_id} with {session.client.url}")
        if session is self.session:
            emit(self.failed, failure_text(exc, session.client.url))
        self._ended()

    def _ended(self) -> None:
        """A sync job ended (its report already emitted): the status it ended with is shown,
        then the next job starts if one was asked for meanwhile."""
        self.running = False
        held, self.held = self.held, None
        if held is not None and held[0] is self.session:
            emit(self.status, held[1])
        if self.again:
            self.sync_now()

    def busy(self) -> bool:
        return self.lane.busy()

    @property
    def current_status(self) -> SyncStatus | None:
        return None if self.session is None else self.session.status

    def shutdown(self) -> None:
        """Stop the timers, drop the jobs (a running one is abandoned, not waited for) and
        close the connection's idle sockets; returns at once, even while a request hangs."""
        self.ticker.stop()
        self.debounce.stop()
        self.again = False
        self.lane.shutdown()
        if self.session is not None:
            self.session.client.close()
            self.session = None
