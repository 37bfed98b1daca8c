"""Long PDF work (a layer export, an extraction) that stops when nobody waits for its result:
whoever started it (the server, for a request whose client went away) sets a stop signal,
and the work checks it between annotations and pages."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextvars import ContextVar

_signal: ContextVar[threading.Event | None] = ContextVar("reviewer_pdf_stop", default=None)


class Stopped(Exception):
    """The work was stopped before it was done: nobody waits for its result any more."""


@contextlib.contextmanager
def stop_signal(event: threading.Event) -> Iterator[None]:
    """Within the block (and in threads started from it with its context, as the server's
    thread pool does), the work stops at its next :func:`stop_point` once ``event`` is set."""
    token = _signal.set(event)
    try:
        yield
    finally:
        _signal.reset(token)


def current_signal() -> threading.Event | None:
    """This work's stop signal (None: nobody stops it), for work done elsewhere on its behalf
    (a worker process to end when the signal is set)."""
    return _signal.get()


def stop_point(where: str = "") -> None:
    """Raise :class:`Stopped` if this work's stop signal is set."""
    event = _signal.get()
    if event is not None and event.is_set():
        raise Stopped(f"stopped {where}: nobody waits for the result any more".replace("  ", " "))
