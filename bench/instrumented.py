"""What the diagnostic tools (``stall_stacks.py``, ``stall_events.py``, ``slow_slices.py``)
share: running a bench's ``main()`` with their instruments on, and naming the action each
``with Heartbeat()`` measures."""

from __future__ import annotations

import importlib
import sys
import traceback

import figures


def heartbeat_action() -> str:
    """``function:line`` of the bench code that entered the ``Heartbeat`` whose
    ``__enter__`` (patched) calls this."""
    caller = traceback.extract_stack(limit=3)[0]
    return f"{caller.name}:{caller.lineno}"


def run_bench(bench: str, only: str = "") -> int:
    """Run ``bench/<bench>.py``'s ``main()``; with ``only``, only that step of it (see
    ``bench/viewer.py --only``). Its table is printed, never written to bench/results/:
    figures taken with an instrument on are not figures."""
    figures.Report.save = lambda self: print(self.table())  # type: ignore[method-assign,assignment,return-value]
    if only:
        sys.argv[1:] = ["--only", only]
    return int(importlib.import_module(bench).main())
