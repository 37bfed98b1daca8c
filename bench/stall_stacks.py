"""Where the UI thread is while a bench action stalls it: a watchdog thread samples the UI
thread's stack whenever the ``viewer_kit.Heartbeat`` has not ticked for 8 ms, and prints the
frames seen most (inclusive counts). Not a figure (sampling slows the run a little), a tool:

    QT_QPA_PLATFORM=offscreen python bench/stall_stacks.py review     # or viewer, sync_stalls
    QT_QPA_PLATFORM=offscreen python bench/stall_stacks.py viewer import_stalls

runs that bench's ``main()`` with the sampler on (or, with a second argument, only that step
of ``bench/viewer.py``, see its ``--only``), then prints its table (sampled figures are not
written to bench/results/), the stacks of all stalls, and for each ``with Heartbeat()`` (each
action measured, named by the bench function and line that entered it) the stack sampled
most during its longest stall, and how that stall's time split: the UI thread on a CPU (its
own work, Python or Qt's), waiting for a CPU (the machine is busy), or blocked (waiting for
the GIL, a lock, a file or a socket), from the thread's ``/proc`` schedstat.
"""

from __future__ import annotations

import collections
import sys
import threading
import time
import traceback
from typing import Any

import viewer_kit
from instrumented import heartbeat_action, run_bench

STALLED = 0.008  # seconds without a tick before a sample is taken
EVERY = 0.002
SHOWN = 14  # frames printed of each action's longest stall


def frames(frame: Any) -> list[str]:
    return [
        f"{'/'.join(f.filename.rsplit('/', 2)[-2:])}:{f.lineno} {f.name}"
        for f in traceback.extract_stack(frame)[-24:]
    ]


class Sampler(threading.Thread):
    """Samples the UI thread while ``beat`` is late; ``stalls`` keeps each stall's samples,
    keyed by the tick it followed."""

    def __init__(self, beat: viewer_kit.Heartbeat, counts: collections.Counter[str]) -> None:
        super().__init__(daemon=True)
        self.beat, self.counts, self.done = beat, counts, False
        self.main = threading.main_thread().ident
        self.stalls: dict[float, list[list[str]]] = collections.defaultdict(list)
        self.others: dict[float, list[tuple[str, ...]]] = collections.defaultdict(list)

    def run(self) -> None:
        while not self.done:
            time.sleep(EVERY)
            last = self.beat._last
            if time.perf_counter() - last <= STALLED:
                continue
            current = sys._current_frames()
            frame = current.pop(self.main or 0, None)
            if frame is None:
                continue
            stack = frames(frame)
            self.stalls[last].append(stack)
            for ident, other in current.items():  # who else runs: the GIL may be theirs
                if ident != threading.get_ident():
                    self.others[last].append(tuple(frames(other)[-6:]))
            self.counts.update(set(stack[-16:]))

    def longest(self) -> tuple[int, list[str], list[tuple[int, tuple[str, ...]]]]:
        """The samples of the stall sampled most, the stack seen most in it, and the other
        threads' stacks seen most meanwhile (with how often)."""
        if not self.stalls:
            return 0, [], []
        last = max(self.stalls, key=lambda key: len(self.stalls[key]))
        samples = self.stalls[last]
        common = collections.Counter(tuple(s) for s in samples).most_common(1)[0][0]
        others = collections.Counter(self.others[last]).most_common(3)
        return len(samples), list(common), [(n, stack) for stack, n in others]


def schedstat() -> tuple[int, int]:
    """The calling thread's nanoseconds on a CPU and waiting in the run queue so far."""
    with open("/proc/thread-self/schedstat") as stat:
        on_cpu, queued, _ = stat.read().split()
    return int(on_cpu), int(queued)


def split_ticks() -> None:
    """Make each heartbeat tick note how its longest gap's time split (``beat.split``: ms on
    a CPU, waiting for one, blocked); ticks run on the UI thread, so they read its schedstat."""
    tick = viewer_kit.Heartbeat._tick

    def timed(self: viewer_kit.Heartbeat) -> None:
        was, stat = self.longest_ms, schedstat()
        before = getattr(self, "stat", stat)
        gap = (time.perf_counter() - self._last) * 1000
        tick(self)
        self.stat = stat  # type: ignore[attr-defined]
        if self.longest_ms > was or not hasattr(self, "split"):
            cpu, queue = ((now - then) / 1e6 for now, then in zip(stat, before, strict=True))
            self.split = (cpu, queue, max(0.0, gap - cpu - queue))  # type: ignore[attr-defined]

    viewer_kit.Heartbeat._tick = timed  # type: ignore[method-assign]


def main(bench: str, only: str = "") -> int:
    counts: collections.Counter[str] = collections.Counter()
    Others = list[tuple[int, tuple[str, ...]]]
    actions: list[tuple[str, float, int, list[str], Others, tuple[float, float, float]]] = []
    enter, leave = viewer_kit.Heartbeat.__enter__, viewer_kit.Heartbeat.__exit__

    def entered(self: viewer_kit.Heartbeat) -> viewer_kit.Heartbeat:
        self.action = heartbeat_action()  # type: ignore[attr-defined]
        self.__dict__.pop("split", None)
        self.stat = schedstat()  # type: ignore[attr-defined]
        enter(self)
        self.sampler = Sampler(self, counts)  # type: ignore[attr-defined]
        self.sampler.start()  # type: ignore[attr-defined]
        return self

    def left(self: viewer_kit.Heartbeat, *exc: Any) -> None:
        leave(self, *exc)
        self.sampler.done = True  # type: ignore[attr-defined]
        samples, stack, others = self.sampler.longest()  # type: ignore[attr-defined]
        split = getattr(self, "split", (0.0, 0.0, 0.0))
        actions.append((self.action, self.longest_ms, samples, stack, others, split))  # type: ignore[attr-defined]

    viewer_kit.Heartbeat.__enter__ = entered  # type: ignore[method-assign]
    viewer_kit.Heartbeat.__exit__ = left  # type: ignore[method-assign]
    split_ticks()
    code = run_bench(bench, only)
    print(f"\n{sum(counts.values())} frames seen in stalled samples; the most seen:")
    for where, count in counts.most_common(40):
        print(f"{count:6d}  {where}")
    print("\nEach action's longest stall: the stack sampled most in it (innermost last)")
    for action, longest_ms, samples, stack, others, (cpu, queue, blocked) in actions:
        print(f"\n{action}: {longest_ms:.1f} ms, {samples} samples")
        print(f"    on a CPU {cpu:.1f} ms, waiting for one {queue:.1f}, blocked {blocked:.1f}")
        for where in stack[-SHOWN:]:
            print(f"    {where}")
        for count, other in others:
            print(f"  another thread, {count} of the samples:")
            for where in other:
                print(f"      {where}")
    return code


if __name__ == "__main__":  # spawned workers import this module again: run only as a script
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) > 1 else main("review"))
