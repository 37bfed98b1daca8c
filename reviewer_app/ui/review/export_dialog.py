"""Exporting layer PDFs: the options dialog, the folder, and a cancellable progress dialog."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressDialog,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.review.export_run import ExportRequest, ExportRun
from reviewer_app.ui.session.context import layer_title


class ExportOptions(QDialog):
    """Asks what to export (the current layer or all) and how (editable or flattened)."""

    def __init__(self, current: str, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Layers as PDF")
        self.current_layer = QRadioButton(f"&Current layer ({layer_title(current)})")
        self.all_layers = QRadioButton(f"&All {count} layers, one PDF each")
        self.current_layer.setChecked(True)
        self.flatten = QCheckBox("&Flatten (burn the annotations into the pages)")
        for widget, name in (
            (self.current_layer, "Export the current layer"),
            (self.all_layers, "Export all layers"),
            (self.flatten, "Flatten the annotations"),
        ):
            widget.setAccessibleName(name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose &Folder…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Export:"))
        layout.addWidget(self.current_layer)
        layout.addWidget(self.all_layers)
        layout.addWidget(self.flatten)
        layout.addWidget(buttons)


class PdfExport(QObject):
    """Runs one export with a progress dialog; the window stays live (the work is in a process).

    Emits ``ended(message)`` with what happened (written, cancelled or failed)."""

    ended = Signal(str)

    def __init__(self, parent: QWidget, request: ExportRequest) -> None:
        super().__init__(parent)
        self.request = request
        self.paths: list[Path] = []
        self.message = ""
        total = len(request.layers)
        self.dialog = QProgressDialog("Starting the export…", "Cancel", 0, total, parent)
        self.dialog.setWindowTitle("Exporting PDFs")
        self.dialog.setAccessibleName("Export progress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setValue(0)
        self.run = ExportRun(request, self)
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
            f"Exported {layer_title(layer)} ({done} of {self.dialog.maximum()})"
        )

    def _finished(self, paths: Sequence[str], skipped: int) -> None:
        self.paths = [Path(p) for p in paths]
        folder = self.request.out_dir
        self.message = f"{len(self.paths)} PDF(s) written to {folder}"
        if self.run.cancelled:
            self.message = f"Export cancelled: {self.message}"
        if skipped:
            self.message += f" ({skipped} record(s) could not be written)"
        self._close()

    def _failed(self, message: str) -> None:
        self.message = f"Export failed: {message}"
        self._close()

    def _close(self) -> None:
        self.dialog.reset()
        self.dialog.hide()
        emit(self.ended, self.message)


def choose_folder(parent: QWidget) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, "Export into folder")
    return Path(name) if name else None


def ask_and_export(
    parent: QWidget,
    data_dir: Path,
    document_id: str,
    current: str,
    all_layers: list[str],
    password: str | None,
) -> PdfExport | None:
    """Ask for the options and the folder, then start the export (None if the user cancels)."""
    options = ExportOptions(current, len(all_layers), parent)
    if options.exec() != QDialog.DialogCode.Accepted:
        return None
    layers = all_layers if options.all_layers.isChecked() else [current]
    return export_to_folder(
        parent, data_dir, document_id, layers, options.flatten.isChecked(), password
    )


def export_to_folder(
    parent: QWidget,
    data_dir: Path,
    document_id: str,
    layers: Sequence[str],
    flatten: bool,
    password: str | None = None,
) -> PdfExport | None:
    """Ask for the folder, then export ``layers`` into it."""
    folder = choose_folder(parent)
    if folder is None:
        return None
    request = ExportRequest(data_dir, document_id, tuple(layers), folder, flatten, password)
    export = PdfExport(parent, request)
    export.start()
    return export
