"""File > Print (Ctrl+P): the layer shown goes to the printer flattened, with its comments
summary. Offscreen there is no printer: Qt's own "print to file" stands in for one, through the
real print dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageRanges
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from pytestqt.qtbot import QtBot

from reviewer_app.ui.export.printing import LayerPrint, printed_pages
from reviewer_app.ui.export.run import ExportRun
from reviewer_app.ui.main_window import MainWindow
from tests.ui.conftest import open_and_wait, when_modal


@pytest.fixture(autouse=True)
def no_leftover_children() -> Iterator[None]:
    yield
    leftovers = list(ExportRun.live)
    for run in leftovers:
        run.wait()
    assert not leftovers, "a child process was left running"


def dana_with_a_note(window: MainWindow) -> None:
    doc = window.document
    assert doc is not None
    note = {
        "v": 2,
        "type": "pspdfkit/note",
        "pageIndex": 3,
        "bbox": [60, 200, 24, 24],
        "opacity": 1,
        "icon": "comment",
        "color": "#ffd54f",
        "creatorName": "Ms Okafor",
        "text": {"format": "plain", "value": "Check question 4 again"},
    }
    window.engine.create_records(doc.id, "dana", "annotation", [note])
    window.review.refresh_layers()
    window.set_layer("dana")


def ink(pdf: Path, page: int) -> int:
    """How many dark pixels a page of ``pdf`` shows (0: blank)."""
    with pymupdf.open(pdf) as doc:
        pixels = doc[page].get_pixmap(dpi=30, colorspace=pymupdf.csGRAY).samples
    return sum(1 for value in pixels if value < 128)


def test_ctrl_p_prints_the_flattened_layer_with_its_summary(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    dana_with_a_note(window)
    out = tmp_path / "printed.pdf"
    written: list[bytes] = []

    def print_to_file(dialog: QPrintDialog) -> None:
        job = window.review.printing
        assert job is not None and job.pdf is not None
        written.append(job.pdf.read_bytes())  # what goes to the printer, as a PDF
        dialog.accept()

    timer = when_modal(QPrintDialog, print_to_file)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    job = window.review.printing
    assert isinstance(job, LayerPrint)
    job.printer.setOutputFileName(str(out))  # the dialog offers it: "print to file"
    with qtbot.waitSignal(job.ended, timeout=120000):
        pass
    timer.stop()
    assert job.message == f"Printed dana: 13 pages to {out}"
    assert window.statusBar().currentMessage() == job.message
    with pymupdf.open(stream=written[0]) as pdf:
        assert pdf.page_count == 13 and not any(list(page.annots()) for page in pdf)
        summary = pdf[12].get_text()
    assert "Layer: dana" in summary and "Check question 4 again" in summary
    assert "Page 4" in summary and "Ms Okafor" in summary
    with pymupdf.open(out) as printed:
        assert printed.page_count == 13
    assert ink(out, 0) > 0 and ink(out, 12) > 0  # the pages, and the summary, drawn
    assert not Path(job.folder.name).exists()  # nothing left in the temporary folder


def test_cancelling_the_print_dialog_prints_nothing(
    qtbot: QtBot, window: MainWindow, sample_pdf: Path, tmp_path: Path
) -> None:
    open_and_wait(qtbot, window, sample_pdf)
    timer = when_modal(QPrintDialog, lambda dialog: dialog.reject())
    window.viewer_actions.print_layer.trigger()
    job = window.review.printing
    assert job is not None
    out = tmp_path / "never.pdf"
    job.printer.setOutputFileName(str(out))
    with qtbot.waitSignal(job.ended, timeout=60000):
        pass
    timer.stop()
    assert job.message == "Printing cancelled" and not out.exists()


def test_the_pages_the_dialog_asks_for() -> None:
    printer = QPrinter()
    printer.setOutputFileName("unused.pdf")  # a printer that cannot make copies itself
    assert printed_pages(printer, 4) == [0, 1, 2, 3]
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setPageRanges(QPageRanges.fromString("2-3"))  # as typed in the dialog
    assert printed_pages(printer, 4) == [1, 2]
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert printed_pages(printer, 4) == [2, 1]
    printer.setCopyCount(2)
    printer.setCollateCopies(True)
    assert printed_pages(printer, 4) == [2, 1, 2, 1]
    printer.setCollateCopies(False)
    assert printed_pages(printer, 4) == [2, 2, 1, 1]
