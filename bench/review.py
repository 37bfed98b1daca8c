"""Reviewer figures: layer switches with 1,000 annotations (cold: a layer never shown, the
engine's caches emptied; warm: back and forth between two layers shown and looked at before,
and between two shown at once), comparing two 5,000-annotation layers (cold and warm),
exporting 30 layers from the window against the same export run directly in this process
(its floor); the longest UI-thread stall of each.

Runs the real window offscreen; every figure a median over several runs (bench/figures.py).
Prints a table and writes ``bench/results/review.json``; ``make bench``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from figures import RUNS, Report  # bench/, on the path when run as a script
from PySide6.QtCore import QEvent, QObject, QRectF, QSettings
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication
from viewer_kit import Heartbeat, annotations, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reviewer_app.engine import LayerEngine
from reviewer_app.pdf.export_folder import export_layers
from reviewer_app.ui.annotations import page_annotations
from reviewer_app.ui.annotations.marks import batched, paint_marks
from reviewer_app.ui.annotations.page_annotations import parts
from reviewer_app.ui.annotations.shapes import mark_of
from reviewer_app.ui.annotations.sorting import sort_out
from reviewer_app.ui.core import turns
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.export.dialog import PdfExport
from reviewer_app.ui.export.run import ExportRequest
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.viewer import item_rasters
from tests.ui.conftest import make_pdf

EXPORTED = 30


def shapes(prefix: str, count: int, colour: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{prefix}{i}",
            "v": 2,
            "type": "pspdfkit/shape/rectangle",
            "pageIndex": i % 12,
            "bbox": [20 + (i * 7) % 360, 20 + (i * 13) % 540, 20, 12],
            "strokeColor": colour,
            "strokeWidth": 1,
            "creatorName": prefix,
        }
        for i in range(count)
    ]


def forget(engine: LayerEngine, doc: str) -> None:
    engine.base_layers.forget(doc)
    engine.layer_reads.forget(doc)


class PaintClock(QObject):
    """The view's paints: when each began, whether marks were still being made then (a page
    whose marks are made a slice per turn paints none of them until all are made), and when
    it ended (the filter runs the paint itself, so as to know when it ended)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.view, self._inside = window.view, False
        self.paints: list[tuple[float, bool, float]] = []  # (began, making, ended)
        self.view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or self._inside:
            return False
        began, making = time.perf_counter(), page_annotations.making()
        self._inside = True
        try:
            self.view.viewportEvent(event)
        finally:
            self._inside = False
        self.paints.append((began, making, time.perf_counter()))
        return True

    def marks_painted(self, since: float) -> float | None:
        """When the first paint begun after ``since`` with every mark made ended, if one did."""
        return next((e for b, m, e in self.paints if b >= since and not m), None)


_clocks: dict[int, PaintClock] = {}


def clock_of(window: MainWindow) -> PaintClock:
    """The window's paint clock (one per window: a filter that runs the paint itself)."""
    if id(window) not in _clocks:
        _clocks[id(window)] = PaintClock(window)
    return _clocks[id(window)]


def switch(window: MainWindow, name: str) -> float:
    """Show layer ``name``: milliseconds until a paint with its marks ended (a big layer the
    engine has not read parsed is read on a task meanwhile, and marks not made before are
    made a slice per turn, the event loop running, and painted once all are made)."""
    started = time.perf_counter()
    window.set_layer(name)
    wait_until(lambda: not window.reading.pending(), 30)
    shown = time.perf_counter()
    window.view.viewport().repaint()  # (what the window paints at its next turn)
    clock = clock_of(window)
    wait_until(lambda: clock.marks_painted(shown) is not None, 30)
    ended = clock.marks_painted(shown)
    assert ended is not None, f"the marks of {name} were never painted"
    return (ended - started) * 1000


def looked_at(window: MainWindow) -> None:
    """Leave the layer shown until the window has settled, as a reviewer who reads it does
    (0.15 s or more: its marks kept as pixels, its lists filled)."""
    wait_until(lambda: not (turns.busy() or item_rasters.pending() or window.reading.pending()))


def switch_floor(window: MainWindow, engine: LayerEngine, doc: str, name: str) -> float:
    """The cold switch's own work done straight, no window around it (its floor): the
    layer read with the engine's caches emptied, its records sorted by page, every mark
    made (none cached), batched as the page item batches them, and painted into an image
    of the view's size at the view's scale."""
    forget(engine, doc)
    viewport = window.view.viewport()
    image = QImage(viewport.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    started = time.perf_counter()
    records = engine.records(doc, name)
    sorting = sort_out(records, {}, frozenset(), len(window.view.pages))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setTransform(window.view.viewportTransform())
    for page, shown in sorting.by_page.items():
        made = [m for m in map(mark_of, shown) if m is not None]
        plan = [b for part in parts(made) for b in batched(part)]
        painter.save()
        painter.setTransform(window.view.pages[page].space.sceneTransform(), combine=True)
        paint_marks(painter, plan, QRectF(image.rect()))
        painter.restore()
    painter.end()
    return (time.perf_counter() - started) * 1000


def layer_switches(report: Report, window: MainWindow, engine: LayerEngine, doc: str) -> None:
    """Cold: a layer of 1,000 annotations never shown (its marks never drawn, their records
    new), the engine's caches emptied, shown at once. Warm: two shown layers in turn."""
    window.view.go_to_page(0)
    cold, stalls, floor = [], [], []
    for run in range(RUNS):
        name = f"cold {run}"
        engine.create_records(doc, name, "annotation", list(annotations(1000, 7 + run * 11)))
        window.review.refresh_layers()  # listed, as a sync or an import lists a new layer
        forget(engine, doc)
        wait_until(lambda: False, 0.1)  # what the refresh left for the next turns
        with Heartbeat() as beat:
            cold.append(switch(window, name))
            wait_until(lambda: False, 0.25)  # and what the display leaves for the next turns
        stalls.append(beat.longest_ms)
        floor.append(switch_floor(window, engine, doc, name))
    report.add("layer_switch_1000.cold", cold, note="a layer never shown; caches emptied")
    report.add(
        "layer_switch_1000.cold.floor",
        floor,
        note="its read, sort, marks, batches and paint done straight, no window",
    )
    report.ratio(
        "layer_switch_1000.cold_vs_floor",
        "layer_switch_1000.cold",
        "layer_switch_1000.cold.floor",
        "the same layer read cold, its marks made, batched and painted at the view's scale",
    )
    report.add(
        "layer_switch_1000.cold_longest_stall",
        stalls,
        note="the UI thread from the switch to 250 ms after (the list of annotations filled)",
    )
    report.goal("layer_switch_1000.cold_longest_stall", 16, "the UI thread at a first display")
    for name in ("one", "two", "three", "four"):
        engine.create_records(doc, name, "annotation", list(annotations(1000, 200 + len(name))))
    for name in ("three", "four"):
        switch(window, name)
    # switched back at once (each shown less than a raster's quiet time): painted mark by mark
    unkept = [switch(window, name) for name in ["three", "four"] * RUNS]
    report.add(
        "layer_switch_1000.warm_at_once",
        unkept,
        note="back and forth at once, no layer shown long enough to be kept as pixels",
    )
    for name in ("one", "two"):
        switch(window, name)
        looked_at(window)
    warm = []
    for name in ["one", "two"] * RUNS:
        warm.append(switch(window, name))
        looked_at(window)
    report.add(
        "layer_switch_1000.warm",
        warm,
        note="between two layers shown before, each looked at (the window settled) in between",
    )
    report.goal("layer_switch_1000.cold", 50, "a layer's first display, 1,000 annotations")
    report.goal("layer_switch_1000.warm", 16, "switching back, 1,000 annotations")


def compares(report: Report, window: MainWindow, engine: LayerEngine, doc: str) -> None:
    """Compare two 5,000-annotation layers (1,667 changed, 714 deleted, 500 added): from the
    command to the differences listed and drawn; the longest UI-thread stall meanwhile."""
    engine.create_records(doc, "big-a", "annotation", shapes("c", 5000, "#ff0000"))
    engine.fork_layer(doc, "big-a", "big-b")
    edited = [dict(s, strokeColor="#00aa00") for s in shapes("c", 5000, "#ff0000")[::3]]
    engine.update_records(doc, "big-b", "annotation", edited)
    engine.delete_records(doc, "big-b", [("annotation", f"c{i}") for i in range(1, 5000, 7)])
    engine.create_records(doc, "big-b", "annotation", shapes("d", 500, "#0000ff"))
    comparing = window.review.comparing
    timings: dict[str, list[float]] = {"cold": [], "warm": []}
    stalls: list[float] = []
    for _ in range(RUNS):
        for kind in ("cold", "warm"):
            switch(window, "one")  # shown, and left to settle: its display is not Compare's
            looked_at(window)
            if kind == "cold":
                forget(engine, doc)
            with Heartbeat() as beat:
                started = time.perf_counter()
                comparing.compare("big-a", "big-b")  # on a task: shown when it comes
                wait_until(lambda: comparing.comparison is not None, 60)
                wait_until(lambda: not comparing.dock.filling(), 60)
                wait_until(lambda: not comparing.overlay.drawing(), 60)
                comparison = comparing.comparison
                window.view.viewport().repaint()
                timings[kind].append((time.perf_counter() - started) * 1000)
            stalls.append(beat.longest_ms)
            window.review.comparing.close()
    report.add("compare_5000.cold", timings["cold"], note="caches emptied")
    report.add("compare_5000.warm", timings["warm"])
    report.add("compare_5000.longest_stall", stalls)
    report.facts["compare_differences"] = len(comparison.differences) if comparison else 0
    report.goal("compare_5000.longest_stall", 16, "the UI thread while comparing")


def exports(report: Report, window: MainWindow, engine: LayerEngine, doc: str, tmp: Path) -> None:
    """30 layers exported from the window (its child process) against export_layers run in
    this process on the same layers (the floor: the same work without the app around it)."""
    for n in range(EXPORTED):
        engine.create_records(doc, f"student {n:02}", "annotation", shapes(f"s{n}-", 20, "#cc0000"))
    window.review.refresh_layers()
    names = tuple(f"student {n:02}" for n in range(EXPORTED))
    times, stalls, floor = [], [], []
    for run in range(RUNS):
        request = ExportRequest(engine.data_dir, doc, names, tmp / f"out {run}")
        export = PdfExport(window, request)
        ended: list[str] = []
        export.ended.connect(ended.append)
        with Heartbeat() as beat:
            started = time.perf_counter()
            export.start()
            wait_until(lambda e=ended: bool(e), 300)
            times.append((time.perf_counter() - started) * 1000)
        stalls.append(beat.longest_ms)
        assert len(export.paths) == EXPORTED, export.paths
        started = time.perf_counter()
        source = engine.pdf_path(doc).read_bytes()
        layers = {n: engine.layer_export(doc, n) for n in names}
        export_layers(source, layers, tmp / f"floor {run}")
        floor.append((time.perf_counter() - started) * 1000)
    report.add("export_30_layers", times, note="from the window: a child process")
    report.add("export_30_layers.floor", floor, note="export_layers in this process")
    report.add("export_30_layers.longest_stall", stalls)
    report.ratio(
        "export_30_layers_vs_floor",
        "export_30_layers",
        "export_30_layers.floor",
        "the same layers through export_layers, no app",
    )
    report.goal("export_30_layers.longest_stall", 16, "the UI thread while exporting")


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    report = Report("review")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        settings = ViewerSettings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
        engine = LayerEngine(tmp / "data")
        window = MainWindow(engine, settings)
        window.resize(1200, 900)
        window.show()
        window.open_file(make_pdf(tmp / "doc.pdf"))
        wait_until(lambda: window.document is not None, 60)
        assert window.document is not None
        doc = window.document.id
        try:
            layer_switches(report, window, engine, doc)
            compares(report, window, engine, doc)
            exports(report, window, engine, doc, tmp)
        finally:
            window.close()
            engine.close()
            app.processEvents()
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
