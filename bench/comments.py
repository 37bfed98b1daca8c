"""Comment figures: a layer of 2,000 threads of 5 comments each (10,000 comments) opens its
Comments pane (read, grouped, listed, drawn) — budget 100 ms; and its PDF export stays
within 1.3x of the same layer's export without comments plus the replies' own PyMuPDF
annotation cost (10,000 ``add_text_annot`` on the same PDF).

Runs the real window offscreen, prints the figures (medians), writes
``bench/results/comments.json``.
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
from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from reviewer_app.engine import LayerEngine
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import make_pdf

RESULTS = Path(__file__).with_name("results")
THREADS, REPLIES, PAGES = 2000, 5, 12


def highlights() -> list[dict[str, Any]]:
    return [
        {
            "id": f"h{i}",
            "v": 2,
            "type": "pspdfkit/markup/highlight",
            "pageIndex": i % PAGES,
            "bbox": [20 + (i * 7) % 300, 20 + (i * 13) % 500, 60, 12],
            "rects": [[20 + (i * 7) % 300, 20 + (i * 13) % 500, 60, 12]],
            "color": "#fcee7c",
            "creatorName": "Teacher",
        }
        for i in range(THREADS)
    ]


def comments() -> list[dict[str, Any]]:
    return [
        {
            "v": 2,
            "type": "pspdfkit/comment",
            "rootId": f"h{i}",
            "pageIndex": i % PAGES,
            "text": {"format": "plain", "value": f"Reply {n} to highlight {i}: a sentence."},
            "creatorName": "Student" if n % 2 else "Teacher",
            "createdAt": f"2024-05-{1 + n:02d}T10:{i % 60:02d}:00Z",
        }
        for i in range(THREADS)
        for n in range(REPLIES)
    ]


def spin(app: QApplication, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not condition() and time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def timed(run: Callable[[], object], times: int) -> float:
    """The median seconds of ``times`` runs."""
    took = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        took.append(time.perf_counter() - start)
    return statistics.median(took)


def reply_annotation_cost(source: bytes) -> float:
    """What PyMuPDF takes to add the replies as text annotations (its own API, no more)."""
    doc = pymupdf.open("pdf", source)
    try:
        start = time.perf_counter()
        for i in range(THREADS * REPLIES):
            page = doc[i % PAGES]
            annot = page.add_text_annot((30 + i % 300, 30 + i % 500), f"Reply {i}")
            annot.set_info(title="Student")
        return time.perf_counter() - start
    finally:
        doc.close()


def main() -> dict[str, Any]:
    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    engine = LayerEngine(tmp / "data")
    window = MainWindow(engine, ViewerSettings())
    window.show()
    window.open_file(make_pdf(tmp / "doc.pdf", pages=PAGES))
    spin(app, lambda: window.document is not None)
    assert window.document is not None
    doc = window.document.id
    engine.create_records(doc, "plain", "annotation", highlights())
    engine.fork_layer(doc, "plain", "threads")
    engine.create_records(doc, "threads", "comment", comments())
    window.comments.show()
    window.comments.raise_()
    app.processEvents()

    def open_pane() -> None:
        engine.layer_reads.forget(doc)  # read and parse the layer again each time
        window.comments.show_layer(engine.records(doc, "threads"))
        window.comments.tree.viewport().repaint()

    pane_s = timed(open_pane, 7)
    listed = window.comments.model.rowCount()
    source = engine.pdf_path(doc).read_bytes()
    plain = engine.layer_export(doc, "plain")
    threads = engine.layer_export(doc, "threads")
    plain_s = timed(lambda: export_layer_pdf(source, plain), 3)
    threads_s = timed(lambda: export_layer_pdf(source, threads), 3)
    replies_s = statistics.median(reply_annotation_cost(source) for _ in range(3))
    budget_s = 1.3 * plain_s + replies_s
    figures = {
        "threads": THREADS,
        "comments": THREADS * REPLIES,
        "pane_open_ms_median": pane_s * 1000,
        "pane_open_budget_ms": 100,
        "pane_groups_listed": listed,
        "export_without_replies_s_median": plain_s,
        "export_with_replies_s_median": threads_s,
        "replies_pymupdf_annotation_cost_s_median": replies_s,
        "export_budget_s": budget_s,
        "export_within_budget": threads_s <= budget_s,
    }
    window.close()
    engine.close()
    return figures


if __name__ == "__main__":
    results = main()
    for name, value in results.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{name:45} {shown}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "comments.json").write_text(json.dumps(results, indent=2) + "\n")
