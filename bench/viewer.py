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
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from viewer_kit import (  # bench/, on the path when run as a script
    SharpPages,
    annotations,
    heavy_pdf,
    rss_mb,
    text_pdf,
    visible_sharp,
    wait_until,
)

from reviewer_app.engine import LayerEngine
from reviewer_app.resources import sample_document
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow

RESULTS = Path(__file__).with_name("results")
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


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
    sharp.reset()  # before each scroll: a page may be painted within it
    bar.setValue(0)
    view.viewport().update()
    while True:
        wait_until(lambda: visible_sharp(window, sharp), 5)
        peak = max(peak, rss_mb(os.getpid()) + rss_mb(window.client.pid))
        if bar.value() >= bar.maximum():
            break
        sharp.reset()
        bar.setValue(bar.value() + view.viewport().height())
    return {
        "pages": view.page_count(),
        "peak_rss_mb_ui_plus_worker": round(peak, 1),
        "cache_budget_mb": view.cache.budget // 2**20,
        "cache_mb_at_end": round(view.cache.size / 2**20, 1),
    }


SCROLL_PX, FRAME_MS, SCROLL_PAGES = 60, 16, 24  # 3,750 px/s: a brisk reading scroll


def scroll_to_sharp(window: MainWindow, sharp: SharpPages, path: Path) -> dict[str, Any]:
    """Scroll down step by step (SCROLL_PX each FRAME_MS) through SCROLL_PAGES pages; for each
    page entering the viewport, the time from the step that brought it in to its first sharp
    paint (0 when its visible tiles were already cached), against PyMuPDF rendering it alone."""
    view, bar = window.view, window.view.verticalScrollBar()
    view.go_to_page(200)
    wait_until(lambda: visible_sharp(window, sharp), 10)
    wait_until(lambda: False, 0.3)
    start = view.visible_range()[1]
    entered: dict[int, float] = {}
    cached: set[int] = set()
    sharp.reset()
    blurry = view.unsharp_paints

    def step() -> None:
        before = time.perf_counter()
        bar.setValue(bar.value() + SCROLL_PX)
        scale, area = view.render_scale(), view.visible_area()
        first, last = view.visible_range()
        for page in range(max(first, start + 1), last + 1):
            if page not in entered:
                entered[page] = before
                if not view._missing(page, scale, area):
                    cached.add(page)

    clock = QTimer(interval=FRAME_MS)
    clock.timeout.connect(step)
    clock.start()
    end = start + SCROLL_PAGES
    wait_until(lambda: end in entered, 120)
    clock.stop()
    wait_until(lambda: all(p in sharp.at for p in entered), 5)
    doc, scale = pymupdf.open(path), view.render_scale()
    latency, measured, ratios, alone = [], [], [], []
    for page, at in sorted(entered.items()):
        started = time.perf_counter()
        doc[page].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False, annots=False)
        alone.append(time.perf_counter() - started)
        measured.append(sharp.at.get(page, time.perf_counter()) - at)
        latency.append(0.0 if page in cached else measured[-1])
        ratios.append(latency[-1] / alone[-1])
    return {
        "scroll_px_per_s": round(SCROLL_PX * 1000 / FRAME_MS),
        "pages_entered": len(entered),
        "already_sharp_at_entry": len(cached),
        "median_ms": round(statistics.median(latency) * 1000, 1),
        "worst_ms": round(max(latency) * 1000, 1),
        "entry_to_sharp_paint_median_ms": round(statistics.median(measured) * 1000, 1),
        "pymupdf_alone_median_ms": round(statistics.median(alone) * 1000, 1),
        "median_ratio": round(statistics.median(ratios), 2),
        "blurry_paints": view.unsharp_paints - blurry,
    }


def time_to_sharp(window: MainWindow, sharp: SharpPages, path: Path) -> dict[str, Any]:
    """Cold: jump to a far page (nothing cached) and time it to its sharp image; render the same
    page at the same scale with PyMuPDF alone. Both start with the worker idle (its renders
    ahead done)."""
    return cold_jumps(window, sharp, path, list(range(100, 1000, 45)))


def cold_jumps(
    window: MainWindow, sharp: SharpPages, path: Path, pages: list[int], forget: bool = False
) -> dict[str, Any]:
    """Jump to each of ``pages`` with nothing of it rendered (``forget``: the tiles cached so
    far are dropped first) and time it to its sharp image, against PyMuPDF rendering the same
    page at the same scale alone. Both start with the worker idle (its renders ahead done)."""
    view = window.view
    doc = pymupdf.open(path)
    viewer, alone, here = [], [], 0
    for page in pages:
        if forget:
            view.cache.clear()
        wait_until(lambda: False, 0.3)
        sharp.reset()
        started = time.perf_counter()
        view.go_to_page(page)
        here += view.cache.patch(page) is not None
        wait_until(lambda p=page: p in sharp.at, 10)
        viewer.append(sharp.at[page] - started)
        wait_until(lambda: False, 0.3)
        scale = view.render_scale()
        started = time.perf_counter()
        doc[page].get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False, annots=False)
        alone.append(time.perf_counter() - started)
    viewer_ms, alone_ms = statistics.median(viewer) * 1000, statistics.median(alone) * 1000
    return {
        "jumps": len(pages),
        "drawn_in_the_window_process": here,
        "viewer_median_ms": round(viewer_ms, 1),
        "pymupdf_alone_median_ms": round(alone_ms, 1),
        "ratio": round(viewer_ms / alone_ms, 2),
        "render_scale": view.render_scale(),
    }


def jumps_in_real_documents(window: MainWindow, sharp: SharpPages) -> dict[str, Any]:
    """Cold jumps through the sample worksheet and the corpus's longest real document."""
    figures: dict[str, Any] = {}
    for path in (sample_document(), CORPUS / "GeoBase_NHNC1_Data_Model_UML_EN.pdf"):
        if not path.is_file():
            continue
        window.open_file(path)
        wait_until(lambda: window.document is not None, 60)
        wait_until(lambda: False, 0.5)
        count = window.view.page_count()
        pages = [(i * 7) % count for i in range(1, 2 * count + 1)]
        figures[path.name] = cold_jumps(window, sharp, path, pages, forget=True)
    return figures


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


FIRST_SHOWS = 6  # layers of 1,000 annotations each, shown for the first time in turn


def layer_switch(window: MainWindow, engine: LayerEngine) -> dict[str, Any]:
    """Switch between layers of 1,000 annotations on the page shown, timed from the switch to
    the viewport repainted: first each layer's first show (its drawings built), then back and
    forth between two of them (drawings reused)."""
    assert window.document is not None
    doc_id = window.document.id
    sharp = SharpPages(window)
    window.view.go_to_page(0)
    names = [f"layer{i}" for i in range(FIRST_SHOWS)]
    for i, name in enumerate(names):
        engine.create_records(doc_id, name, "annotation", list(annotations(1000, i * 3)))
    wait_until(lambda: visible_sharp(window, sharp), 10)
    wait_until(lambda: False, 0.3)  # the renders ahead done: the switches alone are timed
    timings = []
    for name in [*names, *names[:2] * 4]:
        started = time.perf_counter()
        window.set_layer(name)
        window.view.viewport().repaint()
        timings.append(time.perf_counter() - started)
    cold, warm = timings[:FIRST_SHOWS], timings[FIRST_SHOWS:]
    idle = first_shows_after_idle(window, engine, doc_id)
    return {
        "annotations_on_screen": window.overlay.record_count(0),
        "median_ms": round(statistics.median(warm) * 1000, 1),
        "worst_ms": round(max(warm) * 1000, 1),
        "first_show_median_ms": round(statistics.median(cold) * 1000, 1),
        "first_show_worst_ms": round(max(cold) * 1000, 1),
        "first_show_of_each_layer_ms": [round(t * 1000, 1) for t in cold],
        "first_show_after_idle_median_ms": round(statistics.median(idle) * 1000, 1),
        "first_show_after_idle_worst_ms": round(max(idle) * 1000, 1),
    }


def first_shows_after_idle(window: MainWindow, engine: LayerEngine, doc_id: str) -> list[float]:
    """First displays of new 1,000-annotation layers after the user paused a second on
    another one (the app draws the other layers ahead while idle)."""
    names = [f"later{i}" for i in range(4)]
    for i, name in enumerate(names):
        engine.create_records(doc_id, name, "annotation", list(annotations(1000, 40 + i * 3)))
    window.review.refresh_layers()
    timings = []
    for name in names:
        window.set_layer("layer0")
        wait_until(lambda: not window.warmer.busy(), 10)
        wait_until(lambda: False, 0.2)
        started = time.perf_counter()
        window.set_layer(name)
        window.view.viewport().repaint()
        timings.append(time.perf_counter() - started)
    return timings


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
            figures["scroll_time_to_sharp_page"] = scroll_to_sharp(window, sharp, big)
            report(figures, "scroll_time_to_sharp_page")
            figures["jump_to_far_page_cold"] = time_to_sharp(window, sharp, big)
            report(figures, "jump_to_far_page_cold")
            figures["jump_cold_real_documents"] = jumps_in_real_documents(window, sharp)
            report(figures, "jump_cold_real_documents")
            window.open_file(big)
            wait_until(lambda: window.document is not None, 120)
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
