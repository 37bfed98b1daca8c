"""Return All: every student's PDF (their layer, editable or flattened) with a score box on
the first page and the comments summary after the last, named by student, written
atomically in the export's child process, with progress and cancel."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.engine.grade_sheet import score_box_lines
from reviewer_app.engine.grades import StudentGrades
from reviewer_app.engine.grading_scheme import Scheme
from reviewer_app.ui.export.dialog import PdfExport, choose_folder
from reviewer_app.ui.export.run import ExportRequest
from reviewer_app.ui.session.context import DocumentContext


@dataclass(frozen=True)
class ReturnRequest(ExportRequest):
    """An export of students' layers with each one's score box (layer, lines)."""

    score_boxes: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _stop_now(signum: int, frame: object) -> None:
    raise SystemExit(1)  # unwinds write_atomically, which removes the file being written


def return_in_child(request: ReturnRequest, messages: Any, cancel: Any) -> None:
    """The child process (see ``export_run.export_in_child``), with the score boxes."""
    signal.signal(signal.SIGTERM, _stop_now)
    from reviewer_app.engine import LayerEngine
    from reviewer_app.pdf.export import Skipped
    from reviewer_app.pdf.export_folder import export_layers

    try:
        with LayerEngine(request.data_dir) as engine:
            source = engine.pdf_path(request.document_id).read_bytes()
            exports = {n: engine.layer_export(request.document_id, n) for n in request.layers}
        skipped: list[Skipped] = []
        written = export_layers(
            source,
            exports,
            request.out_dir,
            flatten=request.flatten,
            summary=request.summary,
            title=request.title,
            password=request.password,
            progress=lambda done, total, name: messages.put(("progress", done, name)),
            cancelled=cancel.is_set,
            skipped=skipped,
            score_boxes=dict(request.score_boxes),
        )
        messages.put(("done", [str(p) for p in written], len(skipped)))
    except Exception as exc:  # reported to the user; the child must not die silently
        messages.put(("error", f"{type(exc).__name__}: {exc}"))


def return_request(
    context: DocumentContext,
    scheme: Scheme,
    grades: Sequence[StudentGrades],
    out_dir: Any,
    *,
    flatten: bool,
    summary: bool = True,
) -> ReturnRequest:
    """The request returning every student in ``grades`` into ``out_dir``."""
    document = context.document
    assert document is not None
    title = document.title or document.file_name or ""
    opened = context.opened
    boxes = tuple((g.layer, tuple(score_box_lines(scheme, g, g.layer, title))) for g in grades)
    return ReturnRequest(
        context.engine.data_dir,
        document.id,
        tuple(g.layer for g in grades),
        out_dir,
        flatten,
        opened.password if opened else None,
        summary,
        title,
        boxes,
    )


def start_return(parent: QWidget, request: ReturnRequest) -> PdfExport:
    export = PdfExport(parent, request, return_in_child)
    export.dialog.setWindowTitle("Returning papers")
    export.start()
    return export


class ReturnOptions(QDialog):
    """How the papers go back: flattened or editable, with the comments summary or not."""

    def __init__(self, students: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Return All")
        self.flatten = QCheckBox("&Flatten: marks burned in, nothing left to edit")
        self.summary = QCheckBox("Add the &comments summary after the last page")
        self.summary.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose Folder…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        words = (
            f"Each of the {students} students gets a PDF of their layer, named after them, "
            "with their scores in a box on page 1."
        )
        layout.addWidget(QLabel(words))
        layout.addWidget(self.flatten)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)


def ask_return_all(
    context: DocumentContext, scheme: Scheme, grades: Sequence[StudentGrades]
) -> PdfExport | None:
    """Ask how and where, then return every student's paper (None if the user cancels)."""
    parent = context.dialog_parent
    if context.document is None or not grades:
        context.notify("Nobody to return papers to: every layer but the default is a student")
        return None
    options = ReturnOptions(len(grades), parent)
    if options.exec() != QDialog.DialogCode.Accepted:
        return None
    folder = choose_folder(parent)
    if folder is None:
        return None
    request = return_request(
        context,
        scheme,
        grades,
        folder,
        flatten=options.flatten.isChecked(),
        summary=options.summary.isChecked(),
    )
    export = start_return(parent, request)
    export.ended.connect(lambda message: context.notify(message))
    return export
