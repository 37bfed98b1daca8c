"""StepsPerTurn: work done one step per event-loop turn, so no turn holds the window for all
of it, and done at once (``finish``) when something needs it done before it goes on. Its
steps take their turns under the window's one budget per turn (``core.turns``), after the
page's marks: on a timer of their own they landed in the same turn as the marks' and the
lists' slices."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject
from shiboken6 import isValid

from reviewer_app.ui.core import turns

Step = Callable[[], object]
IN_TURNS = 2000  # a layer of more records is shown over several event-loop turns (fewer
# take a few milliseconds all told)


class StepsPerTurn(QObject):
    """Runs the steps handed to :meth:`run` in order, the first at once and then one per turn
    of the event loop, in the turn's shared budget (a turn whose budget the page's marks
    spent runs none). Steps handed over again replace those still waiting (``cancel`` drops
    them; ``finish`` runs them now, e.g. before a change to what they show is followed).
    Steps left when this object is deleted (its window closed) are dropped."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.waiting: deque[Step] = deque()

    def run(self, steps: Iterable[Step], at_once: bool = False) -> None:
        """Run the first step now and each other in a turn of its own (all now: ``at_once``)."""
        self.cancel()
        self.waiting.extend(steps)
        if self.waiting:
            self.waiting.popleft()()
        if at_once:
            self.finish()
        elif self.waiting:
            turns.later(self, self._next, turns.SHOWING)

    def pending(self) -> bool:
        return bool(self.waiting)

    def cancel(self) -> None:
        self.waiting.clear()
        turns.drop(self)

    def finish(self, *_: object) -> None:
        """Run every waiting step now."""
        turns.drop(self)
        while self.waiting:
            self.waiting.popleft()()

    def _next(self, _deadline: float) -> bool:
        """A turn's step (steps are not cut by the deadline: each is a turn's work)."""
        if not isValid(self):  # deleted with its window: what it would show is gone
            self.waiting.clear()
        if self.waiting:
            self.waiting.popleft()()
        return not self.waiting
