"""Which of the window's sliced steps overrun their turn: every step run a slice per turn
(``ui.core.turns.later``: a page's marks, Compare's drawings, the lists, the rasters) and
every step that shows a layer read (``ui.session.turns.StepsPerTurn``: the page, the forms,
the lists, one per turn) timed on its own, wall and CPU. A step that takes more than a
frame's share of a turn makes a stall however the rest of the turn goes; this names it
(``stall_events.py`` shows the events of a stall, ``stall_stacks.py`` where the UI thread
was). Not a figure (timing every step slows the run a little), a tool:

    QT_QPA_PLATFORM=offscreen python bench/slow_slices.py review      # or viewer, sync_stalls
    QT_QPA_PLATFORM=offscreen python bench/slow_slices.py viewer import_stalls

runs that bench's ``main()`` (with a second argument, only that step of ``bench/viewer.py``),
prints its table (not written to bench/results/), then each step that ever took more than
:data:`SLOW_MS`: how often it ran, how often it was slow, its longest wall and CPU time.
"""

from __future__ import annotations

import collections
import linecache
import os
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from instrumented import run_bench

from reviewer_app.ui.core import turns
from reviewer_app.ui.session import turns as showing

SLOW_MS = 5.0  # a step longer than this (wall) is counted as slow: a third of a frame
Timing = tuple[float, float]  # wall, CPU (ms)
timings: dict[str, list[Timing]] = collections.defaultdict(list)


def timed(name: str, step: Callable[..., Any], *args: Any) -> Any:
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        return step(*args)
    finally:
        timings[name].append(
            ((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000)
        )


def step_name(step: Callable[..., Any]) -> str:
    """A step's function, or for a lambda its file, line and source (``lambda: ...``)."""
    code = getattr(step, "__code__", None)
    if code is None or code.co_name != "<lambda>":
        return getattr(step, "__qualname__", repr(step))
    where = f"{os.path.basename(code.co_filename)}:{code.co_firstlineno}"
    return f"{where} {linecache.getline(code.co_filename, code.co_firstlineno).strip()}"


def main(bench: str, only: str = "") -> int:
    later = turns.later

    def timed_later(owner: object, step: turns.Step, order: int) -> None:
        if isinstance(owner, showing.StepsPerTurn):  # its steps are timed one by one
            later(owner, step, order)
            return
        name = f"{type(owner).__name__}: {step_name(step)}"
        later(owner, lambda deadline: bool(timed(name, step, deadline)), order)

    run_next = showing.StepsPerTurn._next

    def timed_next(self: showing.StepsPerTurn, deadline: float) -> bool:
        name = f"showing: {step_name(self.waiting[0])}" if self.waiting else "showing: none"
        return bool(timed(name, run_next, self, deadline))

    turns.later = timed_later
    showing.StepsPerTurn._next = timed_next  # type: ignore[method-assign,assignment]
    code = run_bench(bench, only)
    print(f"\nSliced steps that took more than {SLOW_MS:g} ms (wall) at least once:")
    print(f"  {'runs':>6} {'slow':>5} {'longest':>8} {'its CPU':>8}  step")
    slow = [(n, t) for n, t in timings.items() if max(w for w, _ in t) > SLOW_MS]
    for name, runs in sorted(slow, key=lambda item: -max(w for w, _ in item[1])):
        wall, cpu = max(runs)
        count = sum(w > SLOW_MS for w, _ in runs)
        print(f"  {len(runs):6d} {count:5d} {wall:6.1f}ms {cpu:6.1f}ms  {name}")
    return code


if __name__ == "__main__":  # spawned workers import this module again: run only as a script
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) > 1 else main("review"))
