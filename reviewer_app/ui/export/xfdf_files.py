"""Layers > Import XFDF Comments as Layer… and Export Layer as XFDF…: Acrobat's comment files.

The file is read or written on a background task (the page boxes come from the PDF, the
records from the engine); the window learns of an import by its change, like any other."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QWidget

from reviewer_app.engine import Change, EngineError, LayerEngine
from reviewer_app.pdf.write_files import write_atomically
from reviewer_app.ui.core import file_dialogs
from reviewer_app.ui.core.settings import ViewerSettings
from reviewer_app.ui.core.tasks import Task, TaskControl, TaskRunner
from reviewer_app.ui.core.words import plural
from reviewer_app.ui.session.context import DocumentContext
from reviewer_app.xfdf import XfdfError, layer_xfdf, page_boxes, read_xfdf

FILTER = "XFDF comments (*.xfdf);;All files (*)"


def ask_file_to_import(parent: QWidget, settings: ViewerSettings) -> tuple[Path, str] | None:
    """An XFDF file and the layer to read it into (a new name makes a new layer)."""
    file = file_dialogs.open_file(parent, settings, "Import XFDF Comments", FILTER)
    if file is None:
        return None
    name, ok = QInputDialog.getText(
        parent,
        "Import XFDF",
        "Into the layer (a new name makes a new layer):",
        text=file.stem,
    )
    return (file, name.strip()) if ok and name.strip() else None


def ask_file_to_write(parent: QWidget, settings: ViewerSettings, shown: str) -> Path | None:
    """Where to write a layer's XFDF (offered as ``shown``.xfdf: its name as shown)."""
    title, offered = "Export Layer as XFDF", f"{shown or 'default'}.xfdf"
    return file_dialogs.save_file(parent, settings, title, offered, FILTER)[0]


def export_xfdf(engine: LayerEngine, document_id: str, layer: str, path: Path) -> dict[str, Any]:
    """Write ``layer`` as XFDF at ``path``; what was written and what could not be."""
    boxes = page_boxes(engine.pdf_path(document_id))
    name = engine.document(document_id).file_name or ""
    written = layer_xfdf(engine.records(document_id, layer), boxes, name)
    write_atomically(path, written.xml)
    return {"annotations": written.annotations, "fields": written.fields, "errors": written.errors}


def import_xfdf(
    engine: LayerEngine, document_id: str, layer: str, path: Path
) -> tuple[Change, list[dict[str, Any]]]:
    """Read the XFDF file at ``path`` into ``layer``: the change and what was not taken."""
    read = read_xfdf(path.read_bytes(), page_boxes(engine.pdf_path(document_id)))
    change, problems = engine.import_instant(document_id, layer, read.instant())
    return change, read.errors + problems


def counted(annotations: int, values: int) -> str:
    """What an XFDF file held, in words: "3 annotations and 1 form value"."""
    return f"{plural(annotations, 'annotation')} and {plural(values, 'form value')}"


class LayerXfdf(QObject):
    """The two XFDF commands of the Layers menu, each run as a task."""

    def __init__(self, context: DocumentContext, tasks: TaskRunner) -> None:
        super().__init__(context)
        self.context, self.tasks = context, tasks
        self.running: Task | None = None

    def ask_export(self) -> None:
        if self.context.document is None:
            return
        layer = self.context.layer
        shown = self.context.names.shown(layer)
        path = ask_file_to_write(self.context.dialog_parent, self.context.settings, shown)
        if path is not None:
            self.export(layer, path)

    def ask_import(self) -> None:
        if self.context.document is None:
            return
        answer = ask_file_to_import(self.context.dialog_parent, self.context.settings)
        if answer is not None:
            self.import_into(answer[1], answer[0])

    def export(self, layer: str, path: Path) -> Task | None:
        document = self.context.document
        if document is None:
            return None
        engine = self.context.engine

        def done(result: dict[str, Any]) -> None:
            skipped = len(result["errors"])
            note = f"; {skipped} not written (pictures, links)" if skipped else ""
            wrote = counted(result["annotations"], result["fields"])
            self.context.notify(
                f"Wrote {wrote} of {self.context.names.title(layer)} to {path.name}{note}", 8000
            )

        return self._run(
            lambda _: export_xfdf(engine, document.id, layer, path), done, "XFDF not written"
        )

    def import_into(self, layer: str, path: Path) -> Task | None:
        document = self.context.document
        if document is None:
            return None
        engine = self.context.engine

        def done(result: tuple[Change, list[dict[str, Any]]]) -> None:
            change, errors = result
            self.context.changes.record_change(change)
            self.context.changes.layer_set_changed()
            self.context.show_layer(layer)
            note = f"; {len(errors)} not taken: {errors[0]['reason']}" if errors else ""
            values = sum(r.kind == "formFieldValue" for r in change.upserted)
            read = counted(len(change.upserted) - values, values)
            self.context.notify(
                f"Read {read} from {path.name} into {self.context.names.title(layer)}{note}",
                10000,
            )

        return self._run(
            lambda _: import_xfdf(engine, document.id, layer, path), done, "XFDF not imported"
        )

    def _run(
        self, work: Callable[[TaskControl], Any], done: Callable[[Any], None], title: str
    ) -> Task:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                self.context.show_error(title, f"{exc.filename or ''}: {exc.strerror or exc}")
            elif isinstance(exc, XfdfError | EngineError):
                self.context.show_error(title, str(exc))
            else:  # a bug: said, not hidden, and the window stays
                self.context.show_error(title, f"Unexpected error: {type(exc).__name__}: {exc}")

        self.running = self.tasks.run(work, name=title, returned=done, errored=failed)
        return self.running
