"""LayerReading: the records of the layer to show, read on a task when the read would stall."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer_app.engine import LayerEngine
from reviewer_app.instant.records import Record
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.tasks import Task, TaskControl, TaskRunner
from reviewer_app.ui.session.import_task import import_failure
from reviewer_app.ui.session.turns import IN_TURNS, Step, StepsPerTurn

AT_ONCE_ROWS = 300  # a layer (with the base) this small is read on the UI thread, in a frame
MANY_AT_ONCE = 2000  # records read before, shown at once up to this many (more: on a task)

Show = Callable[[str, str, list[Record], object], Iterable[Step]]  # (document id, layer,
# records, what ``prepare``'s work made of them on the task, or None when shown at once) ->
# the steps that show them
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
    record for). ``show`` gives the steps that show the records: run at once, or for more
    than IN_TURNS records one per event-loop turn (``finish`` runs those left at once: before
    a change to the layer is followed, or another layer is read). ``delivered(layer)``
    follows the last step of a read that ran on a task."""

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
        self.steps = StepsPerTurn(self)  # showing the records read
        self.shown: tuple[str, str] | None = None  # what the steps show
        self.next: tuple[str, str] | None = None  # read at the next turn
        self.next_turn = QTimer(self, singleShot=True, interval=0)
        self.next_turn.timeout.connect(lambda: self.next is not None and self.read(*self.next))

    def read_next_turn(self, document_id: str, layer: str) -> None:
        """Read ``layer`` at the next turn of the event loop, unless another read is asked
        for before."""
        self.cancel()
        self.next = (document_id, layer)
        self.next_turn.start()

    def read(self, document_id: str, layer: str) -> None:
        """Show ``layer`` of the document: now if that costs little, else once read."""
        self.finish()  # what is left of showing the layer before
        self.cancel()
        records = self.engine.records_at_once(document_id, layer, AT_ONCE_ROWS)
        if records is not None and (self.prepare is None or len(records) <= MANY_AT_ONCE):
            self._show((document_id, layer), records, None, on_task=False)
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
        """Whether a read is under way, waits for the next turn, or is still being shown (of
        that document and layer, when given)."""
        wanted = self.wanted or self.next or (self.shown if self.steps.pending() else None)
        if wanted is None:
            return False
        return document_id in (None, wanted[0]) and layer in (None, wanted[1])

    def finish(self, *_: object) -> None:
        """Show what is left of the records read, now."""
        self.steps.finish()

    def cancel(self) -> None:
        """Drop the read under way, if any (its thread ends on its own), and what is left
        of showing the last one."""
        if self.task is not None:
            self.task.cancel()
        self.task, self.wanted, self.next = None, None, None
        self.next_turn.stop()
        self.steps.cancel()

    def shutdown(self) -> None:
        self.cancel()
        self.tasks.shutdown()

    def _read(self, task: Task, wanted: tuple[str, str], read: tuple[list[Record], object]) -> None:
        if task is self.task:
            self.task, self.wanted = None, None
            self._show(wanted, *read, on_task=True)

    def _show(
        self, wanted: tuple[str, str], records: list[Record], made: object, on_task: bool
    ) -> None:
        steps = list(self.show(*wanted, records, made))
        if on_task:
            steps.append(lambda: emit(self.delivered, wanted[1]))
        self.shown = wanted
        self.steps.run(steps, at_once=len(records) <= IN_TURNS)

    def _failed(self, task: Task, wanted: tuple[str, str], exc: BaseException) -> None:
        if task is self.task:
            self.task, self.wanted = None, None
            self.notify(f"Layer {wanted[1]} cannot be shown: {import_failure(exc)}")
