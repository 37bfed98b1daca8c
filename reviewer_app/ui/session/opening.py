"""Opening a PDF: its pages read on a task, the password dialog, messages for broken files
(importing it into the engine is session/import_task.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QStatusBar,
    QWidget,
)

from reviewer_app.pdf import PasswordRequired, PdfError, WrongPassword
from reviewer_app.pdf.sandbox import shared_sandbox
from reviewer_app.ui.core.signals import emit
from reviewer_app.ui.core.tasks import Task, TaskRunner

RENDERER_SECONDS = 10.0
"""How long the render worker may take to read the app's first PDF before the PDF sandbox is
asked too (a PDF that makes MuPDF loop: the sandbox's limits then apply)."""


@dataclass
class OpenedPdf:
    """What the window needs to show a PDF at once: page sizes (points) and the outline."""

    path: Path
    password: str | None
    sizes: list[tuple[float, float]]
    toc: list[list[Any]] = field(default_factory=list)
    rotations: list[int] = field(default_factory=list)  # each page's /Rotate


def ask_password(parent: QWidget | None, name: str, wrong: bool) -> str | None:
    """Ask for the password of ``name``; None when the user cancels."""
    label = f"{name} is protected by a password."
    if wrong:
        label = f"That password does not open {name}. Try again:"
    text, ok = QInputDialog.getText(parent, "Password", label, QLineEdit.EchoMode.Password)
    return text if ok else None


def read_outline(path: Path, password: str | None) -> tuple[list[Any], list[int], list[Any]]:
    """``path``'s page sizes, rotations and outline, read by a sandbox worker process (see
    pdf/sandbox.py; one that crashes on it is a PdfError): run on a task, it waits there."""
    from reviewer_app.pdf.outline import outline  # (PyMuPDF's errors: not before page 1)

    data = path.read_bytes()
    sizes, rotations, toc = shared_sandbox().run(outline, data, password, path.name)
    return sizes, rotations, toc


class PdfOpening(QObject):
    """Opening a PDF without stopping the window: its pages are read on a task while the
    status bar says so, then ``show(opened)`` runs and ``opened(OpenedPdf)`` is emitted. A
    password is asked for on the UI thread and the read runs again; a file that cannot be
    opened is a message, then ``not_opened(path)`` (also when the password is not given).
    Opening another file, or ``cancel()``, drops what the earlier read still returns.

    The app's first PDF may be read by the render worker that draws it instead (``open``'s
    ``renderer``, the viewer's RenderClient), so that no PDF worker process starts and
    loads PyMuPDF before page 1 is on screen. The PDF sandbox reads it as usual after all
    when it refuses any PDF already (it checks this one), when the render worker cannot open
    it (a password, a damaged file: the sandbox's errors say which) or dies reading it (the
    sandbox remembers a PDF that crashes its worker, and says so), and alongside it when
    the render worker has not answered within RENDERER_SECONDS (the first answer is shown)."""

    opened = Signal(object)
    not_opened = Signal(object)

    def __init__(
        self, parent: QWidget, show: Callable[[OpenedPdf], None], status: QStatusBar
    ) -> None:
        super().__init__(parent)
        self.parent_widget, self.show, self.status = parent, show, status
        self.tasks = TaskRunner(at_once=1, parent=self)
        self.task: Task | None = None
        self.early: Path | None = None  # read by the render worker
        self.renderers: list[Any] = []  # whose replies are heard
        self.late = QTimer(self, singleShot=True, interval=int(RENDERER_SECONDS * 1000))
        self.late.timeout.connect(self._renderer_late)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # no end known: it moves while the worker reads
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        status.addPermanentWidget(self.busy)

    def open(self, path: Path, password: str | None = None, renderer: Any = None) -> None:
        """Read ``path`` on a task (after the read of any earlier file is dropped), or by
        ``renderer``'s worker (see the class)."""
        self.cancel()
        self.busy.show()
        self.status.showMessage(f"Opening {path.name}…")
        if renderer is None or password is not None or shared_sandbox().refuses_any():
            return self._read_in_sandbox(path, password)
        if renderer not in self.renderers:
            self.renderers.append(renderer)
            renderer.read.connect(self._renderer_read)
            renderer.failed.connect(self._renderer_failed)
        self.early = path
        self.late.start()
        renderer.open_document(str(path), None, outline=True)

    def _read_in_sandbox(self, path: Path, password: str | None) -> None:
        task = self.task = self.tasks.run(lambda _: read_outline(path, password), name="open")
        task.returned.connect(lambda read: self._read(task, path, password, read))
        task.errored.connect(lambda exc: self._failed(task, path, password, exc))

    def opening(self) -> bool:
        return self.task is not None or self.early is not None

    def cancel(self) -> None:
        if self.opening():
            if self.task is not None:
                self.task.cancel()
            self.task = self.early = None
            self.late.stop()
            self.busy.hide()
            self.status.clearMessage()

    def _renderer_read(self, reply: dict[str, Any]) -> None:
        if (path := self.early) is None:
            return  # not asked for by us, or the sandbox answered first
        self.cancel()
        self._show(OpenedPdf(path, None, reply["sizes"], reply["toc"], reply["rotations"]))

    def _renderer_failed(self, _why: str) -> None:
        """The render worker cannot read it, or died: the sandbox says why (or reads it)."""
        if (path := self.early) is not None:
            self.early = None
            self.late.stop()
            if self.task is None:  # (else the sandbox is reading it already)
                self._read_in_sandbox(path, None)

    def _renderer_late(self) -> None:
        if self.early is not None and self.task is None:
            self._read_in_sandbox(self.early, None)

    def shutdown(self) -> None:
        self.cancel()
        self.tasks.shutdown()

    def _read(self, task: Task, path: Path, password: str | None, read: Any) -> None:
        if task is not self.task:
            return
        self.cancel()
        sizes, rotations, toc = read
        self._show(OpenedPdf(path, password, sizes, toc, rotations))

    def _show(self, opened: OpenedPdf) -> None:
        self.show(opened)
        emit(self.opened, opened)

    def _failed(self, task: Task, path: Path, password: str | None, exc: BaseException) -> None:
        if task is not self.task:
            return
        self.cancel()
        if isinstance(exc, PasswordRequired | WrongPassword):
            wrong = password is not None or isinstance(exc, WrongPassword)
            given = ask_password(self.parent_widget, path.name, wrong)
            if given is not None and not self.tasks.closed and self.task is None:
                self.open(path, given)
                return
        elif isinstance(exc, OSError):
            cannot_open(self.parent_widget, path, exc.strerror or str(exc))
        elif isinstance(exc, PdfError):
            cannot_open(self.parent_widget, path, str(exc))
        else:
            cannot_open(self.parent_widget, path, f"{type(exc).__name__}: {exc}")
        emit(self.not_opened, path)


def dropped_pdf(mime: QMimeData) -> Path | None:
    """The first local PDF file among what is dragged or dropped, if any."""
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
            return Path(url.toLocalFile())
    return None


def cannot_open(parent: QWidget | None, path: Path, reason: str) -> None:
    QMessageBox.warning(parent, "Cannot open the PDF", f"{path.name} cannot be opened.\n\n{reason}")
