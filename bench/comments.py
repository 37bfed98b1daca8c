"""Comment figures: a layer of 2,000 threads of 5 comments each (10,000 comments) opens its
Comments pane (grouped, listed, drawn) — budget 100 ms; and its PDF export stays within 1.3x
of the same layer's export without comments plus the replies' own PyMuPDF annotation cost.

The pane is timed warm (the layer's records in hand, as the window passes the records it
read for the pages) and cold (the layer read and parsed again from SQLite first), with that
read alone as the floor. The replies' own cost is measured two ways on the same PDF: the
least PyMuPDF does for them (one new /Text object per reply, each page's /Annots set once,
the save less a save of the untouched PDF) and PyMuPDF's page API (``add_text_annot`` +
``set_info`` per reply), which grows with the annotations already on a page and takes
about two minutes here, so it is run once.

Runs the real window offscreen; prints its table (bench/figures.py: medians of 5 runs with
min and max, unless said) and writes ``bench/results/comments.json``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from figures import RUNS, Report  # bench/, on the path when run as a script

from reviewer_app.engine import LayerEngine
from reviewer_app.pdf.export import export_layer_pdf
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import make_pdf

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


def took(work: Callable[[], object]) -> float:
    """Milliseconds ``work`` takes once."""
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def reply_objects_cost(source: bytes) -> float:
    """The least PyMuPDF does to add the replies: a /Text object each, /Annots set once per
    page, saved as the export saves (less the save of the untouched PDF)."""
    doc = pymupdf.open("pdf", source)
    try:
        start = time.perf_counter()
        doc.tobytes(garbage=1)
        untouched = time.perf_counter() - start
        start = time.perf_counter()
        added: dict[int, list[int]] = defaultdict(list)
        for i in range(THREADS * REPLIES):
            xref = doc.get_new_xref()
            at = f"{30 + i % 300} {30 + i % 500} {50 + i % 300} {50 + i % 500}"
            keys = f"/Type /Annot /Subtype /Text /Rect [{at}] /Contents (Reply {i}) /T (Student)"
            doc.update_object(xref, f"<< {keys} /RT /R /F 28 >>")
            added[i % PAGES].append(xref)
        for page, xrefs in added.items():
            listed = " ".join(f"{x} 0 R" for x in xrefs)
            doc.xref_set_key(doc.page_xref(page), "Annots", f"[{listed}]")
        doc.tobytes(garbage=1)
        return time.perf_counter() - start - untouched
    finally:
        doc.close()


def reply_annotation_cost(source: bytes) -> float:
    """What PyMuPDF's page API takes to add the replies as text annotations."""
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


def main() -> Report:
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

    records = engine.records(doc, "threads")
    pane = window.comments

    def show() -> None:
        pane.show_layer(records)
        pane.tree.viewport().repaint()

    def read() -> None:
        engine.layer_reads.forget(doc)  # read and parse the layer again each time
        engine.records(doc, "threads")

    def read_and_show() -> None:
        engine.layer_reads.forget(doc)
        pane.show_layer(engine.records(doc, "threads"))
        pane.tree.viewport().repaint()

    report = Report("comments")
    report.facts.update(threads=THREADS, comments=THREADS * REPLIES, pages=PAGES)
    report.time("pane.open.warm", show, note="the records in hand, as the window passes them")
    report.time("layer.read", read, note="engine.records after forget: the cold floor")
    report.time("pane.open.cold", read_and_show, note="the layer read again, then listed")
    assert sum(len(t.comments) for t in pane.threads) == THREADS * REPLIES
    report.facts["pane.groups_listed"] = pane.model.rowCount()
    report.goal("pane.open.warm", 100, "a layer of 2,000 threads x 5 replies opens its pane")
    report.ratio("pane.open.cold / layer.read", "pane.open.cold", "layer.read", "the read alone")

    source = engine.pdf_path(doc).read_bytes()
    plain = engine.layer_export(doc, "plain")
    threads = engine.layer_export(doc, "threads")
    without_ms: list[float] = []
    with_ms: list[float] = []
    objects: list[float] = []
    for _ in range(RUNS):  # interleaved, so that the machine's load weighs on all three alike
        without_ms.append(took(lambda: export_layer_pdf(source, plain)))
        with_ms.append(took(lambda: export_layer_pdf(source, threads)))
        objects.append(reply_objects_cost(source) * 1000)
    report.add("export.without_replies", without_ms, note="runs interleaved with the next two")
    report.add("export.with_replies", with_ms)
    report.add("replies.pymupdf_objects", objects, note="a /Text object per reply, /Annots, save")
    api = reply_annotation_cost(source) * 1000  # once: see the docstring
    report.add("replies.pymupdf_add_text_annot", [api], note="PyMuPDF's page API, one run")
    without = report.value("export.without_replies")
    budget = 1.3 * without + report.value("replies.pymupdf_objects")
    with_replies = report.value("export.with_replies")
    report.facts["export.budget_ms (1.3 x without + objects)"] = round(budget, 1)
    report.facts["export.budget_ms with add_text_annot"] = round(1.3 * without + api, 1)
    report.ratios["export.with_replies / budget"] = {
        "figure": "export.with_replies",
        "floor": "1.3 x export.without_replies + replies.pymupdf_objects",
        "ratio": round(with_replies / budget, 3),
        "floor_does": "1.3 x the export without replies, plus PyMuPDF adding the replies",
    }
    report.goal("export.with_replies / budget", 1.0, "the issue's export budget")
    window.close()
    engine.close()
    return report


if __name__ == "__main__":
    main().save()
