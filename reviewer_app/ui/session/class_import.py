"""Import a Class: many students' files (Instant JSON, or PDFs filled in another reader) in
one go, one layer each, in the background; a report of what each file became."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from reviewer_app.importing import ClassFile, import_class
from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.core.tasks import Task, TaskRunner
from reviewer_app.ui.core.words import plural
from reviewer_app.ui.session.context import DocumentContext

FILES = "Students' files (*.json *.pdf);;Instant JSON (*.json);;PDF (*.pdf)"


def report_text(report: Sequence[ClassFile]) -> tuple[str, str]:
    """A one-line summary and a line per file for the report."""
    done = [r for r in report if r.layer is not None]
    summary = f"{len(done)} of {plural(len(report), 'file')} imported, one layer each."
    lines = []
    for r in report:
        if r.layer is None:
            lines.append(f"{r.file}: not imported — {'; '.join(r.problems)}")
            continue
        what = f"{plural(r.annotations, 'annotation')}, {plural(r.form_values, 'form value')}"
        extra = (
            f" ({plural(len(r.problems), 'problem')}: {'; '.join(r.problems)})"
            if r.problems
            else ""
        )
        lines.append(f"{r.file} → layer “{r.layer}”: {what}{extra}")
    return summary, "\n".join(lines)


SHOWN_LINES = 10
"""Files the report lists in its box; past that, the box lists those not imported first and
Show Details… lists every file (a box of 30 lines or more would run off the screen)."""


def report_box(summary: str, details: str) -> QMessageBox:
    """The report's box: ``summary``, then ``details`` (a line per file) as the box can hold."""
    box = QMessageBox(QMessageBox.Icon.Information, "Class Imported", summary)
    lines = details.splitlines()
    if len(lines) <= SHOWN_LINES:
        box.setInformativeText(details)
        return box
    first = sorted(lines, key=lambda line: ": not imported — " not in line)[:SHOWN_LINES]
    more = len(lines) - len(first)
    box.setInformativeText("\n".join([*first, f"… and {more} more (Show Details… lists all)"]))
    box.setDetailedText(details)
    return box


def import_class_in_background(
    context: DocumentContext, tasks: TaskRunner, paths: Sequence[Path]
) -> Task | None:
    """Import ``paths`` as a task; when it ends the layers are listed again and the report
    shown (the task's ``returned`` carries the report)."""
    document = context.document
    if document is None or not paths:
        return None
    engine = context.engine

    def done(report: list[ClassFile]) -> None:
        context.changes.layer_set_changed()
        summary, details = report_text(report)
        context.notify(summary, 8000)
        box = report_box(summary, context.names.shown(details))  # anonymous: files too
        box.setParent(context.dialog_parent, box.windowFlags())
        box.open()
        done.box = box  # type: ignore[attr-defined]  # kept for whoever looks (tests)

    return tasks.run(
        lambda _: import_class(engine, document.id, list(paths)),
        name="import a class",
        returned=done,
        errored=lambda exc: context.show_error("Class not imported", str(exc)),
    )


def ask_import_class(context: DocumentContext, tasks: TaskRunner) -> Task | None:
    files = file_dialogs.open_files(
        context.dialog_parent, context.settings, "Import a Class", FILES
    )
    return import_class_in_background(context, tasks, files)
