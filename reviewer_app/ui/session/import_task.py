"""Importing the PDF shown into the layer engine, as a task, once its first page is on
screen, and why an import failed (kept apart from opening: the first page shows before the
engine's importer is even loaded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from reviewer_app.engine import BASE, Document, EngineError, LayerEngine, RecordKey
from reviewer_app.importing import UnreadableFile, import_pdf
from reviewer_app.instant.records import Record
from reviewer_app.pdf import PdfError
from reviewer_app.ui.core.tasks import Task, TaskControl, TaskRunner
from reviewer_app.ui.session.opening import OpenedPdf


class Importing(Protocol):
    """Where a PDF is imported to (the DocumentContext)."""

    engine: LayerEngine

    def keep_base(self, document_id: str, base: dict[RecordKey, Record]) -> None: ...


def import_in_background(tasks: TaskRunner, context: Importing, opened: OpenedPdf) -> Task:
    """Import ``opened`` into the layer engine as a task (extraction can take seconds); the
    task returns the engine's :class:`Document`. The base layer is read, parsed, counted and
    keyed there too, not on the UI thread when the Layers panel lists it and the page overlay
    draws it: the engine's caches are shared, and the keyed annotations are handed to
    ``context.keep_base`` (on the UI thread, before the task's ``returned`` reaches anyone
    connected after this)."""
    engine, made = context.engine, dict[str, dict[RecordKey, Record]]()

    def work(_: TaskControl) -> Document:
        document = import_pdf(engine, opened.path, opened.password).document
        engine.layer_summaries(document.id)
        base = engine.records(document.id, BASE, "annotation")
        made[document.id] = {r.key: r for r in base}
        return document

    task = tasks.run(work, name=f"import {opened.path.name}")
    task.returned.connect(lambda document: context.keep_base(document.id, made[document.id]))
    return task


def import_failure(exc: BaseException) -> str:
    """Why an import failed, for the status bar."""
    if isinstance(exc, EngineError | PdfError | UnreadableFile):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class ShownImport(QObject):
    """Imports the PDF just shown (``shown``) once its first page is sharp on screen
    (``page_sharp``) or a second after it was shown, so the extraction does not compete
    with the first render; then ``done(opened, document)``, or ``failed(why)``. A PDF shown
    meanwhile cancels the earlier import."""

    def __init__(
        self,
        tasks: TaskRunner,
        context: Importing,
        done: Callable[[OpenedPdf, Document], None],
        failed: Callable[[str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.tasks, self.context, self.done, self.failed = tasks, context, done, failed
        self.task: Task | None = None
        self.pending: OpenedPdf | None = None
        self.timer = QTimer(self, singleShot=True, interval=1000)
        self.timer.timeout.connect(self.page_sharp)

    def shown(self, opened: OpenedPdf) -> None:
        if self.task is not None:
            self.task.cancel()
        self.pending = opened
        self.timer.start()  # or sooner: once the first page shows sharp

    def page_sharp(self) -> None:
        opened, self.pending = self.pending, None
        if opened is None:
            return
        self.timer.stop()
        task = self.task = import_in_background(self.tasks, self.context, opened)
        task.returned.connect(lambda document: self.done(opened, document))
        task.errored.connect(lambda exc: self.failed(import_failure(exc)))

    def stop(self) -> None:
        self.pending = None
