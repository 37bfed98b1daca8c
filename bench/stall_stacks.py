"""Where the UI thread is while a bench action stalls it: a watchdog thread samples the UI
thread's stack whenever the ``viewer_kit.Heartbeat`` has not ticked for 8 ms, and prints the
frames seen most (inclusive counts). Not a figure (sampling slows the run a little), a tool:

    QT_QPA_PLATFORM=offscreen python bench/stall_stacks.py review     # or viewer, sync_stalls

runs that bench's ``main()`` with the sampler on, then prints its table (sampled figures are
not written to bench/results/) and the stacks.
"""

from __future__ import annotations

import collections
import importlib
import sys
import threading
import time
import traceback
from typing import Any

import figures
import viewer_kit

STALLED = 0.008  # seconds without a tick before a sample is taken
EVERY = 0.002


class Sampler(threading.Thread):
    def __init__(self, beat: viewer_kit.Heartbeat, counts: collections.Counter[str]) -> None:
        super().__init__(daemon=True)
        self.beat, self.counts, self.done = beat, counts, False
        self.main = threading.main_thread().ident

    def run(self) -> None:
        while not self.done:
            time.sleep(EVERY)
            if time.perf_counter() - self.beat._last <= STALLED:
                continue
            frame = sys._current_frames().get(self.main or 0)
            if frame is None:
                continue
            where = {
                f"{'/'.join(f.filename.rsplit('/', 2)[-2:])}:{f.lineno} {f.name}"
                for f in traceback.extract_stack(frame)[-16:]
            }
            self.counts.update(where)


def main(bench: str) -> int:
    counts: collections.Counter[str] = collections.Counter()
    enter, leave = viewer_kit.Heartbeat.__enter__, viewer_kit.Heartbeat.__exit__

    def entered(self: viewer_kit.Heartbeat) -> viewer_kit.Heartbeat:
        enter(self)
        self.sampler = Sampler(self, counts)  # type: ignore[attr-defined]
        self.sampler.start()  # type: ignore[attr-defined]
        return self

    def left(self: viewer_kit.Heartbeat, *exc: Any) -> None:
        leave(self, *exc)
        self.sampler.done = True  # type: ignore[attr-defined]

    figures.Report.save = lambda self: print(self.table())  # type: ignore[method-assign,assignment,return-value]
    viewer_kit.Heartbeat.__enter__ = entered  # type: ignore[method-assign]
    viewer_kit.Heartbeat.__exit__ = left  # type: ignore[method-assign]
    code = int(importlib.import_module(bench).main())
    print(f"\n{sum(counts.values())} frames seen in stalled samples; the most seen:")
    for where, count in counts.most_common(40):
        print(f"{count:6d}  {where}")
    return code


if __name__ == "__main__":  # spawned workers import this module again: run only as a script
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "review"))
