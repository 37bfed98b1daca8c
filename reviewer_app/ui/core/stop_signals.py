"""The app's end asked by a signal (SIGTERM at a session's end or a shutdown, SIGHUP when its
terminal goes, SIGINT for Ctrl+C in the terminal of ``make run``) is its windows closed, as by
their close buttons: the layer's text kept, the settings written, the sync and the workers
stopped. Without this Python's default handlers kill the app (or raise KeyboardInterrupt in
whatever slot runs next) and the settings of the session are lost."""

from __future__ import annotations

import contextlib
import signal
import socket
from types import FrameType

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


class StopSignals(QObject):
    """While it lives, a stop signal closes every window of ``app`` (a dialog open is
    cancelled), which ends the app as the last window closes; a second one ends it at once.
    Python runs a signal's handler only between its own steps, and the event loop runs none
    while idle: the signal's number written to a socket (``signal.set_wakeup_fd``) wakes the
    loop, whose reading slot lets the handler run. ``restore()`` puts the handlers back."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.app = app
        self.asked = 0  # the signal that asked for the end (0: none yet)
        self._read, self._write = socket.socketpair()
        for end in (self._read, self._write):
            end.setblocking(False)
        self._before_fd = signal.set_wakeup_fd(self._write.fileno())
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self._before = {number: signal.signal(number, self._stop) for number in STOP_SIGNALS}

    def _woken(self) -> None:
        with contextlib.suppress(OSError):
            self._read.recv(64)  # (the handler itself has run, or runs right after this)

    def _stop(self, number: int, frame: FrameType | None) -> None:
        if self.asked:  # asked twice (Ctrl+C again): the signal's own end, at once
            signal.signal(number, signal.SIG_DFL)
            signal.raise_signal(number)
            return
        self.asked = number
        QTimer.singleShot(0, self.app, QApplication.closeAllWindows)

    def restore(self) -> None:
        for number, handler in self._before.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(self._before_fd)
        self._notifier.setEnabled(False)
        self._read.close()
        self._write.close()
