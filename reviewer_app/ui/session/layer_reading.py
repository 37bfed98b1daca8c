"""LayerReading: the records of the layer to show, read on a task when the read would stall."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from reviewer_app.engine import LayerEngine
from reviewer_app.instant.records import Record
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.tasks import Task, TaskControl, TaskRunner
from reviewer_app.ui.session.import_task import import_failure

AT_ONCE_ROWS = 300  # a layer (with the base) this small is read on the UI thread, in a frame
MANY_AT_ONCE = 2000  # records read before, shown at once up to this many (more: on a task)

Show = Callable[[str, str, list[Record], object], object]  # (document id, layer, records, what
# ``prepare``'s work made of them on the task, or None when shown at once)
Prepare = Callable[[], Callable[[list[Record]], object]]  # (on the UI thread) the task's work


class LayerReading(QObject):
    """Reads a layer's records for the window and hands them to ``show``: at once when the
    engine has them parsed or they are few, else on a task of its own, which also parses
    them there (the UI thread then finds every record's content made). Only the last
    request is shown: a read that ends after another layer or document was asked for is
    dropped. A read that fails (the document closed meanwhile) is said with ``notify``.
    A layer read before but of more than MANY_AT_ONCE records goes through a task too, for
    ``prepare``: it gives (on the UI thread) work that the task does on the records after
    reading them, handed to ``show`` with them (what the UI thread would otherwise walk every
    record for). ``delivered(layer)`` follows each show of a read that ran on a task."""

    delivered = Signal(str)

    def __init__(
        self,
        engine: LayerEngine,
        show: Show,
        notify: Callable[[str], object],
        parent: QObject | None = None,
        prepare: Prepare | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine, self.show, self.notify = engine, show, notify
        self.prepare = prepare
        self.tasks = TaskRunner(at_once=2, parent=self)
        self.task: Task | None = None
        self.wanted: tuple[str, str] | None = None  # (document id, layer) being read

    def read(self, document_id: str, layer: str) -> None:
        """Show ``layer`` of the document: now if that costs little, else once read."""
        self.cancel()
        records = self.engine.records_at_once(document_id, layer, AT_ONCE_ROWS)
        if records is not None and (self.prepare is None or len(records) <= MANY_AT_ONCE):
            self.show(document_id, layer, records, None)
            return
        engine, wanted = self.engine, (document_id, layer)
        then = self.prepare() if self.prepare is not None else None

        def work(_: TaskControl) -> tuple[list[Record], object]:
            found = records if records is not None else engine.records(document_id, layer)
            for record in found:
                record.content  # noqa: B018 -- parsed here, not on the UI thread
            return found, then(found) if then is not None else None

        self.wanted = wanted
        task = self.task = self.tasks.run(work, name=f"read {layer}")
        task.returned.connect(lambda found: self._read(task, wanted, found))
        task.errored.connect(lambda exc: self._failed(task, wanted, exc))

    def pending(self, document_id: str | None = None, layer: str | None = None) -> bool:
        """Whether a read is under way (of that document and layer, when given)."""
        if self.wanted is None:
            return False
        return document_id in (None, self.wanted[0]) and layer in (None, self.wanted[1])

    def cancel(self) -> None:
        """Drop the read under way, if any (its thread ends on its own)."""
        if self.task is not None:
            self.task.cancel()
        self.task, self.wanted = None, None

    def shutdown(self) -> None:
        self.cancel()
        self.tasks.shutdown()

    def _read(self, task: Task, wanted: tuple[str, str], read: tuple[list[Record], object]) -> None:
        if task is self.task:
            self.task, self.wanted = None, None
            self.show(*wanted, *read)
            emit(self.delivered, wanted[1])

    def _failed(self, task: Task, wanted: tuple[str, str], exc: BaseException) -> None:
        if task is self.task:
            self.task, self.wanted = None, None
            self.notify(f"Layer {wanted[1]} cannot be shown: {import_failure(exc)}")
