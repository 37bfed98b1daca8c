"""Layer PDF export in a separate process (PyMuPDF holds the GIL), reported back by signals."""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer_app.pdf.sandbox import why_it_stopped
from reviewer_app.pdf.sandbox_worker import Limits, limit
from reviewer_app.ui.core.signals import emit

POLL_MS = 30
CHILD_LIMITS = Limits(cpu_seconds=3600, wall_seconds=None)
"""The export child's limits: the PDF may be hostile (its memory is bounded, and an hour of
processor time); the user can cancel, so no deadline."""


@dataclass(frozen=True)
class ExportRequest:
    """What to export: which document's layers, from which data folder, into which folder."""

    data_dir: Path
    document_id: str
    layers: tuple[str, ...]
    out_dir: Path
    flatten: bool = False
    password: str | None = None
    summary: bool = False  # a comments summary after each PDF's last page
    title: str = ""  # the summary's name for the document ("": the PDF's own title)
    score_boxes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (layer, its lines): grading


def _stop_now(signum: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds write_atomically, which removes the file being written


def export_in_child(request: ExportRequest, messages: Any, cancel: Any) -> None:
    """The child process: read the layers from the engine, write their PDFs, report. Told to
    stop (SIGTERM, see :meth:`ExportRun.stop`), it leaves only whole files behind."""
    signal.signal(signal.SIGTERM, _stop_now)
    limit(CHILD_LIMITS)  # this process is the export's sandbox: see pdf/sandbox.py
    from reviewer_app.engine import LayerEngine
    from reviewer_app.pdf.export import Skipped
    from reviewer_app.pdf.export_folder import export_layers

    try:
        with LayerEngine(request.data_dir) as engine:
            source = engine.pdf_path(request.document_id).read_bytes()
            exports = {n: engine.layer_export(request.document_id, n) for n in request.layers}
        skipped: list[Skipped] = []
        written = export_layers(
            source,
            exports,
            request.out_dir,
            flatten=request.flatten,
            summary=request.summary,
            title=request.title,
            password=request.password,
            progress=lambda done, total, name: messages.put(("progress", done, name)),
            cancelled=cancel.is_set,
            skipped=skipped,
            score_boxes=dict(request.score_boxes),
        )
        messages.put(("done", [str(p) for p in written], len(skipped)))
    except Exception as exc:  # reported to the user; the child must not die silently
        messages.put(("error", f"{type(exc).__name__}: {exc}"))


class ExportRun(QObject):
    """One export running in a child process (``target(request, messages, cancel)``, by
    default :func:`export_in_child`; printing renders pages with the same machinery).

    Emits ``progressed(done, layer)``, then ``finished(paths, skipped)`` or ``failed(message)``;
    a cancelled run finishes with the files written so far. Runs are kept in ``live`` until
    their process has ended or said its last word (then in ``ending`` until it has exited:
    nothing waits for it on the UI thread)."""

    progressed = Signal(int, str)
    finished = Signal(list, int)
    failed = Signal(str)
    live: ClassVar[set[ExportRun]] = set()
    ending: ClassVar[set[ExportRun]] = set()  # done, their child exiting by itself

    def __init__(
        self,
        request: Any,
        parent: QObject | None = None,
        target: Callable[[Any, Any, Any], None] = export_in_child,
    ) -> None:
        super().__init__(parent)
        self.request = request
        context = multiprocessing.get_context("spawn")  # forking a Qt process is unsafe
        self.messages: Any = context.Queue()
        self.cancel_event: Any = context.Event()
        self.process = context.Process(
            target=target, args=(request, self.messages, self.cancel_event), daemon=True
        )
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self._poll)
        self.reaper = QTimer(self, interval=POLL_MS)
        self.reaper.timeout.connect(self._reap)
        self.done = False
        self.cancelled = False

    def start(self) -> None:
        ExportRun.live.add(self)
        self.process.start()
        self.timer.start()

    def cancel(self) -> None:
        """Stop after the layer being written (files already written are kept)."""
        self.cancelled = True
        self.cancel_event.set()

    def _poll(self) -> None:
        alive = self.process.is_alive()  # asked first: an ended child has flushed its queue
        self._drain()
        if not self.done and not alive:
            self._handle(("error", why_it_stopped(self.process.exitcode, CHILD_LIMITS)))

    def _drain(self) -> None:
        while not self.done:
            try:
                message = self.messages.get_nowait()
            except queue.Empty:
                return
            self._handle(message)

    def _handle(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "progress":
            emit(self.progressed, int(message[1]), str(message[2]))
            return
        self._end()
        if kind == "done":
            emit(self.finished, list(message[1]), int(message[2]))
        else:
            emit(self.failed, str(message[1]))

    def _end(self) -> None:
        """The child said its last word: it exits by itself (flushing its queue, shutting
        its interpreter down, a few hundred milliseconds), reaped without the UI waiting."""
        self.done = True
        self.timer.stop()
        ExportRun.live.discard(self)
        ExportRun.ending.add(self)
        self.reaper.start()

    def _reap(self) -> None:
        if self.process.is_alive():
            return  # asked again in POLL_MS
        self.reaper.stop()
        self.process.join(0)
        ExportRun.ending.discard(self)

    def wait(self, seconds: float = 30.0) -> None:
        """Block until the child has ended (for closing the app); kills it after ``seconds``."""
        self.cancel()
        self.process.join(seconds)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.timer.stop()
        self.reaper.stop()
        ExportRun.live.discard(self)
        ExportRun.ending.discard(self)

    def stop(self) -> None:
        """For closing the window: end the export now, waiting for nothing (the layer being
        written is dropped; every file already written is complete, see write_atomically)."""
        self.cancel()
        if self.process.is_alive():
            self.process.terminate()
        self.timer.stop()
        self.reaper.stop()
        ExportRun.live.discard(self)
        ExportRun.ending.discard(self)
