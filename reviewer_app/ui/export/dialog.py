"""Exporting layer PDFs: the options, the folder, a cancellable progress dialog, and a last
word that offers to open the folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from reviewer_app.engine import Document
from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.export.options import ExportOptions, LayerChoice, layer_choices
from reviewer_app.ui.export.run import ExportRequest, ExportRun, export_in_child
from reviewer_app.ui.session.context import DocumentContext, layer_title
from reviewer_app.ui.session.layer_list import LayerList


class PdfExport(QObject):
    """Runs one export with a progress dialog; the window stays live (the work is in a process).

    When it ends, a message box (``result_box``, not blocking) says what happened, with an
    Open Folder button when files were written; emits ``ended(message)`` with the same words
    (for the status bar)."""

    ended = Signal(str)

    def __init__(self, parent: QWidget, request: ExportRequest, target: Any = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.request = request
        self.title: Callable[[str], str] = layer_title  # how the progress names a layer
        self.shown: Callable[[str], str] = str  # the end's words as shown (LayerNames.shown)
        self.paths: list[Path] = []
        self.message = ""
        self.result_box: QMessageBox | None = None
        self.open_folder_button: QPushButton | None = None
        total = len(request.layers)
        self.dialog = QProgressDialog("Starting the export…", "Cancel", 0, total, parent)
        self.dialog.setWindowTitle("Exporting PDFs")
        self.dialog.setAccessibleName("Export progress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.run = ExportRun(request, self, target or export_in_child)
        self.run.progressed.connect(self._progressed)
        self.run.finished.connect(self._finished)
        self.run.failed.connect(self._failed)
        self.dialog.canceled.connect(self._cancel)

    def start(self) -> None:
        self.run.start()
        self.dialog.show()

    def _cancel(self) -> None:
        self.run.cancel()
        self.dialog.setLabelText("Cancelling after the current layer…")

    def _progressed(self, done: int, layer: str) -> None:
        self.dialog.setValue(done)
        self.dialog.setLabelText(
            f"Exported {self.title(layer)} ({done} of {self.dialog.maximum()})"
        )

    def _finished(self, paths: Sequence[str], skipped: int) -> None:
        self.paths = [Path(p) for p in paths]
        folder = self.request.out_dir
        count = len(self.paths)
        self.message = f"{count} PDF{'s' if count != 1 else ''} written to {folder}"
        if self.run.cancelled:
            self.message = f"Export cancelled: {self.message}"
        if skipped:
            links = ", or links: a flattened PDF keeps none" if self.request.flatten else ""
            self.message += f" ({skipped} left out: records a PDF cannot hold{links})"
        title = "Export Cancelled" if self.run.cancelled else "Export Finished"
        self._close(title, QMessageBox.Icon.Information)

    def _failed(self, message: str) -> None:
        self.message = f"Export failed: {message}"
        self._close("Export Failed", QMessageBox.Icon.Warning)

    def _close(self, title: str, icon: QMessageBox.Icon) -> None:
        self.message = self.shown(self.message)  # a folder or an error may name a student
        self.dialog.reset()
        self.dialog.hide()
        self.result_box = self._result_box(title, icon)
        self.result_box.open()
        emit(self.ended, self.message)

    def _result_box(self, title: str, icon: QMessageBox.Icon) -> QMessageBox:
        box = QMessageBox(icon, title, self.message, QMessageBox.StandardButton.Close)
        box.setParent(self.parent_widget, box.windowFlags())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.paths:
            self.open_folder_button = box.addButton(
                "&Open Folder", QMessageBox.ButtonRole.ActionRole
            )
            self.open_folder_button.clicked.connect(self.open_folder)
            box.setDefaultButton(self.open_folder_button)
        return box

    def open_folder(self) -> bool:
        """Show the folder the PDFs went to in the system's file manager (or say where it
        is when no file manager answers)."""
        folder = self.request.out_dir
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        QMessageBox.information(
            self.parent_widget,
            "Open Folder",
            f"No file manager could be started to show the folder. The PDFs are in {folder}",
        )
        return False


def choose_folder(parent: QWidget, settings: ViewerSettings) -> Path | None:
    return file_dialogs.choose_folder(parent, settings, "Export into folder")


def summary_title(document: Document | None) -> str:
    """What a comments summary calls the document: its title, else its file name."""
    if document is None:
        return ""
    return document.title or document.file_name or ""


def ask_export_of(context: DocumentContext, layers: LayerList) -> PdfExport | None:
    """Export Layers as PDF for the document shown, offering ``layers`` (the Layers list):
    the options, the folder, then the export, whose last word also goes to the status bar."""
    document, opened = context.document, context.opened
    if document is None:
        return None
    own = {info.name: info.own_records for info in context.engine.layers(document.id)}
    export = ask_and_export(
        context.dialog_parent,
        context.settings,
        context.engine.data_dir,
        document,
        context.layer,
        layer_choices(layers.rows, own, layers.pending, context.names.author),
        opened.password if opened else None,
        context.names.title,
    )
    if export is not None:
        export.title, export.shown = context.names.title, context.names.shown
        export.ended.connect(lambda message: context.notify(message))
    return export


def ask_and_export(
    parent: QWidget,
    settings: ViewerSettings,
    data_dir: Path,
    document: Document,
    current: str,
    layers: Sequence[LayerChoice],
    password: str | None,
    title: Callable[[str], str] = layer_title,
) -> PdfExport | None:
    """Ask which layers and how, then the folder, then start the export (None if the user
    cancels either question). ``title`` names layers on screen; the files take their names."""
    options = ExportOptions(layers, current, parent, title)
    if options.exec() != QDialog.DialogCode.Accepted:
        return None
    return export_to_folder(
        parent,
        data_dir,
        document.id,
        options.chosen(),
        options.flatten.isChecked(),
        password,
        summary=options.summary.isChecked(),
        title=summary_title(document),
        settings=settings,
    )


def export_to_folder(
    parent: QWidget,
    data_dir: Path,
    document_id: str,
    layers: Sequence[str],
    flatten: bool,
    password: str | None = None,
    *,
    summary: bool = False,
    title: str = "",
    settings: ViewerSettings,
) -> PdfExport | None:
    """Ask for the folder (a file dialog kept in ``settings``), then export ``layers`` into it."""
    folder = choose_folder(parent, settings)
    if folder is None:
        return None
    request = ExportRequest(
        data_dir, document_id, tuple(layers), folder, flatten, password, summary, title
    )
    export = PdfExport(parent, request)
    export.start()
    return export
