"""MarkWarmer: the drawings of the document's other layers, made while the app is idle."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer

from reviewer_app.collector import no_gc
from reviewer_app.engine import BASE, EngineError, LayerEngine
from reviewer_app.instant.records import Record
from reviewer_app.ui.annotations.shapes import CACHED_MARKS, DRAWERS, cached_mark
from reviewer_app.ui.core.tasks import Task, TaskControl, TaskRunner

IDLE_MS = 300  # quiet time after a layer shows before warming starts
SLICE_SECONDS = 0.004  # work per event-loop turn: the UI never waits for the warmer
WARMED_AT_MOST = CACHED_MARKS // 2  # records: the shown layer's marks must stay cached


class MarkWarmer(QObject):
    """Makes the marks (see :func:`cached_mark`) of the other layers of a document a few
    records per event-loop turn once the app has been idle a moment, so that the first
    display of a layer finds its drawings made, as a switch back does. Each layer is read
    (and its records parsed) on a task, the marks made on the UI thread. Any new request
    (another layer shown) restarts it; ``warmed`` counts the records done."""

    def __init__(self, engine: LayerEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.document_id = ""
        self.layers: list[str] = []
        self.queue: list[Record] = []
        self.warmed = 0
        self._idle = QTimer(self, singleShot=True, interval=IDLE_MS)
        self._idle.timeout.connect(self._step)
        self._next = QTimer(self, singleShot=True, interval=0)
        self._next.timeout.connect(self._step)
        self.tasks = TaskRunner(at_once=1, parent=self)
        self.reading: Task | None = None

    def start(self, document_id: str, layers: Sequence[str], shown: str) -> None:
        """Warm ``layers`` (but not ``shown``, nor the base) once the app is idle."""
        self.stop()
        self.document_id = document_id
        self.layers = [name for name in layers if name not in (shown, BASE)]
        self.warmed = 0
        self._idle.start()

    def stop(self) -> None:
        self._idle.stop()
        self._next.stop()
        if self.reading is not None:
            self.reading.cancel()
        self.layers, self.queue, self.reading = [], [], None

    def busy(self) -> bool:
        return bool(self.layers or self.queue or self.reading)

    def _step(self) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        with no_gc():
            while time.perf_counter() < deadline and self.warmed < WARMED_AT_MOST:
                if not self.queue:
                    self._read_next_layer()  # on a task: this goes on once it is read
                    return
                chunk, self.queue = self.queue[:50], self.queue[50:]
                for record in chunk:
                    cached_mark(record)
                self.warmed += len(chunk)
        if self.warmed < WARMED_AT_MOST and self.busy():
            self._next.start()

    def _read_next_layer(self) -> None:
        if not self.layers or self.reading is not None:
            return
        engine, document_id, name = self.engine, self.document_id, self.layers.pop(0)

        def work(_: TaskControl) -> list[Record]:
            try:
                records = engine.records(document_id, name)  # as the window reads
            except EngineError:  # deleted meanwhile, or the document closed
                return []
            return [
                r for r in records if r.kind == "annotation" and r.content.get("type") in DRAWERS
            ]

        task = self.reading = self.tasks.run(work, name=f"warm {name}")
        task.returned.connect(lambda queue: self._read(task, queue))

    def _read(self, task: Task, queue: list[Record]) -> None:
        if task is self.reading:
            self.reading, self.queue = None, queue
            self._next.start()
