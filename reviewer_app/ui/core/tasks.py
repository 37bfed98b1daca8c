"""Background tasks: slow work off the UI thread, reported back by signals, cancellable.

One mechanism for every piece of slow work the window starts (importing a PDF, reading its
form fields, syncing): a :class:`TaskRunner` runs functions on daemon threads, a few at a
time, and each :class:`Task` reports to the UI thread. Nothing ever waits on the UI thread:
cancelling returns at once, and a task stuck in a network call or a huge file is abandoned,
not joined (its thread ends with the process). Work that can crash the process (PyMuPDF on
a hostile file) or must not hold the GIL against the UI belongs in a worker process instead.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, Signal

from reviewer_app import giving_way
from reviewer_app.ui.core import turns
from reviewer_app.ui.core.signals import emit

# How long a task running Python may keep the GIL while the UI thread waits for it (CPython's
# default is 5 ms a hand-over, and a turn of the event loop may need several): set when the
# first task starts, for the whole process.
SWITCH_SECONDS = 0.001


def lower_this_threads_priority(steps: int) -> None:
    """Make the calling thread ``steps`` nicer (Linux, where each thread has its own nice
    value; elsewhere nothing is done). Work no one waits for then yields a core to the UI
    thread at once, rather than after the scheduler's slice."""
    if steps <= 0 or not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    with contextlib.suppress(OSError):  # not allowed (a sandbox): the work runs as it was
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + steps)


class ThreadStarter:
    """Starts the tasks' threads from a thread of its own. ``threading.Thread.start()`` waits
    until the new thread runs, and on a busy machine (or with another thread holding the GIL)
    that wait is milliseconds the UI thread would stand still; handing the start over here
    costs the UI thread a queue put."""

    def __init__(self) -> None:
        self.queue: queue.SimpleQueue[Task] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self, task: Task) -> None:
        self.queue.put(task)
        with self.lock:
            if self.thread is None:  # once per process: the first task waits for this one
                self.thread = threading.Thread(target=self._run, name="task starter", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            task = self.queue.get()
            try:
                if task.worker is not None:
                    task.worker.start()
            except RuntimeError as exc:  # no thread to be had: this task fails, not the next
                task._report("error", exc)
                task._report("end", None)
            finally:
                task.launched = True


STARTER = ThreadStarter()


class TaskControl:
    """What a running task's function is given: ``progress(done, total, message)`` to report
    and ``cancelled()`` to ask whether to stop early."""

    def __init__(self, task: Task) -> None:
        self._task = task

    def progress(self, done: int, total: int, message: str = "") -> None:
        self._task._report("progress", (done, total, message))
        giving_way.give_way()

    def cancelled(self) -> bool:
        giving_way.give_way()  # (asked between steps: the window's turn goes first)
        return self._task.cancelled


Work = Callable[[TaskControl], Any]


class Task(QObject):
    """One function run on a background thread.

    Emits, on the UI thread: ``progressed(done, total, message)`` while it runs, then either
    ``returned(result)`` or ``errored(exception)``, then ``finished()``. A cancelled task
    emits nothing more (what its function still returns is dropped). Tasks are kept alive in
    ``live`` until their thread has ended."""

    progressed = Signal(int, int, str)
    returned = Signal(object)
    errored = Signal(object)
    finished = Signal()
    _reported = Signal(str, object)  # from the worker thread, queued to the UI thread
    live: ClassVar[set[Task]] = set()

    def __init__(self, work: Work, name: str = "", nicer: int = 0) -> None:
        super().__init__()  # no parent: the worker thread may outlive any widget
        self.work, self.name, self.nicer = work, name, nicer
        self.cancelled = False
        self.done = False
        self.worker: threading.Thread | None = None
        self.launched = False  # its thread started (by the STARTER)
        self._reported.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def cancel(self) -> None:
        """Report nothing more; the function may stop early (``control.cancelled()``)."""
        self.cancelled = True

    def running(self) -> bool:
        """Its thread is about to start, or runs."""
        worker = self.worker
        return worker is not None and (not self.launched or worker.is_alive())

    def start(self) -> None:
        """Start the thread (by the STARTER: this returns without waiting for it to run)."""
        if sys.getswitchinterval() > SWITCH_SECONDS:
            sys.setswitchinterval(SWITCH_SECONDS)
        Task.live.add(self)
        self.worker = threading.Thread(
            target=self._run, name=f"task {self.name}".strip(), daemon=True
        )
        STARTER.start(self)

    def _run(self) -> None:
        try:
            lower_this_threads_priority(self.nicer)  # (a thread of its own: it ends with it)
            result = self.work(TaskControl(self))
        except BaseException as exc:  # handed to the UI thread, which decides what to show
            self._report("error", exc)
        else:
            self._report("result", result)
        finally:
            self._report("end", None)

    def _report(self, kind: str, payload: object) -> None:
        if self.cancelled and kind != "end":
            return
        try:
            emit(self._reported, kind, payload)
        except RuntimeError:  # the application is gone: nobody is left to tell
            Task.live.discard(self)

    def _deliver(self, kind: str, payload: Any) -> None:
        if kind == "end":
            self.done = True
            Task.live.discard(self)
            if not self.cancelled:
                emit(self.finished)
            return
        if self.cancelled:
            return
        if kind == "progress":
            emit(self.progressed, *payload)
        elif kind == "result":
            emit(self.returned, payload)
        else:
            emit(self.errored, payload)


class TaskRunner(QObject):
    """Starts tasks, at most ``at_once`` running together; the others wait their turn, first
    in first out (``at_once=1`` makes a lane that runs one job after another).

    ``nicer`` lowers its threads' CPU priority by that many steps, for work no one waits for
    (background sync): on a busy machine the UI thread gets a core first.
    ``shutdown()`` cancels every task, running or waiting, and returns at once."""

    def __init__(self, at_once: int = 2, parent: QObject | None = None, nicer: int = 0) -> None:
        super().__init__(parent)
        turns.follow_turns()  # the tasks give way to the UI thread's turns (giving_way)
        self.at_once = max(1, at_once)
        self.nicer = nicer
        self.waiting: deque[Task] = deque()
        self.running: list[Task] = []
        self.closed = False

    def run(
        self,
        work: Work,
        *,
        name: str = "",
        returned: Callable[[Any], object] | None = None,
        errored: Callable[[BaseException], object] | None = None,
        progressed: Callable[[int, int, str], object] | None = None,
    ) -> Task:
        """Run ``work(control)`` in the background; the callbacks run on the UI thread."""
        task = Task(work, name, self.nicer)
        if returned is not None:
            task.returned.connect(returned)
        if errored is not None:
            task.errored.connect(errored)
        if progressed is not None:
            task.progressed.connect(progressed)
        if self.closed:
            task.cancel()
            return task
        task.finished.connect(lambda: self._ended(task))
        self.waiting.append(task)
        self._start_next()
        return task

    def busy(self) -> bool:
        """A task of this runner is running or waiting (cancelled ones do not count)."""
        return any(not t.cancelled for t in (*self.running, *self.waiting))

    def _start_next(self) -> None:
        self.running = [t for t in self.running if not (t.done or t.cancelled)]
        while self.waiting and len(self.running) < self.at_once:
            task = self.waiting.popleft()
            if task.cancelled:
                continue
            self.running.append(task)
            task.start()

    def _ended(self, task: Task) -> None:
        if task in self.running:
            self.running.remove(task)
        self._start_next()

    def cancel_all(self) -> None:
        """Cancel the running tasks and drop the waiting ones (nothing is waited for)."""
        for task in (*self.running, *self.waiting):
            task.cancel()
        self.running.clear()
        self.waiting.clear()

    def shutdown(self) -> None:
        """Cancel everything and take no more tasks."""
        self.closed = True
        self.cancel_all()


def running_tasks() -> list[Task]:
    """Tasks whose thread is still running (cancelled ones included): for tests and exit."""
    return [t for t in list(Task.live) if t.running()]
