"""Editing a PDF's own annotations in the window (issue 17): the viewer draws them from their
PDF appearance, and a change to one must cost what a change to one of the layer's own costs.

A PDF of 10 pages with 200 squares of its own on each (2,000 in all) is opened in the real
window, offscreen. Timed: moving one of the PDF's squares on page 0 (the editor writes it, the
overlay follows the change, the events it posted are processed), against the floor: moving
one of 2,000 squares of the layer's own on page 0 of a PDF without annotations, the same work
for records Qt draws itself. Medians over RUNS moves each, warm (the page shown, its marks and
images made).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/pdf_annotations.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pymupdf
from figures import Report  # bench/, on the path when run as a script
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from viewer_kit import wait_until

from reviewer_app.engine import LayerEngine
from reviewer_app.instant.records import Record
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.main_window import MainWindow

USER = "Bench"
PAGES, PER_PAGE = 10, 200
RUNS = 15


def box(i: int) -> tuple[float, float, float, float]:
    x, y = 20 + (i * 7) % 500, 20 + (i * 13) % 700
    return x, y, x + 20, y + 12


def squares_pdf(path: Path, own: bool) -> Path:
    """PAGES pages of PER_PAGE red squares each (``own``: the PDF's), or no annotations."""
    doc = pymupdf.open()
    for _ in range(PAGES):
        page = doc.new_page()
        page.insert_text((72, 72), "A page with squares", fontsize=14)
        for i in range(PER_PAGE if own else 0):
            annot = page.add_rect_annot(pymupdf.Rect(*box(i)))
            annot.set_colors(stroke=(1, 0, 0))
            annot.update()
    doc.save(path)
    return path


def layer_squares() -> list[dict[str, Any]]:
    return [
        {
            "v": 2,
            "type": "pspdfkit/shape/rectangle",
            "pageIndex": p,
            "bbox": [x0, y0, x1 - x0, y1 - y0],
            "strokeColor": "#ff0000",
            "strokeWidth": 1,
        }
        for p in range(PAGES)
        for x0, y0, x1, y1 in (box(i) for i in range(PER_PAGE))
    ]


def opened(window: MainWindow, path: Path, own: bool) -> list[Record]:
    """Open ``path`` in the window, the user's layer shown; page 0's squares."""
    window.open_file(path)
    wait_until(lambda: window.document is not None, 60)
    assert window.document is not None
    if not own:
        window.engine.create_records(window.document.id, USER, "annotation", layer_squares())
    window.set_layer(USER)
    window.view.go_to_page(0)
    records = [r for r in window.editor.records("annotation") if r.content["pageIndex"] == 0]
    item = None

    def ready() -> bool:
        nonlocal item
        item = window.overlay.page_item(0)
        wanted = {r.id for r in window.overlay.from_appearance.get(0, ())}
        return item is not None and all(
            item.from_pdf.get(i) is not None and item.from_pdf[i].image is not None for i in wanted
        )

    wait_until(ready, 60)
    return records


def moves(window: MainWindow, records: list[Record]) -> list[Any]:
    """RUNS moves of page 0's squares, each to the right by 3 points and back."""
    done = []
    for n in range(RUNS):
        record = records[n % len(records)]
        x, y, w, h = record.content["bbox"]
        shift = 3 if n % 2 == 0 else 0
        done.append({**record.content, "id": record.id, "bbox": [x + shift, y, w, h]})
    return done


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    report = Report("pdf_annotations")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for own, name in ((True, "move a PDF's own square"), (False, "move a layer's square")):
            with LayerEngine(tmp / f"data-{own}") as engine:
                ini = str(tmp / f"settings-{own}.ini")
                settings = ViewerSettings(QSettings(ini, QSettings.Format.IniFormat))
                settings.set_user_name(USER)
                window = MainWindow(engine, settings)
                window.resize(1200, 900)
                window.show()
                records = opened(window, squares_pdf(tmp / f"doc-{own}.pdf", own), own)
                queue = moves(window, records)

                def move(window: MainWindow = window, queue: list[Any] = queue) -> None:
                    window.editor.update([queue.pop(0)])
                    app.processEvents()

                move()  # warm: the first change made the caches of its path
                queue[:] = moves(window, records)
                report.time(name, move, runs=RUNS)
                report.facts[f"{name}: squares on page 0"] = len(records)
                window.close()
                window.deleteLater()
                app.processEvents()
    report.ratio(
        "PDF's own / layer's",
        "move a PDF's own square",
        "move a layer's square",
        "the same move of one of 2,000 squares the layer holds itself (drawn by Qt)",
    )
    report.goal("PDF's own / layer's", 2.0, "a PDF's annotation is edited as fast as one's own")
    report.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
