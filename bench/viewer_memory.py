"""Run by bench/viewer.py as a child: the window alone in a process, as ``reviewer-app`` runs
it (PyMuPDF loaded only if something uses it), scrolls FILE (1,000 pages) end to end, a
viewport at a time, each step waited until sharp, and prints one JSON line: the peak of the
window's and the render worker's resident memory together, and what it was made of then.

A child, not the bench's own process: the bench draws floors with PyMuPDF and keeps other
steps' caches, which are not the app's memory."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def main(path: Path) -> dict[str, Any]:
    from reviewer_app.pdf.lazy_mupdf import import_when_used, loaded

    import_when_used()  # first, as reviewer_app.cli.gui does
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from viewer_kit import SharpPages, memory_mb, visible_sharp, wait_until

    from reviewer_app.engine import LayerEngine
    from reviewer_app.ui.core.settings import ViewerSettings
    from reviewer_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder, LayerEngine(Path(folder) / "data") as engine:
        ini = str(Path(folder) / "settings.ini")
        window = MainWindow(engine, ViewerSettings(QSettings(ini, QSettings.Format.IniFormat)))
        window.resize(1200, 900)
        window.show()
        sharp = SharpPages(window)
        window.open_file(path)
        wait_until(lambda: window.document is not None, 120)
        view, bar = window.view, window.view.verticalScrollBar()
        start = {"ui": memory_mb(os.getpid()), "worker": memory_mb(window.client.pid)}
        peak: dict[str, Any] = {"total": 0.0}
        sharp.reset()
        bar.setValue(0)
        view.viewport().update()
        while True:
            wait_until(lambda: visible_sharp(window, sharp), 5)
            ui, worker = memory_mb(os.getpid()), memory_mb(window.client.pid)
            if ui["Rss"] + worker["Rss"] > peak["total"]:
                peak = {
                    "total": ui["Rss"] + worker["Rss"],
                    "ui": ui,
                    "worker": worker,
                    "tiles": view.cache.size / 2**20,
                    "thumbnails": window.thumbnails.model.cache.size / 2**20,
                }
            if bar.value() >= bar.maximum():
                break
            sharp.reset()
            bar.setValue(bar.value() + view.viewport().height())
        budget = view.cache.budget / 2**20
        window.close()
    app.processEvents()
    return {"budget": budget, "start": start, "peak": peak, "pymupdf_in_ui": loaded()}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))), flush=True)
