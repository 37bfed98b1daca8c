"""BackgroundSync: sync jobs run one after another on a task lane; timers decide when."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import SyncClient, SyncError, SyncSession, SyncStatus
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.tasks import TaskControl, TaskRunner

DEBOUNCE_MS = 1000


def failure_text(exc: BaseException) -> str:
    """What a failed job tells the user."""
    if isinstance(exc, SyncError):
        return str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


class BackgroundSync(QObject):
    """Runs sync in the background for one connected document: on change (debounced), every
    ``interval`` seconds, and on demand; never more than one job at a time (a request made
    while one runs starts another right after it).

    Emits ``status(SyncStatus)``, ``progressed(done, total, message)``, ``opened(session)``,
    ``synced(report)`` or ``failed(message)``, on the UI thread. Nothing here waits for a
    job: :meth:`shutdown` returns at once, even while a request hangs."""

    status = Signal(object)
    progressed = Signal(int, int, str)
    opened = Signal(object)
    synced = Signal(object)
    failed = Signal(str)

    def __init__(self, interval_s: int = 30, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lane = TaskRunner(at_once=1, parent=self)
        self.session: SyncSession | None = None
        self.running = False
        self.again = False
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self.sync_now)
        self.ticker = QTimer(self, interval=max(1, interval_s) * 1000)
        self.ticker.timeout.connect(self.sync_now)

    def open(self, engine: LayerEngine, client: SyncClient, document_id: str) -> None:
        """Download the document if needed (in the background), then emit ``opened``."""

        def work(control: TaskControl) -> SyncSession:
            return SyncSession.open(
                engine,
                client,
                document_id,
                progress=control.progress,
                on_status=lambda status: emit(self.status, status),
            )

        self.lane.run(
            work,
            name="sync: open",
            returned=lambda session: emit(self.opened, session),
            errored=lambda exc: emit(self.failed, failure_text(exc)),
            progressed=self._progressed,
        )

    def attach(self, session: SyncSession | None) -> None:
        """Sync ``session`` from now on (None: stop syncing). The previous session's client is
        closed once its running job has ended (in the lane, never waited for here)."""
        old, self.session = self.session, session
        if old is not None and old is not session:
            self.lane.run(lambda _: old.client.close(), name="sync: close the old client")
        if session is None:
            self.ticker.stop()
            self.debounce.stop()
            return
        self.ticker.start()
        self.sync_now()

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
            returned=self._synced,
            errored=self._failed,
        )

    def _progressed(self, done: int, total: int, message: str) -> None:
        emit(self.progressed, done, total, message)

    def _synced(self, report: Any) -> None:
        self._ended()
        emit(self.synced, report)

    def _failed(self, exc: BaseException) -> None:
        self._ended()
        emit(self.failed, failure_text(exc))

    def _ended(self) -> None:
        self.running = False
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
