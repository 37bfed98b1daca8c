"""File > Print: the layer shown, on paper as its flattened PDF with the comments summary.

The PDF is written, and its pages drawn, in child processes (PyMuPDF holds the GIL); the print
dialog asks in between, once the page count is known, and each page is painted on the printer
as it arrives, so the window stays live."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from reviewer_app.engine import Document
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.export.dialog import summary_title
from reviewer_app.ui.export.run import ExportRequest, ExportRun
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.ui.session.names import LayerNames

PRINT_DPI = 300  # enough for text on paper; a 1200-dpi printer gets the pages scaled up
Ask = Callable[[QPrinter, int, QWidget], bool]


@dataclass(frozen=True)
class PageRequest:
    """Which pages of a PDF to draw, at what resolution, into which folder (as PNG files)."""

    pdf: Path
    pages: tuple[int, ...]  # from 0, in printing order (a page may come more than once)
    dpi: int
    out_dir: Path
    password: str | None = None


def render_in_child(request: PageRequest, messages: Any, cancel: Any) -> None:
    """The child process: draw each page into a PNG, reporting each file as it is written."""
    from reviewer_app.pdf.open import open_pdf
    from reviewer_app.pdf.render import print_pixmap

    try:
        doc = open_pdf(request.pdf.read_bytes(), request.password)
        written: list[str] = []
        try:
            for number, index in enumerate(request.pages, 1):
                if cancel.is_set():
                    break
                path = request.out_dir / f"print-{number:05d}.png"
                print_pixmap(doc[index], request.dpi).save(str(path))
                written.append(str(path))
                messages.put(("progress", number, str(path)))
        finally:
            doc.close()
        messages.put(("done", written, 0))
    except Exception as exc:  # reported to the user; the child must not die silently
        messages.put(("error", f"{type(exc).__name__}: {exc}"))


def ask_printer(printer: QPrinter, pages: int, parent: QWidget) -> bool:
    """The system's print dialog (printer, pages ``1..pages``, copies); True to print."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print Layer")
    options = QAbstractPrintDialog.PrintDialogOption
    dialog.setOption(options.PrintPageRange, True)
    dialog.setOption(options.PrintSelection, False)
    dialog.setOption(options.PrintCurrentPage, False)
    dialog.setMinMax(1, pages)
    printer.setFromTo(1, pages)  # "Pages from 1 to N" reads the whole document until changed
    return dialog.exec() == QDialog.DialogCode.Accepted


def printed_pages(printer: QPrinter, count: int) -> list[int]:
    """The pages (from 0) the dialog's answers ask for, in printing order, each copy the
    printer cannot make itself repeated."""
    ranges = printer.pageRanges()
    if printer.printRange() == QPrinter.PrintRange.PageRange and not ranges.isEmpty():
        pages = [index for index in range(count) if ranges.contains(index + 1)]
    else:
        pages = list(range(count))
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    if printer.collateCopies():
        return pages * copies
    return [index for index in pages for _ in range(copies)]


def page_count(pdf: Path, password: str | None) -> int:
    """How many pages the written PDF has, read in a PDF worker (it is made of the user's)."""
    from reviewer_app.pdf import jobs
    from reviewer_app.pdf.sandbox import shared_sandbox

    return len(shared_sandbox().run(jobs.page_sizes, pdf, password, pdf.name))


class LayerPrint(QObject):
    """Prints one layer: flattened, with its comments summary after the last page. ``names``
    (the window's naming service) names the layer in the job, the progress and the end; the
    paper shows what the layer holds, as any export does.

    ``ask(printer, page_count, parent)`` puts the print dialog in front of the user (the
    system's, :func:`ask_printer`). Emits ``ended(message)`` when the pages are sent, or the
    printing was cancelled or failed; ``pdf`` is the PDF written for it."""

    ended = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        data_dir: Path,
        document: Document,
        layer: str,
        password: str | None = None,
        ask: Ask = ask_printer,
        dpi: int = PRINT_DPI,
        names: LayerNames | None = None,
    ) -> None:
        super().__init__(parent)
        self.parent_widget, self.layer, self.password = parent, layer, password
        self.names = names or LayerNames(self)
        self.ask, self.dpi = ask, dpi
        self.folder = tempfile.TemporaryDirectory(
            prefix="reviewer-print-", ignore_cleanup_errors=True
        )
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        job = f"{summary_title(document) or 'Document'} — {self.names.title(layer)}"
        self.printer.setDocName(job)  # the job leaves the app, seen in the printer's queue
        self.pdf: Path | None = None
        self.painter: QPainter | None = None
        self.pages_painted = 0
        self.message = ""
        self.ended_already = False
        self.progress = QProgressDialog("Preparing the pages…", "Cancel", 0, 0, parent)
        self.progress.setWindowTitle("Printing")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        request = ExportRequest(
            data_dir,
            document.id,
            (layer,),
            Path(self.folder.name),
            flatten=True,
            password=password,
            summary=True,
            title=summary_title(document),
        )
        self.run = ExportRun(request, self)
        self.run.finished.connect(self._written)
        self.run.failed.connect(self._failed)

    def start(self) -> None:
        self.run.start()
        self.progress.show()

    def cancel(self) -> None:
        """Stop: nothing more is drawn; pages already painted are not sent."""
        self.run.cancel()
        if self.painter is not None and self.painter.isActive():
            self.printer.abort()
            self.painter.end()

    def stop(self) -> None:
        """For closing the window: stop now, waiting for nothing (no more pages are sent)."""
        self.cancel()
        self.run.stop()
        self.folder.cleanup()

    def _written(self, paths: Sequence[str], _skipped: int) -> None:
        if self.ended_already:
            return
        if self.run.cancelled or not paths:
            self._end("Printing cancelled")
            return
        self.pdf = Path(paths[0])
        count = page_count(self.pdf, self.password)
        self.progress.hide()
        if not self.ask(self.printer, count, self.parent_widget):
            self._end("Printing cancelled")
            return
        pages = printed_pages(self.printer, count)
        self.painter = QPainter()
        if not pages or not self.painter.begin(self.printer):
            self._end("Printing failed: the printer could not be opened")
            return
        self.progress.setLabelText(f"Printing {self.names.title(self.layer)}…")
        self.progress.setRange(0, len(pages))
        self.progress.setValue(0)
        self.progress.show()
        request = PageRequest(
            self.pdf, tuple(pages), self.dpi, Path(self.folder.name), self.password
        )
        self.run = ExportRun(request, self, target=render_in_child)
        self.run.progressed.connect(self._page_drawn)
        self.run.finished.connect(self._printed)
        self.run.failed.connect(self._failed)
        self.run.start()

    def _page_drawn(self, number: int, path: str) -> None:
        painter = self.painter
        if painter is None or not painter.isActive():
            return
        if self.pages_painted and not self.printer.newPage():
            self._failed("the printer took no more pages")
            return
        paint_page(painter, QImage(path), QRect(0, 0, self.printer.width(), self.printer.height()))
        Path(path).unlink(missing_ok=True)
        self.pages_painted = number
        self.progress.setValue(number)

    def _printed(self, _paths: Sequence[str], _skipped: int) -> None:
        if self.ended_already:
            return
        if self.run.cancelled or self.painter is None or not self.painter.isActive():
            self._end("Printing cancelled")
            return
        self.painter.end()
        where = self.printer.printerName() or self.printer.outputFileName()
        pages = self.pages_painted
        shown = self.names.title(self.layer)
        self._end(f"Printed {shown}: {pages} page{'s' * (pages != 1)} to {where}")

    def _failed(self, message: str) -> None:
        if self.ended_already:
            return
        if self.painter is not None and self.painter.isActive():
            self.printer.abort()
            self.painter.end()
        self._end(f"Printing failed: {message}")

    def _end(self, message: str) -> None:
        self.ended_already = True
        self.message = message = self.names.shown(message)
        self.progress.reset()
        self.progress.hide()
        if self.run.done:
            self.folder.cleanup()
        else:  # a child still drawing stops after its page, then its folder goes
            self.run.cancel()
            self.run.finished.connect(lambda *_: self.folder.cleanup())
            self.run.failed.connect(lambda *_: self.folder.cleanup())
        emit(self.ended, message)


def print_shown_layer(context: DocumentContext) -> LayerPrint | None:
    """File > Print for the layer shown (None while the document is still being read); what
    happened goes to the status bar."""
    document, opened = context.document, context.opened
    if document is None:
        context.notify("The document is still being read; print it in a moment")
        return None
    password = opened.password if opened else None
    engine = context.engine
    job = LayerPrint(
        context.dialog_parent,
        engine.data_dir,
        document,
        context.layer,
        password,
        names=context.names,
    )
    job.ended.connect(context.notify)
    job.start()
    return job


def paint_page(painter: QPainter, image: QImage, area: QRect) -> None:
    """``image`` as large as fits in ``area``, centred; turned a quarter when that fits a
    landscape page on portrait paper (or the reverse) better."""
    if (image.width() > image.height()) != (area.width() > area.height()):
        image = image.transformed(QTransform().rotate(90))
    size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = area.x() + (area.width() - size.width()) // 2
    y = area.y() + (area.height() - size.height()) // 2
    painter.drawImage(QRect(x, y, size.width(), size.height()), image)
