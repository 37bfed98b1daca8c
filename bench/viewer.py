"""Viewer figures: time to page 1, UI-thread stalls, memory, time to a sharp page, layer switches.

Runs the real window offscreen (``QT_QPA_PLATFORM=offscreen``), prints the figures and writes
``bench/results/viewer.json``. Run with ``make bench``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from reviewer_app.engine import LayerEngine
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.settings import ViewerSettings

RESULTS = Path(__file__).with_name("results")
LOREM = "The water cycle describes how water evaporates, condenses and falls again as rain. " * 2


def text_pdf(path: Path, pages: int) -> Path:
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page()
        page.insert_text((72, 60), f"Page {index + 1}", fontsize=18)
        for line in range(40):
            page.insert_text((72, 90 + line * 17), LOREM[line % 7 :][:90], fontsize=10)
    doc.save(path, garbage=1, deflate=True)
    return path


def heavy_pdf(path: Path, pages: int) -> Path:
    """Pages of many vector curves and text: a render of tens of milliseconds each."""
    doc = pymupdf.open()
    for index in range(pages):
        page = doc.new_page()
        shape = page.new_shape()
        for i in range(1500):
            x, y = 30 + (i * 37) % 540, 40 + (i * 53) % 740
            shape.draw_bezier((x, y), (x + 40, y - 30), (x - 20, y + 50), (x + 30, y + 20))
        shape.finish(color=(0.1, 0.2, 0.6), width=0.6)
        shape.commit()
        page.insert_text((72, 60), f"Heavy page {index + 1}", fontsize=18)
    doc.save(path, garbage=1, deflate=True)
    return path


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Run the event loop until ``condition()`` holds (polled every millisecond)."""
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    timer = QTimer(interval=1)

    def check() -> None:
        if condition() or time.perf_counter() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    if not condition():
        loop.exec()
    timer.stop()
    return condition()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class SharpPages:
    """When each page was first painted sharp since the last reset."""

    def __init__(self, window: MainWindow) -> None:
        self.at: dict[int, float] = {}
        window.view.page_sharp.connect(self.painted)

    def painted(self, page: int) -> None:
        if page not in self.at:
            self.at[page] = time.perf_counter()

    def reset(self) -> None:
        self.at.clear()


def visible_sharp(window: MainWindow, sharp: SharpPages) -> bool:
    first, last = window.view.visible_range()
    return all(p in sharp.at for p in range(first, last + 1))


def open_big(window: MainWindow, sharp: SharpPages, path: Path) -> dict[str, Any]:
    sharp.reset()
    started = time.perf_counter()
    window.open_file(path)
    wait_until(lambda: 0 in sharp.at)
    shown = sharp.at[0] - started
    wait_until(lambda: False, 0.5)  # let any stray render arrive
    wait_until(lambda: window.document is not None, 120)
    return {
        "first_page_ms": round(shown * 1000, 1),
        "pages_rendered": len(window.view.rendered_pages),
    }


def scroll_memory(window: MainWindow, sharp: SharpPages) -> dict[str, Any]:
    view, bar = window.view, window.view.verticalScrollBar()
    peak = 0.0
    bar.setValue(0)
    while True:
        sharp.reset()
        wait_until(lambda: visible_sharp(window, sharp), 5)
        peak = max(peak, rss_mb(os.getpid()) + rss_mb(window.client.pid))
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + view.viewport().height())
    return {
        "pages": view.page_count(),
        "peak_rss_mb_ui_plus_worker": round(peak, 1),
        "cache_budget_mb": view.cache.budget // 2**20,
        "cache_mb_at_end": round(view.cache.size / 2**20, 1),
    }


def time_to_sharp(window: MainWindow, sharp: SharpPages, path: Path) -> dict[str, Any]:
    """Jump to a page and time it to its sharp image; render the same page at the same scale
    with PyMuPDF alone. Both start with the worker idle (its neighbour renders done)."""
    view = window.view
    doc = pymupdf.open(path)
    viewer, alone = [], []
    for page in range(100, 1000, 45):
        wait_until(lambda: False, 0.05)
        sharp.reset()
        started = time.perf_counter()
        view.go_to_page(page)
        wait_until(lambda p=page: p in sharp.at, 10)
        viewer.append(sharp.at[page] - started)
        wait_until(lambda: False, 0.05)
        scale = view.render_scale()
        started = time.perf_counter()
        doc[page].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False, annots=False)
        alone.append(time.perf_counter() - started)
    viewer_ms, alone_ms = statistics.median(viewer) * 1000, statistics.median(alone) * 1000
    return {
        "viewer_median_ms": round(viewer_ms, 1),
        "pymupdf_alone_median_ms": round(alone_ms, 1),
        "ratio": round(viewer_ms / alone_ms, 2),
        "render_scale": view.render_scale(),
    }


def scroll_stalls(window: MainWindow, sharp: SharpPages, path: Path) -> dict[str, Any]:
    window.open_file(path)
    wait_until(lambda: window.document is not None, 120)
    window.view.set_zoom(2.0)
    view, bar = window.view, window.view.verticalScrollBar()
    bar.setValue(0)
    wait_until(lambda: visible_sharp(window, sharp), 10)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    clock = QTimer(interval=1)
    clock.timeout.connect(tick)
    step = QTimer(interval=16)
    step.timeout.connect(lambda: bar.setValue(bar.value() + 240))
    clock.start()
    step.start()
    wait_until(lambda: bar.value() >= bar.maximum(), 120)
    step.stop()
    clock.stop()
    gaps.sort()
    return {
        "zoom": view.zoom,
        "pages": view.page_count(),
        "longest_stall_ms": round(gaps[-1] * 1000, 1),
        "p99_gap_ms": round(gaps[int(len(gaps) * 0.99)] * 1000, 1),
        "pages_rendered": len(view.rendered_pages),
    }


def layer_switch(window: MainWindow, engine: LayerEngine) -> dict[str, Any]:
    assert window.document is not None
    doc_id = window.document.id
    window.view.go_to_page(0)
    for name, offset in (("one", 0), ("two", 3)):
        engine.create_records(doc_id, name, "annotation", list(annotations(1000, offset)))
    timings = []
    for name in ("one", "two", "one", "two", "one", "two"):
        started = time.perf_counter()
        window.set_layer(name)
        window.view.viewport().repaint()
        timings.append(time.perf_counter() - started)
    return {
        "annotations_on_screen": window.overlay.record_count(0),
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "worst_ms": round(max(timings) * 1000, 1),
    }


def annotations(count: int, offset: int) -> Any:
    kinds = ["rectangle", "ellipse", "line", "highlight", "ink", "note"]
    for i in range(count):
        x, y = 20 + (i * 13 + offset) % 540, 20 + (i * 29) % 780
        content: dict[str, Any] = {"v": 2, "pageIndex": 0, "bbox": [x, y, 30, 14]}
        kind = kinds[i % len(kinds)]
        content["type"] = {
            "highlight": "pspdfkit/markup/highlight",
            "ink": "pspdfkit/ink",
            "note": "pspdfkit/note",
        }.get(kind, f"pspdfkit/shape/{kind}")
        content |= {"strokeColor": "#d03030", "strokeWidth": 1, "color": "#ffee00"}
        content |= {"startPoint": [x, y], "endPoint": [x + 30, y + 14], "rects": [[x, y, 30, 14]]}
        content["lines"] = {"points": [[[x, y], [x + 10, y + 10], [x + 30, y]]], "intensities": []}
        content["lineWidth"] = 1
        content |= {"text": {"format": "plain", "value": f"n{i}"}, "icon": "comment"}
        yield content


def report(figures: dict[str, Any], name: str) -> None:
    print(f"{name}: {figures[name]}", flush=True)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder, LayerEngine(Path(folder) / "data") as engine:
        tmp = Path(folder)
        big, heavy = text_pdf(tmp / "big.pdf", 1000), heavy_pdf(tmp / "heavy.pdf", 100)
        settings = ViewerSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(engine, settings)
        window.resize(1200, 900)
        window.show()
        sharp = SharpPages(window)
        figures: dict[str, Any] = {"platform": app.platformName()}
        try:
            figures["open_1000_pages"] = open_big(window, sharp, big)
            report(figures, "open_1000_pages")
            figures["time_to_sharp_page"] = time_to_sharp(window, sharp, big)
            report(figures, "time_to_sharp_page")
            figures["layer_switch_1000_annotations"] = layer_switch(window, engine)
            report(figures, "layer_switch_1000_annotations")
            window.set_layer("")
            figures["scroll_1000_pages_memory"] = scroll_memory(window, sharp)
            report(figures, "scroll_1000_pages_memory")
            figures["scroll_heavy_200_percent"] = scroll_stalls(window, sharp, heavy)
            report(figures, "scroll_heavy_200_percent")
        finally:
            window.close()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "viewer.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {RESULTS / 'viewer.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
