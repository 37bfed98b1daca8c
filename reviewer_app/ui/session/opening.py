"""Opening a PDF: the password dialog, messages for broken files, the import as a task."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from reviewer_app.engine import EngineError, LayerEngine
from reviewer_app.importing import UnreadableFile, import_pdf
from reviewer_app.pdf import PasswordRequired, PdfError, WrongPassword, jobs
from reviewer_app.pdf.sandbox import shared_sandbox
from reviewer_app.ui.core.tasks import Task, TaskRunner


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


def read_pdf(parent: QWidget | None, path: Path) -> OpenedPdf | None:
    """Open ``path`` (asking for a password if needed); a message and None if it cannot be.

    The PDF is read by a worker process (see pdf/sandbox.py): one that crashes it is a
    message ("this PDF could not be processed: ..."), and the app stays up."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        cannot_open(parent, path, exc.strerror or str(exc))
        return None
    password: str | None = None
    wrong = False
    while True:
        try:
            sizes, rotations, toc = shared_sandbox().run(jobs.outline, data, password, path.name)
            break
        except (PasswordRequired, WrongPassword) as exc:
            if password is not None or isinstance(exc, WrongPassword):
                wrong = True
            password = ask_password(parent, path.name, wrong)
            if password is None:
                return None
        except PdfError as exc:
            cannot_open(parent, path, str(exc))
            return None
    return OpenedPdf(path, password, sizes, toc, rotations)


def dropped_pdf(mime: QMimeData) -> Path | None:
    """The first local PDF file among what is dragged or dropped, if any."""
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
            return Path(url.toLocalFile())
    return None


def cannot_open(parent: QWidget | None, path: Path, reason: str) -> None:
    QMessageBox.warning(parent, "Cannot open the PDF", f"{path.name} cannot be opened.\n\n{reason}")


def import_in_background(tasks: TaskRunner, engine: LayerEngine, opened: OpenedPdf) -> Task:
    """Import ``opened`` into the layer engine as a task (extraction can take seconds); the
    task returns the engine's :class:`Document`."""
    return tasks.run(
        lambda _: import_pdf(engine, opened.path, opened.password).document,
        name=f"import {opened.path.name}",
    )


def import_failure(exc: BaseException) -> str:
    """Why an import failed, for the status bar."""
    if isinstance(exc, EngineError | PdfError | UnreadableFile):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
