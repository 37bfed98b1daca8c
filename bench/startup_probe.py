"""Run by bench/startup.py as a child: the app as ``reviewer-app FILE`` starts it (the same
entry point, reviewer_app.cli.main), which prints the monotonic clock when page 1 was first
painted sharp at the scale it settles at (a paint at the scale of a window not yet laid out
does not count), then quits. The window is watched from its construction, so nothing is
missed."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from reviewer_app.cli import main
from reviewer_app.ui.main_window import MainWindow

built = MainWindow.__init__


def watched(self: MainWindow, *args: object, **kwargs: object) -> None:
    built(self, *args, **kwargs)

    paints: list[tuple[float, float]] = []  # (clock, scale) of page 1's sharp paints
    quiet = QTimer(self, singleShot=True, interval=1500)

    def sharp(page: int) -> None:
        if page == 0:
            paints.append((time.perf_counter(), self.view.render_scale()))
            quiet.start()

    def settled() -> None:
        final = paints[-1][1]
        first = next(at for at, scale in paints if scale == final)
        print(f"sharp {first:.6f} scale {final} paints {len(paints)}", flush=True)
        QApplication.quit()

    quiet.timeout.connect(settled)
    self.view.page_sharp.connect(sharp)


if __name__ == "__main__":  # the PDF sandbox's workers are spawned: they import this module
    MainWindow.__init__ = watched  # type: ignore[method-assign]
    sys.exit(main(sys.argv[1:]))
