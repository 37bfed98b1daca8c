"""Background sync: one worker thread runs SyncSession jobs; timers decide when; signals report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from reviewer_app.engine import LayerEngine
from reviewer_app.sync import SyncClient, SyncError, SyncSession, SyncStatus
from reviewer_app.ui.core.signals import emit

DEBOUNCE_MS = 1000


class SyncSignals(QObject):
    """What a job reports, queued to the UI thread: ``status``, ``progressed(done, total,
    message)``, ``opened(session)``, ``synced(report)`` or ``failed(message)``."""

    status = Signal(object)
    progressed = Signal(int, int, str)
    opened = Signal(object)
    synced = Signal(object)
    failed = Signal(str)


class SyncJob(QRunnable):
    """Runs ``work`` on the sync thread; its result goes to ``done``, an error to ``failed``."""

    def __init__(self, work: Callable[[], Any], done: Any, failed: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # kept by its controller until it has run
        self.work, self.done, self.failed = work, done, failed
        self.ended = False

    def run(self) -> None:
        try:
            result = self.work()
        except SyncError as exc:
            emit(self.failed, str(exc) or type(exc).__name__)
        except Exception as exc:  # shown to the user; the sync thread must not die silently
            emit(self.failed, f"{type(exc).__name__}: {exc}")
        else:
            emit(self.done, result)
        finally:
            self.ended = True


class SyncController(QObject):
    """Runs sync in the background for one connected document: on change (debounced), every
    ``interval`` seconds, and on demand; never more than one job at a time (a request made
    while one runs starts another right after it)."""

    def __init__(self, interval_s: int = 30, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = SyncSignals(self)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.session: SyncSession | None = None
        self.running = False
        self.again = False
        self.jobs: list[SyncJob] = []
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self.sync_now)
        self.ticker = QTimer(self, interval=max(1, interval_s) * 1000)
        self.ticker.timeout.connect(self.sync_now)
        self.signals.synced.connect(self._ended)
        self.signals.failed.connect(self._ended)

    def open(self, engine: LayerEngine, client: SyncClient, document_id: str) -> None:
        """Download the document if needed (on the sync thread), then emit ``opened``."""
        s = self.signals

        def work() -> SyncSession:
            return SyncSession.open(
                engine,
                client,
                document_id,
                progress=lambda d, t, m: emit(s.progressed, d, t, m),
                on_status=lambda status: emit(s.status, status),
            )

        self._start(SyncJob(work, s.opened, s.failed))

    def attach(self, session: SyncSession | None) -> None:
        """Sync ``session`` from now on (None: stop syncing); the previous client is closed."""
        old, self.session = self.session, session
        if old is not None and old is not session:
            self.pool.waitForDone()
            old.client.close()
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
        self._start(SyncJob(self.session.sync_all, self.signals.synced, self.signals.failed))

    def _start(self, job: SyncJob) -> None:
        self.jobs = [j for j in self.jobs if not j.ended] + [job]
        self.pool.start(job)

    def _ended(self, _result: object) -> None:
        self.running = False
        if self.again:
            self.sync_now()

    @property
    def status(self) -> SyncStatus | None:
        return None if self.session is None else self.session.status

    def shutdown(self) -> None:
        """Stop the timers, wait for the running job, close the connection."""
        self.ticker.stop()
        self.debounce.stop()
        self.again = False
        self.pool.waitForDone()
        self.jobs.clear()
        if self.session is not None:
            self.session.client.close()
            self.session = None
