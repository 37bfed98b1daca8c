"""Opening a PDF: the password dialog, messages for broken files, the import off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from reviewer_app.engine import EngineError, LayerEngine
from reviewer_app.importing import UnreadableFile, import_pdf
from reviewer_app.pdf import PasswordRequired, PdfError, WrongPassword, open_pdf
from reviewer_app.ui.core.signals import emit


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
    """Open ``path`` (asking for a password if needed); a message and None if it cannot be."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        cannot_open(parent, path, exc.strerror or str(exc))
        return None
    password: str | None = None
    wrong = False
    while True:
        try:
            doc = open_pdf(data, password=password, name=path.name)
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
    try:
        sizes = [(float(page.rect.width), float(page.rect.height)) for page in doc]
        rotations = [int(page.rotation) for page in doc]
        toc = doc.get_toc(simple=True)
    except Exception as exc:  # MuPDF errors on damaged page trees
        cannot_open(parent, path, f"damaged PDF: {exc}")
        return None
    finally:
        doc.close()
    return OpenedPdf(path, password, sizes, toc, rotations)


def cannot_open(parent: QWidget | None, path: Path, reason: str) -> None:
    QMessageBox.warning(parent, "Cannot open the PDF", f"{path.name} cannot be opened.\n\n{reason}")


class ImportSignals(QObject):
    """``imported(document)`` or ``failed(message)``, then ``finished()``."""

    imported = Signal(object)
    failed = Signal(str)
    finished = Signal()


class ImportTask(QRunnable):
    """Imports a PDF into the layer engine on a pool thread (extraction can take seconds).

    Tasks are kept alive in ``running`` until they finish."""

    running: ClassVar[set[ImportTask]] = set()

    def __init__(self, engine: LayerEngine, opened: OpenedPdf) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.engine, self.opened = engine, opened
        self.signals = ImportSignals()

    def start(self) -> None:
        ImportTask.running.add(self)
        self.signals.finished.connect(lambda: ImportTask.running.discard(self))
        QThreadPool.globalInstance().start(self)

    def run(self) -> None:
        try:
            document, _ = import_pdf(self.engine, self.opened.path, self.opened.password)
        except (EngineError, PdfError, UnreadableFile) as exc:
            emit(self.signals.failed, str(exc))
        else:
            emit(self.signals.imported, document)
        finally:
            emit(self.signals.finished)

    @staticmethod
    def wait_all(msecs: int = 30000) -> None:
        QThreadPool.globalInstance().waitForDone(msecs)
