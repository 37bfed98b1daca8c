"""The UI thread first: background threads of the app's process give way to it while it is
busy with a turn of its event loop.

CPython runs one thread's Python at a time. A thread wanting the GIL waits for the thread
holding it to pass it on, up to the switch interval; the UI thread runs Python for every
paint and slot and lets the GIL go around most Qt calls, so with a task running Python
beside it, each of those hand-overs can cost it the interval again: measured here, 2,000
``fillRect`` calls took 8 ms alone and 127 ms beside a thread running Python (20 ms of CPU).
A thread that instead waits between two small steps of its work while the UI thread is busy
leaves it the GIL: the same calls then took 9 ms.

The window marks its event loop's turns (:func:`turn_began` at the first event it delivers,
:func:`turn_ended` once it has dispatched what it had: see ``ui.core.turns.follow_turns``);
work on other threads calls :func:`give_way` between small steps (a record, a difference, a
progress report). A turn that has lasted :data:`AT_MOST` seconds is not waited for further:
the UI thread is stalled anyway, or it waits for something this work holds (a lock, a write
transaction), and the work goes on as if it were not there.

What the window no longer keeps (a layer's records, a page's marks) it hands to
:func:`let_go`, which frees it on a thread of its own once the turn is over: freeing
thousands of objects holds the GIL throughout, and in the turn it held the window.

Pure Python, no Qt and nothing of the engine: the engine, sync and UI all call it; without
a window (the server, the command line) no turn ever begins and :func:`give_way` returns at
once."""

from __future__ import annotations

import queue
import threading
import time

AT_MOST = 0.02
"""Seconds of one UI turn that background work waits out (a frame and a bit); past
them it goes on."""

busy = False
"""Whether the UI thread is in a turn of its event loop (read directly in hot loops:
``if giving_way.busy: giving_way.give_way()``)."""

_idle = threading.Event()
_idle.set()
_began = 0.0
_ui_thread: int | None = None


def turn_began() -> None:
    """The UI thread woke to handle events (its dispatcher's ``awake``)."""
    global busy, _began, _ui_thread
    _ui_thread = threading.get_ident()
    _began = time.monotonic()
    _idle.clear()
    busy = True


def turn_ended() -> None:
    """The UI thread is about to sleep until the next event (``aboutToBlock``)."""
    global busy
    busy = False
    _idle.set()


def give_way() -> None:
    """On a thread other than the UI thread: while the UI thread is in a turn, wait until
    the turn ends (at most until it has lasted :data:`AT_MOST` seconds)."""
    if not busy or threading.get_ident() == _ui_thread:
        return
    left = _began + AT_MOST - time.monotonic()
    if left > 0:
        _idle.wait(left)


_let_go: queue.SimpleQueue[object] = queue.SimpleQueue()
_dropper: threading.Thread | None = None
_dropper_lock = threading.Lock()


def let_go(value: object) -> None:
    """Drop ``value`` on a thread of its own once the UI thread's turn is over, rather than
    in the turn: the caller's last reference to thousands of objects (a layer's records, a
    page's marks, no longer kept) frees them all at once, 3-5 ms that held the turn which
    showed a layer read again. The caller keeps no other reference. Without a window (no
    turn ever began) it is dropped where it is, when the caller's reference goes."""
    global _dropper
    if _ui_thread is None:
        return
    with _dropper_lock:
        if _dropper is None:
            _dropper = threading.Thread(target=_drop_let_go, name="let-go", daemon=True)
            _dropper.start()
    _let_go.put(value)


def _drop_let_go() -> None:
    while True:
        value = _let_go.get()
        _idle.wait()  # (out of the UI thread's turn: freeing holds the GIL throughout)
        del value
