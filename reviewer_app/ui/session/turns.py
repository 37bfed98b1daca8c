"""StepsPerTurn: work done one step per event-loop turn, so no turn holds the window for all
of it, and done at once (``finish``) when something needs it done before it goes on."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer

Step = Callable[[], object]
IN_TURNS = 2000  # a layer of more records is shown over several event-loop turns (fewer
# take a few milliseconds all told)


class StepsPerTurn(QObject):
    """Runs the steps handed to :meth:`run` one per turn of the event loop, in order. Steps
    handed over again replace those still waiting (``cancel`` drops them; ``finish`` runs
    them now, e.g. before a change to what they show is followed)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.waiting: deque[Step] = deque()
        self.timer = QTimer(self, singleShot=True, interval=0)
        self.timer.timeout.connect(self._next)

    def run(self, steps: Iterable[Step], at_once: bool = False) -> None:
        """Run the first step now and each other in a turn of its own (all now: ``at_once``)."""
        self.cancel()
        self.waiting.extend(steps)
        if self.waiting:
            self.waiting.popleft()()
        if at_once:
            self.finish()
        elif self.waiting:
            self.timer.start()

    def pending(self) -> bool:
        return bool(self.waiting)

    def cancel(self) -> None:
        self.waiting.clear()
        self.timer.stop()

    def finish(self, *_: object) -> None:
        """Run every waiting step now."""
        self.timer.stop()
        while self.waiting:
            self.waiting.popleft()()

    def _next(self) -> None:
        if self.waiting:
            step = self.waiting.popleft()
            if self.waiting:
                self.timer.start()
            step()
