"""Reviewer figures: switching between two 1,000-annotation layers, comparing two 5,000-annotation
layers (diff and display), exporting 30 layers (UI stalls measured meanwhile).

Runs the real window offscreen, prints the figures, writes ``bench/results/review.json``.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reviewer_app.engine import LayerEngine
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.export.dialog import PdfExport
from reviewer_app.ui.export.run import ExportRequest
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import make_pdf

RESULTS = Path(__file__).with_name("results")


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


def spin(app: QApplication, condition: Any, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def main() -> dict[str, Any]:
    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    engine = LayerEngine(tmp / "data")
    window = MainWindow(engine, ViewerSettings())
    window.show()
    window.open_file(make_pdf(tmp / "doc.pdf"))
    spin(app, lambda: window.document is not None)
    assert window.document is not None
    doc = window.document.id
    engine.create_records(doc, "one", "annotation", shapes("a", 1000, "#ff0000"))
    engine.create_records(doc, "two", "annotation", shapes("b", 1000, "#0000ff"))
    engine.create_records(doc, "big-a", "annotation", shapes("c", 5000, "#ff0000"))
    engine.fork_layer(doc, "big-a", "big-b")
    edited = [dict(s, strokeColor="#00aa00") for s in shapes("c", 5000, "#ff0000")[::3]]
    engine.update_records(doc, "big-b", "annotation", edited)
    engine.delete_records(doc, "big-b", [("annotation", f"c{i}") for i in range(1, 5000, 7)])
    engine.create_records(doc, "big-b", "annotation", shapes("d", 500, "#0000ff"))
    for n in range(30 - 4):
        engine.create_records(doc, f"student {n:02}", "annotation", shapes(f"s{n}-", 20, "#c00000"))
    window.review.refresh_layers()
    app.processEvents()
    switches = []
    for name in ["one", "two"] * 10:
        start = time.perf_counter()
        window.set_layer(name)
        app.processEvents()
        switches.append(time.perf_counter() - start)
    start = time.perf_counter()
    comparison = window.review.compare("big-a", "big-b")
    app.processEvents()
    compare_s = time.perf_counter() - start
    names = [n for n in window.review.layers.names() if n != "*base"][:30]
    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    request = ExportRequest(engine.data_dir, doc, tuple(names), tmp / "out")
    export = PdfExport(window, request)
    ended: list[str] = []
    export.ended.connect(ended.append)
    start = time.perf_counter()
    export.start()
    spin(app, lambda: bool(ended), 300)
    export_s = time.perf_counter() - start
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    figures = {
        "layer_switch_1000_annotations_ms_median": statistics.median(switches) * 1000,
        "layer_switch_1000_annotations_ms_max": max(switches) * 1000,
        "compare_5000_annotations_ms": compare_s * 1000,
        "compare_differences": len(comparison.differences),
        "export_layers": len(names),
        "export_30_layers_s": export_s,
        "export_files_written": len(export.paths),
        "export_worst_ui_gap_ms": max(gaps, default=0.0) * 1000,
    }
    window.close()
    engine.close()
    return figures


if __name__ == "__main__":
    result = main()
    for key, value in result.items():
        print(f"{key:45} {value:10.1f}" if isinstance(value, float) else f"{key:45} {value:10}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "review.json").write_text(json.dumps(result, indent=2) + "\n")
