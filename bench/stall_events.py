"""What the UI thread handled during each action's longest stall, event by event: a
QApplication whose ``notify`` times every event it delivers (the outermost, with what it
sent on inside it), so a stall shows as the events that ran back to back in one turn of the
event loop (Qt delivers every posted event before the next timer), each with its wall and
CPU time (wall far above CPU: the thread waited for a core or for the GIL). Not a figure
(timing every event slows the run a little), a tool beside ``stall_stacks.py``:

    QT_QPA_PLATFORM=offscreen python bench/stall_events.py sync_stalls   # or review, viewer
    QT_QPA_PLATFORM=offscreen python bench/stall_events.py viewer import_stalls

runs that bench's ``main()`` (with a second argument, only that step of ``bench/viewer.py``),
prints its table (not written to bench/results/), then the events that took most CPU over
the whole run by receiver and kind, and for each ``with Heartbeat()`` the events of its
longest stall. A receiver is named by its class, its object name, a task's name, and for a
widget the classes of its parent and grandparent ("QListView in QWidget/LayersDock").
"""

from __future__ import annotations

import collections
import os
import sys
import time
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import viewer_kit
from instrumented import heartbeat_action, run_bench
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

SHOWN_MS = 0.5  # events shorter than this are not kept
Event = tuple[float, float, float, str, str]  # start, end (perf_counter), CPU ms, who, kind


def receiver_name(receiver: QObject) -> str:
    name = f"{type(receiver).__name__}"
    if detail := receiver.objectName() or getattr(receiver, "name", ""):
        name += f" {detail!r}"
    if isinstance(receiver, QWidget) and (parent := receiver.parentWidget()) is not None:
        above = parent.parentWidget()
        name += f" in {type(parent).__name__}/{type(above).__name__ if above else '-'}"
    return name


class TimedApplication(QApplication):
    """Times each outermost event it delivers; keeps those of SHOWN_MS or more."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.events: list[Event] = []
        self.depth = 0

    def notify(self, receiver: QObject, event: QEvent) -> bool:  # type: ignore[override]
        if self.depth:
            return super().notify(receiver, event)
        self.depth = 1
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return super().notify(receiver, event)
        finally:
            self.depth = 0
            ended = time.perf_counter()
            if (ended - started) * 1000 >= SHOWN_MS:
                try:
                    who = receiver_name(receiver)
                except RuntimeError:  # deleted by its own event
                    who = "(deleted)"
                spent = (time.thread_time() - cpu) * 1000
                self.events.append((started, ended, spent, who, event.type().name))


def main(bench: str, only: str = "") -> int:
    app = TimedApplication(sys.argv[:1])
    stalls: list[tuple[str, float, float, float]] = []  # action, longest ms, its start, end
    tick, enter, leave = (
        viewer_kit.Heartbeat._tick,
        viewer_kit.Heartbeat.__enter__,
        viewer_kit.Heartbeat.__exit__,
    )

    def ticked(self: viewer_kit.Heartbeat) -> None:
        now, was = time.perf_counter(), self.longest_ms
        last = self._last
        tick(self)
        if self.longest_ms > was:
            self.widest = (last, now)  # type: ignore[attr-defined]

    def entered(self: viewer_kit.Heartbeat) -> viewer_kit.Heartbeat:
        self.action = heartbeat_action()  # type: ignore[attr-defined]
        self.widest = (0.0, 0.0)  # type: ignore[attr-defined]
        return enter(self)

    def left(self: viewer_kit.Heartbeat, *exc: Any) -> None:
        leave(self, *exc)
        start, end = self.widest  # type: ignore[attr-defined]
        stalls.append((self.action, self.longest_ms, start, end))  # type: ignore[attr-defined]

    viewer_kit.Heartbeat._tick = ticked  # type: ignore[method-assign]
    viewer_kit.Heartbeat.__enter__ = entered  # type: ignore[method-assign]
    viewer_kit.Heartbeat.__exit__ = left  # type: ignore[method-assign]
    code = run_bench(bench, only)
    spent: collections.Counter[tuple[str, str]] = collections.Counter()
    count: collections.Counter[tuple[str, str]] = collections.Counter()
    for _, _, cpu, who, kind in app.events:
        spent[who, kind] += cpu
        count[who, kind] += 1
    print("\nThe events that took most of the UI thread's CPU over the run:")
    for (who, kind), cpu in spent.most_common(16):
        print(f"  {cpu:8.1f} ms CPU in {count[who, kind]:4d}  {kind:<16} {who}")
    print("\nEach action's longest stall, the events in it (from its start, wall and CPU):")
    for action, longest, start, end in stalls:
        print(f"\n{action}: {longest:.1f} ms")
        for began, ended, cpu, who, kind in app.events:
            if ended >= start and began <= end:
                at, wall = (began - start) * 1000, (ended - began) * 1000
                print(f"  +{at:6.1f} {wall:6.1f} wall {cpu:5.1f} CPU  {kind} {who}")
    return code


if __name__ == "__main__":  # spawned workers import this module again: run only as a script
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) > 1 else main("sync_stalls"))
