"""Run by bench/startup.py as a child: the app as ``reviewer-app FILE`` starts it (the same
entry point, reviewer_app.cli.main), which prints the monotonic clock when page 1 was first
painted sharp at the scale it settles at (a paint at the scale of a window not yet laid out
does not count), and when the rest of the window was built (its menus, docks and tools, once
the first page is on screen), then quits. The window is watched from its construction, so nothing is
missed.

Everything but the entry point is imported once the app has imported it (an import hook
patches the window class as it loads): the app's spawned PDF workers import this module as
the program that started them, as they import ``reviewer-app``'s script, and the app starts
its workers before it imports the UI."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from reviewer_app.cli import main


def watch(window_class: Any) -> None:
    """Make each ``window_class`` built report page 1's first sharp paint, then quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    built = window_class.__init__
    rest = getattr(window_class, "build_rest", None)  # (a window built in two stages)
    if rest is not None:

        def build_rest(self: Any) -> None:
            rest(self)
            if self.built and not hasattr(self, "built_at"):
                self.built_at = time.perf_counter()

        window_class.build_rest = build_rest

    def watched(self: Any, *args: object, **kwargs: object) -> None:
        built(self, *args, **kwargs)
        paints: list[tuple[float, float, int]] = []  # (clock, scale, cpu) of page 1's sharp paints
        quiet = QTimer(self, singleShot=True, interval=1500)

        def sharp(page: int) -> None:
            if page == 0:
                paints.append((time.perf_counter(), self.view.render_scale(), cpu_ms()))
                quiet.start()

        def settled() -> None:
            final = paints[-1][1]
            first, _, cpu = next(paint for paint in paints if paint[1] == final)
            whole = f" built {self.built_at:.6f}" if hasattr(self, "built_at") else ""
            print(
                f"sharp {first:.6f} scale {final} paints {len(paints)} cpu {cpu}{whole}", flush=True
            )
            QApplication.quit()

        quiet.timeout.connect(settled)
        self.view.page_sharp.connect(sharp)

    window_class.__init__ = watched


def cpu_ms() -> int:
    """Processor time spent so far by this process and the children it still runs (the
    render worker, the PDF worker), in ms: on a machine shared with others, the work done,
    whatever the clock says."""
    import os
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    total = (used.ru_utime + used.ru_stime) * 1000
    tick = os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # a child: utime and stime, in clock ticks
            total += (int(fields[11]) + int(fields[12])) * 1000 / tick
    return round(total)


class WatchWindow:
    """A meta path finder that patches ``MainWindow`` as soon as its module has run."""

    NAME = "reviewer_app.ui.main_window"

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != self.NAME:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        run = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            watch(module.MainWindow)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if __name__ == "__main__":
    sys.meta_path.insert(0, WatchWindow())
    sys.exit(main(sys.argv[1:]))
