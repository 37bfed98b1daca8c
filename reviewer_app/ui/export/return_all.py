"""Return All: every student's PDF (their layer, editable or flattened) with a score box on
the first page and the comments summary after the last, named by student, written
atomically in the export's child process, with progress and cancel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from reviewer_app.engine.grade_sheet import score_box_lines
from reviewer_app.engine.grades import StudentGrades
from reviewer_app.engine.grading_scheme import Scheme
from reviewer_app.ui.export.dialog import PdfExport, choose_folder
from reviewer_app.ui.export.options import ReturnOptions
from reviewer_app.ui.export.run import ExportRequest
from reviewer_app.ui.session.context import DocumentContext

__all__ = ["ReturnOptions", "ask_return_all", "return_request", "start_return"]
ReturnRequest = ExportRequest  # with ``score_boxes``: each student's layer and its lines


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
    export = PdfExport(parent, request)
    export.dialog.setWindowTitle("Returning papers")
    export.start()
    return export


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
    folder = choose_folder(parent, context.settings)
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
    export.title, export.shown = context.names.title, context.names.shown  # files: real names
    export.ended.connect(lambda message: context.notify(message))
    return export
