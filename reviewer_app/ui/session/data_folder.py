"""The data folder at start: when it cannot be used, a dialog says why and offers another.

The app never dies silently on an unwritable, missing or damaged data folder: the user reads
what is wrong and picks another folder (kept in the settings for the next start) or quits."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reviewer_app.app_data import DATA_DIR_ENV, default_data_dir
from reviewer_app.pdf.sandbox import REMEMBERED_FILE, shared_sandbox
from reviewer_app.ui.core.settings import ViewerSettings

if TYPE_CHECKING:
    from reviewer_app.engine import LayerEngine

_log = logging.getLogger(__name__)
ChooseFolder = Callable[[Path, str], Path | None]


def data_folder(given: Path | None, settings: ViewerSettings) -> Path:
    """``--data-dir``, else ``$REVIEWER_DATA_DIR``, else the folder chosen in the app after
    the usual one failed, else the platform's user data folder."""
    if given is not None:
        return given
    if os.environ.get(DATA_DIR_ENV):
        return default_data_dir()
    return settings.data_folder() or default_data_dir()


def why_unusable(exc: BaseException) -> str:
    """What is wrong with the folder, in a sentence (the system's own words last)."""
    if isinstance(exc, PermissionError):
        return f"Reviewer may not write there ({exc.strerror or exc})."
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return "That path is a file, not a folder."
    if isinstance(exc, OSError):
        return f"It cannot be created or read ({exc.strerror or exc})."
    return str(exc)


def problem_box(folder: Path, reason: str, parent: QWidget | None = None) -> QMessageBox:
    """The dialog that says why ``folder`` cannot hold Reviewer's data, with Choose Another
    Folder… and Quit."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Reviewer cannot use its data folder")
    box.setText(f"Reviewer keeps your layers in\n{folder}\nbut cannot use that folder.")
    box.setInformativeText(f"{reason}\n\nChoose another folder for your layers, or quit.")
    box.addButton("&Choose Another Folder…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    return box


def ask_for_another_folder(folder: Path, reason: str) -> Path | None:
    """Show :func:`problem_box`; the folder the user then picks, or None to quit."""
    box = problem_box(folder, reason)
    box.exec()
    if box.buttonRole(box.clickedButton()) != QMessageBox.ButtonRole.AcceptRole:
        return None
    name = QFileDialog.getExistingDirectory(
        None, "A folder for Reviewer's layers", str(Path.home())
    )
    return Path(name) if name else None


def open_engine(
    folder: Path, settings: ViewerSettings, choose: ChooseFolder = ask_for_another_folder
) -> LayerEngine | None:
    """The layer engine on ``folder``; while it cannot be opened, ``choose`` is asked for
    another folder (remembered in the settings once it works). None: the user quit."""
    from reviewer_app.engine import EngineError, LayerEngine  # (after the first page shows)

    chosen = False
    while True:
        try:
            engine = LayerEngine(folder)
        except (OSError, EngineError) as exc:
            picked = choose(folder, why_unusable(exc))
            if picked is None:
                return None
            folder, chosen = picked, True
            continue
        if chosen:
            settings.set_data_folder(folder)
        prepare(engine)
        return engine


def refuse_known_crashers(folder: Path) -> None:
    """Refuse at once the PDFs that crashed a PDF worker before (remembered in ``folder``),
    from the first PDF the app opens, before the engine on ``folder`` is open."""
    shared_sandbox().remember_in(folder / REMEMBERED_FILE)


def prepare(engine: LayerEngine) -> None:
    """What the app does with its data folder at start: remove the half-written files a
    killed import or export left (``*.part`` no process is writing), and refuse at once the
    PDFs that crashed a PDF worker before (remembered in the folder, as the server does)."""
    for leftover in engine.remove_leftovers():
        _log.info("removed a half-written file: %s", leftover)
    shared_sandbox().remember_in(engine.data_dir / REMEMBERED_FILE)
