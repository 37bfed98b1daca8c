"""Work done a slice per event-loop turn, every part of the window that works so (a page's
marks, the steps that show a big layer, Compare's drawings, the Annotations list and
Compare's list) sharing one budget per turn: each part slicing on its own clock made turns
of 25-30 ms, four 6 ms slices and a paint."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QEvent, QObject, QTimer

from reviewer_app import giving_way

BUDGET = 0.004  # seconds of sliced work per event-loop turn, all parts together
# who goes first in a turn: the page's marks, the rest of a layer being shown (its forms,
# bookmarks, lists...: ``session.turns.StepsPerTurn``), Compare's drawings, the lists, then
# the pixels kept of what a page shows (``viewer.item_rasters``: a faster paint next time)
MARKS, SHOWING, DRAWINGS, LISTS, RASTERS = 0, 1, 2, 3, 4

Step = Callable[[float], bool]  # works until the deadline (a perf_counter); True once done


class _Turns:
    """The sliced work waiting, by owner; one zero-interval timer runs it, the most urgent
    first, until the turn's budget is spent (at least one step a turn, so that all of it
    moves on), or until a step ends the turn (a paint of its result comes next)."""

    def __init__(self) -> None:
        self.jobs: dict[object, tuple[int, Step]] = {}
        self.timer: QTimer | None = None
        self.ended = False

    def add(self, owner: object, step: Step, order: int) -> None:
        self.jobs[owner] = (order, step)
        if self.timer is None:
            self.timer = QTimer(singleShot=True, interval=0)
            self.timer.timeout.connect(self.turn)
        if not self.timer.isActive():
            self.timer.start()

    def turn(self) -> None:
        deadline = time.perf_counter() + BUDGET
        self.ended = False
        try:
            for owner, job in sorted(self.jobs.items(), key=lambda pair: pair[1][0]):
                if self.jobs.get(owner) is not job:
                    continue  # dropped or replaced by an earlier step of this turn
                try:
                    done = job[1](deadline)
                except RuntimeError as exc:  # its owner's widgets went (their window closed)
                    if "already deleted" not in str(exc):
                        raise
                    done = True
                if done and self.jobs.get(owner) is job:
                    del self.jobs[owner]
                if self.ended or time.perf_counter() > deadline:
                    break
        finally:  # (a step that failed leaves the others to go on)
            if self.jobs and self.timer is not None:
                self.timer.start()


_turns = _Turns()


def later(owner: object, step: Step, order: int) -> None:
    """Run ``step`` a slice per turn from the next turn on, until it says it is done (it
    replaces ``owner``'s step waiting, if any); ``order``: MARKS, SHOWING, DRAWINGS, LISTS or
    RASTERS."""
    _turns.add(owner, step, order)


def drop(owner: object) -> None:
    """``owner``'s step waiting, if any, is not run any more."""
    _turns.jobs.pop(owner, None)


def waiting(owner: object) -> bool:
    return owner in _turns.jobs


def busy() -> bool:
    """Whether some sliced work is waiting (the window has not settled since its last change)."""
    return bool(_turns.jobs)


def end_turn() -> None:
    """Called by a step: nothing more runs this turn (a paint of what it made comes next)."""
    _turns.ended = True


class _TurnWatch(QObject):
    """Marks the UI thread busy at the first event it delivers after sleeping, and steps
    out of the way until its dispatcher says the events were dispatched (GLib's ``awake``
    comes after them) or that it is about to wait (``aboutToBlock``). Python runs twice a
    turn, and not at all in a turn with no event: a filter in Python makes each event it
    sees take the GIL, which an event of Qt's alone (a layout, an update) does not need."""

    def __init__(self, app: QCoreApplication, dispatcher: QAbstractEventDispatcher) -> None:
        super().__init__(app)
        self.app, self.dispatcher = app, dispatcher

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        giving_way.turn_began()
        self.app.removeEventFilter(self)
        self.dispatcher.awake.connect(self.ended)
        self.dispatcher.aboutToBlock.connect(self.ended)
        return False

    def ended(self) -> None:
        self.dispatcher.awake.disconnect(self.ended)
        self.dispatcher.aboutToBlock.disconnect(self.ended)
        giving_way.turn_ended()
        self.app.installEventFilter(self)


_watch: list[_TurnWatch] = []  # (kept: the filter's Python side lives as long as its app)
_FOLLOWED = "reviewer-turns-followed"


def follow_turns() -> None:
    """Tell :mod:`reviewer_app.giving_way` when the UI thread's event loop works and when
    it is done (see :class:`_TurnWatch`), so that background work gives way to it meanwhile.
    Once per application."""
    app, dispatcher = QCoreApplication.instance(), QAbstractEventDispatcher.instance()
    if app is None or dispatcher is None or app.property(_FOLLOWED):
        return
    app.setProperty(_FOLLOWED, True)
    _watch.append(watch := _TurnWatch(app, dispatcher))
    app.installEventFilter(watch)
